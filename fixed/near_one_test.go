package fixed

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// checkNearOneDivisor checks, for the one-word divisor of raw bits dlo,
// that NewU64F64Divisor prepared the reciprocal the hardware division
// computes (floor((2^128 − 1)/d) − 2^64, d normalised) and that Divide
// of x is CheckedDiv's quotient.
func checkNearOneDivisor(t testing.TB, dlo uint64, x U64F64) {
	t.Helper()
	d := U64F64{0, dlo}
	r := NewU64F64Divisor(d)
	if dlo != 0 {
		s := uint(bits.LeadingZeros64(dlo))
		n0 := dlo << s
		v, _ := bits.Div64(^n0, ^uint64(0), n0)
		if r.s != s || r.n0 != n0 || r.n1 != 0 || r.v != v {
			t.Fatalf("NewU64F64Divisor(%#x): s %d n0 %#x n1 %#x v %#x, want s %d n0 %#x v %#x", dlo, r.s, r.n0, r.n1, r.v, s, n0, v)
		}
	}
	got, gok := r.Divide(x)
	want, wok := x.CheckedDiv(d)
	if got != want || gok != wok {
		t.Fatalf("(%#x:%#x) / %#x: %#x:%#x %v, CheckedDiv %#x:%#x %v", x.hi, x.lo, dlo, got.hi, got.lo, gok, want.hi, want.lo, wok)
	}
}

// TestU64F64DivisorNearOne: divisors 1 − e·2^-64 take their reciprocal e
// without a division (for 1 <= e < 2^32); it is the divided one for every
// e at the form's edges and at random, and the quotients of dividends at
// 0, 1, d − 1, d, above d and at random are CheckedDiv's. The divisors
// just outside the form (e = 2^32 and beyond) take the division.
// Adapted from emission's TestNearOneMatchesDivide (e71a58a), whose
// nearOne divisor this path replaces.
func TestU64F64DivisorNearOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 98))
	for _, e := range []uint64{1, 2, 3, 63, 64, 1 << 20, 1<<31 - 1, 1 << 31, 1<<31 + 1, 1<<32 - 2, 1<<32 - 1, 1 << 32, 1<<32 + 1, 1 << 40, 1 << 63} {
		dlo := -e
		for _, s := range []uint64{0, 1, 2, 1 << 63, dlo - 2, dlo - 1, dlo, dlo + 1, math.MaxUint64} {
			checkNearOneDivisor(t, dlo, U64F64{0, s})
		}
		checkNearOneDivisor(t, dlo, U64F64FromUint64(1))
		checkNearOneDivisor(t, dlo, U64F64{1, 5})
		checkNearOneDivisor(t, dlo, U64F64{math.MaxUint64, math.MaxUint64})
	}
	if r := NewU64F64Divisor(U64F64{0, math.MaxUint64}); r.v != 1 {
		t.Fatalf("1 − 2^-64: reciprocal %d, want 1", r.v)
	}
	n := 300_000
	if testing.Short() {
		n = 30_000
	}
	for range n {
		e := 1 + rng.Uint64N(1<<uint(1+rng.IntN(32))-1)
		dlo := -e
		s := rng.Uint64()
		if s > dlo {
			s -= e
		}
		if rng.IntN(4) == 0 {
			s = dlo - rng.Uint64N(1<<uint(rng.IntN(40)))
		}
		checkNearOneDivisor(t, dlo, U64F64{0, s})
	}
}

func FuzzU64F64DivisorNearOne(f *testing.F) {
	f.Add(uint64(63), uint64(1<<62), uint64(0))
	f.Add(uint64(1<<32-1), uint64(math.MaxUint64), uint64(0))
	f.Add(uint64(1), uint64(math.MaxUint64-1), uint64(1))
	f.Fuzz(func(t *testing.T, e, s, xh uint64) {
		checkNearOneDivisor(t, -(e%(1<<32-1) + 1), U64F64{xh % 3, s})
	})
}

func checkSaturatingMulUint64(t testing.TB, x U64F64, n uint64) {
	t.Helper()
	got := x.SaturatingMulUint64(n)
	want := U64F64FromUint64(n).SaturatingMul(x)
	if got != want {
		t.Fatalf("(%#x:%#x).SaturatingMulUint64(%d) = %#x:%#x, SaturatingMul %#x:%#x", x.hi, x.lo, n, got.hi, got.lo, want.hi, want.lo)
	}
}

// TestSaturatingMulUint64Matches compares SaturatingMulUint64 with
// SaturatingMul by U64F64FromUint64(n): fractions (the shares' case),
// values at and above 1, products at and beyond saturation, and random
// pairs of every bit length.
func TestSaturatingMulUint64Matches(t *testing.T) {
	const m = math.MaxUint64
	xs := []U64F64{{0, 0}, {0, 1}, {0, m}, {1, 0}, {1, m}, {2, 1}, {1 << 32, 0}, {m, m}, {m, 0}, {0, 1 << 63}}
	ns := []uint64{0, 1, 2, 1 << 32, 1<<32 + 1, 1 << 63, m - 1, m}
	for _, x := range xs {
		for _, n := range ns {
			checkSaturatingMulUint64(t, x, n)
		}
	}
	rng := rand.New(rand.NewPCG(7, 15))
	word := func() uint64 { return rng.Uint64() >> uint(rng.IntN(65)) }
	cnt := 1_000_000
	if testing.Short() {
		cnt = 50_000
	}
	for k := range cnt {
		x := U64F64{0, rng.Uint64()}
		if k%2 == 1 {
			x.hi = word()
		}
		checkSaturatingMulUint64(t, x, word())
	}
}

// TestSaturatingMulUint64DoesNotAllocate checks the product.
func TestSaturatingMulUint64DoesNotAllocate(t *testing.T) {
	x := U64F64{0, 12345}
	n := uint64(1_000_000_000)
	if a := testing.AllocsPerRun(100, func() { x = x.SaturatingMulUint64(n) }); a != 0 {
		t.Fatalf("SaturatingMulUint64 allocates %v times", a)
	}
}

func FuzzSaturatingMulUint64(f *testing.F) {
	f.Add(uint64(0), uint64(1<<63), uint64(1_000_000_000))
	f.Add(uint64(1), uint64(5), uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, xh, xl, n uint64) {
		checkSaturatingMulUint64(t, U64F64{xh, xl}, n)
	})
}
