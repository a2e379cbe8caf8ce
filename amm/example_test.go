package amm_test

import (
	"errors"
	"fmt"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// A quote: what staking 1 TAO into a pool of 1,000 TAO and 4,000 alpha
// returns, with the default fee of 33/65535, before sending anything.
func ExamplePool_Quote() {
	pool := amm.NewPool(1_000*units.RaoPerTAO, 4_000*units.RaoPerTAO)
	r, err := pool.Quote(amm.BuyOrder(1 * units.RaoPerTAO))
	if err != nil {
		panic(err)
	}
	fmt.Println("spot price (rao per alpha):", pool.PriceRao())
	fmt.Println("TAO swapped:", r.TAO.Rao(), "fee:", r.TAOFee.Rao())
	fmt.Println("alpha out:  ", r.Alpha.Rao())
	// Output:
	// spot price (rao per alpha): 250000000
	// TAO swapped: 999496453 fee: 503547
	// alpha out:   3993993829
}

// A swap with a limit price: buying with 100,000 TAO but never above 0.013474477 TAO
// per alpha (1% above the spot price). The limit binds, so only part of the
// TAO is swapped; the rest is not consumed.
func ExamplePool_Swap() {
	pool := amm.NewPool(12_345_678_901_234, 987_654_321_098_765)
	pool.QuoteWeight = 483_726_152_637_485_912
	before := pool.PriceRao()
	limit, err := amm.ParsePrice("0.013474477 τ/α")
	if err != nil {
		panic(err)
	}
	amount := units.TAO(100_000 * units.RaoPerTAO)
	r, err := pool.Swap(amm.BuyOrder(amount).WithLimit(limit))
	if err != nil {
		panic(err)
	}
	fmt.Println("price before:", before)
	fmt.Println("paid in:", r.TAO.Rao(), "fee:", r.TAOFee.Rao(), "unspent:", (amount - r.TAO - r.TAOFee).Rao())
	fmt.Printf("alpha out: %d\n", r.Alpha)
	fmt.Println("price after:", pool.PriceRao())
	// Output:
	// price before: 13341067
	// paid in: 63583772024 fee: 32033594 unspent: 99936384194382
	// alpha out: 4742365122036
	// price after: 13474476
}

// An error: selling 1 rao of alpha buys nothing at this price, so the chain
// refuses it as dust with ReservesTooLow, and the pool is unchanged.
func ExamplePool_Swap_error() {
	pool := amm.NewPool(12_345_678_901_234, 987_654_321_098_765)
	_, err := pool.Swap(amm.SellOrder(1))
	fmt.Println(err)
	fmt.Println(errors.Is(err, amm.ErrReservesTooLow))
	var named *units.ChainError
	if errors.As(err, &named) {
		fmt.Println(named.ChainName())
	}
	// Output:
	// amm: reserves too low for the swap
	// true
	// ReservesTooLow
}

// The runtime API's sim_swap_tao_for_alpha, slippage included.
func ExamplePool_SimulateBuy() {
	pool := amm.NewPool(12_345_678_901_234, 987_654_321_098_765)
	pool.QuoteWeight = 483_726_152_637_485_912
	s, _ := pool.SimulateBuy(1 * units.RaoPerTAO)
	fmt.Printf("net TAO in %d, fee %d, alpha out %d, slippage %d\n", s.TAOAmount, s.TAOFee, s.AlphaAmount, s.AlphaSlippage)
	// Output:
	// net TAO in 999496453, fee 503547, alpha out 74912905254, slippage 43617841
}

// How much TAO can be staked before the price reaches 4 TAO per alpha, and
// the error when the price is already above the limit.
func ExamplePool_MaxAmountAdd() {
	pool := amm.NewPool(1_000_000, 1_000_000)
	m, err := pool.MaxAmountAdd(amm.PriceFromRao(4 * units.RaoPerTAO))
	fmt.Println(m.Rao(), err)
	_, err = pool.MaxAmountAdd(amm.PriceFromRao(units.RaoPerTAO / 2))
	fmt.Println(err)
	// Output:
	// 1000503 <nil>
	// amm: price limit exceeded
}

// An emission injection changes the weights, not the price (up to the
// rounding of the new weight: here 13 raw bits, 7e-19 TAO per alpha).
func ExamplePool_Inject() {
	pool := amm.NewPool(1_000_000_000_000, 4_000_000_000_000)
	before := pool.Price()
	if err := pool.Inject(1_000_000_000_000, 0); err != nil {
		panic(err)
	}
	fmt.Println("quote weight:", uint64(pool.QuoteWeight))
	fmt.Println("price bits:", before.U64F64().BitsString(), "->", pool.Price().U64F64().BitsString())
	// Output:
	// quote weight: 666666666666666666
	// price bits: 4611686018427387904 -> 4611686018427387917
}

// Prices read and print as bittensor users write them, TAO per alpha, with
// the chain's U64F64 inside. A price typed with at most 9 decimals prints
// as typed and converts to exactly its rao per alpha; the pool's own price
// prints with as many decimals as it takes to read back exactly.
func ExampleParsePrice() {
	p, err := amm.ParsePrice("0.013 τ/α")
	if err != nil {
		panic(err)
	}
	fmt.Println(p, p.Decimal(), p.Rao())
	fmt.Println(p == amm.PriceFromRao(13_000_000))

	pool := amm.NewPool(1_000*units.RaoPerTAO, 3_000*units.RaoPerTAO)
	spot := pool.Price()
	back, _ := amm.ParsePrice(spot.String())
	fmt.Println(spot, back == spot, pool.PriceRao())

	_, err = amm.ParsePrice("-0.5")
	fmt.Println(errors.Is(err, amm.ErrInvalidPrice), errors.Is(err, units.ErrNegative))
	// Output:
	// τ0.013000000 0.013 13000000
	// true
	// τ0.33333333333333333332 true 333333333
	// true true
}

// A limit order: stake 500 TAO, but stop buying once the price reaches
// 0.26 TAO per alpha. The limit binds, so only part of the TAO is swapped.
func ExampleOrder_WithLimit() {
	pool := amm.NewPool(1_000*units.RaoPerTAO, 4_000*units.RaoPerTAO)
	limit, err := amm.ParsePrice("τ0.26")
	if err != nil {
		panic(err)
	}
	r, err := pool.Swap(amm.BuyOrder(500 * units.RaoPerTAO).WithLimit(limit))
	if err != nil {
		panic(err)
	}
	fmt.Println("paid:", r.TAO+r.TAOFee)
	fmt.Println("got:", r.Alpha.Decimal(), "alpha")
	fmt.Println("price now:", pool.Price())
	// Output:
	// paid: τ19.813879952
	// got: 77.677297234 alpha
	// price now: τ0.2599999999997042569
}
