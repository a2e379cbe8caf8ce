package emission

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/units"
)

// The remembered owner-cut part of the split is used, and only while its
// operands are unchanged: with the Coinbaser's memory of one subnet's
// server half corrupted, the next block differs from Coinbase's when
// nothing changed, and it is Coinbase's again when the owner cut, its
// switch or the alpha out (the issuance past a halving) changed.
func TestCoinbaserCutMemoKey(t *testing.T) {
	base := benchCoinbaseInput(12)
	for i := range base.Subnets {
		base.Subnets[i].OwnerCut = CutOf(5000)
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
			require.NotZero(t, m.cut.server, "a split is remembered")
			m.cut.server++
			switch kind {
			case 0:
				in.Subnets[at].OwnerCut = CutOf(5001)
			case 1:
				in.Subnets[at].OwnerCutDisabled = true
			case 2:
				// Past the first halving of the alpha emission.
				in.Subnets[at].Pool.AlphaOut = 11_000_000 * units.RaoPerTAO
			}
			ref := in
			ref.Subnets = slices.Clone(in.Subnets)
			want, err := Coinbase(&ref)
			require.NoError(t, err)
			got, err := z.Coinbase(&in)
			require.NoError(t, err)
			if kind < 0 {
				require.NotEqual(t, want.Subnets[at], got.Subnets[at], "the corrupted split of unchanged operands is not used")
				return
			}
			require.Equal(t, want, *got)
		})
	}
}

// A Coinbaser run over chained blocks whose owner cuts, switches and
// alpha issuances change now and then returns what Coinbase returns
// every block.
func TestCoinbaserCutMemoMatchesCoinbase(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 96))
	var z Coinbaser
	in := benchCoinbaseInput(32)
	for block := range 150 {
		if rng.IntN(3) == 0 {
			s := &in.Subnets[rng.IntN(len(in.Subnets))]
			switch rng.IntN(3) {
			case 0:
				s.OwnerCut = CutOf(uint16(rng.Uint32()))
			case 1:
				s.OwnerCutDisabled = !s.OwnerCutDisabled
			default:
				s.Pool.AlphaOut = units.Alpha(rng.Uint64N(21_000_000 * units.RaoPerTAO))
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
}
