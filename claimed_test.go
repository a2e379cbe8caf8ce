package dtao

import (
	"encoding/binary"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// refClaimed is the reference RootClaimed store: the chain's map keyed by
// (netuid, hotkey, coldkey), written one key at a time as the walk of
// RootClaimable[hotkey] visits the netuids (rootClaimableNetUIDs), with
// an undo log of the entries as they were, restored in reverse order.
type refClaimed struct {
	m    map[claimKey]fixed.U128
	undo []refClaimUndo
}

type refClaimUndo struct {
	k       claimKey
	old     fixed.U128
	present bool
}

func (r *refClaimed) set(k claimKey, v fixed.U128, logged bool) {
	if logged {
		old, ok := r.m[k]
		r.undo = append(r.undo, refClaimUndo{k, old, ok})
	}
	r.m[k] = v
}

// adjust is add_stake_adjust_root_claimed_for_hotkey_and_coldkey (add) or
// remove_stake_adjust_root_claimed_for_hotkey_and_coldkey
// (pallets/subtensor/src/staking/claim_root.rs), one key at a time.
func (r *refClaimed) adjust(l *Ledger, hotkey, coldkey units.AccountID, amount units.Alpha, add, logged bool) {
	l.rootClaimableNetUIDs(hotkey, func(netuid units.NetUID, rate fixed.I96F32) {
		if !add && netuid == RootNetUID {
			return
		}
		k := claimKey{netuid, hotkey, coldkey}
		if add {
			r.set(k, emission.RootClaimedAfterAddStake(r.m[k], rate, amount), logged)
		} else {
			r.set(k, emission.RootClaimedAfterRemoveStake(r.m[k], rate, amount), logged)
		}
	})
}

func (r *refClaimed) rollback() {
	for i := len(r.undo) - 1; i >= 0; i-- {
		u := r.undo[i]
		if u.present {
			r.m[u.k] = u.old
		} else {
			delete(r.m, u.k)
		}
	}
	r.undo = r.undo[:0]
}

// claimedEntries is the ledger's RootClaimed store as the chain's map.
func claimedEntries(l *Ledger) map[claimKey]fixed.U128 {
	m := make(map[claimKey]fixed.U128)
	for p, row := range l.rootClaimed {
		for _, e := range row {
			m[claimKey{e.netuid, p.hotkey, p.coldkey}] = e.value
		}
	}
	return m
}

// claimedRowsWellFormed is an error when a RootClaimed row is empty or
// not in strictly ascending netuid order (claimed.go's invariant).
func claimedRowsWellFormed(l *Ledger) error {
	for p, row := range l.rootClaimed {
		if len(row) == 0 {
			return fmt.Errorf("pair %x/%x: an empty RootClaimed row", p.hotkey[:], p.coldkey[:])
		}
		for i := 1; i < len(row); i++ {
			if row[i-1].netuid >= row[i].netuid {
				return fmt.Errorf("pair %x/%x: RootClaimed row netuids %d then %d", p.hotkey[:], p.coldkey[:], row[i-1].netuid, row[i].netuid)
			}
		}
	}
	return nil
}

// claimedMatches is an error when the ledger's store and the reference
// differ, in entries, in the rows' form, or in the genesis export.
func claimedMatches(l *Ledger, ref *refClaimed) error {
	if err := claimedRowsWellFormed(l); err != nil {
		return err
	}
	got := claimedEntries(l)
	if !maps.Equal(got, ref.m) {
		for k, v := range ref.m {
			if g, ok := got[k]; !ok || g != v {
				return fmt.Errorf("RootClaimed[%d, %x, %x] = %v (present %v), the reference %v", k.netuid, k.hotkey[:2], k.coldkey[:2], g, ok, v)
			}
		}
		for k, v := range got {
			if _, ok := ref.m[k]; !ok {
				return fmt.Errorf("RootClaimed[%d, %x, %x] = %v, absent from the reference", k.netuid, k.hotkey[:2], k.coldkey[:2], v)
			}
		}
		return fmt.Errorf("the store holds %d entries, the reference %d", len(got), len(ref.m))
	}
	if l.claimedLen() != len(ref.m) {
		return fmt.Errorf("claimedLen %d, the reference %d entries", l.claimedLen(), len(ref.m))
	}
	var want []GenesisRootClaimed
	for _, k := range sortedKeys(ref.m, claimKey.cmp) {
		want = append(want, GenesisRootClaimed{NetUID: k.netuid, Hotkey: k.hotkey, Coldkey: k.coldkey, Claimed: ref.m[k]})
	}
	if g := l.genesisRootClaimed(); !slices.Equal(g, want) {
		return fmt.Errorf("the export lists %d entries %v, the reference %d", len(g), g, len(want))
	}
	for k, v := range ref.m {
		if g, ok := l.claimedOf(k); !ok || g != v {
			return fmt.Errorf("claimedOf(%v) = %v %v, want %v", k, g, ok, v)
		}
	}
	return nil
}

// claimedStoreDifferential drives the store and the reference through the
// same calls, drawing each choice from draw (a number below n), and
// compares them after every call. A call makes one to four writes (root
// stake adjustments, single writes as a claim's, and the removal of a
// subnet's entries as journal.removeSubnet makes it), logged or not, and
// then commits or fails: a failed call puts the removed entries back
// first, as the journal's rollback does before callLog.undo, then undoes
// the writes. As in the ledger, a call writes no entry of a netuid whose
// entries it removed. Between calls RootClaimable entries are made, which change
// the netuids a root stake visits.
func claimedStoreDifferential(t testing.TB, draw func(n int) int, calls int) {
	t.Helper()
	netuids := []units.NetUID{RootNetUID, 1, 2, 3, 5, 8, 13, 64}
	hot := func() units.AccountID { return acctN(byte(100 + draw(3))) }
	cold := func() units.AccountID { return acctN(byte(draw(3))) }
	netuid := func() units.NetUID { return netuids[draw(len(netuids))] }
	value := func() fixed.U128 {
		switch draw(4) {
		case 0:
			return fixed.U128{}
		case 1:
			return fixed.U128Max()
		default:
			return fixed.U128FromUint64(uint64(draw(1 << 20)))
		}
	}
	amount := func() units.Alpha {
		switch draw(4) {
		case 0:
			return 0
		case 1:
			return units.Alpha(^uint64(0) >> draw(4))
		default:
			return units.Alpha(draw(1 << 30))
		}
	}
	rate := func() fixed.I96F32 {
		switch draw(5) {
		case 0:
			return fixed.I96F32{}
		case 1:
			return fixed.I96F32Max()
		case 2:
			return fixed.I96F32FromInt64(-int64(draw(1 << 10)))
		default:
			return fixed.I96F32FromBits(uint64(draw(4)), uint64(draw(1<<30))<<draw(34))
		}
	}

	l := &Ledger{}
	l.initMaps()
	// Genesis entries on netuids that hold no subnet, which the walk
	// skips (claimableSkipped), when claimOrphans.
	l.subnets = make(map[units.NetUID]*SubnetState)
	l.claimOrphans = draw(2) == 1
	for _, id := range netuids {
		if !l.claimOrphans || draw(3) != 0 {
			l.subnets[id] = &SubnetState{NetUID: id}
			l.order = append(l.order, id)
		}
	}
	ref := &refClaimed{m: make(map[claimKey]fixed.U128)}
	for range draw(12) {
		k := claimKey{netuid(), hot(), cold()}
		v := value()
		l.putClaimed(k, v)
		ref.m[k] = v
	}
	for range calls {
		for range draw(3) {
			k := stakeKey{hot(), netuid()}
			if _, ok := l.rootClaimable[k]; !ok {
				r := rate()
				l.addClaimable(k, &r)
			}
		}
		var log *callLog
		if draw(4) != 0 {
			log = new(callLog)
		}
		type took struct {
			claimed   map[claimKey]fixed.U128
			claimable map[stakeKey]*fixed.I96F32
		}
		var taken []took
		var takenIDs []units.NetUID
		var refRemoved []map[claimKey]fixed.U128
		for range 1 + draw(4) {
			switch draw(7) {
			case 0, 1:
				h, c, a := hot(), cold(), amount()
				l.adjustClaimedAfterAddStake(log, h, c, a)
				ref.adjust(l, h, c, a, true, log != nil)
			case 2, 3:
				h, c, a := hot(), cold(), amount()
				l.adjustClaimedAfterRemoveStake(log, h, c, a)
				ref.adjust(l, h, c, a, false, log != nil)
			case 4, 5:
				k, v := claimKey{netuid(), hot(), cold()}, value()
				if slices.Contains(takenIDs, k.netuid) {
					// No call writes the entry of a subnet it removed
					// (the claims visit the hotkey's index, which the
					// removal left).
					continue
				}
				log.setClaimed(l, k, v)
				ref.set(k, v, log != nil)
			case 6:
				id := netuid()
				tk := took{claimed: l.takeClaimed(id), claimable: take(l.rootClaimable, func(k stakeKey) bool { return k.netuid == id })}
				for k := range tk.claimable {
					l.unindexClaimable(k)
				}
				taken = append(taken, tk)
				takenIDs = append(takenIDs, id)
				rm := take(ref.m, func(k claimKey) bool { return k.netuid == id })
				refRemoved = append(refRemoved, rm)
				if !maps.Equal(tk.claimed, rm) {
					t.Fatalf("takeClaimed(%d) returned %v, the reference %v", id, tk.claimed, rm)
				}
			}
		}
		if log != nil && draw(2) == 0 {
			for i := len(taken) - 1; i >= 0; i-- {
				for k, v := range taken[i].claimable {
					l.rootClaimable[k] = v
					l.indexClaimable(k, v)
				}
				l.putBackClaimed(taken[i].claimed)
				putBack(ref.m, refRemoved[i])
			}
			log.undo(l)
			ref.rollback()
		} else if log != nil {
			log.release(l)
		}
		ref.undo = ref.undo[:0]
		if err := claimedMatches(l, ref); err != nil {
			t.Fatal(err)
		}
		if err := claimIndexCurrent(l); err != nil {
			t.Fatal(err)
		}
	}
}

// The row store gives the entries of the chain's map written one key at
// a time, for random calls (fixed seeds).
func TestClaimedStoreMatchesReference(t *testing.T) {
	runs, calls := 400, 40
	if testing.Short() {
		runs = 100
	}
	for seed := range uint64(runs) {
		r := rand.New(rand.NewPCG(seed, 0x636c61696d6564))
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			claimedStoreDifferential(t, r.IntN, calls)
		})
	}
}

