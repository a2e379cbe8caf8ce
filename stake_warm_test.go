package dtao

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// WarmStakes is a hint: a ledger whose every call follows a WarmStakes of
// refs naming the call (and others: missing coldkeys, pools and subnets,
// more refs than it reads at a time) returns the same results and
// errors and holds the same state after each call as a ledger making the
// calls alone; WarmStakes alone changes no state and allocates nothing
// (TestWarmStakesChunkedPool: on a pool of several chunks).
func TestWarmStakesIsAHint(t *testing.T) {
	warm, plain := testNetwork(t), testNetwork(t)
	hk1, hk2, root := acctN(100), acctN(101), acctN(102)
	extra := []StakeRef{
		{Coldkey: acctN(60), Hotkey: hk1, NetUID: 1},      // no account, no entry
		{Coldkey: acctN(0), Hotkey: acctN(61), NetUID: 1}, // no pool
		{Coldkey: acctN(0), Hotkey: hk1, NetUID: 9},       // no subnet
		{Coldkey: acctN(3), Hotkey: root, NetUID: RootNetUID},
	}
	type call struct {
		add     bool
		c, h    units.AccountID
		netuid  units.NetUID
		amount  uint64
		wantErr error
	}
	var calls []call
	for i := range byte(5) {
		calls = append(calls,
			call{true, acctN(i), hk1, 1, 4_000_000_000 + uint64(i)*1_000_000_000, nil},
			call{true, acctN(i), hk2, 2, 3_000_000_000, nil},
			call{false, acctN(i), hk1, 1, 1_000_000_000, nil},
			call{true, acctN(i), root, RootNetUID, 2_000_000_000, nil})
	}
	calls = append(calls,
		call{true, acctN(0), hk1, 9, 4_000_000_000, ErrSubnetNotExists},
		call{false, acctN(60), hk1, 1, 1_000_000_000, ErrAmountTooLow},
		call{true, acctN(60), hk1, 1, 4_000_000_000, ErrNotEnoughBalanceToStake})
	for round := range 2 {
		for k, c := range calls {
			refs := append([]StakeRef{{Coldkey: c.c, Hotkey: c.h, NetUID: c.netuid}}, extra...)
			for range 2 {
				refs = append(refs, refs...) // 20 refs: three rounds of maxWarm
			}
			h := warm.StateHash()
			if n := testing.AllocsPerRun(5, func() { warm.WarmStakes(refs) }); n != 0 {
				t.Fatalf("round %d call %d: WarmStakes allocates %v times", round, k, n)
			}
			if warm.StateHash() != h {
				t.Fatalf("round %d call %d: WarmStakes changed the state", round, k)
			}
			var gw, gp uint64
			var ew, ep error
			if c.add {
				a, err := warm.AddStake(c.c, c.h, c.netuid, units.TAO(c.amount))
				b, err2 := plain.AddStake(c.c, c.h, c.netuid, units.TAO(c.amount))
				gw, gp, ew, ep = a.Rao(), b.Rao(), err, err2
			} else {
				a, err := warm.RemoveStake(c.c, c.h, c.netuid, units.Alpha(c.amount))
				b, err2 := plain.RemoveStake(c.c, c.h, c.netuid, units.Alpha(c.amount))
				gw, gp, ew, ep = a.Rao(), b.Rao(), err, err2
			}
			if gw != gp || (ew == nil) != (ep == nil) || !errors.Is(ew, c.wantErr) || !errors.Is(ep, c.wantErr) {
				t.Fatalf("round %d call %d: warmed %d, %v; plain %d, %v; want error %v", round, k, gw, ew, gp, ep, c.wantErr)
			}
			if warm.StateHash() != plain.StateHash() {
				t.Fatalf("round %d call %d: the ledgers differ", round, k)
			}
		}
	}
	warm.WarmStakes(nil)
}

// WarmStakes on a pool of several chunks (its entries made 300 more, as a
// snapshot of a large pool would load them) reads without changing the
// state or allocating, for coldkeys present and absent, its refs mixed
// with refs to a pool of one chunk and to no pool in each group of
// maxWarm it reads at a time, and the pool's values read the same after
// it.
func TestWarmStakesChunkedPool(t *testing.T) {
	l := testNetwork(t)
	hk := acctN(100)
	p := l.stake.pool(stakeKey{hk, 1})
	es := p.entryList()
	for i := range 300 {
		es = append(es, shareEntry{sha256.Sum256([]byte{byte(i), byte(i >> 8)}), fixed.SafeFloatFromUint64(uint64(i + 1))})
	}
	slices.SortFunc(es, func(a, b shareEntry) int { return bytes.Compare(a.coldkey[:], b.coldkey[:]) })
	p.fill(es)
	if p.more == nil {
		t.Fatalf("%d entries in one chunk", p.Len())
	}
	var refs []StakeRef
	var want []units.Alpha
	for i := range 24 {
		c := units.AccountID(sha256.Sum256([]byte{byte(i * 13), 0}))
		if i%3 == 0 {
			c = bump(c, 31, 1) // absent
		}
		refs = append(refs, StakeRef{Coldkey: c, Hotkey: hk, NetUID: 1})
		want = append(want, p.Value(c))
	}
	var mixed []StakeRef
	for i, r := range refs {
		mixed = append(mixed, r)
		if i%2 == 1 {
			mixed = append(mixed, StakeRef{Coldkey: acctN(byte(i % 5)), Hotkey: acctN(101), NetUID: 2})
		}
		if i%5 == 2 {
			mixed = append(mixed, StakeRef{Coldkey: acctN(0), Hotkey: acctN(61), NetUID: 1})
		}
	}
	if p2 := l.stake.pool(stakeKey{acctN(101), 2}); p2 == nil || p2.more != nil {
		t.Fatal("hotkey 101 holds no pool of one chunk on netuid 2")
	}
	h := l.StateHash()
	if n := testing.AllocsPerRun(5, func() { l.WarmStakes(refs); l.WarmStakes(mixed) }); n != 0 {
		t.Fatalf("WarmStakes allocates %v times", n)
	}
	if l.StateHash() != h {
		t.Fatal("WarmStakes changed the state")
	}
	for i, r := range refs {
		if v := p.Value(r.Coldkey); v != want[i] {
			t.Fatalf("value of ref %d: %d after WarmStakes, %d before", i, v, want[i])
		}
	}
}
