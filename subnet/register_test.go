package subnet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// acct is the test mock's U256::from(n) as an account: n in little endian.
func acct(n uint64) units.AccountID {
	var a units.AccountID
	binary.LittleEndian.PutUint64(a[:], n)
	return a
}

// defaultReserve is the mock's DEFAULT_RESERVE.
const defaultReserve = 1_000_000_000_000

// mockChain stands in for what the subtensor test mock holds outside one
// subnet: the block, balances and hotkey owners (Owner).
type mockChain struct {
	block   uint64
	balance map[units.AccountID]units.TAO
	owner   map[units.AccountID]units.AccountID
	subnets []*Subnet
}

func newMockChain() *mockChain {
	// new_test_ext(1) starts at block 1.
	return &mockChain{block: 1, balance: map[units.AccountID]units.TAO{}, owner: map[units.AccountID]units.AccountID{}}
}

// addNetwork is the mock's add_network: init_new_network with the stable
// mechanism (SubnetMechanism's default 0), no owner hotkey, SubnetOwner the
// zero account, setup_reserves at DEFAULT_RESERVE, BurnHalfLife 1 and
// BurnIncreaseMult 1.
func (c *mockChain) addNetwork(netuid units.NetUID) *Subnet {
	s := &Subnet{
		NetUID:          netuid,
		Hyperparameters: DefaultHyperparameters(),
		Pool:            amm.NewStablePool(defaultReserve, defaultReserve),
		Burn:            NewSubnetBurn,
	}
	s.Hyperparameters.BurnHalfLife = 1
	s.Hyperparameters.BurnIncreaseMult = fixed.U64F64FromUint64(1)
	c.subnets = append(c.subnets, s)
	return s
}

// addDynamicNetwork is the mock's add_dynamic_network: register_network by
// coldkey with hotkey (the owner hotkey at uid 0), a dynamic pool, then
// BurnHalfLife 1 and BurnIncreaseMult 1.
func (c *mockChain) addDynamicNetwork(t *testing.T, netuid units.NetUID, hotkey, coldkey units.AccountID) *Subnet {
	t.Helper()
	pool := amm.NewPool(defaultReserve, defaultReserve)
	pool.MinReserve = 100 // the mock's SwapMinimumReserve
	s, err := New(netuid, coldkey, hotkey, pool, c.block)
	if err != nil {
		t.Fatal(err)
	}
	c.owner[hotkey] = coldkey
	s.Hyperparameters.BurnHalfLife = 1
	s.Hyperparameters.BurnIncreaseMult = fixed.U64F64FromUint64(1)
	c.subnets = append(c.subnets, s)
	return s
}

// register is burned_register signed by coldkey, with the mock's
// existential deposit of 1; on success the balance is debited and a new
// hotkey owned.
func (c *mockChain) register(s *Subnet, hotkey, coldkey units.AccountID) (Registration, error) {
	owner, has := c.owner[hotkey]
	r, err := s.Register(RegisterRequest{
		Coldkey: coldkey, Hotkey: hotkey, HotkeyOwner: owner, HotkeyHasOwner: has,
		Balance: c.balance[coldkey], ExistentialDeposit: 1, Block: c.block,
	})
	if err == nil {
		c.balance[coldkey] -= r.Paid
		if r.NewHotkey {
			c.owner[hotkey] = coldkey
		}
	}
	return r, err
}

// registerOK is the mock's register_ok_neuron: burn 0, a topped-up
// balance, a registration that must succeed, burn 0 again.
func (c *mockChain) registerOK(t *testing.T, s *Subnet, hotkey, coldkey units.AccountID) Registration {
	t.Helper()
	s.Burn = 0
	if need := s.Burn + 1 + 10; c.balance[coldkey] < need {
		c.balance[coldkey] = need
	}
	r, err := c.register(s, hotkey, coldkey)
	if err != nil {
		t.Fatalf("register_ok_neuron(%x, %x): %v", hotkey[:4], coldkey[:4], err)
	}
	s.Burn = 0
	return r
}

// stepBlock is the mock's step_block: the next block's on_initialize for
// every subnet.
func (c *mockChain) stepBlock(n int) {
	for range n {
		c.block++
		for _, s := range c.subnets {
			s.Step(c.block)
		}
	}
}

// storeLastUpdate writes mechanism mech's stored LastUpdate, as a chain
// test's LastUpdate::insert; storedLastUpdate reads it as stored.
func storeLastUpdate(s *Subnet, mech int, v []uint64) { s.Weights.mech(uint8(mech)).lastUpdate = v }

