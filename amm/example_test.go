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
	fmt.Println("TAO swapped:", r.PaidIn, "fee:", r.Fee)
	fmt.Println("alpha out:  ", r.PaidOut)
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
	r, err := pool.Swap(amm.BuyOrder(100_000 * units.RaoPerTAO).WithLimit(before * 101 / 100))
	if err != nil {
		panic(err)
	}
	fmt.Println("price before:", before)
	fmt.Println("paid in:", r.PaidIn, "fee:", r.Fee, "unspent:", 100_000*units.RaoPerTAO-r.PaidIn-r.Fee)
	fmt.Printf("alpha out: %d\n", r.Alpha())
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
	var named interface{ ChainName() string }
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
	m, err := pool.MaxAmountAdd(4 * units.RaoPerTAO)
	fmt.Println(m.Rao(), err)
	_, err = pool.MaxAmountAdd(units.RaoPerTAO / 2)
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
	fmt.Println("price bits:", before.BitsString(), "->", pool.Price().BitsString())
	// Output:
	// quote weight: 666666666666666666
	// price bits: 4611686018427387904 -> 4611686018427387917
}
