package vector

import (
	"encoding/json"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// injectKind answers kind "inject" (Balancer::update_weights_for_added_liquidity,
// pallets/swap/src/pallet/balancer.rs): the weight update for an emission
// injection; error InvalidWeight when the new weight would leave
// [1e16, 1e18 − 1e16].
func injectKind(raw json.RawMessage) (any, error) {
	in := struct {
		TAOReserve   uint64 `json:"tao_reserve"`
		AlphaReserve uint64 `json:"alpha_reserve"`
		QuoteWeight  uint64 `json:"quote_weight"`
		TAOIn        uint64 `json:"tao_in"`
		AlphaIn      uint64 `json:"alpha_in"`
	}{QuoteWeight: uint64(amm.HalfWeight)}
	if err := decodeInput(raw, &in, "tao_reserve", "alpha_reserve", "tao_in", "alpha_in"); err != nil {
		return nil, err
	}
	p := amm.NewPool(units.TAO(in.TAOReserve), units.Alpha(in.AlphaReserve))
	p.QuoteWeight = quoteWeight(in.QuoteWeight)
	if err := p.AdjustWeights(units.TAO(in.TAOIn), units.Alpha(in.AlphaIn)); err != nil {
		return nil, err
	}
	return struct {
		QuoteWeight uint64 `json:"quote_weight"`
	}{uint64(p.QuoteWeight)}, nil
}
