package dtao

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// poolCopy is a pool's storage as the journal kept it before it recorded
// share writes instead of copying pools: value, denominator and entries.
type poolCopy struct {
	value   units.Alpha
	denom   fixed.SafeFloat
	entries []shareEntry
}

// copyPools is the reference undo: a deep copy of every share pool.
func copyPools(l *Ledger) map[stakeKey]poolCopy {
	out := make(map[stakeKey]poolCopy, l.stake.len())
	for k, p := range l.stake.all() {
		out[k] = poolCopy{p.value, p.denom, p.entryList()}
	}
	return out
}

func samePools(l *Ledger, want map[stakeKey]poolCopy) error {
	if l.stake.len() != len(want) {
		return fmt.Errorf("%d pools, want %d", l.stake.len(), len(want))
	}
	for k, w := range want {
		p, ok := l.stake.lookup(k)
		if !ok {
			return fmt.Errorf("pool %x/%d missing", k.hotkey[:2], k.netuid)
		}
		if p.value != w.value || p.denom != w.denom || !slices.Equal(p.entryList(), w.entries) {
			return fmt.Errorf("pool %x/%d = %v %v %v, want %v %v %v", k.hotkey[:2], k.netuid,
				p.value, p.denom, p.entryList(), w.value, w.denom, w.entries)
		}
	}
	return nil
}

// journalClosed checks what a finished call leaves: the ledger's journal
// closed, no pool linked with a journal, no empty pool stored.
func journalClosed(l *Ledger) error {
	if l.jr.open {
		return fmt.Errorf("the ledger's journal is still open")
	}
	for k, p := range l.stake.all() {
		if p.rec != nil {
			return fmt.Errorf("pool %x/%d still linked with a journal", k.hotkey[:2], k.netuid)
		}
		if p.isEmpty() {
			return fmt.Errorf("empty pool %x/%d stored", k.hotkey[:2], k.netuid)
		}
	}
	return nil
}

// The journal's share undo restores exactly what a deep copy of the pools
// taken at begin holds, whatever the call did to them: stakes, unstakes
// (some to zero, deleting entries), dividends, direct share writes, new
// pools, repeated writes to one coldkey; and a commit keeps the writes and
// drops the pools left empty.
func TestJournalSharesRollbackMatchesCopy(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := testNetwork(t)
		keys := []stakeKey{{acctN(100), 1}, {acctN(101), 2}, {acctN(102), 0}, {acctN(103), 1}, {acctN(100), 2}}
		for range rapid.IntRange(1, 4).Draw(t, "calls") {
			before := copyPools(l)
			beforeLen := maps.Collect(l.stake.all())
			j := l.begin()
			for range rapid.IntRange(0, 12).Draw(t, "ops") {
				p := j.sharePool(keys[rapid.IntRange(0, len(keys)-1).Draw(t, "pool")])
				c := acctN(byte(rapid.IntRange(0, 5).Draw(t, "coldkey")))
				a := units.Alpha(rapid.Uint64Range(0, 1<<45).Draw(t, "amount"))
				switch rapid.IntRange(0, 4).Draw(t, "op") {
				case 0, 1:
					_ = p.Stake(c, a)
				case 2:
					_, _ = p.Unstake(c, a)
				case 3:
					_, _ = p.Unstake(c, p.Value(c))
				default:
					p.SetShare(c, fixed.SafeFloatFromUint64(a.Rao()))
				}
			}
			if rapid.Bool().Draw(t, "rollback") {
				j.rollback()
				if err := samePools(l, before); err != nil {
					t.Fatalf("after rollback: %v", err)
				}
				for k, p := range beforeLen {
					if l.stake.pool(k) != p {
						t.Fatalf("rollback replaced pool %x/%d", k.hotkey[:2], k.netuid)
					}
				}
			} else {
				want := copyPools(l)
				for k, p := range want {
					if p.value == 0 && p.denom.IsZero() && len(p.entries) == 0 {
						delete(want, k)
					}
				}
				j.commit()
				if err := samePools(l, want); err != nil {
					t.Fatalf("after commit: %v", err)
				}
			}
			if err := journalClosed(l); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// A pool linked with a journal that was left open (a call that neither
// committed nor rolled back) records nothing into a later call's journal,
// and that later call gets a journal of its own.
func TestJournalStaleLinkRecordsNothing(t *testing.T) {
	l := testNetwork(t)
	k := stakeKey{acctN(100), 1}
	j1 := l.begin()
	p := j1.sharePool(k)
	j1.open = false // abandoned: as if its call had returned without commit
	j2 := l.begin()
	if j2 != &l.jr {
		t.Fatal("a closed ledger journal was not reused")
	}
	mustStake(t, p, acctN(7), 1_000_000)
	if len(j2.entries) != 0 {
		t.Fatalf("a pool linked with a finished journal recorded %d writes into the next", len(j2.entries))
	}
	j3 := l.begin()
	if j3 == j2 {
		t.Fatal("begin reused the journal of a call still open")
	}
	j3.commit()
	j2.commit()
}

// The calls' journal allocates nothing once its slices have grown: a
// pool tracked, a share, a balance and a subnet recorded, rolled back.
func TestJournalNoAllocs(t *testing.T) {
	l := testNetwork(t)
	k := stakeKey{acctN(100), 1}
	allocs := testing.AllocsPerRun(100, func() {
		j := l.begin()
		p := j.sharePool(k)
		_ = p.Stake(acctN(0), 1000)
		j.setBalance(acctN(0), l.balance(acctN(0)))
		_ = j.subnet(1)
		j.rollback()
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per journaled call", allocs)
	}
}
