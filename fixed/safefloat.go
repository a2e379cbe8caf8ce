package fixed

import (
	"math"

	"github.com/holiman/uint256"
)

// SafeFloat is the share-pool float of subtensor's share-pool crate
// (primitives/share-pool/src/lib.rs, SafeFloat): a u128 mantissa m and a
// base-10 i64 exponent e standing for m·10^e. Every value the operations
// return is normalised, 10^20 < m ≤ 10^21, or zero, stored as (0, 0); the
// zero value of the type is that zero.
//
// The operations compute in 256-bit integers and truncate, exactly as the
// crate does; where the crate returns None (an exponent leaving the i64
// range, a zero divisor, sub from a zero minuend) they report ok == false.
// Values are small comparable structs; no operation allocates.
type SafeFloat struct {
	m u128
	e int64
}

// safeFloatMaxExp is SAFE_FLOAT_MAX_EXP: the largest mantissa is 10^21.
const safeFloatMaxExp = 21

var (
	safeFloatMax = uint256.Int{3875820019684212736, 54} // 10^21
	safeFloatMin = uint256.Int{7766279631452241920, 5}  // 10^20
	uint256Ten   = uint256.Int{10}
	uint256MaxU  = uint256.Int{math.MaxUint64}
	pow10Table   = func() (t [23]uint256.Int) {
		t[0].SetOne()
		for i := 1; i < len(t); i++ {
			t[i].Mul(&t[i-1], &uint256Ten)
		}
		return t
	}()
)

// cappow10 is the crate's cappow10: 10^k for k ≤ 22, else 10^22.
func cappow10(k uint64) *uint256.Int {
	if k > safeFloatMaxExp+1 {
		k = safeFloatMaxExp + 1
	}
	return &pow10Table[k]
}

// safeFloatNormalize is SafeFloat::normalize: it scales m by powers of ten
// until 10^20 < m ≤ 10^21, moving the exponent one step per digit, and
// reports false when the exponent leaves the i64 range. Zero is (0, 0).
func safeFloatNormalize(m *uint256.Int, e int64) (SafeFloat, bool) {
	if m.IsZero() {
		return SafeFloat{}, true
	}
	x := *m
	for x.Gt(&safeFloatMax) {
		if e == math.MaxInt64 {
			return SafeFloat{}, false
		}
		x.Div(&x, &uint256Ten)
		e++
	}
	for !x.Gt(&safeFloatMin) {
		if e == math.MinInt64 {
			return SafeFloat{}, false
		}
		x.Mul(&x, &uint256Ten)
		e--
	}
	return SafeFloat{u128{x[1], x[0]}, e}, true
}

func (x SafeFloat) mant() uint256.Int { return uint256.Int{x.m.lo, x.m.hi} }

// NewSafeFloat is SafeFloat::new(mantissa, exponent) with the mantissa given
// as its two 64-bit words: ok == false when the mantissa exceeds 10^21 or
// normalising overflows the exponent.
func NewSafeFloat(hi, lo uint64, exponent int64) (SafeFloat, bool) {
	m := uint256.Int{lo, hi}
	if m.Gt(&safeFloatMax) {
		return SafeFloat{}, false
	}
	return safeFloatNormalize(&m, exponent)
}

// SafeFloatFromParts reads a SafeFloat as the chain stores it (AlphaV2,
// TotalHotkeySharesV2): ok only for a normalised value, 10^20 < mantissa ≤
// 10^21, or the zero (0, 0).
func SafeFloatFromParts(hi, lo uint64, exponent int64) (SafeFloat, bool) {
	m := uint256.Int{lo, hi}
	if m.IsZero() {
		return SafeFloat{}, exponent == 0
	}
	if m.Gt(&safeFloatMax) || !m.Gt(&safeFloatMin) {
		return SafeFloat{}, false
	}
	return SafeFloat{u128{hi, lo}, exponent}, true
}

// SafeFloatFromUint64 is the crate's From<u64>: n·10^0, normalised.
func SafeFloatFromUint64(n uint64) SafeFloat {
	m := uint256.Int{n}
	f, _ := safeFloatNormalize(&m, 0) // 21 steps down at most: cannot overflow
	return f
}

// SafeFloatFromU64F64 is the crate's From<U64F64>, the reading of a legacy
// share (Alpha, TotalHotkeyShares): int + frac.div(2^64) with int and frac
// the integer and fractional words of the bits, each a SafeFloat of its
// integer; a failed step gives zero, as the crate's unwrap_or_default.
func SafeFloatFromU64F64(x U64F64) SafeFloat {
	hi, lo := x.Bits()
	if hi|lo == 0 {
		return SafeFloat{}
	}
	i := SafeFloatFromUint64(hi)
	two64, _ := NewSafeFloat(1, 0, 0)
	frac, ok := SafeFloatFromUint64(lo).Div(two64)
	if !ok {
		frac = SafeFloat{}
	}
	r, ok := i.Add(frac)
	if !ok {
		return SafeFloat{}
	}
	return r
}

