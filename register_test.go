package dtao

import (
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// mockDefaultReserve is DEFAULT_RESERVE of pallets/subtensor/src/tests/mock.rs.
const mockDefaultReserve = 1_000_000_000_000

// mockRegParams are the registration values of the test mock
// (pallets/subtensor/src/tests/mock.rs): NetworkMinLockCost 100 TAO,
// NetworkLockReductionInterval 2 blocks, NetworkRateLimit 0.
func mockRegParams() *Params {
	p := DefaultParams()
	p.NetworkMinLockCost = mockMinLock
	p.NetworkLockReductionInterval = 2
	p.NetworkRateLimit = 0
	return &p
}

// mockLedger builds a ledger as new_test_ext does (existential deposit 1,
// the mock's parameters) at block, with the accounts and subnets the
// builder adds.
func mockLedger(t *testing.T, block uint64, b *Builder) *Ledger {
	t.Helper()
	g := b.ExistentialDeposit(mockED).Genesis()
	g.Block = block
	g.Params = mockRegParams()
	return mustLedger(t, g)
}

// mockAddNetwork is add_network (mock.rs) for a ledger: a subnet with
// no neuron and no owner hotkey, owned by U256::from(0), registration
// allowed, started, subtoken enabled, BurnHalfLife 1 and BurnIncreaseMult 1,
// with the given reserves (setup_reserves).
func mockAddNetwork(netuid units.NetUID, tao units.TAO, alpha units.Alpha) GenesisSubnet {
	st := subnet.DefaultHyperparameters()
	st.BurnHalfLife = 1
	st.BurnIncreaseMult = fixed.U64F64FromUint64(1)
	s := (&subnet.Subnet{NetUID: netuid, Owner: u256(0), Hyperparameters: st, Pool: mockPool(tao, alpha),
		Burn: subnet.NewSubnetBurn, Globals: subnet.DefaultGlobals()}).Storage()
	return GenesisSubnet{NetUID: netuid, Owner: u256(0), Pool: mockPool(tao, alpha), Storage: &s}
}

// mint credits a with amount as add_balance_to_coldkey_account does
// (the issuance grows with it).
func mint(l *Ledger, a units.AccountID, amount units.TAO) {
	l.putBalance(a, l.balances.cell(a), l.balance(a)+amount)
	l.totalIssuance += amount
}

func regCheckInv(t *testing.T, l *Ledger) {
	t.Helper()
	if err := l.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// Port of test_registration_ok (pallets/subtensor/src/tests/registration.rs):
// the neuron takes uid 0, the hotkey becomes the coldkey's, it has no
// stake, and SubnetTaoFlow records the burn. Besides: the coldkey pays
// exactly the burn, the subnet account receives it, TotalStake grows by
// it, the pool keeps it less the swap fee, which stays in the subnet
// account, and SubnetAlphaOut is unchanged (the alpha bought is destroyed).
func TestBurnedRegisterOK(t *testing.T) {
	netuid := units.NetUID(1)
	hotkey, coldkey := u256(1), u256(667)
	l := mockLedger(t, 0, NewBuilder().SubnetWith(mockAddNetwork(netuid, mockDefaultReserve, mockDefaultReserve)).
		Account(coldkey, 50_000))
	l.nets[netuid].Burn = 1_000
	before := l.subnets[netuid].Pool
	acctBefore := l.Balance(SubnetAccountID(netuid))
	stakeBefore := l.TotalStake()
	quote, err := before.Quote(amm.BuyOrder(1_000))
	if err != nil {
		t.Fatal(err)
	}

	uid, err := l.BurnedRegister(coldkey, hotkey, netuid)
	if err != nil {
		t.Fatal(err)
	}
	if uid != 0 || l.nets[netuid].N() != 1 {
		t.Fatalf("uid %d, n %d", uid, l.nets[netuid].N())
	}
	if c, ok := l.Owner(hotkey); !ok || c != coldkey {
		t.Fatalf("owner %x %v", c, ok)
	}
	if s := l.Stake(hotkey, coldkey, netuid); s != 0 {
		t.Fatalf("stake %d", s)
	}
	st, _ := l.Subnet(netuid)
	if st.TaoFlow != 1_000 {
		t.Fatalf("SubnetTaoFlow %d, want 1000", st.TaoFlow)
	}
	if b := l.Balance(coldkey); b != 49_000 {
		t.Fatalf("coldkey %d", b)
	}
	if d := l.Balance(SubnetAccountID(netuid)) - acctBefore; d != 1_000 {
		t.Fatalf("subnet account grew by %d", d)
	}
	if d := l.TotalStake() - stakeBefore; d != 1_000 {
		t.Fatalf("TotalStake grew by %d", d)
	}
	if st.Pool.TAO != before.TAO+1_000-quote.TAOFee {
		t.Fatalf("SubnetTAO %d, before %d, fee %d", st.Pool.TAO, before.TAO, quote.TAOFee)
	}
	if st.Pool.AlphaOut != before.AlphaOut || st.Pool.AlphaIn != before.AlphaIn-quote.Alpha {
		t.Fatalf("alpha in %d out %d", st.Pool.AlphaIn, st.Pool.AlphaOut)
	}
	if l.nets[netuid].Pool != st.Pool {
		t.Fatal("subnet pool copy out of step")
	}
	regCheckInv(t, l)
}

// Port of test_registration_disabled (registration.rs).
func TestBurnedRegisterDisabled(t *testing.T) {
	netuid := units.NetUID(1)
	l := mockLedger(t, 0, NewBuilder().SubnetWith(mockAddNetwork(netuid, mockDefaultReserve, mockDefaultReserve)).
		Account(u256(667), 1_000_000))
	l.nets[netuid].Hyperparameters.NetworkRegistrationAllowed = false
	_, err := l.BurnedRegister(u256(667), u256(1), netuid)
	wantChainErr(t, err, subnet.ErrSubNetRegistrationDisabled)
}

// Port of test_registration_root_not_permitted (registration.rs).
func TestBurnedRegisterRootNotPermitted(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder().Root(1_000_000).Account(u256(2), 1_000_000))
	_, err := l.BurnedRegister(u256(2), u256(1), RootNetUID)
	wantChainErr(t, err, subnet.ErrRegistrationNotPermittedOnRootSubnet)
}

// do_register checks the subnet's existence right after the root netuid.
func TestBurnedRegisterSubnetNotExists(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder().Account(u256(2), 1_000_000))
	_, err := l.BurnedRegister(u256(2), u256(1), 7)
	wantChainErr(t, err, ErrSubnetNotExists)
}

