package fixed

import (
	"math"
	"math/rand/v2"
	"testing"
)

func checkU96F32Divisor(t testing.TB, x, d U96F32) {
	t.Helper()
	r := NewU96F32Divisor(d)
	got, gok := r.Divide(x)
	want, wok := x.CheckedDiv(d)
	if got != want || gok != wok {
		t.Fatalf("U96F32Divisor(%#x:%#x).Divide(%#x:%#x) = %#x:%#x %v, CheckedDiv %#x:%#x %v",
			d.hi, d.lo, x.hi, x.lo, got.hi, got.lo, gok, want.hi, want.lo, wok)
	}
}

// TestU96F32DivisorMatchesCheckedDiv compares Divide with CheckedDiv on
// divisors of every bit length (one word and two, every normalising
// shift), dividends at, just below and above the divisor, scaled-down
// parts of it (quotients of every size up to 1), the extremes, and
// random pairs.
func TestU96F32DivisorMatchesCheckedDiv(t *testing.T) {
	const m = math.MaxUint64
	edges := []U96F32{
		{0, 0}, {0, 1}, {0, 2}, {0, 1 << 63}, {0, m}, {1, 0}, {1, 1}, {1, m}, {2, 0},
		{1 << 31, 0}, {1 << 32, 0}, {1 << 63, 0}, {1<<63 - 1, m}, {m, m}, {m, m - 1}, {m, 0},
	}
	for _, d := range edges {
		for _, x := range edges {
			checkU96F32Divisor(t, x, d)
		}
	}
	rng := rand.New(rand.NewPCG(96, 33))
	word := func() uint64 { return rng.Uint64() >> uint(rng.IntN(65)) }
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	for k := range n {
		d := U96F32{word(), rng.Uint64()}
		if k%8 == 0 {
			d = U96F32{0, word()}
		}
		var x U96F32
		switch k % 5 {
		case 0: // anything
			x = U96F32{word(), rng.Uint64()}
		case 1: // at or just below d, or just above
			x = d
			x.lo -= uint64(rng.IntN(3))
			if x.lo > d.lo {
				x.hi--
			}
			if rng.IntN(4) == 0 {
				x = U96F32(U128(d).SaturatingAdd(U128{0, 1}))
			}
		case 2: // d scaled down: quotients of every size below 1
			s := uint(rng.IntN(128))
			if s < 64 {
				x = U96F32{d.hi >> s, d.lo>>s | d.hi<<(64-s)}
			} else {
				x = U96F32{0, d.hi >> (s - 64)}
			}
		default: // a part of a total: d is 64 parts' sum
			x = U96F32{d.hi >> 6, d.hi<<58 | d.lo>>6}
			x.lo += word() >> 8
		}
		checkU96F32Divisor(t, x, d)
	}
}

// TestU96F32DivisorDoesNotAllocate checks the prepared division.
func TestU96F32DivisorDoesNotAllocate(t *testing.T) {
	r := NewU96F32Divisor(U96F32{3, 12345})
	x := U96F32{1, 99}
	if a := testing.AllocsPerRun(100, func() { x, _ = r.Divide(x) }); a != 0 {
		t.Fatalf("Divide allocates %v times", a)
	}
}

func FuzzU96F32Divisor(f *testing.F) {
	f.Add(uint64(0), uint64(5), uint64(1), uint64(7))
	f.Add(uint64(1), uint64(0), uint64(3), uint64(1))
	f.Add(uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, xh, xl, dh, dl uint64) {
		checkU96F32Divisor(t, U96F32{xh, xl}, U96F32{dh, dl})
		// A part of d (x <= d), the fast path's domain.
		if dh != 0 {
			checkU96F32Divisor(t, U96F32{min(xh, dh), xl}, U96F32{dh, dl})
		}
	})
}
