package amm

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// swapRef is swap as first written: every price computed (the current
// price and the target's, each with its own weight ratio) and the limit
// converted per call. It is the reference of swap.
func (p *Pool) swapRef(o Order, simulate bool) (Result, error) {
	if o.direction != Buy && o.direction != Sell {
		return Result{}, ErrInvalidDirection
	}
	if p.Mechanism != Dynamic {
		// swap_tao_for_alpha (staking/stake_utils.rs): the stable mechanism
		// swaps 1:1 without the pallet.
		return resultOf(o.direction, o.amount, o.amount, 0, false), nil
	}
	y, x := uint64(p.TAO), uint64(p.AlphaIn)
	reserveIn, reserveOut := y, x
	if o.direction == Sell {
		reserveIn, reserveOut = x, y
	}
	rate := p.FeeRate
	if o.dropFees {
		rate = 0
	}
	fee0 := feeRef(o.amount, rate)
	net := o.amount - fee0 // fee0 <= amount: the rate is at most MaxFeeRate/65535
	if net > fixed.SaturatingMulUint64(reserveIn, MaxInputReserveMultiplier) {
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
	var current fixed.U64F64
	if x != 0 {
		current = c.price(x, y)
	}
	limit := fixed.U64F64FromRatio(o.limitRao, units.RaoPerTAO)
	if o.direction == Buy && !current.Less(limit) || o.direction == Sell && !limit.Less(current) {
		return Result{}, ErrPriceLimitExceeded
	}

	// BasicSwapStep: the price after a full fill decides whether the limit binds.
	var out, deltaInAmt uint64
	feePaid := fee0
	if o.direction == Buy {
		fullOut := c.buyOutRef(x, y, net)
		target := c.price(fixed.SaturatingSubUint64(x, fullOut), fixed.SaturatingAddUint64(y, net))
		if !limit.Less(target) {
			deltaInAmt, out = net, fullOut
		} else {
			deltaInAmt = deltaIn(limit, current, c.w1, y)
			feePaid = limitFee(deltaInAmt, rate)
			out = c.buyOutRef(x, y, deltaInAmt)
		}
	} else {
		fullOut := c.sellOutRef(x, y, net)
		target := c.price(fixed.SaturatingAddUint64(x, net), fixed.SaturatingSubUint64(y, fullOut))
		if !target.Less(limit) {
			deltaInAmt, out = net, fullOut
		} else {
			deltaInAmt = deltaIn(current, limit, c.w2, x)
			feePaid = limitFee(deltaInAmt, rate)
			out = c.sellOutRef(x, y, deltaInAmt)
		}
	}
	if deltaInAmt != 0 && out == 0 {
		return Result{}, ErrReservesTooLow
	}
	if !simulate && reserveOut < out {
		return Result{}, ErrInsufficientLiquidity
	}
	return resultOf(o.direction, deltaInAmt, out, feePaid, deltaInAmt != 0), nil
}

func feeRef(amount uint64, rate uint16) uint64 {
	return fixed.U64F64FromRatio(uint64(rate), 65535).SaturatingMulToUint64(amount)
}

// swap gives swapRef's result and error on random pools and orders, with
// limits at, just above and just below the pool's price and the prices
// after the swap, the defaults, zero reserves and extreme weights.
func TestSwapMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 15))
	r64 := func() uint64 {
		switch rng.IntN(12) {
		case 0:
			return 0
		case 1:
			return math.MaxUint64
		}
		return rng.Uint64() >> rng.IntN(64)
	}
	weights := []uint64{0, 1, uint64(MinWeight), uint64(HalfWeight), uint64(MaxWeight), fixed.PerquintillAccuracy}
	for range 15_000 {
		p := NewPool(units.TAO(r64()), units.Alpha(r64()))
		if rng.IntN(3) == 0 {
			p = NewPool(units.TAO(1e12+rng.Uint64N(1e16)), units.Alpha(1e12+rng.Uint64N(1e17)))
		}
		p.QuoteWeight = fixed.Perquintill(rng.Uint64N(fixed.PerquintillAccuracy + 1))
		if rng.IntN(4) == 0 {
			p.QuoteWeight = fixed.Perquintill(weights[rng.IntN(len(weights))])
		}
		p.FeeRate = uint16(rng.IntN(int(MaxFeeRate) + 1))
		p.Initialized = rng.IntN(8) != 0
		p.MinReserve = uint64(rng.IntN(3))
		var o Order
		if rng.IntN(2) == 0 {
			o = BuyOrder(units.TAO(r64() >> rng.IntN(40)))
		} else {
			o = SellOrder(units.Alpha(r64() >> rng.IntN(40)))
		}
		pr := p.PriceRao()
		switch rng.IntN(6) {
		case 0:
			o = o.WithLimit(PriceFromRao(r64()))
		case 1:
			o.limitRao = pr + uint64(rng.IntN(5)) - 2
		case 2:
			// Near the price after the swap.
			o.limitRao = pr + pr/uint64(1+rng.IntN(1000)) + uint64(rng.IntN(3))
		case 3:
			o.limitRao = pr - pr/uint64(1+rng.IntN(1000))
		case 4:
			o.limitRao = uint64(1+rng.IntN(3)) * units.RaoPerTAO * uint64(1+rng.IntN(1e6))
		}
		if rng.IntN(2) == 0 {
			o = o.WithoutFees()
		}
		for _, sim := range []bool{true, false} {
			got, gerr := p.swap(o, sim)
			want, werr := p.swapRef(o, sim)
			if got != want || !errors.Is(gerr, werr) || (gerr == nil) != (werr == nil) {
				t.Fatalf("pool %+v, order %+v, simulate %v: swap %+v, %v; reference %+v, %v", p, o, sim, got, gerr, want, werr)
			}
		}
	}
}

