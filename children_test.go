package dtao

import (
	"bytes"
	"encoding/hex"
	"math"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/units"
)

// mockChildParams are the values of pallets/subtensor/src/tests/mock.rs
// the children and take tests read: StakeThreshold 0 (mock_schedule_children
// sets it), a 15-block PendingChildKeyCooldown (DefaultPendingCooldown's
// fast value), MinDelegateTake 5_898 and a 1-block
// TxDelegateTakeRateLimit.
func mockChildParams() Params {
	p := DefaultParams()
	p.StakeThreshold = 0
	p.PendingChildKeyCooldown = 15
	p.MinDelegateTake = 5_898
	p.TxDelegateTakeRateLimit = 1
	return p
}

// childLedger is new_test_ext(1) with add_network(netuids, 13, 0) and
// register_ok_neuron(netuid, u256(2), u256(1)): the root subnet and the
// given subnets, hotkey u256(2) owned by coldkey u256(1), at block 1.
func childLedger(t *testing.T, p Params, netuids ...units.NetUID) *Ledger {
	t.Helper()
	b := NewBuilder().ExistentialDeposit(mockED).Root(1_000_000_000).
		Hotkey(u256(2), u256(1)).Account(u256(1), 1_000_000_000)
	for _, id := range netuids {
		b.SubnetWith(GenesisSubnet{NetUID: id, Owner: u256(1001), OwnerHotkey: u256(1002),
			Pool: mockPool(1_000_000_000_000, 1_000_000_000_000)})
	}
	g := b.Genesis()
	g.Block = 1
	g.Params = &p
	return mustLedger(t, g)
}

// setBlock moves the ledger to block b without running blocks (the
// chain tests' System::set_block_number; the calls here read only the
// block number).
func setBlock(l *Ledger, b uint64) {
	l.mu.Lock()
	l.block = b
	l.mu.Unlock()
}

// stepRateLimit is step_rate_limit(SetChildren) (tests/mock.rs): the
// rate limit's 150 blocks later.
func stepRateLimit(l *Ledger) { setBlock(l, l.Block()+SetChildrenRateLimit) }

// applyPendingAfterCooldown is wait_and_set_pending_children
// (tests/mock.rs): do_set_pending_children at the block after the
// cooldown, the current block left as it was.
func applyPendingAfterCooldown(l *Ledger, netuid units.NetUID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.applyPendingChildren(netuid, l.block+l.params.PendingChildKeyCooldown+1)
}

// mockSetChildren is mock_set_children (tests/mock.rs): schedule, then
// apply after the cooldown.
func mockSetChildren(t *testing.T, l *Ledger, coldkey, hotkey units.AccountID, netuid units.NetUID, children []Link) {
	t.Helper()
	if err := l.SetChildren(coldkey, hotkey, netuid, children); err != nil {
		t.Fatal(err)
	}
	applyPendingAfterCooldown(l, netuid)
	checkInv(t, l)
}

func links(pairs ...any) []Link {
	var out []Link
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, Link{Proportion: pairs[i].(uint64), Hotkey: pairs[i+1].(units.AccountID)})
	}
	return out
}

func wantLinks(t *testing.T, what string, got, want []Link) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

// Port of test_do_set_child_singular_success and
// test_do_set_child_singular_new_children_assignment (tests/children.rs).
func TestPortDoSetChildSingularSuccess(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	coldkey, hotkey, child := u256(1), u256(2), u256(3)
	mockSetChildren(t, l, coldkey, hotkey, 1, links(uint64(1000), child))
	wantLinks(t, "children", l.Children(hotkey, 1), links(uint64(1000), child))
	wantLinks(t, "parents", l.Parents(child, 1), links(uint64(1000), hotkey))
	if _, ok := l.PendingChildren(hotkey, 1); ok {
		t.Fatal("the applied entry is still pending")
	}
}

// Ports of test_do_set_child_singular_network_does_not_exist,
// test_do_set_empty_children_network_does_not_exist,
// test_do_schedule_children_multiple_network_does_not_exist and
// test_do_revoke_children_multiple_network_does_not_exist
// (tests/children.rs).
func TestPortDoSetChildNetworkDoesNotExist(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	for _, c := range [][]Link{
		links(uint64(1000), u256(3)),
		nil,
		links(uint64(math.MaxUint64/2), u256(3), uint64(math.MaxUint64/2), u256(4)),
	} {
		wantChainErr(t, l.SetChildren(u256(1), u256(2), 999, c), ErrSubnetNotExists)
	}
}

