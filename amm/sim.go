package amm

import (
	"math"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// SimSwapResult is the runtime API's SimSwapResult (swap_simSwapTaoForAlpha,
// swap_simSwapAlphaForTao). For a buy TAOAmount is the net TAO in,
// AlphaAmount the alpha out, TAOFee the fee and AlphaSlippage the shortfall
// against a fill at the spot price; for a sell the roles swap (AlphaAmount
// net in, TAOAmount out, AlphaFee, TAOSlippage). The other fields are 0.
type SimSwapResult struct {
	TAOAmount     units.TAO
	AlphaAmount   units.Alpha
	TAOFee        units.TAO
	AlphaFee      units.Alpha
	TAOSlippage   units.TAO
	AlphaSlippage units.Alpha
}

// SimulateBuy is the runtime API's sim_swap_tao_for_alpha: a quote at the
// default limit with fees. As on chain, every swap error yields the zero
// result; the error is returned as well for callers that want the reason
// (Validate's error for a pool it refuses).
// The no-slippage reference is floor(tao/price), which the chain's safe_div
// makes 0 when the quotient overflows U64F64 (the slippage is then 0).
func (p *Pool) SimulateBuy(tao units.TAO) (SimSwapResult, error) {
	price := p.Price()
	ideal := fixed.U64F64FromUint64(uint64(tao)).SafeDiv(price).SaturatingToUint64()
	r, err := p.simSwap(BuyOrder(tao))
	if err != nil {
		return SimSwapResult{}, err
	}
	return SimSwapResult{
		TAOAmount:     units.TAO(r.PaidIn),
		AlphaAmount:   units.Alpha(r.PaidOut),
		TAOFee:        units.TAO(r.Fee),
		AlphaSlippage: units.Alpha(satSub(ideal, r.PaidOut)),
	}, nil
}

// SimulateSell is the runtime API's sim_swap_alpha_for_tao; see SimulateBuy.
// The no-slippage reference is floor(alpha·price).
func (p *Pool) SimulateSell(alpha units.Alpha) (SimSwapResult, error) {
	price := p.Price()
	ideal := fixed.U64F64FromUint64(uint64(alpha)).SaturatingMul(price).SaturatingToUint64()
	r, err := p.simSwap(SellOrder(alpha))
	if err != nil {
		return SimSwapResult{}, err
	}
	return SimSwapResult{
		TAOAmount:   units.TAO(r.PaidOut),
		AlphaAmount: units.Alpha(r.PaidIn),
		AlphaFee:    units.Alpha(r.Fee),
		TAOSlippage: units.TAO(satSub(ideal, r.PaidOut)),
	}, nil
}

// simSwap is the pallet's sim_swap: the default limit, fees on, rolled back.
func (p *Pool) simSwap(o Order) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	return p.swap(o, true)
}

// MaxAmountAdd is get_max_amount_add: the largest gross TAO amount that can
// be staked before the price reaches limitRao. For the stable mechanism it
// is u64::MAX when limitRao >= 1e9 and 0 otherwise. For the dynamic pool it
// simulates a buy of 1000 × the TAO reserve at that limit and returns
// paid-in + fee; the swap's errors (PriceLimitExceeded when the price is
// already at or above the limit, ReservesTooLow, ...) are returned. A pool
// that Validate refuses is refused with Validate's error.
func (p *Pool) MaxAmountAdd(limitRao uint64) (units.TAO, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	if p.Mechanism == Stable {
		if limitRao >= raoPerTAO {
			return units.TAO(math.MaxUint64), nil
		}
		return 0, nil
	}
	o := Order{Direction: Buy, Amount: satMul(uint64(p.TAO), MaxInputReserveMultiplier), LimitRao: limitRao}
	r, err := p.swap(o, true)
	if err != nil {
		return 0, err
	}
	return units.TAO(satAdd(r.PaidIn, r.Fee)), nil
}

// MaxAmountRemove is get_max_amount_remove: the largest gross alpha amount
// that can be unstaked before the price falls to limitRao. For the stable
// mechanism it is u64::MAX when limitRao <= 1e9 and 0 otherwise; for the
// dynamic pool it simulates a sell of 1000 × the alpha reserve. A pool
// that Validate refuses is refused with Validate's error.
func (p *Pool) MaxAmountRemove(limitRao uint64) (units.Alpha, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	if p.Mechanism == Stable {
		if limitRao <= raoPerTAO {
			return units.Alpha(math.MaxUint64), nil
		}
		return 0, nil
	}
	o := Order{Direction: Sell, Amount: satMul(uint64(p.AlphaIn), MaxInputReserveMultiplier), LimitRao: limitRao}
	r, err := p.swap(o, true)
	if err != nil {
		return 0, err
	}
	return units.Alpha(satAdd(r.PaidIn, r.Fee)), nil
}

// ApproxFee is approx_fee_amount: the fee the pool charges on a gross
// input of amount, floor(amount · floor(FeeRate·2^64/65535) / 2^64); 0 for
// every mechanism but 1, as calculate_fee_amount. It does not validate the
// pool.
func (p *Pool) ApproxFee(amount uint64) uint64 {
	if p.Mechanism != Dynamic {
		return 0
	}
	return fee(amount, p.FeeRate)
}

// AlphaForTAO is get_alpha_amount_for_tao, the transaction-fee pallet's
// estimate: floor(tao / price) without slippage (0 when the quotient
// overflows, as safe_div does); 1:1 for every mechanism but 1. It does not
// validate the pool.
func (p *Pool) AlphaForTAO(tao units.TAO) units.Alpha {
	if p.Mechanism != Dynamic {
		return units.Alpha(tao)
	}
	return units.Alpha(fixed.U64F64FromUint64(uint64(tao)).SafeDiv(p.Price()).SaturatingToUint64())
}
