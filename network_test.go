package dtao

import (
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// mockAddDynamicNetwork is add_dynamic_network (pallets/subtensor/src/tests/mock.rs):
// the coldkey is credited exactly the lock cost, registers the subnet
// (so that, with the mock's existential deposit of 1, the lock moved is
// the cost less 1 rao), and the subnet is then started with its subtoken
// enabled, BurnHalfLife 1 and BurnIncreaseMult 1. The pool takes the
// mock's SwapMinimumReserve, 100.
func mockAddDynamicNetwork(t *testing.T, l *Ledger, hot, cold units.AccountID) units.NetUID {
	t.Helper()
	mint(l, cold, l.NetworkLockCost())
	netuid, err := l.RegisterNetwork(cold, hot)
	if err != nil {
		t.Fatal(err)
	}
	st := l.subnets[netuid]
	st.Started, st.FirstEmissionBlock, st.SubtokenEnabled = true, 0, true
	st.Pool.MinReserve = 100
	h := &l.nets[netuid].Hyperparameters
	h.BurnHalfLife, h.BurnIncreaseMult = 1, fixed.U64F64FromUint64(1)
	return netuid
}

// setupReserves is setup_reserves (mock.rs): SubnetTAO and SubnetAlphaIn.
func setupReserves(l *Ledger, netuid units.NetUID, tao units.TAO, alpha units.Alpha) {
	l.subnets[netuid].Pool.TAO, l.subnets[netuid].Pool.AlphaIn = tao, alpha
}

// Port of test_register_subnet_low_lock_cost (pallets/subtensor/src/tests/networks.rs):
// NetworkMinLockCost and NetworkLastLockCost 1_000 rao at block 1. The
// coldkey holds exactly the cost, so 1 rao stays with it; the pool is
// seeded with the minimum, the lock cost, at price 1.
func TestRegisterSubnetLowLockCost(t *testing.T) {
	g := NewBuilder().ExistentialDeposit(mockED).Genesis()
	g.Block = 1
	g.Params = mockRegParams()
	g.Params.NetworkMinLockCost = 1_000
	g.NetworkLastLockCost = 1_000
	l := mustLedger(t, g)
	lock := l.NetworkLockCost()
	if lock != 1_000 {
		t.Fatalf("lock cost %d, want 1000", lock)
	}
	netuid := mockAddDynamicNetwork(t, l, u256(2), u256(1))
	st, _ := l.Subnet(netuid)
	if st.Pool.TAO != lock || st.Pool.AlphaIn != units.Alpha(lock) {
		t.Fatalf("SubnetTAO %d SubnetAlphaIn %d, want %d", st.Pool.TAO, st.Pool.AlphaIn, lock)
	}
	// The chain's SubnetLocked and the subnet account hold what moved.
	if st.Locked != 999 || l.Balance(SubnetAccountID(netuid)) != 999 || l.Balance(u256(1)) != 1 {
		t.Fatalf("locked %d account %d coldkey %d", st.Locked, l.Balance(SubnetAccountID(netuid)), l.Balance(u256(1)))
	}
}

// Port of test_register_subnet_high_lock_cost (networks.rs): 1000 TAO.
func TestRegisterSubnetHighLockCost(t *testing.T) {
	g := NewBuilder().ExistentialDeposit(mockED).Genesis()
	g.Block = 1
	g.Params = mockRegParams()
	g.Params.NetworkMinLockCost = 1_000_000_000_000
	g.NetworkLastLockCost = 1_000_000_000_000
	l := mustLedger(t, g)
	lock := l.NetworkLockCost()
	if lock != 1_000_000_000_000 {
		t.Fatalf("lock cost %d", lock)
	}
	netuid := mockAddDynamicNetwork(t, l, u256(2), u256(1))
	st, _ := l.Subnet(netuid)
	if st.Pool.TAO != lock || st.Pool.AlphaIn != units.Alpha(lock) {
		t.Fatalf("SubnetTAO %d SubnetAlphaIn %d", st.Pool.TAO, st.Pool.AlphaIn)
	}
}

// Port of register_network_seeds_first_subnet_from_fallback_price_one_and_keeps_lock_in_pool
// (networks.rs): with no subnet the median price is 1, the whole lock is
// the pool's TAO and its alpha, nothing is staked or recycled, the owner
// hotkey holds uid 0 and no stake, and NetworkAdded is the last event.
func TestRegisterNetworkSeedsFirstSubnetAtPriceOne(t *testing.T) {
	l := mockLedger(t, 1, NewBuilder())
	if m := l.medianAlphaPrice(RootNetUID); m != fixed.U64F64FromUint64(1) {
		t.Fatalf("median %v", m)
	}
	lock := l.NetworkLockCost()
	if lock != mockMinLock {
		t.Fatalf("lock %d", lock)
	}
	cold, hot := u256(1001), u256(1002)
	mint(l, cold, 2*lock)
	var last Event
	l.OnEvent(func(e Event) { last = e })
	stakeBefore := l.TotalStake()
	netuid, err := l.RegisterNetwork(cold, hot)
	if err != nil {
		t.Fatal(err)
	}
	if netuid != 1 {
		t.Fatalf("netuid %d", netuid)
	}
	st, _ := l.Subnet(netuid)
	if st.Owner != cold || st.OwnerHotkey != hot || st.Locked != lock {
		t.Fatalf("owner %x hotkey %x locked %d", st.Owner, st.OwnerHotkey, st.Locked)
	}
	if st.Pool.TAO != lock || st.Pool.AlphaIn != units.Alpha(lock) || st.Pool.AlphaOut != 0 {
		t.Fatalf("pool %+v", st.Pool)
	}
	if l.Stake(hot, cold, netuid) != 0 || l.TotalHotkeyAlpha(hot, netuid) != 0 {
		t.Fatal("owner stake")
	}
	if p := st.Pool.Price().U64F64(); p != fixed.U64F64FromUint64(1) {
		t.Fatalf("price %v", p)
	}
	if last.Kind != EventNetworkAdded || last.NetUID != netuid || last.TAO != lock {
		t.Fatalf("last event %+v", last)
	}
	if d := l.TotalStake() - stakeBefore; d != lock {
		t.Fatalf("TotalStake grew by %d", d)
	}
	if l.Balance(cold) != lock || l.Balance(SubnetAccountID(netuid)) != lock {
		t.Fatalf("coldkey %d subnet account %d", l.Balance(cold), l.Balance(SubnetAccountID(netuid)))
	}
	if c, ok := l.Owner(hot); !ok || c != cold {
		t.Fatal("owner hotkey not recorded")
	}
	if hs, _ := l.Neurons(netuid); len(hs) != 1 || hs[0] != hot {
		t.Fatalf("neurons %x", hs)
	}
	// New subnets: not started, subtoken and emission off, tempo 360
	// staggered by netuid mod tempo, last lock recorded.
	if st.Started || st.SubtokenEnabled || !st.EmissionDisabled || st.RegisteredAt != 1 ||
		st.Schedule.Tempo != 360 || st.Schedule.LastEpochBlock != 0 ||
		st.EMAPriceHalvingBlocks != amm.DefaultEMAPriceHalvingBlocks || st.Pool.Initialized {
		t.Fatalf("state %+v", st)
	}
	if c, b := l.LastLockCost(); c != lock || b != 1 {
		t.Fatalf("last lock %d at %d", c, b)
	}
}

// Port of register_network_seeds_new_subnet_from_even_median_snapshot
// (networks.rs): prices {5, 2} give the median 3.5; the new pool holds
// the lock and floor(lock/3.5) alpha, whose price becomes the new median.
func TestRegisterNetworkSeedsFromEvenMedian(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	n1 := mockAddDynamicNetwork(t, l, u256(1201), u256(1200))
	n2 := mockAddDynamicNetwork(t, l, u256(1203), u256(1202))
	setupReserves(l, n1, 500, 100)
	setupReserves(l, n2, 200, 100)
	want := fixed.U64F64FromRatio(7, 2)
	if m := l.medianAlphaPrice(RootNetUID); m != want {
		t.Fatalf("median %v", m)
	}
	lock := l.NetworkLockCost()
	if lock != mockMinLock {
		t.Fatalf("lock %d", lock)
	}
	cold := u256(1300)
	mint(l, cold, 2*lock)
	netuid, err := l.RegisterNetwork(cold, u256(1301))
	if err != nil {
		t.Fatal(err)
	}
	if netuid != 3 {
		t.Fatalf("netuid %d", netuid)
	}
	st, _ := l.Subnet(netuid)
	// floor(100_000_000_000 / 3.5) = 28_571_428_571.
	if st.Pool.TAO != lock || st.Pool.AlphaIn != 28_571_428_571 || st.Pool.AlphaOut != 0 || st.Locked != lock {
		t.Fatalf("pool %+v locked %d", st.Pool, st.Locked)
	}
	price := st.Pool.Price().U64F64()
	if price.Less(want) || price == fixed.U64F64FromUint64(1) {
		t.Fatalf("new price %v", price)
	}
	if m := l.medianAlphaPrice(RootNetUID); m != price {
		t.Fatalf("median after %v, want the new price %v", m, price)
	}
}

// Port of median_subnet_alpha_price_returns_one_when_no_eligible_subnet_prices
// (networks.rs): no subnet, or only root and a zero-priced subnet, give 1.
// (The NetworksAdded=false case has no ledger equivalent.)
func TestMedianAlphaPriceOneWithoutPrices(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder().Root(1_000))
	one := fixed.U64F64FromUint64(1)
	if m := l.medianAlphaPrice(RootNetUID); m != one {
		t.Fatalf("median %v", m)
	}
	n := mockAddDynamicNetwork(t, l, u256(102), u256(101))
	setupReserves(l, n, 0, 100)
	if !l.subnets[n].Pool.Price().IsZero() {
		t.Fatal("price not zero")
	}
	if m := l.medianAlphaPrice(RootNetUID); m != one {
		t.Fatalf("median %v", m)
	}
}

