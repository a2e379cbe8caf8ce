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
	ideal := fixed.U64F64FromUint64(uint64(tao)).SafeDiv(p.price()).SaturatingToUint64()
	r, err := p.simSwap(BuyOrder(tao))
	if err != nil {
		return SimSwapResult{}, err
	}
	return SimSwapResult{
		TAOAmount:     r.TAO,
		AlphaAmount:   r.Alpha,
		TAOFee:        r.TAOFee,
		AlphaSlippage: units.Alpha(ideal).SaturatingSub(r.Alpha),
	}, nil
}

// SimulateSell is the runtime API's sim_swap_alpha_for_tao; see SimulateBuy.
// The no-slippage reference is floor(alpha·price).
func (p *Pool) SimulateSell(alpha units.Alpha) (SimSwapResult, error) {
	ideal := p.price().SaturatingMulToUint64(uint64(alpha))
	r, err := p.simSwap(SellOrder(alpha))
	if err != nil {
		return SimSwapResult{}, err
	}
	return SimSwapResult{
		TAOAmount:   r.TAO,
		AlphaAmount: r.Alpha,
		AlphaFee:    r.AlphaFee,
		TAOSlippage: units.TAO(ideal).SaturatingSub(r.TAO),
	}, nil
}

// simSwap is the pallet's sim_swap: the default limit, fees on, rolled back.
func (p *Pool) simSwap(o Order) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	return p.swap(o, true)
}

// MaxAmountAdd is get_max_amount_add (pallets/subtensor/src/staking/
// add_stake.rs): the largest gross TAO amount that can be staked before
// the price reaches limit, passed to the chain as limit.Rao(). For the
// stable mechanism it is u64::MAX when the limit is at least 1 TAO per
// alpha and 0 otherwise. For the dynamic pool it simulates a buy of 1000 ×
// the TAO reserve at that limit and returns paid-in + fee; the swap's
// errors (PriceLimitExceeded when the price is already at or above the
// limit, ReservesTooLow, ...) are returned. A pool that Validate refuses is
// refused with Validate's error.
func (p *Pool) MaxAmountAdd(limit Price) (units.TAO, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	limitRao := limit.Rao()
	if p.Mechanism == Stable {
		if limitRao >= units.RaoPerTAO {
			return units.TAO(math.MaxUint64), nil
		}
		return 0, nil
	}
	o := Order{direction: Buy, amount: fixed.SaturatingMulUint64(uint64(p.TAO), MaxInputReserveMultiplier), limitRao: limitRao}
	r, err := p.swap(o, true)
	if err != nil {
		return 0, err
	}
	return r.TAO.SaturatingAdd(r.TAOFee), nil
}

// MaxAmountRemove is get_max_amount_remove (pallets/subtensor/src/staking/
// remove_stake.rs): the largest gross alpha amount that can be unstaked
// before the price falls to limit, passed to the chain as limit.Rao(). For
// the stable mechanism it is u64::MAX when the limit is at most 1 TAO per
// alpha and 0 otherwise; for the dynamic pool it simulates a sell of 1000
// × the alpha reserve. A pool that Validate refuses is refused with
// Validate's error.
func (p *Pool) MaxAmountRemove(limit Price) (units.Alpha, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	limitRao := limit.Rao()
	if p.Mechanism == Stable {
		if limitRao <= units.RaoPerTAO {
			return units.Alpha(math.MaxUint64), nil
		}
		return 0, nil
	}
	o := Order{direction: Sell, amount: fixed.SaturatingMulUint64(uint64(p.AlphaIn), MaxInputReserveMultiplier), limitRao: limitRao}
	r, err := p.swap(o, true)
	if err != nil {
		return 0, err
	}
	return r.Alpha.SaturatingAdd(r.AlphaFee), nil
}

// ApproxFee is approx_fee_amount (pallets/swap/src/pallet/impls.rs): the
// fee p charges on a gross input of amount, in the input token (TAO for a
// buy, alpha for a sell), floor(amount · floor(FeeRate·2^64/65535) / 2^64);
// 0 for every mechanism but 1, as calculate_fee_amount. Like the chain's
// function it is generic over the token. It does not validate the pool.
func ApproxFee[T units.TAO | units.Alpha](p *Pool, amount T) T {
	if p.Mechanism != Dynamic {
		return 0
	}
	return T(fee(uint64(amount), p.FeeRate))
}

// AlphaForTAO is get_alpha_amount_for_tao, the transaction-fee pallet's
// estimate: floor(tao / price) without slippage (0 when the quotient
// overflows, as safe_div does); 1:1 for every mechanism but 1. It does not
// validate the pool.
func (p *Pool) AlphaForTAO(tao units.TAO) units.Alpha {
	if p.Mechanism != Dynamic {
		return units.Alpha(tao)
	}
	return units.Alpha(fixed.U64F64FromUint64(uint64(tao)).SafeDiv(p.price()).SaturatingToUint64())
}
