package subnet

import (
	"math/bits"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// Registration errors, named as subtensor names them.
var (
	// ErrRegistrationNotPermittedOnRootSubnet: registration on netuid 0.
	ErrRegistrationNotPermittedOnRootSubnet = units.NewChainError("subnet",
		"RegistrationNotPermittedOnRootSubnet", "registration not permitted on the root subnet")
	// ErrSubNetRegistrationDisabled: NetworkRegistrationAllowed is off.
	ErrSubNetRegistrationDisabled = units.NewChainError("subnet", "SubNetRegistrationDisabled",
		"registration is disabled on this subnet")
	// ErrHotKeyAlreadyRegisteredInSubNet: the hotkey already holds a uid here.
	ErrHotKeyAlreadyRegisteredInSubNet = units.NewChainError("subnet", "HotKeyAlreadyRegisteredInSubNet",
		"hotkey already registered in the subnet")
	// ErrNotEnoughBalanceToStake: the coldkey's balance is below the burn.
	ErrNotEnoughBalanceToStake = units.NewChainError("subnet", "NotEnoughBalanceToStake",
		"not enough balance to pay the registration burn")
	// ErrCannotUseSystemAccount: the hotkey is a subnet's own account.
	ErrCannotUseSystemAccount = units.NewChainError("subnet", "CannotUseSystemAccount",
		"a subnet account cannot be a hotkey")
	// ErrNonAssociatedColdKey: the hotkey exists and another coldkey owns it.
	ErrNonAssociatedColdKey = units.NewChainError("subnet", "NonAssociatedColdKey",
		"the hotkey is owned by another coldkey")
	// ErrInsufficientBalance: the burn is positive but the coldkey can pay
	// nothing of it without dropping below the existential deposit.
	ErrInsufficientBalance = units.NewChainError("subnet", "InsufficientBalance",
		"balance cannot pay without reaping the account")
	// ErrRegistrationPriceLimitExceeded: register_limit with a burn above the limit.
	ErrRegistrationPriceLimitExceeded = units.NewChainError("subnet", "RegistrationPriceLimitExceeded",
		"the registration burn is above the limit price")
)

// RegisterRequest is one burned_register (or register, which does the same
// since the proof of work was retired) signed by Coldkey, with what the
// chain reads outside the subnet: the coldkey's balance and the hotkey's
// owner, which the caller (the ledger) holds.
type RegisterRequest struct {
	// Coldkey signs and pays.
	Coldkey units.AccountID
	// Hotkey is the hotkey to register.
	Hotkey units.AccountID
	// HotkeyOwner is Owner[Hotkey] when HotkeyHasOwner (the hotkey account
	// exists); a new hotkey becomes Coldkey's.
	HotkeyOwner    units.AccountID
	HotkeyHasOwner bool
	// Balance is the coldkey's free balance (reducible_balance with
	// Preservation::Expendable), and ExistentialDeposit the runtime's
	// existential deposit (500 rao on mainnet, 1 in subtensor's test mock):
	// the payment never leaves less than that.
	Balance            units.TAO
	ExistentialDeposit units.TAO
	// Block is the current block (BlockAtRegistration of the new neuron,
	// and the block pruning judges immunity at).
	Block uint64
}

// Registration is what a successful Register did, for the caller to apply
// outside the subnet.
type Registration struct {
	// UID is the uid the hotkey now holds.
	UID units.UID
	// Replaced reports that UID was pruned (replace_neuron) rather than
	// appended; ReplacedHotkey is the hotkey that held it, whose
	// IsNetworkMember, Axons, NeuronCertificates and Prometheus entries on
	// this subnet the caller removes.
	Replaced       bool
	ReplacedHotkey units.AccountID
	// OwnerKept reports the chain's corner case of a pruning choice that
	// falls on the subnet owner hotkey (possible only with
	// ImmuneOwnerUidsLimit 0): replace_neuron keeps the owner, the hotkey
	// is not registered, but the burn is paid and the price bumped, and
	// the call succeeds with UID the owner's uid.
	OwnerKept bool
	// NewHotkey reports that the hotkey had no owner: the caller records
	// Owner[Hotkey] = Coldkey and adds the hotkey to the coldkey's
	// OwnedHotkeys and StakingHotkeys (create_account_if_non_existent).
	NewHotkey bool
	// Price is the burn the registration was priced at (Burn before the
	// bump), added to RAORecycled.
	Price units.TAO
	// Paid is the TAO moved from the coldkey to the subnet account:
	// min(Price, Balance − ExistentialDeposit) (transfer_tao_to_subnet).
	// The caller debits the coldkey by Paid and adds it to TotalStake and
	// the subnet's volume (swap_tao_for_alpha).
	Paid units.TAO
	// Swap is the buy of alpha with Paid on the pool: Swap.TAO joined the
	// TAO reserve, Swap.TAOFee went to the block author, and Swap.Alpha
	// left the alpha reserve and was destroyed (SubnetAlphaOut is raised
	// by the swap and lowered by the same amount).
	Swap amm.Result
}

// Register registers req.Hotkey by burn, as do_register
// (subnets/registration.rs) does for burned_register and register. The
// checks, in the chain's order: the root subnet
// (ErrRegistrationNotPermittedOnRootSubnet), registration allowed
// (ErrSubNetRegistrationDisabled), the hotkey not registered here
// (ErrHotKeyAlreadyRegisteredInSubNet), Balance at least Burn
// (ErrNotEnoughBalanceToStake), the hotkey not a subnet account
// (ErrCannotUseSystemAccount) and not owned by another coldkey
// (ErrNonAssociatedColdKey), a uid available: MaxAllowedUids not 0 and, on
// a full subnet, a neuron to prune (ErrNoNeuronIdAvailable). Then the
// payment: min(Burn, Balance − ExistentialDeposit), refused when that is 0
// for a positive Burn (ErrInsufficientBalance); it buys alpha on Pool at
// the default limit with the pool's fee (swap_tao_for_alpha; a swap error
// is returned as the pool's error), and the alpha bought is destroyed
// (SubnetAlphaOut lowered by it, saturating). Then the neuron is appended
// at uid N while N < MaxAllowedUids, else it replaces NeuronToPrune's uid
// (register_neuron). Last, Burn is multiplied by BurnIncreaseMult and
// clamped (BurnRule.Bump), RegistrationsThisBlock is incremented
// (saturating), RAORecycled grows by the price and TaoFlow by the payment
// (record_tao_inflow, saturating).
//
// What a replaced uid keeps and loses is replace_neuron's rule: the new
// hotkey takes the uid with BlockAtRegistration and every mechanism's
// LastUpdate set to req.Block and Active true; Emission, Consensus,
// Incentive, Dividends, StakeWeight, ValidatorTrust and ValidatorPermit
// are cleared. The uid's weights and bonds rows, and the weights others
// set on it, are the weights state's.
//
// Register checks everything before changing anything: on error the
// subnet is unchanged and the result is the zero Registration.
func (s *Subnet) Register(req RegisterRequest) (Registration, error) {
	h := &s.Hyperparameters
	if s.NetUID == 0 {
		return Registration{}, ErrRegistrationNotPermittedOnRootSubnet
	}
	if !h.NetworkRegistrationAllowed {
		return Registration{}, ErrSubNetRegistrationDisabled
	}
	if _, ok := s.UID(req.Hotkey); ok {
		return Registration{}, ErrHotKeyAlreadyRegisteredInSubNet
	}
	price := s.Burn
	if price > req.Balance {
		return Registration{}, ErrNotEnoughBalanceToStake
	}
	if _, ok := IsSubnetAccount(req.Hotkey); ok {
		return Registration{}, ErrCannotUseSystemAccount
	}
	if req.HotkeyHasOwner && req.HotkeyOwner != req.Coldkey {
		return Registration{}, ErrNonAssociatedColdKey
	}
	if h.MaxAllowedUids == 0 {
		return Registration{}, ErrNoNeuronIdAvailable
	}
	full := s.N() >= h.MaxAllowedUids
	var prune units.UID
	if full {
		uid, err := s.NeuronToPrune(req.Block)
		if err != nil {
			return Registration{}, err
		}
		prune = uid
	}

	// transfer_tao_to_subnet: at most what leaves the existential deposit.
	var paid units.TAO
	if price > 0 {
		paid = min(price, req.Balance.SaturatingSub(req.ExistentialDeposit))
		if paid == 0 {
			return Registration{}, ErrInsufficientBalance
		}
	}
	pool := s.Pool
	swap, err := pool.Swap(amm.BuyOrder(paid))
	if err != nil {
		return Registration{}, err
	}
	pool.AlphaOut = pool.AlphaOut.SaturatingSub(swap.Alpha)

	// Nothing fails from here on.
	s.Pool = pool
	r := Registration{NewHotkey: !req.HotkeyHasOwner, Price: price, Paid: paid, Swap: swap}
	if !full {
		r.UID = s.appendNeuron(req.Hotkey, req.Coldkey, req.Block)
	} else {
		old := s.hotkeys[prune]
		r.UID = prune
		if s.replaceNeuron(prune, req.Hotkey, req.Coldkey, req.Block) {
			r.Replaced, r.ReplacedHotkey = true, old
		} else {
			r.OwnerKept = true
		}
	}
	s.Burn = h.BurnRule().Bump(s.Burn)
	if s.RegistrationsThisBlock < 1<<16-1 {
		s.RegistrationsThisBlock++
	}
	s.RAORecycled = s.RAORecycled.SaturatingAdd(price)
	s.TaoFlow = saturatingAddInt64(s.TaoFlow, int64(uint64(paid)))
	return r, nil
}

// RegisterLimit is register_limit (do_register_limit in
// subnets/registration.rs): on a subnet other than root
// (ErrRegistrationNotPermittedOnRootSubnet first), a Burn above limit is
// ErrRegistrationPriceLimitExceeded; otherwise it is Register.
func (s *Subnet) RegisterLimit(req RegisterRequest, limit units.TAO) (Registration, error) {
	if s.NetUID == 0 {
		return Registration{}, ErrRegistrationNotPermittedOnRootSubnet
	}
	if s.Burn > limit {
		return Registration{}, ErrRegistrationPriceLimitExceeded
	}
	return s.Register(req)
}

// saturatingAddInt64 is i64::saturating_add.
func saturatingAddInt64(a, b int64) int64 {
	c := a + b
	switch {
	case b > 0 && c < a:
		return 1<<63 - 1
	case b < 0 && c > a:
		return -1 << 63
	}
	return c
}

// Step runs the registration part of the chain's on_initialize for block
// (update_registration_prices_for_networks in subnets/registration.rs):
// the burn decays by one block's factor (BurnRule.Decay; the chain skips
// the multiplication, not the clamp, at blocks 0 and 1 and for a
// half-life of 0) and is clamped to [MinBurn, MaxBurn], and
// RegistrationsThisBlock is reset. Call it once per block, before that
// block's registrations. (The root subnet's interval counter, which the
// chain also resets there, is not a subnet's.)
func (s *Subnet) Step(block uint64) {
	// BurnRule.decay and clamp on the hyperparameters' fields in place,
	// without the BurnRule copy; the multiplication only where decay
	// does it (block > 1, a half-life above 0); the factor's computation
	// out of line (TestStepMatchesBurnRule, FuzzStepMatchesBurnRule).
	h := &s.Hyperparameters
	burn := uint64(s.Burn)
	if block > 1 && h.BurnHalfLife > 0 {
		f := s.decayFactor
		if f == 0 || s.decayHalfLife != h.BurnHalfLife {
			f = s.cacheDecayFactor()
		}
		burn = MulByQ32(burn, uint64(f))
	}
	if burn < uint64(h.MinBurn) {
		burn = uint64(h.MinBurn)
	}
	if burn > uint64(h.MaxBurn) {
		burn = uint64(h.MaxBurn)
	}
	s.Burn = units.TAO(burn)
	s.RegistrationsThisBlock = 0
}

// StepCached is Step's usual case, a decay by the factor cached for the
// current half-life at a block above 1: then it steps as Step does and
// reports true; otherwise it changes nothing and reports false, and Step
// is the step to take. It inlines, so that a caller stepping many
// subnets in a pass of its own takes no call for the usual step
// (TestStepCachedMatchesStep, FuzzStepCachedMatchesStep).
func (s *Subnet) StepCached(block uint64) bool {
	h := &s.Hyperparameters
	f := uint64(s.decayFactor)
	if block <= 1 || h.BurnHalfLife == 0 || f == 0 || s.decayHalfLife != h.BurnHalfLife {
		return false
	}
	// MulByQ32 without its saturation, which cannot occur: the factor
	// is below 2^32, and so is the product's high word. Then clamp's
	// raise to MinBurn and cut to MaxBurn, in that order.
	hi, lo := bits.Mul64(uint64(s.Burn), f)
	s.Burn = units.TAO(min(max(hi<<32|lo>>32, uint64(h.MinBurn)), uint64(h.MaxBurn)))
	s.RegistrationsThisBlock = 0
	return true
}

// cacheDecayFactor computes and caches the burn's per-block decay factor
// for the current half-life, which is above 0: it depends on the
// half-life only, so it is computed once per half-life the subnet has,
// not every block. DecayFactorQ32 of a half-life above 0 is the largest
// f below 2^32 with f^halfLife at most 1/2, at least 2^31: it fits in
// 32 bits and is not 0.
func (s *Subnet) cacheDecayFactor() uint32 {
	h := s.Hyperparameters.BurnHalfLife
	s.decayHalfLife, s.decayFactor = h, uint32(DecayFactorQ32(h))
	return s.decayFactor
}