// Port of median_subnet_alpha_price_returns_middle_value_for_odd_unsorted_prices
// (networks.rs): prices 7, 2, 5 give 5.
func TestMedianAlphaPriceOdd(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	for i, tao := range []units.TAO{700, 200, 500} {
		n := mockAddDynamicNetwork(t, l, u256(uint64(201+2*i)), u256(uint64(200+2*i)))
		setupReserves(l, n, tao, 100)
	}
	if m := l.medianAlphaPrice(RootNetUID); m != fixed.U64F64FromUint64(5) {
		t.Fatalf("median %v", m)
	}
}

// Port of median_subnet_alpha_price_averages_even_prices_and_ignores_root_zero_and_unadded
// (networks.rs): root (price 1) and a zero price are ignored; {2, 8}
// give 5.
func TestMedianAlphaPriceEven(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder().Root(1_000))
	for i, tao := range []units.TAO{200, 800, 0} {
		n := mockAddDynamicNetwork(t, l, u256(uint64(301+2*i)), u256(uint64(300+2*i)))
		setupReserves(l, n, tao, 100)
	}
	if m := l.medianAlphaPrice(RootNetUID); m != fixed.U64F64FromUint64(5) {
		t.Fatalf("median %v", m)
	}
}

// Port of prune_none_with_no_networks (networks.rs).
func TestPruneNoneWithNoNetworks(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	if _, ok := l.NetworkToPrune(); ok {
		t.Fatal("a network to prune")
	}
}

