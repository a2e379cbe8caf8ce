package fixed

import (
	"math"
	"math/bits"
)

// u128 is the raw two's-complement bit pattern shared by the four 128-bit
// fixed-point types. Each of them is a defined type over the same struct, so
// converting between a public type and u128 is free.
type u128 struct{ hi, lo uint64 }

func (a u128) isZero() bool { return a.hi|a.lo == 0 }

// neg reports whether the sign bit is set (meaningful for signed types only).
func (a u128) neg() bool { return int64(a.hi) < 0 }

func (a u128) add(b u128) u128 {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, _ := bits.Add64(a.hi, b.hi, c)
	return u128{hi, lo}
}

func (a u128) sub(b u128) u128 {
	lo, c := bits.Sub64(a.lo, b.lo, 0)
	hi, _ := bits.Sub64(a.hi, b.hi, c)
	return u128{hi, lo}
}

// negate returns the two's-complement negation (wrapping).
func (a u128) negate() u128 {
	lo, c := bits.Sub64(0, a.lo, 0)
	hi, _ := bits.Sub64(0, a.hi, c)
	return u128{hi, lo}
}

// addOverflow adds with wrapping and reports whether the true sum is out of
// range for the signed or unsigned 128-bit type.
func (a u128) addOverflow(b u128, signed bool) (u128, bool) {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, c := bits.Add64(a.hi, b.hi, c)
	r := u128{hi, lo}
	if signed {
		return r, a.neg() == b.neg() && r.neg() != a.neg()
	}
	return r, c != 0
}

// subOverflow subtracts with wrapping and reports out-of-range results.
func (a u128) subOverflow(b u128, signed bool) (u128, bool) {
	lo, c := bits.Sub64(a.lo, b.lo, 0)
	hi, c := bits.Sub64(a.hi, b.hi, c)
	r := u128{hi, lo}
	if signed {
		return r, a.neg() != b.neg() && r.neg() != a.neg()
	}
	return r, c != 0
}

// subSatUnsigned is unsigned saturating subtraction: a - b, or 0 when
// b > a. It is small enough to inline, which the generic subOverflow with
// its sign handling is not once wrapped in SaturatingSub.
func (a u128) subSatUnsigned(b u128) u128 {
	lo, c := bits.Sub64(a.lo, b.lo, 0)
	hi, c := bits.Sub64(a.hi, b.hi, c)
	if c != 0 {
		return u128{}
	}
	return u128{hi, lo}
}

// addSatUnsigned is unsigned saturating addition: a + b, or 2^128 - 1 on
// overflow.
func (a u128) addSatUnsigned(b u128) u128 {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, c := bits.Add64(a.hi, b.hi, c)
	if c != 0 {
		return u128{^uint64(0), ^uint64(0)}
	}
	return u128{hi, lo}
}

