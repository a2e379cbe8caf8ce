package dtao_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/sim"
	"github.com/dtao-go/dtao/units"
)

// The block's moving prices read each pool as the block leaves it
// (update_moving_prices runs after the epochs in the chain's block): the
// ledger takes that price from the coinbase's result, which holds only
// while nothing between the coinbase and the moving prices, epochs and
// payouts included, changes a pool's price fields. A block that changed
// them would make this test fail.
func TestMovingPricesReadTheBlocksPools(t *testing.T) {
	c := sim.DefaultConfig()
	c.Subnets, c.UIDs, c.Validators, c.RootValidators, c.Tempo, c.Seed = 6, 32, 8, 3, 20, 3
	s, err := sim.New(c)
	require.NoError(t, err)
	l := s.Ledger()
	alpha := l.Params().SubnetMovingAlpha
	prev := map[units.NetUID]fixed.I96F32{}
	moved := 0
	for range 120 {
		// The agents trade and a block runs; then a block alone, checked.
		_, err := s.Step()
		require.NoError(t, err)
		for _, id := range l.NetUIDs() {
			st, ok := l.Subnet(id)
			require.True(t, ok)
			prev[id] = st.MovingPrice
		}
		r, err := l.Step()
		require.NoError(t, err)
		for _, id := range l.NetUIDs() {
			st, _ := l.Subnet(id)
			if st.MovingPrice == prev[id] {
				continue // not emitted to, or the EMA stood still
			}
			halving := st.EMAPriceHalvingBlocks
			if halving == 0 {
				halving = amm.DefaultEMAPriceHalvingBlocks
			}
			want := amm.NextMovingPrice(prev[id], st.Pool.Price(), alpha,
				amm.BlocksSinceStart(r.Block, st.FirstEmissionBlock), halving)
			require.Equal(t, want, st.MovingPrice, "netuid %d at block %d", id, r.Block)
			moved++
		}
	}
	require.Greater(t, moved, 200, "moving prices updated")
}
