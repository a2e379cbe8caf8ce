package dtao

import (
	"fmt"
	"math"
	"slices"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// Root registration errors, named as subtensor names them.
var (
	// ErrTooManyRegistrationsThisBlock: the root's RegistrationsThisBlock
	// has reached Params.RootMaxRegistrationsPerBlock.
	ErrTooManyRegistrationsThisBlock = units.NewChainError("dtao", "TooManyRegistrationsThisBlock",
		"too many registrations this block")
	// ErrTooManyRegistrationsThisInterval: the root's
	// RegistrationsThisInterval has reached three times
	// Params.RootTargetRegistrationsPerInterval.
	ErrTooManyRegistrationsThisInterval = units.NewChainError("dtao", "TooManyRegistrationsThisInterval",
		"too many registrations this interval")
	// ErrStakeTooLowForRoot: the root is full and the hotkey's root stake
	// is not above the lowest root validator's.
	ErrStakeTooLowForRoot = units.NewChainError("dtao", "StakeTooLowForRoot",
		"root stake not above the lowest root validator's")
)

// rootRegisterTake is the delegate take root_register gives a hotkey that
// is not a delegate yet (do_root_register, coinbase/root.rs: 11_796, 18%).
const rootRegisterTake uint16 = 11_796

// RootNeuron is one uid of the root subnet: its hotkey (Keys and Uids of
// netuid 0) and BlockAtRegistration.
type RootNeuron struct {
	Hotkey              units.AccountID
	BlockAtRegistration uint64
}

// RootNeurons returns a copy of the root subnet's neurons by uid (nil
// without a root subnet or neurons).
func (l *Ledger) RootNeurons() []RootNeuron {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return slices.Clone(l.rootNeurons)
}

// RootRegister is the root_register extrinsic (do_root_register,
// pallets/subtensor/src/coinbase/root.rs), signed by coldkey: it registers
// hotkey on the root subnet and returns its uid. The checks run in the
// chain's order: the root subnet exists (ErrRootNetworkDoesNotExist), the
// origin is no subnet account (ErrBadOrigin), the root's
// RegistrationsThisBlock is below Params.RootMaxRegistrationsPerBlock
// (ErrTooManyRegistrationsThisBlock) and its RegistrationsThisInterval
// below three times Params.RootTargetRegistrationsPerInterval
// (ErrTooManyRegistrationsThisInterval), the hotkey holds no root uid
// (subnet.ErrHotKeyAlreadyRegisteredInSubNet), it is no subnet account
// (subnet.ErrCannotUseSystemAccount, create_account_if_non_existent,
// staking/helpers.rs). A hotkey another coldkey owns is accepted, as the
// chain accepts it; a hotkey without an owner becomes coldkey's.
//
// Below Params.MaxRootValidators neurons the hotkey takes the next uid
// (append_neuron). On a full root it replaces the neuron of the lowest
// root stake (TotalHotkeyAlpha on netuid 0), the first in Keys' storage
// order on ties, if its own root stake is above that (otherwise
// ErrStakeTooLowForRoot); a root with no uid to replace is
// subnet.ErrHotKeyNotRegisteredInSubNet. As replace_neuron
// (subnets/uids.rs) does, a neuron that is the root's SubnetOwnerHotkey
// is not replaced, though the call succeeds and reports that uid. No TAO
// moves. The hotkey becomes a delegate with an 18% take (11_796) unless
// it has a Delegates entry, both counters grow by one, and an
// EventNeuronRegistered reports netuid 0 with the uid as Value.
func (l *Ledger) RootRegister(coldkey, hotkey units.AccountID) (units.UID, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	uid, err := l.rootRegister(coldkey, hotkey)
	if err != nil {
		return 0, fmt.Errorf("root_register of hotkey %x: %w", hotkey[:], err)
	}
	return uid, nil
}

func (l *Ledger) rootRegister(coldkey, hotkey units.AccountID) (units.UID, error) {
	root, ok := l.subnets[RootNetUID]
	if !ok {
		return 0, ErrRootNetworkDoesNotExist
	}
	if err := l.checkOrigin(coldkey); err != nil {
		return 0, err
	}
	p := &l.params
	if root.RegistrationsThisBlock >= p.RootMaxRegistrationsPerBlock {
		return 0, ErrTooManyRegistrationsThisBlock
	}
	// TargetRegistrationsPerInterval.saturating_mul(3) in u16.
	limit := min(fixed.SaturatingMulUint64(uint64(p.RootTargetRegistrationsPerInterval), 3), math.MaxUint16)
	if uint64(root.RegistrationsThisInterval) >= limit {
		return 0, ErrTooManyRegistrationsThisInterval
	}
	if slices.ContainsFunc(l.rootNeurons, func(n RootNeuron) bool { return n.Hotkey == hotkey }) {
		return 0, subnet.ErrHotKeyAlreadyRegisteredInSubNet
	}
	if _, ok := subnet.IsSubnetAccount(hotkey); ok {
		return 0, subnet.ErrCannotUseSystemAccount
	}

	n := len(l.rootNeurons)
	uid, replace := n, false
	if n >= int(p.MaxRootValidators) {
		if n == 0 {
			// get_hotkey_for_net_and_uid of uid 0 on an empty root.
			return 0, subnet.ErrHotKeyNotRegisteredInSubNet
		}
		lowest, lowestUID := units.Alpha(math.MaxUint64), 0
		for _, i := range rootKeysOrder(n) {
			if s := l.rootStake(l.rootNeurons[i].Hotkey); s < lowest {
				lowest, lowestUID = s, i
			}
		}
		if lowest >= l.rootStake(hotkey) {
			return 0, ErrStakeTooLowForRoot
		}
		uid, replace = lowestUID, true
	}

	// Validated: apply.
	if _, ok := l.owner[hotkey]; !ok {
		l.owner[hotkey] = coldkey
		l.keysChanged()
	}
	neuron := RootNeuron{Hotkey: hotkey, BlockAtRegistration: l.block}
	switch {
	case !replace:
		l.rootNeurons = append(slices.Clip(l.rootNeurons), neuron)
	case root.OwnerHotkey != (units.AccountID{}) && l.rootNeurons[uid].Hotkey == root.OwnerHotkey:
		// replace_neuron keeps the root owner's hotkey.
	default:
		ns := slices.Clone(l.rootNeurons)
		ns[uid] = neuron
		l.rootNeurons = ns
	}
	if _, ok := l.delegateTake[hotkey]; !ok {
		l.delegateTake[hotkey] = rootRegisterTake
		l.keysChanged()
	}
	// Both counters are below their limits, which are at most u16::MAX.
	root.RegistrationsThisInterval++
	root.RegistrationsThisBlock++
	l.emit(Event{Kind: EventNeuronRegistered, NetUID: RootNetUID, Hotkey: hotkey, Coldkey: coldkey, Value: uint64(uid)})
	return units.UID(uid), nil
}

// rootStake is the hotkey's TotalHotkeyAlpha on the root subnet
// (get_stake_for_hotkey_on_subnet).
func (l *Ledger) rootStake(hotkey units.AccountID) units.Alpha {
	if p, ok := l.stake.lookup(stakeKey{hotkey, RootNetUID}); ok {
		return p.Total()
	}
	return 0
}

// rootKeysOrder returns the uids 0..n−1 in the order Keys iterates them:
// its Identity-hashed u16 key is the uid's little-endian bytes, so the low
// byte sorts first.
func rootKeysOrder(n int) []int {
	uids := make([]int, n)
	for i := range uids {
		uids[i] = i
	}
	key := func(uid int) int { return (uid&0xff)<<8 | uid>>8 }
	slices.SortFunc(uids, func(a, b int) int { return key(a) - key(b) })
	return uids
}

// resetRootRegistrations is the root's part of
// update_registration_prices_for_networks (subnets/registration.rs) at
// block b, for the root subnet's state root (nil: no root subnet):
// RegistrationsThisBlock resets, and RegistrationsThisInterval when the
// root's schedule is due (should_run_epoch; the root's schedule never
// advances, so once due it stays due). The block passes the root its
// kept subnet list holds (keptSubnets), without a map lookup.
func resetRootRegistrations(root *SubnetState, b uint64) {
	if root == nil {
		return
	}
	root.RegistrationsThisBlock = 0
	if root.Schedule.Due(b) {
		root.RegistrationsThisInterval = 0
	}
}
