package fixed

import (
	"math"
	"math/bits"
)

// This file holds the integer-to-fixed ratio constructors and the
// fixed-times-integer products the chain spells as a chain of fixed-point
// operations on integer operands. Each is computed directly on the raw bits
// with one or two hardware divisions (or none), and returns exactly what the
// spelled-out operations return; the tests check each against both that
// spelling and a math/big reference.

// U64F64FromRatio is U64F64::from_num(a).safe_div(U64F64::from_num(b)):
// floor(a * 2^64 / b), or 0 when b == 0 (safe_div). The quotient of two u64
// integers is below 2^64 and so always fits: checked_div's overflow case
// cannot occur.
func U64F64FromRatio(a, b uint64) U64F64 {
	if b == 0 {
		return U64F64{}
	}
	// An integer part of 0 (a < b: a price below 1, the smaller weight
	// over the larger) or 1 (b <= a < 2b: the larger weight over the
	// smaller) and its remainder come without a division.
	var q, r uint64
	switch {
	case a < b:
		q, r = 0, a
	case a-b < b:
		q, r = 1, a-b
	default:
		q, r = a/b, a%b
	}
	lo, _ := bits.Div64(r, 0, b) // r < b: cannot trap
	return U64F64{q, lo}
}

// U96F32FromRatio is U96F32::from_num(a).safe_div(U96F32::from_num(b)):
// floor(a * 2^32 / b), or 0 when b == 0 (safe_div). The quotient always fits.
func U96F32FromRatio(a, b uint64) U96F32 {
	if b == 0 {
		return U96F32{}
	}
	if a>>32 < b {
		// The quotient is below 2^64: one division.
		q, _ := bits.Div64(a>>32, a<<32, b)
		return U96F32{0, q}
	}
	q, r := a/b, a%b
	f, _ := bits.Div64(r>>32, r<<32, b) // r < b: f < 2^32
	return U96F32{q >> 32, q<<32 | f}
}

// U96F32FromU64Proportion is a stored u64 proportion (parts of u64::MAX:
// TaoWeight, CKBurn, ChildKeys) as the chain normalises it in get_tao_weight
// (coinbase/root.rs) and get_inherited_for_hotkey_on_subnet
// (staking/stake_utils.rs): U96F32(v).safe_div(U96F32(u64::MAX)), i.e.
// floor(v * 2^32 / (2^64 - 1)). That is v >> 32 exactly, except that
// u64::MAX itself is 1.0 (no division needed: v/(2^64-1) exceeds v/2^64 by
// less than 2^-32, which reaches the next multiple of 2^-32 only at v =
// u64::MAX).
func U96F32FromU64Proportion(v uint64) U96F32 {
	if v == math.MaxUint64 {
		return U96F32{0, 1 << 32}
	}
	return U96F32{0, v >> 32}
}

// U96F32FromU16Proportion is a stored u16 proportion (parts of 65535:
// SubnetOwnerCut, delegate and childkey takes) as the chain normalises it,
// e.g. get_float_subnet_owner_cut (coinbase/run_coinbase.rs):
// U96F32(v).safe_div(U96F32(65535)), i.e. floor(v * 2^32 / 65535). Since
// 2^32 = 65535*65537 + 1 that is v*65537 + floor(v/65535), with no
// division.
func U96F32FromU16Proportion(v uint16) U96F32 {
	return U96F32{0, u16ProportionBits(v)}
}

// I32F32FromU16Proportion is subtensor's u16_proportion_to_fixed
// (epoch/math.rs), I32F32(v).safe_div(I32F32(65535)) = floor(v * 2^32 /
// 65535), as the epoch reads kappa, the bonds penalty and Yuma 3's bonds.
// It is exact and never overflows (the largest value, v = 65535, is 1.0).
func I32F32FromU16Proportion(v uint16) I32F32 {
	return I32F32{int64(u16ProportionBits(v))}
}

// u16ProportionBits is floor(v * 2^32 / 65535) = v*65537 + floor(v/65535).
func u16ProportionBits(v uint16) uint64 {
	b := uint64(v) * 65537
	if v == math.MaxUint16 {
		b++
	}
	return b
}