// Port of prune_none_when_all_networks_immune (networks.rs).
func TestPruneNoneWhenAllImmune(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	mockAddDynamicNetwork(t, l, u256(2), u256(1))
	mockAddDynamicNetwork(t, l, u256(4), u256(3))
	if _, ok := l.NetworkToPrune(); ok {
		t.Fatal("a network to prune")
	}
}

// Port of prune_selects_network_with_lowest_price (networks.rs).
func TestPruneSelectsLowestPrice(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	n1 := mockAddDynamicNetwork(t, l, u256(20), u256(10))
	n2 := mockAddDynamicNetwork(t, l, u256(40), u256(30))
	l.block = l.params.NetworkImmunityPeriod + 10
	l.subnets[n1].MovingPrice = fixed.I96F32FromUint64(1)
	l.subnets[n2].MovingPrice = fixed.I96F32FromUint64(10)
	if n, ok := l.NetworkToPrune(); !ok || n != n1 {
		t.Fatalf("prune %d %v", n, ok)
	}
}

// Port of prune_ignores_immune_network_even_if_lower_price (networks.rs).
func TestPruneIgnoresImmune(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	n1 := mockAddDynamicNetwork(t, l, u256(22), u256(11))
	imm := l.params.NetworkImmunityPeriod
	l.block = imm + 5
	n2 := mockAddDynamicNetwork(t, l, u256(44), u256(33))
	l.subnets[n1].MovingPrice = fixed.I96F32FromUint64(5)
	l.subnets[n2].MovingPrice = fixed.I96F32FromUint64(1)
	l.block = imm + 10
	if n, ok := l.NetworkToPrune(); !ok || n != n1 {
		t.Fatalf("prune %d %v", n, ok)
	}
}

