package amm_test

import (
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// benchPricePools are 64 general-weight pools as the coinbase and the
// price EMA read them once per block each: quote weights from 0.3 to 0.7,
// reserves of 0.2M to 4M alpha.
func benchPricePools() []amm.Pool {
	pools := make([]amm.Pool, 64)
	for i := range pools {
		alpha := units.Alpha(200_000+60_000*uint64(i*37%64)) * units.RaoPerTAO
		p := amm.NewPool(units.TAO(uint64(alpha)/uint64(10+i)), alpha)
		p.QuoteWeight = fixed.Perquintill(300_000_000_000_000_000 + uint64(i%9)*50_000_000_000_000_000)
		pools[i] = p
	}
	return pools
}

var sinkMovingPrice fixed.I96F32

// BenchmarkPrice is Pool.Price of 64 general-weight pools (one op is the
// 64 prices).
func BenchmarkPrice(b *testing.B) {
	pools := benchPricePools()
	b.ReportAllocs()
	for b.Loop() {
		for i := range pools {
			sinkPrice = pools[i].Price()
		}
	}
}

var sinkPrice amm.Price

// BenchmarkNextMovingPrice is the block's price EMA update of 64 subnets
// as the ledger runs it: Pool.Price and NextMovingPrice with the default
// moving alpha and halving (one op is the 64 updates).
func BenchmarkNextMovingPrice(b *testing.B) {
	pools := benchPricePools()
	prev := make([]fixed.I96F32, len(pools))
	for i := range prev {
		prev[i] = fixed.I96F32FromBits(0, 1<<32/uint64(11+i))
	}
	ma := amm.DefaultMovingAlpha()
	b.ReportAllocs()
	block := uint64(1_000_000)
	for b.Loop() {
		block++
		for i := range pools {
			sinkMovingPrice = amm.NextMovingPrice(prev[i], pools[i].Price(), ma, amm.BlocksSinceStart(block, 1), amm.DefaultEMAPriceHalvingBlocks)
		}
	}
}