func storedLastUpdate(s *Subnet, mech int) []uint64 { return s.Weights.LastUpdate(uint8(mech)) }

func mustUID(t *testing.T, s *Subnet, hotkey units.AccountID) units.UID {
	t.Helper()
	uid, ok := s.UID(hotkey)
	if !ok {
		t.Fatalf("hotkey %x not registered", hotkey[:4])
	}
	return uid
}

// registerUnchanged runs a registration expected to fail with want and
// checks that it changed nothing.
func registerUnchanged(t *testing.T, c *mockChain, s *Subnet, hotkey, coldkey units.AccountID, want error) {
	t.Helper()
	before := s.Clone()
	balance := c.balance[coldkey]
	r, err := c.register(s, hotkey, coldkey)
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
	if r != (Registration{}) {
		t.Errorf("failed registration returned %+v", r)
	}
	if !before.Equal(s) {
		t.Errorf("failed registration changed the subnet")
	}
	if c.balance[coldkey] != balance {
		t.Errorf("failed registration changed the balance")
	}
}

// registration.rs test_init_new_network_registration_defaults.
func TestNewSubnetRegistrationDefaults(t *testing.T) {
	s, err := New(1, acct(1), acct(2), amm.NewPool(defaultReserve, defaultReserve), 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Hyperparameters.BurnHalfLife != 360 || s.Hyperparameters.BurnIncreaseMult != burnMult126 || s.Burn != units.RaoPerTAO {
		t.Errorf("half-life %d, mult %v, burn %v", s.Hyperparameters.BurnHalfLife, s.Hyperparameters.BurnIncreaseMult, s.Burn)
	}
	// register_network appends the owner hotkey at uid 0.
	if hk, ok := s.Hotkey(0); !ok || hk != acct(2) || s.N() != 1 || !s.HasOwnerHotkey || s.OwnerHotkey != acct(2) {
		t.Errorf("owner neuron: %x %v n=%d", hk[:4], ok, s.N())
	}
}

// registration.rs test_registration_ok.
func TestRegistrationOK(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(1)
	s.Hyperparameters.Tempo = 13
	s.Burn = 1_000
	hotkey, coldkey := acct(1), acct(667)
	c.balance[coldkey] = 50_000
	r, err := c.register(s, hotkey, coldkey)
	if err != nil {
		t.Fatal(err)
	}
	if s.N() != 1 || c.owner[hotkey] != coldkey || mustUID(t, s, hotkey) != 0 || r.UID != 0 {
		t.Errorf("n %d, uid %d", s.N(), r.UID)
	}
	if ck, _ := s.Coldkey(0); ck != coldkey {
		t.Errorf("coldkey %x", ck[:4])
	}
	// TAO inflow recorded.
	if s.TaoFlow != 1_000 {
		t.Errorf("TaoFlow = %d, want 1000", s.TaoFlow)
	}
	if r.Price != 1_000 || r.Paid != 1_000 || c.balance[coldkey] != 49_000 || s.RAORecycled != 1_000 {
		t.Errorf("price %d paid %d balance %d recycled %d", r.Price, r.Paid, c.balance[coldkey], s.RAORecycled)
	}
}

// registration.rs test_registration_disabled and test_neuron_registration_disabled.
func TestRegistrationDisabled(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(1)
	if err := s.Hyperparameters.SetNetworkRegistrationAllowed(OriginRoot, false); err != nil {
		t.Fatal(err)
	}
	c.balance[acct(667)] = 1 << 40
	registerUnchanged(t, c, s, acct(1), acct(667), ErrSubNetRegistrationDisabled)
	if units.ChainName(ErrSubNetRegistrationDisabled) != "SubNetRegistrationDisabled" {
		t.Error(units.ChainName(ErrSubNetRegistrationDisabled))
	}
}

// registration.rs test_registration_root_not_permitted.
func TestRegistrationRootNotPermitted(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(0)
	c.balance[acct(2)] = 1 << 40
	registerUnchanged(t, c, s, acct(1), acct(2), ErrRegistrationNotPermittedOnRootSubnet)
}

// registration.rs test_registration_not_enough_balance.
func TestRegistrationNotEnoughBalance(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(1)
	s.Burn = 10_000
	c.balance[acct(667)] = 9_999
	registerUnchanged(t, c, s, acct(1), acct(667), ErrNotEnoughBalanceToStake)
	if s.N() != 0 {
		t.Errorf("n = %d", s.N())
	}
}

// registration.rs test_registration_non_associated_coldkey.
func TestRegistrationNonAssociatedColdkey(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(1)
	s.Burn = 1_000
	hotkey, trueOwner, attacker := acct(1), acct(111), acct(222)
	c.owner[hotkey] = trueOwner
	c.balance[attacker] = 50_000
	registerUnchanged(t, c, s, hotkey, attacker, ErrNonAssociatedColdKey)
	if s.N() != 0 {
		t.Errorf("n = %d", s.N())
	}
}

// registration.rs test_registration_without_neuron_slot_doesnt_burn.
func TestRegistrationWithoutNeuronSlotDoesntBurn(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(1)
	s.Burn = 1_000
	c.balance[acct(667)] = 10_000
	s.Hyperparameters.MaxAllowedUids = 0 // set_max_allowed_uids(netuid, 0)
	registerUnchanged(t, c, s, acct(1), acct(667), ErrNoNeuronIdAvailable)
	if c.balance[acct(667)] != 10_000 || s.N() != 0 {
		t.Errorf("balance %d n %d", c.balance[acct(667)], s.N())
	}
}

// registration.rs test_registration_already_active_hotkey_error.
func TestRegistrationAlreadyActiveHotkey(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(1)
	s.Burn = 1_000
	coldkey, hotkey := acct(667), acct(1)
	c.balance[coldkey] = 1_000_000
	if _, err := c.register(s, hotkey, coldkey); err != nil {
		t.Fatal(err)
	}
	c.stepBlock(1)
	registerUnchanged(t, c, s, hotkey, coldkey, ErrHotKeyAlreadyRegisteredInSubNet)
}

// registration.rs test_burn_decay.
func TestRegistrationBurnDecay(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(1)
	s.Hyperparameters.BurnHalfLife = 1_000
	s.Hyperparameters.BurnIncreaseMult = fixed.U64F64FromUint64(2)
	s.Hyperparameters.MinBurn, s.Hyperparameters.MaxBurn = 0, ^units.TAO(0)
	s.Burn = 1_000
	c.balance[acct(100)] = 1_000_000
	if _, err := c.register(s, acct(200), acct(100)); err != nil {
		t.Fatal(err)
	}
	if s.Burn != 2_000 {
		t.Fatalf("burn after registration = %d, want 2000", s.Burn)
	}
	c.stepBlock(1)
	if s.Burn != 1_998 {
		t.Errorf("burn after a block = %d, want 1998", s.Burn)
	}
}

// registration.rs test_burn_halves_every_half_life.
func TestRegistrationBurnHalvesEveryHalfLife(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(1)
	s.Hyperparameters.BurnHalfLife = 2
	s.Hyperparameters.BurnIncreaseMult = fixed.U64F64FromUint64(1)
	s.Hyperparameters.MinBurn, s.Hyperparameters.MaxBurn = 0, ^units.TAO(0)
	s.Burn = 1_024
	c.stepBlock(2)
	if s.Burn != 511 {
		t.Errorf("after 2 blocks %d, want 511", s.Burn)
	}
	c.stepBlock(2)
	if s.Burn != 255 {
		t.Errorf("after 4 blocks %d, want 255", s.Burn)
	}
}

// registration.rs test_burn_min_and_max_clamps_prevent_zero_stuck_and_cap_bump.
func TestRegistrationBurnClamps(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(1)
	s.Hyperparameters.BurnHalfLife = 1
	s.Hyperparameters.BurnIncreaseMult = fixed.U64F64FromUint64(2)
	s.Hyperparameters.MinBurn, s.Hyperparameters.MaxBurn = 100_000, 150_000
	s.Burn = 1
	c.stepBlock(1)
	if s.Burn != 100_000 {
		t.Fatalf("burn %d, want 100000", s.Burn)
	}
	c.balance[acct(1)] = 1_000_000
	if _, err := c.register(s, acct(2), acct(1)); err != nil {
		t.Fatal(err)
	}
	if s.Burn != 150_000 {
		t.Fatalf("burn %d, want 150000", s.Burn)
	}
	c.stepBlock(1)
	if s.Burn != 100_000 {
		t.Fatalf("burn %d, want 100000", s.Burn)
	}
	c.stepBlock(1)
	if s.Burn != 100_000 {
		t.Fatalf("burn %d, want 100000", s.Burn)
	}
}

// registration.rs test_registration_increases_recycled_rao_per_subnet.
func TestRegistrationIncreasesRecycledRao(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(1)
	s.Hyperparameters.BurnHalfLife = 1
	s.Hyperparameters.BurnIncreaseMult = fixed.U64F64FromUint64(1)
	s.Burn = 1_000
	c.balance[acct(667)] = 1_000_000
	burn1 := s.Burn
	if _, err := c.register(s, acct(1), acct(667)); err != nil {
		t.Fatal(err)
	}
	if s.RAORecycled != burn1 {
		t.Fatalf("recycled %d, want %d", s.RAORecycled, burn1)
	}
	c.stepBlock(1)
	burn2 := s.Burn
	if _, err := c.register(s, acct(2), acct(667)); err != nil {
		t.Fatal(err)
	}
	if s.RAORecycled != burn1+burn2 {
		t.Errorf("recycled %d, want %d", s.RAORecycled, burn1+burn2)
	}
}

// pruneSetup is the start of the two get_uid_to_prune immunity tests:
// block 0, tempo 1, no safety floor, no owner immortality, a foreign
// subnet owner, uid 0 registered at block 0 and uid 1 at block 1.
func pruneSetup(t *testing.T) (*mockChain, *Subnet) {
	c := newMockChain()
	c.block = 0
	s := c.addNetwork(1)
	s.Hyperparameters.Tempo = 1
	s.Hyperparameters.MinNonImmuneUids = 0
	s.Hyperparameters.ImmuneOwnerUidsLimit = 0
	s.Owner = acct(999_999)
	c.registerOK(t, s, acct(0), acct(0))
	c.stepBlock(1)
	c.registerOK(t, s, acct(1), acct(1))
	s.Hyperparameters.ImmunityPeriod = 2
	return c, s
}

// registration.rs test_registration_get_uid_to_prune_all_in_immunity_period.
func TestRegistrationPruneAllInImmunityPeriod(t *testing.T) {
	c, s := pruneSetup(t)
	if c.block != 1 {
		t.Fatalf("block %d", c.block)
	}
	s.emission[0], s.emission[1] = 100, 110
	if uid, err := s.NeuronToPrune(c.block); err != nil || uid != 0 {
		t.Errorf("prune %d, %v; want 0", uid, err)
	}
}

// registration.rs test_registration_get_uid_to_prune_none_in_immunity_period.
func TestRegistrationPruneNoneInImmunityPeriod(t *testing.T) {
	c, s := pruneSetup(t)
	c.stepBlock(3)
	if c.block != 4 {
		t.Fatalf("block %d", c.block)
	}
	s.emission[0], s.emission[1] = 100, 110
	if uid, err := s.NeuronToPrune(c.block); err != nil || uid != 0 {
		t.Errorf("prune %d, %v; want 0", uid, err)
	}
}

// registration.rs test_registration_pruning_1 (step between registrations)
// and test_registration_pruning (all in one block).
func TestRegistrationPruning(t *testing.T) {
	for _, stepBetween := range []bool{true, false} {
		t.Run(fmt.Sprint("step=", stepBetween), func(t *testing.T) {
			c := newMockChain()
			s := c.addNetwork(5)
			s.Hyperparameters.Tempo = 10_000
			s.Hyperparameters.ImmuneOwnerUidsLimit = 0
			s.Hyperparameters.MaxAllowedUids = 3
			coldkeys := []units.AccountID{acct(20_001), acct(20_002), acct(20_003)}
			hotkeys := []units.AccountID{acct(30_001), acct(30_002), acct(30_003)}
			for i := range 3 {
				c.registerOK(t, s, hotkeys[i], coldkeys[i])
				if stepBetween {
					c.stepBlock(1)
				}
			}
			for i := range 3 {
				if uid := mustUID(t, s, hotkeys[i]); uid != units.UID(i) {
					t.Fatalf("uid %d, want %d", uid, i)
				}
			}
			if s.N() != 3 {
				t.Fatalf("n %d", s.N())
			}
			const now = 1_000
			c.block = now
			s.Hyperparameters.ImmunityPeriod = 100
			s.blockAtRegistration[0] = now - 150
			s.blockAtRegistration[1] = now - 200
			s.blockAtRegistration[2] = now - 10
			for uid, want := range []bool{false, false, true} {
				if got := NeuronIsImmune(s.blockAtRegistration[uid], now, s.Hyperparameters.ImmunityPeriod); got != want {
					t.Errorf("uid %d immune %v", uid, got)
				}
			}
			s.emission[0], s.emission[1], s.emission[2] = 10, 10, 1
			s.Hyperparameters.MinNonImmuneUids = 0
			if uid, err := s.NeuronToPrune(c.block); err != nil || uid != 1 {
				t.Fatalf("prune %d, %v; want 1", uid, err)
			}
			if stepBetween {
				c.stepBlock(1)
			}
			newHotkey, newColdkey := acct(40_000), acct(50_000)
			r := c.registerOK(t, s, newHotkey, newColdkey)
			if s.N() != 3 {
				t.Errorf("n %d", s.N())
			}
			if _, ok := s.UID(hotkeys[1]); ok {
				t.Error("hotkey for pruned UID should no longer be registered")
			}
			if uid := mustUID(t, s, newHotkey); uid != 1 || !r.Replaced || r.ReplacedHotkey != hotkeys[1] {
				t.Errorf("new uid %d, %+v", uid, r)
			}
			if mustUID(t, s, hotkeys[0]) != 0 || mustUID(t, s, hotkeys[2]) != 2 {
				t.Error("other neurons moved")
			}
		})
	}
}

// registration.rs test_update_registration_prices_for_networks_runs_on_next_block_step.
func TestStepDecaysAndResetsCounter(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(1)
	s.Hyperparameters.BurnHalfLife = 1_000
	s.Hyperparameters.BurnIncreaseMult = fixed.U64F64FromUint64(2)
	s.Hyperparameters.MinBurn, s.Hyperparameters.MaxBurn = 0, ^units.TAO(0)
	s.Burn = 1_000
	s.RegistrationsThisBlock = 3
	c.stepBlock(1)
	if s.Burn != 999 || s.RegistrationsThisBlock != 0 {
		t.Errorf("burn %d, registrations %d; want 999, 0", s.Burn, s.RegistrationsThisBlock)
	}
}

// Step clamps without decaying at blocks 0 and 1
// (update_registration_prices_for_networks: current_block > 1).
func TestStepFirstBlocksOnlyClamp(t *testing.T) {
	for _, block := range []uint64{0, 1} {
		s := &Subnet{Hyperparameters: DefaultHyperparameters(), Burn: 1_000_000}
		s.Step(block)
		if s.Burn != 1_000_000 {
			t.Errorf("block %d: burn %d", block, s.Burn)
		}
		s.Burn = 1
		s.Step(block)
		if s.Burn != s.Hyperparameters.MinBurn {
			t.Errorf("block %d: burn %d not clamped", block, s.Burn)
		}
	}
	s := &Subnet{Hyperparameters: DefaultHyperparameters(), Burn: 1_000_000}
	s.Step(2)
	if s.Burn != s.Hyperparameters.BurnRule().Decay(1_000_000) || s.Burn == 1_000_000 {
		t.Errorf("block 2: burn %d", s.Burn)
	}
}

// registration.rs
// test_burned_register_immediately_bumps_price_many_multipliers_and_same_block_registrations.
func TestRegistrationBumpsPriceManyMultipliers(t *testing.T) {
	refBump := func(prev, mult, minBurn, maxBurn uint64) uint64 {
		next := fixed.U64F64FromUint64(max(mult, 1)).SaturatingMulToUint64(prev)
		return min(max(next, minBurn), maxBurn)
	}
	const reserve = 1_000_000_000_000_000
	c := newMockChain()
	for _, cs := range []struct {
		netuid                              units.NetUID
		initialBurn, mult, minBurn, maxBurn uint64
		registrations                       uint16
	}{
		{1, 0, 0, 100_000, ^uint64(0), 7},
		{2, 5, 0, 1, ^uint64(0), 7},
		{3, 0, 1, 100_000, ^uint64(0), 7},
		{4, 7, 1, 1, ^uint64(0), 7},
		{5, 2, 2, 1, 400, 8},
		{6, 3, 3, 1, ^uint64(0), 6},
		{7, 4, 4, 1, ^uint64(0), 6},
		{8, 7, 10, 1, 500_000, 5},
		{9, 1, 100, 1, 5_000_000_000, 5},
		{10, 1, 1_000, 1, 50_000_000_000, 4},
		{11, 5, 1, 1, ^uint64(0), 32},
		{12, 1, 2, 1, ^uint64(0), 20},
	} {
		coldkey := acct(100_000 + uint64(cs.netuid))
		s := c.addNetwork(cs.netuid)
		s.Hyperparameters.Tempo = 13
		s.Pool = amm.NewStablePool(reserve, reserve)
		s.Hyperparameters.BurnHalfLife = 0
		s.Hyperparameters.BurnIncreaseMult = fixed.U64F64FromUint64(cs.mult)
		s.Hyperparameters.MinBurn, s.Hyperparameters.MaxBurn = units.TAO(cs.minBurn), units.TAO(cs.maxBurn)
		s.Burn = units.TAO(cs.initialBurn)
		expectedBurn, expectedRecycled := cs.initialBurn, uint64(0)
		for i := range cs.registrations {
			hotkey := acct(uint64(cs.netuid)*10_000 + uint64(i) + 1)
			if need := units.TAO(expectedBurn + 1 + 10); c.balance[coldkey] < need {
				c.balance[coldkey] = need
			}
			before := c.balance[coldkey]
			if uint64(s.Burn) != expectedBurn || s.RegistrationsThisBlock != i {
				t.Fatalf("netuid %d reg %d: burn %d registrations %d", cs.netuid, i, s.Burn, s.RegistrationsThisBlock)
			}
			if _, err := c.register(s, hotkey, coldkey); err != nil {
				t.Fatalf("netuid %d reg %d: %v", cs.netuid, i, err)
			}
			expectedRecycled += expectedBurn
			// The registration charges the pre-bump burn.
			if c.balance[coldkey] != before-units.TAO(expectedBurn) {
				t.Errorf("netuid %d reg %d: balance %d, want %d", cs.netuid, i, c.balance[coldkey], before-units.TAO(expectedBurn))
			}
			expectedBurn = refBump(expectedBurn, cs.mult, cs.minBurn, cs.maxBurn)
			if uint64(s.RAORecycled) != expectedRecycled || uint64(s.Burn) != expectedBurn ||
				s.RegistrationsThisBlock != i+1 || s.N() != i+1 {
				t.Errorf("netuid %d reg %d: recycled %d burn %d (want %d) registrations %d n %d",
					cs.netuid, i, s.RAORecycled, s.Burn, expectedBurn, s.RegistrationsThisBlock, s.N())
			}
			if uid := mustUID(t, s, hotkey); uid != units.UID(i) || c.owner[hotkey] != coldkey {
				t.Errorf("netuid %d reg %d: uid %d", cs.netuid, i, uid)
			}
		}
	}
}

// registration.rs test_last_update_correctness: a registration leaves
// LastUpdate with one entry per neuron. The chain test removes LastUpdate
// under three neurons; here three neurons registered, LastUpdate is
// emptied (a mechanism's vector can be shorter than N), and the
// registration pads it.
func TestRegistrationLastUpdateCorrectness(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(1)
	for i := range uint64(3) {
		c.registerOK(t, s, acct(10+i), acct(20+i))
	}
	storeLastUpdate(s, 0, nil)
	s.Burn = 1_000
	c.balance[acct(667)] = 10_000
	if _, err := c.register(s, acct(1), acct(667)); err != nil {
		t.Fatal(err)
	}
	if got := len(storedLastUpdate(s, 0)); got != 4 {
		t.Errorf("LastUpdate length %d, want 4", got)
	}
	if lu := s.LastUpdate(0); lu[3] != c.block || lu[0] != 0 {
		t.Errorf("LastUpdate %v", lu)
	}
}

// uids.rs test_replace_neuron (the bonds, axon, certificate and EVM
// address assertions concern state this package does not hold).
func TestUIDsReplaceNeuron(t *testing.T) {
	c := newMockChain()
	c.block = 0
	s := c.addNetwork(1)
	hotkey, coldkey, newHotkey := acct(1), acct(1234), acct(2)
	c.registerOK(t, s, hotkey, coldkey)
	uid := mustUID(t, s, hotkey)
	s.emission[uid], s.consensus[uid], s.incentive[0][uid], s.dividends[uid] = 5, 5, 5, 5
	if !s.replaceNeuron(uid, newHotkey, acct(12345), c.block) {
		t.Fatal("not replaced")
	}
	if _, ok := s.UID(hotkey); ok {
		t.Error("old hotkey still registered")
	}
	if cur, _ := s.Hotkey(uid); cur != newHotkey || mustUID(t, s, newHotkey) != uid {
		t.Errorf("hotkey at uid %x", cur[:4])
	}
	if s.emission[uid] != 0 || s.consensus[uid] != 0 || s.incentive[0][uid] != 0 || s.dividends[uid] != 0 {
		t.Errorf("not reset: %d %d %d %d", s.emission[uid], s.consensus[uid], s.incentive[0][uid], s.dividends[uid])
	}
}

// uids.rs test_replace_neuron_resets_last_update.
func TestReplaceNeuronResetsLastUpdate(t *testing.T) {
	c := newMockChain()
	c.block = 0
	s := c.addNetwork(1)
	c.registerOK(t, s, acct(1), acct(1234))
	uid := mustUID(t, s, acct(1))
	storeLastUpdate(s, 0, []uint64{7})
	s.replaceNeuron(uid, acct(2), acct(1234), 123)
	if s.LastUpdate(0)[uid] != 123 || s.blockAtRegistration[uid] != 123 {
		t.Errorf("LastUpdate %v, BlockAtRegistration %v", s.LastUpdate(0), s.blockAtRegistration)
	}
}

// uids.rs test_replace_neuron_clears_validator_trust_and_permit.
func TestReplaceNeuronClearsValidatorTrustAndPermit(t *testing.T) {
	c := newMockChain()
	c.block = 0
	s := c.addNetwork(1)
	c.registerOK(t, s, acct(1), acct(1234))
	uid := mustUID(t, s, acct(1))
	s.validatorTrust[uid], s.validatorPermit[uid] = 42, true
	s.replaceNeuron(uid, acct(2), acct(1234), 123)
	if s.validatorTrust[uid] != 0 || s.validatorPermit[uid] {
		t.Errorf("trust %d permit %v", s.validatorTrust[uid], s.validatorPermit[uid])
	}
}

// uids.rs test_replace_neuron_multiple_subnets.
func TestReplaceNeuronMultipleSubnets(t *testing.T) {
	c := newMockChain()
	c.block = 0
	s1, s2 := c.addNetwork(1), c.addNetwork(2)
	hotkey := acct(1)
	c.registerOK(t, s1, hotkey, acct(1234))
	c.registerOK(t, s2, hotkey, acct(1234))
	s1.replaceNeuron(mustUID(t, s1, hotkey), acct(2), acct(12345), 0)
	if _, ok := s1.UID(hotkey); ok {
		t.Error("still registered on netuid 1")
	}
	if _, ok := s2.UID(hotkey); !ok {
		t.Error("no longer registered on netuid 2")
	}
}

// uids.rs test_replace_neuron_subnet_owner_not_replaced.
func TestReplaceNeuronSubnetOwnerNotReplaced(t *testing.T) {
	c := newMockChain()
	ownerHotkey, ownerColdkey := acct(100), acct(999)
	s := c.addDynamicNetwork(t, 1, ownerHotkey, ownerColdkey)
	uid := mustUID(t, s, ownerHotkey)
	before := s.Clone()
	if s.replaceNeuron(uid, acct(2), acct(3), c.block) {
		t.Error("owner hotkey replaced")
	}
	if !before.Equal(s) {
		t.Error("skipped replacement changed the subnet")
	}
	if _, ok := s.UID(acct(2)); ok {
		t.Error("new hotkey registered")
	}
}

// uids.rs test_replace_neuron_subnet_owner_not_replaced_if_in_sn_owner_hotkey_map.
func TestReplaceNeuronOwnerHotkeyMap(t *testing.T) {
	c := newMockChain()
	ownerHotkey, ownerColdkey, otherOwnerHotkey := acct(123), acct(999), acct(456)
	s := c.addDynamicNetwork(t, 1, ownerHotkey, ownerColdkey)
	ownerUID := mustUID(t, s, ownerHotkey)
	c.registerOK(t, s, otherOwnerHotkey, ownerColdkey)
	otherOwnerUID := mustUID(t, s, otherOwnerHotkey)
	add1, add2 := acct(1000), acct(1001)

	s.replaceNeuron(ownerUID, add1, ownerColdkey, c.block)
	if mustUID(t, s, ownerHotkey) != ownerUID {
		t.Error("owner's first hotkey should remain registered")
	}
	if _, ok := s.UID(add1); ok {
		t.Error("additional hotkey 1 registered")
	}
	// The other owner hotkey is not SubnetOwnerHotkey: it is replaced.
	s.replaceNeuron(otherOwnerUID, add1, ownerColdkey, c.block)
	if _, ok := s.UID(otherOwnerHotkey); ok {
		t.Error("other owner hotkey not replaced")
	}
	// Re-register it and make it SubnetOwnerHotkey.
	c.registerOK(t, s, otherOwnerHotkey, ownerColdkey)
	s.OwnerHotkey = otherOwnerHotkey
	s.replaceNeuron(ownerUID, add2, ownerColdkey, c.block)
	if _, ok := s.UID(ownerHotkey); ok {
		t.Error("the owner's first hotkey should be replaceable")
	}
	if mustUID(t, s, add2) != ownerUID {
		t.Error("additional hotkey 2 not at the owner's old uid")
	}
}

// uids.rs test_get_neuron_to_prune_owner_not_pruned.
func TestNeuronToPruneOwnerNotPruned(t *testing.T) {
	c := newMockChain()
	ownerHotkey, ownerColdkey := acct(123), acct(999)
	s := c.addDynamicNetwork(t, 1, ownerHotkey, ownerColdkey)
	s.Hyperparameters.ImmuneOwnerUidsLimit = 1
	s.Hyperparameters.MinNonImmuneUids = 0
	ownerUID := mustUID(t, s, ownerHotkey)
	c.registerOK(t, s, acct(1000), acct(2000))
	uid1 := mustUID(t, s, acct(1000))
	c.registerOK(t, s, acct(1001), acct(2001))
	uid2 := mustUID(t, s, acct(1001))
	s.emission[ownerUID], s.emission[uid1], s.emission[uid2] = 0, 1, 2
	if uid, err := s.NeuronToPrune(c.block); err != nil || uid != uid1 {
		t.Errorf("prune %d, %v; want %d", uid, err, uid1)
	}
}

// uids.rs test_get_neuron_to_prune_owner_pruned_if_not_in_sn_owner_hotkey_map.
func TestNeuronToPruneOwnerHotkeyMap(t *testing.T) {
	c := newMockChain()
	ownerHotkey, ownerColdkey, otherOwnerHotkey := acct(123), acct(999), acct(456)
	s := c.addDynamicNetwork(t, 1, ownerHotkey, ownerColdkey)
	s.Hyperparameters.ImmuneOwnerUidsLimit = 1
	s.Hyperparameters.MinNonImmuneUids = 0
	ownerUID := mustUID(t, s, ownerHotkey)
	c.registerOK(t, s, otherOwnerHotkey, ownerColdkey)
	otherUID := mustUID(t, s, otherOwnerHotkey)
	c.registerOK(t, s, acct(1000), acct(2000))
	c.registerOK(t, s, acct(1001), acct(2001))
	s.emission[ownerUID], s.emission[otherUID] = 0, 1
	s.emission[mustUID(t, s, acct(1000))], s.emission[mustUID(t, s, acct(1001))] = 2, 3
	if uid, err := s.NeuronToPrune(c.block); err != nil || uid != otherUID {
		t.Errorf("case 1: prune %d, %v; want %d", uid, err, otherUID)
	}
	s.OwnerHotkey = otherOwnerHotkey
	if uid, err := s.NeuronToPrune(c.block); err != nil || uid != ownerUID {
		t.Errorf("case 2: prune %d, %v; want %d", uid, err, ownerUID)
	}
}

// uids.rs test_prune_respects_min_non_immune_floor_prefers_immune.
func TestPruneRespectsMinNonImmuneFloor(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(2)
	s.Hyperparameters.Tempo = 10_000
	s.Hyperparameters.ImmuneOwnerUidsLimit = 0
	const immunity = 1_000
	s.Hyperparameters.ImmunityPeriod = immunity
	for i := range uint64(3) {
		c.registerOK(t, s, acct(10_000+i), acct(20_000+i))
		c.stepBlock(1)
	}
	c.block += immunity + 5 - 1
	c.stepBlock(1)
	c.registerOK(t, s, acct(99_999), acct(88_888))
	s.Hyperparameters.MinNonImmuneUids = 3
	if uid, err := s.NeuronToPrune(c.block); err != nil || uid != 3 {
		t.Errorf("prune %d, %v; want 3", uid, err)
	}
}

// uids.rs test_prune_tie_breakers_non_immune_emission_block_uid.
func TestPruneTieBreakers(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(3)
	s.Hyperparameters.Tempo = 1
	s.Hyperparameters.ImmuneOwnerUidsLimit = 0
	s.Hyperparameters.ImmunityPeriod = 0
	for i := range uint64(3) {
		c.registerOK(t, s, acct(30_000+i), acct(40_000+i))
		c.stepBlock(1)
	}
	s.Hyperparameters.MinNonImmuneUids = 0
	for i := range s.emission {
		s.emission[i] = 10
	}
	if uid, err := s.NeuronToPrune(c.block); err != nil || uid != 0 {
		t.Errorf("prune %d, %v; want 0", uid, err)
	}
}

// uids.rs test_prune_all_owner_immortal_returns_none, and the registration
// it then refuses.
func TestPruneAllOwnerImmortal(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(4)
	s.Hyperparameters.Tempo = 1
	ownerColdkey := acct(7777)
	s.Owner = ownerColdkey
	for i := range uint64(3) {
		c.registerOK(t, s, acct(9001+i), ownerColdkey)
	}
	s.Hyperparameters.ImmuneOwnerUidsLimit = 10
	if _, err := s.NeuronToPrune(c.block); !errors.Is(err, ErrNoNeuronIdAvailable) {
		t.Fatalf("err = %v", err)
	}
	s.Hyperparameters.MaxAllowedUids = 3
	c.balance[acct(1)] = 1 << 40
	registerUnchanged(t, c, s, acct(2), acct(1), ErrNoNeuronIdAvailable)
}
