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
func NextMovingPrice(prev fixed.I96F32, spot Price, movingAlpha fixed.I96F32, blocksSinceStart, halvingBlocks uint64) fixed.I96F32 {
	a := movingAlpha.SaturatingToU64F64().SaturatingMul(emaWeight(blocksSinceStart, halvingBlocks))
	one := fixed.U64F64FromUint64(1)
	s := spot.v
	if one.Less(s) {
		s = one
	}
	cur := a.SaturatingMul(s)
	old := one.SaturatingSub(a).SaturatingMul(prev.SaturatingToU64F64())
	return cur.SaturatingAdd(old).SaturatingToI96F32()
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
