package vector

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// swapKind answers kind "swap" (the swap pallet's do_swap,
// pallets/swap/src/pallet/impls.rs): one exact-input swap on an
// initialised dynamic pool with the runtime's minimum reserve. Output:
// paid_in (net), paid_out, fee, and fee_to_block_author as an extra field.
func swapKind(raw json.RawMessage) (any, error) {
	in := struct {
		TAOReserve    uint64      `json:"tao_reserve"`
		AlphaReserve  uint64      `json:"alpha_reserve"`
		QuoteWeight   uint64      `json:"quote_weight"`
		FeeRate       uint16      `json:"fee_rate"`
		Direction     string      `json:"direction"`
		Amount        uint64      `json:"amount"`
		LimitPriceRao optionalU64 `json:"limit_price_rao"`
		DropFees      bool        `json:"drop_fees"`
	}{QuoteWeight: uint64(amm.HalfWeight), FeeRate: amm.DefaultFeeRate}
	if err := decodeInput(raw, &in, "tao_reserve", "alpha_reserve", "direction", "amount"); err != nil {
		return nil, err
	}
	var o amm.Order
	switch in.Direction {
	case "buy":
		o = amm.BuyOrder(units.TAO(in.Amount))
	case "sell":
		o = amm.SellOrder(units.Alpha(in.Amount))
	default:
		return nil, badVector("field \"direction\": %s is neither \"buy\" nor \"sell\"", quoteShort(in.Direction))
	}
	if in.LimitPriceRao.set {
		// PriceFromRao is the pallet's own conversion of the limit, and
		// WithLimit gives back exactly its rao.
		o = o.WithLimit(amm.PriceFromRao(in.LimitPriceRao.v))
	}
	if in.DropFees {
		o = o.WithoutFees()
	}
	p := amm.NewPool(units.TAO(in.TAOReserve), units.Alpha(in.AlphaReserve))
	p.QuoteWeight = quoteWeight(in.QuoteWeight)
	p.FeeRate = in.FeeRate
	// The case may hold a fee rate or a weight that the chain's setters
	// refuse; the kind asks for the swap's arithmetic on them all the same.
	r, err := p.QuoteUnvalidated(o)
	if err != nil {
		return nil, err
	}
	out := struct {
		PaidIn      uint64 `json:"paid_in"`
		PaidOut     uint64 `json:"paid_out"`
		Fee         uint64 `json:"fee"`
		FeeToAuthor uint64 `json:"fee_to_block_author"`
	}{r.TAO.Rao(), r.Alpha.Rao(), r.TAOFee.Rao(), 0}
	if r.Direction == amm.Sell {
		out.PaidIn, out.PaidOut, out.Fee = r.Alpha.Rao(), r.TAO.Rao(), r.AlphaFee.Rao()
	}
	if r.FeeToAuthor {
		out.FeeToAuthor = out.Fee
	}
	return out, nil
}

// optionalU64 is a u64 field whose default depends on another field (the
// swap's limit follows its direction). Unlike a *uint64 it refuses null, so
// `"limit_price_rao": null` is BadVector like any other value of the wrong
// type, and does not silently take the default.
type optionalU64 struct {
	v   uint64
	set bool
}

func (o *optionalU64) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return errors.New("null is not a u64")
	}
	if err := json.Unmarshal(b, &o.v); err != nil {
		return err
	}
	o.set = true
	return nil
}
