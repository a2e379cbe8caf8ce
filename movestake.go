package dtao

import (
	"fmt"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// ErrSameNetuid: a move, transfer or swap of stake that would change
// nothing: the same coldkey, hotkey and subnet on both sides.
var ErrSameNetuid = units.NewChainError("dtao", "SameNetuid", "origin and destination are the same")

// MoveStake is the move_stake extrinsic (do_move_stake,
// pallets/subtensor/src/staking/move_stake.rs): coldkey moves alpha of its
// stake on originHotkey at originNetuid to destHotkey at destNetuid. It
// returns the TAO moved: the TAO the origin sale paid across subnets, the
// alpha's value at the subnet's price within one. See transitionStake for
// the checks and the two ways stake moves.
func (l *Ledger) MoveStake(coldkey, originHotkey, destHotkey units.AccountID, originNetuid, destNetuid units.NetUID, alpha units.Alpha) (units.TAO, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	tao, err := l.transitionStake(coldkey, coldkey, originHotkey, destHotkey, originNetuid, destNetuid, alpha)
	if err != nil {
		return 0, fmt.Errorf("move_stake of %d alpha rao from netuid %d to %d: %w", alpha.Rao(), originNetuid, destNetuid, err)
	}
	return tao, nil
}

// TransferStake is the transfer_stake extrinsic (do_transfer_stake,
// pallets/subtensor/src/staking/move_stake.rs): coldkey gives alpha of its
// stake on hotkey at originNetuid to destColdkey, staked to the same hotkey
// at destNetuid. Across subnets the TAO of the origin sale moves from
// coldkey to destColdkey (transfer_tao), which stakes it. The ledger holds
// no TransferToggle, whose storage default (true) lets every transfer
// through. It returns the TAO moved, as MoveStake.
func (l *Ledger) TransferStake(coldkey, destColdkey, hotkey units.AccountID, originNetuid, destNetuid units.NetUID, alpha units.Alpha) (units.TAO, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	tao, err := l.transitionStake(coldkey, destColdkey, hotkey, hotkey, originNetuid, destNetuid, alpha)
	if err != nil {
		return 0, fmt.Errorf("transfer_stake of %d alpha rao from netuid %d to %d: %w", alpha.Rao(), originNetuid, destNetuid, err)
	}
	return tao, nil
}

// SwapStake is the swap_stake extrinsic (do_swap_stake,
// pallets/subtensor/src/staking/move_stake.rs): coldkey moves alpha of its
// stake on hotkey from originNetuid to destNetuid (the same subnet is
// ErrSameNetuid). It returns the TAO moved, as MoveStake.
func (l *Ledger) SwapStake(coldkey, hotkey units.AccountID, originNetuid, destNetuid units.NetUID, alpha units.Alpha) (units.TAO, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	tao, err := l.transitionStake(coldkey, coldkey, hotkey, hotkey, originNetuid, destNetuid, alpha)
	if err != nil {
		return 0, fmt.Errorf("swap_stake of %d alpha rao from netuid %d to %d: %w", alpha.Rao(), originNetuid, destNetuid, err)
	}
	return tao, nil
}

// transitionStake is transition_stake_internal (staking/move_stake.rs)
// without a limit price, in one journal: the amount is capped at the
// origin stake, validate_stake_transition checks it, and then
//
//   - across subnets, unstake_from_subnet sells the alpha on the origin
//     pool and stake_into_subnet buys on the destination pool with the TAO
//     it paid (after transfer_tao to another destination coldkey); only one
//     leg pays the swap fee: the destination leg when the origin is root,
//     else the origin leg. TAO below the minimum stake is not restaked and
//     stays with the destination coldkey;
//   - within one subnet, transfer_stake_within_subnet moves the alpha from
//     one share to the other without a swap or a fee, and fails with
//     ErrAmountTooLow when the alpha is worth less than the minimum stake
//     at the subnet's price.
//
// Root stake moving in or out adjusts RootClaimed as stake_into_subnet,
// unstake_from_subnet and transfer_stake_within_subnet do. The ledger
// holds neither conviction locks (ensure_available_to_unstake,
// transfer_lock) nor Delegates (maybe_become_delegate), and the chain sets
// no rate limit on these calls.
func (l *Ledger) transitionStake(originColdkey, destColdkey, originHotkey, destHotkey units.AccountID, originNetuid, destNetuid units.NetUID, alpha units.Alpha) (units.TAO, error) {
	if err := l.checkOrigin(originColdkey); err != nil {
		return 0, err
	}
	alpha = min(alpha, l.stakeOf(originHotkey, originColdkey, originNetuid))
	if err := l.validateStakeTransition(originColdkey, destColdkey, originHotkey, destHotkey, originNetuid, destNetuid, alpha); err != nil {
		return 0, err
	}
	j := l.begin()
	var log callLog
	var tao units.TAO
	var err error
	if originNetuid != destNetuid {
		tao, err = l.moveAcrossSubnets(j, &log, originColdkey, destColdkey, originHotkey, destHotkey, originNetuid, destNetuid, alpha)
	} else {
		tao, err = l.transferStakeWithinSubnet(j, &log, originColdkey, originHotkey, destColdkey, destHotkey, originNetuid, alpha)
	}
	if err != nil {
		j.rollback()
		log.undo(l)
		return 0, err
	}
	j.commit()
	log.flush(l)
	return tao, nil
}

// validateStakeTransition is validate_stake_transition
// (staking/stake_utils.rs) without a limit price, in the chain's order.
func (l *Ledger) validateStakeTransition(originColdkey, destColdkey, originHotkey, destHotkey units.AccountID, originNetuid, destNetuid units.NetUID, alpha units.Alpha) error {
	if originColdkey == destColdkey && originHotkey == destHotkey && originNetuid == destNetuid {
		return ErrSameNetuid
	}
	origin, ok := l.subnets[originNetuid]
	if !ok {
		return ErrSubnetNotExists
	}
	dest, ok := l.subnets[destNetuid]
	if !ok {
		return ErrSubnetNotExists
	}
	if !origin.SubtokenEnabled || !dest.SubtokenEnabled {
		return ErrSubtokenDisabled
	}
	if _, ok := l.owner[originHotkey]; !ok {
		return ErrHotKeyAccountNotExists
	}
	if _, ok := l.owner[destHotkey]; !ok {
		return ErrHotKeyAccountNotExists
	}
	if alpha > l.stakeOf(originHotkey, originColdkey, originNetuid) {
		return ErrNotEnoughStakeToWithdraw
	}
	if originNetuid != destNetuid {
		q, err := origin.Pool.Quote(amm.SellOrder(alpha))
		if err != nil {
			return ErrInsufficientLiquidity
		}
		if q.TAO <= l.minStake {
			return ErrAmountTooLow
		}
	}
	return nil
}

// moveAcrossSubnets is the cross-subnet branch of
// transition_stake_internal (staking/move_stake.rs).
func (l *Ledger) moveAcrossSubnets(j *journal, log *callLog, originColdkey, destColdkey, originHotkey, destHotkey units.AccountID, originNetuid, destNetuid units.NetUID, alpha units.Alpha) (units.TAO, error) {
	dropOrigin := originNetuid == RootNetUID
	tao, err := l.unstakeFromSubnet(j, log, originHotkey, originColdkey, originNetuid, alpha, nil, dropOrigin)
	if err != nil {
		return 0, err
	}
	if originColdkey != destColdkey {
		if err := l.taoTransfer(j, originColdkey, destColdkey, tao); err != nil {
			return 0, err
		}
	}
	if tao >= l.minStake {
		if _, err := l.stakeIntoSubnet(j, log, destHotkey, destColdkey, destNetuid, tao, nil, !dropOrigin); err != nil {
			return 0, err
		}
	}
	return tao, nil
}

// transferStakeWithinSubnet is transfer_stake_within_subnet
// (staking/stake_utils.rs): the alpha leaves the origin share and joins the
// destination share, and its value at the subnet's price
// (current_alpha_price × alpha, floored, saturating) must be at least the
// minimum stake. On root the origin keys' RootClaimed falls and the
// destination keys' rises by rate·alpha, recorded in log.
func (l *Ledger) transferStakeWithinSubnet(j *journal, log *callLog, originColdkey, originHotkey, destColdkey, destHotkey units.AccountID, netuid units.NetUID, alpha units.Alpha) (units.TAO, error) {
	if _, err := j.sharePool(stakeKey{originHotkey, netuid}).Unstake(originColdkey, alpha); err != nil {
		return 0, err
	}
	if netuid == RootNetUID {
		l.adjustClaimedAfterRemoveStake(log, originHotkey, originColdkey, alpha)
	}
	if err := j.sharePool(stakeKey{destHotkey, netuid}).Stake(destColdkey, alpha); err != nil {
		return 0, err
	}
	if netuid == RootNetUID {
		l.adjustClaimedAfterAddStake(log, destHotkey, destColdkey, alpha)
	}
	price := l.subnets[netuid].Pool.Price().U64F64()
	tao := units.TAO(price.SaturatingMul(fixed.U64F64FromUint64(alpha.Rao())).SaturatingToUint64())
	if tao < l.minStake {
		return 0, ErrAmountTooLow
	}
	return tao, nil
}