// cmp compares as signed or unsigned 128-bit integers.
func (a u128) cmp(b u128, signed bool) int {
	ah, bh := a.hi, b.hi
	if signed {
		// Flipping the sign bit maps two's complement order onto unsigned order.
		ah ^= 1 << 63
		bh ^= 1 << 63
	}
	switch {
	case ah < bh:
		return -1
	case ah > bh:
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

// abs returns the magnitude of a signed value as an unsigned u128; the
// magnitude of the minimum (2^127) fits.
func (a u128) abs(signed bool) u128 {
	if signed && a.neg() {
		return a.negate()
	}
	return a
}

// mulShr returns the full product a*b shifted right by frac bits (32, 64,
// or unsigned between 64 and 128; an
// arithmetic shift for signed types, so the result is the floor of the exact
// quotient), truncated to 128 bits, and whether the floored product is out of
// range. This is substrate-fixed's mul_overflow for 128-bit representations.
func mulShr(a, b u128, frac uint, signed bool) (u128, bool) {
	if a.hi|b.hi == 0 && !signed && frac >= 32 && frac < 128 {
		// Both raw values below 2^64: the product is two words, and
		// shifted right by 32 or more it fits 128 bits (no overflow).
		h, l := bits.Mul64(a.lo, b.lo)
		if frac < 64 {
			return u128{h >> frac, h<<(64-frac) | l>>frac}, false
		}
		return u128{0, h >> (frac - 64)}, false
	}
	// Unsigned 256-bit product of the raw bit patterns.
	h00, l00 := bits.Mul64(a.lo, b.lo)
	h01, l01 := bits.Mul64(a.lo, b.hi)
	h10, l10 := bits.Mul64(a.hi, b.lo)
	h11, l11 := bits.Mul64(a.hi, b.hi)
	p0 := l00
	p1, c := bits.Add64(h00, l01, 0)
	p2, c2 := bits.Add64(h01, l11, c)
	p3 := h11 + c2
	p1, c = bits.Add64(p1, l10, 0)
	p2, c2 = bits.Add64(p2, h10, c)
	p3 += c2
	if signed {
		// Two's complement correction: a negative operand x stands for
		// x - 2^128, so subtract the other operand from the upper half.
		if a.neg() {
			p2, c = bits.Sub64(p2, b.lo, 0)
			p3, _ = bits.Sub64(p3, b.hi, c)
		}
		if b.neg() {
			p2, c = bits.Sub64(p2, a.lo, 0)
			p3, _ = bits.Sub64(p3, a.hi, c)
		}
	}
	var q0, q1, q2, q3 uint64
	switch frac {
	case 64:
		q0, q1, q2 = p1, p2, p3
		if signed {
			q3 = uint64(int64(p3) >> 63)
		}
	case 32:
		q0 = p0>>32 | p1<<32
		q1 = p1>>32 | p2<<32
		q2 = p2>>32 | p3<<32
		if signed {
			q3 = uint64(int64(p3) >> 32)
		} else {
			q3 = p3 >> 32
		}
	default:
		// 64 < frac < 128, unsigned: the fixed-point products of
		// internal/bigpow's bounded power (U128.MulShr).
		if signed || frac <= 64 || frac >= 128 {
			panic("fixed: unsupported fractional bit count")
		}
		s := frac - 64
		q0 = p1>>s | p2<<(64-s)
		q1 = p2>>s | p3<<(64-s)
		q2 = p3 >> s
	}
	r := u128{q1, q0}
	var ext uint64
	if signed {
		ext = uint64(int64(q1) >> 63)
	}
	return r, q2 != ext || q3 != ext
}

// mulU64F64 is mulShr(a, b, 64, false) without the generic shift and sign
// dispatch, for U64F64 (the swap's price type): bits 64..191 of the 256-bit
// product a*b, i.e. floor(a*b / 2^64) wrapped to 128 bits, and whether the
// floored product needs more than 128 bits. The lowest word of the product
// only feeds carries into bit 64 through its high half, so it is not formed.
func mulU64F64(a, b u128) (u128, bool) {
	h0, _ := bits.Mul64(a.lo, b.lo)
	h1, l1 := bits.Mul64(a.lo, b.hi)
	h2, l2 := bits.Mul64(a.hi, b.lo)
	h3, l3 := bits.Mul64(a.hi, b.hi)
	// word 1 = h0 + l1 + l2; word 2 = h1 + h2 + l3 + carries; word 3 = h3 + carries.
	w1, c := bits.Add64(h0, l1, 0)
	w1, c2 := bits.Add64(w1, l2, 0)
	w2, c3 := bits.Add64(h1, h2, c)
	w2, c4 := bits.Add64(w2, l3, c2)
	return u128{w2, w1}, h3|c3|c4 != 0
}

// mulSatU64F64 is mulU64F64 saturated at 2^128 - 1 (U64F64's
// saturating_mul). It repeats the kernel rather than calling it so that
// SaturatingMul inlines to this one call.
func mulSatU64F64(a, b u128) u128 {
	h0, _ := bits.Mul64(a.lo, b.lo)
	h1, l1 := bits.Mul64(a.lo, b.hi)
	h2, l2 := bits.Mul64(a.hi, b.lo)
	h3, l3 := bits.Mul64(a.hi, b.hi)
	w1, c := bits.Add64(h0, l1, 0)
	w1, c2 := bits.Add64(w1, l2, 0)
	w2, c3 := bits.Add64(h1, h2, c)
	w2, c4 := bits.Add64(w2, l3, c2)
	if h3|c3|c4 != 0 {
		return u128{^uint64(0), ^uint64(0)}
	}
	return u128{w2, w1}
}

// mulU96F32 is mulShr(a, b, 32, false) without the generic shift and sign
// dispatch, for U96F32 (the emission's type): bits 32..159 of the 256-bit
// product a*b, i.e. floor(a*b / 2^32) wrapped to 128 bits, and whether the
// floored product needs more than 128 bits (a bit of 160 or above set).
// Where both raw values are below 2^64 the product is two words and
// shifted right by 32 always fits, as in mulShr.
func mulU96F32(a, b u128) (u128, bool) {
	if a.hi|b.hi == 0 {
		h, l := bits.Mul64(a.lo, b.lo)
		return u128{h >> 32, h<<32 | l>>32}, false
	}
	h0, l0 := bits.Mul64(a.lo, b.lo)
	h1, l1 := bits.Mul64(a.lo, b.hi)
	h2, l2 := bits.Mul64(a.hi, b.lo)
	h3, l3 := bits.Mul64(a.hi, b.hi)
	// word 1 = h0 + l1 + l2; word 2 = h1 + h2 + l3 + carries; word 3 = h3 + carries.
	w1, c := bits.Add64(h0, l1, 0)
	w1, c2 := bits.Add64(w1, l2, 0)
	w2, c3 := bits.Add64(h1, h2, c)
	w2, c4 := bits.Add64(w2, l3, c2)
	return u128{w2<<32 | w1>>32, w1<<32 | l0>>32}, h3|c3|c4|w2>>32 != 0
}

// mulSatU96F32 is mulU96F32 saturated at 2^128 - 1 (U96F32's
// saturating_mul). It repeats the kernel rather than calling it, as
// mulSatU64F64 does.
//
// Where one operand is below 2^64 (a take or a share below 1 times an
// amount, the emission's usual product) the product is three words from
// two word products, x·y = (x.hi·y)·2^64 + x.lo·y for y the one-word
// operand: the same 256-bit product with its fourth word 0, shifted and
// saturated the same way (a bit of 160 or above set: w2>>32 != 0).
func mulSatU96F32(a, b u128) u128 {
	if a.hi|b.hi == 0 {
		h, l := bits.Mul64(a.lo, b.lo)
		return u128{h >> 32, h<<32 | l>>32}
	}
	if a.hi == 0 || b.hi == 0 {
		x, y := a, b.lo
		if b.hi != 0 {
			x, y = b, a.lo
		}
		h0, l0 := bits.Mul64(x.lo, y)
		h1, l1 := bits.Mul64(x.hi, y)
		w1, c := bits.Add64(h0, l1, 0)
		w2 := h1 + c
		if w2>>32 != 0 {
			return u128{^uint64(0), ^uint64(0)}
		}
		return u128{w2<<32 | w1>>32, w1<<32 | l0>>32}
	}
	h0, l0 := bits.Mul64(a.lo, b.lo)
	h1, l1 := bits.Mul64(a.lo, b.hi)
	h2, l2 := bits.Mul64(a.hi, b.lo)
	h3, l3 := bits.Mul64(a.hi, b.hi)
	w1, c := bits.Add64(h0, l1, 0)
	w1, c2 := bits.Add64(w1, l2, 0)
	w2, c3 := bits.Add64(h1, h2, c)
	w2, c4 := bits.Add64(w2, l3, c2)
	if h3|c3|c4|w2>>32 != 0 {
		return u128{^uint64(0), ^uint64(0)}
	}
	return u128{w2<<32 | w1>>32, w1<<32 | l0>>32}
}

// divShl returns (a << frac) / b truncated toward zero, truncated to 128
// bits, and whether the quotient is out of range. b must not be zero. This is
// substrate-fixed's div_overflow for 128-bit representations.
func divShl(a, b u128, frac uint, signed bool) (u128, bool) {
	negQ := signed && a.neg() != b.neg()
	ma, mb := a.abs(signed), b.abs(signed)
	var q0, q1, q2 uint64
	if mb.hi == 0 {
		// Fast path: schoolbook division of three words by one.
		var n0, n1, n2 uint64
		switch frac {
		case 64:
			n0, n1, n2 = 0, ma.lo, ma.hi
		case 32:
			n0, n1, n2 = ma.lo<<32, ma.hi<<32|ma.lo>>32, ma.hi>>32
		default:
			panic("fixed: unsupported fractional bit count")
		}
		d := mb.lo
		r := n2 // q2 = 0 for n2 < d (the usual case): no division
		if n2 >= d {
			q2, r = n2/d, n2%d
		}
		q1, r = bits.Div64(r, n1, d)
		q0, _ = bits.Div64(r, n0, d)
	} else if ma.hi < mb.hi || ma.hi == mb.hi && ma.lo < mb.lo {
		// |a| < |b| (a root proportion, a share): the quotient is below
		// 2^frac ≤ 2^64, and the numerator's top two words,
		// floor(|a|·2^frac/2^64) ≤ |a|, are below |b|: one 3-by-2 word
		// step gives it (div3by2q, the quotient quoWide's second step
		// computes). The shifts are |a|·2^frac in three words for any
		// frac ≤ 64 (Go's shift by 64 gives 0).
		n2, n1, n0 := ma.hi>>(64-frac), ma.hi<<frac|ma.lo>>(64-frac), ma.lo<<frac
		q0 = div3by2q(n2, n1, n0, mb.hi, mb.lo)
	} else {
		// mb ≥ 2^64 and ma·2^frac < 2^192: the quotient is below 2^128,
		// two 3-by-2 word steps of Knuth's algorithm D (quoWide).
		q, _ := U128(ma).QuoShl(U128(mb), frac)
		q0, q1 = q.lo, q.hi
	}
	r := u128{q1, q0}
	var ovf bool
	switch {
	case q2 != 0:
		ovf = true
	case !signed:
		ovf = false
	case negQ:
		ovf = r.hi > 1<<63 || (r.hi == 1<<63 && r.lo != 0)
	default:
		ovf = r.hi >= 1<<63
	}
	if negQ {
		r = r.negate()
	}
	return r, ovf
}

// u128ToFloat64 returns m / 2^frac rounded to the nearest float64, ties to
// even.
func u128ToFloat64(m u128, frac int) float64 {
	if m.hi == 0 {
		return math.Ldexp(float64(m.lo), -frac)
	}
	// Keep the top 64 bits and fold the dropped ones into a sticky bit, so
	// that the conversion of the 64-bit value rounds as the whole would.
	s := bits.Len64(m.hi)
	top := m.hi<<(64-s) | m.lo>>s
	if m.lo<<(64-s) != 0 {
		top |= 1
	}
	return math.Ldexp(float64(top), s-frac)
}

// U128 is Rust's u128: an unsigned 128-bit integer, as the chain stores
// RootClaimed (pallets/subtensor/src/lib.rs). The zero value is 0. Like the
// fixed-point types it is a plain value with value receivers.
type U128 struct{ hi, lo uint64 }

// U128FromUint64 returns u as a U128 (u128::from(u64), always exact).
func U128FromUint64(u uint64) U128 { return U128{0, u} }

// U128FromBits returns hi<<64 | lo.
func U128FromBits(hi, lo uint64) U128 { return U128{hi, lo} }

// U128Max returns u128::MAX, 2^128 - 1.
func U128Max() U128 { return U128{^uint64(0), ^uint64(0)} }

// ParseU128 parses a decimal integer in [0, 2^128-1] (digits only, no sign).
// Errors wrap ErrSyntax or ErrRange.
func ParseU128(s string) (U128, error) {
	v, err := parseBits128(s, false)
	return U128(v), err
}

// Bits returns the high and low 64-bit words.
func (x U128) Bits() (hi, lo uint64) { return x.hi, x.lo }

// IsZero reports whether x == 0.
func (x U128) IsZero() bool { return u128(x).isZero() }

// Cmp returns -1, 0 or +1 as x is less than, equal to or greater than y.
func (x U128) Cmp(y U128) int { return u128(x).cmp(u128(y), false) }

// Add returns x + y modulo 2^128 (Rust's + in a release build).
func (x U128) Add(y U128) U128 { return U128(u128(x).add(u128(y))) }

// SaturatingAdd returns x + y, or 2^128 - 1 on overflow (u128::saturating_add).
func (x U128) SaturatingAdd(y U128) U128 { return U128(u128(x).addSatUnsigned(u128(y))) }

// SaturatingSub returns x - y, or 0 when y > x (u128::saturating_sub).
func (x U128) SaturatingSub(y U128) U128 { return U128(u128(x).subSatUnsigned(u128(y))) }

// SaturatingToUint64 returns x, or u64::MAX when x does not fit
// (saturating u128 to u64).
func (x U128) SaturatingToUint64() uint64 {
	if x.hi != 0 {
		return ^uint64(0)
	}
	return x.lo
}

// I96F32FromU128 is I96F32::saturating_from_num(u128): exact below 2^95,
// I96F32Max (2^95 - 2^-32) from 2^95 up.
func I96F32FromU128(u U128) I96F32 {
	v, _ := toI96F32(u128(u), 0, false)
	return v
}

// SaturatingToU128 is saturating_to_num::<u128>(): x floored to an integer,
// 0 when negative. Every non-negative I96F32 fits.
func (x I96F32) SaturatingToU128() U128 {
	r, _ := convertBits(u128(x), i96f32Frac, i96f32Signed, 0, 128, false)
	return U128(r)
}

// String returns x in decimal.
func (x U128) String() string { return string(appendU128(nil, u128(x))) }

// MarshalText encodes x in decimal (String).
func (x U128) MarshalText() ([]byte, error) { return appendU128(nil, u128(x)), nil }

// UnmarshalText decodes a decimal integer (ParseU128). On error x is left
// unchanged.
func (x *U128) UnmarshalText(text []byte) error {
	v, err := ParseU128(string(text))
	if err != nil {
		return err
	}
	*x = v
	return nil
}

// U128Mul64 returns a·b, which always fits.
func U128Mul64(a, b uint64) U128 {
	hi, lo := bits.Mul64(a, b)
	return U128{hi: hi, lo: lo}
}

// U128MulSumSat returns a·(b + c) capped at 2^128 − 1: the exact product
// of a and the 65-bit sum b + c (u128's saturating_mul of a and b
// +sat c, where the u128 sum never saturates). With s + carry·2^64 =
// b + c, the product is a·s + a·carry·2^64: the second part adds a·carry
// to the high word of a·s (below 2^128), and a carry out of that word is
// a product of 2^128 or more. It is
// U128Mul64(a, s).SaturatingAdd(U128FromBits(a·carry, 0)), small enough
// to be inlined.
func U128MulSumSat(a, b, c uint64) U128 {
	s, carry := bits.Add64(b, c, 0)
	hi, lo := bits.Mul64(a, s)
	hi, carry = bits.Add64(hi, a&-carry, 0)
	if carry != 0 {
		return U128Max()
	}
	return U128{hi, lo}
}

// QuoRem returns x / y and x mod y, truncated, and ok == false (with zeros)
// when y is 0, where Rust's checked_div returns None.
func (x U128) QuoRem(y U128) (q, r U128, ok bool) {
	if y.IsZero() {
		return U128{}, U128{}, false
	}
	if x.hi == 0 && y.hi == 0 {
		return U128{lo: x.lo / y.lo}, U128{lo: x.lo % y.lo}, true
	}
	q, _ = x.QuoShl(y, 0) // below 2^128: never fails for y != 0
	return q, x.Sub(q.mulLow(y)), true
}

// mulLow returns the low 128 bits of x·y (exact when x·y < 2^128, as q·y
// ≤ x is in QuoRem).
func (x U128) mulLow(y U128) U128 {
	h, l := bits.Mul64(x.lo, y.lo)
	return U128{hi: h + x.lo*y.hi + x.hi*y.lo, lo: l}
}

// Sub returns x − y, wrapping at 0 as Rust's wrapping_sub.
func (x U128) Sub(y U128) U128 { return U128(u128(x).sub(u128(y))) }

// MulUint64 returns x·n, wrapping at 2^128.
func (x U128) MulUint64(n uint64) U128 {
	h, l := bits.Mul64(x.lo, n)
	return U128{hi: x.hi*n + h, lo: l}
}

// QuoUint64 returns floor(x / n). n must not be 0: like Go's integer
// division, a zero divisor panics (a programming error).
func (x U128) QuoUint64(n uint64) U128 {
	qh, r := x.hi/n, x.hi%n
	ql, _ := bits.Div64(r, x.lo, n)
	return U128{hi: qh, lo: ql}
}

// MulShr returns floor(x·y / 2^shift), the low 128 bits, for
// 64 < shift < 128: the product of two unsigned fixed-point values with
// shift fractional bits (mulShr). The caller keeps x·y below
// 2^(128+shift) when it wants no wrap; another shift panics (a programming
// error).
func (x U128) MulShr(y U128, shift uint) U128 {
	r, _ := mulShr(u128(x), u128(y), shift, false)
	return U128(r)
}
