package dtao

import (
	"testing"

	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// hotkeyOwned answers as a lookup of the Owner map does, from pools that
// kept an answer or not, whatever the owners added between (committed,
// rolled back, or asked about inside the call that then rolls back) and
// starting from an empty map or a filled one.
func TestHotkeyOwnedMatchesOwnerMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := &Ledger{owner: map[units.AccountID]units.AccountID{}}
		for h := range rapid.IntRange(0, 3).Draw(t, "genesis owners") {
			l.owner[acct(byte(10+h))] = acct(99)
		}
		// Pools of hotkeys 0 to 3 and 10, 11; hotkeys 4, 5 have none.
		pools := map[units.AccountID]*SharePool{}
		for _, h := range []byte{0, 1, 2, 3, 10, 11} {
			pools[acct(h)] = &SharePool{}
		}
		hotkey := rapid.SampledFrom([]byte{0, 1, 2, 3, 4, 5, 10, 11})
		ask := func(h units.AccountID) {
			_, want := l.owner[h]
			if got := l.hotkeyOwned(h, pools[h]); got != want {
				t.Fatalf("hotkeyOwned(%x) = %v, the Owner map holds it: %v", h[:1], got, want)
			}
		}
		for range rapid.IntRange(1, 60).Draw(t, "ops") {
			h := acct(hotkey.Draw(t, "hotkey"))
			_, owned := l.owner[h]
			switch rapid.IntRange(0, 3).Draw(t, "op") {
			case 0: // a call adds the hotkey's owner and succeeds
				if !owned {
					j := l.begin()
					j.setOwner(h, acct(99))
					j.commit()
				}
			case 1: // a call adds it, asks about it and another, and fails
				if !owned {
					j := l.begin()
					j.setOwner(h, acct(99))
					ask(h)
					ask(acct(hotkey.Draw(t, "other")))
					j.rollback()
				}
			default:
				ask(h)
			}
		}
	})
}

// A pool never asked and a ledger whose Owner map is empty and has never
// lost an entry: the zero answer (no owner) is right and is used.
func TestHotkeyOwnedZeroPool(t *testing.T) {
	l := &Ledger{owner: map[units.AccountID]units.AccountID{}}
	p := &SharePool{}
	if l.hotkeyOwned(acct(1), p) {
		t.Fatal("a hotkey owned in an empty Owner map")
	}
	l.owner[acct(1)] = acct(2)
	if !l.hotkeyOwned(acct(1), p) {
		t.Fatal("the answer kept for the empty map used after an owner was added")
	}
}
