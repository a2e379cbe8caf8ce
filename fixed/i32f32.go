package fixed

import (
	"math/bits"
	"strconv"
)

// I32F32 is substrate-fixed's I32F32 (FixedI64<U32>): a signed
// two's-complement 64-bit integer scaled by 2^-32. The zero value is 0. It
// is a plain value; every method has a value receiver and returns a new
// value, so values may be copied and shared freely.
type I32F32 struct{ bits int64 }

const (
	i32f32Frac     = 32
	i32f32FracMask = 1<<32 - 1
	i32f32One      = 1 << 32
	i32f32FracMSB  = 1 << 31
)

// I32F32FromBits returns the value whose raw i64 bits are b, i.e. b / 2^32.
func I32F32FromBits(b int64) I32F32 { return I32F32{b} }

// I32F32FromUint64 is saturating_from_num(u): exact when u < 2^31, else the
// maximum.
func I32F32FromUint64(u uint64) I32F32 {
	if u >= 1<<31 {
		return I32F32Max()
	}
	return I32F32{int64(u) << 32}
}

// I32F32FromInt64 is saturating_from_num(i): exact when -2^31 <= i < 2^31,
// else the nearest bound.
func I32F32FromInt64(i int64) I32F32 {
	switch {
	case i >= 1<<31:
		return I32F32Max()
	case i < -1<<31:
		return I32F32Min()
	}
	return I32F32{i << 32}
}

// I32F32FromFloat64 is from_num(f64): f rounded to the nearest multiple of
// 2^-32, ties to even. Out-of-range values saturate and NaN gives 0 (Rust
// panics on NaN and infinities). Use it for constants and tests only; chain
// arithmetic never goes through floats.
func I32F32FromFloat64(f float64) I32F32 {
	w := wideFromFloat64(f, i32f32Frac)
	b, _ := w.toInt64(i32f32Frac)
	return I32F32{b}
}

// ParseI32F32Bits parses the decimal raw bits written by BitsString (the
// vectors' "*_bits" fields), with an optional leading '-'. Errors wrap
// ErrSyntax or ErrRange.
func ParseI32F32Bits(s string) (I32F32, error) {
	v, err := parseBits128(s, true)
	if err != nil {
		return I32F32{}, err
	}
	b := int64(v.lo)
	if v.hi != uint64(b>>63) {
		return I32F32{}, errRange(s)
	}
	return I32F32{b}, nil
}

// I32F32Max returns the largest value, (2^63-1) / 2^32.
func I32F32Max() I32F32 { return I32F32{1<<63 - 1} }

// I32F32Min returns the smallest value, -2^31.
func I32F32Min() I32F32 { return I32F32{-1 << 63} }

// I32F32Delta returns the smallest positive value, 2^-32 (raw bits 1).
func I32F32Delta() I32F32 { return I32F32{1} }

// Bits returns the raw i64 bits.
func (x I32F32) Bits() int64 { return x.bits }

// BitsString returns the raw bits in decimal.
func (x I32F32) BitsString() string { return strconv.FormatInt(x.bits, 10) }

// IsZero reports whether x == 0.
func (x I32F32) IsZero() bool { return x.bits == 0 }

// IsNegative reports whether x < 0.
func (x I32F32) IsNegative() bool { return x.bits < 0 }

// Sign returns -1, 0 or +1 as x is negative, zero or positive.
func (x I32F32) Sign() int {
	switch {
	case x.bits < 0:
		return -1
	case x.bits > 0:
		return 1
	}
	return 0
}

// Cmp returns -1, 0 or +1 as x < y, x == y or x > y.
func (x I32F32) Cmp(y I32F32) int {
	switch {
	case x.bits < y.bits:
		return -1
	case x.bits > y.bits:
		return 1
	}
	return 0
}

// Less reports whether x < y.
func (x I32F32) Less(y I32F32) bool { return x.bits < y.bits }

// Add returns x + y, wrapping on overflow (Rust's + in a release build).
func (x I32F32) Add(y I32F32) I32F32 { return I32F32{x.bits + y.bits} }

// Sub returns x - y, wrapping on overflow (Rust's - in a release build).
func (x I32F32) Sub(y I32F32) I32F32 { return I32F32{x.bits - y.bits} }

// mulI32F32 returns the 128-bit product a*b shifted right arithmetically by
// 32 (floor), truncated to 64 bits, and whether the floored product is out
// of range.
func mulI32F32(a, b int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	// Two's complement correction of the unsigned product.
	if a < 0 {
		hi -= uint64(b)
	}
	if b < 0 {
		hi -= uint64(a)
	}
	r := int64(hi<<32 | lo>>32)
	// Bits 95..127 of the product must all equal the result's sign bit.
	top := int64(hi) >> 31
	return r, top != 0 && top != -1
}

