package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// stakeSharesPrev is stakeShares as stakeWeights ran it before the
// reciprocal division, the reference of TestStakeSharesMatchesPrev and
// FuzzStakeSharesPrev: every non-zero total divided by a non-zero sum with
// I64F64.SafeDiv, then converted.
func stakeSharesPrev(dst []fixed.I32F32, x []fixed.I64F64, s fixed.I64F64) {
	for i := range x {
		v := x[i]
		if !s.IsZero() && !v.IsZero() {
			v = v.SafeDiv(s)
		}
		dst[i] = v.SaturatingToI32F32()
	}
}

// drawStakeCase draws totals as stakeWeights builds them (rao amounts,
// some with a fractional part from the TAO weight, some 0, a few at the
// extremes: I64F64's largest, negative ones as no caller builds but the
// function accepts) and their plain sum, which wraps for the largest.
func drawStakeCase(r bitSource) (x []fixed.I64F64, s fixed.I64F64) {
	n := r.IntN(40)
	x = make([]fixed.I64F64, n)
	for i := range x {
		switch r.IntN(12) {
		case 0: // 0
		case 1:
			x[i] = fixed.I64F64Max()
		case 2:
			x[i] = fixed.I64F64FromBits(^uint64(0)-uint64(r.IntN(1<<20)), uint64(r.IntN(1<<30))<<34)
		case 3:
			x[i] = fixed.I64F64FromBits(0, uint64(r.IntN(1<<30))<<20) // below 1
		case 4:
			x[i] = fixed.I64F64FromBits(uint64(r.IntN(1<<30))<<32|uint64(r.IntN(1<<30)), uint64(r.IntN(1<<30))<<34|uint64(r.IntN(1<<30)))
		default:
			x[i] = fixed.I64F64FromBits(uint64(r.IntN(1<<30))*uint64(1+r.IntN(1<<20)), uint64(r.IntN(1<<30))<<34)
		}
		s = s.Add(x[i])
	}
	switch r.IntN(8) {
	case 0: // another sum: totals above it, or a sum of 0
		if n > 0 {
			s = x[r.IntN(n)]
		}
	case 1:
		s = fixed.I64F64{}
	}
	return x, s
}

// checkStakeShares compares stakeShares with stakeSharesPrev.
func checkStakeShares(t *testing.T, x []fixed.I64F64, s fixed.I64F64) {
	t.Helper()
	got, want := make([]fixed.I32F32, len(x)), make([]fixed.I32F32, len(x))
	stakeShares(got, x, s)
	stakeSharesPrev(want, x, s)
	if !slices.Equal(got, want) {
		t.Fatalf("totals %v sum %v: %v, want %v", x, s, got, want)
	}
}

// TestStakeSharesMatchesPrev: stakeShares gives stakeSharesPrev's stakes
// on random totals and sums, and on constructed ones: a lone total (its
// share exactly 1, which takes SafeDiv), a total just below the sum, the
// smallest total, a sum that wrapped negative, and I64F64's largest.
func TestStakeSharesMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(47, 3))
	for range 5000 {
		x, s := drawStakeCase(r)
		checkStakeShares(t, x, s)
	}
	big := fixed.I64F64FromUint64(1_000_000_000_000)
	tiny := fixed.I64F64FromBits(0, 1)
	almost := big.Sub(tiny)
	for _, c := range [][]fixed.I64F64{
		{big},
		{almost, tiny},
		{tiny, tiny, fixed.I64F64{}},
		{fixed.I64F64Max(), fixed.I64F64Max()},
		{fixed.I64F64Max(), tiny},
		{fixed.I64F64FromUint64(1 << 62), fixed.I64F64FromUint64(1 << 62)},
	} {
		s := fixed.I64F64{}
		for _, v := range c {
			s = s.Add(v)
		}
		checkStakeShares(t, c, s)
		checkStakeShares(t, c, almost)
	}
}

// FuzzStakeSharesPrev compares stakeShares with stakeSharesPrev on totals
// drawn from the fuzz bytes.
func FuzzStakeSharesPrev(f *testing.F) {
	seedCorpus(f, 13)
	f.Fuzz(func(t *testing.T, b []byte) {
		x, s := drawStakeCase(&byteSource{b})
		checkStakeShares(t, x, s)
	})
}

// TestStakeSharesAllocs: stakeShares allocates nothing.
func TestStakeSharesAllocs(t *testing.T) {
	x, s := drawStakeCase(rand.New(rand.NewPCG(5, 5)))
	dst := make([]fixed.I32F32, len(x))
	if a := testing.AllocsPerRun(100, func() { stakeShares(dst, x, s) }); a != 0 {
		t.Fatalf("stakeShares allocates %v times", a)
	}
}