// Port of prune_tie_on_price_earlier_registration_wins (networks.rs).
func TestPruneTieEarlierRegistrationWins(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	n1 := mockAddDynamicNetwork(t, l, u256(66), u256(55))
	l.block = 1
	n2 := mockAddDynamicNetwork(t, l, u256(88), u256(77))
	l.block = l.params.NetworkImmunityPeriod + 20
	l.subnets[n1].MovingPrice = fixed.I96F32FromUint64(7)
	l.subnets[n2].MovingPrice = fixed.I96F32FromUint64(7)
	if n, ok := l.NetworkToPrune(); !ok || n != n1 {
		t.Fatalf("prune %d %v", n, ok)
	}
}

// NetworksAdded iterates in the storage order of its Identity u16 key
// (little-endian bytes): on a tie of price and registration block,
// netuid 256 (bytes 00 01) comes before netuid 1 (01 00).
func TestPruneStorageOrderTie(t *testing.T) {
	l := mockLedger(t, 2_000_000, NewBuilder().
		Subnet(1, u256(1), u256(2), 1_000_000_000, 1_000_000_000).
		Subnet(256, u256(3), u256(4), 1_000_000_000, 1_000_000_000))
	if n, ok := l.NetworkToPrune(); !ok || n != 256 {
		t.Fatalf("prune %d %v", n, ok)
	}
}

// Port of register_network_prunes_and_recycles_netuid (networks.rs): at a
// SubnetLimit of 2, past the immunity period, the registration prunes
// n1 (equal moving prices, equal blocks: the first in storage order) and
// takes its netuid; n2 is untouched. The pruned subnet's account keeps
// the existential deposit, to which the new lock is added.
func TestRegisterNetworkPrunesAndRecyclesNetUID(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	l.params.SubnetLimit = 2
	n1 := mockAddDynamicNetwork(t, l, u256(22), u256(21))
	n2 := mockAddDynamicNetwork(t, l, u256(24), u256(23))
	mint(l, SubnetAccountID(n1), 100_000_000_000)
	mint(l, SubnetAccountID(n2), 100_000_000_000)
	l.block = l.params.NetworkImmunityPeriod + 100
	newCold, newHot := u256(30), u256(31)
	needed := l.NetworkLockCost()
	mint(l, newCold, 10*needed)
	issuance := l.TotalIssuance()
	n1Account := l.Balance(SubnetAccountID(n1))
	var events []Event
	l.OnEvent(func(e Event) { events = append(events, e) })

	netuid, err := l.RegisterNetwork(newCold, newHot)
	if err != nil {
		t.Fatal(err)
	}
	if netuid != n1 || len(l.NetUIDs()) != 2 {
		t.Fatalf("netuid %d, subnets %v", netuid, l.NetUIDs())
	}
	st1, _ := l.Subnet(n1)
	st2, _ := l.Subnet(n2)
	if st1.Owner != newCold || st1.OwnerHotkey != newHot || st2.Owner != u256(23) {
		t.Fatalf("owners %x %x %x", st1.Owner, st1.OwnerHotkey, st2.Owner)
	}
	// No staker and no protocol alpha on n1: its whole account but the
	// existential deposit was recycled, then the lock moved in.
	if l.Balance(SubnetAccountID(n1)) != mockED+needed {
		t.Fatalf("subnet account %d", l.Balance(SubnetAccountID(n1)))
	}
	if want := issuance - (n1Account - mockED); l.TotalIssuance() != want {
		t.Fatalf("issuance %d, want %d", l.TotalIssuance(), want)
	}
	if len(events) != 2 || events[0].Kind != EventNetworkRemoved || events[0].NetUID != n1 ||
		events[1].Kind != EventNetworkAdded || events[1].NetUID != n1 {
		t.Fatalf("events %+v", events)
	}
	if hs, _ := l.Neurons(n1); len(hs) != 1 || hs[0] != newHot {
		t.Fatalf("neurons %x", hs)
	}
	regCheckInv(t, l)
}

