package emission

import (
	"fmt"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// BenchmarkCoinbaserChained is BenchmarkCoinbaser with the pools carried
// from one block to the next, as the ledger's are (most pools see no
// trade between two coinbases).
func BenchmarkCoinbaserChained(b *testing.B) {
	for _, n := range []int{64} {
		b.Run(fmt.Sprintf("subnets=%d", n), func(b *testing.B) {
			in := benchCoinbaseInput(n)
			var z Coinbaser
			b.ReportAllocs()
			for b.Loop() {
				if _, err := z.Coinbase(&in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCoinbaserChainedNearHalf is BenchmarkCoinbaserChained on pools
// weighted at 1/2 or within 3000 parts of 10^18 of it, as a network's
// pools stay when they start from the default weight (an injection at
// the spot price keeps a pool of weight 1/2 there, up to the rounding),
// package sim's and the ledger's BenchmarkStep among them: the chain buys
// take amm's first-order bracket, or its exact path at 1/2.
func BenchmarkCoinbaserChainedNearHalf(b *testing.B) {
	for _, n := range []int{64} {
		b.Run(fmt.Sprintf("subnets=%d", n), func(b *testing.B) {
			in := benchCoinbaseInputNearHalf(n)
			var z Coinbaser
			b.ReportAllocs()
			for b.Loop() {
				if _, err := z.Coinbase(&in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchCoinbaseInputNearHalf is benchCoinbaseInput with each quote weight
// moved to 1/2 + (i mod 7 − 3)·1000 parts and the TAO reserve set again
// for about the same spot price.
func benchCoinbaseInputNearHalf(n int) CoinbaseInput {
	in := benchCoinbaseInput(n)
	for i := range in.Subnets {
		p := &in.Subnets[i].Pool
		price := in.Subnets[i].MovingPrice.Float64() / 0.97
		p.QuoteWeight = fixed.Perquintill(int64(amm.HalfWeight) + int64(i%7-3)*1000)
		p.TAO = units.TAO(price * float64(p.AlphaIn))
	}
	return in
}
