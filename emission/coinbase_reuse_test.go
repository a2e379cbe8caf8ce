package emission

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// randomCoinbaseInput is a block of n subnets with random pools, prices,
// burns and flags, netuids in a random order (some above 255, so that the
// storage order is not the numeric one).
func randomCoinbaseInput(rng *rand.Rand, n int) CoinbaseInput {
	in := CoinbaseInput{
		BlockEmission: units.TAO(rng.Uint64N(2_000_000_000)),
		TaoWeight:     randU64(rng),
		RootTAO:       units.TAO(rng.Uint64N(1 << 60)),
	}
	ids := rng.Perm(600)
	for i := range n {
		s := dynamicSubnet(units.NetUID(ids[i]+1), rng.Uint64N(1<<50), rng.Uint64N(1<<55), 0)
		s.Pool.AlphaOut = units.Alpha(rng.Uint64N(1 << 55))
		s.Pool.QuoteWeight = fixed.PerquintillFromParts(10_000_000_000_000_000 + rng.Uint64N(980_000_000_000_000_001))
		s.MovingPrice = fixed.I96F32FromBits(0, rng.Uint64N(1<<34))
		s.Emitting = rng.IntN(5) != 0
		s.EmissionDisabled = rng.IntN(6) == 0
		s.OwnerCutDisabled = rng.IntN(3) == 0
		if rng.IntN(4) == 0 {
			s.MinerBurned = fixed.U96F32FromBits(0, rng.Uint64N(1<<33))
		}
		if rng.IntN(4) == 0 {
			s.OwnerCut = CutOf(uint16(rng.Uint32()))
		}
		in.Subnets = append(in.Subnets, s)
	}
	return in
}

// One Coinbaser run over blocks of varying size (empty, small, past the
// stack scratch of Coinbase, and back) returns, every block, what Coinbase
// returns and leaves the pools as Coinbase does: its reused buffers carry
// nothing from one block to the next (a subnet outside the emit-to set gets
// the zero SubnetCoinbase even where the previous block paid one).
func TestCoinbaserMatchesCoinbase(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	var z Coinbaser
	for block, n := range []int{5, 64, 0, 3, coinbaseSubnets + 40, 7, 64, 64, 1, coinbaseSubnets, 12} {
		in := randomCoinbaseInput(rng, n)
		ref := in
		ref.Subnets = slices.Clone(in.Subnets)
		want, err := Coinbase(&ref)
		require.NoError(t, err)
		got, err := z.Coinbase(&in)
		require.NoError(t, err, "block %d", block)
		require.Equal(t, want, *got, "block %d (%d subnets)", block, n)
		require.Equal(t, ref.Subnets, in.Subnets, "block %d: pools", block)
		require.True(t, z.seen == netuidSet{}, "block %d: the netuid set is not cleared", block)
	}
}

// A refused block is refused with Coinbase's error, changes no pool, and
// the next block is unaffected.
func TestCoinbaserErrors(t *testing.T) {
	var z Coinbaser
	_, err := z.Coinbase(nil)
	require.ErrorIs(t, err, ErrNilInput)
	rng := rand.New(rand.NewPCG(14, 2))
	for _, spoil := range []func(in *CoinbaseInput){
		func(in *CoinbaseInput) { in.Subnets[3].NetUID = 0 },
		func(in *CoinbaseInput) { in.Subnets[5].NetUID = in.Subnets[2].NetUID },
		func(in *CoinbaseInput) { in.Subnets[4].Pool.QuoteWeight = 0 },
	} {
		in := randomCoinbaseInput(rng, 8)
		spoil(&in)
		before := slices.Clone(in.Subnets)
		_, want := Coinbase(&in)
		require.Error(t, want)
		_, err := z.Coinbase(&in)
		require.Equal(t, want.Error(), err.Error())
		require.Equal(t, before, in.Subnets)
		require.True(t, z.seen == netuidSet{}, "the netuid set is not cleared after %v", err)

		ok := randomCoinbaseInput(rng, 8)
		ref := ok
		ref.Subnets = slices.Clone(ok.Subnets)
		wantRes, err := Coinbase(&ref)
		require.NoError(t, err)
		got, err := z.Coinbase(&ok)
		require.NoError(t, err)
		require.Equal(t, wantRes, *got)
	}
}

// Once grown, a Coinbaser's block allocates nothing.
func TestCoinbaserAllocs(t *testing.T) {
	start := benchCoinbaseInput(coinbaseSubnets + 8)
	in := start
	in.Subnets = make([]CoinbaseSubnet, len(start.Subnets))
	var z Coinbaser
	allocs := testing.AllocsPerRun(20, func() {
		copy(in.Subnets, start.Subnets)
		if _, err := z.Coinbase(&in); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Coinbaser of %d subnets: %v allocations, want 0", len(in.Subnets), allocs)
	}
}

// BenchmarkCoinbaser is BenchmarkCoinbase on one reused Coinbaser, as the
// ledger's block runs it.
func BenchmarkCoinbaser(b *testing.B) {
	for _, n := range []int{64} {
		b.Run(fmt.Sprintf("subnets=%d", n), func(b *testing.B) {
			start := benchCoinbaseInput(n)
			in := start
			in.Subnets = make([]CoinbaseSubnet, n)
			var z Coinbaser
			b.ReportAllocs()
			for b.Loop() {
				copy(in.Subnets, start.Subnets)
				if _, err := z.Coinbase(&in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// halve is SaturatingMul by ½ on random raw bits and the extremes.
func TestHalveMatchesMul(t *testing.T) {
	half := fixed.U96F32FromBits(0, 1<<31)
	rng := rand.New(rand.NewPCG(14, 3))
	xs := []fixed.U96F32{{}, fixed.U96F32FromBits(0, 1), fixed.U96F32FromBits(1, 0), fixed.U96F32FromBits(^uint64(0), ^uint64(0)), fixed.U96F32FromBits(1<<63, 1)}
	for range 200_000 {
		xs = append(xs[:5], fixed.U96F32FromBits(randU64(rng)>>rng.IntN(64), randU64(rng)))
		for _, x := range xs {
			if got, want := halve(x), x.SaturatingMul(half); got != want {
				t.Fatalf("halve(%v) = %v, SaturatingMul(½) %v", x, got, want)
			}
		}
	}
}

// sharesAndRootSell gives Shares' shares and RootSell's flag, on random
// subnet sets whose moving prices reach saturation (where RootSell's
// wrapping sum and the shares' saturating one differ).
func TestSharesAndRootSellMatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 4))
	for range 20_000 {
		n := rng.IntN(9)
		in := make([]ShareInput, n)
		for i := range in {
			in[i] = ShareInput{
				MovingPrice:      randI96F32(rng),
				Stable:           rng.IntN(6) == 0,
				MinerBurned:      fixed.U96F32FromBits(randU64(rng)>>rng.IntN(64), randU64(rng)),
				EmissionDisabled: rng.IntN(5) == 0,
			}
			if rng.IntN(3) == 0 {
				in[i].MovingPrice = fixed.I96F32FromFloat64(rng.Float64() * 0.4)
			}
		}
		got, want := make([]fixed.U64F64, n), make([]fixed.U64F64, n)
		sell := sharesAndRootSell(in, got)
		Shares(in, want)
		require.Equal(t, want, got)
		require.Equal(t, RootSell(in), sell, "%+v", in)
	}
}
