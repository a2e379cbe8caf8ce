package emission

import (
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// ShareInput is what the TAO share of one subnet in the emit-to set
// depends on (get_shares and get_subnet_block_emissions,
// pallets/subtensor/src/coinbase/subnet_emissions.rs).
type ShareInput struct {
	// MovingPrice is SubnetMovingPrice, the price EMA (I96F32). It is read
	// as U64F64 (negatives become 0, as saturating_from_num does).
	MovingPrice fixed.I96F32
	// Stable marks a mechanism-0 (stable) subnet, whose moving price the
	// chain reads as 1.0 whatever is stored.
	Stable bool
	// MinerBurned is the fraction of the last epoch's incentive that was
	// withheld from the owner's own miners (U96F32, clamped to 1).
	MinerBurned fixed.U96F32
	// EmissionDisabled is the negation of SubnetEmissionEnabled (default
	// enabled, so the zero value emits). A disabled subnet keeps share 0
	// and its portion goes to the enabled ones.
	EmissionDisabled bool
}

// movingPrice is get_moving_alpha_price
// (pallets/subtensor/src/staking/stake_utils.rs) for a non-root subnet.
func (s ShareInput) movingPrice() fixed.U64F64 {
	if s.Stable {
		return fixed.U64F64FromUint64(1)
	}
	return s.MovingPrice.SaturatingToU64F64()
}

// Shares computes each subnet's share of the block's TAO emission, as the
// chain's get_shares followed by the emission switch of
// get_subnet_block_emissions (coinbase/subnet_emissions.rs): out[i]
// receives subnet i's share (the result does not depend on the order).
// All arithmetic is U64F64, in the chain's order:
//
//	s_i = p_i / Σp               (checked_div, 0 when the sum is 0)
//	w_i = s_i · (1 − min(MinerBurned_i, 1))
//	share_i = w_i / Σw           (or s_i when Σw is 0)
//	if any subnet is disabled:   share_i = share_i / Σ_enabled share (0 for disabled)
//
// Shares panics if out is shorter than subnets.
func Shares(subnets []ShareInput, out []fixed.U64F64) {
	sharesAndRootSell(subnets, out)
}

// sharesAndRootSell is Shares, and returns [RootSell] of subnets from the
// same moving prices (each read once for both).
func sharesAndRootSell(subnets []ShareInput, out []fixed.U64F64) (rootSell bool) {
	out = out[:len(subnets)]
	zero := fixed.U64F64{}
	one := fixed.U64F64FromUint64(1)

	totalPrice := zero
	rootSum := zero // RootSell's sum: Add, not SaturatingAdd
	for i, s := range subnets {
		out[i] = s.movingPrice() // p_i, read once
		totalPrice = totalPrice.SaturatingAdd(out[i])
		rootSum = rootSum.Add(out[i])
	}
	rootSell = one.Less(rootSum)
	// Each loop divides by one sum: prepared once, each quotient is
	// CheckedDiv's (fixed.U64F64Divisor), by multiplications.
	byPrice := fixed.NewU64F64Divisor(totalPrice)
	totalWeight := zero
	for i, s := range subnets {
		share, ok := byPrice.Divide(out[i])
		if !ok {
			share = zero
		}
		if s.MinerBurned.IsZero() {
			// 1 − 0 is 1, and share ·sat 1 is share: the raw product
			// share·2^64 shifted down by 64 bits, below 2^128.
			out[i] = share // w_i
		} else {
			burned := s.MinerBurned.SaturatingToU64F64()
			if one.Less(burned) {
				burned = one
			}
			out[i] = share.SaturatingMul(one.SaturatingSub(burned)) // w_i
		}
		totalWeight = totalWeight.SaturatingAdd(out[i])
	}
	if !totalWeight.IsZero() {
		byWeight := fixed.NewU64F64Divisor(totalWeight)
		for i := range subnets {
			out[i], _ = byWeight.Divide(out[i]) // SafeDiv
		}
	} else {
		// Every weight is 0: the shares are the price shares s_i,
		// computed again (the same quotients as above).
		for i, s := range subnets {
			share, ok := byPrice.Divide(s.movingPrice())
			if !ok {
				share = zero
			}
			out[i] = share
		}
	}

	anyDisabled := false
	enabledSum := zero
	for i, s := range subnets {
		if s.EmissionDisabled {
			anyDisabled = true
		} else {
			enabledSum = enabledSum.SaturatingAdd(out[i])
		}
	}
	if !anyDisabled {
		return rootSell
	}
	byEnabled := fixed.NewU64F64Divisor(enabledSum)
	for i, s := range subnets {
		if !s.EmissionDisabled && !enabledSum.IsZero() {
			out[i], _ = byEnabled.Divide(out[i]) // SafeDiv
		} else {
			out[i] = zero
		}
	}
	return rootSell
}

// SubnetTAOEmission is one subnet's TAO emission for the block:
// U96F32(U64F64(blockEmission) · share), as get_subnet_block_emissions
// computes it; the product is fixed.U64F64.SaturatingMulUint64's (one
// word product for a share below 1).
func SubnetTAOEmission(blockEmission units.TAO, share fixed.U64F64) fixed.U96F32 {
	return share.SaturatingMulUint64(uint64(blockEmission)).SaturatingToU96F32()
}

// RootSell is the chain's get_network_root_sell_flag
// (pallets/subtensor/src/coinbase/run_coinbase.rs): whether the sum of
// the emit-to subnets' moving prices (U64F64) exceeds 1.0 strictly. When
// it does, root's part of the validator alpha is kept as pending root
// dividends; otherwise it is recycled.
func RootSell(subnets []ShareInput) bool {
	total := fixed.U64F64{}
	for _, s := range subnets {
		total = total.Add(s.movingPrice())
	}
	return fixed.U64F64FromUint64(1).Less(total)
}
