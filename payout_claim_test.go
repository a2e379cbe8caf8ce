package dtao

import (
	"testing"

	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// stepToEpoch steps l until an epoch of netuid has run.
func stepToEpoch(t *testing.T, l *Ledger, netuid units.NetUID) {
	t.Helper()
	for i := 0; ; i++ {
		if i > 400 {
			t.Fatalf("no epoch of netuid %d in 400 blocks", netuid)
		}
		var ran bool
		l.OnEvent(func(e Event) { ran = ran || e.Kind == EventEpoch && e.NetUID == netuid })
		if _, err := l.Step(); err != nil {
			t.Fatal(err)
		}
		l.OnEvent(nil)
		if err := UIDCachesCurrent(l); err != nil {
			t.Fatal(err)
		}
		if ran {
			return
		}
	}
}

// The RootClaimable entry a uid keeps (uidState.claimable) is the map's
// entry of the uid's hotkey: when two uids' hotkeys trade places, the next
// epoch looks both uids up afresh and drops the entries they kept, and the
// root dividends of each hotkey go to its own entry.
func TestPayoutClaimableFollowsHotkey(t *testing.T) {
	l := rootDividendNetwork(t)
	stepToEpoch(t, l, 1)
	c := l.buf.uidCaches[1]
	var kept []int
	for uid := range c.uids {
		if c.uids[uid].claimable != nil {
			kept = append(kept, uid)
		}
	}
	if len(kept) < 2 {
		t.Fatalf("uids keeping a RootClaimable entry: %v, want two or more", kept)
	}
	a, b := kept[0], kept[1]
	ha, hb := c.uids[a].hotkey, c.uids[b].hotkey
	rateA, _ := l.RootClaimable(ha, 1)
	rateB, _ := l.RootClaimable(hb, 1)
	// Trade the two uids' hotkeys and registration coldkeys in place: the
	// subnet's pointer, and with it the block's kept subnet list, stays.
	sn := l.nets[1]
	st := sn.Storage()
	st.Keys[a], st.Keys[b] = st.Keys[b], st.Keys[a]
	st.Owners[a], st.Owners[b] = st.Owners[b], st.Owners[a]
	swapped, err := subnet.FromStorage(st)
	if err != nil {
		t.Fatal(err)
	}
	*sn = *swapped
	stepToEpoch(t, l, 1)
	for _, uid := range []int{a, b} {
		u := &c.uids[uid]
		if u.claimable != l.rootClaimable[stakeKey{u.hotkey, 1}] {
			t.Fatalf("uid %d keeps %p, the map holds %p for its hotkey", uid, u.claimable, l.rootClaimable[stakeKey{u.hotkey, 1}])
		}
	}
	newA, _ := l.RootClaimable(ha, 1)
	newB, _ := l.RootClaimable(hb, 1)
	if !rateA.Less(newA) || !rateB.Less(newB) {
		t.Fatalf("rates %v → %v and %v → %v: each hotkey's entry should have grown", rateA, newA, rateB, newB)
	}
}