// The storage remove_network leaves (OwnerCutEnabled, MinNonImmuneUids,
// RecycleOrBurn) passes to the subnet that reuses a pruned netuid; the
// rest starts from init_new_network's values.
func TestRegisterNetworkPruneCarriesKeptStorage(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	l.params.SubnetLimit = 1
	n1 := mockAddDynamicNetwork(t, l, u256(22), u256(21))
	h := &l.nets[n1].Hyperparameters
	h.OwnerCutEnabled, h.MinNonImmuneUids, h.Kappa = false, 3, 1
	l.subnets[n1].RecycleIncentive = true
	l.block = l.params.NetworkImmunityPeriod
	mint(l, u256(30), 10*mockMinLock)
	netuid, err := l.RegisterNetwork(u256(30), u256(31))
	if err != nil {
		t.Fatal(err)
	}
	h = &l.nets[netuid].Hyperparameters
	def := subnet.DefaultHyperparameters()
	if netuid != n1 || h.OwnerCutEnabled || h.MinNonImmuneUids != 3 || h.Kappa != def.Kappa ||
		!l.subnets[netuid].RecycleIncentive {
		t.Fatalf("netuid %d hyperparameters %+v", netuid, *h)
	}
}

// Port of register_network_fails_before_prune_keeps_existing
// (networks.rs): a caller without the lock fails with CannotAffordLockCost
// and the subnet to prune stays.
func TestRegisterNetworkFailsBeforePrune(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	l.params.SubnetLimit = 1
	net := mockAddDynamicNetwork(t, l, u256(42), u256(41))
	l.block = l.params.NetworkImmunityPeriod + 50
	h := l.StateHash()
	_, err := l.RegisterNetwork(u256(50), u256(51))
	wantChainErr(t, err, ErrCannotAffordLockCost)
	if _, ok := l.Subnet(net); !ok || len(l.NetUIDs()) != 1 || l.StateHash() != h {
		t.Fatal("state changed")
	}
}

// At the limit with every subnet immune, registration is SubnetLimitReached.
func TestRegisterNetworkSubnetLimitReached(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	l.params.SubnetLimit = 1
	mockAddDynamicNetwork(t, l, u256(42), u256(41))
	mint(l, u256(50), 10*mockMinLock)
	_, err := l.RegisterNetwork(u256(50), u256(51))
	wantChainErr(t, err, ErrSubnetLimitReached)
}

// Port of register_network_fails_without_balance_and_does_not_write_owner_alpha_state
// (networks.rs).
func TestRegisterNetworkFailsWithoutBalance(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	_, err := l.RegisterNetwork(u256(2001), u256(2002))
	wantChainErr(t, err, ErrCannotAffordLockCost)
	if _, ok := l.Subnet(1); ok {
		t.Fatal("subnet written")
	}
	if _, ok := l.Owner(u256(2002)); ok {
		t.Fatal("hotkey owner written")
	}
}

// Port of register_network_non_associated_hotkey_does_not_withdraw_or_write_owner_alpha_state
// (networks.rs).
func TestRegisterNetworkNonAssociatedHotkey(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	shared := u256(3002)
	existing := mockAddDynamicNetwork(t, l, shared, u256(3001))
	attacker := u256(3003)
	mint(l, attacker, l.NetworkLockCost())
	before := l.Balance(attacker)
	h := l.StateHash()
	_, err := l.RegisterNetwork(attacker, shared)
	wantChainErr(t, err, subnet.ErrNonAssociatedColdKey)
	if l.Balance(attacker) != before || l.StateHash() != h {
		t.Fatal("state changed")
	}
	if st, _ := l.Subnet(existing); st.Owner != u256(3001) || len(l.NetUIDs()) != 1 {
		t.Fatal("existing subnet changed")
	}
}

