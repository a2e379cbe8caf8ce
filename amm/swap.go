package amm

import (
	"github.com/dtao-go/dtao/units"
)

// Direction says which token goes in.
type Direction uint8

const (
	// Buy pays TAO in and takes alpha out (the chain's GetAlphaForTao, staking).
	Buy Direction = iota + 1
	// Sell pays alpha in and takes TAO out (GetTaoForAlpha, unstaking).
	Sell
)

// String returns "buy" or "sell" (or "Direction(n)" for an invalid value).
func (d Direction) String() string {
	switch d {
	case Buy:
		return "buy"
	case Sell:
		return "sell"
	}
	return "Direction(" + itoa(uint64(d)) + ")"
}

// Order is one exact-input swap: Amount is the gross input (fee included)
// in rao of the input token, LimitRao the price limit in rao per alpha
// (TAO per alpha × 1e9). A buy executes only while the price is below the
// limit and stops at it; a sell only while the price is above it. BuyOrder
// and SellOrder set the chain's default limits; a literal Order with
// LimitRao 0 can sell but never buy.
type Order struct {
	Direction Direction
	Amount    uint64
	LimitRao  uint64
	// DropFees swaps without a fee, as the chain does for its coinbase buys,
	// root-claim sells and the unstaking leg of a stake move.
	DropFees bool
}

// BuyOrder returns an order that pays tao for alpha at the default limit
// MaxPriceRao, as add_stake and sim_swap use.
func BuyOrder(tao units.TAO) Order {
	return Order{Direction: Buy, Amount: uint64(tao), LimitRao: MaxPriceRao}
}

// SellOrder returns an order that pays alpha for TAO at the default limit
// MinPriceRao, as remove_stake and sim_swap use.
func SellOrder(alpha units.Alpha) Order {
	return Order{Direction: Sell, Amount: uint64(alpha), LimitRao: MinPriceRao}
}

// WithLimit returns o with the price limit set to rao per alpha.
func (o Order) WithLimit(rao uint64) Order { o.LimitRao = rao; return o }

// WithoutFees returns o with DropFees set.
func (o Order) WithoutFees() Order { o.DropFees = true; return o }

// Result is the swap pallet's SwapResult. Amounts are rao of the input token
// (PaidIn, Fee, FeeToAuthor) or of the output token (PaidOut).
type Result struct {
	Direction Direction
	// PaidIn is the net input actually swapped (the fee excluded). When the
	// limit binds, PaidIn is the input that moves the price to the limit and
	// the rest of the order's Amount is not consumed. The chain computes that
	// input from the prices alone, so rounding can make it exceed the net
	// amount offered (the chain then swaps it anyway).
	PaidIn uint64
	// PaidOut is the output.
	PaidOut uint64
	// Fee is the fee charged on top of PaidIn.
	Fee uint64
	// FeeToAuthor is the part of Fee paid to the block author: all of it,
	// or 0 when nothing was swapped.
	FeeToAuthor uint64
}

// TAO returns the TAO side of the swap: the net TAO paid in for a buy, the
// TAO paid out for a sell.
func (r Result) TAO() units.TAO {
	if r.Direction == Sell {
		return units.TAO(r.PaidOut)
	}
	return units.TAO(r.PaidIn)
}

// Alpha returns the alpha side of the swap: the alpha paid out for a buy,
// the net alpha paid in for a sell.
func (r Result) Alpha() units.Alpha {
	if r.Direction == Sell {
		return units.Alpha(r.PaidIn)
	}
	return units.Alpha(r.PaidOut)
}

// Quote returns what Swap would return for o, without changing the pool.
// It is the chain's swap with should_rollback (simulation), so it skips the
// one check a simulation skips, InsufficientLiquidity (which the chain's
// arithmetic never triggers: the output is at most the output reserve).
// A pool that Validate refuses is refused with Validate's error. Quote
// does not allocate unless it fails validation.
func (p *Pool) Quote(o Order) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	return p.swap(o, true)
}

// QuoteUnvalidated is Quote without Validate: the swap pallet's arithmetic
// on whatever the pool holds, a quote weight anywhere in [0, 1] and any fee
// rate included. The chain's setters never store such a pool, but its swap
// functions are defined on them, and conformance tools (the runner's kind
// "swap") and what-if studies ask for their value. A weight above 1 (not a
// Perquintill) is still refused with ErrInvalidWeight, and a Mechanism
// other than Dynamic swaps 1:1, as the chain's == 1 test in
// swap_tao_for_alpha reads it. Use Quote for anything read from chain
// storage.
func (p *Pool) QuoteUnvalidated(o Order) (Result, error) {
	if uint64(p.QuoteWeight) > accuracy {
		return Result{}, fieldError{ErrInvalidWeight, "QuoteWeight", uint64(p.QuoteWeight), "is above 1e18 (not a Perquintill)"}
	}
	return p.swap(o, true)
}

