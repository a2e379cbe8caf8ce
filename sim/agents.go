package sim

import (
	"cmp"
	"context"
	"maps"
	"math/bits"
	"slices"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/units"
)

// Agents are the accounts a Simulation moves.
type Agents struct {
	// Stakers are the coldkeys that add and remove stake.
	Stakers []units.AccountID
	// Targets are the (hotkey, netuid) pairs stakers stake to.
	Targets []Target
	// Positions lists, per staker (same index as Stakers), the Targets it
	// holds stake on, as indexes into Targets.
	Positions [][]int
	// Validators are the hotkeys that re-set their weights every tempo.
	Validators []Validator
}

// Target is a hotkey on a subnet.
type Target struct {
	Hotkey units.AccountID
	NetUID units.NetUID
}

// Validator is one validator's weights on a subnet (mechanism 0): the uids
// and the values it sets, which each re-set perturbs a little.
type Validator struct {
	Hotkey units.AccountID
	NetUID units.NetUID
	UIDs   []uint16
	Values []uint16
}

// AgentsOf returns the agents of a genesis: every account of g.Accounts
// is a staker, with its positions from g.Stakes and g.SharePools; every
// (hotkey, netuid) of g.Stakes and of the shares of g.SharePools is a
// target; every uid of a subnet's Storage holding a
// validator permit and a weight row on mechanism 0 is a validator. The
// result shares nothing with g.
func AgentsOf(g *dtao.GenesisConfig) Agents { return agentsOf(g, maxHoldingWords) }

// agentsOf is AgentsOf, telling whether a staker holds a target by its
// holding bit when the bits take at most limit words, else by a scan.
func agentsOf(g *dtao.GenesisConfig, limit int) Agents {
	var a Agents
	index := make(map[units.AccountID]int, len(g.Accounts))
	for _, acc := range g.Accounts {
		index[acc.Account] = len(a.Stakers)
		a.Stakers = append(a.Stakers, acc.Account)
	}
	a.Positions = make([][]int, len(a.Stakers))
	// The targets first, numbered in the order the stakes list them; then
	// each staker's positions, in that order, each target once: whether a
	// staker holds a target already is its holding bit (holdings), where
	// a scan of its positions made a grown state's agents (hundreds of
	// positions a staker after a year) quadratic; a scan still where the
	// bits would not fit.
	targets := make(map[Target]int)
	target := func(t Target) int {
		ti, ok := targets[t]
		if !ok {
			ti = len(a.Targets)
			targets[t] = ti
			a.Targets = append(a.Targets, t)
		}
		return ti
	}
	for _, s := range g.Stakes {
		target(Target{s.Hotkey, s.NetUID})
	}
	for _, p := range g.SharePools {
		if len(p.AlphaV2) > 0 {
			target(Target{p.Hotkey, p.NetUID})
		}
	}
	held := newHoldings(len(a.Stakers), len(a.Targets), limit)
	hold := func(ti int, coldkey units.AccountID) {
		si, ok := index[coldkey]
		if !ok {
			return
		}
		if opens(&held, si, ti, a.Positions[si]) {
			a.Positions[si] = append(a.Positions[si], ti)
		}
	}
	for _, s := range g.Stakes {
		hold(targets[Target{s.Hotkey, s.NetUID}], s.Coldkey)
	}
	for _, p := range g.SharePools {
		if len(p.AlphaV2) == 0 {
			continue
		}
		ti := targets[Target{p.Hotkey, p.NetUID}]
		for _, sh := range p.AlphaV2 {
			hold(ti, sh.Coldkey)
		}
	}
	for _, s := range g.Subnets {
		st := s.Storage
		if st == nil || len(st.Weights) == 0 {
			continue
		}
		for uid, row := range st.Weights[0] {
			if uid >= len(st.ValidatorPermit) || !st.ValidatorPermit[uid] || len(row) == 0 {
				continue
			}
			v := Validator{Hotkey: st.Keys[uid], NetUID: s.NetUID,
				UIDs: make([]uint16, len(row)), Values: make([]uint16, len(row))}
			for j, e := range row {
				v.UIDs[j], v.Values[j] = uint16(e.UID), e.Value
			}
			a.Validators = append(a.Validators, v)
		}
	}
	return a
}

