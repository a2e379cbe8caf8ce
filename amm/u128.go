package amm

import (
	"math"
	"math/bits"

	"github.com/dtao-go/dtao/fixed"
)

// u128 is a U64F64 on the swap's hot path: raw bits hi·2^64 + lo, value =
// bits/2^64. The few operations the swap needs are specialised here on
// math/bits (one or two hardware divides instead of a generic 256-bit
// division), with exactly the semantics of package fixed's U64F64, which
// the tests check them against; values leave the package as fixed.U64F64.
type u128 struct{ hi, lo uint64 }

var (
	u128One = u128{hi: 1}
	u128Max = u128{hi: math.MaxUint64, lo: math.MaxUint64}
)

func (a u128) fixed() fixed.U64F64 { return fixed.U64F64FromBits(a.hi, a.lo) }

func u128Of(f fixed.U64F64) u128 {
	hi, lo := f.Bits()
	return u128{hi, lo}
}

func (a u128) cmp(b u128) int {
	switch {
	case a.hi < b.hi:
		return -1
	case a.hi > b.hi:
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

func (a u128) isZero() bool { return a.hi|a.lo == 0 }

// ratio is U64F64::from(a).safe_div(U64F64::from(b)) for integers a, b:
// floor(a·2^64/b), 0 when b is 0. The quotient is below 2^128, so the
// chain's overflow case cannot occur.
func ratio(a, b uint64) u128 {
	if b == 0 {
		return u128{}
	}
	q, r := a/b, a%b
	lo, _ := bits.Div64(r, 0, b)
	return u128{q, lo}
}

// mulSat is U64F64 saturating_mul: floor(a·b/2^64), saturated at 2^128−1.
func mulSat(a, b u128) u128 {
	h0, _ := bits.Mul64(a.lo, b.lo)
	h1, l1 := bits.Mul64(a.lo, b.hi)
	h2, l2 := bits.Mul64(a.hi, b.lo)
	h3, l3 := bits.Mul64(a.hi, b.hi)
	// word 1 = h0 + l1 + l2, word 2 = h1 + h2 + l3 + carries, word 3 = h3 + carries.
	w1, c := bits.Add64(h0, l1, 0)
	w1, c2 := bits.Add64(w1, l2, 0)
	w2, c3 := bits.Add64(h1, h2, c)
	w2, c4 := bits.Add64(w2, l3, c2)
	if h3 != 0 || c3 != 0 || c4 != 0 {
		return u128Max
	}
	return u128{w2, w1}
}

// subSat is saturating_sub.
func subSat(a, b u128) u128 {
	lo, borrow := bits.Sub64(a.lo, b.lo, 0)
	hi, borrow2 := bits.Sub64(a.hi, b.hi, borrow)
	if borrow2 != 0 {
		return u128{}
	}
	return u128{hi, lo}
}

// mulInt is U64F64::from(n).saturating_mul(a).saturating_to_num::<u64>():
// floor(n·a) saturated at u64::MAX.
func mulInt(n uint64, a u128) uint64 {
	hi, _ := bits.Mul64(n, a.lo)
	h2, l2 := bits.Mul64(n, a.hi)
	w1, c := bits.Add64(hi, l2, 0)
	if h2 != 0 || c != 0 {
		return math.MaxUint64
	}
	return w1
}
