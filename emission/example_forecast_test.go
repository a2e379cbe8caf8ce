package emission_test

import (
	"fmt"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Forecast one day (7200 blocks) of a subnet's emission to its owner, its
// miners and its validators from the pools' state, running the coinbase
// block by block and updating the price EMAs as block_step does.
func Example_dailyForecast() {
	const firstEmission, start = 1_000, 2_000_000
	subnet := func(netuid units.NetUID, tao, alpha units.TAO, ema float64) emission.CoinbaseSubnet {
		pool := amm.NewPool(tao*units.RaoPerTAO, units.Alpha(alpha*units.RaoPerTAO))
		pool.Initialized = true
		pool.AlphaOut = units.Alpha(2_000_000 * units.RaoPerTAO)
		return emission.CoinbaseSubnet{
			NetUID:      netuid,
			Pool:        pool,
			MovingPrice: fixed.I96F32FromFloat64(ema),
			Emitting:    true,
			// OwnerCut left out: the chain's default, emission.DefaultOwnerCut.
		}
	}
	in := emission.CoinbaseInput{
		BlockEmission: emission.BlockEmission(10_600_000 * units.RaoPerTAO), // past the first halving
		TaoWeight:     ^uint64(0) / 100 * 18,                                // 18%
		RootTAO:       3_000_000 * units.RaoPerTAO,
		Subnets: []emission.CoinbaseSubnet{
			subnet(1, 60_000, 1_500_000, 0.04), // price 0.04 TAO
			subnet(2, 20_000, 1_000_000, 0.02),
		},
	}
	var owner, miners, validators, root units.Alpha
	var taoIn units.TAO
	for block := uint64(start); block < start+7200; block++ {
		res, err := emission.Coinbase(&in)
		if err != nil {
			fmt.Println(err)
			return
		}
		got := res.Subnets[0]
		owner += got.Split.OwnerCut
		miners += got.Split.Server
		validators += got.Split.Validator
		root += got.Split.Root
		taoIn += got.TAOIn + got.ExcessTAO
		for i := range in.Subnets {
			s := &in.Subnets[i]
			s.MovingPrice = amm.NextMovingPrice(s.MovingPrice, s.Pool.Price(), amm.DefaultMovingAlpha(),
				amm.BlocksSinceStart(block, firstEmission), amm.DefaultEMAPriceHalvingBlocks)
		}
	}
	fmt.Println("TAO into the pool:", taoIn)
	fmt.Println("owner:     ", owner.Decimal(), "alpha")
	fmt.Println("miners:    ", miners.Decimal(), "alpha")
	fmt.Println("validators:", validators.Decimal(), "alpha")
	fmt.Println("root:      ", root.Decimal(), "alpha")
	// Output:
	// TAO into the pool: τ2,399.904122865
	// owner:      1295.9670384 alpha
	// miners:     2952.0164736 alpha
	// validators: 2557.818901823 alpha
	// root:       394.197570877 alpha
}
