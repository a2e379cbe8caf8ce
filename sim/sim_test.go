package sim_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/sim"
)

// small is a quick network: 4 subnets of 32 uids, 8 validators, a short
// tempo.
func small(seed uint64) sim.Config {
	c := sim.DefaultConfig()
	c.Subnets, c.UIDs, c.Validators, c.RootValidators, c.Stakers = 4, 32, 8, 3, 200
	c.Tempo = 30
	c.Seed = seed
	return c
}

func TestGenesisBuildsALedger(t *testing.T) {
	for _, c := range []sim.Config{small(1), sim.DefaultConfig()} {
		g, err := sim.Genesis(c)
		require.NoError(t, err)
		l, err := dtao.NewLedger(g)
		require.NoError(t, err)
		require.NoError(t, l.CheckInvariants())
		require.Len(t, l.NetUIDs(), c.Subnets+1)
		require.Equal(t, c.Block, l.Block())
		for _, netuid := range l.NetUIDs() {
			if netuid == dtao.RootNetUID {
				continue
			}
			p, ok := l.Pool(netuid)
			require.True(t, ok)
			rao := p.PriceRao()
			require.GreaterOrEqual(t, rao+1, c.MinPrice, "netuid %d", netuid)
			require.LessOrEqual(t, rao, c.MaxPrice, "netuid %d", netuid)
		}
		// Staker i holds the balance Genesis gave it.
		require.Equal(t, g.Accounts[0].Balance, l.Balance(sim.StakerAccount(0)))
	}
}

// The seed decides the amounts: the same seed gives the same state, another
// seed another state.
func TestGenesisIsSeeded(t *testing.T) {
	hash := func(seed uint64) [32]byte {
		g, err := sim.Genesis(small(seed))
		require.NoError(t, err)
		l, err := dtao.NewLedger(g)
		require.NoError(t, err)
		return l.StateHash()
	}
	require.Equal(t, hash(7), hash(7))
	require.NotEqual(t, hash(7), hash(8))
}

func TestConfigValidate(t *testing.T) {
	for name, mutate := range map[string]func(*sim.Config){
		"no subnet":           func(c *sim.Config) { c.Subnets = 0 },
		"too many subnets":    func(c *sim.Config) { c.Subnets = 129 },
		"uids not above v":    func(c *sim.Config) { c.UIDs = c.Validators },
		"too many uids":       func(c *sim.Config) { c.UIDs = 257 },
		"root validators":     func(c *sim.Config) { c.RootValidators = c.Validators },
		"tempo 0":             func(c *sim.Config) { c.Tempo = 0 },
		"block below 2 tempo": func(c *sim.Config) { c.Block = 2*uint64(c.Tempo) - 1 },
		"prices crossed":      func(c *sim.Config) { c.MinPrice, c.MaxPrice = 10, 9 },
		"reserve too small":   func(c *sim.Config) { c.MinReserve = 1 },
		"no weights":          func(c *sim.Config) { c.WeightsPerValidator = 0 },
	} {
		c := small(1)
		mutate(&c)
		_, err := sim.Genesis(c)
		require.ErrorIs(t, err, sim.ErrInvalidConfig, name)
		_, err = sim.New(c)
		require.ErrorIs(t, err, sim.ErrInvalidConfig, name)
	}
}

// Same Config and seed: the same state hash after the same blocks, and
// the invariants hold throughout.
func TestSimulationIsDeterministic(t *testing.T) {
	run := func(seed uint64) ([32]byte, sim.Stats, int) {
		s, err := sim.New(small(seed))
		require.NoError(t, err)
		epochs := 0
		err = s.Run(context.Background(), 70, func(r dtao.BlockReport) {
			epochs += r.EpochsRun
			require.NoError(t, s.Ledger().CheckInvariants(), "block %d", r.Block)
		})
		require.NoError(t, err)
		return s.Ledger().StateHash(), s.Stats(), epochs
	}
	h1, st1, epochs := run(3)
	h2, st2, _ := run(3)
	require.Equal(t, h1, h2)
	require.Equal(t, st1, st2)
	require.Equal(t, uint64(70), st1.Blocks)
	require.Positive(t, st1.StakesAdded)
	require.Positive(t, st1.StakesRemoved)
	// 70 blocks of tempo 30: every subnet runs two epochs.
	require.Equal(t, 4*2, epochs)
	h3, _, _ := run(4)
	require.NotEqual(t, h1, h3)
}

// The genesis weights make the first epochs pay the weighted miners, and
// only them.
func TestEpochsPayMiners(t *testing.T) {
	c := small(1)
	c.UIDs, c.Validators, c.WeightsPerValidator = 64, 16, 12
	s, err := sim.New(c)
	require.NoError(t, err)
	require.NoError(t, s.Run(context.Background(), uint64(c.Tempo)+1, nil))
	g, err := sim.Genesis(c)
	require.NoError(t, err)
	paid := 0
	for _, sn := range g.Subnets {
		if sn.Storage == nil {
			continue
		}
		for uid := c.Validators; uid < c.UIDs; uid++ {
			if s.Ledger().TotalHotkeyAlpha(sn.Storage.Keys[uid], sn.NetUID) > 0 {
				paid++
			}
		}
	}
	require.Equal(t, c.Subnets*c.WeightsPerValidator, paid, "miners paid")
}

