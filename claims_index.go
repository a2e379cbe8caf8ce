package dtao

import (
	"cmp"
	"slices"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// claimRef is one RootClaimable entry of a hotkey: its netuid and the
// map's pointer to the rate.
type claimRef struct {
	netuid units.NetUID
	rate   *fixed.I96F32
}

// cmpClaimRef orders a hotkey's index by netuid.
func cmpClaimRef(c claimRef, id units.NetUID) int { return cmp.Compare(c.netuid, id) }

// addClaimable puts r, the new RootClaimable entry of k (absent until
// now), into the map and the hotkey's index.
func (l *Ledger) addClaimable(k stakeKey, r *fixed.I96F32) {
	l.rootClaimable[k] = r
	l.indexClaimable(k, r)
}

// indexClaimable records r, the map's entry at k, in the hotkey's index,
// kept in ascending netuid order.
func (l *Ledger) indexClaimable(k stakeKey, r *fixed.I96F32) {
	refs := l.claimIndex[k.hotkey]
	i, _ := slices.BinarySearchFunc(refs, k.netuid, cmpClaimRef)
	l.claimIndex[k.hotkey] = slices.Insert(refs, i, claimRef{k.netuid, r})
}

// unindexClaimable takes the entry at k, just deleted from the map, out
// of the hotkey's index; a hotkey left without entries leaves the index.
func (l *Ledger) unindexClaimable(k stakeKey) {
	refs := l.claimIndex[k.hotkey]
	i, ok := slices.BinarySearchFunc(refs, k.netuid, cmpClaimRef)
	if !ok {
		return
	}
	refs = slices.Delete(refs, i, i+1)
	if len(refs) == 0 {
		delete(l.claimIndex, k.hotkey)
		return
	}
	l.claimIndex[k.hotkey] = refs
}

// claimableSkipped reports whether the walk of a hotkey's RootClaimable
// entries passes over netuid: an entry genesis made for a netuid that
// holds no subnet (the walk visits the ledger's subnets, l.order). Only
// genesis makes such entries (the payouts make them for their own
// subnet, and a removed subnet's entries leave with it), so while it made
// none (l.claimOrphans false) no netuid is skipped and no lookup is made.
func (l *Ledger) claimableSkipped(netuid units.NetUID) bool {
	if !l.claimOrphans {
		return false
	}
	_, ok := l.subnets[netuid]
	return !ok
}
