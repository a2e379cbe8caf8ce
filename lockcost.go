package dtao

import (
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// LockCostParams are the chain state the subnet registration lock reads.
type LockCostParams struct {
	// LastLockCost is NetworkLastLockCost, the lock paid at the last
	// subnet registration.
	LastLockCost units.TAO
	// LastRegistrationBlock is LastRateLimitedBlock[NetworkLastRegistered];
	// 0 means no registration yet.
	LastRegistrationBlock uint64
	// CurrentBlock is the block the cost is asked at.
	CurrentBlock uint64
	// LockReductionInterval is NetworkLockReductionInterval, in blocks,
	// before the halving adjustment of LockReductionInterval.
	LockReductionInterval uint64
	// MinLockCost is NetworkMinLockCost, the floor.
	MinLockCost units.TAO
	// BlockEmission is the TAO per block calculate_block_emission returns
	// (emission.BlockEmission); the chain uses 1 TAO when that call fails.
	BlockEmission units.TAO
}

// oneTAOFixed is 10^9 as I64F64, the divisor of the halving factor.
var oneTAOFixed = fixed.I64F64FromUint64(1_000_000_000)

// LockReductionInterval is get_lock_reduction_interval
// (pallets/subtensor/src/coinbase/root.rs): the interval scaled by the
// halving factor blockEmission/10^9, all in I64F64 with the chain's
// saturation and truncation, then floored to a block count. Each halving of
// the emission halves it; an emission of 0 gives 0.
func LockReductionInterval(interval uint64, blockEmission units.TAO) uint64 {
	iv := fixed.I64F64FromUint64(interval)
	halving, ok := fixed.I64F64FromUint64(blockEmission.Rao()).CheckedDiv(oneTAOFixed)
	if !ok {
		halving = fixed.I64F64{}
	}
	return iv.SaturatingMul(halving).SaturatingToUint64()
}

// NetworkLockCost is get_network_lock_cost
// (pallets/subtensor/src/coinbase/root.rs): twice the last lock (once when
// no subnet was registered yet) less floor(last/I)·(blocks since the last
// registration), every step saturating in u64, and at least the minimum,
// where I is LockReductionInterval of the parameters (no decay when it is
// 0). It also returns I.
func NetworkLockCost(p LockCostParams) (cost units.TAO, effectiveInterval uint64) {
	effectiveInterval = LockReductionInterval(p.LockReductionInterval, p.BlockEmission)
	mult := units.TAO(2)
	if p.LastRegistrationBlock == 0 {
		mult = 1
	}
	perBlock := fixed.SafeDivUint64(p.LastLockCost.Rao(), effectiveInterval)
	elapsed := fixed.SaturatingSubUint64(p.CurrentBlock, p.LastRegistrationBlock)
	decay := fixed.SaturatingMulUint64(perBlock, elapsed)
	cost = units.TAO(fixed.SaturatingMulUint64(p.LastLockCost.Rao(), mult.Rao())).SaturatingSub(units.TAO(decay))
	return max(cost, p.MinLockCost), effectiveInterval
}