// Port of test_registration_not_enough_balance (registration.rs): the burn
// is 10_000, the coldkey holds 9_999.
func TestBurnedRegisterNotEnoughBalance(t *testing.T) {
	netuid := units.NetUID(1)
	l := mockLedger(t, 0, NewBuilder().SubnetWith(mockAddNetwork(netuid, mockDefaultReserve, mockDefaultReserve)).
		Account(u256(667), 9_999))
	l.nets[netuid].Burn = 10_000
	h := l.StateHash()
	_, err := l.BurnedRegister(u256(667), u256(1), netuid)
	wantChainErr(t, err, subnet.ErrNotEnoughBalanceToStake)
	if l.nets[netuid].N() != 0 || l.StateHash() != h {
		t.Fatal("a failed registration changed the state")
	}
}

// Port of test_registration_non_associated_coldkey (registration.rs).
func TestBurnedRegisterNonAssociatedColdkey(t *testing.T) {
	netuid := units.NetUID(1)
	l := mockLedger(t, 0, NewBuilder().SubnetWith(mockAddNetwork(netuid, mockDefaultReserve, mockDefaultReserve)).
		Hotkey(u256(1), u256(111)).Account(u256(111), 1).Account(u256(222), 50_000))
	l.nets[netuid].Burn = 1_000
	_, err := l.BurnedRegister(u256(222), u256(1), netuid)
	wantChainErr(t, err, subnet.ErrNonAssociatedColdKey)
	if l.nets[netuid].N() != 0 {
		t.Fatal("neuron added")
	}
}