// Ports of test_do_set_child_singular_invalid_child and
// test_do_schedule_children_multiple_invalid_child (tests/children.rs).
func TestPortDoSetChildSingularInvalidChild(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	h := l.StateHash()
	wantChainErr(t, l.SetChildren(u256(1), u256(2), 1, links(uint64(1000), u256(2))), ErrInvalidChild)
	if l.StateHash() != h {
		t.Fatal("a failed set_children changed the state")
	}
}

// Ports of test_do_set_child_singular_non_associated_coldkey,
// test_do_revoke_child_singular_non_associated_coldkey,
// test_do_revoke_child_singular_child_not_associated,
// test_do_schedule_children_multiple_non_associated_coldkey and
// test_do_revoke_children_multiple_non_associated_coldkey
// (tests/children.rs): the hotkey is owned by u256(999), or by nobody.
func TestPortDoSetChildNonAssociatedColdkey(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	l.owner[u256(22)] = u256(999)
	for _, c := range [][]Link{links(uint64(1000), u256(3)), nil,
		links(uint64(math.MaxUint64/2), u256(3), uint64(math.MaxUint64/2), u256(4))} {
		wantChainErr(t, l.SetChildren(u256(1), u256(22), 1, c), ErrNonAssociatedColdKey)
	}
	wantChainErr(t, l.SetChildren(u256(1), u256(23), 1, links(uint64(math.MaxUint64), u256(3))), ErrNonAssociatedColdKey)
}

// Ports of test_do_set_child_singular_root_network and
// test_do_schedule_children_multiple_root_network (tests/children.rs).
func TestPortDoSetChildRootNetwork(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	wantChainErr(t, l.SetChildren(u256(1), u256(2), RootNetUID, links(uint64(1000), u256(3))),
		ErrRegistrationNotPermittedOnRootSubnet)
}

// Ports of test_do_set_child_singular_old_children_cleanup,
// test_do_set_child_singular_multiple_children and
// test_do_schedule_children_multiple_old_children_cleanup
// (tests/children.rs).
func TestPortDoSetChildOldChildrenCleanup(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	ck, hk := u256(1), u256(2)
	mockSetChildren(t, l, ck, hk, 1, links(uint64(1000), u256(3)))
	stepRateLimit(l)
	mockSetChildren(t, l, ck, hk, 1, links(uint64(500), u256(4)))
	wantLinks(t, "old child's parents", l.Parents(u256(3), 1), nil)
	wantLinks(t, "new child's parents", l.Parents(u256(4), 1), links(uint64(500), hk))
	wantLinks(t, "children", l.Children(hk, 1), links(uint64(500), u256(4)))
	stepRateLimit(l)
	mockSetChildren(t, l, ck, hk, 1, links(uint64(1000), u256(5), uint64(1000), u256(6)))
	wantLinks(t, "replaced child's parents", l.Parents(u256(4), 1), nil)
	wantLinks(t, "new child 1's parents", l.Parents(u256(5), 1), links(uint64(1000), hk))
	wantLinks(t, "new child 2's parents", l.Parents(u256(6), 1), links(uint64(1000), hk))
}

// Ports of test_do_set_child_singular_proportion_edge_cases and
// test_do_schedule_children_multiple_proportion_edge_cases
// (tests/children.rs).
func TestPortDoSetChildProportionEdgeCases(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	ck, hk, child := u256(1), u256(2), u256(3)
	mockSetChildren(t, l, ck, hk, 1, links(uint64(0), child))
	wantLinks(t, "children", l.Children(hk, 1), links(uint64(0), child))
	stepRateLimit(l)
	mockSetChildren(t, l, ck, hk, 1, links(uint64(math.MaxUint64), child))
	wantLinks(t, "children", l.Children(hk, 1), links(uint64(math.MaxUint64), child))
	stepRateLimit(l)
	mockSetChildren(t, l, ck, hk, 1, links(uint64(0), u256(3), uint64(math.MaxUint64), u256(4)))
	wantLinks(t, "children", l.Children(hk, 1), links(uint64(0), u256(3), uint64(math.MaxUint64), u256(4)))
}

