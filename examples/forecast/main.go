// Command forecast estimates a staker's daily yield on a subnet by running
// the ledger for a day: it builds the default network of package sim,
// stakes TAO to a validator of subnet 1 from a new coldkey, steps 7200
// blocks (a day at 12 s a block) and prints the alpha the stake earned,
// its value in TAO at the pool's price, and the yearly rate it implies.
//
//	go run ./examples/forecast
//
// Every amount is the chain's integer of rao; only the printed percentages
// are floats.
package main

import (
	"context"
	"fmt"
	"log"
	"math"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/sim"
	"github.com/dtao-go/dtao/units"
)

func main() {
	const (
		netuid units.NetUID = 1
		stake               = 1_000 * units.RaoPerTAO // the TAO we stake, in rao
		day                 = 7200                    // blocks: 24 h of 12 s blocks
	)

	// The default network of `dtao simulate`: 8 subnets of 256 neurons,
	// deterministic from its seed. We add our own coldkey with a balance
	// before building the ledger, as a genesis account.
	g, err := sim.Genesis(sim.DefaultConfig())
	if err != nil {
		log.Fatal(err)
	}
	me := units.AccountID{'f', 'o', 'r', 'e', 'c', 'a', 's', 't'}
	g.Accounts = append(g.Accounts, dtao.GenesisAccount{Account: me, Balance: stake + units.RaoPerTAO})
	l, err := dtao.NewLedger(g)
	if err != nil {
		log.Fatal(err)
	}

	// Choose the validator with the most stake weight on the subnet: the
	// metagraph holds each uid's hotkey, validator permit and stake (S).
	mg, err := l.Metagraph(netuid, 0)
	if err != nil {
		log.Fatal(err)
	}
	best := -1
	for uid := range mg.UIDs {
		if mg.ValidatorPermit[uid] && (best < 0 || mg.S[uid] > mg.S[best]) {
			best = uid
		}
	}
	if best < 0 {
		log.Fatalf("subnet %d has no validator", netuid)
	}
	validator := mg.Hotkeys[best]

	// Stake: the TAO buys alpha on the subnet's pool (fee included) and the
	// alpha joins the validator's stake as our nominator share.
	if _, err := l.AddStake(me, validator, netuid, stake); err != nil {
		log.Fatal(err)
	}
	before := l.Stake(validator, me, netuid)
	fmt.Printf("staked %v to the validator at uid %d of subnet %d at block %d\n", units.TAO(stake), best, netuid, l.Block())

	// A day of blocks: emission, epochs every tempo (360 blocks), and the
	// validator's dividends paid to its nominators through its share pool.
	if _, err := l.StepN(context.Background(), day); err != nil {
		log.Fatal(err)
	}
	after := l.Stake(validator, me, netuid)
	earned := after.SaturatingSub(before)

	// The alpha's worth in TAO: at the pool's spot price (TAO per alpha, a
	// U64F64 fixed-point number, multiplied by rao and floored), and what
	// selling it now would pay, the fee and slippage included.
	info, err := l.DynamicInfo(netuid)
	if err != nil {
		log.Fatal(err)
	}
	atSpot := units.TAO(info.Price.U64F64().SaturatingMulToUint64(earned.Rao()))
	sale, err := info.AlphaToTao(earned)
	if err != nil {
		log.Fatal(err)
	}

	fmt.Printf("stake before: %v\n", alpha(before))
	fmt.Printf("stake after:  %v at block %d\n", alpha(after), l.Block())
	fmt.Printf("earned:       %v in a day\n", alpha(earned))
	fmt.Printf("worth:        %v at the spot price of %v per alpha (%v if sold now)\n", atSpot, units.TAO(info.Price.Rao()), sale.TAOAmount)

	// The daily rate in alpha (earned over staked, which the price does not
	// move), compounded daily over a year. Floats for display only.
	daily := float64(earned.Rao()) / float64(before.Rao())
	fmt.Printf("daily yield:  %.4f%% of the stake; implied APY %.2f%% (compounded daily)\n",
		100*daily, 100*(math.Pow(1+daily, 365)-1))
}

// alpha prints an amount of alpha as bittensor's tools do ("12.5α").
func alpha(a units.Alpha) string { return a.Decimal() + units.AlphaSymbol }
