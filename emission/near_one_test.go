package emission

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// checkNearOne compares nearOne's quotient with CheckedDiv (0 where it
// fails, as the shares' SafeDiv takes it) for d of raw bits (0, dlo).
func checkNearOne(t testing.TB, dlo uint64, x fixed.U64F64) {
	t.Helper()
	d := fixed.U64F64FromBits(0, dlo)
	n, ok := newNearOne(d)
	e := -dlo
	if want := dlo != 0 && e <= 1<<31; ok != want {
		t.Fatalf("newNearOne(%v): ok %v, want %v", d, ok, want)
	}
	if !ok {
		return
	}
	want, _ := x.CheckedDiv(d)
	if got := n.divide(x); got != want {
		t.Fatalf("%v / %v: %v, CheckedDiv %v", x, d, got, want)
	}
}

// nearOne's quotient is CheckedDiv's for divisors from 1 − 2^-64 to
// 1 − 2^-33 and every dividend up to the divisor (the shares' case:
// random, and at 0, 1, d − 1 and d), and above it, and divisors outside
// its form are refused.
func TestNearOneMatchesDivide(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 98))
	for _, e := range []uint64{1, 2, 63, 64, 1 << 20, 1<<31 - 1, 1 << 31} {
		dlo := -e
		for _, s := range []uint64{0, 1, 2, 1 << 63, dlo - 2, dlo - 1, dlo, dlo + 1, math.MaxUint64} {
			checkNearOne(t, dlo, fixed.U64F64FromBits(0, s))
		}
		checkNearOne(t, dlo, fixed.U64F64FromUint64(1))
		checkNearOne(t, dlo, fixed.U64F64FromBits(math.MaxUint64, math.MaxUint64))
	}
	for _, dlo := range []uint64{0, 1, 1 << 63, math.MaxUint64 - 1<<31} {
		checkNearOne(t, dlo, fixed.U64F64FromBits(0, 1))
	}
	for range 300_000 {
		e := 1 + rng.Uint64N(1<<uint(1+rng.IntN(31)))
		dlo := -e
		s := rng.Uint64()
		if s > dlo {
			s -= e
		}
		if rng.IntN(4) == 0 {
			s = dlo - rng.Uint64N(1<<uint(rng.IntN(40)))
		}
		checkNearOne(t, dlo, fixed.U64F64FromBits(0, s))
	}
}

func FuzzNearOne(f *testing.F) {
	f.Add(uint64(63), uint64(1<<62), uint64(0))
	f.Add(uint64(1<<31), uint64(math.MaxUint64), uint64(0))
	f.Add(uint64(1), uint64(math.MaxUint64-1), uint64(1))
	f.Fuzz(func(t *testing.T, e, s, xh uint64) {
		checkNearOne(t, -(e%(1<<31) + 1), fixed.U64F64FromBits(xh%2, s))
	})
}
