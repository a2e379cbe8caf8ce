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

// Every subnet in the emit-to set reports its pool's price after the
// coinbase; the others report none.
func TestCoinbasePriceIsPoolPriceAfter(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 40))
	in := randomCoinbaseInput(rng, 40)
	res := runCoinbase(t, &in)
	for i, s := range in.Subnets {
		want := amm.Price{}
		if s.Emitting {
			want = s.Pool.Price()
		}
		require.Equal(t, want, res.Subnets[i].Price, "subnet %d (emitting %v)", s.NetUID, s.Emitting)
	}
}

// changePriceField changes one field the pool's price depends on (or the
// netuid the price is remembered under) of subnets[i], chosen by kind.
func changePriceField(subnets []CoinbaseSubnet, i, kind int) {
	p := &subnets[i].Pool
	switch kind {
	case 0:
		p.TAO++
	case 1:
		p.AlphaIn--
	case 2:
		if p.QuoteWeight < amm.MaxWeight {
			p.QuoteWeight++
		} else {
			p.QuoteWeight--
		}
	case 3:
		p.Mechanism ^= 1 // Dynamic and Stable
	case 4:
		// Another subnet at this index (its neighbour's, swapped).
		j := (i + 1) % len(subnets)
		subnets[i], subnets[j] = subnets[j], subnets[i]
	}
}

// A Coinbaser run over chained blocks, the pools carrying over as the
// ledger's do, with some pools changed between blocks in one field the
// price reads (TAO, AlphaIn, QuoteWeight, Mechanism) or moved to another
// index, returns what Coinbase returns every block: a remembered price is
// used only for the pool it was computed from.
func TestCoinbaserPriceMemoMatchesCoinbase(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 41))
	var z Coinbaser
	in := randomCoinbaseInput(rng, 48)
	for block := range 60 {
		for range rng.IntN(6) {
			changePriceField(in.Subnets, rng.IntN(len(in.Subnets)), rng.IntN(5))
		}
		ref := in
		ref.Subnets = slices.Clone(in.Subnets)
		want, err := Coinbase(&ref)
		require.NoError(t, err)
		got, err := z.Coinbase(&in)
		require.NoError(t, err, "block %d", block)
		require.Equal(t, want, *got, "block %d", block)
		require.Equal(t, ref.Subnets, in.Subnets, "block %d: pools", block)
	}
}

// The remembered price is used, and only while every field it depends on
// is unchanged: with the Coinbaser's memory of one subnet's price
// corrupted (the spot doubled), the next block differs from Coinbase's
// when that pool is unchanged, so the comparison above would catch a
// stale price; and it is Coinbase's again when any one field of the
// price (or the subnet at the index) changed, so none is left out of the
// memory's key.
func TestCoinbaserPriceMemoKey(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 42))
	base := randomCoinbaseInput(rng, 12)
	base.BlockEmission = 1_000_000_000
	for i := range base.Subnets {
		// Emitting dynamic pools of 1M alpha issued (so that the block
		// emits alpha) and a price from 0.05 up: alpha in (the TAO share over
		// the price) or, under the root proportion's cap, TAO in (the cap
		// times the price) depends on the price.
		s := &base.Subnets[i]
		s.Emitting, s.EmissionDisabled = true, false
		s.Pool.Mechanism = amm.Dynamic
		s.Pool.AlphaIn, s.Pool.AlphaOut = 500_000_000_000_000, 500_000_000_000_000
		s.Pool.TAO = units.TAO(25_000_000_000_000 + 1_000_000_000_000*uint64(i))
		s.Pool.QuoteWeight = amm.HalfWeight
	}
	const at = 5
	for kind := -1; kind < 5; kind++ {
		t.Run(fmt.Sprintf("change=%d", kind), func(t *testing.T) {
			var z Coinbaser
			in := base
			in.Subnets = slices.Clone(base.Subnets)
			_, err := z.Coinbase(&in)
			require.NoError(t, err)
			m := &z.ws.prices[at]
			require.Equal(t, in.Subnets[at].NetUID, m.netuid, "the price is remembered")
			m.price = amm.PriceFromU64F64(m.price.U64F64().SaturatingMul(fixed.U64F64FromUint64(2)))
			if kind >= 0 {
				changePriceField(in.Subnets, at, kind)
			}
			ref := in
			ref.Subnets = slices.Clone(in.Subnets)
			want, err := Coinbase(&ref)
			require.NoError(t, err)
			got, err := z.Coinbase(&in)
			require.NoError(t, err)
			if kind < 0 {
				require.NotEqual(t, want.Subnets[at], got.Subnets[at], "the corrupted price of an unchanged pool is not used")
				return
			}
			require.Equal(t, want, *got)
		})
	}
}