// Port of test_add_singular_child (tests/children.rs).
func TestPortAddSingularChild(t *testing.T) {
	l := childLedger(t, mockChildParams())
	hotkey, coldkey := u256(1), u256(2)
	wantChainErr(t, l.SetChildren(coldkey, hotkey, 1, links(uint64(math.MaxUint64), hotkey)), ErrSubnetNotExists)
	l = childLedger(t, mockChildParams(), 1)
	stepRateLimit(l)
	wantChainErr(t, l.SetChildren(coldkey, hotkey, 1, links(uint64(math.MaxUint64), hotkey)), ErrNonAssociatedColdKey)
	l.owner[hotkey] = coldkey // create_account_if_non_existent
	stepRateLimit(l)
	wantChainErr(t, l.SetChildren(coldkey, hotkey, 1, links(uint64(math.MaxUint64), hotkey)), ErrInvalidChild)
	stepRateLimit(l)
	mockSetChildren(t, l, coldkey, hotkey, 1, links(uint64(math.MaxUint64), u256(3)))
}

// Ports of test_do_revoke_child_singular_success,
// test_do_revoke_children_multiple_success,
// test_do_revoke_children_multiple_non_existent_children,
// test_do_schedule_children_multiple_empty_list and
// test_do_revoke_children_multiple_empty_list (tests/children.rs).
func TestPortDoRevokeChildren(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	ck, hk := u256(1), u256(2)
	mockSetChildren(t, l, ck, hk, 1, nil)
	wantLinks(t, "children", l.Children(hk, 1), nil)
	stepRateLimit(l)
	mockSetChildren(t, l, ck, hk, 1, links(uint64(1000), u256(3), uint64(2000), u256(4)))
	wantLinks(t, "children", l.Children(hk, 1), links(uint64(1000), u256(3), uint64(2000), u256(4)))
	stepRateLimit(l)
	mockSetChildren(t, l, ck, hk, 1, nil)
	wantLinks(t, "children", l.Children(hk, 1), nil)
	wantLinks(t, "child 1's parents", l.Parents(u256(3), 1), nil)
	wantLinks(t, "child 2's parents", l.Parents(u256(4), 1), nil)
	if len(l.children)+len(l.parents) != 0 {
		t.Fatalf("empty lists left in storage: %v %v", l.children, l.parents)
	}
}

// Ports of test_do_schedule_children_multiple_success and
// test_do_schedule_children_multiple_overwrite_existing
// (tests/children.rs).
func TestPortDoScheduleChildrenMultipleOverwriteExisting(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	ck, hk := u256(1), u256(2)
	mockSetChildren(t, l, ck, hk, 1, links(uint64(1000), u256(3), uint64(2000), u256(4)))
	wantLinks(t, "children", l.Children(hk, 1), links(uint64(1000), u256(3), uint64(2000), u256(4)))
	wantLinks(t, "parents 1", l.Parents(u256(3), 1), links(uint64(1000), hk))
	wantLinks(t, "parents 2", l.Parents(u256(4), 1), links(uint64(2000), hk))
	stepRateLimit(l)
	mockSetChildren(t, l, ck, hk, 1, links(uint64(2000), u256(4), uint64(3000), u256(5)))
	wantLinks(t, "children", l.Children(hk, 1), links(uint64(2000), u256(4), uint64(3000), u256(5)))
	wantLinks(t, "parents 1", l.Parents(u256(3), 1), nil)
	wantLinks(t, "parents 2", l.Parents(u256(4), 1), links(uint64(2000), hk))
	wantLinks(t, "parents 3", l.Parents(u256(5), 1), links(uint64(3000), hk))
}

