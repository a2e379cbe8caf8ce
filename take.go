package dtao

import (
	"fmt"

	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Chain errors of the take calls, named as pallets/subtensor/src/macros/errors.rs
// names them.
var (
	// ErrDelegateTakeTooLow: increase_take to a take not above the
	// current one, decrease_take to a take not below it or below
	// MinDelegateTake.
	ErrDelegateTakeTooLow = units.NewChainError("dtao", "DelegateTakeTooLow", "delegate take too low")
	// ErrDelegateTakeTooHigh: increase_take above MaxDelegateTake.
	ErrDelegateTakeTooHigh = units.NewChainError("dtao", "DelegateTakeTooHigh", "delegate take too high")
	// ErrDelegateTxRateLimitExceeded: increase_take within
	// TxDelegateTakeRateLimit blocks of the hotkey's last take change.
	ErrDelegateTxRateLimitExceeded = units.NewChainError("dtao", "DelegateTxRateLimitExceeded",
		"delegate take rate limit exceeded")
	// ErrInvalidChildkeyTake: a childkey take outside
	// [effective minimum, MaxChildkeyTake].
	ErrInvalidChildkeyTake = units.NewChainError("dtao", "InvalidChildkeyTake", "invalid childkey take")
	// ErrTxChildkeyTakeRateLimitExceeded: a childkey take increase within
	// TxChildkeyTakeRateLimit blocks of the last change on the subnet.
	ErrTxChildkeyTakeRateLimitExceeded = units.NewChainError("dtao", "TxChildkeyTakeRateLimitExceeded",
		"childkey take rate limit exceeded")
)

// takeChecks is do_take_checks (utils/misc.rs): the hotkey exists and the
// coldkey owns it.
func (l *Ledger) takeChecks(coldkey, hotkey units.AccountID) error {
	c, ok := l.owner[hotkey]
	if !ok {
		return ErrHotKeyAccountNotExists
	}
	if c != coldkey {
		return ErrNonAssociatedColdKey
	}
	return nil
}

// exceedsDelegateTakeRateLimit is exceeds_tx_delegate_take_rate_limit
// (utils/rate_limiting.rs): a limit of 0 or no previous change never
// limits; otherwise a change within limit blocks (inclusive) does.
func exceedsDelegateTakeRateLimit(limit, prev, block uint64) bool {
	if limit == 0 || prev == 0 {
		return false
	}
	return fixed.SaturatingSubUint64(block, prev) <= limit
}

// IncreaseTake is increase_take (do_increase_take,
// pallets/subtensor/src/staking/increase_take.rs): the hotkey's delegate
// take, parts of 65535, rises to take. The checks, in the chain's order:
// the hotkey has no owner (ErrHotKeyAccountNotExists) or another
// (ErrNonAssociatedColdKey); a take not above the hotkey's stored take
// (ErrDelegateTakeTooLow; a hotkey without one may set any take up to the
// maximum); a take above Params.MaxDelegateTake (ErrDelegateTakeTooHigh);
// a previous take change, increase or decrease, within
// Params.TxDelegateTakeRateLimit blocks (ErrDelegateTxRateLimitExceeded).
// The block is recorded for the rate limit.
func (l *Ledger) IncreaseTake(coldkey, hotkey units.AccountID, take uint16) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.increaseTake(coldkey, hotkey, take); err != nil {
		return fmt.Errorf("increase_take: hotkey %x to %d: %w", hotkey[:], take, err)
	}
	l.emit(Event{Kind: EventTakeIncreased, Hotkey: hotkey, Coldkey: coldkey, Value: uint64(take)})
	return nil
}

func (l *Ledger) increaseTake(coldkey, hotkey units.AccountID, take uint16) error {
	if err := l.takeChecks(coldkey, hotkey); err != nil {
		return err
	}
	if cur, ok := l.delegateTake[hotkey]; ok && take <= cur {
		return ErrDelegateTakeTooLow
	}
	if take > l.params.MaxDelegateTake {
		return ErrDelegateTakeTooHigh
	}
	rk := RateLimitKey{Kind: RateLimitDelegateTake, Account: hotkey}
	if exceedsDelegateTakeRateLimit(l.params.TxDelegateTakeRateLimit, l.rateLimits[rk], l.block) {
		return ErrDelegateTxRateLimitExceeded
	}
	l.rateLimits[rk] = l.block
	l.delegateTake[hotkey] = take
	l.keysChanged()
	return nil
}

