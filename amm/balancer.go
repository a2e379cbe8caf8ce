package amm

import (
	"math"
	"math/bits"

	"github.com/holiman/uint256"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/internal/bigpow"
)

// Precisions of the chain's pow_ratio_scaled calls
// (pallets/swap/src/pallet/balancer.rs, Balancer::exp_scaled and
// calculate_quote_delta_in): 256 bits
// for a swap's output, 1024 for the input that moves the price to a limit.
const (
	swapPrecision  uint32 = 256
	limitPrecision uint32 = 1024
)

// curve is the pool's weights in parts of 1e18: w1 for alpha (base), w2 for
// TAO (quote). It is the chain's Balancer.
type curve struct{ w1, w2 uint64 }

func curveOf(quote fixed.Perquintill) curve {
	w2 := uint64(quote)
	var w1 uint64
	if w2 < fixed.PerquintillAccuracy {
		w1 = fixed.PerquintillAccuracy - w2 // ONE.saturating_sub(quote)
	}
	return curve{w1: w1, w2: w2}
}

// price is Balancer::calculate_price(x, y):
// safe_div(w1, w2) ×sat safe_div(y, x), all U64F64, each step floored.
func (c curve) price(x, y uint64) fixed.U64F64 {
	return priceAt(c.weightRatio(), x, y)
}

// spot is the pool's current_price for reserves (x, y): 0 for an empty
// alpha reserve, else calculate_price.
func (c curve) spot(x, y uint64) fixed.U64F64 {
	if x == 0 {
		return fixed.U64F64{}
	}
	return c.price(x, y)
}

// priceBelow reports, without a division, that price(x, y) is below every
// limit of at least limitInt TAO per alpha, an integer; false means
// nothing. calculate_price is safe_div(w1, w2)·safe_div(y, x) with each
// quotient and the product floored (saturation only lowers it too), so it
// is at most (w1·y)/(w2·x); w1·y < limitInt·w2·x therefore puts it below
// limitInt. Both sides are exact 128-bit products (the right one
// checked: past 2^128 it exceeds the left, which is below 2^128). x == 0,
// w2 == 0 and limitInt == 0 make the right side 0, so the test fails and
// the caller computes the price.
func (c curve) priceBelow(x, y, limitInt uint64) bool {
	rhs, ok := fixed.U128Mul64(limitInt, c.w2).CheckedMulUint64(x)
	return !ok || fixed.U128Mul64(c.w1, y).Cmp(rhs) < 0
}

// weightRatio is calculate_price's first factor, safe_div(w1, w2): a swap
// computes it once for the prices before and after.
func (c curve) weightRatio() fixed.U64F64 { return fixed.U64F64FromRatio(c.w1, c.w2) }

// priceAt is calculate_price(x, y) from the weight ratio wr = weightRatio().
func priceAt(wr fixed.U64F64, x, y uint64) fixed.U64F64 {
	return wr.SaturatingMul(fixed.U64F64FromRatio(y, x))
}

// expScaled is Balancer::exp_scaled(r, d, base_quote) for d >= 0:
// (r/(r+d))^(w1/w2) (baseQuote) or ^(w2/w1), floored at 1e-18, as U64F64
// capped at 1. A pow result that does not fit u64 gives 0, as on chain.
func (c curve) expScaled(r, d uint64, baseQuote bool) fixed.U64F64 {
	rd := fixed.SaturatingAddUint64(r, d)
	if rd == 0 {
		return fixed.U64F64{}
	}
	var k uint64
	if c.w1 == c.w2 && c.w1 != 0 {
		// The reduced exponent is 1/1: pow_ratio_scaled's exact path is
		// floor(r·1e18/rd). r <= rd, so the quotient is below 2^64.
		k, _ = fixed.MulDivUint64(r, fixed.PerquintillAccuracy, rd)
	} else {
		en, ed := c.w2, c.w1
		if baseQuote {
			en, ed = c.w1, c.w2
		}
		var bn, bd uint256.Int
		bn.SetUint64(r)
		bd.SetUint64(rd)
		var overflow, ok bool
		k, overflow, ok = bigpow.Pow(&bn, &bd, en, ed, swapPrecision, fixed.PerquintillAccuracy)
		if !ok || overflow {
			return fixed.U64F64{}
		}
	}
	e := fixed.U64F64FromPerquintillParts(k) // U64F64FromRatio(k, 1e18)
	if one := fixed.U64F64FromUint64(1); one.Less(e) {
		e = one
	}
	return e
}

// outFor is convert_deltas: floor(reserveOut · (1 − e)) for the output side.
func outFor(reserveOut uint64, e fixed.U64F64) uint64 {
	return fixed.U64F64FromUint64(1).SaturatingSub(e).SaturatingMulToUint64(reserveOut)
}