// Parts returns the mantissa as its two 64-bit words and the exponent.
func (x SafeFloat) Parts() (hi, lo uint64, exponent int64) { return x.m.hi, x.m.lo, x.e }

// IsZero reports whether the mantissa is zero.
func (x SafeFloat) IsZero() bool { return x.m.isZero() }

// align returns the mantissas of x and y aligned to the larger exponent (the
// smaller one divided by cappow10 of the difference) and that exponent, as
// the crate's add and sub do.
func (x SafeFloat) align(y SafeFloat) (a, b uint256.Int, e int64) {
	a, b = x.mant(), y.mant()
	if x.e >= y.e {
		// The true difference is below 2^64, so the wrapped subtraction is it.
		b.Div(&b, cappow10(uint64(x.e)-uint64(y.e)))
		return a, b, x.e
	}
	a.Div(&a, cappow10(uint64(y.e)-uint64(x.e)))
	return a, b, y.e
}

// Add is SafeFloat::add: x + y with the smaller operand truncated to the
// larger exponent; ok == false when normalising overflows the exponent.
func (x SafeFloat) Add(y SafeFloat) (SafeFloat, bool) {
	if x.IsZero() {
		return y, true
	}
	if y.IsZero() {
		return x, true
	}
	a, b, e := x.align(y)
	a.Add(&a, &b)
	return safeFloatNormalize(&a, e)
}

// Sub is SafeFloat::sub: x − y aligned as in Add and floored at zero. Zero
// minus zero is zero; zero minus a non-zero value fails (ok == false), as
// the crate returns None there.
func (x SafeFloat) Sub(y SafeFloat) (SafeFloat, bool) {
	if x.IsZero() {
		return SafeFloat{}, y.IsZero()
	}
	if y.IsZero() {
		return x, true
	}
	a, b, e := x.align(y)
	if a.Lt(&b) {
		return SafeFloat{}, true
	}
	a.Sub(&a, &b)
	return safeFloatNormalize(&a, e)
}

// MulDiv is SafeFloat::mul_div: x·y/z, the mantissa (m_x·m_y) div m_z and
// the exponent e_x + e_y − e_z; ok == false when z is zero or an exponent
// step overflows i64.
func (x SafeFloat) MulDiv(y, z SafeFloat) (SafeFloat, bool) {
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
	a, b, c := x.mant(), y.mant(), z.mant()
	a.Mul(&a, &b)
	a.Div(&a, &c)
	return safeFloatNormalize(&a, e)
}

// Div is SafeFloat::div, used by the legacy conversion: the mantissa
// (m_x·10^21) div m_y and the exponent e_x − e_y − 21; ok == false when y is
// zero or the exponent leaves the i64 range.
func (x SafeFloat) Div(y SafeFloat) (SafeFloat, bool) {
	if y.IsZero() {
		return SafeFloat{}, false
	}
	e, ok := divExponent(x.e, y.e)
	if !ok {
		return SafeFloat{}, false
	}
	a, b := x.mant(), y.mant()
	a.Mul(&a, &safeFloatMax)
	a.Div(&a, &b)
	return safeFloatNormalize(&a, e)
}

// ToUint64 is the crate's From<&SafeFloat> for u64: m·10^e truncated
// toward zero and saturated at 2^64 − 1 (the power of ten capped at 10^22).
func (x SafeFloat) ToUint64() uint64 {
	m := x.mant()
	switch {
	case x.e == 0:
	case x.e > 0:
		if _, overflow := m.MulOverflow(&m, cappow10(uint64(x.e))); overflow {
			return math.MaxUint64
		}
	default:
		m.Div(&m, cappow10(uint64(-(x.e+1))+1))
	}
	if m.Gt(&uint256MaxU) {
		return math.MaxUint64
	}
	return m[0]
}

// divExponent is e_x − e_y − 21 computed as the crate computes it, in
// i128, and ok when the result fits i64 (an overflowing e_x − e_y may come
// back into range).
func divExponent(ex, ey int64) (int64, bool) {
	d, ok := subInt64(ex, ey)
	if ok {
		return subInt64(d, safeFloatMaxExp)
	}
	if ex < ey {
		return 0, false // below −2^63 before the −21
	}
	// The true difference is d + 2^64 > 2^63 − 1; minus 21 it fits exactly
	// when the wrapped d − 21 is not negative.
	r := d - safeFloatMaxExp
	return r, r >= 0
}

func addInt64(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) == (b > 0)
}

func subInt64(a, b int64) (int64, bool) {
	d := a - b
	return d, (d < a) == (b > 0)
}
