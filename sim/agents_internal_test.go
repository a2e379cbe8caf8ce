package sim

import (
	"context"
	"math/bits"
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
	for _, actions := range []int{0, 1, 4, 19, -4} {
		fast, err := FromGenesis(g, 9)
		if err != nil {
			t.Fatal(err)
		}
		if fast.holds.bits == nil {
			t.Fatal("the holdings of AgentsOf's positions are not kept")
		}
		if actions < 0 { // the positions' scan, as without holdings
			actions, fast.holds = -actions, holdings{}
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
				checkHoldings(t, fast, i)
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

// checkHoldings fails unless staker i's holding bits, when kept, are its
// positions.
func checkHoldings(t *testing.T, s *Simulation, i int) {
	t.Helper()
	h := s.holds
	if h.bits == nil {
		return
	}
	var want []uint32
	for w, word := range h.bits[i*h.words : (i+1)*h.words] {
		for ; word != 0; word &= word - 1 {
			want = append(want, uint32(w*64+bits.TrailingZeros64(word)))
		}
	}
	got := slices.Sorted(slices.Values(s.stakers[i].positions))
	if !slices.Equal(got, want) {
		t.Fatalf("staker %d: positions %v, holding bits %v", i, got, want)
	}
}

// holdingsOf keeps the bits of distinct positions within Targets only,
// and within maxHoldingWords; open reports a clear bit once, drop clears
// it.
func TestHoldingsOf(t *testing.T) {
	stakers := func(pos ...[]uint32) []staker {
		st := make([]staker, len(pos))
		for i, p := range pos {
			st[i].positions = p
		}
		return st
	}
	h := holdingsOf(stakers([]uint32{3, 64, 129}, nil, []uint32{0}), 130)
	if h.words != 3 || len(h.bits) != 9 || h.bits[0] != 1<<3 || h.bits[1] != 1 || h.bits[2] != 2 || h.bits[6] != 1 {
		t.Fatalf("holdings %+v", h)
	}
	if h.open(0, 64) || !h.open(1, 64) || h.open(1, 64) {
		t.Fatal("open did not report the clear bits")
	}
	h.drop(0, 64)
	if !h.open(0, 64) {
		t.Fatal("drop did not clear the bit")
	}
	for _, c := range []struct {
		name    string
		st      []staker
		targets int
	}{
		{"a repeated position", stakers([]uint32{5, 7, 5}), 8},
		{"a position beyond Targets", stakers([]uint32{5, 8}), 8},
		{"no targets", stakers(nil), 0},
		{"too many words", make([]staker, 2), maxHoldingWords*32 + 1},
	} {
		if h := holdingsOf(c.st, c.targets); h.bits != nil {
			t.Fatalf("%s: holdings kept", c.name)
		}
	}
	if h := holdingsOf(make([]staker, 2), maxHoldingWords*32); len(h.bits) != maxHoldingWords {
		t.Fatalf("at maxHoldingWords: %d words", len(h.bits))
	}
	var none holdings
	none.drop(3, 5) // no bits: nothing to clear, no panic
}

// FromLedger given positions that repeat keeps them, and the scan, and
// steps as the reference does.
func TestRepeatedPositionsScan(t *testing.T) {
	g := mixedTempos(t)
	agents := AgentsOf(&g)
	i := slices.IndexFunc(agents.Positions, func(p []int) bool { return len(p) > 0 })
	if i < 0 {
		t.Fatal("no staker holds a position")
	}
	agents.Positions[i] = append(agents.Positions[i], agents.Positions[i][0])
	ledgers := [2]*dtao.Ledger{}
	for k := range ledgers {
		l, err := dtao.NewLedger(g)
		if err != nil {
			t.Fatal(err)
		}
		ledgers[k] = l
	}
	fast, ref := FromLedger(ledgers[0], agents, 4), FromLedger(ledgers[1], agents, 4)
	if fast.holds.bits != nil {
		t.Fatal("holdings kept for repeated positions")
	}
	for b := range 60 {
		if _, err := fast.Step(); err != nil {
			t.Fatal(err)
		}
		refStep(t, ref)
		if fast.l.StateHash() != ref.l.StateHash() || !slices.Equal(fast.stakers[i].positions, ref.stakers[i].positions) {
			t.Fatalf("block %d: the simulations differ", b)
		}
	}
}

// A removal that leaves no stake drops the position and its holding bit;
// a stake on the same target opens them again, once.
func TestDropClearsHolding(t *testing.T) {
	s, err := FromGenesis(mixedTempos(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(s.stakers, func(st staker) bool { return len(st.positions) > 1 })
	if i < 0 || s.holds.bits == nil {
		t.Fatal("no staker holds two positions, or no holdings")
	}
	c, ti := s.stakers[i].coldkey, int(s.stakers[i].positions[0])
	tg := s.agents.Targets[ti]
	if _, err := s.l.RemoveStake(c, tg.Hotkey, tg.NetUID, s.l.Stake(tg.Hotkey, c, tg.NetUID)); err != nil {
		t.Fatal(err)
	}
	s.doAct(plannedAct{staker: i, remove: true, k: 0, share: 100})
	if slices.Contains(s.stakers[i].positions, uint32(ti)) || int(s.held[i]) != len(s.stakers[i].positions) {
		t.Fatalf("staker %d: position %d kept: %v", i, ti, s.stakers[i].positions)
	}
	checkHoldings(t, s, i)
	for range 2 {
		s.doAct(plannedAct{staker: i, target: ti, share: 50})
	}
	if n := len(slices.DeleteFunc(slices.Clone(s.stakers[i].positions), func(q uint32) bool { return int(q) != ti })); n != 1 {
		t.Fatalf("staker %d holds target %d %d times after two stakes", i, ti, n)
	}
	checkHoldings(t, s, i)
}

// agentsRef is AgentsOf as written before the holding bits: each target
// numbered as a stake first names it, each staker's positions scanned
// before each append.
func agentsRef(g *dtao.GenesisConfig) ([]Target, [][]int) {
	index := make(map[units.AccountID]int, len(g.Accounts))
	for i, acc := range g.Accounts {
		index[acc.Account] = i
	}
	var ts []Target
	pos := make([][]int, len(g.Accounts))
	targets := make(map[Target]int)
	hold := func(t Target, coldkey units.AccountID) {
		ti, ok := targets[t]
		if !ok {
			ti = len(ts)
			targets[t] = ti
			ts = append(ts, t)
		}
		if si, ok := index[coldkey]; ok && !slices.Contains(pos[si], ti) {
			pos[si] = append(pos[si], ti)
		}
	}
	for _, s := range g.Stakes {
		hold(Target{s.Hotkey, s.NetUID}, s.Coldkey)
	}
	for _, p := range g.SharePools {
		for _, sh := range p.AlphaV2 {
			hold(Target{p.Hotkey, p.NetUID}, sh.Coldkey)
		}
	}
	return ts, pos
}

// AgentsOf numbers the targets and lists the positions as agentsRef does,
// with the holding bits and with the scan: on a network's genesis, on a
// grown one's export (share pools), and on a genesis whose stakes repeat,
// name accounts that are not stakers, overlap the share pools and leave
// a pool empty.
func TestAgentsOfMatchesReference(t *testing.T) {
	c := DefaultConfig()
	c.Subnets, c.UIDs, c.Validators, c.RootValidators, c.Stakers, c.Seed = 3, 32, 8, 2, 200, 6
	g, err := Genesis(c)
	if err != nil {
		t.Fatal(err)
	}
	s, err := FromGenesis(g, 2)
	if err != nil {
		t.Fatal(err)
	}
	s.SetActionsPerBlock(40)
	if err := s.Run(context.Background(), 300, nil); err != nil {
		t.Fatal(err)
	}
	grown := s.Ledger().Genesis()

	mixed := grown
	mixed.Stakes = nil
	for i := range 60 {
		sp := &grown.SharePools[i%len(grown.SharePools)]
		if len(sp.AlphaV2) == 0 {
			continue
		}
		sh := sp.AlphaV2[i%len(sp.AlphaV2)]
		mixed.Stakes = append(mixed.Stakes,
			dtao.GenesisStake{Hotkey: sp.Hotkey, Coldkey: sh.Coldkey, NetUID: sp.NetUID},
			dtao.GenesisStake{Hotkey: sp.Hotkey, Coldkey: sh.Coldkey, NetUID: sp.NetUID},
			dtao.GenesisStake{Hotkey: units.AccountID{0xfe, byte(i)}, Coldkey: sh.Coldkey, NetUID: 9},
			dtao.GenesisStake{Hotkey: sp.Hotkey, Coldkey: units.AccountID{0xfd, byte(i)}, NetUID: sp.NetUID})
	}
	mixed.SharePools = append(slices.Clone(grown.SharePools), dtao.GenesisSharePool{Hotkey: units.AccountID{0xfc}, NetUID: 1})

	opened := 0
	for name, g := range map[string]*dtao.GenesisConfig{"genesis": &g, "grown": &grown, "mixed": &mixed} {
		ts, pos := agentsRef(g)
		for _, limit := range []int{maxHoldingWords, 0} {
			a := agentsOf(g, limit)
			if !slices.Equal(a.Targets, ts) || len(a.Positions) != len(pos) {
				t.Fatalf("%s, limit %d: targets differ", name, limit)
			}
			for i := range pos {
				if !slices.Equal(a.Positions[i], pos[i]) {
					t.Fatalf("%s, limit %d: staker %d's positions %v, want %v", name, limit, i, a.Positions[i], pos[i])
				}
				opened += len(pos[i])
			}
		}
	}
	if opened == 0 || len(mixed.Stakes) == 0 {
		t.Fatal("no positions: the comparison went untested")
	}
}
