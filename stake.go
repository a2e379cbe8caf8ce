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
	var rd stakeReads
	if err := l.validateAddStakeReads(coldkey, hotkey, netuid, amount, amount, false, &rd); err != nil {
		return 0, fmt.Errorf("add_stake of %d rao on netuid %d: %w", amount.Rao(), netuid, err)
	}
	j := l.begin()
	var log callLog
	alpha, err := l.stakeIntoSubnetReads(j, &log, hotkey, coldkey, netuid, amount, nil, false, &rd)
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
	return addInputWithinSwapLimitOf(s, exists, netuid, amount)
}

// addInputWithinSwapLimitOf is addInputWithinSwapLimit with the subnet
// already looked up (s, exists == subnets[netuid]).
func addInputWithinSwapLimitOf(s *SubnetState, exists bool, netuid units.NetUID, amount units.TAO) error {
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
	var rd stakeReads
	return l.validateAddStakeReads(coldkey, hotkey, netuid, amount, maxAmount, allowPartial, &rd)
}

// stakeReads are what the validation of a stake call looked up and its
// stake_into_subnet or unstake_from_subnet reads again: the coldkey's
// balance cell (balances[coldkey], nil for no account), for a stake the
// subnet account's (balances[SubnetAccountID(netuid)]), the subnet's state
// (subnets[netuid]), the hotkey's share pool on it (stake[(hotkey,
// netuid)], nil for none) and, for an unstake, the index of the
// coldkey's entry in that pool (a hint, SharePool.findAt). The call
// changes nothing between the validation and the swap (begin only opens
// the journal), and nothing in the swap changes the coldkey's balance
// before the transfer that reads it, so they are what a second lookup
// would find.
//
// It also keeps what the validation computed and the call computes
// again: the swap it quoted (sw), for a stake the shares the quoted
// alpha buys (shares), for an unstake the coldkey's value (value). Each
// carries the inputs it was computed from and is used only when the call
// meets the same inputs (swapRead.swap, SharePool.knows,
// SharePool.valueRead), so it gives the bits a second computation would.
type stakeReads struct {
	free, subnetFree *units.TAO
	st               *SubnetState
	pool             *SharePool
	at               int
	sw               swapRead
	shares           stakeShares
	value            shareValue
}

// swapRead is a validation's quote of order o on a subnet's pool, made
// by swapping a copy of the pool (before) that the swap left as after,
// paying r. It holds nothing (ok false) when that swap failed.
type swapRead struct {
	ok            bool
	o             amm.Order
	before, after amm.Pool
	r             amm.Result
}

// quote is pool.Quote(o), computed as pool.Swap(o) on a copy of the pool
// and kept in sw for the call's swap (with sw nil, the plain quote). Quote returns what Swap would
// return (amm.Pool.Quote: the same swap as a simulation, which skips only
// the InsufficientLiquidity check of an executed one), so a swap that
// succeeds pays what the quote pays; one that fails is quoted again, as
// it was. The call's swap then costs a comparison instead of the swap
// arithmetic again (on a pool with general weights, the bulk of a stake
// call's computation).
func (sw *swapRead) quote(pool *amm.Pool, o amm.Order) (amm.Result, error) {
	if sw == nil {
		return pool.Quote(o) // nowhere to keep it
	}
	after := *pool
	if r, err := after.Swap(o); err == nil {
		*sw = swapRead{ok: true, o: o, before: *pool, after: after, r: r}
		return r, nil
	}
	sw.ok = false
	return pool.Quote(o)
}

// swap is pool.Swap(o): the kept swap when sw (nil: none) holds the same
// order on a pool equal to this one (a pool is plain data, and Swap reads
// and writes only the pool), else the swap itself.
func (sw *swapRead) swap(pool *amm.Pool, o amm.Order) (amm.Result, error) {
	if sw != nil && sw.ok && sw.o == o && sw.before == *pool {
		*pool = sw.after
		return sw.r, nil
	}
	return pool.Swap(o)
}