// A subnet account cannot be a subnet's owner hotkey.
func TestRegisterNetworkSystemAccountHotkey(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder().Account(u256(1), 10*mockMinLock))
	_, err := l.RegisterNetwork(u256(1), SubnetAccountID(9))
	wantChainErr(t, err, subnet.ErrCannotUseSystemAccount)
}

// The rate limit (TransactionType::RegisterNetwork.passes_rate_limit,
// utils/rate_limiting.rs) counts from the last registration's block;
// block 0 reads as no registration.
func TestRegisterNetworkRateLimit(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder().Account(u256(1), 100*mockMinLock))
	l.params.NetworkRateLimit = 10
	if _, err := l.RegisterNetwork(u256(1), u256(2)); err != nil {
		t.Fatal(err)
	}
	// Registered at block 0: the next one is not limited.
	if _, err := l.RegisterNetwork(u256(1), u256(2)); err != nil {
		t.Fatal(err)
	}
	l.block = 5
	if _, err := l.RegisterNetwork(u256(1), u256(2)); err != nil {
		t.Fatal(err)
	}
	l.block = 14
	_, err := l.RegisterNetwork(u256(1), u256(2))
	wantChainErr(t, err, ErrNetworkTxRateLimitExceeded)
	l.block = 15
	if _, err := l.RegisterNetwork(u256(1), u256(2)); err != nil {
		t.Fatal(err)
	}
}

// The lock cost (get_network_lock_cost, coinbase/root.rs) doubles after a
// registration and decays by floor(last/interval) a block down to the
// minimum. As test_migrate_network_lock_cost_2500_sets_price_and_decay
// (tests/migration.rs) checks: last lock 1_250 TAO at block 1 costs
// 2_500 TAO at block 1 and 2_500 − 625 TAO a block later (the mock's
// interval of 2 blocks at 1 TAO emission).
func TestNetworkLockCostDoublesAndDecays(t *testing.T) {
	g := NewBuilder().ExistentialDeposit(mockED).Account(u256(1), 100_000*units.RaoPerTAO).Genesis()
	g.Block = 1
	g.Params = mockRegParams()
	g.NetworkLastLockCost = 1_250 * units.RaoPerTAO
	g.NetworkLastRegistered = 1
	l := mustLedger(t, g)
	if c := l.NetworkLockCost(); c != 2_500*units.RaoPerTAO {
		t.Fatalf("cost %d", c)
	}
	l.block = 2
	if c := l.NetworkLockCost(); c != 1_875*units.RaoPerTAO {
		t.Fatalf("cost after a block %d", c)
	}
	// A registration at block 2 pays 1_875 TAO and doubles it.
	if _, err := l.RegisterNetwork(u256(1), u256(2)); err != nil {
		t.Fatal(err)
	}
	if c := l.NetworkLockCost(); c != 3_750*units.RaoPerTAO {
		t.Fatalf("cost after registering %d", c)
	}
	if l.Balance(u256(1)) != (100_000-1_875)*units.RaoPerTAO {
		t.Fatalf("balance %d", l.Balance(u256(1)))
	}
	// 937.5 TAO a block: down to the 100 TAO floor after 4 blocks.
	l.block = 3
	if c := l.NetworkLockCost(); c != 2_812_500_000_000 {
		t.Fatalf("cost %d", c)
	}
	l.block = 6
	if c := l.NetworkLockCost(); c != mockMinLock {
		t.Fatalf("cost %d", c)
	}
}

// Port of test_do_start_call_ok (pallets/subtensor/src/tests/subnet.rs):
// FirstEmissionBlockNumber is the next block; SubtokenEnabled turns on.
func TestStartCallOK(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder().Account(u256(0), 10*mockMinLock))
	netuid, err := l.RegisterNetwork(u256(0), u256(1))
	if err != nil {
		t.Fatal(err)
	}
	l.block += l.params.StartCallDelay
	if err := l.StartCall(u256(0), netuid); err != nil {
		t.Fatal(err)
	}
	st, _ := l.Subnet(netuid)
	if !st.Started || st.FirstEmissionBlock != l.block+1 || !st.SubtokenEnabled {
		t.Fatalf("state %+v", st)
	}
}

