package dtao

import (
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/units"
)

// warmOwnerEntriesRef is warmOwnerEntries as written before its passes
// (3b6eb90), over every uid: one pass, each uid's chain of loads and
// hint in turn. The hints it leaves (ownerAt) are the reference.
func warmOwnerEntriesRef(uids []uidState) uint64 {
	var sum uint64
	for i := range uids {
		u := &uids[i]
		p := u.alpha
		if p == nil || !u.hasOwner {
			continue
		}
		es, j, base := p.entriesNear(u.ownerAt)
		if len(es) == 0 {
			continue
		}
		e := &es[j]
		sum += uint64(e.coldkey[0])
		if e.share.IsZero() {
			sum++
		}
		if !sameAccount(&e.coldkey, &u.owner) {
			if i, ok := nearEntry(es, j, &u.owner); ok {
				u.ownerAt = base + i
			}
		}
	}
	return sum
}

// TestWarmOwnerEntriesMatchesRef: warmOwnerEntries over some uids leaves
// those uids' hints as the reference over them does, and no other uid's
// changed. Pools of one chunk and of many (more than chunkMax entries),
// empty pools, no pool, no owner, the owner absent from its pool; hints
// at the owner's place, near it on either side, far, negative and past
// the end.
func TestWarmOwnerEntriesMatchesRef(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 5))
	acct := func(a, b byte) units.AccountID { return units.AccountID{a, b, 7} }
	for round := range 300 {
		n := 1 + r.IntN(40)
		uids := make([]uidState, n)
		for i := range uids {
			u := &uids[i]
			u.owner, u.hasOwner = acct(byte(r.IntN(256)), byte(i)), r.IntN(8) > 0
			if r.IntN(8) == 0 {
				continue // no pool
			}
			p := &SharePool{}
			entries := []int{0, 1, 3, 30, chunkMax, 3 * chunkMax}[r.IntN(6)]
			for k := range entries {
				c := acct(byte(r.IntN(256)), byte(k))
				if r.IntN(entries+1) == 0 {
					c = u.owner
				}
				if err := p.Stake(c, units.Alpha(1+r.Uint64N(1e12))); err != nil {
					t.Fatal(err)
				}
			}
			u.alpha = p
			switch r.IntN(5) {
			case 0:
				u.ownerAt = -1 - r.IntN(3)
			case 1:
				u.ownerAt = 1 << 20
			default:
				u.ownerAt = r.IntN(entries + 2)
				if r.IntN(2) == 0 {
					u.ownerAt = u.ownerAt>>posShift<<posShift | r.IntN(1<<posShift)
				}
			}
		}
		var lines []units.UID
		for uid := range n {
			if r.IntN(3) > 0 {
				lines = append(lines, units.UID(uid))
			}
		}
		r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
		got := append([]uidState(nil), uids...)
		warmOwnerEntries(got, lines, nil)
		want := append([]uidState(nil), uids...)
		for _, uid := range lines {
			warmOwnerEntriesRef(want[uid : uid+1])
		}
		for i := range want {
			if got[i].ownerAt != want[i].ownerAt {
				t.Fatalf("round %d uid %d: ownerAt %d, reference %d (was %d)", round, i, got[i].ownerAt, want[i].ownerAt, uids[i].ownerAt)
			}
		}
	}
}

// warmOwnerEntries allocates nothing once its list has grown.
func TestWarmOwnerEntriesAllocs(t *testing.T) {
	uids := make([]uidState, 256)
	lines := make([]units.UID, 256)
	for i := range uids {
		p := &SharePool{}
		if err := p.Stake(units.AccountID{byte(i)}, 1e9); err != nil {
			t.Fatal(err)
		}
		uids[i].alpha, uids[i].hasOwner, uids[i].owner = p, true, units.AccountID{byte(i)}
		lines[i] = units.UID(i)
	}
	_, w := warmOwnerEntries(uids, lines, nil)
	if n := testing.AllocsPerRun(10, func() { _, w = warmOwnerEntries(uids, lines, w) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