// divI32F32 returns (a << 32) / b truncated toward zero, truncated to 64
// bits, and whether the quotient is out of range; b == 0 gives (0, true).
//
// A 128-by-64-bit division costs several times a 64-by-64-bit one, and the
// epoch's normalisations divide every cell of a row or column by its sum,
// so the magnitude quotient takes the narrow division wherever that is
// exact:
//   - |a| < 2^32 (a cell at most 1): the dividend |a|*2^32 fits 64 bits;
//   - |b| a whole number B*2^32 (a sum of integer weights):
//     floor(|a|*2^32 / (B*2^32)) = floor(|a| / B), below 2^64;
//   - otherwise, while |a|>>32 < |b|, the quotient is below 2^64 and one
//     128-bit division gives it;
//   - only a quotient of 2^64 or more (always an overflow) takes two.
func divI32F32(a, b int64) (int64, bool) {
	ma, mb := uint64(a), uint64(b)
	if a >= 0 && b > 0 {
		// The epoch's case, a non-negative quotient, with early returns.
		switch {
		case ma < 1<<32:
			q := ma << 32 / mb
			return int64(q), q >= 1<<63
		case mb&(1<<32-1) == 0:
			return int64(ma / (mb >> 32)), false // at most a
		case ma>>32 < mb:
			q, _ := bits.Div64(ma>>32, ma<<32, mb)
			return int64(q), q >= 1<<63
		}
	}
	if b == 0 {
		return 0, true
	}
	negQ := (a < 0) != (b < 0)
	if a < 0 {
		ma = -ma
	}
	if b < 0 {
		mb = -mb
	}
	var q uint64
	switch {
	case ma < 1<<32:
		q = ma << 32 / mb
	case mb&(1<<32-1) == 0:
		q = ma / (mb >> 32)
	case ma>>32 < mb:
		q, _ = bits.Div64(ma>>32, ma<<32, mb)
	default:
		// The quotient needs 65 bits or more: wrap it, flag the overflow.
		q, _ = bits.Div64((ma>>32)%mb, ma<<32, mb)
		if negQ {
			q = -q
		}
		return int64(q), true
	}
	if negQ {
		return int64(-q), q > 1<<63
	}
	return int64(q), q >= 1<<63
}

// Mul returns x * y: the 128-bit product shifted right by 32 bits (floor,
// toward -inf), wrapping on overflow (Rust's * in a release build).
func (x I32F32) Mul(y I32F32) I32F32 {
	r, _ := mulI32F32(x.bits, y.bits)
	return I32F32{r}
}

// Div returns x / y: (x << 32) / y in 128 bits, truncated toward zero,
// wrapping on overflow (Rust's / in a release build). Division by zero
// returns 0 where Rust panics.
func (x I32F32) Div(y I32F32) I32F32 {
	r, _ := divI32F32(x.bits, y.bits) // 0 for y == 0
	return I32F32{r}
}

// CheckedAdd returns x + y, or ok == false on overflow.
func (x I32F32) CheckedAdd(y I32F32) (z I32F32, ok bool) {
	s := x.bits + y.bits
	if (x.bits < 0) == (y.bits < 0) && (s < 0) != (x.bits < 0) {
		return I32F32{}, false
	}
	return I32F32{s}, true
}

// CheckedSub returns x - y, or ok == false on overflow.
func (x I32F32) CheckedSub(y I32F32) (z I32F32, ok bool) {
	s := x.bits - y.bits
	if (x.bits < 0) != (y.bits < 0) && (s < 0) != (x.bits < 0) {
		return I32F32{}, false
	}
	return I32F32{s}, true
}

// CheckedMul returns x * y (floored as Mul), or ok == false on overflow.
func (x I32F32) CheckedMul(y I32F32) (z I32F32, ok bool) {
	r, o := mulI32F32(x.bits, y.bits)
	if o {
		return I32F32{}, false
	}
	return I32F32{r}, true
}

// CheckedDiv returns x / y (truncated as Div), or ok == false when y == 0 or
// the quotient overflows.
func (x I32F32) CheckedDiv(y I32F32) (z I32F32, ok bool) {
	r, o := divI32F32(x.bits, y.bits) // y == 0 reports overflow
	if o {
		return I32F32{}, false
	}
	return I32F32{r}, true
}

