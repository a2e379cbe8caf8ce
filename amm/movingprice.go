package amm

import (
	"math/bits"

	"github.com/dtao-go/dtao/fixed"
)

// DefaultMovingAlpha is SubnetMovingAlpha's default, I96F32 from 0.000003
// (raw bits 12885 = round(0.000003·2^32)).
func DefaultMovingAlpha() fixed.I96F32 { return fixed.I96F32FromBits(0, 12885) }

// DefaultEMAPriceHalvingBlocks is EMAPriceHalvingBlocks' default
// (InitialEmaPriceHalvingPeriod, about four weeks of blocks).
const DefaultEMAPriceHalvingBlocks uint64 = 201_600

// BlocksSinceStart is the EMA's block count: currentBlock − (firstEmission
// − 1), saturating; firstEmission 0 stands for an unset
// FirstEmissionBlockNumber.
func BlocksSinceStart(currentBlock, firstEmission uint64) uint64 {
	return fixed.SaturatingSubUint64(currentBlock, fixed.SaturatingSubUint64(firstEmission, 1))
}

// NextMovingPrice is update_moving_price
// (pallets/subtensor/src/staking/stake_utils.rs): with a = movingAlpha ·
// b/(b + halving), it returns a·min(spot, 1) + (1−a)·prev in U64F64,
// converted to I96F32 (the extra fraction bits dropped). prev is the
// stored SubnetMovingPrice; for the stable mechanism and root the chain
// reads it as 1, and the spot is Pool.Price.
//
// Where the chain's values keep every product below 2^128 (movingAlpha
// in [0, 1), the weight b/(b+halving) below 1, prev in [0, 2^64)) it
// computes on the raw words (movingEMA); elsewhere it runs the U64F64
// operations as written (movingEMAWide).
func NextMovingPrice(prev fixed.I96F32, spot Price, movingAlpha fixed.I96F32, blocksSinceStart, halvingBlocks uint64) fixed.I96F32 {
	w := emaWeight(blocksSinceStart, halvingBlocks)
	if v, ok := movingEMA(prev, spot.v, movingAlpha, w); ok {
		return v
	}
	return movingEMAWide(prev, spot.v, movingAlpha, w)
}

// movingEMAWide is NextMovingPrice from the weight w = emaWeight(b,
// halving), in the chain's U64F64 operations.
func movingEMAWide(prev fixed.I96F32, spot fixed.U64F64, movingAlpha fixed.I96F32, w fixed.U64F64) fixed.I96F32 {
	a := movingAlpha.SaturatingToU64F64().SaturatingMul(w)
	one := fixed.U64F64FromUint64(1)
	s := spot
	if one.Less(s) {
		s = one
	}
	cur := a.SaturatingMul(s)
	old := one.SaturatingSub(a).SaturatingMul(prev.SaturatingToU64F64())
	return cur.SaturatingAdd(old).SaturatingToI96F32()
}

// movingEMA is movingEMAWide on the raw words, for movingAlpha in [0, 1)
// (raw I96F32 below 2^32), w below 1 (raw U64F64 below 2^64) and prev in
// [0, 2^64) (raw I96F32 below 2^96); ok is false elsewhere. There every
// operation of movingEMAWide is exact or floored the same way without
// saturating:
//
//   - movingAlpha as U64F64 is its raw bits shifted up by 32 (m < 2^64),
//     prev likewise (P < 2^128): no fraction bit is lost, none saturates;
//   - a = floor(m·w/2^64) is the high word of the one-word product, below
//     2^64 (a < 1);
//   - min(spot, 1) is 1 (raw 2^64) when spot's integer word is non-zero,
//     else its fraction word f: a·1 = a, and a·f floors to the high word
//     of a·f;
//   - 1 − a is 2^64 − a: for a = 0 it is 1 and (1 − a)·P is P; otherwise
//     it is the word −a mod 2^64, and floor(−a·P/2^64) is the top two
//     words of a 64-by-128-bit product, below P;
//   - the sum saturates at 2^128 − 1 as SaturatingAdd does (a carry out of
//     the high word), and I96F32 of a U64F64 is the raw bits shifted down
//     by 32 (floored), below 2^96: never saturated.
func movingEMA(prev fixed.I96F32, spot fixed.U64F64, movingAlpha fixed.I96F32, w fixed.U64F64) (fixed.I96F32, bool) {
	a, ok := emaFactor(movingAlpha, w)
	if !ok {
		return fixed.I96F32{}, false
	}
	return emaFrom(prev, spot, a)
}

// emaFactor is movingEMA's a = floor(m·w/2^64) (movingAlpha as U64F64
// times the weight), ok == false outside movingEMA's domain for these
// two operands (movingAlpha in [0, 1), w below 1).
func emaFactor(movingAlpha fixed.I96F32, w fixed.U64F64) (uint64, bool) {
	mh, ml := movingAlpha.Bits()
	wh, wl := w.Bits()
	if mh != 0 || ml>>32 != 0 || wh != 0 {
		return 0, false
	}
	a, _ := bits.Mul64(ml<<32, wl)
	return a, true
}

