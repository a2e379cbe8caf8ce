package sim

import (
	"slices"
	"testing"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/units"
)

// mixedTempos is a small network whose subnets run at two tempos (30
// and, on every other subnet, 20), with stakers and validators.
func mixedTempos(t *testing.T) dtao.GenesisConfig {
	t.Helper()
	c := DefaultConfig()
	c.Subnets, c.UIDs, c.Validators, c.RootValidators, c.Stakers = 6, 32, 8, 3, 300
	c.Tempo, c.Seed = 30, 5
	g, err := Genesis(c)
	if err != nil {
		t.Fatal(err)
	}
	for k := range g.Subnets {
		if st := g.Subnets[k].Storage; st != nil && k%2 == 1 {
			st.Hyperparameters.Tempo = 20
		}
	}
	return g
}

// refStep is Step as the agents stepped before their rows were laid out
// by slot and the acts drawn ahead in chunks: each act draws its own
// staker and its numbers at its start (refAct), and the validators re-set their
// weights tempo by tempo (ascending), each tempo's in agents' order,
// those whose slot is the block, each from a row of its own and each in
// a call of its own.
func refStep(t *testing.T, s *Simulation) {
	t.Helper()
	next := s.l.Block() + 1
	if len(s.stakers) > 0 && len(s.agents.Targets) > 0 {
		for range s.actions {
			refAct(s)
		}
	}
	var tempos []uint64
	tempoOf := make([]uint64, len(s.agents.Validators))
	for i, v := range s.agents.Validators {
		if st, ok := s.l.Subnet(v.NetUID); ok && st.Schedule.Tempo > 0 {
			tempoOf[i] = uint64(st.Schedule.Tempo)
			if !slices.Contains(tempos, tempoOf[i]) {
				tempos = append(tempos, tempoOf[i])
			}
		}
	}
	slices.Sort(tempos)
	for _, tempo := range tempos {
		for i, v := range s.agents.Validators {
			if tempoOf[i] == tempo && slot(v.Hotkey, v.NetUID, tempo) == next%tempo {
				// One call at a time (Ledger.SetWeights), where Step
				// makes a slot's calls in one batch.
				row := validatorRows([]Validator{v})[0]
				s.values = perturb(s.values, row.data[:row.values], s.rng)
				if err := s.l.SetWeights(row.hotkey, row.netuid, 0, row.data[row.values:], s.values, 0); err != nil {
					s.refused(err)
				} else {
					s.stats.WeightsSet++
				}
			}
		}
	}
	if _, err := s.l.Step(); err != nil {
		t.Fatal(err)
	}
	s.stats.Blocks++
}

// Step, with its rows laid out by slot and its acts drawn ahead in
// chunks (actInChunks), calls the ledger as refStep does: after every block
// the two ledgers hold the same state, the two sources the same state and
// the stats agree, over three of the longer tempo, at 0, 1, 4 and 19 stake
// calls per block.
func TestStepMatchesReference(t *testing.T) {
	g := mixedTempos(t)
	for _, actions := range []int{0, 1, 4, 19} {
		fast, err := FromGenesis(g, 9)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := FromGenesis(g, 9)
		if err != nil {
			t.Fatal(err)
		}
		fast.SetActionsPerBlock(actions)
		ref.SetActionsPerBlock(actions)
		if len(fast.schedule) != 2 {
			t.Fatalf("%d tempos scheduled, want 2", len(fast.schedule))
		}
		for b := range 90 {
			if _, err := fast.Step(); err != nil {
				t.Fatal(err)
			}
			refStep(t, ref)
			if fast.l.StateHash() != ref.l.StateHash() {
				t.Fatalf("actions %d block %d: the ledgers differ", actions, b)
			}
			if *fast.rng.src != *ref.rng.src || fast.drawn {
				t.Fatalf("actions %d block %d: the sources differ (or a staker is left drawn)", actions, b)
			}
			for i := range fast.stakers {
				if int(fast.held[i]) != len(fast.stakers[i].positions) {
					t.Fatalf("actions %d block %d: staker %d holds %d positions, held says %d", actions, b, i, len(fast.stakers[i].positions), fast.held[i])
				}
			}
		}
		fs, rs := fast.Stats(), ref.Stats()
		if fs.StakesAdded != rs.StakesAdded || fs.StakesRemoved != rs.StakesRemoved || fs.WeightsSet != rs.WeightsSet {
			t.Fatalf("actions %d: stats %+v, reference %+v", actions, fs, rs)
		}
		if fs.WeightsSet == 0 || (actions > 0 && (fs.StakesAdded == 0 || fs.StakesRemoved == 0)) {
			t.Fatalf("actions %d: stats %+v: the calls went untested", actions, fs)
		}
	}
}

