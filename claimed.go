package dtao

import (
	"cmp"
	"slices"

	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// The RootClaimed store. The chain keys RootClaimed by (netuid, hotkey,
// coldkey) (pallets/subtensor/src/lib.rs, RootClaimed); the ledger files
// the entries by (hotkey, coldkey), each pair's entries in one row in
// ascending netuid order (claimPair, claimedEntry), because the chain's
// hot access is a root stake call's, which reads and writes the entry of
// every netuid of RootClaimable[hotkey] for one (hotkey, coldkey)
// (add_stake_adjust_root_claimed_for_hotkey_and_coldkey and its remove
// twin, staking/claim_root.rs): one map lookup and a walk of the row
// alongside the hotkey's claimIndex, both in netuid order, instead of a
// lookup per netuid. A row is never empty (a pair without entries leaves
// the map) and holds each netuid at most once. What the store holds is
// the chain's map exactly: the entries are the same, each row being one
// pair's slice of it, so every reader, the genesis export (sorted as
// claimKey.cmp orders the chain's keys) and the StateHash see what the
// map would hold.

// claimPair is the key of a RootClaimed row.
type claimPair struct{ hotkey, coldkey units.AccountID }

// claimedEntry is one RootClaimed entry of a row.
type claimedEntry struct {
	netuid units.NetUID
	value  fixed.U128
}

func cmpClaimedEntry(e claimedEntry, id units.NetUID) int { return cmp.Compare(e.netuid, id) }

// claimedOf is RootClaimed[k] and whether the entry exists (0 when it does
// not, the storage default).
func (l *Ledger) claimedOf(k claimKey) (fixed.U128, bool) {
	row := l.rootClaimed[claimPair{k.hotkey, k.coldkey}]
	if i, ok := slices.BinarySearchFunc(row, k.netuid, cmpClaimedEntry); ok {
		return row[i].value, true
	}
	return fixed.U128{}, false
}

// putClaimed writes RootClaimed[k] = v, unlogged (genesis, undo).
func (l *Ledger) putClaimed(k claimKey, v fixed.U128) {
	p := claimPair{k.hotkey, k.coldkey}
	row := l.rootClaimed[p]
	i, ok := slices.BinarySearchFunc(row, k.netuid, cmpClaimedEntry)
	if ok {
		row[i].value = v
		return
	}
	l.rootClaimed[p] = slices.Insert(row, i, claimedEntry{k.netuid, v})
}

// deleteClaimed removes RootClaimed[k], if it exists, and the row with
// it when it was the row's last entry.
func (l *Ledger) deleteClaimed(k claimKey) {
	p := claimPair{k.hotkey, k.coldkey}
	row := l.rootClaimed[p]
	i, ok := slices.BinarySearchFunc(row, k.netuid, cmpClaimedEntry)
	if !ok {
		return
	}
	if len(row) == 1 {
		delete(l.rootClaimed, p)
		return
	}
	l.rootClaimed[p] = slices.Delete(row, i, i+1)
}

// claimedLen is the number of RootClaimed entries.
func (l *Ledger) claimedLen() int {
	n := 0
	for _, row := range l.rootClaimed {
		n += len(row)
	}
	return n
}

// takeClaimed deletes the RootClaimed entries of netuid and returns them
// (journal.removeSubnet).
func (l *Ledger) takeClaimed(netuid units.NetUID) map[claimKey]fixed.U128 {
	var out map[claimKey]fixed.U128
	for p, row := range l.rootClaimed {
		i, ok := slices.BinarySearchFunc(row, netuid, cmpClaimedEntry)
		if !ok {
			continue
		}
		if out == nil {
			out = make(map[claimKey]fixed.U128)
		}
		out[claimKey{netuid, p.hotkey, p.coldkey}] = row[i].value
		if len(row) == 1 {
			delete(l.rootClaimed, p)
		} else {
			l.rootClaimed[p] = slices.Delete(row, i, i+1)
		}
	}
	return out
}

// putBackClaimed writes the entries takeClaimed returned.
func (l *Ledger) putBackClaimed(m map[claimKey]fixed.U128) {
	for k, v := range m {
		l.putClaimed(k, v)
	}
}

// genesisRootClaimed lists the RootClaimed entries in the order of
// their keys (claimKey.cmp: netuid, hotkey, coldkey), nil for none. It
// sorts the rows by their pair, then places each entry at the next place
// of its netuid: each netuid's entries come in pair order, and the
// netuids' runs in netuid order. Where a sort of the entries compared
// their 66-byte keys n log n times (1 s of a StateHash after a year of
// sim.BenchConfig: 1.25 million entries), this sorts the rows, each
// holding up to an entry per root-claimable subnet of its hotkey, and
// moves each entry once.
func (l *Ledger) genesisRootClaimed() []GenesisRootClaimed {
	n := l.claimedLen()
	if n == 0 {
		return nil
	}
	type pairRow struct {
		pair claimPair
		row  []claimedEntry
	}
	rows := make([]pairRow, 0, len(l.rootClaimed))
	top := 0
	for p, row := range l.rootClaimed {
		rows = append(rows, pairRow{p, row})
		top = max(top, int(row[len(row)-1].netuid)) // a row ascends by netuid
	}
	slices.SortFunc(rows, func(a, b pairRow) int { return a.pair.cmp(b.pair) })
	next := make([]int, top+2) // next[id+1]: how many of netuid id, then where its next goes
	for _, r := range rows {
		for _, e := range r.row {
			next[int(e.netuid)+1]++
		}
	}
	for id := 1; id < len(next); id++ {
		next[id] += next[id-1]
	}
	out := make([]GenesisRootClaimed, n)
	for _, r := range rows {
		for _, e := range r.row {
			out[next[e.netuid]] = GenesisRootClaimed{NetUID: e.netuid, Hotkey: r.pair.hotkey, Coldkey: r.pair.coldkey, Claimed: e.value}
			next[e.netuid]++
		}
	}
	return out
}

// cmp orders pairs by hotkey, then coldkey, as claimKey.cmp orders the
// keys of one netuid.
func (p claimPair) cmp(o claimPair) int {
	if c := cmpAccount(p.hotkey, o.hotkey); c != 0 {
		return c
	}
	return cmpAccount(p.coldkey, o.coldkey)
}

// claimLog is a call's record of the RootClaimed rows it changed: per
// write, the row as it was (claimUndo.n entries of saved from
// claimUndo.start) followed by the netuids the write added to it
// (claimUndo.added entries).
type claimLog struct {
	undo  []claimUndo
	saved []claimedEntry
}

type claimUndo struct {
	pair            claimPair
	start, n, added int32
}

// saveRow records row, the pair's row before a write, and returns the
// record's index (-1 for a nil log, which records nothing).
func (c *callLog) saveRow(l *Ledger, p claimPair, row []claimedEntry) int {
	if c == nil {
		return -1
	}
	if c.claims.undo == nil {
		// Borrow the ledger's buffers (nil while another log holds them).
		c.claims, l.jr.claims = claimLog{l.jr.claims.undo[:0], l.jr.claims.saved[:0]}, claimLog{}
	}
	c.claims.undo = append(c.claims.undo, claimUndo{pair: p, start: int32(len(c.claims.saved)), n: int32(len(row))})
	c.claims.saved = append(c.claims.saved, row...)
	return len(c.claims.undo) - 1
}

// added records that the write of record rec (saveRow's, the last)
// added netuid's entry to the row.
func (c *callLog) added(rec int, netuid units.NetUID) {
	if c == nil {
		return
	}
	c.claims.undo[rec].added++
	c.claims.saved = append(c.claims.saved, claimedEntry{netuid: netuid})
}

// setClaimed writes RootClaimed[k] = v, recording the pair's row as it
// was.
func (c *callLog) setClaimed(l *Ledger, k claimKey, v fixed.U128) {
	p := claimPair{k.hotkey, k.coldkey}
	row := l.rootClaimed[p]
	rec := c.saveRow(l, p, row)
	i, ok := slices.BinarySearchFunc(row, k.netuid, cmpClaimedEntry)
	if ok {
		row[i].value = v
		return
	}
	c.added(rec, k.netuid)
	l.rootClaimed[p] = slices.Insert(row, i, claimedEntry{k.netuid, v})
}

// undo restores the RootClaimed entries the call wrote, the writes in
// reverse order: each gives back the values its row held before it and
// takes out the entries it added; an entry the row lacks now but held
// then is put back. It runs after the journal's rollback, which puts
// back the entries of a subnet the call removed (journal.removeSubnet),
// as every call orders them (j.rollback, then log.undo), and a call
// writes no entry of a subnet it removed: the rows are then those before
// the call, entry by entry.
func (c *callLog) undo(l *Ledger) {
	for i := len(c.claims.undo) - 1; i >= 0; i-- {
		u := &c.claims.undo[i]
		old := c.claims.saved[u.start : u.start+u.n]
		for _, e := range old {
			l.putClaimed(claimKey{e.netuid, u.pair.hotkey, u.pair.coldkey}, e.value)
		}
		for _, e := range c.claims.saved[u.start+u.n : u.start+u.n+u.added] {
			l.deleteClaimed(claimKey{e.netuid, u.pair.hotkey, u.pair.coldkey})
		}
	}
	c.release(l)
}

// release gives the log's buffers back to the ledger (keeping the larger
// of each) and empties the log.
func (c *callLog) release(l *Ledger) {
	if cap(c.claims.undo) > cap(l.jr.claims.undo) {
		l.jr.claims.undo = c.claims.undo[:0]
	}
	if cap(c.claims.saved) > cap(l.jr.claims.saved) {
		l.jr.claims.saved = c.claims.saved[:0]
	}
	if cap(c.events) > cap(l.jr.events) {
		l.jr.events = c.events[:0]
	}
	c.claims, c.events = claimLog{}, nil
}

// adjustClaimed writes, for each netuid of RootClaimable[hotkey] that
// rootClaimableNetUIDs visits (but root when !add), RootClaimed[(netuid,
// hotkey, coldkey)] = adjustedClaim(that entry, the netuid's rate,
// amount, add). The
// hotkey's index and the pair's row are both in ascending netuid order,
// so one walk of the two finds each netuid's entry; the entries already
// there are written in place, and those missing (the entry the chain's
// mutate creates from the default 0) are merged in from the back in a
// second walk, which only moves the entries the first one wrote. Each
// entry is the step of its own old value and rate, whatever the order of the
// writes, so the entries are those of the walk writing one key at a time.
func (l *Ledger) adjustClaimed(log *callLog, hotkey, coldkey units.AccountID, amount units.Alpha, add bool) {
	refs := l.claimIndex[hotkey]
	if len(refs) == 0 {
		return
	}
	p := claimPair{hotkey, coldkey}
	row := l.rootClaimed[p]
	rec := log.saveRow(l, p, row)
	missing, j := 0, 0
	for _, c := range refs {
		if (!add && c.netuid == RootNetUID) || l.claimableSkipped(c.netuid) {
			continue
		}
		for j < len(row) && row[j].netuid < c.netuid {
			j++
		}
		if j < len(row) && row[j].netuid == c.netuid {
			row[j].value = adjustedClaim(row[j].value, *c.rate, amount, add)
			j++
		} else {
			missing++
		}
	}
	if missing == 0 {
		return
	}
	n := len(row)
	row = slices.Grow(row, missing)[:n+missing]
	w, j := len(row)-1, n-1
	for k := len(refs) - 1; k >= 0; k-- {
		c := refs[k]
		if (!add && c.netuid == RootNetUID) || l.claimableSkipped(c.netuid) {
			continue
		}
		for j >= 0 && row[j].netuid > c.netuid {
			row[w] = row[j]
			w, j = w-1, j-1
		}
		if j >= 0 && row[j].netuid == c.netuid {
			row[w] = row[j] // written by the first walk
			j--
		} else {
			row[w] = claimedEntry{c.netuid, adjustedClaim(fixed.U128{}, *c.rate, amount, add)}
			log.added(rec, c.netuid)
		}
		w--
	}
	l.rootClaimed[p] = row
}

// adjustedClaim is one netuid's step of a root stake's adjustment:
// emission.RootClaimedAfterAddStake when add, else
// RootClaimedAfterRemoveStake.
func adjustedClaim(claimed fixed.U128, rate fixed.I96F32, amount units.Alpha, add bool) fixed.U128 {
	if add {
		return emission.RootClaimedAfterAddStake(claimed, rate, amount)
	}
	return emission.RootClaimedAfterRemoveStake(claimed, rate, amount)
}
