package amm

import (
	"math/bits"
	"strconv"

	"github.com/dtao-go/dtao/fixed"
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
	return "Direction(" + strconv.FormatUint(uint64(d), 10) + ")"
}

// Order is one exact-input swap. It is made by BuyOrder (TAO in) or
// SellOrder (alpha in), so that its amount has the input token's type, and
// refined with WithLimit and WithoutFees. Its fields are unexported: the
// zero Order has no direction and every swap refuses it with
// ErrInvalidDirection.
//
// The limit is the chain's: rao per alpha (TAO per alpha × 1e9), a u64
// that the swap pallet turns into a U64F64 price by floor(rao·2^64/1e9)
// (SwapEngine::swap, pallets/swap/src/pallet/impls.rs). A buy executes only
// while the price is below the limit and stops at it; a sell only while the
// price is above it. BuyOrder and SellOrder set the chain's default limits
// MaxPriceRao and MinPriceRao (default_price_limit).
type Order struct {
	direction Direction
	amount    uint64 // gross input, fee included: TAO rao for a buy, alpha rao for a sell
	limitRao  uint64
	dropFees  bool
}

// BuyOrder returns an order that pays tao (fee included) for alpha at the
// default limit MaxPriceRao, as add_stake and sim_swap use.
func BuyOrder(tao units.TAO) Order {
	return Order{direction: Buy, amount: uint64(tao), limitRao: MaxPriceRao}
}

// SellOrder returns an order that pays alpha (fee included) for TAO at the
// default limit MinPriceRao, as remove_stake and sim_swap use.
func SellOrder(alpha units.Alpha) Order {
	return Order{direction: Sell, amount: uint64(alpha), limitRao: MinPriceRao}
}

// WithLimit returns o with the price limit set to limit, converted to the
// chain's rao per alpha by limit.Rao (round to nearest). A limit parsed
// from a decimal of at most 9 decimals, or made by PriceFromRao, converts
// to exactly its rao.
func (o Order) WithLimit(limit Price) Order { o.limitRao = limit.Rao(); return o }

// WithoutFees returns o swapping without a fee, as the chain does for its
// coinbase buys, root-claim sells and the unstaking leg of a stake move.
func (o Order) WithoutFees() Order { o.dropFees = true; return o }

// Direction returns Buy or Sell (0 for the zero Order).
func (o Order) Direction() Direction { return o.direction }

// Limit returns the order's price limit as the swap pallet reads it,
// PriceFromRao of the limit in rao per alpha.
func (o Order) Limit() Price { return PriceFromRao(o.limitRao) }

// Result is the swap pallet's SwapResult with each amount in its token's
// type. A buy pays TAO in and alpha out, a sell alpha in and TAO out; the
// live pool charges its fee in the input token, the constant-product pool
// its flat fee in TAO both ways. Fields of the token a swap does not charge
// a fee in are 0.
type Result struct {
	Direction Direction
	// TAO is the TAO leg: the net TAO paid in for a buy (the fee
	// excluded), the TAO paid out for a sell.
	TAO units.TAO
	// Alpha is the alpha leg: the alpha paid out for a buy, the net alpha
	// paid in for a sell.
	Alpha units.Alpha
	// TAOFee is the fee charged in TAO on top of the net input of a buy
	// (and, in the constant-product pool, the flat fee of either
	// direction).
	TAOFee units.TAO
	// AlphaFee is the fee charged in alpha on top of the net input of a
	// sell.
	AlphaFee units.Alpha
	// FeeToAuthor reports whether the fee is paid to the block author: the
	// chain's fee_to_block_author is then the whole fee, otherwise 0. The
	// live pool pays it whenever something was swapped (BasicSwapStep::
	// process_swap, pallets/swap/src/pallet/swap_step.rs); the
	// constant-product pool keeps its fee in the pool.
	FeeToAuthor bool
}

// When the limit binds, the net input is the input that moves the price to
// the limit and the rest of the order's amount is not consumed. The chain
// computes that input from the prices alone, so rounding can make it exceed
// the net amount offered (the chain then swaps it anyway).