// Stats counts what the agents did.
type Stats struct {
	// Blocks is the number of blocks stepped.
	Blocks uint64
	// StakesAdded and StakesRemoved count the stake calls that went
	// through; WeightsSet the set_weights calls that did.
	StakesAdded, StakesRemoved, WeightsSet uint64
	// Refused counts the calls the ledger refused, by the chain's error
	// name (the error's text when it has none).
	Refused map[string]uint64
}

// DefaultActionsPerBlock is the stake calls per block of FromLedger.
const DefaultActionsPerBlock = 4

// Simulation drives a ledger with seeded agents. It is not safe for
// concurrent use; the ledger it drives is, and may be read meanwhile.
type Simulation struct {
	l        *dtao.Ledger
	rng      draws
	agents   Agents
	stakers  []staker // by index in agents.Stakers
	held     []uint32 // len(stakers[i].positions), by staker (drawAct)
	holds    holdings // which targets each staker holds (doAct), when kept
	actions  int
	schedule []tempoSlots       // by tempo, ascending
	rows     []validatorRow     // the scheduled validators, by (tempo, slot, index in agents.Validators)
	values   []uint16           // the perturbed values of a slot's rows (setWeightsOf)
	calls    []dtao.WeightsCall // a slot's set_weights calls (setWeightsOf)
	errs     []error            // their errors
	touched  uint16             // the xor of the words touchRows and warm read, kept so that their loads are not dropped
	next     int                // the staker of the block's next act, when drawn
	drawn    bool
	planned  []plannedAct    // a chunk's acts (actInChunks)
	refs     []dtao.StakeRef // their calls' state (warm)
	stats    Stats
}

// New builds the network cfg describes and a Simulation over it, its
// agents seeded with cfg.Seed and making cfg.ActionsPerBlock stake calls
// per block.
func New(cfg Config) (*Simulation, error) {
	g, err := Genesis(cfg)
	if err != nil {
		return nil, err
	}
	s, err := FromGenesis(g, cfg.Seed)
	if err != nil {
		return nil, err
	}
	s.actions = cfg.ActionsPerBlock
	return s, nil
}

// FromGenesis builds the ledger of g (dtao.NewLedger) and a Simulation
// over it with g's agents (AgentsOf), seeded with seed.
func FromGenesis(g dtao.GenesisConfig, seed uint64) (*Simulation, error) {
	l, err := dtao.NewLedger(g)
	if err != nil {
		return nil, err
	}
	return FromLedger(l, AgentsOf(&g), seed), nil
}

// FromLedger returns a Simulation driving l with agents, seeded with seed
// and making DefaultActionsPerBlock stake calls per block. The
// Simulation keeps its own copy of the positions and of the validators'
// weights.
func FromLedger(l *dtao.Ledger, agents Agents, seed uint64) *Simulation {
	s := &Simulation{
		l:       l,
		rng:     draws{newPCG(seed, behaviourStream)},
		agents:  agents,
		actions: DefaultActionsPerBlock,
		stats:   Stats{Refused: make(map[string]uint64)},
	}
	s.stakers = make([]staker, len(agents.Stakers))
	s.held = make([]uint32, len(agents.Stakers))
	total := 0
	for i := range agents.Stakers {
		if i < len(agents.Positions) {
			total += len(agents.Positions[i])
		}
		total += positionsSlack
	}
	block := make([]uint32, total)
	for i, c := range agents.Stakers {
		s.stakers[i].coldkey = c
		var pos []int
		if i < len(agents.Positions) {
			pos = agents.Positions[i]
		}
		n := len(pos)
		for k, ti := range pos {
			block[k] = uint32(ti)
		}
		s.stakers[i].positions = block[: n : n+positionsSlack]
		s.held[i] = uint32(n)
		block = block[n+positionsSlack:]
	}
	s.holds = holdingsOf(s.stakers, len(agents.Targets))
	s.schedule, s.rows = scheduleOf(l, agents.Validators)
	return s
}

