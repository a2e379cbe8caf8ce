package dtao

import (
	"slices"
	"testing"

	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// checkEpochView builds netuid's epoch view as the block does (epochView,
// with the kept lookups and the subnet's HotkeysVersion shortcut) and
// from lookups made afresh (stakeView), and fails unless both give the
// same stakes and the kept lookups are the fresh ones. It reports whether
// epochView took the shortcut.
func checkEpochView(t *testing.T, l *Ledger, netuid units.NetUID) bool {
	t.Helper()
	sn := l.nets[netuid]
	c := l.buf.uidCaches[netuid]
	shortcut := c != nil && c.valid && c.gen == l.buf.keysGen && len(c.uids) == int(sn.N()) &&
		c.keysVersion != 0 && c.keysVersion == sn.HotkeysVersion()
	view, c := l.epochView(netuid, sn)
	var fresh viewBuffers
	want := l.stakeView(netuid, sn, &fresh)
	if !slices.Equal(view.Alpha, want.Alpha) || !slices.Equal(view.TAO, want.TAO) {
		t.Fatalf("netuid %d: epochView %v %v, fresh %v %v", netuid, view.Alpha, view.TAO, want.Alpha, want.TAO)
	}
	if len(c.uids) != len(fresh.uids) {
		t.Fatalf("netuid %d: %d kept lookups, %d uids", netuid, len(c.uids), len(fresh.uids))
	}
	for uid := range c.uids {
		u, f := c.uids[uid], fresh.uids[uid]
		f.ownerAt, f.claimable = u.ownerAt, u.claimable // hints and the payouts' own
		if u != f {
			t.Fatalf("netuid %d uid %d: kept %+v, fresh %+v", netuid, uid, u, f)
		}
	}
	if c.keysVersion != sn.HotkeysVersion() {
		t.Fatalf("netuid %d: the lookups keep HotkeysVersion %d, the subnet's is %d", netuid, c.keysVersion, sn.HotkeysVersion())
	}
	return shortcut
}

// epochView keeps its lookups without comparing hotkeys only while the
// subnet's HotkeysVersion is the one it checked them at: after epochs
// with no registration the shortcut is taken and gives the view of fresh
// lookups (checked after several epochs); a registration of a hotkey that already has an owner, a take
// and pools (no keysGen change) changes the version, and the next view
// compares the hotkeys again and finds the new uid.
func TestEpochViewVersionShortcut(t *testing.T) {
	l := steppingNetwork(t)
	stepToEpoch(t, l, 1)
	if checkEpochView(t, l, 1) {
		t.Fatal("the first view after an epoch with fresh lookups took the shortcut before checking the version")
	}
	if !checkEpochView(t, l, 1) {
		t.Fatal("an unchanged subnet's view did not take the shortcut")
	}
	// The payouts may add pools (keysGen): each view after an epoch is
	// checked, and the next one, with nothing between, takes the shortcut.
	for range 3 {
		stepToEpoch(t, l, 1)
		checkEpochView(t, l, 1)
		if !checkEpochView(t, l, 1) {
			t.Fatal("an unchanged subnet's view did not take the shortcut")
		}
	}
	// A validator of netuid 2, owned, with a delegate take and pools,
	// registers on netuid 1.
	hk, ck := units.AccountID{0xb0, 2, 0}, units.AccountID{0xc0, 2, 0}
	if _, ok := l.owner[hk]; !ok {
		t.Fatal("the hotkey has no owner")
	}
	version, gen := l.nets[1].HotkeysVersion(), l.buf.keysGen
	uid, err := l.BurnedRegister(ck, hk, 1)
	if err != nil {
		t.Fatal(err)
	}
	if l.nets[1].HotkeysVersion() == version {
		t.Fatalf("registration at uid %d kept HotkeysVersion %d", uid, version)
	}
	keysSame := l.buf.keysGen == gen
	if checkEpochView(t, l, 1) {
		t.Fatal("the view after a registration took the shortcut")
	}
	if got := l.buf.uidCaches[1].uids[uid].hotkey; got != hk {
		t.Fatalf("uid %d looked up as %x, want %x", uid, got[:3], hk[:3])
	}
	if !checkEpochView(t, l, 1) {
		t.Fatal("an unchanged subnet's view after the registration's did not take the shortcut")
	}
	stepToEpoch(t, l, 1)
	checkEpochView(t, l, 1)
	t.Logf("keysGen unchanged by the registration: %v", keysSame)
}

// A pool the payouts make on one subnet (creditStake) leaves the other
// subnets' kept lookups valid, and they stay what fresh lookups find; a
// pool they make on root, which every subnet's lookups hold, makes all of
// them stale (keysChanged).
func TestPayoutPoolKeepsOtherSubnetsLookups(t *testing.T) {
	l := steppingNetwork(t)
	stepToEpoch(t, l, 2)
	checkEpochView(t, l, 2)
	// A hotkey of netuid 2 (owned) without a pool on netuid 1.
	hk := units.AccountID{0xb0, 2, 5}
	if _, ok := l.stake.lookup(stakeKey{hk, 1}); ok {
		t.Fatal("the hotkey already has a pool on netuid 1")
	}
	gen := l.buf.keysGen
	l.buf.payoutPools = false
	if !l.creditStake(hk, l.owner[hk], 1, 1_000_000) {
		t.Fatal("creditStake refused")
	}
	if l.buf.keysGen != gen || !l.buf.payoutPools {
		t.Fatalf("a pool on netuid 1: keysGen %d → %d, payoutPools %v", gen, l.buf.keysGen, l.buf.payoutPools)
	}
	if err := UIDCachesCurrent(l); err != nil {
		t.Fatal(err)
	}
	if !checkEpochView(t, l, 2) {
		t.Fatal("netuid 2's lookups were dropped for a pool on netuid 1")
	}
	// A pool on root: every subnet's lookups are stale.
	if _, ok := l.stake.lookup(stakeKey{hk, RootNetUID}); ok {
		t.Fatal("the hotkey already has a pool on root")
	}
	if !l.creditStake(hk, l.owner[hk], RootNetUID, 1_000_000) {
		t.Fatal("creditStake on root refused")
	}
	if l.buf.keysGen == gen {
		t.Fatal("a pool on root left keysGen unchanged")
	}
	if checkEpochView(t, l, 2) {
		t.Fatal("netuid 2's lookups were kept after a pool on root")
	}
}

// distribute maps line i of an epoch to uid UIDsByHotkey()[i] without
// comparing hotkeys: RunEpoch's lines are in that order and the kept
// lookups' hotkeys are the subnet's. Checked at epochs after
// registrations that replace a uid's hotkey, on the lines RunEpoch
// returns for the view epochView builds, as distribute calls them.
func TestEpochLinesAreUIDsByHotkey(t *testing.T) {
	l := steppingNetwork(t)
	check := func(netuid units.NetUID) {
		t.Helper()
		sn := l.nets[netuid]
		view, c := l.epochView(netuid, sn)
		out, err := sn.RunEpoch(subnet.Now{Block: l.block, Epoch: l.subnets[netuid].Schedule.EpochIndex}, units.Alpha(1_000_000_000), view, &l.ws)
		if err != nil {
			t.Fatal(err)
		}
		order := sn.UIDsByHotkey(nil)
		if len(order) != len(out) || len(c.uids) != len(out) {
			t.Fatalf("netuid %d: %d lines, %d uids by hotkey, %d kept lookups", netuid, len(out), len(order), len(c.uids))
		}
		for i := range out {
			if got := c.uids[order[i]].hotkey; got != out[i].Hotkey {
				t.Fatalf("netuid %d line %d: uid %d holds %x, the line is %x", netuid, i, order[i], got[:4], out[i].Hotkey[:4])
			}
		}
	}
	stepToEpoch(t, l, 1)
	check(1)
	// New hotkeys take uids of the full subnet (each registration prunes
	// one, whose kept lookups then hold another hotkey), some with owners
	// and pools elsewhere, some new.
	sn := l.nets[1]
	sn.Hyperparameters.MaxAllowedUids = sn.N()
	replaced := 0
	for k := range 6 {
		hk, ck := units.AccountID{0xd0, byte(k), 1}, acctN(200)
		if k%2 == 0 {
			hk, ck = units.AccountID{0xb0, 2, byte(k)}, units.AccountID{0xc0, 2, byte(k)}
		}
		n := sn.N()
		uid, err := l.BurnedRegister(ck, hk, 1)
		if err != nil {
			t.Fatalf("registration %d: %v", k, err)
		}
		if uint16(uid) < n {
			replaced++
		}
		check(1)
		stepToEpoch(t, l, 1)
		check(1)
	}
	if replaced == 0 {
		t.Fatal("no registration replaced a uid")
	}
}
