package dtao

import (
	"testing"

	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/units"
)

// takeLedger is the take tests' setup (tests/staking.rs): hotkey u256(1)
// owned by coldkey u256(3) with delegate take take (Delegates::insert), at
// block 1, the mock's parameters.
func takeLedger(t *testing.T, take uint16) *Ledger {
	t.Helper()
	p := mockChildParams()
	g := NewBuilder().ExistentialDeposit(mockED).Hotkey(u256(1), u256(3)).Account(u256(3), 100_000).
		SubnetWith(GenesisSubnet{NetUID: 1, Owner: u256(1001), OwnerHotkey: u256(1002),
			Pool: mockPool(1_000_000_000_000, 1_000_000_000_000)}).Genesis()
	g.Block, g.Params = 1, &p
	g.Delegates = []GenesisTake{{Hotkey: u256(1), Take: take}}
	return mustLedger(t, g)
}

func wantTake(t *testing.T, l *Ledger, want uint16) {
	t.Helper()
	if got := l.DelegateTake(u256(1)); got != want {
		t.Fatalf("take %d, want %d", got, want)
	}
}

// Port of test_delegate_take_can_be_decreased (tests/staking.rs): not
// below the minimum.
func TestPortDelegateTakeCanBeDecreased(t *testing.T) {
	l := takeLedger(t, 5_898)
	wantChainErr(t, l.DecreaseTake(u256(3), u256(1), 65535/20), ErrDelegateTakeTooLow)
	wantTake(t, l, 5_898)
}

// Port of test_can_set_min_take_ok (tests/staking.rs).
func TestPortCanSetMinTakeOk(t *testing.T) {
	l := takeLedger(t, 65535/10)
	if err := l.DecreaseTake(u256(3), u256(1), 5_898); err != nil {
		t.Fatal(err)
	}
	wantTake(t, l, 5_898)
}

// Port of test_delegate_take_can_not_be_increased_with_decrease_take
// (tests/staking.rs).
func TestPortDelegateTakeCanNotBeIncreasedWithDecreaseTake(t *testing.T) {
	l := takeLedger(t, 5_898)
	wantChainErr(t, l.DecreaseTake(u256(3), u256(1), 11_796), ErrDelegateTakeTooLow)
	wantChainErr(t, l.DecreaseTake(u256(3), u256(1), 5_898), ErrDelegateTakeTooLow) // equal is not a decrease
	wantTake(t, l, 5_898)
}

// Ports of test_delegate_take_can_be_increased and
// test_delegate_take_can_be_increased_to_limit (tests/staking.rs).
func TestPortDelegateTakeCanBeIncreased(t *testing.T) {
	for _, take := range []uint16{65535 / 8, emission.DefaultDelegateTake} {
		l := takeLedger(t, 5_898)
		setBlock(l, l.Block()+2) // step_block(1 + InitialTxDelegateTakeRateLimit)
		if err := l.IncreaseTake(u256(3), u256(1), take); err != nil {
			t.Fatal(err)
		}
		wantTake(t, l, take)
	}
}

// Port of test_delegate_take_can_not_be_decreased_with_increase_take
// (tests/staking.rs).
func TestPortDelegateTakeCanNotBeDecreasedWithIncreaseTake(t *testing.T) {
	l := takeLedger(t, 5_898)
	wantChainErr(t, l.IncreaseTake(u256(3), u256(1), 65535/20), ErrDelegateTakeTooLow)
	wantChainErr(t, l.IncreaseTake(u256(3), u256(1), 5_898), ErrDelegateTakeTooLow)
	wantTake(t, l, 5_898)
}

// Port of test_delegate_take_can_not_be_increased_beyond_limit
// (tests/staking.rs).
func TestPortDelegateTakeCanNotBeIncreasedBeyondLimit(t *testing.T) {
	l := takeLedger(t, 5_898)
	wantChainErr(t, l.IncreaseTake(u256(3), u256(1), emission.DefaultDelegateTake+1), ErrDelegateTakeTooHigh)
	wantTake(t, l, 5_898)
}