// SetActionsPerBlock sets the number of stake calls made before each
// block (negative counts as 0).
func (s *Simulation) SetActionsPerBlock(n int) { s.actions = max(n, 0) }

// Ledger returns the ledger the simulation drives.
func (s *Simulation) Ledger() *dtao.Ledger { return s.l }

// Agents returns the simulation's agents (shared, not to be changed).
func (s *Simulation) Agents() Agents { return s.agents }

// Stats returns what the agents did so far.
func (s *Simulation) Stats() Stats {
	st := s.stats
	st.Refused = maps.Clone(s.stats.Refused)
	return st
}

// Step lets the agents act, then runs the next block (dtao.Ledger.Step).
// A call the ledger refuses is counted in Stats; Step returns an error
// only when the block itself fails.
func (s *Simulation) Step() (dtao.BlockReport, error) {
	next := s.l.Block() + 1
	if len(s.stakers) > 0 && len(s.agents.Targets) > 0 {
		s.actInChunks(s.actions)
	}
	s.setWeights(next)
	r, err := s.l.Step()
	if err != nil {
		return r, err
	}
	s.stats.Blocks++
	return r, nil
}

// Run steps blocks blocks, calling observe (if not nil) with each block's
// report. It checks ctx before each block and returns ctx's error when
// cancelled, the ledger left after the last whole block.
func (s *Simulation) Run(ctx context.Context, blocks uint64, observe func(dtao.BlockReport)) error {
	for range blocks {
		if err := ctx.Err(); err != nil {
			return err
		}
		r, err := s.Step()
		if err != nil {
			return err
		}
		if observe != nil {
			observe(r)
		}
	}
	return nil
}

// refused counts a refused call.
func (s *Simulation) refused(err error) {
	name := units.ChainName(err)
	if name == "" {
		name = err.Error()
	}
	s.stats.Refused[name]++
}

// plannedAct is one stake call's draws (drawAct): the staker (index in
// stakers), and either a removal of share/1000 of its position k or a
// stake of share/1000 of its free balance to Targets[target].
type plannedAct struct {
	staker int
	remove bool
	k      int
	target int
	share  uint64
}

// maxPlanned is how many acts actInChunks draws ahead.
const maxPlanned = 8

// actInChunks makes n stake calls (drawAct, doAct), in chunks: it draws the acts of
// a chunk first, in order, then reads ahead the state their calls read
// (warm), then makes the calls in order. A chunk ends at maxPlanned acts
// or before an act whose staker an earlier act of the chunk has: an act
// changes only its own staker's positions, and its draws read only those
// (how many there are) and no ledger state, so that drawing a chunk's
// acts before their calls draws the same numbers, in the same order, as
// drawing each act at its start; the staker drawn for the act that ends
// a chunk is kept (next, drawn) for the next chunk, whose draws follow
// the calls of this one.
func (s *Simulation) actInChunks(n int) {
	for n > 0 {
		planned := s.planned[:0]
		for len(planned) < min(n, maxPlanned) {
			i := s.next
			if !s.drawn {
				i = s.rng.intN(len(s.stakers))
			}
			s.drawn = false
			if slices.ContainsFunc(planned, func(p plannedAct) bool { return p.staker == i }) {
				s.next, s.drawn = i, true
				break
			}
			planned = append(planned, s.drawAct(i))
		}
		s.planned = planned
		s.warm(planned)
		for _, p := range planned {
			s.doAct(p)
		}
		n -= len(planned)
	}
}