// DecreaseTake is decrease_take (do_decrease_take,
// pallets/subtensor/src/staking/decrease_take.rs): the hotkey's delegate
// take falls to take. The checks, in the chain's order: the hotkey has no
// owner (ErrHotKeyAccountNotExists) or another (ErrNonAssociatedColdKey);
// a take not below the hotkey's stored take, or below
// Params.MinDelegateTake (ErrDelegateTakeTooLow). A decrease is not rate
// limited but records the block, so that an increase right after it is.
func (l *Ledger) DecreaseTake(coldkey, hotkey units.AccountID, take uint16) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.decreaseTake(coldkey, hotkey, take); err != nil {
		return fmt.Errorf("decrease_take: hotkey %x to %d: %w", hotkey[:], take, err)
	}
	l.emit(Event{Kind: EventTakeDecreased, Hotkey: hotkey, Coldkey: coldkey, Value: uint64(take)})
	return nil
}

func (l *Ledger) decreaseTake(coldkey, hotkey units.AccountID, take uint16) error {
	if err := l.takeChecks(coldkey, hotkey); err != nil {
		return err
	}
	if cur, ok := l.delegateTake[hotkey]; ok && take >= cur {
		return ErrDelegateTakeTooLow
	}
	if take < l.params.MinDelegateTake {
		return ErrDelegateTakeTooLow
	}
	l.delegateTake[hotkey] = take
	l.keysChanged()
	l.rateLimits[RateLimitKey{Kind: RateLimitDelegateTake, Account: hotkey}] = l.block
	return nil
}

// minChildkeyTake is get_effective_min_childkey_take (utils/misc.rs):
// MinChildkeyTake (the ledger does not hold MinChildkeyTakePerSubnet,
// whose default is 0, so the subnet's own minimum is that default).
func (l *Ledger) minChildkeyTake(units.NetUID) uint16 {
	return l.params.MinChildkeyTake
}

// childkeyTakeOf is get_childkey_take (staking/set_children.rs): the
// stored take, at least the effective minimum.
func (l *Ledger) childkeyTakeOf(hotkey units.AccountID, netuid units.NetUID) uint16 {
	return max(l.childkeyTake[stakeKey{hotkey, netuid}], l.minChildkeyTake(netuid))
}

// SetChildkeyTake is set_childkey_take (do_set_childkey_take,
// pallets/subtensor/src/staking/set_children.rs): the part, in parts of
// 65535, of what the hotkey earns as a child on the subnet that it keeps
// before its parents are paid. The checks, in the chain's order: the
// coldkey does not own the hotkey (ErrNonAssociatedColdKey); a take below
// the effective minimum (Params.MinChildkeyTake) or above
// Params.MaxChildkeyTake (ErrInvalidChildkeyTake); an increase over the
// current take (ChildkeyTake) within Params.TxChildkeyTakeRateLimit
// blocks of the last change on the subnet
// (ErrTxChildkeyTakeRateLimitExceeded). Like the chain, the call does not
// check that the subnet exists. The block is recorded for the rate limit.
func (l *Ledger) SetChildkeyTake(coldkey, hotkey units.AccountID, netuid units.NetUID, take uint16) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.setChildkeyTake(coldkey, hotkey, netuid, take); err != nil {
		return fmt.Errorf("set_childkey_take: hotkey %x on netuid %d to %d: %w", hotkey[:], netuid, take, err)
	}
	l.emit(Event{Kind: EventChildkeyTakeSet, NetUID: netuid, Hotkey: hotkey, Coldkey: coldkey, Value: uint64(take)})
	return nil
}

func (l *Ledger) setChildkeyTake(coldkey, hotkey units.AccountID, netuid units.NetUID, take uint16) error {
	if !l.coldkeyOwnsHotkey(coldkey, hotkey) {
		return ErrNonAssociatedColdKey
	}
	if take < l.minChildkeyTake(netuid) || take > l.params.MaxChildkeyTake {
		return ErrInvalidChildkeyTake
	}
	rk := RateLimitKey{Kind: RateLimitChildkeyTake, Account: hotkey, NetUID: netuid}
	if take > l.childkeyTakeOf(hotkey, netuid) &&
		!passesRateLimit(l.params.TxChildkeyTakeRateLimit, l.block, l.rateLimits[rk]) {
		return ErrTxChildkeyTakeRateLimitExceeded
	}
	l.rateLimits[rk] = l.block
	l.childkeyTake[stakeKey{hotkey, netuid}] = take
	return nil
}

// DelegateTake returns the hotkey's delegate take, parts of 65535
// (get_hotkey_take, Delegates): emission.DefaultDelegateTake when it has
// none.
func (l *Ledger) DelegateTake(hotkey units.AccountID) uint16 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if t, ok := l.delegateTake[hotkey]; ok {
		return t
	}
	return emission.DefaultDelegateTake
}

// ChildkeyTake returns the hotkey's childkey take on the subnet, parts of
// 65535 (get_childkey_take): the stored take, at least the minimum.
func (l *Ledger) ChildkeyTake(hotkey units.AccountID, netuid units.NetUID) uint16 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.childkeyTakeOf(hotkey, netuid)
}
