package vector

import (
	"encoding/json"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// maxBurnBumps bounds the registrations this runner steps through one by
// one: a case whose price still changes after maxBurnBumps registrations
// (a multiplier barely above 1 that keeps adding a few rao for billions of
// steps) is BadVector. A price that has stopped changing — at max_burn, or
// too small for the multiplier to raise — stays put, so any count of
// registrations beyond it is answered exactly. The decay needs no bound: it
// reaches its floor within about 3.3 million blocks for every half-life.
const maxBurnBumps = 1 << 20

// burnPrice answers kind "burn_price": the registration price after
// blocks blocks of decay and then registrations registrations
// (update_registration_prices_for_networks and
// bump_registration_price_after_registration,
// pallets/subtensor/src/subnets/registration.rs) through subnet.BurnRule.
func burnPrice(raw json.RawMessage) (any, error) {
	var in struct {
		Burn          uint64 `json:"burn"`
		HalfLife      uint16 `json:"half_life"`
		Blocks        uint32 `json:"blocks"`
		Registrations uint32 `json:"registrations"`
		MultBits      string `json:"increase_mult_bits"`
		MinBurn       uint64 `json:"min_burn"`
		MaxBurn       uint64 `json:"max_burn"`
	}
	if err := decodeInput(raw, &in, "burn", "half_life", "blocks", "registrations", "increase_mult_bits",
		"min_burn", "max_burn"); err != nil {
		return nil, err
	}
	mult, err := fixed.ParseU64F64Bits(in.MultBits)
	if err != nil {
		return nil, badVector("increase_mult_bits: %v", err)
	}
	rule := subnet.BurnRule{
		HalfLife:     in.HalfLife,
		IncreaseMult: mult,
		MinBurn:      units.TAO(in.MinBurn),
		MaxBurn:      units.TAO(in.MaxBurn),
	}
	burn := rule.DecayBlocks(units.TAO(in.Burn), in.Blocks)
	steps := min(in.Registrations, maxBurnBumps)
	burn = rule.BumpRegistrations(burn, steps)
	if in.Registrations > steps && rule.Bump(burn) != burn {
		return nil, badVector("the price still rises after %d registrations, this runner's limit", maxBurnBumps)
	}
	return struct {
		Burn uint64 `json:"burn"`
	}{burn.Rao()}, nil
}