// SafeDiv is subtensor's safe_div: CheckedDiv, or 0 when y == 0 or the
// quotient overflows (not saturation).
func (x I32F32) SafeDiv(y I32F32) I32F32 {
	r, o := divI32F32(x.bits, y.bits) // y == 0 reports overflow
	if o {
		return I32F32{}
	}
	return I32F32{r}
}

// SafeDivOr is subtensor's safe_div_or: CheckedDiv, or d when y == 0 or the
// quotient overflows.
func (x I32F32) SafeDivOr(y, d I32F32) I32F32 {
	if z, ok := x.CheckedDiv(y); ok {
		return z
	}
	return d
}

// SaturatingAdd returns x + y clamped to [I32F32Min(), I32F32Max()].
func (x I32F32) SaturatingAdd(y I32F32) I32F32 {
	if z, ok := x.CheckedAdd(y); ok {
		return z
	}
	if x.bits < 0 {
		return I32F32Min()
	}
	return I32F32Max()
}

// SaturatingSub returns x - y clamped to [I32F32Min(), I32F32Max()].
func (x I32F32) SaturatingSub(y I32F32) I32F32 {
	if z, ok := x.CheckedSub(y); ok {
		return z
	}
	if x.bits < 0 {
		return I32F32Min()
	}
	return I32F32Max()
}

// SaturatingMul returns x * y (floored as Mul) clamped to [I32F32Min(), I32F32Max()].
func (x I32F32) SaturatingMul(y I32F32) I32F32 {
	r, o := mulI32F32(x.bits, y.bits)
	if o {
		if (x.bits < 0) != (y.bits < 0) {
			return I32F32Min()
		}
		return I32F32Max()
	}
	return I32F32{r}
}

// SaturatingDiv returns x / y (truncated as Div) clamped to [I32F32Min(),
// I32F32Max()]. Division by zero, where Rust panics, gives I32F32Max() for
// x > 0, I32F32Min() for x < 0 and 0 for x == 0.
func (x I32F32) SaturatingDiv(y I32F32) I32F32 {
	if y.bits == 0 {
		switch {
		case x.bits > 0:
			return I32F32Max()
		case x.bits < 0:
			return I32F32Min()
		}
		return I32F32{}
	}
	r, o := divI32F32(x.bits, y.bits)
	if o {
		if (x.bits < 0) != (y.bits < 0) {
			return I32F32Min()
		}
		return I32F32Max()
	}
	return I32F32{r}
}

// Neg returns -x, wrapping (I32F32Min().Neg() == I32F32Min()).
func (x I32F32) Neg() I32F32 { return I32F32{-x.bits} }

// SaturatingNeg returns -x, with -I32F32Min() clamped to I32F32Max().
func (x I32F32) SaturatingNeg() I32F32 {
	if x.bits == -1<<63 {
		return I32F32Max()
	}
	return I32F32{-x.bits}
}

// Abs returns |x|, wrapping (I32F32Min().Abs() == I32F32Min()).
func (x I32F32) Abs() I32F32 {
	if x.bits < 0 {
		return I32F32{-x.bits}
	}
	return x
}

// SaturatingAbs returns |x|, with |I32F32Min()| clamped to I32F32Max().
func (x I32F32) SaturatingAbs() I32F32 {
	if x.bits < 0 {
		return x.SaturatingNeg()
	}
	return x
}

// Floor returns the largest integer <= x (the fractional bits cleared).
func (x I32F32) Floor() I32F32 { return I32F32{x.bits &^ i32f32FracMask} }

// Frac returns x - x.Floor(), always in [0, 1).
func (x I32F32) Frac() I32F32 { return I32F32{x.bits & i32f32FracMask} }

// Ceil returns the smallest integer >= x, saturating at I32F32Max() where
// Rust's ceil would wrap.
func (x I32F32) Ceil() I32F32 {
	if x.bits&i32f32FracMask == 0 {
		return x
	}
	return x.Floor().SaturatingAdd(I32F32{i32f32One})
}

// Round returns x rounded to the nearest integer, ties away from zero
// (substrate-fixed's round), saturating at I32F32Max() where Rust's round
// would wrap.
func (x I32F32) Round() I32F32 {
	fl := x.Floor()
	if x.bits&i32f32FracMSB == 0 {
		return fl
	}
	if x.bits < 0 && x.bits&i32f32FracMask == i32f32FracMSB {
		// -n.5 floors to -(n+1), which is away from zero already.
		return fl
	}
	return fl.SaturatingAdd(I32F32{i32f32One})
}

// raw sign-extends the bits to the 128-bit form the conversions take.
func (x I32F32) raw() u128 { return u128{uint64(x.bits >> 63), uint64(x.bits)} }

