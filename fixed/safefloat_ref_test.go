package fixed

import (
	"math"

	"github.com/holiman/uint256"
)

// The reference below is the straightforward SafeFloat implementation this
// package shipped before the fast one in safefloat.go: it computes in
// 256-bit integers and normalises one power of ten per step, exactly as
// SafeFloat::normalize in primitives/share-pool/src/lib.rs (14bc6f9f)
// loops. The differential tests in safefloat_diff_test.go compare every
// exported operation of the fast type against it bit for bit.

var (
	oldSFMax   = uint256.Int{3875820019684212736, 54} // 10^21
	oldSFMin   = uint256.Int{7766279631452241920, 5}  // 10^20
	oldSFTen   = uint256.Int{10}
	oldSFMaxU  = uint256.Int{math.MaxUint64}
	oldSFPow10 = func() (t [23]uint256.Int) {
		t[0].SetOne()
		for i := 1; i < len(t); i++ {
			t[i].Mul(&t[i-1], &oldSFTen)
		}
		return t
	}()
)

// oldCappow10 is the crate's cappow10: 10^k for k ≤ 22, else 10^22.
func oldCappow10(k uint64) *uint256.Int {
	if k > safeFloatMaxExp+1 {
		k = safeFloatMaxExp + 1
	}
	return &oldSFPow10[k]
}

// oldSafeFloatNormalize is SafeFloat::normalize one digit per step.
func oldSafeFloatNormalize(m *uint256.Int, e int64) (SafeFloat, bool) {
	if m.IsZero() {
		return SafeFloat{}, true
	}
	x := *m
	for x.Gt(&oldSFMax) {
		if e == math.MaxInt64 {
			return SafeFloat{}, false
		}
		x.Div(&x, &oldSFTen)
		e++
	}
	for !x.Gt(&oldSFMin) {
		if e == math.MinInt64 {
			return SafeFloat{}, false
		}
		x.Mul(&x, &oldSFTen)
		e--
	}
	return SafeFloat{u128{x[1], x[0]}, e}, true
}

func oldMant(x SafeFloat) uint256.Int { return uint256.Int{x.m.lo, x.m.hi} }

func oldNewSafeFloat(hi, lo uint64, exponent int64) (SafeFloat, bool) {
	m := uint256.Int{lo, hi}
	if m.Gt(&oldSFMax) {
		return SafeFloat{}, false
	}
	return oldSafeFloatNormalize(&m, exponent)
}

func oldSafeFloatFromParts(hi, lo uint64, exponent int64) (SafeFloat, bool) {
	m := uint256.Int{lo, hi}
	if m.IsZero() {
		return SafeFloat{}, exponent == 0
	}
	if m.Gt(&oldSFMax) || !m.Gt(&oldSFMin) {
		return SafeFloat{}, false
	}
	return SafeFloat{u128{hi, lo}, exponent}, true
}

func oldSafeFloatFromUint64(n uint64) SafeFloat {
	m := uint256.Int{n}
	f, _ := oldSafeFloatNormalize(&m, 0)
	return f
}

func oldSafeFloatFromU64F64(x U64F64) SafeFloat {
	hi, lo := x.Bits()
	if hi|lo == 0 {
		return SafeFloat{}
	}
	i := oldSafeFloatFromUint64(hi)
	two64, _ := oldNewSafeFloat(1, 0, 0)
	frac, ok := oldDiv(oldSafeFloatFromUint64(lo), two64)
	if !ok {
		frac = SafeFloat{}
	}
	r, ok := oldAdd(i, frac)
	if !ok {
		return SafeFloat{}
	}
	return r
}

func oldAlign(x, y SafeFloat) (a, b uint256.Int, e int64) {
	a, b = oldMant(x), oldMant(y)
	if x.e >= y.e {
		b.Div(&b, oldCappow10(uint64(x.e)-uint64(y.e)))
		return a, b, x.e
	}
	a.Div(&a, oldCappow10(uint64(y.e)-uint64(x.e)))
	return a, b, y.e
}

func oldAdd(x, y SafeFloat) (SafeFloat, bool) {
	if x.IsZero() {
		return y, true
	}
	if y.IsZero() {
		return x, true
	}
	a, b, e := oldAlign(x, y)
	a.Add(&a, &b)
	return oldSafeFloatNormalize(&a, e)
}

func oldSub(x, y SafeFloat) (SafeFloat, bool) {
	if x.IsZero() {
		return SafeFloat{}, y.IsZero()
	}
	if y.IsZero() {
		return x, true
	}
	a, b, e := oldAlign(x, y)
	if a.Lt(&b) {
		return SafeFloat{}, true
	}
	a.Sub(&a, &b)
	return oldSafeFloatNormalize(&a, e)
}

func oldMulDiv(x, y, z SafeFloat) (SafeFloat, bool) {
	if z.IsZero() {
		return SafeFloat{}, false
	}
	e, ok := addInt64(x.e, y.e)
	if !ok {
		return SafeFloat{}, false
	}
	if e, ok = subInt64(e, z.e); !ok {
		return SafeFloat{}, false
	}
	a, b, c := oldMant(x), oldMant(y), oldMant(z)
	a.Mul(&a, &b)
	a.Div(&a, &c)
	return oldSafeFloatNormalize(&a, e)
}

func oldDiv(x, y SafeFloat) (SafeFloat, bool) {
	if y.IsZero() {
		return SafeFloat{}, false
	}
	e, ok := divExponent(x.e, y.e)
	if !ok {
		return SafeFloat{}, false
	}
	a, b := oldMant(x), oldMant(y)
	a.Mul(&a, &oldSFMax)
	a.Div(&a, &b)
	return oldSafeFloatNormalize(&a, e)
}

func oldToUint64(x SafeFloat) uint64 {
	m := oldMant(x)
	switch {
	case x.e == 0:
	case x.e > 0:
		if _, overflow := m.MulOverflow(&m, oldCappow10(uint64(x.e))); overflow {
			return math.MaxUint64
		}
	default:
		m.Div(&m, oldCappow10(uint64(-(x.e+1))+1))
	}
	if m.Gt(&oldSFMaxU) {
		return math.MaxUint64
	}
	return m[0]
}