// priceBelow never claims a price that is not below the limit's integer.
func TestPriceBelowIsSound(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 16))
	for range 200_000 {
		c := curveOf(fixed.Perquintill(rng.Uint64N(fixed.PerquintillAccuracy + 1)))
		x, y := rng.Uint64()>>rng.IntN(64), rng.Uint64()>>rng.IntN(64)
		lim := rng.Uint64() >> rng.IntN(64)
		if rng.IntN(2) == 0 {
			// Around the price itself.
			ph, _ := c.spot(x, y).Bits()
			lim = ph + uint64(rng.IntN(3))
		}
		if c.priceBelow(x, y, lim) {
			if !c.spot(x, y).Less(fixed.U64F64FromUint64(lim)) {
				t.Fatalf("priceBelow(%d, %d, %d) at %+v, but the price is %v", x, y, lim, c, c.spot(x, y))
			}
		}
	}
	// A chain buy at the default limit on a pool far below it takes the
	// proof: quote weight 0.01 (w1/w2 = 99) and y/x = 1000.
	c := curveOf(MinWeight)
	if !c.priceBelow(1e12, 1e15, MaxPriceRao/units.RaoPerTAO) {
		t.Fatal("a 99:1 pool at price 99,000 is not proved below 1e6")
	}
}

func FuzzSwapMatchesReference(f *testing.F) {
	f.Add(uint64(1e15), uint64(3e15), uint64(HalfWeight), uint64(1e10), uint64(MaxPriceRao), true, true)
	f.Add(uint64(1e12), uint64(1e12), uint64(MinWeight), uint64(1e9), uint64(1_000_000_001), true, false)
	f.Fuzz(func(t *testing.T, y, x, w2, amount, limit uint64, buy, noFee bool) {
		p := NewPool(units.TAO(y), units.Alpha(x))
		p.QuoteWeight = fixed.Perquintill(w2 % (fixed.PerquintillAccuracy + 1))
		o := SellOrder(units.Alpha(amount))
		if buy {
			o = BuyOrder(units.TAO(amount))
		}
		o.limitRao = limit
		if noFee {
			o = o.WithoutFees()
		}
		got, gerr := p.swap(o, false)
		want, werr := p.swapRef(o, false)
		if got != want || !errors.Is(gerr, werr) || (gerr == nil) != (werr == nil) {
			t.Fatalf("pool %+v, order %+v: swap %+v, %v; reference %+v, %v", p, o, got, gerr, want, werr)
		}
	})
}