// Ports of test_do_revoke_children_multiple_partial_revocation and
// test_do_revoke_children_multiple_complex_scenario (tests/children.rs).
func TestPortDoRevokeChildrenMultipleComplexScenario(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	ck, hk := u256(1), u256(2)
	mockSetChildren(t, l, ck, hk, 1, links(uint64(1000), u256(3), uint64(2000), u256(4), uint64(3000), u256(5)))
	stepRateLimit(l)
	mockSetChildren(t, l, ck, hk, 1, links(uint64(1000), u256(3), uint64(3000), u256(5)))
	wantLinks(t, "children", l.Children(hk, 1), links(uint64(1000), u256(3), uint64(3000), u256(5)))
	wantLinks(t, "revoked child's parents", l.Parents(u256(4), 1), nil)
	wantLinks(t, "kept child's parents", l.Parents(u256(5), 1), links(uint64(3000), hk))
	stepRateLimit(l)
	mockSetChildren(t, l, ck, hk, 1, nil)
	wantLinks(t, "children", l.Children(hk, 1), nil)
	wantLinks(t, "parents 1", l.Parents(u256(3), 1), nil)
	wantLinks(t, "parents 3", l.Parents(u256(5), 1), nil)
}

// Port of test_get_parents_chain (tests/children.rs): a chain of five
// hotkeys, each the child of the one before, then a second parent of the
// last.
func TestPortGetParentsChain(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	ck := u256(1)
	proportion := uint64(math.MaxUint64 / 2)
	var hks []units.AccountID
	for i := range uint64(5) {
		hks = append(hks, u256(i+2))
		l.owner[u256(i+2)] = ck
	}
	for i := range 4 {
		if err := l.SetChildren(ck, hks[i], 1, links(proportion, hks[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	applyPendingAfterCooldown(l, 1)
	checkInv(t, l)
	for i := 1; i < 5; i++ {
		wantLinks(t, "parents", l.Parents(hks[i], 1), links(proportion, hks[i-1]))
	}
	wantLinks(t, "the root's parents", l.Parents(hks[0], 1), nil)
	newParent := u256(7)
	l.owner[newParent] = ck
	mockSetChildren(t, l, ck, newParent, 1, links(proportion/2, hks[4]))
	wantLinks(t, "last hotkey's parents", l.Parents(hks[4], 1), links(proportion, hks[3], proportion/2, newParent))
}

// Port of test_do_set_child_below_min_stake (tests/children.rs).
func TestPortDoSetChildBelowMinStake(t *testing.T) {
	p := mockChildParams()
	p.StakeThreshold = 1_000_000_000_000
	l := childLedger(t, p, 1)
	wantChainErr(t, l.SetChildren(u256(1), u256(2), 1, links(uint64(1000), u256(3))), ErrNotEnoughStakeToSetChildkeys)
	if _, ok := l.rateLimits[RateLimitKey{Kind: RateLimitSetChildren, Account: u256(2), NetUID: 1}]; ok {
		t.Fatal("a failed call recorded its block")
	}
}

// Port of test_revoke_child_no_min_stake_check (tests/children.rs): the
// parent holds the threshold in root stake to schedule, and revoking
// needs none.
func TestPortRevokeChildNoMinStakeCheck(t *testing.T) {
	p := mockChildParams()
	p.StakeThreshold = 1_000_000_000_000
	ck, parent, child := u256(1), u256(2), u256(3)
	b := NewBuilder().ExistentialDeposit(mockED).Root(1_000_000_000).
		Hotkey(parent, ck).Account(ck, 1_000_000_000).
		SubnetWith(GenesisSubnet{NetUID: 1, Owner: u256(1001), OwnerHotkey: u256(1002),
			Pool: mockPool(1_000_000_000_000, 1_000_000_000_000)}).
		Stake(parent, ck, RootNetUID, 1_000_000_000_000)
	g := b.Genesis()
	g.Block, g.Params = 1, &p
	l := mustLedger(t, g)
	if err := l.SetChildren(ck, parent, 1, links(uint64(1000), child)); err != nil {
		t.Fatal(err)
	}
	wantLinks(t, "children before the cooldown", l.Children(parent, 1), nil)
	applyPendingAfterCooldown(l, 1)
	wantLinks(t, "children", l.Children(parent, 1), links(uint64(1000), child))
	// The parent's stake leaves (decrease_stake_for_hotkey_and_coldkey_on_subnet)
	// and the rate limit is bypassed.
	l.stake.remove(stakeKey{parent, RootNetUID})
	l.rateLimits[RateLimitKey{Kind: RateLimitSetChildren, Account: parent, NetUID: 1}] = 0
	wantChainErr(t, l.SetChildren(ck, parent, 1, links(uint64(1000), u256(4))), ErrNotEnoughStakeToSetChildkeys)
	if err := l.SetChildren(ck, parent, 1, nil); err != nil {
		t.Fatal(err)
	}
	applyPendingAfterCooldown(l, 1)
	wantLinks(t, "children", l.Children(parent, 1), nil)
}

// Port of test_do_set_child_as_sn_owner_not_enough_stake
// (tests/children.rs): the subnet owner's hotkey is exempt from the
// threshold, another hotkey of the owner coldkey is not.
func TestPortDoSetChildAsSnOwnerNotEnoughStake(t *testing.T) {
	p := mockChildParams()
	p.StakeThreshold = 10_000
	coldkey, ownerHk, childHk, otherHk := u256(1), u256(4), u256(5), u256(6)
	g := NewBuilder().ExistentialDeposit(mockED).Account(coldkey, 1_000_000).
		SubnetWith(GenesisSubnet{NetUID: 1, Owner: coldkey, OwnerHotkey: ownerHk,
			Pool: mockPool(1_000_000_000_000, 1_000_000_000_000)}).
		Hotkey(childHk, u256(2)).Hotkey(otherHk, coldkey).Genesis()
	g.Block, g.Params = 1, &p
	l := mustLedger(t, g)
	if err := l.SetChildren(coldkey, ownerHk, 1, links(uint64(1000), childHk)); err != nil {
		t.Fatal(err)
	}
	wantChainErr(t, l.SetChildren(coldkey, otherHk, 1, links(uint64(1000), childHk)), ErrNotEnoughStakeToSetChildkeys)
}

// Ports of test_do_set_child_cooldown_period,
// test_do_set_pending_children_runs_in_epoch and
// test_pending_cooldown_as_expected (tests/children.rs): the entry waits
// until a block after its cooldown block.
func TestPortDoSetChildCooldownPeriod(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	ck, hk := u256(1), u256(2)
	want := links(uint64(1000), u256(3), uint64(2000), u256(4))
	if err := l.SetChildren(ck, hk, 1, want); err != nil {
		t.Fatal(err)
	}
	p, ok := l.PendingChildren(hk, 1)
	if !ok || !slices.Equal(p.Children, want) || p.CooldownBlock != 1+15 {
		t.Fatalf("pending %+v %v", p, ok)
	}
	p.Children[0].Proportion = 7 // a copy
	l.mu.Lock()
	l.applyPendingChildren(1, 16) // the cooldown block itself: not yet
	l.mu.Unlock()
	wantLinks(t, "children at the cooldown block", l.Children(hk, 1), nil)
	l.mu.Lock()
	l.applyPendingChildren(1, 17)
	l.mu.Unlock()
	wantLinks(t, "children after the cooldown", l.Children(hk, 1), want)
	if _, ok := l.PendingChildren(hk, 1); ok {
		t.Fatal("still pending")
	}
}

// Port of test_set_children_rate_limit_fail_then_succeed
// (tests/children.rs).
func TestPortSetChildrenRateLimitFailThenSucceed(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	ck, hk := u256(1), u256(2)
	mockSetChildren(t, l, ck, hk, 1, links(uint64(100), u256(3)))
	wantChainErr(t, l.SetChildren(ck, hk, 1, links(uint64(100), u256(4))), ErrTxRateLimitExceeded)
	wantLinks(t, "children", l.Children(hk, 1), links(uint64(100), u256(3)))
	setBlock(l, l.Block()+SetChildrenRateLimit-1)
	wantChainErr(t, l.SetChildren(ck, hk, 1, links(uint64(100), u256(4))), ErrTxRateLimitExceeded)
	setBlock(l, l.Block()+1)
	mockSetChildren(t, l, ck, hk, 1, links(uint64(100), u256(4)))
	wantLinks(t, "children", l.Children(hk, 1), links(uint64(100), u256(4)))
	// The limit is per subnet, and comes before every other check.
	wantChainErr(t, l.SetChildren(u256(77), hk, 1, nil), ErrTxRateLimitExceeded)
}

// Port of test_set_child_keys_empty_vector_clears_storage
// (tests/children.rs): stored relations, then an empty pending entry
// with cooldown 0 (mock_set_children_no_epochs).
func TestPortSetChildKeysEmptyVectorClearsStorage(t *testing.T) {
	parent, child := u256(1), u256(2)
	g := NewBuilder().ExistentialDeposit(mockED).Account(u256(1002), 1_000_000).
		SubnetWith(GenesisSubnet{NetUID: 1, Owner: u256(1002), OwnerHotkey: u256(1001),
			Pool: mockPool(1_000_000_000_000, 1_000_000_000_000)}).Genesis()
	g.ChildKeys = []GenesisChildren{{Parent: parent, NetUID: 1, Children: links(uint64(math.MaxUint64), child)}}
	l := mustLedger(t, g)
	if len(l.Parents(child, 1)) != 1 {
		t.Fatal("genesis relations missing")
	}
	l.mu.Lock()
	l.pendingChildren[stakeKey{parent, 1}] = PendingChildren{}
	l.applyPendingChildren(1, l.params.PendingChildKeyCooldown+1)
	l.mu.Unlock()
	if _, ok := l.children[stakeKey{parent, 1}]; ok {
		t.Fatal("ChildKeys entry kept")
	}
	if _, ok := l.parents[stakeKey{child, 1}]; ok {
		t.Fatal("ParentKeys entry kept")
	}
}

// Port of test_set_child_keys_no_start_call_sets_immediately
// (tests/children.rs): without SubtokenEnabled the children apply at
// once, in account order.
func TestPortSetChildKeysNoStartCallSetsImmediately(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	l.subnets[1].SubtokenEnabled = false
	var events []Event
	l.OnEvent(func(e Event) { events = append(events, e) })
	ck, hk := u256(1), u256(2)
	if err := l.SetChildren(ck, hk, 1, links(uint64(2000), u256(4), uint64(1000), u256(3))); err != nil {
		t.Fatal(err)
	}
	if _, ok := l.PendingChildren(hk, 1); ok {
		t.Fatal("pending")
	}
	wantLinks(t, "children", l.Children(hk, 1), links(uint64(1000), u256(3), uint64(2000), u256(4)))
	if len(events) != 1 || events[0].Kind != EventChildrenSet || events[0].Hotkey != hk || events[0].NetUID != 1 {
		t.Fatalf("events %+v", events)
	}
	checkInv(t, l)
}

// TestSetChildrenChecks covers the relation rules of do_schedule_children
// and PCRelations::ensure_pending_consistency (staking/set_children.rs)
// in the chain's order.
func TestSetChildrenChecks(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	ck, hk := u256(1), u256(2)
	var six []Link
	for i := range uint64(6) {
		six = append(six, Link{Proportion: 1, Hotkey: u256(10 + i)})
	}
	wantChainErr(t, l.SetChildren(ck, hk, 1, six), ErrTooManyChildren)
	// Duplicates are found before the count.
	dup := append(slices.Clone(six), six[0])
	wantChainErr(t, l.SetChildren(ck, hk, 1, dup), ErrDuplicateChild)
	wantChainErr(t, l.SetChildren(ck, hk, 1, links(uint64(math.MaxUint64), u256(3), uint64(1), u256(4))), ErrProportionOverflow)
	// Self before the count.
	wantChainErr(t, l.SetChildren(ck, hk, 1, append(slices.Clone(six), Link{Hotkey: hk})), ErrInvalidChild)
	if err := l.SetChildren(ck, hk, 1, six[:5]); err != nil {
		t.Fatal(err)
	}
	applyPendingAfterCooldown(l, 1)

	// A child of hk cannot take hk as its child.
	l.owner[u256(10)] = ck
	wantChainErr(t, l.SetChildren(ck, u256(10), 1, links(uint64(5), hk)), ErrChildParentInconsistency)
	// Nor can hk take its parent as a child.
	stepRateLimit(l)
	l.owner[u256(30)] = ck
	mockSetChildren(t, l, ck, u256(30), 1, links(uint64(9), hk))
	stepRateLimit(l)
	wantChainErr(t, l.SetChildren(ck, hk, 1, links(uint64(9), u256(30))), ErrChildParentInconsistency)
	// Setting children keeps the hotkey's parents.
	mockSetChildren(t, l, ck, hk, 1, links(uint64(4), u256(3)))
	wantLinks(t, "parents", l.Parents(hk, 1), links(uint64(9), u256(30)))
	wantLinks(t, "children", l.Children(hk, 1), links(uint64(4), u256(3)))
	for i := range uint64(5) {
		wantLinks(t, "dropped child's parents", l.Parents(u256(10+i), 1), nil)
	}
}

// TestApplyPendingChildrenChainOrder: two entries that conflict (each
// hotkey the other's child) apply in the order of the chain's hashed
// storage keys, blake2_128(hotkey) ‖ hotkey: the first wins and the
// second is dropped silently.
func TestApplyPendingChildrenChainOrder(t *testing.T) {
	// Two accounts whose hash order is the reverse of their byte order.
	var a, b units.AccountID
	for n := uint64(3); ; n++ {
		a, b = u256(n), u256(n+1)
		if ha, hb := pendingOrderOf(a), pendingOrderOf(b); bytes.Compare(ha.key[:16], hb.key[:16]) > 0 {
			break
		}
	}
	l := childLedger(t, mockChildParams(), 1)
	ck := u256(1)
	l.owner[a], l.owner[b] = ck, ck
	var events []Event
	l.OnEvent(func(e Event) {
		if e.Kind == EventChildrenSet {
			events = append(events, e)
		}
	})
	if err := l.SetChildren(ck, a, 1, links(uint64(1), b)); err != nil {
		t.Fatal(err)
	}
	if err := l.SetChildren(ck, b, 1, links(uint64(2), a)); err != nil {
		t.Fatal(err)
	}
	applyPendingAfterCooldown(l, 1)
	checkInv(t, l)
	wantLinks(t, "b's children", l.Children(b, 1), links(uint64(2), a))
	wantLinks(t, "a's parents", l.Parents(a, 1), links(uint64(2), b))
	wantLinks(t, "a's children", l.Children(a, 1), nil)
	if len(events) != 1 || events[0].Hotkey != b {
		t.Fatalf("events %+v", events)
	}
	if len(l.pendingChildren) != 0 {
		t.Fatal("the dropped entry stayed pending")
	}
}

// TestPendingOrderBlake2: the hashed key is Blake2_128Concat's: the
// well-known System.Account key of the development account Alice ends
// in blake2_128(Alice) ‖ Alice.
func TestPendingOrderBlake2(t *testing.T) {
	alice, _ := hex.DecodeString("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
	want, _ := hex.DecodeString("de1e86a9a8c739864cf3cc5ec2bea59f" +
		"d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
	var h units.AccountID
	copy(h[:], alice)
	if o := pendingOrderOf(h); !bytes.Equal(o.key[:], want) {
		t.Fatalf("key %x, want %x", o.key, want)
	}
}

// TestApplyPendingChildrenOnlyItsSubnet: entries of other subnets wait,
// and with nothing pending on the subnet the call allocates nothing.
func TestApplyPendingChildrenOnlyItsSubnet(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1, 2)
	ck, hk := u256(1), u256(2)
	if err := l.SetChildren(ck, hk, 2, links(uint64(5), u256(3))); err != nil {
		t.Fatal(err)
	}
	l.mu.Lock()
	allocs := testing.AllocsPerRun(100, func() { l.applyPendingChildren(1, 1000) })
	l.mu.Unlock()
	if allocs != 0 {
		t.Fatalf("%v allocations", allocs)
	}
	if _, ok := l.PendingChildren(hk, 2); !ok {
		t.Fatal("netuid 2's entry applied by netuid 1")
	}
	l.mu.Lock()
	l.applyPendingChildren(2, 1000)
	l.mu.Unlock()
	wantLinks(t, "children", l.Children(hk, 2), links(uint64(5), u256(3)))
}

// TestChildrenApplyAtEpochAndSplitDividends runs blocks: the children
// scheduled by a hotkey that is not a neuron take effect at the first
// epoch after the cooldown (Step's try_set_pending_children), not
// before, and the next epoch pays the parent part of its child's
// dividends (the parent/child split of distribute_emission), while before
// it earned nothing. The invariants hold after every block.
func TestChildrenApplyAtEpochAndSplitDividends(t *testing.T) {
	const tempo = 20
	parent, parentCk := units.AccountID{0xd0, 1}, units.AccountID{0xd1, 1}
	owner, ownerHk := acctN(10), acctN(11)
	var hks, cks []units.AccountID
	for i := range byte(8) {
		hks = append(hks, units.AccountID{0xb0, 1, i})
		cks = append(cks, units.AccountID{0xc0, 1, i})
	}
	child := hks[0] // uid 1, a validator with weights
	pool := amm.NewPool(10_000_000_000_000, 1_000_000_000_000_000)
	st := withNeurons(t, 1, owner, ownerHk, pool, hks, cks, 2, 0)
	b := NewBuilder().Root(2_000_000_000_000).
		SubnetWith(GenesisSubnet{NetUID: 1, Owner: owner, OwnerHotkey: ownerHk, Pool: pool, Storage: st,
			MovingPrice: pool.Price().U64F64().SaturatingToI96F32(),
			Schedule:    emission.Schedule{Tempo: tempo, LastEpochBlock: 1000}}).
		Account(owner, 1_000_000_000_000).Account(parentCk, 1_000_000_000).
		Hotkey(parent, parentCk).
		Stake(hks[0], cks[0], 1, 100_000_000_000_000).
		Stake(hks[1], cks[1], 1, 200_000_000_000_000).
		Stake(parent, parentCk, 1, 300_000_000_000_000)
	for _, c := range cks {
		b.Account(c, 10_000_000_000)
	}
	g := b.Genesis()
	g.Block = 1000
	p := DefaultParams()
	p.PendingChildKeyCooldown = 10
	p.StakeThreshold = 0
	g.Params = &p
	l := mustLedger(t, g)

	var epochs, sets []uint64
	l.OnEvent(func(e Event) {
		switch e.Kind {
		case EventEpoch:
			epochs = append(epochs, e.Block)
		case EventChildrenSet:
			sets = append(sets, e.Block)
		}
	})
	if err := l.SetChildren(parentCk, parent, 1, links(uint64(math.MaxUint64), child)); err != nil {
		t.Fatal(err)
	}
	stepTo := func(block uint64) {
		t.Helper()
		for l.Block() < block {
			if _, err := l.Step(); err != nil {
				t.Fatal(err)
			}
			checkInv(t, l)
		}
	}
	start := l.TotalHotkeyAlpha(parent, 1)
	// The epoch at 1020 runs before the children apply: the parent
	// earns nothing from it.
	stepTo(1019)
	if len(l.Children(parent, 1)) != 0 {
		t.Fatal("applied before the epoch")
	}
	stepTo(1020)
	if !slices.Equal(epochs, []uint64{1020}) || !slices.Equal(sets, []uint64{1020}) {
		t.Fatalf("epochs %v, children set at %v", epochs, sets)
	}
	wantLinks(t, "children", l.Children(parent, 1), links(uint64(math.MaxUint64), child))
	wantLinks(t, "parents", l.Parents(child, 1), links(uint64(math.MaxUint64), parent))
	if got := l.TotalHotkeyAlpha(parent, 1); got != start {
		t.Fatalf("the parent earned %d before its children applied", got-start)
	}
	childBefore := l.TotalHotkeyAlpha(child, 1)
	stepTo(1040)
	if !slices.Equal(epochs, []uint64{1020, 1040}) {
		t.Fatalf("epochs %v", epochs)
	}
	gain := l.TotalHotkeyAlpha(parent, 1) - start
	if gain == 0 {
		t.Fatal("the parent received no part of its child's dividends")
	}
	childGain := l.TotalHotkeyAlpha(child, 1) - childBefore
	if childGain == 0 {
		t.Fatal("the child earned nothing")
	}
	// The parent passes the child three times the child's own stake and
	// takes no childkey take: most of the child's dividends are its.
	if gain <= childGain {
		t.Fatalf("parent gain %d, child gain %d", gain, childGain)
	}
}

// Port of test_do_set_child_registration_disabled (tests/children.rs):
// children apply on a subnet closed to registrations.
func TestPortDoSetChildRegistrationDisabled(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	l.nets[1].Hyperparameters.NetworkRegistrationAllowed = false
	mockSetChildren(t, l, u256(1), u256(2), 1, links(uint64(1000), u256(3)))
	wantLinks(t, "children", l.Children(u256(2), 1), links(uint64(1000), u256(3)))
}
