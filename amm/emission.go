package amm

import (
	"github.com/holiman/uint256"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// AdjustWeights is the swap pallet's adjust_protocol_liquidity: it sets the
// quote weight that keeps the spot price when tao and alpha are added to
// the current reserves (update_weights_for_added_liquidity, spec/amm.md
// §4.5). It does not add the reserves: the chain's coinbase runs its own
// buy between the weight update and the deposit (§8.1), so a caller
// replaying a block adds them itself, or calls Inject. When the new weight
// would leave [MinWeight, MaxWeight] it returns ErrInvalidWeight and the
// pool is unchanged; the chain then injects nothing that block. A pool that
// Validate refuses is refused with Validate's error (which, for a stored
// weight out of range, also matches ErrInvalidWeight).
func (p *Pool) AdjustWeights(tao units.TAO, alpha units.Alpha) error {
	if err := p.Validate(); err != nil {
		return err
	}
	w, ok := curveOf(p.QuoteWeight).updatedWeight(uint64(p.TAO), uint64(p.AlphaIn), uint64(tao), uint64(alpha))
	if !ok {
		return ErrInvalidWeight
	}
	p.QuoteWeight = w
	return nil
}

// Inject adds an emission injection: AdjustWeights, then the reserves grow
// by tao and alpha (saturating, as SubnetTAO and SubnetAlphaIn do). The
// price is unchanged up to the rounding of the weight: for reserves of at
// least 1e9 rao that do not saturate, it moves by at most 2^-40 of itself
// plus 2^-56 TAO per alpha (a property test checks this bound). On
// ErrInvalidWeight (or any error of Validate) nothing is injected.
func (p *Pool) Inject(tao units.TAO, alpha units.Alpha) error {
	if err := p.AdjustWeights(tao, alpha); err != nil {
		return err
	}
	p.TAO = units.TAO(satAdd(uint64(p.TAO), uint64(tao)))
	p.AlphaIn = units.Alpha(satAdd(uint64(p.AlphaIn), uint64(alpha)))
	return nil
}

// InitializeAtPrice is maybe_initialize_palswap with a price, as the
// migration from the concentrated-liquidity pool runs it: unless the pool
// is already initialised, it sets the quote weight so that the spot price
// of the current reserves is price, w2 = y/(p·x + y), and marks the pool
// initialised. p·x is computed as floor(p)·x + floor(x·frac(p)). Both
// reserves zero, or a weight outside [MinWeight, MaxWeight], is
// ErrReservesOutOfBalance and leaves the pool unchanged (the migration then
// falls back to HalfWeight itself). A pool that Validate refuses is
// refused with Validate's error, initialised or not.
func (p *Pool) InitializeAtPrice(price fixed.U64F64) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.Initialized {
		return nil
	}
	x, y := uint64(p.AlphaIn), uint64(p.TAO)
	var hi, lo, sum, t uint256.Int
	hi.SetUint64(price.SaturatingToUint64())
	hi.Mul(&hi, t.SetUint64(x)) // < 2^128: no u128 saturation
	lo.SetUint64(fixed.U64F64FromUint64(x).SaturatingMul(price.Frac()).SaturatingToUint64())
	sum.Add(&hi, &lo)
	sum.Add(&sum, t.SetUint64(y))
	capU128(&sum)
	if sum.IsZero() {
		return ErrReservesOutOfBalance
	}
	w := fixed.PerquintillFromRational256(t.SetUint64(y), &sum)
	if !validWeight(w) {
		return ErrReservesOutOfBalance
	}
	p.QuoteWeight = w
	p.Initialized = true
	return nil
}

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
	return satSub(currentBlock, satSub(firstEmission, 1))
}

// NextMovingPrice is update_moving_price (spec/amm.md §9.2): with
// a = movingAlpha · b/(b + halving), it returns a·min(spot, 1) + (1−a)·prev
// in U64F64, converted to I96F32 (the extra fraction bits dropped). prev is
// the stored SubnetMovingPrice; for the stable mechanism and root the chain
// reads it as 1, and the spot is Pool.Price.
func NextMovingPrice(prev fixed.I96F32, spot fixed.U64F64, movingAlpha fixed.I96F32, blocksSinceStart, halvingBlocks uint64) fixed.I96F32 {
	b := fixed.U64F64FromUint64(blocksSinceStart)
	a := movingAlpha.SaturatingToU64F64().SaturatingMul(
		b.SafeDiv(b.SaturatingAdd(fixed.U64F64FromUint64(halvingBlocks))))
	if u128One.fixed().Less(spot) {
		spot = u128One.fixed()
	}
	cur := a.SaturatingMul(spot)
	old := u128One.fixed().SaturatingSub(a).SaturatingMul(prev.SaturatingToU64F64())
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