// refAct is one act as the agents made it before actInChunks: it draws
// the staker, then the act's numbers, then makes the calls, all at once.
// It keeps held, which it does not read, so that a Simulation may mix it
// with actInChunks (BenchmarkActs).
func refAct(s *Simulation) {
	i := s.rng.intN(len(s.stakers))
	st := &s.stakers[i]
	c, pos := st.coldkey, st.positions
	if len(pos) > 0 && s.rng.intN(2) == 0 {
		k := s.rng.intN(len(pos))
		share := s.rng.between(50, 500)
		t := s.agents.Targets[pos[k]]
		have := s.l.Stake(t.Hotkey, c, t.NetUID)
		amount := units.Alpha(mulDiv(have.Rao(), share, 1000))
		if _, err := s.l.RemoveStake(c, t.Hotkey, t.NetUID, amount); err != nil {
			s.refused(err)
		} else {
			s.stats.StakesRemoved++
		}
		if s.l.Stake(t.Hotkey, c, t.NetUID) == 0 {
			pos[k] = pos[len(pos)-1]
			st.positions = pos[:len(pos)-1]
			s.held[i] = uint32(len(st.positions))
		}
		return
	}
	ti := s.rng.intN(len(s.agents.Targets))
	share := s.rng.between(5, 100)
	t := s.agents.Targets[ti]
	amount := units.TAO(mulDiv(s.l.Balance(c).Rao(), share, 1000))
	if _, err := s.l.AddStake(c, t.Hotkey, t.NetUID, amount); err != nil {
		s.refused(err)
		return
	}
	s.stats.StakesAdded++
	if !slices.Contains(pos, uint32(ti)) {
		st.positions = append(pos, uint32(ti))
		s.held[i] = uint32(len(st.positions))
	}
}

// The schedule holds each validator whose subnet exists once, in the slot
// of its subnet's tempo, each slot's rows in agents' order.
func TestScheduleOfSlots(t *testing.T) {
	g := mixedTempos(t)
	s, err := FromGenesis(g, 1)
	if err != nil {
		t.Fatal(err)
	}
	vs := s.agents.Validators
	seen := 0
	for _, ts := range s.schedule {
		if len(ts.starts) != int(ts.tempo)+1 {
			t.Fatalf("tempo %d: %d bounds", ts.tempo, len(ts.starts))
		}
		for sl := range ts.tempo {
			var want []int
			for i, v := range vs {
				st, _ := s.l.Subnet(v.NetUID)
				if uint64(st.Schedule.Tempo) == ts.tempo && slot(v.Hotkey, v.NetUID, ts.tempo) == sl {
					want = append(want, i)
				}
			}
			rows := s.rows[ts.starts[sl]:ts.starts[sl+1]]
			if len(rows) != len(want) {
				t.Fatalf("tempo %d slot %d: %d rows, want %d", ts.tempo, sl, len(rows), len(want))
			}
			for k, i := range want {
				r, v := rows[k], vs[i]
				if r.hotkey != v.Hotkey || r.netuid != v.NetUID ||
					!slices.Equal(r.data[:r.values], v.Values) || !slices.Equal(r.data[r.values:], v.UIDs) {
					t.Fatalf("tempo %d slot %d row %d is not validator %d", ts.tempo, sl, k, i)
				}
			}
			seen += len(rows)
		}
	}
	if seen != len(vs) || len(s.rows) != len(vs) {
		t.Fatalf("%d rows scheduled, %d rows, %d validators", seen, len(s.rows), len(vs))
	}
}

// FromLedger copies each staker's positions into one block with
// positionsSlack room after each, which the staker's appends fill before
// they reallocate, never into the next staker's positions.
func TestPositionsSlack(t *testing.T) {
	g := mixedTempos(t)
	s, err := FromGenesis(g, 3)
	if err != nil {
		t.Fatal(err)
	}
	agents := AgentsOf(&g)
	opened := false
	for i := range s.stakers {
		pos := s.stakers[i].positions
		if !slices.Equal(positionInts(pos), agents.Positions[i]) || cap(pos)-len(pos) != positionsSlack {
			t.Fatalf("staker %d: positions %v (cap %d), agents %v", i, pos, cap(pos), agents.Positions[i])
		}
		opened = opened || len(pos) > 0
	}
	if !opened || len(s.stakers) < 2 {
		t.Fatal("no staker holds a position: the copy went untested")
	}
	next := slices.Clone(s.stakers[1].positions)
	for k := range positionsSlack + 3 {
		s.stakers[0].positions = append(s.stakers[0].positions, uint32(1000+k))
	}
	if !slices.Equal(s.stakers[1].positions, next) {
		t.Fatalf("staker 0's appends changed staker 1's positions: %v, were %v", s.stakers[1].positions, next)
	}
	if got := s.stakers[0].positions; len(got) != len(agents.Positions[0])+positionsSlack+3 || got[len(got)-1] != 1000+positionsSlack+2 {
		t.Fatalf("staker 0's positions after the appends: %v", got)
	}
}

// positionInts returns pos as the ints of Agents.Positions.
func positionInts(pos []uint32) []int {
	out := make([]int, len(pos))
	for k, ti := range pos {
		out[k] = int(ti)
	}
	return out
}
