package emission

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// benchCoinbaseInput is a block of n subnets as a mainnet block might hold
// them: spot prices spread geometrically from 0.003 to 0.1 τ per α, quote
// weights from 0.3 to 0.7 (none 0.5), alpha issuances from 0.4M to 8M α
// in an order unrelated to the price, moving prices a little below spot,
// some miner burn, TAO weight 18% and 6M TAO on root. Where the alpha
// issuance is large the root proportion is small and caps the injection:
// those subnets' excess TAO buys alpha; the others inject it all.
func benchCoinbaseInput(n int) CoinbaseInput {
	in := CoinbaseInput{
		BlockEmission: 1_000_000_000,
		TaoWeight:     ^uint64(0) / 100 * 18,
		RootTAO:       6_000_000 * units.RaoPerTAO,
		Subnets:       make([]CoinbaseSubnet, n),
	}
	for i := range n {
		price := 0.003 * math.Pow(0.1/0.003, float64(i)/float64(max(n-1, 1)))
		w2 := 0.3 + 0.4*float64(i%9)/8
		if i%9 == 4 {
			w2 = 0.55
		}
		alpha := units.Alpha(200_000+60_000*uint64(i*37%n)) * units.RaoPerTAO
		// A weighted pool's spot price is (TAO/w2) / (alpha/w1).
		tao := units.TAO(price * float64(alpha) * w2 / (1 - w2))
		pool := amm.NewPool(tao, alpha)
		pool.QuoteWeight = fixed.Perquintill(w2 * 1e18)
		pool.AlphaOut = alpha
		s := CoinbaseSubnet{
			NetUID:      units.NetUID(i + 1),
			Pool:        pool,
			MovingPrice: fixed.I96F32FromFloat64(price * 0.97),
			Emitting:    true,
		}
		if i%5 == 0 {
			s.MinerBurned = fixed.U96F32FromRatio(1, 4)
		}
		in.Subnets[i] = s
	}
	return in
}

func BenchmarkCoinbase(b *testing.B) {
	for _, n := range []int{64} {
		b.Run(fmt.Sprintf("subnets=%d", n), func(b *testing.B) {
			start := benchCoinbaseInput(n)
			in := start
			in.Subnets = make([]CoinbaseSubnet, n)
			copy(in.Subnets, start.Subnets)
			res, err := Coinbase(&in)
			if err != nil {
				b.Fatal(err)
			}
			buys := 0
			for _, r := range res.Subnets {
				if r.BoughtAlpha > 0 {
					buys++
				}
			}
			if buys == 0 || buys == n {
				b.Fatalf("%d of %d subnets bought alpha: the benchmark wants both paths", buys, n)
			}
			b.ReportAllocs()
			for b.Loop() {
				// Every block starts from the same pools.
				copy(in.Subnets, start.Subnets)
				if _, err := Coinbase(&in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A block's coinbase allocates only the result's per-subnet slice, up to
// the chain's default subnet limit: its working space is on the stack.
func TestCoinbaseAllocs(t *testing.T) {
	start := benchCoinbaseInput(coinbaseSubnets)
	in := start
	in.Subnets = make([]CoinbaseSubnet, len(start.Subnets))
	allocs := testing.AllocsPerRun(20, func() {
		copy(in.Subnets, start.Subnets)
		if _, err := Coinbase(&in); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Fatalf("Coinbase of %d subnets: %v allocations, want 1 (the result)", coinbaseSubnets, allocs)
	}
}

// Past the stack scratch (more subnets than the default limit) the
// coinbase is the same: every rao of the credit is accounted for, and the
// subnets' order in the input does not change what each receives.
func TestCoinbaseBeyondStackScratch(t *testing.T) {
	const n = coinbaseSubnets + 72
	in := benchCoinbaseInput(n)
	rev := benchCoinbaseInput(n)
	slices.Reverse(rev.Subnets)
	res, rres := runCoinbase(t, &in), runCoinbase(t, &rev)
	spent := res.Leftover
	for i, r := range res.Subnets {
		spent += r.TAOIn + r.ChainBuyTAO
		if r != rres.Subnets[n-1-i] || in.Subnets[i] != rev.Subnets[n-1-i] {
			t.Fatalf("subnet %d: %+v in order, %+v reversed", in.Subnets[i].NetUID, r, rres.Subnets[n-1-i])
		}
	}
	if spent != in.BlockEmission || res.Leftover != rres.Leftover {
		t.Fatalf("credit %v accounted as %v (leftover %v, reversed %v)", in.BlockEmission, spent, res.Leftover, rres.Leftover)
	}
}

// The coinbase's chain buy is BuyOrder without WithLimit: the default
// limit is the max price the chain passes.
func TestCoinbaseBuyOrderIsMaxPriceLimit(t *testing.T) {
	for _, tao := range []units.TAO{0, 1, 1e9, math.MaxUint64} {
		if a, b := amm.BuyOrder(tao).WithoutFees(), amm.BuyOrder(tao).WithLimit(amm.PriceFromRao(amm.MaxPriceRao)).WithoutFees(); a != b {
			t.Fatalf("BuyOrder(%d): %+v, with the max price limit %+v", tao, a, b)
		}
	}
}