// validateAddStakeReads is validateAddStake, keeping its lookups in rd.
func (l *Ledger) validateAddStakeReads(coldkey, hotkey units.AccountID, netuid units.NetUID, amount, maxAmount units.TAO, allowPartial bool, rd *stakeReads) error {
	// The coldkey's balance, the hotkey's share pool and whether it has an
	// owner (from the pool when it keeps the answer, hotkeyOwned) are
	// read first, together: lookups in large maps, each likely a cache
	// miss, and independent, so that the processor overlaps their misses.
	// Only the kept answer is written; the checks below keep the chain's
	// order.
	freeRef := l.balances.cell(coldkey)
	sp := l.stake.pool(stakeKey{hotkey, netuid})
	hasOwner := l.hotkeyOwned(hotkey, sp)
	s, exists := l.subnets[netuid]
	*rd = stakeReads{free: freeRef, subnetFree: l.subnetBalanceRef(netuid), st: s, pool: sp}
	if sp == nil {
		sp = &emptySharePool
	}
	if err := addInputWithinSwapLimitOf(s, exists, netuid, amount); err != nil {
		return err
	}
	if !exists {
		return ErrSubnetNotExists
	}
	if !s.SubtokenEnabled {
		return ErrSubtokenDisabled
	}
	pool := &s.Pool
	// The fee of a quoted buy of the minimum stake, ApproxFee when the
	// quote fails (amm.Pool.QuotedBuyFee: the same integer, usually
	// without the swap).
	fee := pool.QuotedBuyFee(l.minStake)
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
	if amount > valueAt(freeRef) {
		return ErrNotEnoughBalanceToStake
	}
	if !hasOwner {
		return ErrHotKeyAccountNotExists
	}
	q, err := rd.sw.quote(pool, amm.BuyOrder(amount))
	if err != nil {
		return ErrInsufficientLiquidity
	}
	if q.TAO < l.minStake {
		return ErrAmountTooLow
	}
	if q.Alpha == 0 {
		return ErrInsufficientLiquidity
	}
	ok, shares := sp.simStakeShares(q.Alpha)
	if !ok {
		return ErrInsufficientLiquidity
	}
	rd.shares = shares
	return nil
}

var emptySharePool SharePool

// hotkeyOwned reports whether Owner holds the hotkey
// (Owner::<T>::contains_key, as validate_add_stake and
// validate_remove_stake check it, pallets/subtensor/src/staking/stake_utils.rs).
// p is the hotkey's share pool on some subnet (nil: none): the answer it
// keeps is used while the Owner map holds the same set of hotkeys (the
// same length after the same number of removals, see
// Ledger.ownerRemovals), and a looked-up answer is kept there, so that a
// stake call on a pool whose hotkey a call met before makes no lookup of
// its own in the Owner map, a large map whose lookups miss the cache.
// The pool is written: for calls holding the ledger's write lock only.
func (l *Ledger) hotkeyOwned(hotkey units.AccountID, p *SharePool) bool {
	n, rem := len(l.owner), l.ownerRemovals
	if p != nil && p.ownerLen == n && p.ownerRem == rem {
		// Also right for a pool that never kept an answer (zero fields):
		// then the map is empty and has never lost an entry, so it holds
		// no hotkey.
		return p.hasOwner
	}
	_, ok := l.owner[hotkey]
	if p != nil {
		p.ownerLen, p.ownerRem, p.hasOwner = n, rem, ok
	}
	return ok
}

// stakeIntoSubnet is stake_into_subnet (staking/stake_utils.rs) at limit
// (nil: the default, maximum, price), without the swap fee when dropFees
// (its drop_fees argument). On root it raises the coldkey's RootClaimed
// as add_stake_adjust_root_claimed_for_hotkey_and_coldkey does; it records
// those writes and EventStakeAdded in log.
func (l *Ledger) stakeIntoSubnet(j *journal, log *callLog, hotkey, coldkey units.AccountID, netuid units.NetUID, amount units.TAO, limit *amm.Price, dropFees bool) (units.Alpha, error) {
	return l.stakeIntoSubnetReads(j, log, hotkey, coldkey, netuid, amount, limit, dropFees, nil)
}