// resultOf types the swap's raw legs by direction: in and fee are rao of
// the input token, out of the output token.
func resultOf(d Direction, in, out, fee uint64, toAuthor bool) Result {
	if d == Sell {
		return Result{Direction: Sell, Alpha: units.Alpha(in), TAO: units.TAO(out), AlphaFee: units.Alpha(fee), FeeToAuthor: toAuthor}
	}
	return Result{Direction: d, TAO: units.TAO(in), Alpha: units.Alpha(out), TAOFee: units.TAO(fee), FeeToAuthor: toAuthor}
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
	if uint64(p.QuoteWeight) > fixed.PerquintillAccuracy {
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

// apply is the caller-side accounting of swap_tao_for_alpha and
// swap_alpha_for_tao (pallets/subtensor/src/staking/stake_utils.rs). The
// chain moves the reserves by the SwapResult's i64-clamped deltas
// (paid_in_reserve_delta_i64, paid_out_reserve_delta_i64), so a leg above
// 2^63 moves a reserve by at most 2^63 − 1 (in) or 2^63 (out); reserves
// saturate.
func (p *Pool) apply(r Result) {
	if r.Direction == Buy {
		p.applyBuy(uint64(r.TAO), uint64(r.Alpha))
		return
	}
	in := min(r.Alpha, maxI64)
	p.AlphaIn = p.AlphaIn.SaturatingAdd(in)
	p.AlphaOut = p.AlphaOut.SaturatingSub(in)
	p.TAO = p.TAO.SaturatingSub(min(r.TAO, maxI64+1))
}

// maxI64 is i64::MAX, the clamp of apply's reserve deltas.
const maxI64 = 1<<63 - 1

// applyBuy is apply for a buy of tao in (net) and alpha out.
func (p *Pool) applyBuy(tao, alpha uint64) {
	p.AlphaIn = p.AlphaIn.SaturatingSub(units.Alpha(min(alpha, maxI64+1)))
	p.AlphaOut = p.AlphaOut.SaturatingAdd(units.Alpha(alpha))
	p.TAO = p.TAO.SaturatingAdd(units.TAO(min(tao, maxI64)))
}

// fee is calculate_fee_amount: floor(amount · floor(rate·2^64/65535) / 2^64).
// A zero rate (the fee-free swaps of the coinbase and the stake moves)
// is a zero fee without the division.
func fee(amount uint64, rate uint16) uint64 {
	if rate == 0 {
		return 0
	}
	return fixed.U64F64FromRatio(uint64(rate), 65535).SaturatingMulToUint64(amount)
}

// limitFee is the fee recomputed when the limit binds:
// floor(Δin · floor(rate·2^64/(65535−rate)) / 2^64).
func limitFee(deltaIn uint64, rate uint16) uint64 {
	return fixed.U64F64FromRatio(uint64(rate), 65535-uint64(rate)).SaturatingMulToUint64(deltaIn)
}

// swap is the swap pallet's do_swap + swap_inner + BasicSwapStep
// (pallets/swap/src/pallet/impls.rs, swap_step.rs), in the chain's order of
// checks, with the legs typed by direction; callers validate the pool
// first. It never writes p.
func (p *Pool) swap(o Order, simulate bool) (Result, error) {
	if o.direction != Buy && o.direction != Sell {
		return Result{}, ErrInvalidDirection
	}
	if p.Mechanism != Dynamic {
		// swap_tao_for_alpha (staking/stake_utils.rs): the stable mechanism
		// swaps 1:1 without the pallet.
		return resultOf(o.direction, o.amount, o.amount, 0, false), nil
	}
	in, out, fee, err := p.swapDynamic(o, simulate)
	if err != nil {
		return Result{}, err
	}
	return resultOf(o.direction, in, out, fee, in != 0), nil
}

// BuyWithoutFees is Swap(BuyOrder(tao).WithoutFees()), the coinbase's
// chain buy (swap_tao_for_alpha with drop_fees, from emit_to_subnets in
// pallets/subtensor/src/coinbase/run_coinbase.rs), returning its two legs:
// the TAO paid in and the alpha paid out (Result.TAO and Result.Alpha; a
// fee-free buy has no fee). The pool update and the errors are Swap's, and
// a failed buy leaves the pool unchanged; it builds no Result, which a
// caller that reads only the legs does not need. It does not allocate
// unless it fails validation.
func (p *Pool) BuyWithoutFees(tao units.TAO) (units.TAO, units.Alpha, error) {
	if err := p.Validate(); err != nil {
		return 0, 0, err
	}
	in, out := uint64(tao), uint64(tao) // the stable mechanism's 1:1 swap
	if p.Mechanism == Dynamic {
		var ok bool
		if out, ok = p.buyFullFill(curveOf(p.QuoteWeight), in); !ok {
			var err error
			in, out, _, err = p.swapDynamic(BuyOrder(tao).WithoutFees(), false)
			if err != nil {
				return 0, 0, err
			}
		}
		if !p.Initialized {
			p.QuoteWeight = HalfWeight
			p.Initialized = true
		}
	}
	p.applyBuy(in, out)
	return units.TAO(in), units.Alpha(out), nil
}

// maxPriceLimitInt is the integer part of maxPriceLimit, the default buy
// limit's (swapDynamic's limitInt for it).
var maxPriceLimitInt, _ = maxPriceLimit.Bits()

// buyFullFill is swapDynamic's fee-free buy of net TAO at the default
// limit (BuyOrder(net).WithoutFees(), not simulated) on a valid dynamic
// pool, for the case that the coinbase's chain buys take: the alpha paid
// out, with ok == false wherever swapDynamic might do anything but fill
// the whole order (the caller then runs swapDynamic). ok is true only
// where each of swapDynamic's steps takes its plain branch: the pool is
// initialised (the quote weight is the stored one), no fee (net is the
// amount), the input and reserve checks pass, priceBelow holds before
// the buy (so the limit check passes without the price) and after the
// full fill (so the limit does not bind), and neither output check
// fails. swapDynamic then returns (net, fullOut, 0, nil), the values
// computed here by the same calls. TestBuyWithoutFeesMatchesSwap and
// FuzzBuyWithoutFees compare BuyWithoutFees with Swap. c is the pool's
// curve, curveOf of its quote weight.
func (p *Pool) buyFullFill(c curve, net uint64) (uint64, bool) {
	y, x := uint64(p.TAO), uint64(p.AlphaIn)
	if !p.Initialized || net > fixed.SaturatingMulUint64(y, MaxInputReserveMultiplier) || x < p.minReserve() {
		return 0, false
	}
	if !c.belowMaxPrice(x, y) {
		return 0, false
	}
	out, ok := c.buyOutFirstOrder(x, y, net)
	if !ok {
		out = c.buyOut(x, y, net)
	}
	if !c.belowMaxPrice(fixed.SaturatingSubUint64(x, out), fixed.SaturatingAddUint64(y, net)) ||
		net != 0 && out == 0 || x < out {
		return 0, false
	}
	return out, true
}

// belowMaxPrice is c.priceBelow(x, y, maxPriceLimitInt) for the curve of
// a valid pool (both weights at least MinWeight), mostly by one product:
// its weights give w1 <= 0.99·1e18 and w2 >= 0.01·1e18, so y < 10^4·x
// (an exact 128-bit product) implies w1·y < 0.99e22·x < 10^6·w2·x, which
// is priceBelow's test for the limit's integer part 10^6 (exact integers:
// priceBelow then reports true). Otherwise priceBelow decides.
// TestBelowMaxPriceMatches compares the two.
func (c curve) belowMaxPrice(x, y uint64) bool {
	if hi, lo := bits.Mul64(x, maxPriceRatio); hi != 0 || y < lo {
		return true
	}
	return c.priceBelow(x, y, maxPriceLimitInt)
}

// maxPriceRatio is belowMaxPrice's bound on y/x: 10^6 TAO per alpha (the
// default limit's integer part) times MinWeight/MaxWeight, rounded down.
const maxPriceRatio = 10_000

// swapDynamic is swap for the live pool (Mechanism Dynamic) and a valid
// direction: the legs of the Result swap builds, paid in (net of the fee),
// paid out and the fee.
func (p *Pool) swapDynamic(o Order, simulate bool) (in, out, feePaid uint64, err error) {
	y, x := uint64(p.TAO), uint64(p.AlphaIn)
	reserveIn, reserveOut := y, x
	if o.direction == Sell {
		reserveIn, reserveOut = x, y
	}
	rate := p.FeeRate
	if o.dropFees {
		rate = 0
	}
	fee0 := fee(o.amount, rate)
	net := o.amount - fee0 // fee0 <= amount: the rate is at most MaxFeeRate/65535
	if net > fixed.SaturatingMulUint64(reserveIn, MaxInputReserveMultiplier) {
		return 0, 0, 0, ErrSwapInputTooLarge
	}
	if reserveOut < p.minReserve() {
		return 0, 0, 0, ErrReservesTooLow
	}
	quote := p.QuoteWeight
	if !p.Initialized {
		quote = HalfWeight // maybe_initialize_palswap(None)
	}
	c := curveOf(quote)
	limit := limitPrice(o.limitRao)
	limitInt, _ := limit.Bits()
	// A buy whose price is provably below its limit (priceBelow: the
	// default limit, 1e6 TAO per alpha, and any pool the chain holds)
	// passes the check without the price; the price is computed only if
	// the limit binds after all.
	var current fixed.U64F64
	haveCurrent := o.direction == Buy && c.priceBelow(x, y, limitInt)
	if !haveCurrent {
		current = c.spot(x, y)
		if o.direction == Buy && !current.Less(limit) || o.direction == Sell && !limit.Less(current) {
			return 0, 0, 0, ErrPriceLimitExceeded
		}
	}

	// BasicSwapStep: the price after a full fill decides whether the limit binds.
	var deltaInAmt uint64
	feePaid = fee0
	if o.direction == Buy {
		fullOut := c.buyOut(x, y, net)
		nx, ny := fixed.SaturatingSubUint64(x, fullOut), fixed.SaturatingAddUint64(y, net)
		if c.priceBelow(nx, ny, limitInt) || !limit.Less(c.spot(nx, ny)) {
			deltaInAmt, out = net, fullOut
		} else {
			if haveCurrent {
				current = c.spot(x, y)
			}
			deltaInAmt = deltaIn(limit, current, c.w1, y)
			feePaid = limitFee(deltaInAmt, rate)
			out = c.buyOut(x, y, deltaInAmt)
		}
	} else {
		fullOut := c.sellOut(x, y, net)
		target := c.spot(fixed.SaturatingAddUint64(x, net), fixed.SaturatingSubUint64(y, fullOut))
		if !target.Less(limit) {
			deltaInAmt, out = net, fullOut
		} else {
			deltaInAmt = deltaIn(current, limit, c.w2, x)
			feePaid = limitFee(deltaInAmt, rate)
			out = c.sellOut(x, y, deltaInAmt)
		}
	}
	if deltaInAmt != 0 && out == 0 {
		return 0, 0, 0, ErrReservesTooLow
	}
	if !simulate && reserveOut < out {
		return 0, 0, 0, ErrInsufficientLiquidity
	}
	return deltaInAmt, out, feePaid, nil
}

// The default limits' prices, converted once (PriceFromRao's value).
var (
	maxPriceLimit = fixed.U64F64FromRatio(MaxPriceRao, units.RaoPerTAO)
	minPriceLimit = fixed.U64F64FromRatio(MinPriceRao, units.RaoPerTAO)
)

// limitPrice is the swap pallet's conversion of a limit in rao per alpha,
// U64F64(rao).safe_div(U64F64(1e9)) (SwapEngine::swap,
// pallets/swap/src/pallet/impls.rs), with the default limits' values
// computed once.
func limitPrice(rao uint64) fixed.U64F64 {
	switch rao {
	case MaxPriceRao:
		return maxPriceLimit
	case MinPriceRao:
		return minPriceLimit
	}
	return fixed.U64F64FromRatio(rao, units.RaoPerTAO)
}
