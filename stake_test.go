package dtao

import (
	"maps"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/units"
)

// dropPendingRef is the end of do_remove_stake as first written: the
// total stake, then PendingChildKeys::remove on every subnet.
func dropPendingRef(l *Ledger, hotkey units.AccountID) {
	if l.totalStakeForHotkey(hotkey).Rao() >= l.params.StakeThreshold {
		return
	}
	for _, id := range l.order {
		delete(l.pendingChildren, stakeKey{hotkey, id})
	}
}

// remove_stake drops the hotkey's pending children on every subnet once
// its total stake falls below StakeThreshold (do_remove_stake, step 6,
// staking/remove_stake.rs), and only its own; above the threshold they
// stay. An entry on a netuid without a subnet is not the chain's to
// visit (get_all_subnet_netuids) and stays.
func TestRemoveStakeDropsPendingChildrenBelowThreshold(t *testing.T) {
	l := testNetwork(t)
	hk, ck, other := acctN(100), acctN(0), acctN(101)
	// 1e12 alpha at 0.1 TAO: a total stake of 1e11 rao.
	l.params.StakeThreshold = 50_000_000_000
	pending := PendingChildren{Children: []Link{{Proportion: 1, Hotkey: acctN(102)}}, CooldownBlock: 99}
	for _, k := range []stakeKey{{hk, 1}, {hk, 2}, {other, 2}, {hk, 9}} {
		l.pendingChildren[k] = pending
	}
	if _, err := l.RemoveStake(ck, hk, 1, 10_000_000_000); err != nil {
		t.Fatal(err)
	}
	if len(l.pendingChildren) != 4 {
		t.Fatalf("above the threshold %d pending entries left, want 4", len(l.pendingChildren))
	}
	if _, err := l.RemoveStake(ck, hk, 1, 600_000_000_000); err != nil {
		t.Fatal(err)
	}
	if tot := l.TotalStakeForHotkey(hk).Rao(); tot >= l.params.StakeThreshold {
		t.Fatalf("total stake %d not below the threshold", tot)
	}
	got := slices.SortedFunc(maps.Keys(l.pendingChildren), stakeKey.cmp)
	want := []stakeKey{{other, 2}, {hk, 9}}
	slices.SortFunc(want, stakeKey.cmp)
	if !slices.Equal(got, want) {
		t.Fatalf("pending entries left %v, want %v", got, want)
	}
}

// hasPendingChildren's two walks (the pending map, or the subnets) agree
// with a lookup on every subnet, and the drop with it matches the
// straightforward one, for pending maps smaller and larger than the
// subnet list, entries on absent netuids included.
func TestHasPendingChildrenMatchesReference(t *testing.T) {
	l := testNetwork(t)
	l.params.StakeThreshold = 1 << 62
	hotkeys := []units.AccountID{acctN(100), acctN(101), acctN(102), acctN(7)}
	netuids := []units.NetUID{0, 1, 2, 5, 9}
	for mask := range 1 << 8 {
		for _, n := range []int{1, 3, 8, 20} {
			base := make(map[stakeKey]PendingChildren)
			for i := range n {
				if mask>>(i%8)&1 == 1 {
					base[stakeKey{hotkeys[(i*3+mask)%len(hotkeys)], netuids[(i+mask/3)%len(netuids)]}] = PendingChildren{CooldownBlock: uint64(i)}
				}
			}
			for _, hk := range hotkeys {
				want := false
				for _, id := range l.order {
					if _, ok := base[stakeKey{hk, id}]; ok {
						want = true
					}
				}
				l.pendingChildren = maps.Clone(base)
				if got := l.hasPendingChildren(hk); got != want {
					t.Fatalf("mask %b n %d hotkey %x: hasPendingChildren = %v, want %v", mask, n, hk[:2], got, want)
				}
				l.dropPendingChildrenBelowThreshold(hk)
				got := l.pendingChildren
				l.pendingChildren = maps.Clone(base)
				dropPendingRef(l, hk)
				if !maps.EqualFunc(got, l.pendingChildren, func(a, b PendingChildren) bool { return a.CooldownBlock == b.CooldownBlock }) {
					t.Fatalf("mask %b n %d hotkey %x: drop left %v, reference %v", mask, n, hk[:2], got, l.pendingChildren)
				}
			}
		}
	}
}