// Swap executes o and applies it to the pool as the chain's caller does
// (stake_utils.rs swap_tao_for_alpha / swap_alpha_for_tao): the reserves
// change by the net input and the output, AlphaOut by the alpha that left
// or joined the reserve, and the first swap of an uninitialised pool stores
// the reset weight. The fee is not added to the pool: the chain pays it to
// the block author. A pool that Validate refuses is refused with
// Validate's error. On error the pool is unchanged.
func (p *Pool) Swap(o Order) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	r, err := p.swap(o, false)
	if err != nil {
		return Result{}, err
	}
	if p.Mechanism == Dynamic && !p.Initialized {
		p.QuoteWeight = HalfWeight
		p.Initialized = true
	}
	p.apply(r)
	return r, nil
}

// apply is the caller-side accounting of §6. The chain moves the reserves
// by the SwapResult's i64-clamped deltas (paid_in_reserve_delta_i64,
// paid_out_reserve_delta_i64), so a leg above 2^63 moves a reserve by at
// most 2^63 − 1 (in) or 2^63 (out); reserves saturate.
func (p *Pool) apply(r Result) {
	const maxI64 = 1<<63 - 1
	in := min(r.PaidIn, maxI64)
	out := min(r.PaidOut, maxI64+1)
	if r.Direction == Buy {
		p.AlphaIn = units.Alpha(satSub(uint64(p.AlphaIn), out))
		p.AlphaOut = units.Alpha(satAdd(uint64(p.AlphaOut), r.PaidOut))
		p.TAO = units.TAO(satAdd(uint64(p.TAO), in))
		return
	}
	p.AlphaIn = units.Alpha(satAdd(uint64(p.AlphaIn), in))
	p.AlphaOut = units.Alpha(satSub(uint64(p.AlphaOut), in))
	p.TAO = units.TAO(satSub(uint64(p.TAO), out))
}

// fee is calculate_fee_amount: floor(amount · floor(rate·2^64/65535) / 2^64).
func fee(amount uint64, rate uint16) uint64 {
	return mulInt(amount, ratio(uint64(rate), 65535))
}

// limitFee is the fee recomputed when the limit binds:
// floor(Δin · floor(rate·2^64/(65535−rate)) / 2^64).
func limitFee(deltaIn uint64, rate uint16) uint64 {
	return mulInt(deltaIn, ratio(uint64(rate), 65535-uint64(rate)))
}

// swap is the swap pallet's do_swap + swap_inner + BasicSwapStep, in the
// chain's order of checks; callers validate the pool first. It never
// writes p.
func (p *Pool) swap(o Order, simulate bool) (Result, error) {
	if o.Direction != Buy && o.Direction != Sell {
		return Result{}, ErrInvalidDirection
	}
	if p.Mechanism != Dynamic {
		// stake_utils.rs: the stable mechanism swaps 1:1 without the pallet.
		return Result{Direction: o.Direction, PaidIn: o.Amount, PaidOut: o.Amount}, nil
	}
	y, x := uint64(p.TAO), uint64(p.AlphaIn)
	reserveIn, reserveOut := y, x
	if o.Direction == Sell {
		reserveIn, reserveOut = x, y
	}
	rate := p.FeeRate
	if o.DropFees {
		rate = 0
	}
	fee0 := fee(o.Amount, rate)
	net := o.Amount - fee0 // fee0 <= Amount: the rate is at most MaxFeeRate/65535
	if net > satMul(reserveIn, MaxInputReserveMultiplier) {
		return Result{}, ErrSwapInputTooLarge
	}
	if reserveOut < p.minReserve() {
		return Result{}, ErrReservesTooLow
	}
	quote := p.QuoteWeight
	if !p.Initialized {
		quote = HalfWeight // maybe_initialize_palswap(None)
	}
	c := curveOf(quote)
	var current u128
	if x != 0 {
		current = c.price(x, y)
	}
	limit := ratio(o.LimitRao, raoPerTAO)
	if o.Direction == Buy && current.cmp(limit) >= 0 || o.Direction == Sell && current.cmp(limit) <= 0 {
		return Result{}, ErrPriceLimitExceeded
	}

	// BasicSwapStep: the price after a full fill decides whether the limit binds.
	var out, deltaInAmt uint64
	feePaid := fee0
	if o.Direction == Buy {
		fullOut := c.buyOut(x, y, net)
		target := c.price(satSub(x, fullOut), satAdd(y, net))
		if target.cmp(limit) <= 0 {
			deltaInAmt, out = net, fullOut
		} else {
			deltaInAmt = deltaIn(limit, current, c.w1, y)
			feePaid = limitFee(deltaInAmt, rate)
			out = c.buyOut(x, y, deltaInAmt)
		}
	} else {
		fullOut := c.sellOut(x, y, net)
		target := c.price(satAdd(x, net), satSub(y, fullOut))
		if target.cmp(limit) >= 0 {
			deltaInAmt, out = net, fullOut
		} else {
			deltaInAmt = deltaIn(current, limit, c.w2, x)
			feePaid = limitFee(deltaInAmt, rate)
			out = c.sellOut(x, y, deltaInAmt)
		}
	}
	r := Result{Direction: o.Direction, PaidIn: deltaInAmt, PaidOut: out, Fee: feePaid}
	if deltaInAmt != 0 {
		if out == 0 {
			return Result{}, ErrReservesTooLow
		}
		r.FeeToAuthor = feePaid
	}
	if !simulate && reserveOut < out {
		return Result{}, ErrInsufficientLiquidity
	}
	return r, nil
}

func itoa(u uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			return string(b[i:])
		}
	}
}