// Port of test_registration_without_neuron_slot_doesnt_burn
// (registration.rs): MaxAllowedUids 0 fails before any payment.
func TestBurnedRegisterWithoutSlotDoesntBurn(t *testing.T) {
	netuid := units.NetUID(1)
	l := mockLedger(t, 0, NewBuilder().SubnetWith(mockAddNetwork(netuid, mockDefaultReserve, mockDefaultReserve)).
		Account(u256(667), 10_000))
	l.nets[netuid].Burn = 1_000
	l.nets[netuid].Hyperparameters.MaxAllowedUids = 0
	_, err := l.BurnedRegister(u256(667), u256(1), netuid)
	wantChainErr(t, err, subnet.ErrNoNeuronIdAvailable)
	if l.Balance(u256(667)) != 10_000 || l.nets[netuid].N() != 0 {
		t.Fatal("state changed")
	}
}

// Port of test_registration_already_active_hotkey_error (registration.rs).
func TestBurnedRegisterAlreadyActiveHotkey(t *testing.T) {
	netuid := units.NetUID(1)
	l := mockLedger(t, 0, NewBuilder().SubnetWith(mockAddNetwork(netuid, mockDefaultReserve, mockDefaultReserve)).
		Account(u256(667), 1_000_000))
	l.nets[netuid].Burn = 1_000
	if _, err := l.BurnedRegister(u256(667), u256(1), netuid); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Step(); err != nil {
		t.Fatal(err)
	}
	_, err := l.BurnedRegister(u256(667), u256(1), netuid)
	wantChainErr(t, err, subnet.ErrHotKeyAlreadyRegisteredInSubNet)
	regCheckInv(t, l)
}

// register_limit (do_register_limit, registration.rs): a burn above the
// limit is refused before anything else of do_register; at the limit the
// registration goes through.
func TestRegisterLimit(t *testing.T) {
	netuid := units.NetUID(1)
	l := mockLedger(t, 0, NewBuilder().SubnetWith(mockAddNetwork(netuid, mockDefaultReserve, mockDefaultReserve)).
		Account(u256(667), 1_000_000))
	l.nets[netuid].Burn = 1_000
	_, err := l.RegisterLimit(u256(667), u256(1), netuid, 999)
	wantChainErr(t, err, subnet.ErrRegistrationPriceLimitExceeded)
	_, err = l.RegisterLimit(u256(667), u256(1), RootNetUID, 0)
	wantChainErr(t, err, subnet.ErrRegistrationNotPermittedOnRootSubnet)
	if _, err := l.RegisterLimit(u256(667), u256(1), netuid, 1_000); err != nil {
		t.Fatal(err)
	}
	if l.Balance(u256(667)) != 999_000 {
		t.Fatalf("balance %d", l.Balance(u256(667)))
	}
}

// Port of test_registration_increases_recycled_rao_per_subnet
// (registration.rs): RAORecycledForRegistration grows by each price paid,
// and the price is bumped by BurnIncreaseMult at once (1.26 by default:
// 1_000 then 1_260).
func TestBurnedRegisterRecycledAndBump(t *testing.T) {
	netuid := units.NetUID(1)
	g := mockAddNetwork(netuid, mockDefaultReserve, mockDefaultReserve)
	g.Storage.Hyperparameters.BurnIncreaseMult = subnet.DefaultHyperparameters().BurnIncreaseMult
	g.Storage.Hyperparameters.MinBurn = 1
	l := mockLedger(t, 0, NewBuilder().SubnetWith(g).Account(u256(667), 1_000_000))
	l.nets[netuid].Burn = 1_000
	for i, h := range []units.AccountID{u256(1), u256(2)} {
		if _, err := l.BurnedRegister(u256(667), h, netuid); err != nil {
			t.Fatal(i, err)
		}
	}
	if r := l.nets[netuid].RAORecycled; r != 2_260 {
		t.Fatalf("RAORecycledForRegistration %d, want 2260", r)
	}
	if b, _ := l.Burn(netuid); b != 1_587 {
		t.Fatalf("burn %d, want floor(1260·1.26) = 1587", b)
	}
	if l.Balance(u256(667)) != 1_000_000-2_260 {
		t.Fatalf("balance %d", l.Balance(u256(667)))
	}
	regCheckInv(t, l)
}

