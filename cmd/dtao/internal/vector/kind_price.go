package vector

import (
	"encoding/json"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// priceKind answers kind "price" (the swap pallet's current_price,
// pallets/swap/src/pallet/impls.rs): the spot price of a dynamic
// pool as U64F64 raw bits and in rao per alpha.
func priceKind(raw json.RawMessage) (any, error) {
	in := struct {
		TAOReserve   uint64 `json:"tao_reserve"`
		AlphaReserve uint64 `json:"alpha_reserve"`
		QuoteWeight  uint64 `json:"quote_weight"`
	}{QuoteWeight: uint64(amm.HalfWeight)}
	if err := decodeInput(raw, &in, "tao_reserve", "alpha_reserve"); err != nil {
		return nil, err
	}
	p := amm.NewPool(units.TAO(in.TAOReserve), units.Alpha(in.AlphaReserve))
	p.QuoteWeight = quoteWeight(in.QuoteWeight)
	return struct {
		PriceBits string `json:"price_bits"`
		PriceRao  uint64 `json:"price_rao"`
	}{p.Price().U64F64().BitsString(), p.PriceRao()}, nil
}
