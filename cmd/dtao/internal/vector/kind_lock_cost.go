package vector

import (
	"encoding/json"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/units"
)

// lockCost answers kind "lock_cost": the subnet registration lock
// (get_network_lock_cost and get_lock_reduction_interval,
// pallets/subtensor/src/coinbase/root.rs) through dtao.NetworkLockCost.
// block_emission defaults to 1 TAO (1_000_000_000 rao), the value the chain
// uses when calculate_block_emission fails.
func lockCost(raw json.RawMessage) (any, error) {
	in := struct {
		LastLockCost          uint64 `json:"last_lock_cost"`
		LastRegistrationBlock uint64 `json:"last_registration_block"`
		CurrentBlock          uint64 `json:"current_block"`
		LockReductionInterval uint64 `json:"lock_reduction_interval"`
		MinLockCost           uint64 `json:"min_lock_cost"`
		BlockEmission         uint64 `json:"block_emission"`
	}{BlockEmission: units.RaoPerTAO}
	if err := decodeInput(raw, &in, "last_lock_cost", "last_registration_block", "current_block",
		"lock_reduction_interval", "min_lock_cost"); err != nil {
		return nil, err
	}
	cost, interval := dtao.NetworkLockCost(dtao.LockCostParams{
		LastLockCost:          units.TAO(in.LastLockCost),
		LastRegistrationBlock: in.LastRegistrationBlock,
		CurrentBlock:          in.CurrentBlock,
		LockReductionInterval: in.LockReductionInterval,
		MinLockCost:           units.TAO(in.MinLockCost),
		BlockEmission:         units.TAO(in.BlockEmission),
	})
	return struct {
		LockCost          uint64 `json:"lock_cost"`
		EffectiveInterval uint64 `json:"effective_interval"`
	}{cost.Rao(), interval}, nil
}