// warm reads ahead the state of the planned acts' calls: the targets
// (through the positions of a removal) and what a stake reads of whether
// it opens a position (its holding word, or without holdings the first
// and the last line of the positions it scans), then the ledger's
// (dtao.Ledger.WarmStakes), each level's loads independent of each
// other. touched keeps what it read of the positions (unused otherwise:
// only so that the compiler keeps the loads).
func (s *Simulation) warm(planned []plannedAct) {
	refs := s.refs[:0]
	x := s.touched
	for _, p := range planned {
		st := &s.stakers[p.staker]
		ti := p.target
		if pos := st.positions; p.remove {
			ti = int(pos[p.k])
		} else if s.holds.bits != nil {
			x ^= uint16(*s.holds.word(p.staker, ti))
		} else if len(pos) > 0 {
			x ^= uint16(pos[0] ^ pos[len(pos)-1])
		}
		t := &s.agents.Targets[ti]
		refs = append(refs, dtao.StakeRef{Coldkey: st.coldkey, Hotkey: t.Hotkey, NetUID: t.NetUID})
	}
	s.touched = x
	s.refs = refs
	s.l.WarmStakes(refs)
}

// drawAct draws an act of staker i: one time in two, when it holds a
// position, the removal of 5 to 50% of one of its positions, else the
// stake of 0.5 to 10% of its free balance to a random target. It reads
// the number of positions from held, 4 bytes a staker, where the
// staker's record is 64 (a line), so that the draws of a chunk, each
// waiting for the last, seldom wait for memory; warm reads the records,
// independently of each other.
func (s *Simulation) drawAct(i int) plannedAct {
	if n := int(s.held[i]); n > 0 && s.rng.intN(2) == 0 {
		k := s.rng.intN(n)
		return plannedAct{staker: i, remove: true, k: k, share: s.rng.between(50, 500)}
	}
	ti := s.rng.intN(len(s.agents.Targets))
	return plannedAct{staker: i, target: ti, share: s.rng.between(5, 100)}
}

// doAct makes the stake call p, drawn on the staker's positions as they
// are now (drawAct).
func (s *Simulation) doAct(p plannedAct) {
	st := &s.stakers[p.staker]
	c, pos := st.coldkey, st.positions
	if p.remove {
		k := p.k
		t := s.agents.Targets[pos[k]]
		have := s.l.Stake(t.Hotkey, c, t.NetUID)
		amount := units.Alpha(mulDiv(have.Rao(), p.share, 1000))
		if _, err := s.l.RemoveStake(c, t.Hotkey, t.NetUID, amount); err != nil {
			s.refused(err)
		} else {
			s.stats.StakesRemoved++
		}
		if s.l.Stake(t.Hotkey, c, t.NetUID) == 0 {
			s.holds.drop(p.staker, int(pos[k]))
			pos[k] = pos[len(pos)-1]
			st.positions = pos[:len(pos)-1]
			s.held[p.staker] = uint32(len(st.positions))
		}
		return
	}
	ti := p.target
	t := s.agents.Targets[ti]
	amount := units.TAO(mulDiv(s.l.Balance(c).Rao(), p.share, 1000))
	if _, err := s.l.AddStake(c, t.Hotkey, t.NetUID, amount); err != nil {
		s.refused(err)
		return
	}
	s.stats.StakesAdded++
	if !opens(&s.holds, p.staker, ti, pos) {
		return
	}
	st.positions = append(pos, uint32(ti))
	s.held[p.staker] = uint32(len(st.positions))
}

// positionsSlack is the room for positions each staker's positions have
// beyond its first ones, all in one block, so that the stakes that open
// positions (doAct) seldom grow them one allocation at a time: a staker
// of BenchConfig holds about 3 after 20,000 blocks, few more than 10.
const positionsSlack = 8

// staker is a staker as doAct reads it: its coldkey and the Targets it
// holds stake on (indexes into Targets), in one 64-byte record, so that
// a call, which finds neither in the cache, reads one line for both. The
// indexes are 4 bytes, as held's counts are (a network's Targets are far
// fewer than 2^32): the positions of stakers that open new ones as a
// network runs grow into new arrays, fresh memory the heap maps (page
// faults) and a stake's scan reads, half of what 8-byte ones take.
type staker struct {
	coldkey   units.AccountID
	positions []uint32
	_         [64 - 32 - 24]byte
}

