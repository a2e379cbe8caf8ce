package amm

import "github.com/dtao-go/dtao/units"

// QuotedBuyFee is the TAO fee of p.Quote(BuyOrder(tao)) when that quote
// succeeds, and ApproxFee(p, tao) when it fails: the fee add_stake's
// minimum check reads (validate_add_stake,
// pallets/subtensor/src/staking/stake_utils.rs, takes the fee_paid of a
// sim_swap of DefaultMinStake, or approx_fee_amount when the simulation
// fails). It returns the same integer as that quote-and-fall-back
// sequence for every pool and amount, usually without the swap's power.
// Where it does not quote it allocates nothing.
//
// Why it is the same: every failed quote and every quote whose price
// limit does not bind report the fee of the gross amount, fee(tao,
// FeeRate) (ApproxFee is that for the dynamic mechanism and 0 for the
// others, as a stable pool's quote is). Only a buy whose full fill would
// move the price past MaxPriceRao recomputes the fee on the smaller input
// that reaches the limit. The fill does not bind when the price after it
// is below the limit by priceBelow (swap's first test), and priceBelow
// grows with the alpha reserve, so a lower bound of the reserve after the
// fill settles it. For a valid pool (weight ratio a = w2/w1 at most 99)
// and a net input with 400·net <= y, the real factor (y/(y+net))^a is at
// least 1 − 99·net/y >= 3/4 (Bernoulli's inequality, and (1−t)^a >= 1−t
// for a < 1); the chain's value is within 1e-18 + 2^-64 below it on the
// exact path (floors of the exact power and of the U64F64 conversion) and
// within 2^-177 more on the series path (internal/bigpow/approx.go,
// Part 1, whose domain holds: |a·ln(y/(y+net))| < 1/4 and the swap's
// precision 256), and bigpow.Pow reports no failure for these arguments
// (base at most 1, non-zero denominators), so the factor is above 1/2,
// the output at most floor(x/2), and the alpha reserve after the fill at
// least x − floor(x/2). Anything else goes through Quote itself.
func (p *Pool) QuotedBuyFee(tao units.TAO) units.TAO {
	fee0 := ApproxFee(p, tao)
	if p.Mechanism != Dynamic || p.Validate() != nil {
		// A stable pool's quote has no fee, as ApproxFee; a pool that
		// Validate refuses fails the quote.
		return fee0
	}
	net := uint64(tao - fee0)
	y, x := uint64(p.TAO), uint64(p.AlphaIn)
	if net <= y/400 {
		quote := p.QuoteWeight
		if !p.Initialized {
			quote = HalfWeight
		}
		limitInt, _ := maxPriceLimit.Bits()
		if curveOf(quote).priceBelow(x-x/2, y+net, limitInt) {
			return fee0
		}
	}
	if q, err := p.Quote(BuyOrder(tao)); err == nil {
		return q.TAOFee
	}
	return fee0
}
