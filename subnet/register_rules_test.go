package subnet

import (
	"errors"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// A registration on a dynamic subnet buys alpha with the payment at the
// default limit with the pool's fee, and destroys it: the alpha reserve
// falls, SubnetAlphaOut does not move (do_register, swap_tao_for_alpha).
func TestRegisterBuysAndBurnsAlpha(t *testing.T) {
	c := newMockChain()
	s := c.addDynamicNetwork(t, 1, acct(1), acct(2))
	s.Pool.AlphaOut = 5_000
	s.Burn = 1_000_000_000
	c.balance[acct(3)] = 5_000_000_000
	pool := s.Pool
	want, err := pool.Quote(amm.BuyOrder(s.Burn))
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.register(s, acct(4), acct(3))
	if err != nil {
		t.Fatal(err)
	}
	if r.Swap != want || r.Swap.Alpha == 0 || r.Swap.TAOFee == 0 || r.Swap.TAO+r.Swap.TAOFee != r.Paid {
		t.Fatalf("swap %+v, want %+v", r.Swap, want)
	}
	if s.Pool.AlphaOut != 5_000 {
		t.Errorf("AlphaOut %d, want 5000 (the bought alpha is destroyed)", s.Pool.AlphaOut)
	}
	if s.Pool.AlphaIn != pool.AlphaIn-r.Swap.Alpha || s.Pool.TAO != pool.TAO+r.Swap.TAO {
		t.Errorf("reserves %d/%d", s.Pool.TAO, s.Pool.AlphaIn)
	}
	if !r.NewHotkey || r.Price != 1_000_000_000 || r.Paid != r.Price || r.UID != 1 || r.Replaced {
		t.Errorf("registration %+v", r)
	}
	if s.Burn != s.Hyperparameters.BurnRule().Bump(1_000_000_000) {
		t.Errorf("burn %d", s.Burn)
	}
}

// The payment keeps the existential deposit (transfer_tao_to_subnet with
// Preservation::Preserve), while the recycled amount is the full price.
func TestRegisterKeepsExistentialDeposit(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(1)
	s.Burn = 1_000
	r, err := s.Register(RegisterRequest{Coldkey: acct(1), Hotkey: acct(2), Balance: 1_000, ExistentialDeposit: 500, Block: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Price != 1_000 || r.Paid != 500 || s.RAORecycled != 1_000 || s.TaoFlow != 500 || r.Swap.Alpha != 500 {
		t.Errorf("%+v recycled %d flow %d", r, s.RAORecycled, s.TaoFlow)
	}
	// Nothing payable above the existential deposit is InsufficientBalance.
	s.Burn = 1_000
	before := s.Clone()
	_, err = s.Register(RegisterRequest{Coldkey: acct(1), Hotkey: acct(3), Balance: 1_000, ExistentialDeposit: 1_000, Block: 1})
	if !errors.Is(err, ErrInsufficientBalance) || !before.Equal(s) {
		t.Errorf("err %v, changed %v", err, !before.Equal(s))
	}
	// A zero burn pays nothing and needs nothing.
	s.Burn = 0
	s.Hyperparameters.MinBurn = 0
	r, err = s.Register(RegisterRequest{Coldkey: acct(1), Hotkey: acct(3), Block: 1})
	if err != nil || r.Paid != 0 || r.Swap.Alpha != 0 {
		t.Errorf("%+v, %v", r, err)
	}
}

// Every refusal, in the chain's order, leaves the subnet unchanged.
func TestRegisterErrorsChangeNothing(t *testing.T) {
	c := newMockChain()
	s := c.addDynamicNetwork(t, 1, acct(1), acct(2))
	s.Burn = 1_000
	c.balance[acct(3)] = 1 << 40
	if _, err := c.register(s, acct(4), acct(3)); err != nil {
		t.Fatal(err)
	}
	// The order: registered beats balance, balance beats system account
	// and ownership.
	c.balance[acct(9)] = 0
	registerUnchanged(t, c, s, acct(4), acct(9), ErrHotKeyAlreadyRegisteredInSubNet)
	registerUnchanged(t, c, s, SubnetAccountID(7), acct(9), ErrNotEnoughBalanceToStake)
	registerUnchanged(t, c, s, SubnetAccountID(7), acct(3), ErrCannotUseSystemAccount)
	c.owner[acct(5)] = acct(6)
	registerUnchanged(t, c, s, acct(5), acct(3), ErrNonAssociatedColdKey)
	// A swap the pool refuses fails the whole registration.
	s.Pool.AlphaIn = 50 // below the mock's minimum reserve of 100
	registerUnchanged(t, c, s, acct(8), acct(3), amm.ErrReservesTooLow)
	s.Pool.AlphaIn = defaultReserve
	s.Pool.FeeRate = amm.MaxFeeRate + 1
	registerUnchanged(t, c, s, acct(8), acct(3), amm.ErrFeeRateTooHigh)
}

// With ImmuneOwnerUidsLimit 0 pruning may choose the owner hotkey, which
// replace_neuron keeps: the chain's registration still succeeds, pays and
// bumps the price, and registers nobody.
func TestRegisterOwnerKept(t *testing.T) {
	c := newMockChain()
	s := c.addDynamicNetwork(t, 1, acct(1), acct(2))
	s.Hyperparameters.ImmuneOwnerUidsLimit = 0
	s.Hyperparameters.MaxAllowedUids = 2
	s.Hyperparameters.MinNonImmuneUids = 0
	c.registerOK(t, s, acct(3), acct(4))
	s.emission[1] = 10 // the owner's uid 0 has the lowest emission
	s.Burn = 1_000
	c.balance[acct(5)] = 10_000
	n, flow, regs := s.N(), s.TaoFlow, s.RegistrationsThisBlock
	r, err := c.register(s, acct(6), acct(5))
	if err != nil {
		t.Fatal(err)
	}
	if !r.OwnerKept || r.Replaced || r.UID != 0 || s.N() != n || r.Paid != 1_000 || s.TaoFlow != flow+1_000 {
		t.Errorf("%+v n %d", r, s.N())
	}
	if _, ok := s.UID(acct(6)); ok {
		t.Error("hotkey registered")
	}
	if hk, _ := s.Hotkey(0); hk != acct(1) {
		t.Error("owner hotkey replaced")
	}
	if s.RegistrationsThisBlock != regs+1 {
		t.Errorf("registrations %d", s.RegistrationsThisBlock)
	}
}

// register_limit refuses a burn above the limit before any other check
// but the root subnet's, and is Register otherwise.
func TestRegisterLimit(t *testing.T) {
	c := newMockChain()
	s := c.addNetwork(1)
	s.Hyperparameters.NetworkRegistrationAllowed = false
	s.Burn = 1_000
	before := s.Clone()
	req := RegisterRequest{Coldkey: acct(1), Hotkey: acct(2), Balance: 10_000, ExistentialDeposit: 1, Block: 1}
	if _, err := s.RegisterLimit(req, 999); !errors.Is(err, ErrRegistrationPriceLimitExceeded) || !before.Equal(s) {
		t.Errorf("limit below the burn: %v", err)
	}
	if _, err := s.RegisterLimit(req, 1_000); !errors.Is(err, ErrSubNetRegistrationDisabled) {
		t.Errorf("limit at the burn: %v", err)
	}
	s.Hyperparameters.NetworkRegistrationAllowed = true
	if r, err := s.RegisterLimit(req, 1_000); err != nil || r.Paid != 1_000 || r.UID != 0 {
		t.Errorf("%+v, %v", r, err)
	}
	root := c.addNetwork(0)
	if _, err := root.RegisterLimit(req, 0); !errors.Is(err, ErrRegistrationNotPermittedOnRootSubnet) {
		t.Errorf("root: %v", err)
	}
}

func TestSubnetAccount(t *testing.T) {
	subnetAccount258 := SubnetAccountID(258)
	for _, netuid := range []units.NetUID{0, 1, 300, 65_535} {
		a := SubnetAccountID(netuid)
		if got, ok := IsSubnetAccount(a); !ok || got != netuid {
			t.Errorf("netuid %d: %d %v", netuid, got, ok)
		}
		a[31] = 1
		if _, ok := IsSubnetAccount(a); ok {
			t.Errorf("netuid %d: trailing byte accepted", netuid)
		}
	}
	if string(subnetAccount258[:14]) != "modlsubtensr\x02\x01" {
		t.Errorf("%q", SubnetAccountID(258))
	}
	if _, ok := IsSubnetAccount(acct(1)); ok {
		t.Error("plain account accepted")
	}
	if _, err := New(1, acct(1), SubnetAccountID(3), amm.NewPool(1e12, 1e12), 0); !errors.Is(err, ErrCannotUseSystemAccount) {
		t.Errorf("New with a system hotkey: %v", err)
	}
	if _, err := New(1, acct(1), acct(2), amm.Pool{}, 0); !errors.Is(err, amm.ErrInvalidWeight) {
		t.Errorf("New with the zero pool: %v", err)
	}
}

// Lowering the mechanism count removes the removed mechanisms' Incentive
// and LastUpdate (update_mechanism_counts_if_needed); a refused count
// changes nothing; registrations then touch only the live mechanisms.
func TestSetMechanismCount(t *testing.T) {
	c := newMockChain()
	s := c.addDynamicNetwork(t, 1, acct(1), acct(2))
	s.Hyperparameters.MaxAllowedUids = 128
	if err := s.SetMechanismCount(OriginOwner, 2, DefaultMaxMechanismCount); err != nil {
		t.Fatal(err)
	}
	c.registerOK(t, s, acct(3), acct(4))
	// Mechanism 1 was added after uid 0: its vectors start at the push.
	if len(s.incentive[1]) != 1 || len(s.LastUpdate(1)) != 2 || s.LastUpdate(1)[1] != c.block {
		t.Fatalf("incentive %v last update %v", s.incentive[1], s.LastUpdate(1))
	}
	before := s.Clone()
	if err := s.SetMechanismCount(OriginSigned, 1, DefaultMaxMechanismCount); !errors.Is(err, ErrBadOrigin) || !before.Equal(s) {
		t.Fatalf("bad origin: %v", err)
	}
	if err := s.SetMechanismCount(OriginOwner, 1, DefaultMaxMechanismCount); err != nil {
		t.Fatal(err)
	}
	if s.incentive[1] != nil || storedLastUpdate(s, 1) != nil || len(s.incentive[0]) != 2 {
		t.Errorf("mechanism 1 not cleared: %v %v", s.incentive[1], storedLastUpdate(s, 1))
	}
}

func TestCloneIsDeep(t *testing.T) {
	c := newMockChain()
	s := c.addDynamicNetwork(t, 1, acct(1), acct(2))
	c.registerOK(t, s, acct(3), acct(4))
	s.stakeWeight = []uint16{1, 2}
	cl := s.Clone()
	if !cl.Equal(s) {
		t.Fatal("clone differs")
	}
	c.registerOK(t, s, acct(5), acct(6))
	s.emission[0], s.stakeWeight[0], s.incentive[0][0] = 9, 9, 9
	storeLastUpdate(s, 0, []uint64{9, 9, 9})
	if cl.N() != 2 || cl.emission[0] != 0 || cl.stakeWeight[0] != 1 || cl.incentive[0][0] != 0 || cl.LastUpdate(0)[0] != 1 {
		t.Error("clone shares state with the original")
	}
}

// The state machine: random registrations from many coldkeys, blocks,
// epoch-like writes of the per-uid vectors and pruning parameter changes,
// against a model of who holds which uid.
func TestRegistrationStateMachine(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ownerColdkey, ownerHotkey := acct(100), acct(0)
		pool := amm.NewPool(1e12, 1e12)
		s, err := New(1, ownerColdkey, ownerHotkey, pool, 1)
		if err != nil {
			rt.Fatal(err)
		}
		h := &s.Hyperparameters
		h.MinAllowedUids = 1
		h.MaxAllowedUids = rapid.Uint16Range(1, 8).Draw(rt, "maxUids")
		h.ImmuneOwnerUidsLimit = rapid.Uint16Range(1, 3).Draw(rt, "ownerLimit")
		h.BurnHalfLife = rapid.Uint16Range(1, 50).Draw(rt, "halfLife")
		h.BurnIncreaseMult = fixed.U64F64FromBits(rapid.Uint64Range(1, 2).Draw(rt, "multInt"), rapid.Uint64().Draw(rt, "multFrac"))
		h.MinBurn = units.TAO(rapid.Uint64Range(0, 1_000).Draw(rt, "minBurn"))
		h.MaxBurn = h.MinBurn + units.TAO(rapid.Uint64Range(1, 1e9).Draw(rt, "burnRange"))
		s.Burn = units.TAO(rapid.Uint64Range(uint64(h.MinBurn), uint64(h.MaxBurn)).Draw(rt, "burn"))

		block := uint64(1)
		owners := map[units.AccountID]units.AccountID{ownerHotkey: ownerColdkey}
		model := []units.AccountID{ownerHotkey} // uid → hotkey
		hotkeyGen := rapid.Uint64Range(0, 30)
		coldkeyGen := rapid.Uint64Range(100, 105)

		check := func(rt *rapid.T) {
			n := int(s.N())
			if n != len(model) || n > max(int(h.MaxAllowedUids), 1) {
				rt.Fatalf("n %d, model %d, max %d", n, len(model), h.MaxAllowedUids)
			}
			for _, l := range []int{len(s.coldkeys), len(s.blockAtRegistration), len(s.active), len(s.emission),
				len(s.consensus), len(s.dividends), len(s.validatorTrust), len(s.validatorPermit), len(s.incentive[0]), len(storedLastUpdate(s, 0))} {
				if l != n {
					rt.Fatalf("a per-uid vector has length %d, n %d", l, n)
				}
			}
			for uid, hk := range model {
				if s.hotkeys[uid] != hk {
					rt.Fatalf("uid %d holds %x, model %x", uid, s.hotkeys[uid][:1], hk[:1])
				}
				if got, ok := s.UID(hk); !ok || int(got) != uid {
					rt.Fatalf("UID(%x) = %d %v, want %d (a hotkey twice?)", hk[:1], got, ok, uid)
				}
				if s.coldkeys[uid] != owners[hk] {
					rt.Fatalf("uid %d coldkey mismatch", uid)
				}
			}
			if model[0] != ownerHotkey {
				rt.Fatal("the immortal owner hotkey was pruned")
			}
			if s.Burn < h.MinBurn || s.Burn > h.MaxBurn {
				rt.Fatalf("burn %d outside [%d, %d]", s.Burn, h.MinBurn, h.MaxBurn)
			}
		}

		rt.Repeat(map[string]func(*rapid.T){
			"register": func(rt *rapid.T) {
				hotkey := acct(hotkeyGen.Draw(rt, "hotkey"))
				coldkey := acct(coldkeyGen.Draw(rt, "coldkey"))
				owner, has := owners[hotkey]
				balance := units.TAO(rapid.Uint64Range(0, 2*uint64(s.Burn)+2).Draw(rt, "balance"))
				before := s.Clone()
				full := int(s.N()) >= int(h.MaxAllowedUids)
				r, err := s.Register(RegisterRequest{Coldkey: coldkey, Hotkey: hotkey, HotkeyOwner: owner, HotkeyHasOwner: has,
					Balance: balance, ExistentialDeposit: 1, Block: block})
				if err != nil {
					if !before.Equal(s) {
						rt.Fatalf("failed registration (%v) changed the subnet", err)
					}
					registered := slices.Contains(model, hotkey)
					switch {
					case registered && !errors.Is(err, ErrHotKeyAlreadyRegisteredInSubNet),
						!registered && balance < before.Burn && !errors.Is(err, ErrNotEnoughBalanceToStake),
						!registered && balance >= before.Burn && has && owner != coldkey && !errors.Is(err, ErrNonAssociatedColdKey):
						rt.Fatalf("error %v for registered %v balance %d burn %d", err, registered, balance, before.Burn)
					}
					return
				}
				if slices.Contains(model, hotkey) || balance < before.Burn || has && owner != coldkey {
					rt.Fatal("a registration the chain refuses succeeded")
				}
				if !has {
					owners[hotkey] = coldkey
				}
				if r.Paid > r.Price || r.Price != before.Burn || s.Burn != h.BurnRule().Bump(before.Burn) {
					rt.Fatalf("price %d paid %d burn %d → %d", r.Price, r.Paid, before.Burn, s.Burn)
				}
				uid := r.UID
				if !full {
					if r.Replaced || int(uid) != len(model) {
						rt.Fatalf("append at %d, n %d", uid, len(model))
					}
					model = append(model, hotkey)
				} else {
					want, err := before.NeuronToPrune(block)
					if err != nil || uid != want || !r.Replaced || r.ReplacedHotkey != model[uid] {
						rt.Fatalf("replaced %d (%+v), NeuronToPrune %d %v", uid, r, want, err)
					}
					if r.ReplacedHotkey == ownerHotkey {
						rt.Fatal("owner hotkey replaced")
					}
					model[uid] = hotkey
					// The old neuron's data is gone.
					if s.emission[uid] != 0 || s.consensus[uid] != 0 || s.dividends[uid] != 0 || s.incentive[0][uid] != 0 ||
						s.validatorTrust[uid] != 0 || s.validatorPermit[uid] || !s.active[uid] ||
						s.blockAtRegistration[uid] != block || s.LastUpdate(0)[uid] != block {
						rt.Fatalf("replaced uid %d keeps old data", uid)
					}
					if int(uid) < len(s.stakeWeight) && s.stakeWeight[uid] != 0 {
						rt.Fatalf("replaced uid %d keeps its stake weight", uid)
					}
				}
				check(rt)
			},
			"step": func(rt *rapid.T) {
				block++
				s.Step(block)
				if s.RegistrationsThisBlock != 0 {
					rt.Fatal("counter not reset")
				}
				check(rt)
			},
			"epoch": func(rt *rapid.T) {
				// What an epoch writes, made up.
				n := int(s.N())
				for uid := range n {
					s.emission[uid] = units.Alpha(rapid.Uint64Range(0, 3).Draw(rt, "e"))
					s.consensus[uid] = 1
					s.dividends[uid] = 1
					s.validatorTrust[uid] = 1
					s.validatorPermit[uid] = true
					s.incentive[0][uid] = 1
					storedLastUpdate(s, 0)[uid] = block
				}
				s.stakeWeight = slices.Repeat([]uint16{1}, n)
				check(rt)
			},
			"prune params": func(rt *rapid.T) {
				h.ImmunityPeriod = rapid.Uint16Range(0, 5).Draw(rt, "immunity")
				h.MinNonImmuneUids = rapid.Uint16Range(0, 3).Draw(rt, "minNonImmune")
				check(rt)
			},
		})
	})
}