// tempoSlots are the validators of the subnets of one tempo, by the block
// of the tempo at which each sets its weights (slot): the validators of
// slot sl are rows[starts[sl]:starts[sl+1]] of the Simulation, in
// agents' order.
type tempoSlots struct {
	tempo  uint64
	starts []uint32 // tempo+1 bounds
}

// scheduleOf returns the schedule of vs, the validators whose subnet
// exists on l with a tempo above 0, and their rows, ordered by tempo, then
// slot, then index in vs: each slot's rows, and their values and uids,
// lie next to each other in memory, in the order setWeights re-sets them.
func scheduleOf(l *dtao.Ledger, vs []Validator) ([]tempoSlots, []validatorRow) {
	type place struct {
		tempo, slot uint64
		index       int
	}
	var places []place
	for i, v := range vs {
		st, ok := l.Subnet(v.NetUID)
		if !ok || st.Schedule.Tempo == 0 {
			continue
		}
		tempo := uint64(st.Schedule.Tempo)
		places = append(places, place{tempo, slot(v.Hotkey, v.NetUID, tempo), i})
	}
	slices.SortFunc(places, func(a, b place) int {
		return cmp.Or(cmp.Compare(a.tempo, b.tempo), cmp.Compare(a.slot, b.slot), cmp.Compare(a.index, b.index))
	})
	var schedule []tempoSlots
	ordered := make([]Validator, len(places))
	for k, p := range places {
		ordered[k] = vs[p.index]
		if len(schedule) == 0 || schedule[len(schedule)-1].tempo != p.tempo {
			schedule = append(schedule, tempoSlots{tempo: p.tempo, starts: make([]uint32, p.tempo+1)})
		}
		// Count the slot's rows in the bound after it; the prefix sums
		// below turn the counts into bounds.
		schedule[len(schedule)-1].starts[p.slot+1]++
	}
	start := uint32(0)
	for _, ts := range schedule {
		ts.starts[0] = start
		for sl := range ts.tempo {
			ts.starts[sl+1] += ts.starts[sl]
		}
		start = ts.starts[ts.tempo]
	}
	return schedule, validatorRows(ordered)
}

// setWeights lets each validator whose slot is block re-set its weights,
// once a tempo, the slots spread over the tempo (slot). Each value moves
// by up to ±5%. It first touches the slot's rows (touchRows), so that
// their cache misses overlap, rather than each call waiting for its own,
// then perturbs every row's values, in the rows' order, and makes the
// slot's calls in one batch (dtao.Ledger.SetWeightsBatch), which is the
// calls one at a time in the same order: no ledger call draws, so
// drawing every row's perturbation before the calls draws the same
// numbers in the same order as drawing each just before its call.
func (s *Simulation) setWeights(block uint64) {
	for _, ts := range s.schedule {
		sl := block % ts.tempo
		rows := s.rows[ts.starts[sl]:ts.starts[sl+1]]
		if len(rows) == 0 {
			continue
		}
		s.touchRows(rows)
		s.setWeightsOf(rows)
	}
}

// setWeightsOf re-sets the weights of rows, each perturbed (perturb),
// in one batch. The perturbed values of all the rows lie in s.values,
// one after another, and the calls in s.calls, both reused.
func (s *Simulation) setWeightsOf(rows []validatorRow) {
	total := 0
	for i := range rows {
		total += int(rows[i].values)
	}
	s.values = slices.Grow(s.values[:0], total)[:total]
	calls := slices.Grow(s.calls[:0], len(rows))[:len(rows)]
	off := 0
	for i := range rows {
		v := &rows[i]
		n := int(v.values)
		vals := perturbSized(s.values[off:off+n:off+n], v.data[:n], s.rng, v.small)
		off += n
		// Field by field: a composite literal is built aside, then
		// copied into the slice's element with its write barriers.
		c := &calls[i]
		c.Hotkey, c.NetUID, c.Mech, c.VersionKey = v.hotkey, v.netuid, 0, 0
		c.UIDs, c.Values = v.data[n:], vals
	}
	s.calls = calls
	s.errs = s.l.SetWeightsBatch(s.errs[:0], calls)
	for _, err := range s.errs {
		if err != nil {
			s.refused(err)
			continue
		}
		s.stats.WeightsSet++
	}
	clear(s.errs) // the errors are counted: keep no reference to them
}

