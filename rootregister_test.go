package dtao

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// rootLedger builds a ledger with the root subnet only, the given
// parameters, and for each (hotkey, coldkey, root stake) the owner and, when
// the stake is positive, the stake on root.
func rootLedger(t *testing.T, p Params, keys ...rootKey) *Ledger {
	t.Helper()
	b := NewBuilder().Root(1_000_000_000_000)
	for _, k := range keys {
		b.Hotkey(k.hot, k.cold)
		if k.stake > 0 {
			b.Stake(k.hot, k.cold, RootNetUID, k.stake)
		}
	}
	g := b.Genesis()
	g.Params = &p
	l, err := NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

type rootKey struct {
	hot, cold units.AccountID
	stake     units.Alpha
}

// rootUID is get_uid_for_net_and_hotkey on the root.
func rootUID(l *Ledger, hotkey units.AccountID) (int, bool) {
	i := slices.IndexFunc(l.RootNeurons(), func(n RootNeuron) bool { return n.Hotkey == hotkey })
	return i, i >= 0
}

// isDelegate is hotkey_is_delegate: a Delegates entry exists.
func isDelegate(l *Ledger, hotkey units.AccountID) bool {
	_, ok := l.delegateTake[hotkey]
	return ok
}

// refused checks that the call failed with want and changed nothing.
func refused(t *testing.T, l *Ledger, coldkey, hotkey units.AccountID, want error) {
	t.Helper()
	before := l.StateHash()
	if _, err := l.RootRegister(coldkey, hotkey); !errors.Is(err, want) {
		t.Fatalf("root_register of %x: %v, want %v", hotkey[:3], err, want)
	}
	if l.StateHash() != before {
		t.Fatal("a refused root_register changed the state")
	}
	checkInv(t, l)
}

// Port of test_root_register_network_exist (pallets/subtensor/src/tests/
// root.rs at 8f39a5832, since removed): with the root network a fresh
// hotkey registers, at uid 0, and becomes the coldkey's and a delegate
// with the 18% take; the event reports netuid 0.
func TestRootRegisterNetworkExist(t *testing.T) {
	l := rootLedger(t, DefaultParams())
	hot, cold := u256(1), u256(667)
	var events []Event
	l.OnEvent(func(e Event) { events = append(events, e) })
	uid, err := l.RootRegister(cold, hot)
	if err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if uid != 0 {
		t.Fatalf("uid %d, want 0", uid)
	}
	if got, want := l.RootNeurons(), []RootNeuron{{Hotkey: hot, BlockAtRegistration: l.Block()}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("root neurons %+v, want %+v", got, want)
	}
	if o, ok := l.Owner(hot); !ok || o != cold {
		t.Fatalf("owner %x %v, want the coldkey", o[:], ok)
	}
	if !isDelegate(l, hot) || l.DelegateTake(hot) != 11_796 {
		t.Fatalf("delegate %v take %d, want an entry of 11_796", isDelegate(l, hot), l.DelegateTake(hot))
	}
	st, _ := l.Subnet(RootNetUID)
	if st.RegistrationsThisBlock != 1 || st.RegistrationsThisInterval != 1 {
		t.Fatalf("counters %d/%d, want 1/1", st.RegistrationsThisBlock, st.RegistrationsThisInterval)
	}
	want := []Event{{Kind: EventNeuronRegistered, Block: l.Block(), NetUID: RootNetUID, Hotkey: hot, Coldkey: cold}}
	if !reflect.DeepEqual(events, want) {
		t.Fatalf("events %+v, want %+v", events, want)
	}
	// The copy RootNeurons returns is the caller's.
	l.RootNeurons()[0].Hotkey = u256(9)
	if l.RootNeurons()[0].Hotkey != hot {
		t.Fatal("RootNeurons shares the ledger's slice")
	}
}

// do_root_register's first check: without a root network the call is
// RootNetworkDoesNotExist, before the origin is looked at.
func TestRootRegisterWithoutRoot(t *testing.T) {
	l, err := NewBuilder().Subnet(1, acctN(1), acctN(2), 1_000_000_000_000, 1_000_000_000_000).Build()
	if err != nil {
		t.Fatal(err)
	}
	refused(t, l, SubnetAccountID(1), u256(1), ErrRootNetworkDoesNotExist)
	if l.RootNeurons() != nil {
		t.Fatal("root neurons without a root")
	}
}

// Port of test_root_register_normal_on_root_fails (tests/root.rs at
// 8f39a5832): burned registration is refused on the root, which only
// root_register fills.
func TestRootRegisterNormalOnRootFails(t *testing.T) {
	l := rootLedger(t, DefaultParams())
	if _, err := l.BurnedRegister(u256(667), u256(1), RootNetUID); !errors.Is(err, subnet.ErrRegistrationNotPermittedOnRootSubnet) {
		t.Fatalf("burned_register on root: %v", err)
	}
	if len(l.RootNeurons()) != 0 {
		t.Fatal("burned_register filled the root")
	}
}

// Port of test_root_register_stake_based_pruning_works (tests/root.rs at
// 8f39a5832), its stakes on root as the chain now compares root stake
// (hotkeys U256 1..128 instead of 0..127: the zero account is no key):
// 64 register, the next 64 each replace the lowest root stake left, and
// the first 64 cannot come back, having less stake than any member.
func TestRootRegisterStakeBasedPruningWorks(t *testing.T) {
	p := DefaultParams()
	p.RootMaxRegistrationsPerBlock, p.RootTargetRegistrationsPerInterval = 1000, 1000
	var keys []rootKey
	for i := range uint64(128) {
		keys = append(keys, rootKey{u256(1 + i), u256(1 + i), units.Alpha(1000 + i)})
	}
	l := rootLedger(t, p, keys...)
	for i := range 64 {
		uid, err := l.RootRegister(keys[i].cold, keys[i].hot)
		if err != nil {
			t.Fatalf("register %d: %v", i, err)
		}
		checkInv(t, l)
		if int(uid) != i {
			t.Fatalf("register %d: uid %d", i, uid)
		}
		if !isDelegate(l, keys[i].hot) {
			t.Fatalf("hotkey %d is not a delegate", i)
		}
	}
	for i := 64; i < 128; i++ {
		uid, err := l.RootRegister(keys[i].cold, keys[i].hot)
		if err != nil {
			t.Fatalf("register %d: %v", i, err)
		}
		checkInv(t, l)
		// The lowest stake left is the hotkey registered at uid i−64.
		if int(uid) != i-64 {
			t.Fatalf("register %d replaced uid %d, want %d", i, uid, i-64)
		}
		if got, ok := rootUID(l, keys[i].hot); !ok || got != int(uid) {
			t.Fatalf("register %d: not at its uid", i)
		}
		if _, ok := rootUID(l, keys[i-64].hot); ok {
			t.Fatalf("hotkey %d was not replaced", i-64)
		}
	}
	for i := range 64 {
		refused(t, l, keys[i].cold, keys[i].hot, ErrStakeTooLowForRoot)
		if _, ok := rootUID(l, keys[i].hot); ok {
			t.Fatalf("hotkey %d registered", i)
		}
	}
	if n := len(l.RootNeurons()); n != 64 {
		t.Fatalf("%d root neurons, want 64", n)
	}
}

// The block and interval limits of do_root_register (steps 2 and 3) with
// the runtime's root values: one registration a block, three an interval;
// update_registration_prices_for_networks (subnets/registration.rs) resets
// the block counter each block and the interval counter once the root's
// schedule is due (tempo 100 from LastEpochBlock 0: from block 100 on).
func TestRootRegisterLimitsPerBlockAndInterval(t *testing.T) {
	l := rootLedger(t, DefaultParams())
	step := func() {
		t.Helper()
		if _, err := l.Step(); err != nil {
			t.Fatal(err)
		}
		checkInv(t, l)
	}
	ck := u256(1000)
	register := func(n uint64) {
		t.Helper()
		if _, err := l.RootRegister(ck, u256(n)); err != nil {
			t.Fatalf("register %d at block %d: %v", n, l.Block(), err)
		}
		checkInv(t, l)
	}
	register(1)
	refused(t, l, ck, u256(2), ErrTooManyRegistrationsThisBlock)
	step()
	register(2)
	step()
	register(3)
	step()
	// The block counter is 0 again, the interval holds three.
	refused(t, l, ck, u256(4), ErrTooManyRegistrationsThisInterval)
	for l.Block() < 99 {
		step()
	}
	st, _ := l.Subnet(RootNetUID)
	if st.RegistrationsThisInterval != 3 || st.RegistrationsThisBlock != 0 {
		t.Fatalf("block 99: counters %d/%d, want 0/3", st.RegistrationsThisBlock, st.RegistrationsThisInterval)
	}
	refused(t, l, ck, u256(4), ErrTooManyRegistrationsThisInterval)
	step() // block 100: the root is due
	register(4)
	if n := l.RootNeurons(); len(n) != 4 || n[3].BlockAtRegistration != 100 || n[1].BlockAtRegistration != 1 {
		t.Fatalf("root neurons %+v", n)
	}
	// The block limit is checked first.
	refused(t, l, ck, u256(5), ErrTooManyRegistrationsThisBlock)
}

// The checks after the limits, in the chain's order: a hotkey already on
// root, then a subnet account as the hotkey (create_account_if_non_existent,
// staking/helpers.rs); a subnet account cannot sign. A hotkey another
// coldkey owns is accepted and keeps its owner; a delegate keeps its take.
func TestRootRegisterHotkeyChecks(t *testing.T) {
	p := DefaultParams()
	p.RootMaxRegistrationsPerBlock = 10
	other, mine := u256(50), u256(51)
	g := NewBuilder().Root(1_000_000_000_000).Hotkey(u256(2), other).Genesis()
	g.Params = &p
	g.Delegates = []GenesisTake{{Hotkey: u256(2), Take: 500}}
	l, err := NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.RootRegister(mine, u256(1)); err != nil {
		t.Fatal(err)
	}
	refused(t, l, mine, u256(1), subnet.ErrHotKeyAlreadyRegisteredInSubNet)
	refused(t, l, mine, SubnetAccountID(3), subnet.ErrCannotUseSystemAccount)
	refused(t, l, SubnetAccountID(0), u256(3), ErrBadOrigin)
	uid, err := l.RootRegister(mine, u256(2))
	if err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if uid != 1 {
		t.Fatalf("uid %d, want 1", uid)
	}
	if o, _ := l.Owner(u256(2)); o != other {
		t.Fatal("root_register changed the hotkey's owner")
	}
	if l.DelegateTake(u256(2)) != 500 {
		t.Fatalf("take %d, want the delegate's 500 kept", l.DelegateTake(u256(2)))
	}
}

// The replacement picks the lowest root stake with a strict comparison in
// Keys' order, so the first of equal stakes goes, and an equal stake is
// not enough (StakeTooLowForRoot). A full root with no uid at all
// (MaxAllowedUids 0) fails on get_hotkey_for_net_and_uid.
func TestRootRegisterReplacementTies(t *testing.T) {
	p := DefaultParams()
	p.MaxRootValidators, p.RootMaxRegistrationsPerBlock = 2, 10
	ck := u256(100)
	l := rootLedger(t, p,
		rootKey{u256(1), ck, 5}, rootKey{u256(2), ck, 5}, rootKey{u256(3), ck, 5}, rootKey{u256(4), ck, 6})
	for _, h := range []uint64{1, 2} {
		if _, err := l.RootRegister(ck, u256(h)); err != nil {
			t.Fatal(err)
		}
	}
	refused(t, l, ck, u256(3), ErrStakeTooLowForRoot)
	refused(t, l, ck, u256(5), ErrStakeTooLowForRoot) // no stake, no owner: nothing created
	if _, ok := l.Owner(u256(5)); ok {
		t.Fatal("a refused call created the hotkey's owner")
	}
	uid, err := l.RootRegister(ck, u256(4))
	if err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if uid != 0 {
		t.Fatalf("replaced uid %d, want the first of the equal stakes, 0", uid)
	}
	want := []RootNeuron{{u256(4), 0}, {u256(2), 0}}
	if got := l.RootNeurons(); !reflect.DeepEqual(got, want) {
		t.Fatalf("root neurons %+v, want %+v", got, want)
	}

	p.MaxRootValidators = 0
	empty := rootLedger(t, p, rootKey{u256(1), ck, 5})
	refused(t, empty, ck, u256(1), subnet.ErrHotKeyNotRegisteredInSubNet)
}

// Keys iterates its Identity-hashed u16 uids by their little-endian bytes.
func TestRootKeysOrder(t *testing.T) {
	got := rootKeysOrder(258)
	if !slices.Equal(got[:5], []int{0, 256, 1, 257, 2}) || got[257] != 255 {
		t.Fatalf("order starts %v, ends %d", got[:5], got[257])
	}
	if !slices.Equal(rootKeysOrder(4), []int{0, 1, 2, 3}) {
		t.Fatal("below 256 the order is the uids'")
	}
}

// replace_neuron (subnets/uids.rs) keeps the root owner's hotkey: the call
// succeeds, reporting the uid, and counts and makes a delegate, but the
// neuron stays.
func TestRootRegisterKeepsOwnerHotkey(t *testing.T) {
	p := DefaultParams()
	p.MaxRootValidators = 1
	owner, ownerHk, ck := u256(10), u256(11), u256(12)
	g := NewBuilder().SubnetWith(GenesisSubnet{NetUID: RootNetUID, Owner: owner, OwnerHotkey: ownerHk,
		Pool:        amm.NewStablePool(1_000_000_000_000, 0),
		RootNeurons: []RootNeuron{{Hotkey: ownerHk, BlockAtRegistration: 0}}}).
		Hotkey(u256(1), ck).Stake(u256(1), ck, RootNetUID, 10).Genesis()
	g.Params = &p
	l, err := NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	var events []Event
	l.OnEvent(func(e Event) { events = append(events, e) })
	uid, err := l.RootRegister(ck, u256(1))
	if err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	if uid != 0 || len(events) != 1 || events[0].Hotkey != u256(1) {
		t.Fatalf("uid %d, events %+v", uid, events)
	}
	if got := l.RootNeurons(); len(got) != 1 || got[0].Hotkey != ownerHk {
		t.Fatalf("root neurons %+v: the owner hotkey was replaced", got)
	}
	st, _ := l.Subnet(RootNetUID)
	if !isDelegate(l, u256(1)) || st.RegistrationsThisBlock != 1 {
		t.Fatal("the call did not count or delegate")
	}
}

// The root's neurons and counters survive a snapshot, Genesis → NewLedger
// and the JSON genesis, where they are the root subnet's Keys, Uids,
// BlockAtRegistration, RegistrationsThisBlock and
// RegistrationsThisInterval.
func TestRootNeuronsRoundTrip(t *testing.T) {
	p := DefaultParams()
	p.RootMaxRegistrationsPerBlock = 10
	l := rootLedger(t, p, rootKey{u256(1), u256(9), 7})
	for _, h := range []uint64{1, 2, 3} {
		if _, err := l.RootRegister(u256(9), u256(h)); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := l.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadSnapshot(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.StateHash() != l.StateHash() || !reflect.DeepEqual(back.RootNeurons(), l.RootNeurons()) {
		t.Fatal("the snapshot lost the root's neurons")
	}
	st, _ := back.Subnet(RootNetUID)
	if st.RegistrationsThisBlock != 3 || st.RegistrationsThisInterval != 3 {
		t.Fatalf("counters %d/%d after the snapshot", st.RegistrationsThisBlock, st.RegistrationsThisInterval)
	}
	data, err := json.Marshal(l.Genesis())
	if err != nil {
		t.Fatal(err)
	}
	var wire struct {
		Subnets []map[string]json.RawMessage
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"Keys", "Uids", "BlockAtRegistration", "RegistrationsThisBlock", "RegistrationsThisInterval"} {
		if _, ok := wire.Subnets[0][k]; !ok {
			t.Errorf("the root's JSON lacks %s", k)
		}
	}
	g, err := ParseGenesisJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	if fromJSON.StateHash() != l.StateHash() {
		t.Fatal("the JSON genesis lost state")
	}
}

// NewLedger refuses root neurons without an owner, listed twice or on
// another subnet, and the JSON refuses root items on other subnets.
func TestRootNeuronsGenesisErrors(t *testing.T) {
	base := func() GenesisConfig {
		return NewBuilder().Root(1_000_000_000_000).Hotkey(u256(1), u256(9)).
			Subnet(1, acctN(1), acctN(2), 1_000_000_000_000, 1_000_000_000_000).Genesis()
	}
	for name, mut := range map[string]func(g *GenesisConfig){
		"no owner":  func(g *GenesisConfig) { g.Subnets[0].RootNeurons = []RootNeuron{{Hotkey: u256(2)}} },
		"twice":     func(g *GenesisConfig) { g.Subnets[0].RootNeurons = []RootNeuron{{Hotkey: u256(1)}, {Hotkey: u256(1)}} },
		"non-root":  func(g *GenesisConfig) { g.Subnets[1].RootNeurons = []RootNeuron{{Hotkey: u256(1)}} },
		"counters":  func(g *GenesisConfig) { g.Subnets[1].RegistrationsThisInterval = 1 },
		"subnet ac": func(g *GenesisConfig) { g.Subnets[0].RootNeurons = []RootNeuron{{Hotkey: SubnetAccountID(1)}} },
	} {
		g := base()
		mut(&g)
		if _, err := NewLedger(g); !errors.Is(err, ErrInvalidGenesis) {
			t.Errorf("%s: %v, want ErrInvalidGenesis", name, err)
		}
	}
	g := base()
	g.Subnets[0].RootNeurons = []RootNeuron{{Hotkey: u256(1), BlockAtRegistration: 4}}
	data, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(data, []byte(`"NetUid":1,`), []byte(`"NetUid":1,"RegistrationsThisInterval":2,`), 1)
	if bytes.Equal(bad, data) {
		t.Fatal("the test's edit did not apply")
	}
	var out GenesisConfig
	if err := out.UnmarshalJSON(bad); !errors.Is(err, ErrInvalidGenesisJSON) {
		t.Fatalf("root items on netuid 1: %v", err)
	}
	short := bytes.Replace(data, []byte(`"BlockAtRegistration":[4]`), []byte(`"BlockAtRegistration":[]`), 1)
	if err := out.UnmarshalJSON(short); !errors.Is(err, ErrInvalidGenesisJSON) {
		t.Fatalf("BlockAtRegistration shorter than Keys: %v", err)
	}
	if err := out.UnmarshalJSON(data); err != nil || !reflect.DeepEqual(out.Subnets[0].RootNeurons, g.Subnets[0].RootNeurons) {
		t.Fatalf("root neurons through JSON: %v %+v", err, out.Subnets[0].RootNeurons)
	}
}

// CheckInvariants refuses a root neuron without an owner or holding two
// uids.
func TestRootNeuronsInvariant(t *testing.T) {
	l := rootLedger(t, DefaultParams(), rootKey{u256(1), u256(9), 0})
	if _, err := l.RootRegister(u256(9), u256(1)); err != nil {
		t.Fatal(err)
	}
	checkInv(t, l)
	l.rootNeurons = append(l.rootNeurons, RootNeuron{Hotkey: u256(1)})
	if err := l.CheckInvariants(); !errors.Is(err, ErrInvariant) {
		t.Fatalf("a hotkey at two uids: %v", err)
	}
	l.rootNeurons = []RootNeuron{{Hotkey: u256(2)}}
	if err := l.CheckInvariants(); !errors.Is(err, ErrInvariant) {
		t.Fatalf("a hotkey without owner: %v", err)
	}
}
