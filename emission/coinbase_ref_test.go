package emission

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// coinbaseRef is Coinbase as first written, step by step in the order of
// its documentation (run_coinbase.rs and subnet_emissions.rs): the emit-to
// set sorted in storage order, [Shares] and [RootSell] of it, every
// subnet's [SubnetTerms] on the state before any injection (the root
// proportion and the spot price computed afresh), then the injections and
// chain buys spending the credit in storage order, then the alpha out of
// every subnet with its [SplitAlphaOut]. It remembers nothing from one
// block to the next. It is the reference of the fused coinbaseWork.run;
// in must be valid (as coinbaseWork.scan checks).
func coinbaseRef(in *CoinbaseInput) CoinbaseResult {
	res := CoinbaseResult{Subnets: make([]SubnetCoinbase, len(in.Subnets))}
	var emit []int
	for i := range in.Subnets {
		if in.Subnets[i].Emitting {
			emit = append(emit, i)
		}
	}
	slices.SortStableFunc(emit, func(a, b int) int {
		return StorageOrder(in.Subnets[a].NetUID, in.Subnets[b].NetUID)
	})
	shareIn := make([]ShareInput, len(emit))
	for k, i := range emit {
		s := &in.Subnets[i]
		shareIn[k] = ShareInput{
			MovingPrice:      s.MovingPrice,
			Stable:           s.Pool.Mechanism == amm.Stable,
			MinerBurned:      s.MinerBurned,
			EmissionDisabled: s.EmissionDisabled,
		}
	}
	shares := make([]fixed.U64F64, len(emit))
	Shares(shareIn, shares)
	res.RootSell = RootSell(shareIn)

	tw := fixed.U96F32FromU64Proportion(in.TaoWeight)
	terms := make([]Terms, len(emit))
	for k, i := range emit {
		p := &in.Subnets[i].Pool
		issuance := AlphaIssuance(p.AlphaIn, p.AlphaOut)
		terms[k] = SubnetTerms(SubnetTAOEmission(in.BlockEmission, shares[k]), issuance, p.Price().U64F64(),
			RootProportion(in.RootTAO, tw, issuance))
	}

	credit := in.BlockEmission
	for k, i := range emit {
		p := &in.Subnets[i].Pool
		r := &res.Subnets[i]
		taoIn := units.TAO(terms[k].TAOIn.SaturatingToUint64())
		alphaIn := units.Alpha(terms[k].AlphaIn.SaturatingToUint64())
		toSwap := units.TAO(terms[k].ExcessTAO.SaturatingToUint64())
		if err := p.AdjustWeights(taoIn, alphaIn); err != nil {
			taoIn, alphaIn = 0, 0
		}
		if toSwap > 0 && credit >= toSwap {
			credit -= toSwap
			r.ChainBuyTAO = toSwap
			if sw, err := p.Swap(amm.BuyOrder(toSwap).WithLimit(amm.PriceFromRao(amm.MaxPriceRao)).WithoutFees()); err == nil {
				r.ExcessTAO = sw.TAO
				r.BoughtAlpha = sw.Alpha
			}
		}
		r.AlphaIn = alphaIn
		p.AlphaIn = p.AlphaIn.SaturatingAdd(alphaIn)
		if taoIn > 0 && credit >= taoIn {
			credit -= taoIn
			r.TAOIn = taoIn
			p.TAO = p.TAO.SaturatingAdd(taoIn)
		}
	}
	res.Leftover = credit

	for k, i := range emit {
		s := &in.Subnets[i]
		p := &s.Pool
		r := &res.Subnets[i]
		r.AlphaOut = units.Alpha(terms[k].AlphaOut.SaturatingToUint64())
		p.AlphaOut = p.AlphaOut.SaturatingAdd(r.AlphaOut)
		rp := RootProportion(in.RootTAO, tw, AlphaIssuance(p.AlphaIn, p.AlphaOut))
		r.Split = SplitAlphaOut(terms[k].AlphaOut, fixed.U96F32FromU16Proportion(s.OwnerCut.Value()), !s.OwnerCutDisabled, rp)
		if !res.RootSell {
			r.RootRecycled = true
			p.AlphaOut = p.AlphaOut.SaturatingSub(r.Split.Root)
		}
		r.Price = p.Price()
	}
	return res
}