// emaFrom is movingEMA from its factor a = emaFactor(movingAlpha, w), ok
// == false for a prev outside its domain ([0, 2^64)).
func emaFrom(prev fixed.I96F32, spot fixed.U64F64, a uint64) (fixed.I96F32, bool) {
	ph, pl := prev.Bits()
	if ph>>32 != 0 {
		return fixed.I96F32{}, false
	}
	sh, sl := spot.Bits()
	cur := a
	if sh == 0 {
		cur, _ = bits.Mul64(a, sl)
	}
	// P = prev as U64F64: (ph, pl) << 32.
	p1, p0 := ph<<32|pl>>32, pl<<32
	o1, o0 := p1, p0
	if a != 0 {
		na := -a
		h0, _ := bits.Mul64(na, p0)
		h1, l1 := bits.Mul64(na, p1)
		var c uint64
		o0, c = bits.Add64(l1, h0, 0)
		o1 = h1 + c
	}
	lo, c := bits.Add64(o0, cur, 0)
	hi, c := bits.Add64(o1, 0, c)
	if c != 0 {
		hi, lo = ^uint64(0), ^uint64(0)
	}
	return fixed.I96F32FromBits(hi>>32, hi<<32|lo>>32), true
}

// MovingEMA is [NextMovingPrice] prepared for one moving alpha, block
// count since the first emission and halving period: the EMA weight
// b/(b + halving) (a hardware division) and its product with the moving
// alpha, which are the same for every subnet that shares these operands
// (all of a block's subnets whose first emission block and halving period
// agree, with the block's moving alpha). The zero value is prepared for
// nothing; [MovingEMA.Prepare] (re)prepares it, computing again only
// when an operand differs from the last call's.
type MovingEMA struct {
	alpha   fixed.I96F32
	b, h    uint64
	w       fixed.U64F64 // emaWeight(b, h)
	a       uint64       // emaFactor(alpha, w) when fast
	fast    bool         // emaFactor accepted alpha and w
	prepped bool
}

// Prepare readies e for [MovingEMA.Next] with these operands (those of
// NextMovingPrice but prev and the spot), keeping the prepared weight
// when they are those of the last call.
func (e *MovingEMA) Prepare(movingAlpha fixed.I96F32, blocksSinceStart, halvingBlocks uint64) {
	if e.prepped && e.b == blocksSinceStart && e.h == halvingBlocks && e.alpha == movingAlpha {
		return
	}
	e.alpha, e.b, e.h, e.prepped = movingAlpha, blocksSinceStart, halvingBlocks, true
	e.w = emaWeight(blocksSinceStart, halvingBlocks)
	e.a, e.fast = emaFactor(movingAlpha, e.w)
}

// NextFor is Prepare(movingAlpha, blocksSinceStart, halvingBlocks) then
// Next(prev, spot), in one call, Prepare's only when its operands
// changed: the ledger's block updates each subnet's moving price so, and
// the two calls, each with its prologue and its operands moved again,
// cost about as much as the EMA itself (TestMovingEMANextForMatches,
// FuzzMovingEMA).
func (e *MovingEMA) NextFor(prev fixed.I96F32, spot Price, movingAlpha fixed.I96F32, blocksSinceStart, halvingBlocks uint64) fixed.I96F32 {
	if !e.prepped || e.b != blocksSinceStart || e.h != halvingBlocks || e.alpha != movingAlpha {
		e.Prepare(movingAlpha, blocksSinceStart, halvingBlocks)
	}
	if e.fast {
		if v, ok := emaFrom(prev, spot.v, e.a); ok {
			return v
		}
	}
	return movingEMAWide(prev, spot.v, e.alpha, e.w)
}

// Next is NextMovingPrice(prev, spot, movingAlpha, blocksSinceStart,
// halvingBlocks) for the operands of the last Prepare, bit for bit: the
// same weight and factor, computed once (TestMovingEMAMatchesNext and
// FuzzMovingEMA compare the two). On a MovingEMA never prepared it is
// NextMovingPrice with the zero operands (a weight of 0).
func (e *MovingEMA) Next(prev fixed.I96F32, spot Price) fixed.I96F32 {
	if e.fast {
		if v, ok := emaFrom(prev, spot.v, e.a); ok {
			return v
		}
	}
	return movingEMAWide(prev, spot.v, e.alpha, e.w)
}

// MovingPrice returns the pool's moving price for the EMA as
// get_moving_alpha_price (staking/stake_utils.rs) does: 1 for the stable
// mechanism (0), prev for any other value. It does not validate the pool.
func (p *Pool) MovingPrice(prev fixed.I96F32) fixed.I96F32 {
	if p.Mechanism == Stable {
		return fixed.I96F32FromUint64(1)
	}
	return prev
}

// emaWeight is update_moving_price's U64F64 b.safe_div(b + halving) for the
// integers b and halving. When b + halving does not carry past 2^64 both
// operands are integers of U64F64 (raw b·2^64 and (b+h)·2^64), so the
// quotient floor(b·2^128 / ((b+h)·2^64)) is floor(b·2^64 / (b+h)),
// U64F64FromRatio's value (0 for a zero sum, as safe_div's), found with
// one hardware division instead of a 256-by-128-bit one. A sum past 2^64
// saturates in U64F64 and takes the chain's operations as written.
func emaWeight(b, halving uint64) fixed.U64F64 {
	if s, c := bits.Add64(b, halving, 0); c == 0 {
		return fixed.U64F64FromRatio(b, s)
	}
	bf := fixed.U64F64FromUint64(b)
	return bf.SafeDiv(bf.SaturatingAdd(fixed.U64F64FromUint64(halving)))
}
