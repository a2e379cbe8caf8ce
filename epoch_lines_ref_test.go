package dtao

import (
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// DistributeOnceAllLines is DistributeOnce through distributeAllLines,
// the reference of the ledger's distribute.
func DistributeOnceAllLines(l *Ledger, netuid units.NetUID, server, validator, root, ownerCut units.Alpha) error {
	return distributeOnceBy(l, (*Ledger).distributeAllLines, netuid, server, validator, root, ownerCut)
}

// distributeAllLines is distribute as written before the lines of no
// emission were left out (3b6eb90), the reference of distribute
// (TestDistributeMatchesAllLines): every uid's line from RunEpoch, the
// payouts' lines found by the cursor's walk (payOutAllLines). As
// distribute, it is distribute_emission (coinbase/run_coinbase.rs) for one
// drained subnet at block: the epoch, then the payouts. An epoch the
// consensus refuses (a hyperparameter the chain's Yuma would panic on)
// pays nothing: the drained alpha is booked as held by nobody and an
// EventEpochFailed reports it.
func (l *Ledger) distributeAllLines(block uint64, d drained, st *SubnetState, sn *subnet.Subnet) {
	sn.Pool, sn.MovingPrice, sn.TaoFlow = st.Pool, st.MovingPrice, st.TaoFlow // syncIn
	buf := &l.buf
	gen := buf.keysGen
	buf.payoutPools = false
	view, c := l.epochView(d.netuid, sn)
	uids := c.uids
	out, err := sn.RunEpoch(subnet.Now{Block: block, Epoch: st.Schedule.EpochIndex}, d.total, view, &l.ws)
	if err != nil {
		st.AlphaBurned = st.AlphaBurned.SaturatingAdd(d.total).SaturatingAdd(d.ownerCut)
		l.emit(Event{Kind: EventEpochFailed, NetUID: d.netuid, Alpha: d.total})
		return
	}
	// The input's slices and map are the ledger's, reused epoch after
	// epoch. The states of the epoch's hotkeys go by line (their pools and
	// owners as the view found them); the map holds only parents.
	if buf.hotkeys == nil {
		buf.hotkeys = make(map[units.AccountID]emission.HotkeyState)
	}
	clear(buf.hotkeys)
	buf.emissions = growTo(buf.emissions, len(out))
	buf.states = growTo(buf.states, len(out))
	// The epoch's lines are the uids in hotkey order (RunEpoch).
	buf.lineUIDs = sn.UIDsByHotkey(buf.lineUIDs)
	ordered := len(buf.lineUIDs) == len(out)
	if !ordered {
		buf.lineUIDs = growTo(buf.lineUIDs, len(out))
	}
	in := emission.DistributionInput{
		PendingServer: d.server, PendingValidator: d.validator,
		PendingRoot: d.root, PendingOwnerCut: d.ownerCut,
		TaoWeight: l.params.TaoWeight, CKBurn: l.params.CKBurn,
		Emissions:       buf.emissions,
		States:          buf.states,
		Hotkeys:         buf.hotkeys,
		RecycleWithheld: st.RecycleIncentive,
	}
	// Each line's hotkey prefix, for the payouts' cursor (lineCursor).
	buf.linePrefixes = growTo(buf.linePrefixes, len(out))
	// Without childkey takes, children or parents, a line's state is
	// what its uid holds (fillOwnState): the maps' lookups, which would
	// find nothing, are skipped once for the epoch rather than per line.
	own := len(l.childkeyTake) == 0 && !l.hasLinks()
	minTake := l.params.MinChildkeyTake
	// The line slices in locals of the lines' length: the loop indexes
	// them without reloading them from buf or checking their bounds.
	emissions, states := in.Emissions[:len(out)], in.States[:len(out)]
	prefixes, lineUIDs := buf.linePrefixes[:len(out)], buf.lineUIDs[:len(out)]
	for i := range out {
		e := &out[i]
		emissions[i] = emission.HotkeyEmission(*e)
		prefixes[i] = accountPrefix(&e.Hotkey)
		// Line i is uid lineUIDs[i]: RunEpoch's lines are the uids of
		// UIDsByHotkey in order, and the kept lookups' hotkeys are the
		// subnet's (epochView); TestEpochLinesAreUIDsByHotkey. Comparing
		// the hotkeys here would read the second line of each uid's
		// state, in the lines' random order, for nothing.
		if !ordered {
			// Not the order RunEpoch documents: look the uid up.
			lineUIDs[i], _ = sn.UID(e.Hotkey)
		}
		u := &uids[lineUIDs[i]]
		if own {
			fillOwnState(&states[i], u, minTake)
			continue
		}
		l.fillHotkeyState(&states[i], e.Hotkey, d.netuid, u)
		for _, p := range states[i].Parents {
			if _, ok := in.Hotkeys[p.Hotkey]; !ok {
				in.Hotkeys[p.Hotkey] = l.hotkeyState(p.Hotkey, d.netuid)
			}
		}
	}
	// The uids' hotkeys are the subnet's (epochView looked up every uid
	// whose hotkey changed).
	in.OwnerHotkeys = c.ownerHotkeys(sn)
	c.warm, buf.view.warm = warmOwnerEntries(uids, buf.lineUIDs[:len(out)], buf.view.warm)
	dist, err := buf.distributor.Distribute(&in)
	if err != nil {
		st.AlphaBurned = st.AlphaBurned.SaturatingAdd(d.total).SaturatingAdd(d.ownerCut)
		l.emit(Event{Kind: EventEpochFailed, NetUID: d.netuid, Alpha: d.total})
		return
	}
	l.payOutAllLines(d, st, sn, dist, lineCursor{lines: in.Emissions, prefixes: buf.linePrefixes, uids: buf.lineUIDs, states: uids})
	if buf.keysGen != gen || buf.payoutPools {
		// The payouts made or dropped a pool: the next epoch looks up
		// again. (They keep uids current, but a pool of a hotkey without
		// a line may have come too: simpler to start afresh.) Only this
		// subnet's lookups can hold a pool on it (payoutPoolChanged).
		c.valid = false
	}
	l.emit(Event{Kind: EventEpoch, NetUID: d.netuid, Alpha: d.total.SaturatingAdd(d.ownerCut)})
}

// payOutAllLines is payOut as written before the payouts' lines
// (emission.Distributor.PayoutLines): each payee's line found by the
// cursor's walk. It applies distribute_dividends_and_incentives
// (coinbase/run_coinbase.rs) to the ledger, booking every rao of the
// drained buckets: what no stake receives is recycled (SubnetAlphaOut −=)
// or held by nobody (AlphaBurned). The hotkeys with a line in the epoch
// are credited through the pools the stake view found (lines); the others
// are looked up.
func (l *Ledger) payOutAllLines(d drained, st *SubnetState, sn *subnet.Subnet, dist *emission.Distribution, lines lineCursor) {
	t := payTally{l: l, netuid: d.netuid}
	if sn.HasOwnerHotkey {
		// To the owner coldkey, which need not own the hotkey: not through
		// the line. Its pool may have been made or dropped: the line, if
		// any, reads it afresh.
		t.credit(&sn.OwnerHotkey, &sn.Owner, dist.OwnerCut)
		if u := lines.find(&sn.OwnerHotkey); u != nil {
			u.alpha = l.stake.pool(stakeKey{sn.OwnerHotkey, d.netuid})
		}
		lines.reset()
	} else {
		t.paid = t.paid.SaturatingAdd(dist.OwnerCut)
		t.unheld = t.unheld.SaturatingAdd(dist.OwnerCut)
	}
	for i := range dist.Incentives {
		p := &dist.Incentives[i]
		if p.Amount == 0 {
			continue
		}
		t.creditOwner(&p.Hotkey, lines.find(&p.Hotkey), p.Amount)
	}
	lines.reset()
	t.paid = t.paid.SaturatingAdd(dist.Withheld)
	if st.RecycleIncentive {
		st.Pool.AlphaOut = st.Pool.AlphaOut.SaturatingSub(dist.Withheld)
	} else {
		t.unheld = t.unheld.SaturatingAdd(dist.Withheld)
	}
	st.MinerBurned = dist.MinerBurned
	for i := range dist.AlphaDividends {
		p := &dist.AlphaDividends[i]
		u := lines.find(&p.Hotkey)
		t.creditOwner(&p.Hotkey, u, p.Take)
		if p.Rest > 0 {
			t.paid = t.paid.SaturatingAdd(p.Rest)
			var ok bool
			if u != nil {
				ok = u.alpha != nil && u.alpha.Len() > 0 && u.alpha.Dividend(p.Rest) == nil
			} else {
				ok = l.creditPool(p.Hotkey, d.netuid, p.Rest)
			}
			if !ok {
				t.unheld = t.unheld.SaturatingAdd(p.Rest)
			}
		}
	}
	lines.reset()
	for i := range dist.RootDividends {
		p := &dist.RootDividends[i]
		u := lines.find(&p.Hotkey)
		t.creditOwner(&p.Hotkey, u, p.Take)
		if p.Rest == 0 {
			continue
		}
		// increase_root_claimable_for_hotkey_and_subnet
		// (staking/claim_root.rs): a dividend above the root stake is
		// staked to the hotkey's owner instead. (The payouts credit the
		// subnet's pools only, and the subnet is not root: the root pools
		// hold the values the view read into u.rootStake.)
		var rootStake units.Alpha
		if u != nil {
			rootStake = u.rootStake
		} else {
			rootStake = l.hotkeyAlpha(p.Hotkey, RootNetUID)
		}
		if p.Rest > rootStake {
			t.creditOwner(&p.Hotkey, u, p.Rest)
			continue
		}
		t.paid = t.paid.SaturatingAdd(p.Rest)
		st.RootClaimableAlpha = st.RootClaimableAlpha.SaturatingAdd(p.Rest)
		if inc, ok := emission.RootClaimableIncrement(p.Rest, rootStake); ok {
			var r *fixed.I96F32
			if u != nil {
				r = l.claimableOf(p.Hotkey, d.netuid, u)
			} else {
				r = l.claimableEntry(stakeKey{p.Hotkey, d.netuid})
			}
			*r = r.SaturatingAdd(inc)
		}
	}
	paid, unheld := t.paid.SaturatingAdd(dist.CKBurned), t.unheld
	st.Pool.AlphaOut = st.Pool.AlphaOut.SaturatingSub(dist.CKBurned)
	// The CK burn is recycled on top of dividends renormalised to the
	// whole pool: what was paid beyond the drained alpha left
	// SubnetAlphaOut without leaving a holder.
	total := d.total.SaturatingAdd(d.ownerCut)
	if total > paid {
		unheld = unheld.SaturatingAdd(total - paid)
	} else {
		st.AlphaOutShortfall = st.AlphaOutShortfall.SaturatingAdd(paid - total)
	}
	st.AlphaBurned = st.AlphaBurned.SaturatingAdd(unheld)
}