// SaturatingToUint64 is saturating_to_num::<u64>(): floor, then clamp to
// [0, 2^64-1].
func (x I32F32) SaturatingToUint64() uint64 {
	if x.bits < 0 {
		return 0
	}
	return uint64(x.bits >> 32)
}

// SaturatingToUint16 is saturating_to_num::<u16>(): floor, then clamp to
// [0, 65535].
func (x I32F32) SaturatingToUint16() uint16 {
	i := x.bits >> 32
	switch {
	case i < 0:
		return 0
	case i > 0xffff:
		return 0xffff
	}
	return uint16(i)
}

// SaturatingToInt64 is saturating_to_num::<i64>(): floor (always in range).
func (x I32F32) SaturatingToInt64() int64 { return x.bits >> 32 }

// CheckedToUint64 is checked_to_num::<u64>(): floor(x), or ok == false when
// x < 0.
func (x I32F32) CheckedToUint64() (uint64, bool) {
	if x.bits < 0 {
		return 0, false
	}
	return uint64(x.bits >> 32), true
}

// CheckedToInt64 is checked_to_num::<i64>(): floor(x), always in range.
func (x I32F32) CheckedToInt64() (int64, bool) { return x.bits >> 32, true }

// SaturatingToI32F32 returns x (the identity, for symmetry with the other types).
func (x I32F32) SaturatingToI32F32() I32F32 { return x }

// CheckedToI32F32 returns x, true (the identity, for symmetry with the other types).
func (x I32F32) CheckedToI32F32() (I32F32, bool) { return x, true }

// SaturatingToI64F64 is I64F64::saturating_from_num(x), always exact.
func (x I32F32) SaturatingToI64F64() I64F64 {
	v, _ := toI64F64(x.raw(), i32f32Frac, true)
	return v
}

// CheckedToI64F64 is I64F64::checked_from_num(x), always exact.
func (x I32F32) CheckedToI64F64() (I64F64, bool) { return x.SaturatingToI64F64(), true }

// SaturatingToU64F64 is U64F64::saturating_from_num(x): exact for x >= 0,
// 0 for x < 0.
func (x I32F32) SaturatingToU64F64() U64F64 {
	v, _ := toU64F64(x.raw(), i32f32Frac, true)
	return v
}

// CheckedToU64F64 is U64F64::checked_from_num(x): ok == false for x < 0.
func (x I32F32) CheckedToU64F64() (U64F64, bool) {
	if x.bits < 0 {
		return U64F64{}, false
	}
	return x.SaturatingToU64F64(), true
}

// SaturatingToI96F32 is I96F32::saturating_from_num(x), always exact.
func (x I32F32) SaturatingToI96F32() I96F32 {
	v, _ := toI96F32(x.raw(), i32f32Frac, true)
	return v
}

// CheckedToI96F32 is I96F32::checked_from_num(x), always exact.
func (x I32F32) CheckedToI96F32() (I96F32, bool) { return x.SaturatingToI96F32(), true }

// SaturatingToU96F32 is U96F32::saturating_from_num(x): exact for x >= 0,
// 0 for x < 0.
func (x I32F32) SaturatingToU96F32() U96F32 {
	v, _ := toU96F32(x.raw(), i32f32Frac, true)
	return v
}

// CheckedToU96F32 is U96F32::checked_from_num(x): ok == false for x < 0.
func (x I32F32) CheckedToU96F32() (U96F32, bool) {
	if x.bits < 0 {
		return U96F32{}, false
	}
	return x.SaturatingToU96F32(), true
}

// String returns the exact decimal value of x (every binary fraction has a
// finite decimal expansion), with no trailing zeros. substrate-fixed's
// Display instead prints the shortest decimal that round-trips.
func (x I32F32) String() string {
	m := uint64(x.bits)
	if x.bits < 0 {
		m = -m
	}
	var buf [64]byte
	return string(appendDecimal(buf[:0], x.bits < 0, u128{0, m >> 32}, m<<32))
}

// Float64 returns x as a float64 (rounded to nearest). For display and tests only.
func (x I32F32) Float64() float64 { return float64(x.bits) * 0x1p-32 }

// MarshalText encodes x as its decimal raw bits (BitsString).
func (x I32F32) MarshalText() ([]byte, error) {
	return strconv.AppendInt(nil, x.bits, 10), nil
}

// UnmarshalText decodes decimal raw bits (ParseI32F32Bits). On error x is
// left unchanged.
func (x *I32F32) UnmarshalText(text []byte) error {
	v, err := ParseI32F32Bits(string(text))
	if err != nil {
		return err
	}
	*x = v
	return nil
}
