// Command quote prices a stake on a subnet pool in-process, with the
// integers the chain would produce: what a trading bot asks a node's
// sim_swap for, without the round trip. It shows
//
//   - a quote (Pool.SimulateBuy): the alpha 10 TAO buys, the fee, and
//     the slippage against a fill at the spot price;
//   - the way back on the moved pool (Pool.Swap, Pool.SimulateSell);
//   - a limit price as a user types it (amm.ParsePrice, "0.0129"): the
//     most TAO that can be staked before the price reaches it
//     (Pool.MaxAmountAdd, the chain's get_max_amount_add), and a large
//     buy that the limit stops there (Order.WithLimit).
//
// Amounts print as bittensor users read them: τ1,234.567890123 for TAO,
// 12.5α for alpha.
//
//	go run ./examples/quote
package main

import (
	"fmt"
	"log"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// alpha prints an alpha amount as users write it ("12.5α").
func alpha(a units.Alpha) string { return a.Decimal() + units.AlphaSymbol }

func main() {
	log.SetFlags(0)
	// SubnetTAO and SubnetAlphaIn as read from chain state; the weight
	// and fee rate are the chain's defaults (0.5 and 33/65535).
	pool := amm.NewPool(125_000*units.RaoPerTAO, 9_800_000*units.RaoPerTAO)
	fmt.Println("spot price:", pool.Price(), "per alpha")

	// A quote changes nothing.
	stake := units.TAO(10 * units.RaoPerTAO)
	q, err := pool.SimulateBuy(stake)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("stake %v -> %s (fee %v, slippage %s)\n", stake, alpha(q.AlphaAmount), q.TAOFee, alpha(q.AlphaSlippage))

	// Execute it, then price the way back on the moved pool.
	bought, err := pool.Swap(amm.BuyOrder(stake))
	if err != nil {
		log.Fatal(err)
	}
	back, err := pool.SimulateSell(bought.Alpha)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("unstake %s -> %v (fee %s)\n", alpha(bought.Alpha), back.TAOAmount, alpha(back.AlphaFee))

	// A limit price, as typed: stake no further than 0.0129 TAO per alpha.
	limit, err := amm.ParsePrice("0.0129")
	if err != nil {
		log.Fatal(err)
	}
	most, err := pool.MaxAmountAdd(limit)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("limit %v: at most %v can be staked\n", limit, most)

	// A buy far larger than that stops at the limit.
	big := units.TAO(50_000 * units.RaoPerTAO)
	r, err := pool.Quote(amm.BuyOrder(big).WithLimit(limit))
	if err != nil {
		log.Fatal(err)
	}
	after := pool
	if _, err := after.Swap(amm.BuyOrder(big).WithLimit(limit)); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("buy %v with that limit: pays %v for %s, price after %v\n", big, r.TAO+r.TAOFee, alpha(r.Alpha), after.Price())
}