// buyOut is convert_deltas for TAO in: alpha out.
func (c curve) buyOut(x, y, dy uint64) uint64 {
	return outFor(x, c.expScaled(y, dy, false))
}

// sellOut is convert_deltas for alpha in: TAO out.
func (c curve) sellOut(x, y, dx uint64) uint64 {
	return outFor(y, c.expScaled(x, dx, true))
}

// deltaIn is calculate_quote_delta_in (buy: num = limit, den = current,
// exponent w1) and calculate_base_delta_in (sell: num = current, den =
// limit, exponent w2): reserve · ((num/den)^w − 1), where the ratio factor
// saturates at u64::MAX/1e18 ≈ 18.45 (a chain quirk: the pow result is a
// u64 of parts of 1e18, Balancer::calculate_quote_delta_in in
// pallets/swap/src/pallet/balancer.rs).
func deltaIn(num, den fixed.U64F64, w, reserve uint64) uint64 {
	var bn, bd uint256.Int
	bn[1], bn[0] = num.Bits()
	bd[1], bd[0] = den.Bits()
	k, overflow, ok := bigpow.Pow(&bn, &bd, w, fixed.PerquintillAccuracy, limitPrecision, fixed.PerquintillAccuracy)
	if !ok {
		return 0
	}
	if overflow {
		k = math.MaxUint64
	}
	return fixed.U64F64FromPerquintillParts(k).SaturatingSub(fixed.U64F64FromUint64(1)).SaturatingMulToUint64(reserve)
}

// roundPerquintill is Balancer::mul_perquintill_round: v·p/1e18 rounded
// half up, capped at u128::MAX. v < 2^128 and p < 2^64, so the product
// fits 192 bits: MulAddQuoPerquintill (MulAddQuoUint64 by 1e18, on a
// precomputed reciprocal) divides it exactly (it reports a quotient of
// 2^128 or more, which the chain caps).
func roundPerquintill(parts uint64, v fixed.U128) fixed.U128 {
	z, ok := v.MulAddQuoPerquintill(parts, fixed.PerquintillAccuracy/2)
	if !ok {
		return fixed.U128Max()
	}
	return z
}

// capU128 saturates z at 2^128 − 1.
func capU128(z *uint256.Int) {
	if z[2] != 0 || z[3] != 0 {
		z[0], z[1], z[2], z[3] = math.MaxUint64, math.MaxUint64, 0, 0
	}
}

// mulAddedSat is the u128 saturating_mul of a and b + db (b + db < 2^65:
// u128's saturating_add never saturates): a·(b+db) = a·s + a·2^64·carry
// for s + carry·2^64 = b + db, each part below 2^128, and their
// saturating sum is the saturating product.
func mulAddedSat(a, b, db uint64) fixed.U128 {
	s, carry := bits.Add64(b, db, 0)
	p := fixed.U128Mul64(a, s)
	if carry != 0 {
		p = p.SaturatingAdd(fixed.U128FromBits(a, 0))
	}
	return p
}

// updatedWeight is update_weights_for_added_liquidity: the quote weight that
// keeps the price after (dy, dx) are added to (y, x). ok is false when the
// new weight is outside [MinWeight, MaxWeight]. It is the chain's u128
// arithmetic on fixed.U128 (updatedWeightRef, in the tests, is the same on
// uint256, as the chain's U256 for the rounding products):
//
//	p1 = y ·sat (x + dx), p2 = x ·sat (y + dy)
//	q1 = mul_perquintill_round(w1, p1), q2 = mul_perquintill_round(w2, p2)
//	w  = Perquintill::from_rational(q2, q1 +sat q2)   (1/2 when the sum is 0)
func (c curve) updatedWeight(y, x, dy, dx uint64) (fixed.Perquintill, bool) {
	q1 := roundPerquintill(c.w1, mulAddedSat(y, x, dx))
	q2 := roundPerquintill(c.w2, mulAddedSat(x, y, dy))
	sum := q1.SaturatingAdd(q2)
	w := HalfWeight
	if !sum.IsZero() {
		w = fixed.PerquintillFromRationalU128(q2, sum)
	}
	return w, validWeight(w)
}

// capI128 saturates z at 2^127 − 1, the largest raw value of a signed
// 128-bit fixed-point number (z is never negative here).
func capI128(z *uint256.Int) {
	if z[3] != 0 || z[2] != 0 || z[1]>>63 != 0 {
		z[0], z[1], z[2], z[3] = math.MaxUint64, math.MaxInt64, 0, 0
	}
}