// Constructed cases: rows holding netuids the hotkey's index does not
// (before, between and after its netuids), a remove that skips root, a
// pair made by the adjustment, and a failed call undoing all of it.
func TestClaimedAdjustMerge(t *testing.T) {
	l := &Ledger{}
	l.initMaps()
	hot, cold := acctN(100), acctN(1)
	for _, id := range []units.NetUID{RootNetUID, 3, 5, 9} {
		r := fixed.I96F32FromUint64(uint64(id) + 1)
		l.addClaimable(stakeKey{hot, id}, &r)
	}
	ref := &refClaimed{m: make(map[claimKey]fixed.U128)}
	for _, id := range []units.NetUID{1, 5, 7, 12} {
		k := claimKey{id, hot, cold}
		l.putClaimed(k, fixed.U128FromUint64(1000))
		ref.m[k] = fixed.U128FromUint64(1000)
	}
	before := maps.Clone(ref.m)
	var log callLog
	l.adjustClaimedAfterRemoveStake(&log, hot, cold, 10)
	ref.adjust(l, hot, cold, 10, false, true)
	if err := claimedMatches(l, ref); err != nil {
		t.Fatal(err)
	}
	if _, ok := l.claimedOf(claimKey{RootNetUID, hot, cold}); ok {
		t.Fatal("a remove wrote the root netuid's entry")
	}
	if got, _ := l.claimedOf(claimKey{3, hot, cold}); !got.IsZero() {
		t.Fatalf("a remove made netuid 3's entry %v, want 0", got)
	}
	l.adjustClaimedAfterAddStake(&log, hot, cold, 7)
	ref.adjust(l, hot, cold, 7, true, true)
	if err := claimedMatches(l, ref); err != nil {
		t.Fatal(err)
	}
	// 5: 1000 − 6·10 + 6·7; 9 made by the remove at 0, then 10·7.
	for id, want := range map[units.NetUID]uint64{RootNetUID: 7, 1: 1000, 3: 28, 5: 982, 7: 1000, 9: 70, 12: 1000} {
		if got, _ := l.claimedOf(claimKey{id, hot, cold}); got != fixed.U128FromUint64(want) {
			t.Fatalf("netuid %d: RootClaimed %v, want %d", id, got, want)
		}
	}
	fresh := acctN(2)
	l.adjustClaimedAfterAddStake(&log, hot, fresh, 1)
	ref.adjust(l, hot, fresh, 1, true, true)
	if err := claimedMatches(l, ref); err != nil {
		t.Fatal(err)
	}
	log.undo(l)
	if err := claimedMatches(l, &refClaimed{m: before}); err != nil {
		t.Fatal(err)
	}
	if _, ok := l.rootClaimed[claimPair{hot, fresh}]; ok {
		t.Fatal("the undo left the pair the call made")
	}
}