// changeRootProportionOperand changes, by kind, one operand of the root
// proportion the Coinbaser remembers for subnets[i]: the root TAO, the TAO
// weight or the subnet's alpha issuance (its AlphaOut), or moves another
// subnet to the index.
func changeRootProportionOperand(in *CoinbaseInput, i, kind int) {
	switch kind {
	case 0:
		in.RootTAO++
	case 1:
		in.TaoWeight--
	case 2:
		in.Subnets[i].Pool.AlphaOut++
	case 3:
		j := (i + 1) % len(in.Subnets)
		in.Subnets[i], in.Subnets[j] = in.Subnets[j], in.Subnets[i]
	}
}

// A Coinbaser run over chained blocks with, between blocks, the root TAO,
// the TAO weight or some subnets' alpha issuance changed (or subnets moved
// to other indices) returns what Coinbase returns every block, and it
// does take root proportions from its memory (most blocks leave every
// operand unchanged).
func TestCoinbaserRootProportionMemoMatchesCoinbase(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 43))
	var z Coinbaser
	in := randomCoinbaseInput(rng, 48)
	remembered := 0
	for block := range 80 {
		if rng.IntN(3) == 0 {
			for range 1 + rng.IntN(4) {
				changeRootProportionOperand(&in, rng.IntN(len(in.Subnets)), rng.IntN(4))
			}
		}
		rootW := rootWeight(in.RootTAO, fixed.U96F32FromU64Proportion(in.TaoWeight))
		for i, s := range in.Subnets {
			if m := z.ws.prices; i < len(m) && s.Emitting && m[i].rootW == rootW && m[i].issuance == AlphaIssuance(s.Pool.AlphaIn, s.Pool.AlphaOut) {
				remembered++
			}
		}
		ref := in
		ref.Subnets = slices.Clone(in.Subnets)
		want, err := Coinbase(&ref)
		require.NoError(t, err)
		got, err := z.Coinbase(&in)
		require.NoError(t, err, "block %d", block)
		require.Equal(t, want, *got, "block %d", block)
		require.Equal(t, ref.Subnets, in.Subnets, "block %d: pools", block)
	}
	require.Greater(t, remembered, 80*20, "root proportions taken from the memory")
}

// The remembered root proportion is used, and only while its operands are
// unchanged: with the Coinbaser's memory of one subnet's root proportion
// corrupted (set to 0, which caps its alpha in at 0), the next block
// differs from Coinbase's when nothing changed, and it is Coinbase's again
// when the root TAO, the TAO weight or the subnet's issuance changed. (The
// netuid is not part of the key: the root proportion is a function of the
// two operands alone.)
func TestCoinbaserRootProportionMemoKey(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 44))
	base := randomCoinbaseInput(rng, 12)
	base.BlockEmission = 1_000_000_000
	base.RootTAO = 1_000_000_000_000_000
	base.TaoWeight = 1 << 62
	for i := range base.Subnets {
		// Emitting dynamic pools of 1M alpha issued (so that the block
		// emits alpha) whose moving prices sum above 1 (root sells: the
		// split leaves the issuance the next block starts from).
		s := &base.Subnets[i]
		s.Emitting, s.EmissionDisabled = true, false
		s.Pool.Mechanism = amm.Dynamic
		s.Pool.AlphaIn, s.Pool.AlphaOut = 500_000_000_000_000, 500_000_000_000_000
		s.Pool.TAO = units.TAO(25_000_000_000_000 + 1_000_000_000_000*uint64(i))
		s.Pool.QuoteWeight = amm.HalfWeight
		s.MovingPrice = fixed.I96F32FromBits(0, 1<<31)
	}
	const at = 5
	for kind := -1; kind < 3; kind++ {
		t.Run(fmt.Sprintf("change=%d", kind), func(t *testing.T) {
			var z Coinbaser
			in := base
			in.Subnets = slices.Clone(base.Subnets)
			_, err := z.Coinbase(&in)
			require.NoError(t, err)
			m := &z.ws.prices[at]
			require.False(t, m.rootProp.IsZero(), "a root proportion is remembered")
			m.rootProp = fixed.U96F32{}
			if kind >= 0 {
				changeRootProportionOperand(&in, at, kind)
			}
			ref := in
			ref.Subnets = slices.Clone(in.Subnets)
			want, err := Coinbase(&ref)
			require.NoError(t, err)
			got, err := z.Coinbase(&in)
			require.NoError(t, err)
			if kind < 0 {
				require.NotEqual(t, want.Subnets[at], got.Subnets[at], "the corrupted root proportion of unchanged operands is not used")
				return
			}
			require.Equal(t, want, *got)
		})
	}
}