// Port of test_rate_limits_enforced_on_increase_take (tests/staking.rs).
func TestPortRateLimitsEnforcedOnIncreaseTake(t *testing.T) {
	l := takeLedger(t, 5_898)
	if err := l.IncreaseTake(u256(3), u256(1), 5_899); err != nil {
		t.Fatal(err)
	}
	wantChainErr(t, l.IncreaseTake(u256(3), u256(1), 5_900), ErrDelegateTxRateLimitExceeded)
	wantTake(t, l, 5_899)
	setBlock(l, l.Block()+1) // within the limit: block − last ≤ limit
	wantChainErr(t, l.IncreaseTake(u256(3), u256(1), 5_900), ErrDelegateTxRateLimitExceeded)
	setBlock(l, l.Block()+1)
	if err := l.IncreaseTake(u256(3), u256(1), 5_900); err != nil {
		t.Fatal(err)
	}
	wantTake(t, l, 5_900)
}

// Port of test_rate_limits_enforced_on_decrease_before_increase_take
// (tests/staking.rs).
func TestPortRateLimitsEnforcedOnDecreaseBeforeIncreaseTake(t *testing.T) {
	l := takeLedger(t, 5_899)
	if err := l.DecreaseTake(u256(3), u256(1), 5_898); err != nil {
		t.Fatal(err)
	}
	wantTake(t, l, 5_898)
	wantChainErr(t, l.IncreaseTake(u256(3), u256(1), 5_899), ErrDelegateTxRateLimitExceeded)
	wantTake(t, l, 5_898)
	setBlock(l, l.Block()+2)
	if err := l.IncreaseTake(u256(3), u256(1), 5_899); err != nil {
		t.Fatal(err)
	}
	wantTake(t, l, 5_899)
}

// TestTakeChecks: do_take_checks (utils/misc.rs) before the take rules,
// and a hotkey without a Delegates entry reads the default and may set
// any take in range.
func TestTakeChecks(t *testing.T) {
	l := takeLedger(t, 5_898)
	wantChainErr(t, l.IncreaseTake(u256(3), u256(9), 6_000), ErrHotKeyAccountNotExists)
	wantChainErr(t, l.DecreaseTake(u256(3), u256(9), 6_000), ErrHotKeyAccountNotExists)
	wantChainErr(t, l.IncreaseTake(u256(4), u256(1), 6_000), ErrNonAssociatedColdKey)
	wantChainErr(t, l.DecreaseTake(u256(4), u256(1), 0), ErrNonAssociatedColdKey)
	l.owner[u256(5)] = u256(3)
	if got := l.DelegateTake(u256(5)); got != emission.DefaultDelegateTake {
		t.Fatalf("default take %d", got)
	}
	if err := l.DecreaseTake(u256(3), u256(5), emission.DefaultDelegateTake); err != nil {
		t.Fatal(err) // no stored take: not compared
	}
	if got := l.DelegateTake(u256(5)); got != emission.DefaultDelegateTake {
		t.Fatalf("take %d", got)
	}
	wantChainErr(t, l.DecreaseTake(u256(3), u256(5), 5_000), ErrDelegateTakeTooLow)
	checkInv(t, l)
}

// Ports of test_childkey_take_functionality,
// test_do_set_childkey_take_success,
// test_do_set_childkey_take_non_associated_coldkey and
// test_do_set_childkey_take_invalid_take_value (tests/children.rs).
func TestPortChildkeyTakeFunctionality(t *testing.T) {
	l := childLedger(t, mockChildParams(), 1)
	ck, hk := u256(1), u256(2)
	if got := l.ChildkeyTake(hk, 1); got != l.Params().MinChildkeyTake {
		t.Fatalf("default childkey take %d", got)
	}
	take := l.Params().MaxChildkeyTake / 2
	if err := l.SetChildkeyTake(ck, hk, 1, take); err != nil {
		t.Fatal(err)
	}
	if got := l.ChildkeyTake(hk, 1); got != take {
		t.Fatalf("take %d", got)
	}
	if got := l.rateLimits[RateLimitKey{Kind: RateLimitChildkeyTake, Account: hk, NetUID: 1}]; got != l.Block() {
		t.Fatalf("last block %d", got)
	}
	h := l.StateHash()
	wantChainErr(t, l.SetChildkeyTake(ck, hk, 1, l.Params().MaxChildkeyTake+1), ErrInvalidChildkeyTake)
	wantChainErr(t, l.SetChildkeyTake(u256(999), hk, 1, take), ErrNonAssociatedColdKey)
	wantChainErr(t, l.SetChildkeyTake(ck, u256(3), 1, take), ErrNonAssociatedColdKey)
	if l.StateHash() != h || l.ChildkeyTake(hk, 1) != take {
		t.Fatal("a failed call changed the state")
	}
}