// A root stake call's adjustment of a pair's existing entries does not
// allocate.
func TestClaimedAdjustAllocs(t *testing.T) {
	l := &Ledger{}
	l.initMaps()
	hot, cold := acctN(100), acctN(1)
	for id := range units.NetUID(64) {
		r := fixed.I96F32FromUint64(uint64(id) + 1)
		l.addClaimable(stakeKey{hot, id}, &r)
	}
	call := func() {
		var log callLog
		l.adjustClaimedAfterAddStake(&log, hot, cold, 1000)
		l.adjustClaimedAfterRemoveStake(&log, hot, cold, 1000)
		log.release(l)
	}
	call()
	if n := testing.AllocsPerRun(100, call); n != 0 {
		t.Fatalf("%v allocations per call", n)
	}
}

// FuzzClaimedStore is TestClaimedStoreMatchesReference with the choices
// read from the input.
func FuzzClaimedStore(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{1, 0, 0, 0, 0, 3, 0, 0, 2, 0, 0, 0, 1, 4, 6, 0, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		draw := func(n int) int {
			if len(data) < 2 {
				return 0
			}
			v := int(binary.LittleEndian.Uint16(data))
			data = data[2:]
			return v % n
		}
		claimedStoreDifferential(t, draw, 8)
	})
}

