package amm

import "github.com/dtao-go/dtao/fixed"

// Price is the spot price in TAO per alpha (the chain's current_price): 1
// for the stable mechanism, 0 for an empty alpha reserve, else
// (w1/w2)·(y/x) in U64F64 with each quotient and the product floored. Like
// the chain (swap pallet current_price), it treats every mechanism but 1 as
// stable, and it computes with whatever weight is stored: it does not
// validate the pool.
func (p *Pool) Price() fixed.U64F64 {
	return p.price().fixed()
}

func (p *Pool) price() u128 {
	if p.Mechanism != Dynamic {
		return u128One
	}
	if p.AlphaIn == 0 {
		return u128{}
	}
	return curveOf(p.QuoteWeight).price(uint64(p.AlphaIn), uint64(p.TAO))
}

// PriceRao is the runtime API's current_alpha_price: floor(Price · 1e9),
// rao per alpha.
func (p *Pool) PriceRao() uint64 {
	return PriceToRao(p.Price())
}

// PriceToRao converts a U64F64 price to rao per alpha, floor(price·1e9),
// saturating at u64::MAX.
func PriceToRao(price fixed.U64F64) uint64 {
	return mulInt(raoPerTAO, u128Of(price))
}

// LimitFromRao converts a limit price in rao per alpha to U64F64 as the
// swap pallet does: floor(rao·2^64/1e9).
func LimitFromRao(rao uint64) fixed.U64F64 {
	return ratio(rao, raoPerTAO).fixed()
}