// touchRows reads a word of each 64-byte line of rows and of their values
// and uids (which lie next to each other, in the same order), all loads
// independent of each other, so that the lines a slot's calls read come
// from memory at once, and keeps their xor in touched (unused otherwise:
// only so that the compiler keeps the loads).
func (s *Simulation) touchRows(rows []validatorRow) {
	const perLine = 64 / 2 // uint16s per line
	x := s.touched
	for i := range rows {
		d := rows[i].data
		for j := 0; j < len(d); j += perLine {
			x ^= d[j]
		}
		if len(d) > 0 {
			x ^= d[len(d)-1]
		}
	}
	s.touched = x
}

// validatorRow is a Validator as setWeightsOf reads it: its hotkey,
// netuid and the length of its values in a 64-byte record, and its values
// followed by its uids in data, so that a re-set, which finds none of
// them in the cache, reads one line of the record and the lines of data.
type validatorRow struct {
	hotkey units.AccountID
	netuid units.NetUID
	small  bool   // a value is 0 or 1 (perturbSized)
	values uint32 // data[:values] are the values, data[values:] the uids
	data   []uint16
}

// validatorRows copies vs into validatorRows, their data in one block.
func validatorRows(vs []Validator) []validatorRow {
	total := 0
	for _, v := range vs {
		total += len(v.Values) + len(v.UIDs)
	}
	block := make([]uint16, 0, total)
	rows := make([]validatorRow, len(vs))
	for i, v := range vs {
		start := len(block)
		block = append(append(block, v.Values...), v.UIDs...)
		rows[i] = validatorRow{hotkey: v.Hotkey, netuid: v.NetUID, values: uint32(len(v.Values)),
			small: slices.ContainsFunc(v.Values, func(w uint16) bool { return w <= 1 }),
			data:  block[start:len(block):len(block)]}
	}
	return rows
}

// draws are the agents' random numbers: the draws math/rand/v2's
// rand.New(src) makes with IntN and Uint64N, made on src directly, src
// the sim's own copy of rand.PCG (pcg). A *rand.Rand calls its Source
// through an interface for every draw; draws calls pcg.Uint64 directly,
// and rand.Rand holds no state besides its source, so draws over a pcg
// and rand.New(rand.NewPCG) seeded alike draw the same numbers and leave
// the same state (the sim tests compare long sequences of both).
type draws struct{ src *pcg }

// uint64n is rand.Rand.Uint64N's algorithm (math/rand/v2 rand.go
// uint64n) for n > 0, as 64-bit platforms run it, and as its 32-bit path
// (uint32n) reproduces for 32-bit n: a power of two masks one draw;
// otherwise the high word of draw·n, unless the low word is below n
// (unbias).
func (d draws) uint64n(n uint64) uint64 {
	if n&(n-1) == 0 {
		return d.src.Uint64() & (n - 1)
	}
	hi, lo := bits.Mul64(d.src.Uint64(), n)
	if lo < n {
		hi = d.unbias(n, hi, lo)
	}
	return hi
}

// unbias finishes uint64n for n not a power of two when the first draw's
// product with n is hi:lo, lo < n: rand draws again while the low word
// is below 2^64 mod n (which is −n mod n; rand computes it only when the
// low word is below n, and the result is the same either way).
func (d draws) unbias(n, hi, lo uint64) uint64 {
	thresh := -n % n
	for lo < thresh {
		hi, lo = bits.Mul64(d.src.Uint64(), n)
	}
	return hi
}

// perturb returns dst[:0] extended with values perturbed: each value w
// becomes floor(w·f/1000) clamped to [1, 65535], for f = between(950,
// 1050) drawn from d, in order. The draws are uint64n(101) written out
// (perturbRun) on a copy of the source's state held in registers, which
// perturbRun returns at the end or at a rare draw that needs unbias;
// perturb then stores it back, finishes that draw (unbias) and goes on
// from the next value: the same draws, and the same state after them.
func perturb(dst, values []uint16, d draws) []uint16 {
	return perturbSized(dst, values, d, true)
}