// genesisRootClaimed lists the entries as a sort of them all by
// claimKey.cmp does: netuids from 0 to 65535, pairs sharing a hotkey or a
// coldkey, rows of one entry and of many.
func TestGenesisRootClaimedOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	l := &Ledger{rootClaimed: make(map[claimPair][]claimedEntry)}
	if l.genesisRootClaimed() != nil {
		t.Fatal("an empty store lists entries")
	}
	var want []GenesisRootClaimed
	netuids := []units.NetUID{0, 1, 2, 3, 64, 300, 65535}
	for range 400 {
		k := claimKey{
			netuid:  netuids[r.IntN(len(netuids))],
			hotkey:  units.AccountID{byte(r.IntN(3)), byte(r.IntN(2))},
			coldkey: units.AccountID{byte(r.IntN(4)), 0, byte(r.IntN(9))},
		}
		if _, ok := l.claimedOf(k); ok {
			continue
		}
		v := fixed.U128FromBits(r.Uint64(), r.Uint64())
		l.putClaimed(k, v)
		want = append(want, GenesisRootClaimed{NetUID: k.netuid, Hotkey: k.hotkey, Coldkey: k.coldkey, Claimed: v})
	}
	slices.SortFunc(want, func(a, b GenesisRootClaimed) int {
		return claimKey{a.NetUID, a.Hotkey, a.Coldkey}.cmp(claimKey{b.NetUID, b.Hotkey, b.Coldkey})
	})
	if got := l.genesisRootClaimed(); !slices.Equal(got, want) || len(l.rootClaimed) >= len(want) {
		t.Fatalf("%d entries in %d rows: the list is not in key order", len(want), len(l.rootClaimed))
	}
}
