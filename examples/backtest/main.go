// Command backtest runs a simple trading strategy against the ledger while
// package sim's agents move stake on the default network, and prints its
// profit and loss in TAO against holding TAO.
//
// The strategy watches one subnet's spot price every 50 blocks: it stakes
// all its TAO (buys alpha) when the price is below its moving average and
// unstakes it all (sells) when the price is above. The average is, by
// default, the strategy's own: the mean spot price of the last 4 hours
// (24 samples). With -signal chain it is the chain's SubnetMovingPrice, the
// EMA the coinbase shares emission by; its half-life is four weeks
// (EMAPriceHalvingBlocks), so on a network whose prices climb, as the
// default one's do, it stays below the spot price and the strategy never
// buys.
//
//	go run ./examples/backtest                  # a simulated week
//	go run ./examples/backtest -blocks 216000   # a month
//
// Every amount is the chain's integer of rao; only the printed percentage
// is a float.
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/sim"
	"github.com/dtao-go/dtao/units"
)

const (
	every  = 50  // blocks between two looks at the price (10 minutes)
	window = 24  // samples in the moving average: 24 × 50 blocks = 4 hours
	budget = 100 // the strategy's TAO
)

func main() {
	blocks := flag.Uint64("blocks", 50_400, "blocks to run (7200 a day; 216000 a month)")
	netuid := flag.Uint("netuid", 1, "the subnet to trade (1 to 8 on the default network)")
	signal := flag.String("signal", "mean", "the moving price to trade against: mean (the last 4 hours' mean spot price) or chain (SubnetMovingPrice)")
	flag.Parse()
	if *netuid > 0xffff {
		log.Fatalf("-netuid %d: a netuid is at most 65535", *netuid)
	}
	if *signal != "mean" && *signal != "chain" {
		log.Fatalf("-signal %q: want mean or chain", *signal)
	}
	net := units.NetUID(*netuid)

	// The default network, and a funded coldkey of our own added to its
	// genesis. The agents are the network's stakers as built, before we
	// add ours, so that they never trade our account.
	cfg := sim.DefaultConfig()
	g, err := sim.Genesis(cfg)
	if err != nil {
		log.Fatal(err)
	}
	agents := sim.AgentsOf(&g)
	me := units.AccountID{'b', 'a', 'c', 'k', 't', 'e', 's', 't'}
	start := units.TAO(budget * units.RaoPerTAO)
	g.Accounts = append(g.Accounts, dtao.GenesisAccount{Account: me, Balance: start})
	l, err := dtao.NewLedger(g)
	if err != nil {
		log.Fatal(err)
	}
	s := sim.FromLedger(l, agents, cfg.Seed)
	s.SetActionsPerBlock(cfg.ActionsPerBlock)

	// Stake through the subnet's validator with the most stake weight.
	mg, err := l.Metagraph(net, 0)
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
		log.Fatalf("subnet %d has no validator", net)
	}
	validator := mg.Hotkeys[best]

	var prices []uint64 // the last window spot prices, rao per alpha
	var sum uint64      // their sum
	var buys, sells, refused int
	holding := false // whether the strategy's TAO is staked
	for b := uint64(0); b < *blocks; b++ {
		if _, err := s.Step(); err != nil { // the agents act, then the block runs
			log.Fatal(err)
		}
		if b%every != 0 {
			continue
		}
		info, err := l.DynamicInfo(net)
		if err != nil {
			log.Fatal(err)
		}
		// Compare in the units each average is kept in: rao per alpha for
		// our mean, the chain's I96F32 fixed point for its moving price.
		spot := info.Price.Rao()
		prices = append(prices, spot)
		sum += spot
		if len(prices) > window {
			sum -= prices[0]
			prices = prices[1:]
		}
		var below, above bool
		if *signal == "chain" {
			c := info.Price.U64F64().SaturatingToI96F32().Cmp(info.MovingPrice)
			below, above = c < 0, c > 0
		} else if len(prices) == window {
			mean := sum / window
			below, above = spot < mean, spot > mean
		}

		switch {
		case below && !holding:
			// Keep 1 TAO free: the account must stay above the existential
			// deposit, and the chain refuses a stake that would reap it.
			amount := l.Balance(me).SaturatingSub(units.RaoPerTAO)
			if _, err := l.AddStake(me, validator, net, amount); err != nil {
				refused++ // e.g. AmountTooLow; a refused call changes nothing
				continue
			}
			buys++
			holding = true
		case above && holding:
			if _, err := l.RemoveStake(me, validator, net, l.Stake(validator, me, net)); err != nil {
				refused++
				continue
			}
			sells++
			holding = false
		}
	}

	// Mark to market: the free TAO plus what selling the stake now would
	// pay (the pool's swap, its fee included).
	info, err := l.DynamicInfo(net)
	if err != nil {
		log.Fatal(err)
	}
	held := l.Stake(validator, me, net)
	value := l.Balance(me)
	if sale, err := info.AlphaToTao(held); err == nil {
		value += sale.TAOAmount
	} // else dust too small to swap (ReservesTooLow), worth nothing
	days := float64(*blocks) / 7200
	fmt.Printf("subnet %d over %d blocks (%.1f days), signal %s: %d buys, %d sells, %d refused\n",
		net, *blocks, days, *signal, buys, sells, refused)
	fmt.Printf("price at the end: %v per alpha; the chain's moving price τ%.9f\n",
		units.TAO(info.Price.Rao()), info.MovingPrice.Float64())
	fmt.Printf("holding %s staked and %v free\n", held.Decimal()+units.AlphaSymbol, l.Balance(me))
	fmt.Printf("strategy: %v, P&L %s (%+.2f%%)\n", value, signed(value, start),
		100*(float64(value.Rao())/float64(start.Rao())-1))
	fmt.Printf("holding TAO: %v, P&L τ0\n", start)
}

// signed prints a − b as a signed TAO amount.
func signed(a, b units.TAO) string {
	if a >= b {
		return "+" + (a - b).String()
	}
	return "-" + (b - a).String()
}