// A registration on a full subnet replaces a neuron (replace_neuron,
// subnets/uids.rs): the replaced hotkey keeps its owner and its stake.
func TestBurnedRegisterReplacedHotkeyKeepsStake(t *testing.T) {
	netuid := units.NetUID(1)
	g := mockAddNetwork(netuid, mockDefaultReserve, mockDefaultReserve)
	g.Storage.Hyperparameters.MaxAllowedUids = 1
	g.Storage.Hyperparameters.MinAllowedUids = 1
	g.Storage.Hyperparameters.ImmunityPeriod = 0
	g.Storage.Hyperparameters.MinNonImmuneUids = 0
	l := mockLedger(t, 0, NewBuilder().SubnetWith(g).Account(u256(667), 1_000_000).
		Hotkey(u256(1), u256(667)).Stake(u256(1), u256(667), netuid, 5_000))
	l.nets[netuid].Burn = 1_000
	if _, err := l.BurnedRegister(u256(667), u256(1), netuid); err != nil {
		t.Fatal(err)
	}
	uid, err := l.BurnedRegister(u256(667), u256(2), netuid)
	if err != nil {
		t.Fatal(err)
	}
	if hs, _ := l.Neurons(netuid); uid != 0 || len(hs) != 1 || hs[0] != u256(2) {
		t.Fatalf("uid %d neurons %x", uid, hs)
	}
	if s := l.Stake(u256(1), u256(667), netuid); s != 5_000 {
		t.Fatalf("replaced hotkey's stake %d", s)
	}
	if c, ok := l.Owner(u256(1)); !ok || c != u256(667) {
		t.Fatal("replaced hotkey lost its owner")
	}
	regCheckInv(t, l)
}

// A registration whose payment fails after Subnet.Register succeeded
// (here: signed by a subnet account) leaves everything as it was.
func TestBurnedRegisterBadOriginChangesNothing(t *testing.T) {
	netuid := units.NetUID(1)
	l := mockLedger(t, 0, NewBuilder().SubnetWith(mockAddNetwork(netuid, mockDefaultReserve, mockDefaultReserve)))
	sn := l.nets[netuid].Clone()
	h := l.StateHash()
	_, err := l.BurnedRegister(SubnetAccountID(netuid), u256(1), netuid)
	wantChainErr(t, err, ErrBadOrigin)
	if l.StateHash() != h || !l.nets[netuid].Equal(sn) {
		t.Fatal("state changed")
	}
}

// do_register buys alpha with swap_tao_for_alpha and, unlike
// stake_into_subnet, pays no block author: the swap fee of the default
// 1 TAO burn stays in the subnet account, outside SubnetTAO.
func TestBurnedRegisterFeeStaysInSubnetAccount(t *testing.T) {
	netuid := units.NetUID(1)
	author := u256(99)
	l := mockLedger(t, 0, NewBuilder().SubnetWith(mockAddNetwork(netuid, mockDefaultReserve, mockDefaultReserve)).
		Account(u256(667), 10_000_000_000).Account(author, 1).BlockAuthor(author))
	pool := l.subnets[netuid].Pool
	q, err := pool.Quote(amm.BuyOrder(subnet.NewSubnetBurn))
	if err != nil {
		t.Fatal(err)
	}
	acct := l.Balance(SubnetAccountID(netuid))
	if _, err := l.BurnedRegister(u256(667), u256(1), netuid); err != nil {
		t.Fatal(err)
	}
	st, _ := l.Subnet(netuid)
	if q.TAOFee == 0 || st.Pool.TAO != pool.TAO+subnet.NewSubnetBurn-q.TAOFee {
		t.Fatalf("SubnetTAO %d, fee %d", st.Pool.TAO, q.TAOFee)
	}
	if got := l.Balance(SubnetAccountID(netuid)); got != acct+subnet.NewSubnetBurn {
		t.Fatalf("subnet account %d, want %d", got, acct+subnet.NewSubnetBurn)
	}
	if l.Balance(author) != 1 {
		t.Fatal("the block author was paid")
	}
	regCheckInv(t, l)
}
