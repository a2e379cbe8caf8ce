package fixed

import (
	"math"
	"math/rand/v2"
	"testing"
)

// checkDivideEach compares DivideEach on xs with Divide element by
// element (0 where Divide reports false) and the returned sum with the
// SaturatingAdd of those quotients in order.
func checkDivideEach(t testing.TB, d U64F64, xs []U64F64) {
	t.Helper()
	r := NewU64F64Divisor(d)
	got := append([]U64F64(nil), xs...)
	sum := r.DivideEach(got)
	var want U64F64
	for k, x := range xs {
		q, ok := r.Divide(x)
		if !ok {
			q = U64F64{}
		}
		if got[k] != q {
			t.Fatalf("NewU64F64Divisor(%#x:%#x).DivideEach: [%d] (%#x:%#x) = %#x:%#x, Divide %#x:%#x %v",
				d.hi, d.lo, k, x.hi, x.lo, got[k].hi, got[k].lo, q.hi, q.lo, ok)
		}
		want = want.SaturatingAdd(q)
	}
	if sum != want {
		t.Fatalf("NewU64F64Divisor(%#x:%#x).DivideEach(%d values): sum %#x:%#x, want %#x:%#x", d.hi, d.lo, len(xs), sum.hi, sum.lo, want.hi, want.lo)
	}
}

// TestDivideEachMatchesDivide compares DivideEach with Divide on the
// divisors of TestU64F64DivisorMatchesCheckedDiv's edges (zero, one word,
// two words, near one) against every edge numerator at once (values at,
// below and above the divisor, overflowing quotients, sums that
// saturate), and on random divisors of every bit length with batches of
// numerators below them (the shares' case), just below them and anywhere.
func TestDivideEachMatchesDivide(t *testing.T) {
	const m = math.MaxUint64
	edges := []U64F64{
		{0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 1 << 63}, {0, 1<<63 - 1}, {0, 1<<63 + 1}, {0, m}, {0, m - 1},
		{0, nearOneFloor}, {0, nearOneFloor + 1}, {0, m - 12345},
		{1, 0}, {1, 1}, {1, m}, {1 << 63, 0}, {1<<63 - 1, m}, {m, m}, {m, m - 1}, {m, 0}, {0x8000000000000001, 0},
	}
	for _, d := range edges {
		checkDivideEach(t, d, edges)
		checkDivideEach(t, d, nil)
	}
	rng := rand.New(rand.NewPCG(14, 77))
	word := func() uint64 { return rng.Uint64() >> uint(rng.IntN(65)) }
	n := 50_000
	if testing.Short() {
		n = 5_000
	}
	xs := make([]U64F64, 0, 64)
	for k := range n {
		var d U64F64
		switch k % 4 {
		case 0:
			d = U64F64{0, word()}
		case 1:
			d = U64F64{word(), rng.Uint64()}
		case 2: // just below 1, as a sum of floored shares
			d = U64F64{0, -(rng.Uint64N(1<<32-1) + 1)}
		default: // two words, the low one near 2^64 (the trial quotient's
			// corrections: a large n0 below a small n1)
			d = U64F64{word() | 1, -rng.Uint64N(1 << 20)}
		}
		xs = xs[:0]
		for range rng.IntN(65) {
			var x U64F64
			switch rng.IntN(5) {
			case 0: // anything
				x = U64F64{word(), rng.Uint64()}
			case 4: // below d with the same top bits, any low ones
				x = U64F64{d.hi, rng.Uint64()}
				if d.hi > 0 && rng.IntN(2) == 0 {
					x.hi = d.hi - 1
				}
			case 1: // just below d
				x = d
				x.lo -= uint64(rng.IntN(3))
				if x.lo > d.lo {
					x.hi--
				}
			default: // d scaled down
				s := uint(rng.IntN(128))
				if s < 64 {
					x = U64F64{d.hi >> s, d.lo>>s | d.hi<<(64-s)}
				} else {
					x = U64F64{0, d.hi >> (s - 64)}
				}
			}
			xs = append(xs, x)
		}
		checkDivideEach(t, d, xs)
	}
}

// FuzzDivideEach compares DivideEach with Divide on three numerators.
func FuzzDivideEach(f *testing.F) {
	f.Add(uint64(0), uint64(5), uint64(0), uint64(3), uint64(1), uint64(0), uint64(0), uint64(7))
	f.Add(uint64(1), uint64(0), uint64(0), ^uint64(0), uint64(3), uint64(1), uint64(2), uint64(1))
	f.Fuzz(func(t *testing.T, ah, al, bh, bl, ch, cl, dh, dl uint64) {
		checkDivideEach(t, U64F64{dh, dl}, []U64F64{{ah, al}, {bh, bl}, {ch, cl}})
	})
}

func TestDivideEachAllocs(t *testing.T) {
	xs := make([]U64F64, 64)
	r := NewU64F64Divisor(U64F64{3, 12345})
	if n := testing.AllocsPerRun(100, func() {
		for i := range xs {
			xs[i] = U64F64{0, uint64(i) << 50}
		}
		sinkU64F64 = r.DivideEach(xs)
	}); n != 0 {
		t.Fatalf("DivideEach: %v allocations, want 0", n)
	}
}

// divideBelow's two-word loop tells x < d from x's top word and the
// shifted top word alone (x.hi <= 2^(64−s) − 1, so that x<<s fits, and
// then u2 < n1): for every normalising shift s, numerators at that bound
// and one past it (x<<s just fitting and overflowing), at d and around
// it, below d by one top word (u2 = n1 − 1) and within it (u2 = n1),
// each between numerators well below d so that the loop runs on past
// the ones it divides.
func TestDivideEachTwoWordBounds(t *testing.T) {
	const m = math.MaxUint64
	rng := rand.New(rand.NewPCG(14, 78))
	for s := range 64 {
		for range 20 {
			d := U64F64{uint64(1)<<(63-s) | rng.Uint64()>>(s+1), rng.Uint64()}
			hiMax := uint64(m) >> s
			low := U64F64{d.hi >> 1, rng.Uint64()}
			xs := []U64F64{low,
				{hiMax, m}, low, {hiMax, 0}, low,
				{hiMax + 1, 0}, low, {m, m}, low,
				d, low, d.Sub(U64F64{0, 1}), low, d.Add(U64F64{0, 1}), low,
				{d.hi, 0}, low, {d.hi - 1, m}, low,
				d.Sub(U64F64{0, uint64(1) << (64 - s) >> 1}), low,
			}
			if s == 0 {
				xs = xs[:5] // hiMax is m: no top word overflows
			}
			checkDivideEach(t, d, xs)
		}
	}
}
