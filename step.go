package dtao

import (
	"context"
	"fmt"
	"slices"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// BlockReport is what one Step did.
type BlockReport struct {
	// Block is the block that ran.
	Block uint64
	// Emission is the block's TAO emission (get_block_emission, capped by
	// the supply left).
	Emission units.TAO
	// Minted is the TAO that entered the subnet accounts (injections and
	// chain buys); Recycled is the rest of the emission, which the chain
	// mints and recycles in the same block (recycle_credit), so that it
	// never reaches TotalIssuance.
	Minted, Recycled units.TAO
	// EpochsRun, EpochsDeferred and EpochsSkipped count the block's epoch
	// outcomes (emission.AdvanceSchedules).
	EpochsRun, EpochsDeferred, EpochsSkipped int
}

// stepBuffers are the per-block scratch slices, kept to spare the block
// allocations.
type stepBuffers struct {
	// ids and subnets are the non-root subnets in order, looked up again
	// only when a subnet came, went or was restored (keysGen).
	ids          []units.NetUID
	subnets      []stepSubnet
	subnetsValid bool
	subnetsGen   uint64
	// root is the root subnet's state (nil without one), looked up with
	// the subnet list.
	root      *SubnetState
	coinbase  emission.CoinbaseInput
	coinbaser emission.Coinbaser // the coinbase's working space and result, reused
	// schedule is one subnet's emission.AdvanceSchedules operands (the
	// block schedules each subnet on its own, advanceSchedule, in the
	// pass over its coinbase result).
	schedule scheduleScratch
	deferred []units.NetUID // the block's deferred epochs, for their events
	drained  []drained
	fired    []int // the block's subnets (indices) whose epoch slot fired
	// regs is each subnet's registration fields before the block's
	// registration step, until the coinbase accepts the block.
	regs []subnetRegs
	// ema is the moving prices' EMA, its weight prepared once for each
	// distinct (blocks since start, halving, alpha) of the block's
	// subnets (movingPriceWith).
	ema  amm.MovingEMA
	view viewBuffers
	// The distribution's input, reused.
	emissions    []emission.HotkeyEmission
	states       []emission.HotkeyState // by line of emissions
	lineUIDs     []units.UID            // the uid of each line
	linePrefixes []uint64               // accountPrefix of each line's hotkey
	hotkeys      map[units.AccountID]emission.HotkeyState
	distributor  emission.Distributor
	// keysGen counts the additions and removals of share pools (but the
	// payouts' on a non-root subnet: payoutPoolChanged), owners,
	// delegate takes and subnets (Ledger.keysChanged); uidCaches are the
	// subnets' uid lookups kept between epochs, valid for one keysGen
	// (epochView), as the block's subnet list is.
	keysGen   uint64
	uidCaches map[units.NetUID]*uidCache
	// payoutPools is set when the running epoch's payouts made or dropped
	// a share pool on its subnet (payoutPoolChanged).
	payoutPools bool
}

// stepSubnet is one non-root subnet's state and neurons, looked up once
// per block. bal is the balance cell of its account (SubnetAccountID of
// its netuid, Ledger.balances; nil: not looked up or no account) as
// looked up when balancesGone was balGone: the cell is the account's
// while no entry has been removed since (Ledger.keptBalance). The
// account is not kept: it is built from the netuid when the cell is
// looked up, seldom, so that an entry is 32 bytes, two to a cache line
// (TestStepSubnetLayout).
type stepSubnet struct {
	st      *SubnetState
	sn      *subnet.Subnet
	bal     *units.TAO
	balGone uint64
}

// subnetRegs is what subnet.Subnet.Step overwrites, its decay factor's
// cache aside (derived from the hyperparameters only, not state).
type subnetRegs struct {
	burn      units.TAO
	thisBlock uint16
}

// drained is one subnet's pending emission taken at its epoch.
type drained struct {
	netuid                                   units.NetUID
	at                                       int // index in the block's subnets
	server, validator, root, ownerCut, total units.Alpha
}

// Step runs the next block's on_initialize (block_step,
// pallets/subtensor/src/coinbase/block_step.rs) in the chain's order:
//
//  1. registration prices: each subnet's burn decays and its
//     RegistrationsThisBlock resets (subnet.Subnet.Step), the root's too,
//     and the root's RegistrationsThisInterval when its schedule is due;
//  2. the block emission: emission.BlockEmission of TotalIssuance, capped
//     by the supply left (emission.Mint);
//  3. the coinbase (run_coinbase, coinbase/run_coinbase.rs): TAO shares
//     by moving price, injection into the pools, chain buys with the
//     excess, alpha out split into the owner cut and the server,
//     validator and root buckets (emission.Coinbase); the credit left is
//     recycled;
//  4. the epochs due, at most Params.MaxEpochsPerBlock of them
//     (drain_pending, emission.AdvanceSchedules), each running Yuma
//     consensus over the subnet's weights and stake (subnet.Subnet.RunEpoch)
//     and paying the drained buckets out (distribute_emission,
//     emission.Distribute): the owner cut to the owner hotkey, incentives
//     to miners (withheld from the owner's own hotkeys), dividends after
//     the delegate take to the validators' nominators through their share
//     pools, root dividends into the validators' RootClaimable rates;
//  5. the moving prices of the emitting subnets (update_moving_prices);
//  6. pending children whose subnet ran its epoch this block
//     (try_set_pending_children).
//
// Not modelled: timelocked weight reveals (they need the drand beacon),
// the automatic root claims (drawn from the parent block hash: claim with
// ClaimRoot instead), conviction-lock owner changes and subnet leases.
//
// Step returns an error, and changes nothing, only when the ledger holds
// a pool the chain could not hold (which CheckInvariants reports too).
func (l *Ledger) Step() (BlockReport, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.step()
}

// StepN runs n blocks, checking ctx before each: it returns the last
// block's report and ctx's error when cancelled, leaving the ledger after
// the last whole block.
func (l *Ledger) StepN(ctx context.Context, n uint64) (BlockReport, error) {
	var last BlockReport
	for range n {
		if err := ctx.Err(); err != nil {
			return last, err
		}
		r, err := l.Step()
		if err != nil {
			return last, err
		}
		last = r
	}
	return last, nil
}

func (l *Ledger) step() (BlockReport, error) {
	b := l.block + 1
	buf := &l.buf
	ids, subs := l.keptSubnets()
	// Every per-subnet slice of the block resliced to the subnets' count,
	// so that the passes below index them without bounds checks.
	n := len(ids)
	subs = subs[:n]

	// The coinbase computes on copies of the pools: run it first, so that a
	// pool it refuses leaves the ledger untouched.
	issuance := l.totalIssuance
	blockEmission := emission.Mint(issuance, emission.BlockEmission(issuance))
	in := &buf.coinbase
	in.BlockEmission = blockEmission
	in.TaoWeight = l.params.TaoWeight
	in.RootTAO = 0
	if root := buf.root; root != nil {
		in.RootTAO = root.Pool.TAO
	}
	// Every field of each subnet's input is written in place, without a
	// composite literal built on the stack and copied in.
	in.Subnets = growTo(in.Subnets, n)
	ins := in.Subnets[:n]
	cut := emission.CutOf(l.params.SubnetOwnerCut)
	// The input's pass also takes 1., each subnet's registration step
	// (a subnet's registration step touches its neurons only, which the
	// coinbase does not read, so that the order of the two does not
	// matter): the pass reads the line of the hyperparameters that the
	// step reads, whose subnets' copies lie at one offset of same-sized
	// heap blocks, so that they share few sets of the cache and the
	// coinbase's work evicts them before the pass over the results. The
	// usual step inlines (subnet.Subnet.StepCached), so that the pass
	// takes no call and its values stay in registers. What a step
	// overwrites is kept (subnetRegs) and put back if the coinbase
	// refuses the block, which then changes nothing.
	buf.regs = growTo(buf.regs, n)
	regs := buf.regs[:n]
	for i, id := range ids {
		st, sn := subs[i].st, subs[i].sn
		regs[i] = subnetRegs{sn.Burn, sn.RegistrationsThisBlock}
		if !sn.StepCached(b) {
			sn.Step(b)
		}
		h := &sn.Hyperparameters
		c := &ins[i]
		c.NetUID = id
		c.Pool = st.Pool
		c.MovingPrice = st.MovingPrice
		c.MinerBurned = st.MinerBurned
		c.Emitting = emission.Emits(id, st.Started, st.SubtokenEnabled, h.NetworkRegistrationAllowed)
		c.EmissionDisabled = st.EmissionDisabled
		c.OwnerCut = cut
		c.OwnerCutDisabled = !h.OwnerCutEnabled
	}
	res, err := buf.coinbaser.Coinbase(in)
	if err != nil {
		for i := range regs {
			subs[i].sn.Burn, subs[i].sn.RegistrationsThisBlock = regs[i].burn, regs[i].thisBlock
		}
		return BlockReport{}, fmt.Errorf("block %d: coinbase: %w", b, err)
	}

	l.block = b
	report := BlockReport{Block: b, Emission: blockEmission}

	// The root's registration counters; then, in one pass over the
	// subnets, 3. each subnet's coinbase result, 4. its epoch schedule
	// and drain, and 5. its moving price unless its epoch runs: a
	// subnet's result, schedule, drain and moving price touch its own
	// state only (and its account's balance, TotalStake and the report,
	// which none of them reads), and none reads another's (nor the root's)
	// writes.
	//
	// The schedules are advanced one subnet at a time, in storage order,
	// with the epochs left of the block's MaxEpochsPerBlock:
	// emission.AdvanceSchedules visits its slice in order and counts the
	// epochs that ran in it, so that a call on subnet i alone with
	// MaxEpochsPerBlock less the epochs run before it (0 once none is
	// left) gives subnet i the outcome and schedule the call on the whole
	// slice gives it. A subnet's moving price reads and writes its own
	// state only, which no other subnet's epoch or payouts read or write
	// (they change their own subnet's state, pools and RootClaimable
	// rates, and none reads a moving price but its own subnet's, at
	// syncIn), and no event reports it: each is updated in this pass, or
	// right after its subnet's distribution for a subnet whose epoch runs,
	// with the same values as in a pass of its own after all the epochs
	// (TestStepMatchesPhasedReference). The events keep their order: the
	// emissions' in this pass, then the deferred epochs' after it. The
	// pending children, which the epochs read (ChildKeys, ParentKeys), are
	// applied after all of them, in storage order, to the subnets found
	// here with LastEpochBlock at this block: nothing between changes a
	// schedule.
	resetRootRegistrations(buf.root, b)
	// The events are built only for a listener (OnEvent): emit drops them
	// without one, but the compiler builds each first.
	events := l.onEvent != nil
	rs := res.Subnets[:n]
	buf.drained = buf.drained[:0]
	buf.fired = buf.fired[:0]
	buf.deferred = buf.deferred[:0]
	movingAlpha := l.params.SubnetMovingAlpha
	maxEpochs := l.params.MaxEpochsPerBlock
	var ran uint32
	// The credits' saturating sum: TotalStake's and the report's, added
	// once after the pass (nothing in it reads either; a chain of
	// saturating additions of non-negative amounts is min(exact sum, max),
	// in any grouping).
	var minted units.TAO
	for i, id := range ids {
		sub := &subs[i]
		st := sub.st
		c, r := &ins[i], &rs[i]
		oldOut := st.Pool.AlphaOut
		st.Pool = c.Pool
		credit := r.TAOIn.SaturatingAdd(r.ChainBuyTAO)
		if credit > 0 {
			if !l.creditKept(sub, credit) {
				l.creditSubnetAccount(sub, id, credit)
			}
			minted = minted.SaturatingAdd(credit)
		}
		st.ProtocolAlpha = st.ProtocolAlpha.SaturatingAdd(r.BoughtAlpha)
		s := r.Split
		st.PendingOwnerCut = st.PendingOwnerCut.SaturatingAdd(s.OwnerCut)
		st.PendingServer = st.PendingServer.SaturatingAdd(s.Server)
		st.PendingValidator = st.PendingValidator.SaturatingAdd(s.Validator)
		assigned := r.BoughtAlpha.SaturatingAdd(s.OwnerCut).SaturatingAdd(s.Server).SaturatingAdd(s.Validator)
		if !r.RootRecycled {
			st.PendingRoot = st.PendingRoot.SaturatingAdd(s.Root)
			assigned = assigned.SaturatingAdd(s.Root)
		}
		// What the coinbase minted into SubnetAlphaOut beyond what it
		// assigned is the floors' dust: held by nobody.
		if grown := st.Pool.AlphaOut.SaturatingSub(oldOut); grown > assigned {
			st.AlphaBurned = st.AlphaBurned.SaturatingAdd(grown - assigned)
		}
		if events && (r.TAOIn > 0 || r.AlphaIn > 0 || r.AlphaOut > 0 || r.ChainBuyTAO > 0) {
			l.emit(Event{Kind: EventEmission, NetUID: id, TAO: r.TAOIn, Alpha: r.AlphaOut})
		}

		// advanceSchedule, open-coded: it does not inline.
		o := emission.NotDue
		if scheduleQuiet(&st.Schedule, b) {
			st.Schedule.BlocksSinceLastStep++
		} else {
			o = buf.schedule.advance(&st.Schedule, b, maxEpochs-min(ran, maxEpochs))
		}
		if o == emission.NotDue {
			if c.Emitting {
				// movingPriceWith, written out (it does not inline).
				since, halving := emaBlocks(st, b)
				st.MovingPrice = buf.ema.NextFor(st.MovingPrice, r.Price, movingAlpha, since, halving)
			}
			if st.Schedule.LastEpochBlock == b {
				buf.fired = append(buf.fired, i)
			}
			continue
		}
		switch o {
		case emission.Ran:
			ran++
			report.EpochsRun++
			d := drained{netuid: id, at: i, server: st.PendingServer, validator: st.PendingValidator,
				root: st.PendingRoot, ownerCut: st.PendingOwnerCut}
			d.total = d.server.SaturatingAdd(d.validator).SaturatingAdd(d.root)
			st.PendingServer, st.PendingValidator, st.PendingRoot, st.PendingOwnerCut = 0, 0, 0, 0
			buf.drained = append(buf.drained, d)
		case emission.Deferred:
			report.EpochsDeferred++
			if events {
				buf.deferred = append(buf.deferred, id)
			}
		case emission.Skipped:
			report.EpochsSkipped++
		}
		if o != emission.Ran && c.Emitting {
			// The coinbase's price of the pool it left
			// (SubnetCoinbase.Price): the epochs and payouts between
			// change no pool's price fields (AlphaOut only), so it is
			// Pool.Price now, without computing it again
			// (TestMovingPricesReadTheBlocksPools).
			st.MovingPrice = movingPriceWith(&buf.ema, st, r.Price, b, movingAlpha)
		}
		if st.Schedule.LastEpochBlock == b {
			buf.fired = append(buf.fired, i)
		}
	}
	l.totalStake = l.totalStake.SaturatingAdd(minted)
	report.Minted = minted
	report.Recycled = blockEmission.SaturatingSub(minted)
	for _, id := range buf.deferred {
		l.emit(Event{Kind: EventEpochDeferred, NetUID: id})
	}

	for k := range buf.drained {
		d := &buf.drained[k]
		st := subs[d.at].st
		l.distribute(b, *d, st, subs[d.at].sn)
		if ins[d.at].Emitting {
			st.MovingPrice = movingPriceWith(&buf.ema, st, rs[d.at].Price, b, movingAlpha)
		}
	}
	for _, i := range buf.fired {
		l.applyPendingChildren(ids[i], b)
	}
	return report, nil
}

// advanceSchedule is emission.AdvanceSchedules of the one schedule s at
// block with maxEpochs epochs left to run (its maxEpochsPerBlock), in
// place, returning its outcome; scratch holds the call's operands.
//
// The common case takes no call: AdvanceSchedules's documented step 1
// advances BlocksSinceLastStep (saturating) and leaves the schedule so,
// NotDue, unless it is then Due, and emission.Schedule.Due, for a
// non-zero tempo, is a pending epoch that has come (PendingEpochAt > 0
// and block ≥ it), BlocksSinceLastStep above MaxTempo, or tempo blocks
// since LastEpochBlock (saturating): the condition below is the
// negation of each, read on the advanced BlocksSinceLastStep: below
// MaxTempo before the step (then its increment does not saturate), and
// LastEpochBlock at or after block (the saturating difference 0) or less
// than tempo blocks before it. Any other schedule, tempo 0 included, goes
// through the call
// (TestAdvanceScheduleMatchesAdvanceSchedules, FuzzAdvanceSchedule).
func advanceSchedule(s *emission.Schedule, block uint64, maxEpochs uint32, scratch *scheduleScratch) emission.EpochOutcome {
	if scheduleQuiet(s, block) {
		s.BlocksSinceLastStep++
		return emission.NotDue
	}
	return scratch.advance(s, block, maxEpochs)
}

// scheduleQuiet is advanceSchedule's condition for a schedule that is
// not due after its step 1 (see there).
func scheduleQuiet(s *emission.Schedule, block uint64) bool {
	return s.Tempo != 0 && (s.PendingEpochAt == 0 || block < s.PendingEpochAt) && s.BlocksSinceLastStep < emission.MaxTempo &&
		(s.LastEpochBlock >= block || block-s.LastEpochBlock < uint64(s.Tempo))
}

// scheduleScratch is advanceSchedule's operands of
// emission.AdvanceSchedules, one schedule and its outcome.
type scheduleScratch struct {
	sched [1]emission.Schedule
	out   [1]emission.EpochOutcome
}

// advance is advanceSchedule through emission.AdvanceSchedules, kept out
// of line so that advanceSchedule inlines.
//
//go:noinline
func (z *scheduleScratch) advance(s *emission.Schedule, block uint64, maxEpochs uint32) emission.EpochOutcome {
	z.sched[0] = *s
	emission.AdvanceSchedules(z.sched[:], nil, block, maxEpochs, z.out[:])
	*s = z.sched[0]
	return z.out[0]
}

// movingPriceAt is update_moving_price (staking/stake_utils.rs) for one
// emitting subnet at block, whose pool's spot price is price.
func movingPriceAt(st *SubnetState, price amm.Price, block uint64, movingAlpha fixed.I96F32) fixed.I96F32 {
	halving := st.EMAPriceHalvingBlocks
	if halving == 0 {
		halving = amm.DefaultEMAPriceHalvingBlocks
	}
	return amm.NextMovingPrice(st.MovingPrice, price, movingAlpha, amm.BlocksSinceStart(block, st.FirstEmissionBlock), halving)
}

// movingPriceWith is movingPriceAt through e, which keeps the EMA's
// weight of its last operands: the subnets of a block mostly share their
// blocks since the first emission and their halving, so the weight is
// computed once for them (amm.MovingEMA gives NextMovingPrice's bits;
// TestMovingPriceWithMatchesAt compares the two here).
func movingPriceWith(e *amm.MovingEMA, st *SubnetState, price amm.Price, block uint64, movingAlpha fixed.I96F32) fixed.I96F32 {
	since, halving := emaBlocks(st, block)
	return e.NextFor(st.MovingPrice, price, movingAlpha, since, halving)
}

// emaBlocks is update_moving_price's block count since the first
// emission and halving period of the subnet st at block (the halving's
// 0 read as the default), movingPriceWith's operands. It inlines: the
// block's pass calls NextFor itself, with no call of movingPriceWith
// between.
func emaBlocks(st *SubnetState, block uint64) (since, halving uint64) {
	halving = st.EMAPriceHalvingBlocks
	if halving == 0 {
		halving = amm.DefaultEMAPriceHalvingBlocks
	}
	return amm.BlocksSinceStart(block, st.FirstEmissionBlock), halving
}

// creditSubnetAccount mints credit (> 0) into the account of the kept
// subnet s, netuid: its balance and TotalIssuance grow by it, each saturating.
//
// The balance is written through the account's cell, which the subnet
// list keeps (keptBalance), without a map operation; an account without
// one gets it here (putBalance), once. The plain sum is the saturating
// one when TotalIssuance + credit does not overflow: no balance exceeds
// TotalIssuance, the sum of all the balances (CheckInvariants; NewLedger
// refuses any other, transfers and reaping keep it, and only the block
// mints, here, into both, never past the supply cap, emission.Mint, so
// that TotalIssuance never saturates), so neither does balance + credit.
// Otherwise the saturating sum, as before
// (TestCreditSubnetAccountMatchesSaturating, FuzzCreditSubnetAccount).
func (l *Ledger) creditSubnetAccount(s *stepSubnet, netuid units.NetUID, credit units.TAO) {
	if l.creditKept(s, credit) {
		return
	}
	p := l.keptBalance(s, netuid)
	if p == nil {
		p = l.putBalance(SubnetAccountID(netuid), nil, credit)
		s.bal = p
		l.totalIssuance = l.totalIssuance.SaturatingAdd(credit)
		return
	}
	if issued, over := l.totalIssuance.Add(credit); !over {
		*p += credit
		l.totalIssuance = issued
		return
	}
	*p = p.SaturatingAdd(credit)
	l.totalIssuance = l.totalIssuance.SaturatingAdd(credit)
}

// creditKept is creditSubnetAccount's usual case, tried first: the kept
// cell still the account's (keptBalance) and TotalIssuance + credit not
// overflowing. It credits and reports true then; otherwise it changes
// nothing and reports false. It inlines, so that the block's pass takes
// no call for a subnet's credit (creditSubnetAccount calls it again on
// false, which again changes nothing).
func (l *Ledger) creditKept(s *stepSubnet, credit units.TAO) bool {
	issued, over := l.totalIssuance.Add(credit)
	p := s.bal
	if p == nil || s.balGone != l.balancesGone || over {
		return false
	}
	*p += credit
	l.totalIssuance = issued
	return true
}

// keptSubnet returns the state and neurons of the non-root subnet netuid
// and whether it has both, as l.subnets and l.nets hold them, from the
// block's kept subnet list (keptSubnets: the caller holds the write
// lock). The list is current when built at this keysGen: every addition,
// removal or restoration of a subnet's state or neurons passes through
// keysChanged (reorder, journal.net's undo), so the list then holds
// exactly the non-root netuids of l.order, ascending, with the maps'
// pointers (UIDCachesCurrent checks it after every call and block in the
// tests).
func (l *Ledger) keptSubnet(netuid units.NetUID) (*SubnetState, *subnet.Subnet, bool) {
	ids, subs := l.keptSubnets()
	s := keptSubnetAt(ids, subs, netuid)
	if s == nil {
		return nil, nil, false
	}
	return s.st, s.sn, s.sn != nil
}

// keptSubnetAt returns netuid's entry of the kept subnet list ids, subs
// (nil: none).
func keptSubnetAt(ids []units.NetUID, subs []stepSubnet, netuid units.NetUID) *stepSubnet {
	// Netuids 1..n without gaps put netuid at n−1; otherwise search.
	i := int(netuid) - 1
	if uint(i) >= uint(len(ids)) || ids[i] != netuid {
		var found bool
		if i, found = slices.BinarySearch(ids, netuid); !found {
			return nil
		}
	}
	return &subs[i]
}

// keptSubnets returns the block's kept subnet list, the non-root netuids
// in order and their states and neurons, rebuilt from the maps
// when a subnet came, went or was restored since it was built (keysGen;
// see keptSubnet). It writes the list: the caller holds the write lock.
func (l *Ledger) keptSubnets() ([]units.NetUID, []stepSubnet) {
	buf := &l.buf
	if buf.subnetsValid && buf.subnetsGen == buf.keysGen {
		return buf.ids, buf.subnets
	}
	// The list is rebuilt in place. An entry the old list held at the
	// same place for the same netuid keeps its balance cell (bal,
	// balGone): the cell is the account's, whatever else changed, while
	// balancesGone says so (keptBalance).
	ids, subs := buf.ids[:0], buf.subnets[:0]
	for _, id := range l.order {
		if id != RootNetUID {
			n := len(ids)
			var bal *units.TAO
			var gone uint64
			if n < len(buf.ids) && buf.ids[n] == id {
				bal, gone = buf.subnets[n].bal, buf.subnets[n].balGone
			}
			ids = append(ids, id)
			subs = append(subs, stepSubnet{l.subnets[id], l.nets[id], bal, gone})
		}
	}
	buf.ids, buf.subnets, buf.root = ids, subs, l.subnets[RootNetUID]
	buf.subnetsValid, buf.subnetsGen = true, buf.keysGen
	return ids, subs
}

// growTo returns s with length n, reusing its array when it can.
func growTo[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
