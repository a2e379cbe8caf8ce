package dtao

import (
	"fmt"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// maxInputMultiplier is the 1000 of ensure_add_stake_input_within_swap_limit
// and ensure_remove_stake_input_within_swap_limit.
const maxInputMultiplier = 1_000

// AddStake is the add_stake extrinsic (do_add_stake,
// pallets/subtensor/src/staking/add_stake.rs): coldkey stakes amount TAO to
// hotkey on netuid and receives the alpha the swap pays, which AddStake
// returns. The checks run in the chain's order:
//
//   - a dynamic non-root subnet refuses an amount above 1000 times its
//     TAO reserve (ErrInsufficientLiquidity);
//   - validate_add_stake (staking/stake_utils.rs): the subnet exists
//     (ErrSubnetNotExists) and its subtoken is enabled
//     (ErrSubtokenDisabled); the amount is at least the minimum stake plus
//     the swap fee on it (ErrAmountTooLow); the free balance covers it
//     (ErrNotEnoughBalanceToStake); the hotkey has an owner
//     (ErrHotKeyAccountNotExists); the simulated swap succeeds, pays in at
//     least the minimum stake and pays out something, and the share pool
//     can represent it (ErrInsufficientLiquidity, ErrAmountTooLow).
//
// Then stake_into_subnet: the TAO moves to the subnet account keeping the
// coldkey alive (so staking the whole balance stakes ED less), is swapped
// on the subnet's pool (the pool's errors pass through), the alpha is
// credited to the coldkey's share of the hotkey's pool, TotalStake grows by
// the TAO moved, and the swap fee goes from the subnet account to the block
// author, or without one to BurnAccountID.
func (l *Ledger) AddStake(coldkey, hotkey units.AccountID, netuid units.NetUID, amount units.TAO) (units.Alpha, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.checkOrigin(coldkey); err != nil {
		return 0, fmt.Errorf("add_stake: %w", err)
	}
	if err := l.validateAddStake(coldkey, hotkey, netuid, amount, amount, false); err != nil {
		return 0, fmt.Errorf("add_stake of %d rao on netuid %d: %w", amount.Rao(), netuid, err)
	}
	j := l.begin()
	var log callLog
	alpha, err := l.stakeIntoSubnet(j, &log, hotkey, coldkey, netuid, amount, nil, false)
	if err != nil {
		j.rollback()
		log.undo(l)
		return 0, fmt.Errorf("add_stake of %d rao on netuid %d: %w", amount.Rao(), netuid, err)
	}
	j.commit()
	log.flush(l)
	return alpha, nil
}

// addInputWithinSwapLimit is ensure_add_stake_input_within_swap_limit
// (add_stake.rs), which reads SubnetMechanism, 0 for a netuid without a
// subnet.
func (l *Ledger) addInputWithinSwapLimit(netuid units.NetUID, amount units.TAO) error {
	s, exists := l.subnets[netuid]
	if exists && netuid != RootNetUID && s.Pool.Mechanism == amm.Dynamic {
		if amount.Rao() > fixed.SaturatingMulUint64(s.Pool.TAO.Rao(), maxInputMultiplier) {
			return ErrInsufficientLiquidity
		}
	}
	return nil
}

// validateAddStake is ensure_add_stake_input_within_swap_limit then
// validate_add_stake (staking/stake_utils.rs).
func (l *Ledger) validateAddStake(coldkey, hotkey units.AccountID, netuid units.NetUID, amount, maxAmount units.TAO, allowPartial bool) error {
	// The coldkey's balance, the hotkey's owner and its share pool are
	// read first, together: three lookups in large maps, each likely a
	// cache miss, and independent, so that the processor overlaps their
	// misses. They only read; the checks below keep the chain's order.
	free := l.balances[coldkey]
	_, hasOwner := l.owner[hotkey]
	sp := l.sharePoolOrEmpty(hotkey, netuid)
	if err := l.addInputWithinSwapLimit(netuid, amount); err != nil {
		return err
	}
	s, exists := l.subnets[netuid]
	if !exists {
		return ErrSubnetNotExists
	}
	if !s.SubtokenEnabled {
		return ErrSubtokenDisabled
	}
	pool := &s.Pool
	fee := amm.ApproxFee(pool, l.minStake)
	if q, err := pool.Quote(amm.BuyOrder(l.minStake)); err == nil {
		fee = q.TAOFee
	}
	if amount < l.minStake.SaturatingAdd(fee) {
		return ErrAmountTooLow
	}
	if !allowPartial {
		if amount > maxAmount {
			return ErrSlippageTooHigh
		}
	} else {
		amount = min(amount, maxAmount)
	}
	if amount > free {
		return ErrNotEnoughBalanceToStake
	}
	if !hasOwner {
		return ErrHotKeyAccountNotExists
	}
	q, err := pool.Quote(amm.BuyOrder(amount))
	if err != nil {
		return ErrInsufficientLiquidity
	}
	if q.TAO < l.minStake {
		return ErrAmountTooLow
	}
	if q.Alpha == 0 {
		return ErrInsufficientLiquidity
	}
	if !sp.simStake(q.Alpha) {
		return ErrInsufficientLiquidity
	}
	return nil
}

var emptySharePool SharePool

func (l *Ledger) sharePoolOrEmpty(hotkey units.AccountID, netuid units.NetUID) *SharePool {
	if p, ok := l.stake[stakeKey{hotkey, netuid}]; ok {
		return p
	}
	return &emptySharePool
}

// stakeIntoSubnet is stake_into_subnet (staking/stake_utils.rs) at limit
// (nil: the default, maximum, price), without the swap fee when dropFees
// (its drop_fees argument). On root it raises the coldkey's RootClaimed
// as add_stake_adjust_root_claimed_for_hotkey_and_coldkey does; it records
// those writes and EventStakeAdded in log.
func (l *Ledger) stakeIntoSubnet(j *journal, log *callLog, hotkey, coldkey units.AccountID, netuid units.NetUID, amount units.TAO, limit *amm.Price, dropFees bool) (units.Alpha, error) {
	staked, err := l.transferToSubnet(j, netuid, coldkey, amount)
	if err != nil {
		return 0, err
	}
	s := j.subnet(netuid)
	// swap_tao_for_alpha: the pool's reserves and SubnetAlphaOut, then
	// TotalStake by the gross TAO.
	r, err := s.Pool.Swap(orderWith(amm.BuyOrder(staked), limit, dropFees))
	if err != nil {
		return 0, err
	}
	l.totalStake = l.totalStake.SaturatingAdd(staked)
	if r.Alpha == 0 {
		return 0, ErrAmountTooLow
	}
	p := j.sharePool(stakeKey{hotkey, netuid})
	if !p.simStake(r.Alpha) {
		return 0, ErrInsufficientLiquidity
	}
	if err := p.Stake(coldkey, r.Alpha); err != nil {
		return 0, err
	}
	var fee units.TAO
	if r.FeeToAuthor {
		fee = r.TAOFee
	}
	if err := l.payFee(j, netuid, fee); err != nil {
		return 0, err
	}
	s.TaoFlow = saturatingAddFlow(s.TaoFlow, r.TAO, 1)
	if netuid == RootNetUID {
		l.adjustClaimedAfterAddStake(log, hotkey, coldkey, r.Alpha)
	}
	log.event(l, Event{Kind: EventStakeAdded, NetUID: netuid, Hotkey: hotkey, Coldkey: coldkey, TAO: staked, Alpha: r.Alpha})
	return r.Alpha, nil
}

// RemoveStake is the remove_stake extrinsic (do_remove_stake,
// pallets/subtensor/src/staking/remove_stake.rs): coldkey sells alpha of
// its stake on hotkey at netuid and receives the TAO, which RemoveStake
// returns. The amount is first capped at the coldkey's stake. The checks
// run in the chain's order: the subnet's subtoken is enabled
// (ErrSubtokenDisabled, also for a netuid without a subnet); a dynamic
// non-root subnet refuses more than 1000 times its alpha reserve
// (ErrInsufficientLiquidity); validate_remove_stake: the subnet exists
// (ErrSubnetNotExists), the amount is not zero (ErrAmountTooLow), the
// simulated sell succeeds (ErrInsufficientLiquidity) and, unless it
// unstakes everything, pays at least the minimum stake (ErrAmountTooLow);
// the hotkey has an owner (ErrHotKeyAccountNotExists).
//
// Then unstake_from_subnet: the alpha leaves the coldkey's share, is sold
// on the pool, TotalStake falls by the TAO paid, the TAO moves from the
// subnet account to the coldkey, and the alpha fee is sold fee-free for the
// block author (or, without one, burned: AlphaBurned).
func (l *Ledger) RemoveStake(coldkey, hotkey units.AccountID, netuid units.NetUID, alpha units.Alpha) (units.TAO, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.checkOrigin(coldkey); err != nil {
		return 0, fmt.Errorf("remove_stake: %w", err)
	}
	// The hotkey's owner is read with the stake, the two lookups' cache
	// misses overlapping (see validateAddStake); the owner check keeps
	// its place in the chain's order.
	_, hasOwner := l.owner[hotkey]
	current := l.stakeOf(hotkey, coldkey, netuid)
	alpha = min(alpha, current)
	if err := l.validateRemoveStake(coldkey, hotkey, netuid, alpha, current, hasOwner); err != nil {
		return 0, fmt.Errorf("remove_stake of %d alpha rao on netuid %d: %w", alpha.Rao(), netuid, err)
	}
	j := l.begin()
	var log callLog
	tao, err := l.unstakeFromSubnet(j, &log, hotkey, coldkey, netuid, alpha, nil, false)
	if err != nil {
		j.rollback()
		log.undo(l)
		return 0, fmt.Errorf("remove_stake of %d alpha rao on netuid %d: %w", alpha.Rao(), netuid, err)
	}
	j.commit()
	log.flush(l)
	l.dropPendingChildrenBelowThreshold(hotkey)
	return tao, nil
}

// validateRemoveStake is remove_stake's checks; current is the coldkey's
// stake (stakeValue) and hasOwner whether the hotkey has an owner, read
// once by the caller.
func (l *Ledger) validateRemoveStake(coldkey, hotkey units.AccountID, netuid units.NetUID, alpha, current units.Alpha, hasOwner bool) error {
	if s, exists := l.subnets[netuid]; !exists || !s.SubtokenEnabled {
		return ErrSubtokenDisabled
	}
	if err := l.removeInputWithinSwapLimit(netuid, alpha); err != nil {
		return err
	}
	return l.validateRemoveRead(netuid, alpha, alpha, false, current, hasOwner)
}

// removeInputWithinSwapLimit is ensure_remove_stake_input_within_swap_limit
// (remove_stake.rs).
func (l *Ledger) removeInputWithinSwapLimit(netuid units.NetUID, alpha units.Alpha) error {
	s, exists := l.subnets[netuid]
	if exists && netuid != RootNetUID && s.Pool.Mechanism == amm.Dynamic {
		if alpha.Rao() > fixed.SaturatingMulUint64(s.Pool.AlphaIn.Rao(), maxInputMultiplier) {
			return ErrInsufficientLiquidity
		}
	}
	return nil
}

// validateRemove is validate_remove_stake (staking/stake_utils.rs); the
// conviction locks it also checks are not held by the ledger yet.
func (l *Ledger) validateRemove(coldkey, hotkey units.AccountID, netuid units.NetUID, alpha, maxAmount units.Alpha, allowPartial bool) error {
	return l.validateRemoveCurrent(coldkey, hotkey, netuid, alpha, maxAmount, allowPartial, l.stakeOf(hotkey, coldkey, netuid))
}

// validateRemoveCurrent is validateRemove with the coldkey's stake on the
// hotkey and subnet already read (current == stakeValue, which only
// reads).
func (l *Ledger) validateRemoveCurrent(coldkey, hotkey units.AccountID, netuid units.NetUID, alpha, maxAmount units.Alpha, allowPartial bool, current units.Alpha) error {
	_, hasOwner := l.owner[hotkey]
	return l.validateRemoveRead(netuid, alpha, maxAmount, allowPartial, current, hasOwner)
}

// validateRemoveRead is validateRemoveCurrent with whether the hotkey has
// an owner already read (hasOwner == Owner contains it, which only
// reads).
func (l *Ledger) validateRemoveRead(netuid units.NetUID, alpha, maxAmount units.Alpha, allowPartial bool, current units.Alpha, hasOwner bool) error {
	s, exists := l.subnets[netuid]
	if !exists {
		return ErrSubnetNotExists
	}
	if alpha == 0 {
		return ErrAmountTooLow
	}
	if current < alpha {
		return ErrNotEnoughStakeToWithdraw
	}
	q, err := s.Pool.Quote(amm.SellOrder(alpha))
	if err != nil {
		return ErrInsufficientLiquidity
	}
	if current != alpha && q.TAO < l.minStake {
		return ErrAmountTooLow
	}
	if !allowPartial && alpha > maxAmount {
		return ErrSlippageTooHigh
	}
	if !hasOwner {
		return ErrHotKeyAccountNotExists
	}
	return nil
}

// unstakeFromSubnet is unstake_from_subnet (staking/stake_utils.rs) at
// limit (nil: the default, minimum, price), without the swap fee when
// dropFees (its drop_fees argument), paying the coldkey. On root it lowers
// the coldkey's RootClaimed by the alpha asked for, as
// remove_stake_adjust_root_claimed_for_hotkey_and_coldkey does; it records
// those writes and EventStakeRemoved in log.
func (l *Ledger) unstakeFromSubnet(j *journal, log *callLog, hotkey, coldkey units.AccountID, netuid units.NetUID, alpha units.Alpha, limit *amm.Price, dropFees bool) (units.TAO, error) {
	p := j.sharePool(stakeKey{hotkey, netuid})
	if _, err := p.Unstake(coldkey, alpha); err != nil {
		return 0, err
	}
	s := j.subnet(netuid)
	r, err := s.Pool.Swap(orderWith(amm.SellOrder(alpha), limit, dropFees))
	if err != nil {
		return 0, err
	}
	l.totalStake = l.totalStake.SaturatingSub(r.TAO)
	// The alpha a binding limit left unsold goes back to the stake.
	if refund := alpha.SaturatingSub(r.Alpha.SaturatingAdd(r.AlphaFee)); refund != 0 {
		if err := p.Stake(coldkey, refund); err != nil {
			return 0, err
		}
	}
	if err := l.taoTransfer(j, SubnetAccountID(netuid), coldkey, r.TAO); err != nil {
		return 0, err
	}
	var fee units.Alpha
	if r.FeeToAuthor {
		fee = r.AlphaFee
	}
	// A fee not paid to the author left the stake without leaving
	// SubnetAlphaOut.
	s.AlphaBurned = s.AlphaBurned.SaturatingAdd(r.AlphaFee - fee)
	outflow := r.TAO
	if l.hasAuthor {
		bb, err := s.Pool.Swap(amm.SellOrder(fee).WithoutFees())
		if err != nil {
			return 0, err
		}
		l.totalStake = l.totalStake.SaturatingSub(bb.TAO)
		// Alpha of the fee a binding limit left unsold stays outstanding,
		// held by no one.
		s.AlphaBurned = s.AlphaBurned.SaturatingAdd(fee.SaturatingSub(bb.Alpha))
		if err := l.taoTransfer(j, SubnetAccountID(netuid), l.author, bb.TAO); err != nil {
			return 0, err
		}
		outflow += bb.TAO
	} else {
		s.AlphaBurned = s.AlphaBurned.SaturatingAdd(fee)
	}
	s.TaoFlow = saturatingAddFlow(s.TaoFlow, outflow, -1)
	if netuid == RootNetUID {
		l.adjustClaimedAfterRemoveStake(log, hotkey, coldkey, alpha)
	}
	log.event(l, Event{Kind: EventStakeRemoved, NetUID: netuid, Hotkey: hotkey, Coldkey: coldkey, TAO: r.TAO, Alpha: r.Alpha})
	return r.TAO, nil
}

// orderWith applies stake_into_subnet's and unstake_from_subnet's limit
// (nil: the order's default) and drop_fees to an order.
func orderWith(o amm.Order, limit *amm.Price, dropFees bool) amm.Order {
	if limit != nil {
		o = o.WithLimit(*limit)
	}
	if dropFees {
		o = o.WithoutFees()
	}
	return o
}

// dropPendingChildrenBelowThreshold is the end of do_remove_stake and
// do_remove_stake_limit (staking/remove_stake.rs): a hotkey whose total
// stake fell below StakeThreshold loses its pending children on every
// subnet (PendingChildKeys::remove for each of get_all_subnet_netuids).
//
// get_total_stake_for_hotkey only reads, so when the hotkey has no pending
// entry on any subnet the removal changes nothing whatever the total is:
// the total, a lookup on every subnet, is computed only for a hotkey with
// pending children.
func (l *Ledger) dropPendingChildrenBelowThreshold(hotkey units.AccountID) {
	if !l.hasPendingChildren(hotkey) {
		return
	}
	if l.totalStakeForHotkey(hotkey).Rao() >= l.params.StakeThreshold {
		return
	}
	for _, id := range l.order {
		delete(l.pendingChildren, stakeKey{hotkey, id})
	}
}

// hasPendingChildren reports whether the hotkey has a PendingChildKeys
// entry on a subnet that exists: it walks the pending map when that is
// smaller than the subnets (usually empty), else looks the hotkey up on
// each subnet.
func (l *Ledger) hasPendingChildren(hotkey units.AccountID) bool {
	if len(l.pendingChildren) == 0 {
		return false
	}
	if len(l.pendingChildren) > len(l.order) {
		for _, id := range l.order {
			if _, ok := l.pendingChildren[stakeKey{hotkey, id}]; ok {
				return true
			}
		}
		return false
	}
	for k := range l.pendingChildren {
		if k.hotkey == hotkey {
			if _, ok := l.subnets[k.netuid]; ok {
				return true
			}
		}
	}
	return false
}