// perturbSized is perturb, told whether values may hold a value of 0 or
// 1 (small; true is always right). The perturbed values are taken
// clamped to 65535 only (perturbOne), and, when small, those that
// floored to 0 are then lifted to 1: floor(w·f/1000) ≥ 1 for every w ≥
// 2 (f ≥ 950), so only a value of 0 or 1 floors to 0, and for a value
// p in [0, 68811] max(min(p, 65535), 1) is min(max(p, 1), 65535). A row
// without such values (a validatorRow knows, small) skips the lift, and
// its values skip the clamp to 1 that every value would otherwise pay.
func perturbSized(dst, values []uint16, d draws, small bool) []uint16 {
	const n = 1050 - 950 + 1 // n = 101 is not a power of two
	// perturbRun perturbs in place: dst starts as a copy of values.
	dst = append(dst[:0], values...)
	src := d.src
	for i := 0; ; i++ {
		if perturbVector {
			// Eight values a round where the processor draws them at
			// once (perturbVec), the rest by perturbRun.
			k, sh, sl := perturbVec(dst[i:], src.hi, src.lo)
			src.hi, src.lo = sh, sl
			i += k
		}
		k, sh, sl, hi, low := perturbRun(dst[i:], src.hi, src.lo)
		src.hi, src.lo = sh, sl
		i += k
		if i == len(values) {
			break
		}
		dst[i] = perturbOne(values[i], d.unbias(n, hi, low))
	}
	if small {
		for i, p := range dst {
			if p == 0 {
				dst[i] = 1
			}
		}
	}
	return dst
}

// perturbOne is w perturbed by the draw h ≤ 100 of between(950, 1050)
// less 950, before the clamp to 1 (perturbSized's): floor(w·(950+h)/1000)
// clamped to 65535. w < 2^16 and 950+h ≤ 1050 keep the product below
// 2^27, so the floor is mulDiv's, never saturated; it is taken as a
// multiplication by perturbMagic and a shift (see there), not a division
// by 1000: the product w·(950+h)·M, below 2^27·2^28, fits in 64 bits.
func perturbOne(w uint16, h uint64) uint16 {
	p := uint64(w) * (950 + h) * perturbMagic >> perturbShift
	return uint16(min(p, 65535))
}