// TestChildkeyTakeMinimum follows test_childkey_take_respects_effective_subnet_minimum
// (tests/children.rs) with the chain-wide MinChildkeyTake as the minimum.
func TestChildkeyTakeMinimum(t *testing.T) {
	p := mockChildParams()
	p.MinChildkeyTake = p.MaxChildkeyTake / 2
	l := childLedger(t, p, 1)
	ck, hk := u256(1), u256(2)
	if got := l.ChildkeyTake(hk, 1); got != p.MinChildkeyTake {
		t.Fatalf("take %d", got)
	}
	wantChainErr(t, l.SetChildkeyTake(ck, hk, 1, p.MinChildkeyTake-1), ErrInvalidChildkeyTake)
	if err := l.SetChildkeyTake(ck, hk, 1, p.MinChildkeyTake); err != nil {
		t.Fatal(err)
	}
	l.childkeyTake[stakeKey{hk, 1}] = p.MinChildkeyTake - 1
	if got := l.ChildkeyTake(hk, 1); got != p.MinChildkeyTake {
		t.Fatalf("take %d", got)
	}
}

// Ports of test_childkey_take_rate_limiting and
// test_do_set_childkey_take_rate_limit_exceeded (tests/children.rs).
func TestPortChildkeyTakeRateLimiting(t *testing.T) {
	p := mockChildParams()
	p.TxChildkeyTakeRateLimit = 100
	l := childLedger(t, p, 1)
	ck, hk := u256(1), u256(2)
	if err := l.SetChildkeyTake(ck, hk, 1, 500); err != nil {
		t.Fatal(err)
	}
	wantChainErr(t, l.SetChildkeyTake(ck, hk, 1, 600), ErrTxChildkeyTakeRateLimitExceeded)
	setBlock(l, 99) // run_to_block(rate_limit - 1)
	wantChainErr(t, l.SetChildkeyTake(ck, hk, 1, 650), ErrTxChildkeyTakeRateLimitExceeded)
	// A decrease is not limited, and records its block.
	if err := l.SetChildkeyTake(ck, hk, 1, 400); err != nil {
		t.Fatal(err)
	}
	setBlock(l, 99+99)
	wantChainErr(t, l.SetChildkeyTake(ck, hk, 1, 700), ErrTxChildkeyTakeRateLimitExceeded)
	setBlock(l, 99+100)
	if err := l.SetChildkeyTake(ck, hk, 1, 700); err != nil {
		t.Fatal(err)
	}
	if got := l.ChildkeyTake(hk, 1); got != 700 {
		t.Fatalf("take %d", got)
	}
}

// Port of test_multiple_networks_childkey_take (tests/children.rs): one
// take per subnet, each rate limited on its own subnet.
func TestPortMultipleNetworksChildkeyTake(t *testing.T) {
	var ids []units.NetUID
	for id := units.NetUID(1); id < 10; id++ {
		ids = append(ids, id)
	}
	l := childLedger(t, mockChildParams(), ids...)
	ck, hk := u256(1), u256(2)
	for _, id := range ids {
		take := uint16(id+1) * 100
		if err := l.SetChildkeyTake(ck, hk, id, take); err != nil {
			t.Fatal(err)
		}
		if got := l.ChildkeyTake(hk, id); got != take {
			t.Fatalf("netuid %d: take %d, want %d", id, got, take)
		}
	}
	wantChainErr(t, l.SetChildkeyTake(ck, hk, 1, 1100), ErrTxChildkeyTakeRateLimitExceeded)
	setBlock(l, l.Params().TxChildkeyTakeRateLimit+1)
	if err := l.SetChildkeyTake(ck, hk, 1, 1100); err != nil {
		t.Fatal(err)
	}
	if got := l.ChildkeyTake(hk, 1); got != 1100 {
		t.Fatalf("take %d", got)
	}
}
