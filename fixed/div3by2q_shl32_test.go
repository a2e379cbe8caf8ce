package fixed

import (
	"math"
	"math/rand/v2"
	"testing"
)

func checkDiv3by2qShl32(t testing.TB, x1, x0, d1, d0 uint64) {
	t.Helper()
	got := div3by2qShl32(x1, x0, d1, d0)
	want := div3by2q(x1>>32, x1<<32|x0>>32, x0<<32, d1, d0)
	if got != want {
		t.Fatalf("div3by2qShl32(%#x:%#x, %#x:%#x) = %#x, div3by2q %#x", x1, x0, d1, d0, got, want)
	}
}

// TestDiv3by2qShl32 compares the combined shift with div3by2q on x·2^32
// for divisors of every top-word length (both sides of the s = 32 split
// and its ends), dividends just below the divisor, far below it, and
// random.
func TestDiv3by2qShl32(t *testing.T) {
	const m = math.MaxUint64
	rng := rand.New(rand.NewPCG(32, 33))
	n := 20_000
	if testing.Short() {
		n = 2_000
	}
	for s := range 64 {
		for _, d0 := range []uint64{0, 1, m} {
			for _, d1 := range []uint64{1 << (63 - s), m >> s} {
				for _, x := range []U128{{0, 0}, {0, 1}, {0, m}, {d1 - 1, m}, {d1 >> 1, d0}} {
					checkDiv3by2qShl32(t, x.hi, x.lo, d1, d0)
				}
				if d0 != 0 {
					checkDiv3by2qShl32(t, d1, d0-1, d1, d0)
				}
			}
		}
		for range n {
			d1 := (rng.Uint64() | 1<<63) >> s
			d0 := rng.Uint64()
			x1, x0 := rng.Uint64N(d1), rng.Uint64()
			if rng.IntN(3) == 0 {
				x1 >>= uint(rng.IntN(64))
			}
			checkDiv3by2qShl32(t, x1, x0, d1, d0)
		}
	}
}

func FuzzDiv3by2qShl32(f *testing.F) {
	f.Add(uint64(1), uint64(0), uint64(2), uint64(0))
	f.Add(uint64(1<<40), uint64(5), uint64(1<<41), uint64(7))
	f.Fuzz(func(t *testing.T, x1, x0, d1, d0 uint64) {
		if d1 == 0 {
			d1 = 1
		}
		x1 %= d1
		checkDiv3by2qShl32(t, x1, x0, d1, d0)
	})
}