// Port of test_do_start_call_fail_with_not_existed_subnet (subnet.rs).
func TestStartCallNotExistedSubnet(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder())
	wantChainErr(t, l.StartCall(u256(0), 1), ErrSubnetNotExists)
}

// Port of test_do_start_call_fail_not_owner (subnet.rs).
func TestStartCallNotOwner(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder().Account(u256(0), 10*mockMinLock))
	netuid, err := l.RegisterNetwork(u256(0), u256(1))
	if err != nil {
		t.Fatal(err)
	}
	wantChainErr(t, l.StartCall(u256(2), netuid), ErrBadOrigin)
}

// Port of test_do_start_call_fail_for_set_again (subnet.rs).
func TestStartCallSetAgain(t *testing.T) {
	l := mockLedger(t, 0, NewBuilder().Account(u256(0), 10*mockMinLock))
	netuid, err := l.RegisterNetwork(u256(0), u256(1))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.StartCall(u256(0), netuid); err != nil {
		t.Fatal(err)
	}
	wantChainErr(t, l.StartCall(u256(0), netuid), ErrFirstEmissionBlockNumberAlreadySet)
}

// StartCallDelay: start_call before registration + delay is refused.
func TestStartCallDelay(t *testing.T) {
	l := mockLedger(t, 10, NewBuilder().Account(u256(0), 10*mockMinLock))
	l.params.StartCallDelay = 5
	netuid, err := l.RegisterNetwork(u256(0), u256(1))
	if err != nil {
		t.Fatal(err)
	}
	l.block = 14
	wantChainErr(t, l.StartCall(u256(0), netuid), ErrNeedWaitingMoreBlocksToStarCall)
	l.block = 15
	if err := l.StartCall(u256(0), netuid); err != nil {
		t.Fatal(err)
	}
}

// A subnet's life on the ledger with the runtime's values: register it,
// start it, register neurons, stake, and run blocks across two of its
// epochs, the invariants holding after every call and block; then
// dissolve it.
//
// The new subnet's account holds exactly SubnetTAO (the lock is the
// pool's reserve), while CheckInvariants asks a subnet account for the
// existential deposit beyond SubnetTAO: the test first sends the future
// subnet account that deposit, as anyone may on chain.
func TestSubnetLifecycle(t *testing.T) {
	owner, ownerHot := u256(1), u256(2)
	l := mustLedger(t, NewBuilder().Root(1_000_000_000).
		Account(owner, 2_000*units.RaoPerTAO).Account(u256(10), 100*units.RaoPerTAO).
		Account(u256(11), 100*units.RaoPerTAO).Genesis())
	regCheckInv(t, l)
	if err := l.Transfer(u256(10), SubnetAccountID(1), ExistentialDeposit); err != nil {
		t.Fatal(err)
	}
	netuid, err := l.RegisterNetwork(owner, ownerHot)
	if err != nil {
		t.Fatal(err)
	}
	regCheckInv(t, l)
	if err := l.StartCall(owner, netuid); err != nil {
		t.Fatal(err)
	}
	regCheckInv(t, l)
	for i, c := range []units.AccountID{u256(10), u256(11)} {
		if _, err := l.BurnedRegister(c, u256(uint64(20+i)), netuid); err != nil {
			t.Fatal(err)
		}
		regCheckInv(t, l)
		if _, err := l.AddStake(c, u256(uint64(20+i)), netuid, 10*units.RaoPerTAO); err != nil {
			t.Fatal(err)
		}
		regCheckInv(t, l)
	}
	epochs := 0
	l.OnEvent(func(e Event) {
		if e.Kind == EventEpoch && e.NetUID == netuid {
			epochs++
		}
	})
	for range 2*360 + 2 {
		if _, err := l.Step(); err != nil {
			t.Fatal(err)
		}
		regCheckInv(t, l)
	}
	if epochs != 2 {
		t.Fatalf("%d epochs", epochs)
	}
	if l.TotalHotkeyAlpha(ownerHot, netuid) == 0 {
		t.Fatal("no owner cut paid")
	}
	if err := l.DissolveNetwork(subnet.OriginRoot, netuid); err != nil {
		t.Fatal(err)
	}
	regCheckInv(t, l)
	if _, ok := l.Subnet(netuid); ok {
		t.Fatal("subnet still there")
	}
}
