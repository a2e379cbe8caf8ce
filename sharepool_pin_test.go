package dtao_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/sim"
)

// The payouts pin the owner's entry of a pool grown past two chunks
// (SharePool.pin), and a ledger with pinned entries steps as its own
// snapshot read back, which has none: block after block, the two give
// the same report and the same state. The network has few validators and
// many stakers, so that the validators' pools grow, and a short tempo.
func TestPinnedEntriesStepAsUnpinned(t *testing.T) {
	c := sim.DefaultConfig()
	c.Subnets, c.UIDs, c.Validators, c.RootValidators, c.Stakers = 2, 16, 2, 1, 600
	c.Tempo = 20
	s, err := sim.New(c)
	require.NoError(t, err)
	s.SetActionsPerBlock(16)
	require.NoError(t, s.Run(t.Context(), 1500, nil))
	l := s.Ledger()
	pinned := dtao.PinnedPools(l)
	require.Positive(t, pinned, "no pool pinned after 1500 blocks")
	for range 50 {
		var buf bytes.Buffer
		require.NoError(t, l.WriteSnapshot(&buf))
		back, err := dtao.ReadSnapshot(&buf)
		require.NoError(t, err)
		require.Zero(t, dtao.PinnedPools(back))
		want, err := back.Step()
		require.NoError(t, err)
		got, err := l.Step()
		require.NoError(t, err)
		require.Equal(t, want, got)
		require.Equal(t, back.StateHash(), l.StateHash(), "block %d", l.Block())
	}
	require.GreaterOrEqual(t, dtao.PinnedPools(l), pinned)
}