// U16Proportion is subtensor's fixed_proportion_to_u16 (epoch/math.rs):
// x.saturating_mul(I32F32(65535)).saturating_to_num::<u16>(), i.e.
// floor(x * 65535) clamped to [0, 65535]. Negative x gives 0.
func (x I32F32) U16Proportion() uint16 {
	b := x.bits
	switch {
	case b < 0:
		return 0
	case b >= 1<<47:
		// x >= 2^15: x*65535 is above 65535 (or saturates, which is also
		// above).
		return math.MaxUint16
	}
	// b*65535 < 2^63: the product is exact in 64 bits.
	return uint16(min(uint64(b*65535)>>32, math.MaxUint16))
}

// SaturatingMulToUint64 is
// U64F64::from_num(n).saturating_mul(x).saturating_to_num::<u64>() (the
// swap's conversion of a fraction of a reserve back to rao, and the price in
// rao): floor(n * x) clamped to u64::MAX. The multiplication is
// commutative, so x.SaturatingMul(U64F64FromUint64(n)) gives the same.
func (x U64F64) SaturatingMulToUint64(n uint64) uint64 {
	h1, _ := bits.Mul64(n, x.lo)
	h2, l2 := bits.Mul64(n, x.hi)
	w, c := bits.Add64(h1, l2, 0)
	if h2|c != 0 {
		return math.MaxUint64
	}
	return w
}

// SaturatingMulUint64 is U64F64FromUint64(n).SaturatingMul(x), bit for
// bit (get_subnet_block_emissions' U64F64(block emission) · share,
// pallets/subtensor/src/coinbase/subnet_emissions.rs): n·2^64 times x's
// raw bits, over 2^64, is n·x.raw exactly (no rounding), so the product's
// raw bits are the integer product n·x.raw, saturated where it needs more
// than 128 bits. For x below 1 (x.hi = 0, every share of a block with
// more than one subnet) that is one word product, n·x.lo < 2^128, which
// never saturates. TestSaturatingMulUint64Matches and
// FuzzSaturatingMulUint64 compare it with SaturatingMul.
func (x U64F64) SaturatingMulUint64(n uint64) U64F64 {
	h, l := bits.Mul64(n, x.lo)
	if x.hi == 0 {
		return U64F64{h, l}
	}
	h2, l2 := bits.Mul64(n, x.hi)
	w, c := bits.Add64(h, l2, 0)
	if h2|c != 0 {
		return U64F64Max()
	}
	return U64F64{w, l}
}

// U64F64MulRatios is U64F64FromRatio(a, b).SaturatingMul(U64F64FromRatio(c,
// d)), bit for bit (each quotient floored, then the product floored and
// saturated): the Balancer's spot price safe_div(w1, w2) ×sat safe_div(y,
// x) in one call, with SaturatingMul's word products written out (the
// multiplication is too large for the compiler to inline, and a price
// then costs three nested calls). TestU64F64MulRatiosMatches and
// FuzzU64F64MulRatios compare it with the composition, as do
// TestU64F64MulRatiosOneWordBounds and FuzzU64F64MulRatiosOneWord at the
// bounds of the one-word case below.
func U64F64MulRatios(a, b, c, d uint64) U64F64 {
	x, y := U64F64FromRatio(a, b), U64F64FromRatio(c, d)
	if y.hi == 0 && x.hi <= 1 {
		// A price below 1 (c < d) and a weight ratio below 2 (a pool's
		// weights near 1/2), the usual spot price: with y.hi = 0 and
		// x.hi at most 1 the product's bits 64..191 are x.hi·y.lo +
		// floor(x.lo·y.lo/2^64), below 2^65: one word product, no
		// saturation.
		h0, _ := bits.Mul64(x.lo, y.lo)
		lo, c := bits.Add64(h0, y.lo&-x.hi, 0)
		return U64F64{c, lo}
	}
	// mulSatU64F64: bits 64..191 of the 256-bit product, saturated.
	h0, _ := bits.Mul64(x.lo, y.lo)
	h1, l1 := bits.Mul64(x.lo, y.hi)
	h2, l2 := bits.Mul64(x.hi, y.lo)
	h3, l3 := bits.Mul64(x.hi, y.hi)
	w1, c0 := bits.Add64(h0, l1, 0)
	w1, c2 := bits.Add64(w1, l2, 0)
	w2, c3 := bits.Add64(h1, h2, c0)
	w2, c4 := bits.Add64(w2, l3, c2)
	if h3|c3|c4 != 0 {
		return U64F64{^uint64(0), ^uint64(0)}
	}
	return U64F64{w2, w1}
}