// edgeCoinbaseInput is randomCoinbaseInput with, by the draw, the edges of
// the shares and the terms: moving prices that saturate the sums, all
// zero, stable subnets, every weight burned, every subnet disabled, root
// TAO 0 or saturating the root weight, no block emission, alpha issuance
// past the halvings, prices below 2^-32, and netuids ascending below 256
// (the storage order as given) or not.
func edgeCoinbaseInput(rng *rand.Rand, n int) CoinbaseInput {
	in := randomCoinbaseInput(rng, n)
	switch rng.IntN(4) {
	case 0:
		in.RootTAO = 0
	case 1:
		in.RootTAO = units.TAO(^uint64(0) - rng.Uint64N(3))
		in.TaoWeight = ^uint64(0)
	}
	if rng.IntN(8) == 0 {
		in.BlockEmission = 0
	}
	if rng.IntN(3) == 0 {
		// Netuids ascending below 256: no sort.
		for i := range in.Subnets {
			in.Subnets[i].NetUID = units.NetUID(1 + i*255/max(n, 1))
		}
	}
	mode := rng.IntN(8)
	for i := range in.Subnets {
		s := &in.Subnets[i]
		switch mode {
		case 0:
			s.MovingPrice = fixed.I96F32Max()
		case 1:
			s.MovingPrice = fixed.I96F32{}
		case 2:
			s.MinerBurned = fixed.U96F32FromUint64(1 + rng.Uint64N(3))
		case 3:
			s.EmissionDisabled = true
		case 4:
			s.MovingPrice = fixed.I96F32FromBits(^uint64(0)>>1, ^uint64(0))
			if rng.IntN(2) == 0 {
				s.MovingPrice = fixed.I96F32FromInt64(-1 - rng.Int64N(5))
			}
		}
		switch rng.IntN(10) {
		case 0:
			s.Pool.Mechanism = amm.Stable
		case 1:
			// A price below 2^-32: the terms read it as 0.
			s.Pool.TAO = units.TAO(rng.Uint64N(4))
		case 2:
			// Past the halvings of the alpha emission.
			s.Pool.AlphaOut = units.Alpha(uint64(TotalSupply) - rng.Uint64N(1<<50))
		case 3:
			s.Emitting = true
			s.MinerBurned = fixed.U96F32FromBits(randU64(rng), randU64(rng))
		}
	}
	return in
}

// The fused coinbase (Coinbase, and a Coinbaser over chained blocks with
// its memories of prices and root proportions) gives coinbaseRef's result
// and pools, on random blocks with the edges of edgeCoinbaseInput, pools
// carried from block to block and some changed between blocks.
func TestCoinbaseMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 70))
	for round := range 150 {
		n := rng.IntN(70)
		if round%25 == 0 {
			n = coinbaseSubnets + rng.IntN(20)
		}
		in := edgeCoinbaseInput(rng, n)
		var z Coinbaser
		for block := range 12 {
			if n > 0 {
				for range rng.IntN(4) {
					changePriceField(in.Subnets, rng.IntN(n), rng.IntN(5))
				}
				if rng.IntN(3) == 0 {
					changeRootProportionOperand(&in, rng.IntN(n), rng.IntN(4))
				}
			}
			requireMatchesRef(t, &in, &z, fmt.Sprintf("round %d block %d", round, block))
		}
	}
}

// requireMatchesRef runs the block in three ways, coinbaseRef and
// Coinbase each on a copy and z on in itself, and requires the same
// result and pools of the three (where names the block in a failure). It
// returns the reference's result.
func requireMatchesRef(t *testing.T, in *CoinbaseInput, z *Coinbaser, where string) CoinbaseResult {
	t.Helper()
	ref := *in
	ref.Subnets = slices.Clone(in.Subnets)
	want := coinbaseRef(&ref)

	one := *in
	one.Subnets = slices.Clone(in.Subnets)
	got, err := Coinbase(&one)
	require.NoError(t, err)
	require.Equal(t, want, got, "%s: Coinbase", where)
	require.Equal(t, ref.Subnets, one.Subnets, "%s: Coinbase's pools", where)

	gotZ, err := z.Coinbase(in)
	require.NoError(t, err)
	zwant := want
	if len(in.Subnets) == 0 && gotZ.Subnets == nil {
		// A Coinbaser that never held a subnet reports none in a nil slice.
		zwant.Subnets = nil
	}
	require.Equal(t, zwant, *gotZ, "%s: Coinbaser", where)
	require.Equal(t, ref.Subnets, in.Subnets, "%s: Coinbaser's pools", where)
	return want
}

// The benchmark's block, chained as BenchmarkCoinbaserChained runs it, is
// coinbaseRef's block after block (both chain-buy and inject-all subnets).
func TestCoinbaseBenchShapeMatchesReference(t *testing.T) {
	in := benchCoinbaseInput(64)
	ref := in
	ref.Subnets = slices.Clone(in.Subnets)
	var z Coinbaser
	for block := range 50 {
		want := coinbaseRef(&ref)
		got, err := z.Coinbase(&in)
		require.NoError(t, err)
		require.Equal(t, want, *got, "block %d", block)
		require.Equal(t, ref.Subnets, in.Subnets, "block %d: pools", block)
	}
}
