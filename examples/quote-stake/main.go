// Command quote-stake prices a stake and its unstake on a subnet pool
// in-process, with the integers the chain would produce: what a trading bot
// asks a node's sim_swap for, without the round trip.
package main

import (
	"fmt"
	"log"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

func main() {
	// SubnetTAO and SubnetAlphaIn as read from chain state; the weight and
	// fee here are the chain's defaults.
	pool := amm.NewPool(125_000*units.RaoPerTAO, units.Alpha(9_800_000*units.RaoPerTAO))
	fmt.Println("spot price:", pool.PriceRao(), "rao per alpha")

	stake, err := pool.SimulateBuy(10 * units.RaoPerTAO)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("stake 10 TAO -> alpha:", stake.AlphaAmount.Decimal(), "fee:", stake.TAOFee, "slippage:", stake.AlphaSlippage.Decimal())

	// Apply it, then price the way back on the moved pool.
	if _, err := pool.Swap(amm.BuyOrder(10 * units.RaoPerTAO)); err != nil {
		log.Fatal(err)
	}
	unstake, err := pool.SimulateSell(stake.AlphaAmount)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("unstake it all -> TAO:", unstake.TAOAmount, "fee:", unstake.AlphaFee.Decimal(), "alpha")

	// A limit price stops a buy where the price would pass it.
	limit := amm.PriceFromRao(pool.PriceRao() * 101 / 100)
	limited, err := pool.Quote(amm.BuyOrder(50_000 * units.RaoPerTAO).WithLimit(limit))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("buy up to +1% price: pays", limited.TAO+limited.TAOFee, "for", limited.Alpha.Decimal(), "alpha")
}
