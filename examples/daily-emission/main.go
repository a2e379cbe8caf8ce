// Command daily-emission forecasts a day (7200 blocks) of emission for two
// subnets from their pool state: the TAO each pool receives and the alpha
// its owner, miners, validators and root stakers accrue, running the
// chain's coinbase block by block and the price EMA after it.
//
//	go run ./examples/daily-emission
//
// It runs the emission pipeline alone, from pool states written in the
// program.
package main

import (
	"fmt"
	"log"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

func main() {
	const firstEmission, start = 1_000, 2_000_000
	subnet := func(netuid units.NetUID, tao, alpha units.TAO, ema float64) emission.CoinbaseSubnet {
		pool := amm.NewPool(tao*units.RaoPerTAO, units.Alpha(alpha*units.RaoPerTAO))
		pool.AlphaOut = units.Alpha(2_000_000 * units.RaoPerTAO)
		return emission.CoinbaseSubnet{
			NetUID:      netuid,
			Pool:        pool,
			MovingPrice: fixed.I96F32FromFloat64(ema), // a display value turned into the stored EMA
			Emitting:    true,
			// OwnerCut left out reads as the chain's default, 11_796/65_535;
			// emission.CutOf states another.
		}
	}
	in := emission.CoinbaseInput{
		BlockEmission: emission.BlockEmission(10_600_000 * units.RaoPerTAO),
		TaoWeight:     ^uint64(0) / 100 * 18,
		RootTAO:       3_000_000 * units.RaoPerTAO,
		Subnets:       []emission.CoinbaseSubnet{subnet(1, 60_000, 1_500_000, 0.04), subnet(2, 20_000, 1_000_000, 0.02)},
	}
	type day struct {
		tao                             units.TAO
		owner, miners, validators, root units.Alpha
	}
	days := make([]day, len(in.Subnets))
	for block := uint64(start); block < start+7200; block++ {
		res, err := emission.Coinbase(&in)
		if err != nil {
			log.Fatal(err)
		}
		for i, r := range res.Subnets {
			d := &days[i]
			d.tao += r.TAOIn + r.ExcessTAO
			d.owner += r.Split.OwnerCut
			d.miners += r.Split.Server
			d.validators += r.Split.Validator
			d.root += r.Split.Root
		}
		for i := range in.Subnets {
			s := &in.Subnets[i]
			s.MovingPrice = amm.NextMovingPrice(s.MovingPrice, s.Pool.Price(), amm.DefaultMovingAlpha(),
				amm.BlocksSinceStart(block, firstEmission), amm.DefaultEMAPriceHalvingBlocks)
		}
	}
	alpha := func(a units.Alpha) string { return a.Decimal() + units.AlphaSymbol }
	for i, d := range days {
		fmt.Printf("subnet %d: %v into the pool; alpha to owner %s, miners %s, validators %s, root %s\n",
			in.Subnets[i].NetUID, d.tao, alpha(d.owner), alpha(d.miners), alpha(d.validators), alpha(d.root))
	}
}
