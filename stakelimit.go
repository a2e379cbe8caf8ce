package dtao

import (
	"fmt"
	"math"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// oneTAOPerAlphaRao is 1 TAO per alpha in rao per alpha, the price of the
// stable mechanism.
const oneTAOPerAlphaRao = 1_000_000_000

// AddStakeLimit is the add_stake_limit extrinsic (do_add_stake_limit,
// pallets/subtensor/src/staking/add_stake.rs): AddStake at a limit price
// (passed to the chain as limit.Rao(), rao per alpha). The largest amount
// the limit allows is get_max_amount_add (amm.Pool.MaxAmountAdd; on root,
// a stable subnet or a missing one u64::MAX when the limit is at least
// 1 TAO per alpha, else 0), whose errors pass through. With allowPartial
// the stake is capped at it; without, an amount above it is
// ErrSlippageTooHigh (fill or kill). The checks of AddStake then run on the
// capped amount, and the swap runs at the limit.
func (l *Ledger) AddStakeLimit(coldkey, hotkey units.AccountID, netuid units.NetUID, amount units.TAO, limit amm.Price, allowPartial bool) (units.Alpha, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	wrap := func(err error) error {
		return fmt.Errorf("add_stake_limit of %d rao on netuid %d at %s: %w", amount.Rao(), netuid, limit, err)
	}
	if err := l.checkOrigin(coldkey); err != nil {
		return 0, wrap(err)
	}
	if err := l.addInputWithinSwapLimit(netuid, amount); err != nil {
		return 0, wrap(err)
	}
	maxAmount, err := l.maxAmountAdd(netuid, limit)
	if err != nil {
		return 0, wrap(err)
	}
	if err := l.validateAddStake(coldkey, hotkey, netuid, amount, maxAmount, allowPartial); err != nil {
		return 0, wrap(err)
	}
	j := l.begin()
	var log callLog
	alpha, err := l.stakeIntoSubnet(j, &log, hotkey, coldkey, netuid, min(amount, maxAmount), &limit, false)
	if err != nil {
		j.rollback()
		log.undo(l)
		return 0, wrap(err)
	}
	j.commit()
	log.flush(l)
	return alpha, nil
}

// maxAmountAdd is get_max_amount_add (add_stake.rs).
func (l *Ledger) maxAmountAdd(netuid units.NetUID, limit amm.Price) (units.TAO, error) {
	s, exists := l.subnets[netuid]
	if netuid == RootNetUID || !exists || s.Pool.Mechanism == amm.Stable {
		if limit.Rao() >= oneTAOPerAlphaRao {
			return math.MaxUint64, nil
		}
		return 0, nil
	}
	return s.Pool.MaxAmountAdd(limit)
}

// maxAmountRemove is get_max_amount_remove (remove_stake.rs).
func (l *Ledger) maxAmountRemove(netuid units.NetUID, limit amm.Price) (units.Alpha, error) {
	s, exists := l.subnets[netuid]
	if netuid == RootNetUID || !exists || s.Pool.Mechanism == amm.Stable {
		if limit.Rao() <= oneTAOPerAlphaRao {
			return math.MaxUint64, nil
		}
		return 0, nil
	}
	return s.Pool.MaxAmountRemove(limit)
}

// RemoveStakeLimit is the remove_stake_limit extrinsic
// (do_remove_stake_limit, pallets/subtensor/src/staking/remove_stake.rs):
// RemoveStake at a limit price. Unlike RemoveStake it neither checks
// SubtokenEnabled nor caps the amount at the stake (an amount above it is
// ErrNotEnoughStakeToWithdraw). The largest amount the limit allows is
// get_max_amount_remove (amm.Pool.MaxAmountRemove; on root, a stable subnet
// or a missing one u64::MAX when the limit is at most 1 TAO per alpha,
// else 0); without allowPartial an amount above it is ErrSlippageTooHigh,
// with it the sale is capped at it. The sale runs at the limit; alpha it
// leaves unsold returns to the stake.
func (l *Ledger) RemoveStakeLimit(coldkey, hotkey units.AccountID, netuid units.NetUID, alpha units.Alpha, limit amm.Price, allowPartial bool) (units.TAO, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	wrap := func(err error) error {
		return fmt.Errorf("remove_stake_limit of %d alpha rao on netuid %d at %s: %w", alpha.Rao(), netuid, limit, err)
	}
	if err := l.checkOrigin(coldkey); err != nil {
		return 0, wrap(err)
	}
	if err := l.removeInputWithinSwapLimit(netuid, alpha); err != nil {
		return 0, wrap(err)
	}
	maxAmount, err := l.maxAmountRemove(netuid, limit)
	if err != nil {
		return 0, wrap(err)
	}
	if err := l.validateRemove(coldkey, hotkey, netuid, alpha, maxAmount, allowPartial); err != nil {
		return 0, wrap(err)
	}
	j := l.begin()
	var log callLog
	tao, err := l.unstakeFromSubnet(j, &log, hotkey, coldkey, netuid, min(alpha, maxAmount), &limit, false)
	if err != nil {
		j.rollback()
		log.undo(l)
		return 0, wrap(err)
	}
	j.commit()
	log.flush(l)
	l.dropPendingChildrenBelowThreshold(hotkey)
	return tao, nil
}
