package dtao

import (
	"fmt"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// claimVisit is one netuid a walk of a hotkey's RootClaimable entries
// visits, with its rate.
type claimVisit struct {
	netuid units.NetUID
	rate   fixed.I96F32
}

// rootClaimableWalk is the reference for rootClaimableNetUIDs: every
// subnet of the ledger in ascending netuid order (l.order), looking up
// RootClaimable[(hotkey, netuid)] for each.
func rootClaimableWalk(l *Ledger, hotkey units.AccountID) []claimVisit {
	var out []claimVisit
	for _, id := range l.order {
		if rate, ok := l.rootClaimable[stakeKey{hotkey, id}]; ok {
			out = append(out, claimVisit{id, *rate})
		}
	}
	return out
}

// rootClaimableIndexed is what rootClaimableNetUIDs visits for the hotkey.
func rootClaimableIndexed(l *Ledger, hotkey units.AccountID) []claimVisit {
	var out []claimVisit
	l.rootClaimableNetUIDs(hotkey, func(netuid units.NetUID, rate fixed.I96F32) {
		out = append(out, claimVisit{netuid, rate})
	})
	return out
}

// claimIndexCurrent is an error when the hotkeys' RootClaimable index
// (claimIndex) is not the map's entries, each hotkey's in ascending netuid
// order with the map's pointers, or when rootClaimableNetUIDs visits
// other netuids or rates than the walk of the ledger's subnets, for any
// hotkey with an entry; or when claimOrphans is unset while an entry's
// netuid holds no subnet; or when a RootClaimed row is empty or out of
// netuid order (claimedRowsWellFormed).
func claimIndexCurrent(l *Ledger) error {
	if err := claimedRowsWellFormed(l); err != nil {
		return err
	}
	n := 0
	for h, refs := range l.claimIndex {
		if len(refs) == 0 {
			return fmt.Errorf("hotkey %x: an empty index entry", h[:])
		}
		for i, c := range refs {
			if i > 0 && refs[i-1].netuid >= c.netuid {
				return fmt.Errorf("hotkey %x: index netuids %d then %d", h[:], refs[i-1].netuid, c.netuid)
			}
			if r := l.rootClaimable[stakeKey{h, c.netuid}]; r != c.rate {
				return fmt.Errorf("hotkey %x netuid %d: the index holds %p, the map %p", h[:], c.netuid, c.rate, r)
			}
		}
		n += len(refs)
	}
	if n != len(l.rootClaimable) {
		return fmt.Errorf("the index holds %d entries, the map %d", n, len(l.rootClaimable))
	}
	for k := range l.rootClaimable {
		if _, ok := l.subnets[k.netuid]; !ok && !l.claimOrphans {
			return fmt.Errorf("hotkey %x: an entry on netuid %d, which holds no subnet, and claimOrphans unset", k.hotkey[:], k.netuid)
		}
		want, got := rootClaimableWalk(l, k.hotkey), rootClaimableIndexed(l, k.hotkey)
		if !slices.Equal(want, got) {
			return fmt.Errorf("hotkey %x: the walk visits %v, the index %v", k.hotkey[:], want, got)
		}
	}
	return nil
}

func checkClaimIndex(t *testing.T, l *Ledger) {
	t.Helper()
	if err := claimIndexCurrent(l); err != nil {
		t.Fatal(err)
	}
}

// The index follows every way RootClaimable entries come and go: genesis
// (with an entry on a netuid holding no subnet, which the walk passes
// over), the epochs' payouts, a dissolution rolled back (the same
// pointers come back) and one committed; and the root stake calls read
// through it, raising RootClaimed on exactly the hotkey's netuids.
func TestClaimIndexFollowsEntries(t *testing.T) {
	b := NewBuilder().Root(1_000_000_000).Account(u256(9), 1_000)
	g := b.Genesis()
	hot, cold := u256(5), u256(6)
	g.RootClaimable = append(g.RootClaimable,
		GenesisRootClaimable{Hotkey: hot, NetUID: 77, Rate: fixed.I96F32FromUint64(5)},
		GenesisRootClaimable{Hotkey: hot, NetUID: RootNetUID, Rate: fixed.I96F32FromUint64(2)})
	l, err := NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	if !l.claimOrphans {
		t.Fatal("genesis made an entry on netuid 77, which holds no subnet: claimOrphans unset")
	}
	checkClaimIndex(t, l)
	if got, want := rootClaimableIndexed(l, hot), []claimVisit{{RootNetUID, fixed.I96F32FromUint64(2)}}; !slices.Equal(got, want) {
		t.Fatalf("visits %v, want %v (netuid 77 holds no subnet)", got, want)
	}

	mustNet := func() units.NetUID {
		t.Helper()
		return mockAddDynamicNetwork(t, l, u256(uint64(len(l.order)*2+20)), u256(uint64(len(l.order)*2+21)))
	}
	net, other := mustNet(), mustNet()
	mint(l, SubnetAccountID(net), 2)
	mint(l, SubnetAccountID(other), 2)
	// Entries as the payouts make them, in descending netuid order so
	// that each lands before the ones already indexed.
	for _, n := range []units.NetUID{other, net} {
		*l.claimableEntry(stakeKey{hot, n}) = fixed.I96F32FromUint64(uint64(n) + 10)
		checkClaimIndex(t, l)
	}
	want := []claimVisit{{RootNetUID, fixed.I96F32FromUint64(2)},
		{net, fixed.I96F32FromUint64(uint64(net) + 10)}, {other, fixed.I96F32FromUint64(uint64(other) + 10)}}
	if got := rootClaimableIndexed(l, hot); !slices.Equal(got, want) {
		t.Fatalf("visits %v, want %v", got, want)
	}

	j := l.begin()
	l.dissolve(j, net)
	checkClaimIndex(t, l)
	j.rollback()
	checkClaimIndex(t, l)
	if got := rootClaimableIndexed(l, hot); !slices.Equal(got, want) {
		t.Fatalf("after the rollback visits %v, want %v", got, want)
	}
	if err := l.DissolveNetwork(subnet.OriginRoot, net); err != nil {
		t.Fatal(err)
	}
	checkClaimIndex(t, l)
	want = slices.Delete(want, 1, 2)
	if got := rootClaimableIndexed(l, hot); !slices.Equal(got, want) {
		t.Fatalf("after the dissolution visits %v, want %v", got, want)
	}

	// A root stake raises RootClaimed by rate·amount on each netuid the
	// index visits, and on no other.
	l.owner[hot] = cold
	mint(l, cold, 1_000_000_000)
	if _, err := l.AddStake(cold, hot, RootNetUID, 500_000_000); err != nil {
		t.Fatal(err)
	}
	checkClaimIndex(t, l)
	for p, row := range l.rootClaimed {
		for _, e := range row {
			if p.hotkey == hot && !slices.ContainsFunc(want, func(v claimVisit) bool { return v.netuid == e.netuid }) {
				t.Fatalf("RootClaimed written on netuid %d, which the walk does not visit", e.netuid)
			}
		}
	}
	for _, v := range want {
		if c, _ := l.claimedOf(claimKey{v.netuid, hot, cold}); c.IsZero() {
			t.Fatalf("RootClaimed on netuid %d not raised", v.netuid)
		}
	}
}

// The epochs' payouts make the entries of a network's root stakers; the
// index holds each, and the walk and the index agree after every block.
func TestClaimIndexFollowsPayouts(t *testing.T) {
	l := rootDividendNetwork(t)
	if len(l.rootClaimable) != 0 {
		t.Fatalf("%d entries before the first epoch", len(l.rootClaimable))
	}
	for range 3 {
		stepToEpoch(t, l, 1)
		checkClaimIndex(t, l)
	}
	if len(l.rootClaimable) == 0 || len(l.claimIndex) == 0 {
		t.Fatal("no RootClaimable entries after three epochs")
	}
}
