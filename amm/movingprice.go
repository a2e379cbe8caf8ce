package amm

import (
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
	b := fixed.U64F64FromUint64(blocksSinceStart)
	a := movingAlpha.SaturatingToU64F64().SaturatingMul(
		b.SafeDiv(b.SaturatingAdd(fixed.U64F64FromUint64(halvingBlocks))))
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