// With the root stake against the alpha issuance of the network, the
// injection cap binds and the chain buys alpha on every subnet.
func TestChainBuys(t *testing.T) {
	s, err := sim.New(small(1))
	require.NoError(t, err)
	r, err := s.Step()
	require.NoError(t, err)
	require.Positive(t, r.Minted)
	for _, netuid := range s.Ledger().NetUIDs() {
		if netuid == dtao.RootNetUID {
			continue
		}
		st, _ := s.Ledger().Subnet(netuid)
		require.Positive(t, st.ProtocolAlpha, "netuid %d: no chain buy", netuid)
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	s, err := sim.New(small(1))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err = s.Run(ctx, 1000, func(dtao.BlockReport) {
		n++
		if n == 5 {
			cancel()
		}
	})
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, uint64(5), s.Stats().Blocks)
	require.Equal(t, small(1).Block+5, s.Ledger().Block())
}

// Each validator re-sets its weights once per tempo, and the chain takes
// them: no SettingWeightsTooFast, the validators stay active.
func TestValidatorsResetWeights(t *testing.T) {
	c := small(1)
	c.Tempo = 120 // above WeightsSetRateLimit (100)
	s, err := sim.New(c)
	require.NoError(t, err)
	require.NoError(t, s.Run(context.Background(), 3*uint64(c.Tempo), nil))
	st := s.Stats()
	require.Equal(t, uint64(3*c.Subnets*c.Validators), st.WeightsSet, "refused: %v", st.Refused)
}

// AgentsOf finds every staker, target and validator of a genesis.
func TestAgentsOf(t *testing.T) {
	c := small(2)
	g, err := sim.Genesis(c)
	require.NoError(t, err)
	a := sim.AgentsOf(&g)
	require.Len(t, a.Stakers, c.Stakers)
	require.Len(t, a.Validators, c.Subnets*c.Validators)
	require.Len(t, a.Positions, c.Stakers)
	seen := map[sim.Target]bool{}
	for _, tg := range a.Targets {
		require.False(t, seen[tg])
		seen[tg] = true
	}
	// Every validator of every subnet and every root validator is a target.
	require.Len(t, a.Targets, c.Subnets*c.Validators+c.RootValidators)
	for _, v := range a.Validators {
		require.Len(t, v.Values, min(c.WeightsPerValidator, c.UIDs-c.Validators))
		require.Contains(t, v.Values, uint16(65535))
	}
	for i, pos := range a.Positions {
		for _, p := range pos {
			tg := a.Targets[p]
			var found bool
			for _, s := range g.Stakes {
				found = found || s.Hotkey == tg.Hotkey && s.NetUID == tg.NetUID && s.Coldkey == a.Stakers[i]
			}
			require.True(t, found)
		}
	}
}

// A refused call is counted by its chain error name, never fatal.
func TestRefusedCallsAreCounted(t *testing.T) {
	c := small(5)
	c.ActionsPerBlock = 64
	c.Tempo = 120 // above WeightsSetRateLimit: no weight setting refused
	s, err := sim.New(c)
	require.NoError(t, err)
	require.NoError(t, s.Run(context.Background(), 40, nil))
	st := s.Stats()
	var refused uint64
	for name, n := range st.Refused {
		require.NotEmpty(t, name)
		refused += n
	}
	require.Equal(t, uint64(40*64), st.StakesAdded+st.StakesRemoved+refused)
	require.NoError(t, s.Ledger().CheckInvariants())
}

// BenchConfig is the benchmark network: 64 subnets of 256 uids,
// 64 validators each, tempo 360, prices within 0.003 to 0.1 TAO per alpha,
// and the chain buying alpha on every subnet from the first block.
func TestBenchConfig(t *testing.T) {
	c := sim.BenchConfig()
	require.Equal(t, 64, c.Subnets)
	require.Equal(t, 256, c.UIDs)
	require.Equal(t, 64, c.Validators)
	require.Equal(t, uint16(360), c.Tempo)
	s, err := sim.New(c)
	require.NoError(t, err)
	_, err = s.Step()
	require.NoError(t, err)
	buys := 0
	var lo, hi uint64 = ^uint64(0), 0
	for _, netuid := range s.Ledger().NetUIDs() {
		if netuid == dtao.RootNetUID {
			continue
		}
		st, _ := s.Ledger().Subnet(netuid)
		if st.ProtocolAlpha > 0 {
			buys++
		}
		lo, hi = min(lo, st.Pool.PriceRao()), max(hi, st.Pool.PriceRao())
	}
	require.Equal(t, 64, buys)
	require.GreaterOrEqual(t, lo, uint64(3_000_000)-1)
	require.Less(t, lo, uint64(6_000_000), "the cheapest subnet near 0.003")
	require.LessOrEqual(t, hi, uint64(100_000_000))
	require.Greater(t, hi, uint64(50_000_000), "the dearest subnet near 0.1")
	require.NoError(t, s.Ledger().CheckInvariants())
}