// stakeIntoSubnetReads is stakeIntoSubnet with the validation's lookups
// (nil: none; see stakeReads), right after the validation.
func (l *Ledger) stakeIntoSubnetReads(j *journal, log *callLog, hotkey, coldkey units.AccountID, netuid units.NetUID, amount units.TAO, limit *amm.Price, dropFees bool, rd *stakeReads) (units.Alpha, error) {
	var staked units.TAO
	var err error
	var s *SubnetState
	k := stakeKey{hotkey, netuid}
	if rd != nil {
		staked, err = l.transferToSubnetFree(j, netuid, coldkey, rd.free, rd.subnetFree, amount)
	} else {
		staked, err = l.transferToSubnet(j, netuid, coldkey, amount)
	}
	if err != nil {
		return 0, err
	}
	// The call changes the subnet's pool and TaoFlow only: recorded alone
	// (journal.subnetPoolOf).
	if rd != nil {
		s = j.subnetPoolOf(netuid, rd.st)
	} else {
		s = j.subnetPoolOf(netuid, l.subnets[netuid])
	}
	// swap_tao_for_alpha: the pool's reserves and SubnetAlphaOut, then
	// TotalStake by the gross TAO.
	var sw *swapRead
	if rd != nil {
		sw = &rd.sw
	}
	r, err := sw.swap(&s.Pool, orderWith(amm.BuyOrder(staked), limit, dropFees))
	if err != nil {
		return 0, err
	}
	l.totalStake = l.totalStake.SaturatingAdd(staked)
	if r.Alpha == 0 {
		return 0, ErrAmountTooLow
	}
	var p *SharePool
	if rd != nil {
		p = j.sharePoolOf(k, rd.pool)
	} else {
		p = j.sharePool(k)
	}
	if rd != nil && p.knows(&rd.shares, r.Alpha) {
		// The validation's shares for this alpha on this pool: simStake
		// is whether they are non-zero, and the stake adds them.
		if rd.shares.shares.IsZero() {
			return 0, ErrInsufficientLiquidity
		}
		if err := p.stakeKnown(coldkey, r.Alpha, &rd.shares); err != nil {
			return 0, err
		}
	} else {
		if !p.simStake(r.Alpha) {
			return 0, ErrInsufficientLiquidity
		}
		if err := p.Stake(coldkey, r.Alpha); err != nil {
			return 0, err
		}
	}
	var fee units.TAO
	if r.FeeToAuthor {
		fee = r.TAOFee
	}
	if rd != nil && fee != 0 && rd.subnetFree != nil && coldkey != SubnetAccountID(netuid) {
		// The transfer credited the subnet account through the cell the
		// validation looked up (balTransferKnown: a non-zero balance, so
		// the account stays), and nothing since removed it: the cell is
		// the account's, without a lookup. (A subnet account without a
		// cell got a new one: looked up. A subnet account cannot sign,
		// checkOrigin; were it the coldkey, the transfer would have left
		// it as it was.)
		err = l.payFeeFrom(j, netuid, rd.subnetFree, fee)
	} else {
		err = l.payFee(j, netuid, fee)
	}
	if err != nil {
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
	// Whether the hotkey has an owner is read with the stake, from the
	// pool when it keeps the answer (hotkeyOwned); the owner check keeps
	// its place in the chain's order.
	// The pool, the coldkey's entry in it, its balance and the subnet are
	// kept for unstake_from_subnet (stakeReads).
	rd := stakeReads{free: l.balances.cell(coldkey), pool: l.stake.pool(stakeKey{hotkey, netuid}), at: -1}
	hasOwner := l.hotkeyOwned(hotkey, rd.pool)
	var current units.Alpha
	if rd.pool != nil {
		rd.value, rd.at = rd.pool.valueShare(coldkey)
		current = units.Alpha(rd.value.v)
	}
	alpha = min(alpha, current)
	var exists bool
	rd.st, exists = l.subnets[netuid]
	if err := validateRemoveStakeOn(l.minStake, rd.st, exists, netuid, alpha, current, hasOwner, &rd.sw); err != nil {
		return 0, fmt.Errorf("remove_stake of %d alpha rao on netuid %d: %w", alpha.Rao(), netuid, err)
	}
	j := l.begin()
	var log callLog
	tao, err := l.unstakeFromSubnetReads(j, &log, hotkey, coldkey, netuid, alpha, nil, false, &rd)
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

// validateRemoveStakeOn is remove_stake's checks, at minimum stake
// minStake, with the subnet looked up (s, exists == subnets[netuid]);
// current is the coldkey's stake (stakeValue) and hasOwner whether the
// hotkey has an owner, read once by the caller. The sell it quotes is
// kept in sw.
func validateRemoveStakeOn(minStake units.TAO, s *SubnetState, exists bool, netuid units.NetUID, alpha, current units.Alpha, hasOwner bool, sw *swapRead) error {
	if !exists || !s.SubtokenEnabled {
		return ErrSubtokenDisabled
	}
	if err := removeInputWithinSwapLimitOf(s, exists, netuid, alpha); err != nil {
		return err
	}
	return validateRemoveQuote(minStake, s, exists, alpha, alpha, false, current, hasOwner, sw)
}

// removeInputWithinSwapLimit is ensure_remove_stake_input_within_swap_limit
// (remove_stake.rs).
func (l *Ledger) removeInputWithinSwapLimit(netuid units.NetUID, alpha units.Alpha) error {
	s, exists := l.subnets[netuid]
	return removeInputWithinSwapLimitOf(s, exists, netuid, alpha)
}

// removeInputWithinSwapLimitOf is removeInputWithinSwapLimit with the
// subnet already looked up (s, exists == subnets[netuid]).
func removeInputWithinSwapLimitOf(s *SubnetState, exists bool, netuid units.NetUID, alpha units.Alpha) error {
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
	return validateRemoveOn(l.minStake, s, exists, alpha, maxAmount, allowPartial, current, hasOwner)
}

// validateRemoveOn is validateRemoveRead at minimum stake minStake with
// the subnet already looked up (s, exists == subnets[netuid]).
func validateRemoveOn(minStake units.TAO, s *SubnetState, exists bool, alpha, maxAmount units.Alpha, allowPartial bool, current units.Alpha, hasOwner bool) error {
	return validateRemoveQuote(minStake, s, exists, alpha, maxAmount, allowPartial, current, hasOwner, nil)
}

// validateRemoveQuote is validateRemoveOn keeping the sell it quotes in
// sw (nil: a plain quote).
func validateRemoveQuote(minStake units.TAO, s *SubnetState, exists bool, alpha, maxAmount units.Alpha, allowPartial bool, current units.Alpha, hasOwner bool, sw *swapRead) error {
	if !exists {
		return ErrSubnetNotExists
	}
	if alpha == 0 {
		return ErrAmountTooLow
	}
	if current < alpha {
		return ErrNotEnoughStakeToWithdraw
	}
	q, err := sw.quote(&s.Pool, amm.SellOrder(alpha))
	if err != nil {
		return ErrInsufficientLiquidity
	}
	if current != alpha && q.TAO < minStake {
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
	return l.unstakeFromSubnetReads(j, log, hotkey, coldkey, netuid, alpha, limit, dropFees, nil)
}

// unstakeFromSubnetReads is unstakeFromSubnet with the validation's
// lookups (nil: none; see stakeReads), right after the validation.
func (l *Ledger) unstakeFromSubnetReads(j *journal, log *callLog, hotkey, coldkey units.AccountID, netuid units.NetUID, alpha units.Alpha, limit *amm.Price, dropFees bool, rd *stakeReads) (units.TAO, error) {
	var p *SharePool
	var s *SubnetState
	k := stakeKey{hotkey, netuid}
	var sw *swapRead
	if rd != nil {
		p = j.sharePoolOf(k, rd.pool)
		if _, err := p.unstakeRead(coldkey, alpha, &rd.at, &rd.value); err != nil {
			return 0, err
		}
		s = j.subnetPoolOf(netuid, rd.st)
		sw = &rd.sw
	} else {
		p = j.sharePool(k)
		if _, err := p.Unstake(coldkey, alpha); err != nil {
			return 0, err
		}
		s = j.subnetPoolOf(netuid, l.subnets[netuid])
	}
	// The call changes the subnet's pool, AlphaBurned and TaoFlow only:
	// recorded alone (journal.subnetPoolOf).
	r, err := sw.swap(&s.Pool, orderWith(amm.SellOrder(alpha), limit, dropFees))
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
	if rd != nil {
		err = l.taoTransferTo(j, SubnetAccountID(netuid), l.subnetBalanceRef(netuid), coldkey, rd.free, r.TAO)
	} else {
		err = l.taoTransfer(j, SubnetAccountID(netuid), coldkey, r.TAO)
	}
	if err != nil {
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
