package dtao_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/sim"
	"github.com/dtao-go/dtao/units"
)

// TestDistributeMatchesAllLines: the ledger's epoch and payouts, which
// leave out the lines of no emission on a network without links and find
// each payee's line by PayoutLines, change the state as the reference
// does (distributeAllLines: every uid's line, the cursor's walk), with the
// same events: on sim networks between blocks, every subnet, drained
// buckets of 0, of the usual sizes and near u64::MAX, before and after
// children are set (which takes the path with every line).
func TestDistributeMatchesAllLines(t *testing.T) {
	buckets := [][4]units.Alpha{
		{0, 0, 0, 0},
		{400_000_000_000, 400_000_000_000, 200_000_000_000, 180_000_000_000},
		{1, 0, 0, 1},
		{0, 3_000_000_000, 7_000_000_000, 0},
		{math.MaxUint64 / 3, math.MaxUint64 / 3, math.MaxUint64 / 3, math.MaxUint64 / 8},
	}
	for _, seed := range []uint64{3, 11} {
		c := sim.DefaultConfig()
		c.Subnets, c.UIDs, c.Validators, c.RootValidators, c.Stakers = 4, 24, 6, 2, 120
		c.Tempo = 12
		c.Seed = seed
		s, err := sim.New(c)
		require.NoError(t, err)
		l := s.Ledger()
		nets := l.NetUIDs()[1:]
		byNet := map[units.NetUID][]sim.Validator{}
		for _, v := range s.Agents().Validators {
			byNet[v.NetUID] = append(byNet[v.NetUID], v)
		}
		checked := 0
		for i := range 60 {
			_, err := s.Step()
			require.NoError(t, err)
			if i == 30 {
				// Children on one subnet: a link makes every epoch take
				// the path with every line.
				list := byNet[nets[0]]
				owner, ok := l.Owner(list[0].Hotkey)
				require.True(t, ok)
				require.NoError(t, l.SetChildren(owner, list[0].Hotkey, nets[0], []dtao.Link{{Proportion: math.MaxUint64 / 4, Hotkey: list[1].Hotkey}}))
			}
			if i%7 != 3 {
				continue
			}
			var snap bytes.Buffer
			require.NoError(t, l.WriteSnapshot(&snap))
			for k, netuid := range nets {
				b := buckets[(i/7+k)%len(buckets)]
				x, err := dtao.ReadSnapshot(bytes.NewReader(snap.Bytes()))
				require.NoError(t, err)
				y, err := dtao.ReadSnapshot(bytes.NewReader(snap.Bytes()))
				require.NoError(t, err)
				var ex, ey []dtao.Event
				x.OnEvent(func(e dtao.Event) { ex = append(ex, e) })
				y.OnEvent(func(e dtao.Event) { ey = append(ey, e) })
				// Twice in a row: the second epoch keeps the first's
				// lookups.
				for range 2 {
					require.NoError(t, dtao.DistributeOnce(x, netuid, b[0], b[1], b[2], b[3]))
					require.NoError(t, dtao.DistributeOnceAllLines(y, netuid, b[0], b[1], b[2], b[3]))
					require.Equal(t, ey, ex, "seed %d block %d netuid %d", seed, i, netuid)
					require.Equal(t, y.StateHash(), x.StateHash(), "seed %d block %d netuid %d", seed, i, netuid)
				}
				checked++
			}
		}
		require.Positive(t, checked)
	}
}