// perturbRun perturbs the values of dst in place with the draws of the
// source state (h, l), until a draw needs unbias (the low word of its
// product with 101 below 101). It returns how many values it perturbed,
// k, then the state after them, when k is len(dst); otherwise k, the
// state after draw k and that draw's product with 101 (high word, then
// low word, below 101), dst[k] left unperturbed for the caller.
//
// One LCG chain, stepped once a draw (lcgStep with the PCG constants,
// called directly: through pcgStep, a step inlined two levels deep, the
// compiler leaves two inline marks, NOPs executed, per step, not one). The
// loop takes eight draws a round, each draw's value stored before the
// next step. A chain holds two state words where the two interleaved
// chains perturbRun took before (refPerturbRunTwoChains) held four, and
// perturbing in place reads and writes through one slice rather than
// two, so the compiler keeps more in registers: fewer spills and moves a
// draw (BenchmarkPerturb/fast: 1,317 instructions a row of 32 against
// 1,461). A step's latency (a multiplication and two adds) is below a
// draw's work, so the single chain does not wait on it. The bound
// len(dst)−7 lets the compiler drop the bounds checks; the last values,
// fewer than eight, take one draw a round.
func perturbRun(dst []uint16, h, l uint64) (int, uint64, uint64, uint64, uint64) {
	const n = 1050 - 950 + 1 // n = 101 is not a power of two
	i := 0
	for ; i < len(dst)-7; i += 8 {
		var x, xl uint64
		h, l = lcgStep(h, l, pcgMulHi, pcgMulLo, pcgIncHi, pcgIncLo)
		x, xl = bits.Mul64(pcgOutput(h, l), n)
		if xl < n {
			return i, h, l, x, xl
		}
		dst[i] = perturbOne(dst[i], x)
		h, l = lcgStep(h, l, pcgMulHi, pcgMulLo, pcgIncHi, pcgIncLo)
		x, xl = bits.Mul64(pcgOutput(h, l), n)
		if xl < n {
			return i + 1, h, l, x, xl
		}
		dst[i+1] = perturbOne(dst[i+1], x)
		h, l = lcgStep(h, l, pcgMulHi, pcgMulLo, pcgIncHi, pcgIncLo)
		x, xl = bits.Mul64(pcgOutput(h, l), n)
		if xl < n {
			return i + 2, h, l, x, xl
		}
		dst[i+2] = perturbOne(dst[i+2], x)
		h, l = lcgStep(h, l, pcgMulHi, pcgMulLo, pcgIncHi, pcgIncLo)
		x, xl = bits.Mul64(pcgOutput(h, l), n)
		if xl < n {
			return i + 3, h, l, x, xl
		}
		dst[i+3] = perturbOne(dst[i+3], x)
		h, l = lcgStep(h, l, pcgMulHi, pcgMulLo, pcgIncHi, pcgIncLo)
		x, xl = bits.Mul64(pcgOutput(h, l), n)
		if xl < n {
			return i + 4, h, l, x, xl
		}
		dst[i+4] = perturbOne(dst[i+4], x)
		h, l = lcgStep(h, l, pcgMulHi, pcgMulLo, pcgIncHi, pcgIncLo)
		x, xl = bits.Mul64(pcgOutput(h, l), n)
		if xl < n {
			return i + 5, h, l, x, xl
		}
		dst[i+5] = perturbOne(dst[i+5], x)
		h, l = lcgStep(h, l, pcgMulHi, pcgMulLo, pcgIncHi, pcgIncLo)
		x, xl = bits.Mul64(pcgOutput(h, l), n)
		if xl < n {
			return i + 6, h, l, x, xl
		}
		dst[i+6] = perturbOne(dst[i+6], x)
		h, l = lcgStep(h, l, pcgMulHi, pcgMulLo, pcgIncHi, pcgIncLo)
		x, xl = bits.Mul64(pcgOutput(h, l), n)
		if xl < n {
			return i + 7, h, l, x, xl
		}
		dst[i+7] = perturbOne(dst[i+7], x)
	}
	for ; i < len(dst); i++ {
		h, l = lcgStep(h, l, pcgMulHi, pcgMulLo, pcgIncHi, pcgIncLo)
		x, xl := bits.Mul64(pcgOutput(h, l), n)
		if xl < n {
			return i, h, l, x, xl
		}
		dst[i] = perturbOne(dst[i], x)
	}
	return i, h, l, 0, 0
}

// perturbShift and perturbMagic divide by 1000 by a multiplication:
// for every x < 2^27, floor(x·M/2^37) = floor(x/1000), M =
// ceil(2^37/1000). Writing x/1000 = q + r/1000 (r ≤ 999), x·M/2^37 =
// x/1000 + x·e/(1000·2^37) with e = 1000·M − 2^37 = 528, and x·e <
// 2^27·528 < 2^37, so the excess is below 1/1000 and the floor stays q
// (TestPerturbOneDivides checks every w and f).
const (
	perturbShift = 37
	perturbMagic = (1<<perturbShift + 999) / 1000
)

// intN is rand.Rand.IntN for n > 0 (which panics otherwise; callers pass
// the length of a non-empty slice).
func (d draws) intN(n int) int { return int(d.uint64n(uint64(n))) }

// between is between on a rand.Rand over the same source: a uniform
// integer in [lo, hi], and lo without a draw when hi ≤ lo.
func (d draws) between(lo, hi uint64) uint64 {
	if hi <= lo {
		return lo
	}
	return lo + d.uint64n(hi-lo+1)
}
