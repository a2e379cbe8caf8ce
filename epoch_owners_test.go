package dtao

import (
	"slices"
	"testing"

	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// ownerHotkeysReference is get_owner_hotkeys (coinbase/run_coinbase.rs)
// of netuid computed from scratch: each uid's hotkey, in uid order, when
// the Owner map gives it the subnet's owner or it is the subnet's owner
// hotkey.
func ownerHotkeysReference(l *Ledger, netuid units.NetUID) []units.AccountID {
	sn := l.nets[netuid]
	var owners []units.AccountID
	for uid := range int(sn.N()) {
		h, _ := sn.Hotkey(units.UID(uid))
		if c, ok := l.owner[h]; ok && c == sn.Owner || sn.HasOwnerHotkey && h == sn.OwnerHotkey {
			owners = append(owners, h)
		}
	}
	return owners
}

// replaceNeurons trades the hotkeys and registration coldkeys of the
// uids a and b of netuid in place, or, with a new hotkey h, gives uid a
// that hotkey (a re-registration): the subnet's pointer stays.
func replaceNeurons(t *testing.T, l *Ledger, netuid units.NetUID, a, b int, h *units.AccountID) {
	t.Helper()
	sn := l.nets[netuid]
	st := sn.Storage()
	if h != nil {
		st.Keys[a] = *h
	} else {
		st.Keys[a], st.Keys[b] = st.Keys[b], st.Keys[a]
		st.Owners[a], st.Owners[b] = st.Owners[b], st.Owners[a]
	}
	again, err := subnet.FromStorage(st)
	if err != nil {
		t.Fatal(err)
	}
	*sn = *again
}

// The owner hotkeys a subnet's epoch passes the distribution are kept
// between epochs (uidCache.ownerHotkeys): after each change of what they
// depend on — two uids trading hotkeys (the owner hotkey moving to a
// miner's uid), a new hotkey of the owner registered, a uid re-registered
// with another hotkey, the subnet's owner changed, its owner hotkey unset
// and set again — the kept list is the one computed from scratch, in the
// same order, and the ledger's state is that of a twin whose kept lookups
// are all dropped before every block (each epoch then computes the list
// afresh). Each change but one changes the list, so a list kept across
// it would be caught (TestOwnerHotkeysReused checks that an unchanged
// subnet's list is kept).
func TestOwnerHotkeysKept(t *testing.T) {
	kept, twin := steppingNetwork(t), steppingNetwork(t)
	const netuid = 1
	step := func(what string) {
		t.Helper()
		for i := 0; ; i++ {
			if i > 400 {
				t.Fatalf("%s: no epoch of netuid %d in 400 blocks", what, netuid)
			}
			var ran bool
			kept.OnEvent(func(e Event) { ran = ran || e.Kind == EventEpoch && e.NetUID == netuid })
			twin.buf.uidCaches = nil
			if _, err := kept.Step(); err != nil {
				t.Fatal(err)
			}
			if _, err := twin.Step(); err != nil {
				t.Fatal(err)
			}
			kept.OnEvent(nil)
			if err := UIDCachesCurrent(kept); err != nil {
				t.Fatal(err)
			}
			if kept.StateHash() != twin.StateHash() {
				t.Fatalf("%s: block %d: the state differs from the twin's computing the list afresh", what, kept.Block())
			}
			if ran {
				break
			}
		}
		c := kept.buf.uidCaches[netuid]
		want := ownerHotkeysReference(kept, netuid)
		if got := c.owners; !c.ownersKept || !slices.Equal(got, want) {
			t.Fatalf("%s: kept owner hotkeys %x (kept %v), from scratch %x", what, got, c.ownersKept, want)
		}
		if got := twin.buf.uidCaches[netuid].owners; !slices.Equal(got, want) {
			t.Fatalf("%s: the twin's owner hotkeys %x, from scratch %x", what, got, want)
		}
	}
	both := func(f func(l *Ledger)) { f(kept); f(twin) }
	list := func() []units.AccountID { return ownerHotkeysReference(kept, netuid) }
	changes := []struct {
		what     string
		change   func(l *Ledger)
		sameList bool
	}{
		{"a new hotkey of the owner", func(l *Ledger) {
			if uid, err := l.BurnedRegister(l.nets[netuid].Owner, acctN(77), netuid); err != nil || uid != 12 {
				t.Fatalf("registered at uid %d: %v", uid, err)
			}
		}, false},
		// The owner hotkey (uid 0) and the new hotkey trade places: the
		// same hotkeys in the other order.
		{"two uids trade hotkeys", func(l *Ledger) { replaceNeurons(t, l, netuid, 0, 12, nil) }, false},
		// The owner hotkey takes a miner's uid, which the validators weigh:
		// the same list, whose incentive is now withheld.
		{"a miner's uid and the owner hotkey's trade", func(l *Ledger) { replaceNeurons(t, l, netuid, 12, 7, nil) }, true},
		{"a uid re-registered with a hotkey of the owner", func(l *Ledger) {
			// Netuid 2's owner hotkey, whose owner becomes the subnet's.
			h := acctN(21)
			l.nets[netuid].Owner = l.owner[h]
			replaceNeurons(t, l, netuid, 9, 0, &h)
		}, false},
		{"a uid re-registered with a hotkey of another", func(l *Ledger) {
			h := units.AccountID{0xb0, 2, 4}
			replaceNeurons(t, l, netuid, 9, 0, &h)
		}, false},
		{"a new subnet owner", func(l *Ledger) { l.nets[netuid].Owner = units.AccountID{0xc0, netuid, 5} }, false},
		{"the owner hotkey unset", func(l *Ledger) { l.nets[netuid].HasOwnerHotkey = false }, false},
		{"the owner hotkey set", func(l *Ledger) {
			sn := l.nets[netuid]
			sn.HasOwnerHotkey, sn.OwnerHotkey = true, units.AccountID{0xb0, netuid, 3}
		}, false},
		{"the owner hotkey moved", func(l *Ledger) { l.nets[netuid].OwnerHotkey = units.AccountID{0xb0, netuid, 2} }, false},
	}
	step("genesis")
	step("no change")
	for _, c := range changes {
		// Epochs until the payouts make no pool: the kept lookups are
		// valid, and the next view looks up only the uids whose hotkey
		// changed (a registration, which adds an owner, looks up all).
		for i := 0; !kept.buf.uidCaches[netuid].valid || kept.buf.uidCaches[netuid].gen != kept.buf.keysGen; i++ {
			if i == 6 {
				t.Fatalf("%s: the kept lookups are stale after 6 epochs", c.what)
			}
			step(c.what + ": before")
		}
		before := list()
		both(c.change)
		if slices.Equal(list(), before) != c.sameList {
			t.Fatalf("%s: the owner hotkeys %x → %x", c.what, before, list())
		}
		step(c.what)
		step(c.what + ", then no change")
	}
}

// An epoch whose uids and subnet owner fields are unchanged since the last
// passes the distribution the list it kept (the same array), and an
// epoch after a uid was looked up again computes it afresh.
func TestOwnerHotkeysReused(t *testing.T) {
	l := steppingNetwork(t)
	stepToEpoch(t, l, 1)
	stepToEpoch(t, l, 1)
	// The payouts may have made pools: the first view looks up afresh.
	sn := l.nets[1]
	_, c := l.epochView(1, sn)
	owners := c.ownerHotkeys(sn)
	if !c.ownersKept || len(owners) == 0 {
		t.Fatalf("kept %v, owner hotkeys %x", c.ownersKept, owners)
	}
	if _, c2 := l.epochView(1, sn); c2 != c || !c.ownersKept {
		t.Fatal("an unchanged subnet's view dropped the owner hotkeys")
	}
	if got := c.ownerHotkeys(sn); &got[0] != &owners[0] {
		t.Fatal("an unchanged subnet's owner hotkeys were computed again")
	}
	replaceNeurons(t, l, 1, 0, 7, nil)
	l.epochView(1, sn)
	if c.ownersKept {
		t.Fatal("the view looked two uids up again and kept the owner hotkeys")
	}
	if got, want := c.ownerHotkeys(sn), ownerHotkeysReference(l, 1); !slices.Equal(got, want) {
		t.Fatalf("owner hotkeys %x, from scratch %x", got, want)
	}
}
