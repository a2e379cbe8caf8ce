package dtao

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// ErrRootNetworkDoesNotExist: a swap claim finds no root subnet to stake
// the TAO on (RootNetworkDoesNotExist).
var ErrRootNetworkDoesNotExist = units.NewChainError("dtao", "RootNetworkDoesNotExist", "root network does not exist")

// callLog is what a call changes besides the journal's state: the
// RootClaimed entries (restored by undo when the call fails; claimLog)
// and the events, emitted by flush once the call has succeeded. A nil
// *callLog writes RootClaimed without recording it and drops the events.
type callLog struct {
	claims claimLog
	events []Event
}

// event records e for flush, when the ledger has an event function.
func (c *callLog) event(l *Ledger, e Event) {
	if c != nil && l.onEvent != nil {
		if c.events == nil {
			// Borrow the ledger's buffer (nil while another log holds it).
			c.events, l.jr.events = l.jr.events[:0], nil
		}
		c.events = append(c.events, e)
	}
}

// flush emits the call's events in order.
func (c *callLog) flush(l *Ledger) {
	for _, e := range c.events {
		l.emit(e)
	}
	c.release(l)
}

// rootClaimableNetUIDs calls f for each netuid of RootClaimable[hotkey] in
// ascending order (the chain's BTreeMap order) that holds a subnet: the
// hotkey's index (claimIndex), the entries a walk of the ledger's subnets
// (l.order) looking up each would find, in the same order.
func (l *Ledger) rootClaimableNetUIDs(hotkey units.AccountID, f func(netuid units.NetUID, rate fixed.I96F32)) {
	for _, c := range l.claimIndex[hotkey] {
		if !l.claimableSkipped(c.netuid) {
			f(c.netuid, *c.rate)
		}
	}
}

// adjustClaimedAfterAddStake is add_stake_adjust_root_claimed_for_hotkey_and_coldkey
// (pallets/subtensor/src/staking/claim_root.rs): amount of root stake
// joined (hotkey, coldkey), so every netuid of RootClaimable[hotkey] raises
// RootClaimed by rate·amount and the new stake earns no past dividend.
func (l *Ledger) adjustClaimedAfterAddStake(log *callLog, hotkey, coldkey units.AccountID, amount units.Alpha) {
	l.adjustClaimed(log, hotkey, coldkey, amount, true)
}

// adjustClaimedAfterRemoveStake is remove_stake_adjust_root_claimed_for_hotkey_and_coldkey
// (claim_root.rs): amount of root stake left (hotkey, coldkey); every
// netuid of RootClaimable[hotkey] but root lowers RootClaimed by
// rate·amount, saturating at 0.
func (l *Ledger) adjustClaimedAfterRemoveStake(log *callLog, hotkey, coldkey units.AccountID, amount units.Alpha) {
	l.adjustClaimed(log, hotkey, coldkey, amount, false)
}

// rootClaimThresholdOf is RootClaimableThreshold[netuid].
func (l *Ledger) rootClaimThresholdOf(netuid units.NetUID) fixed.I96F32 {
	if t, ok := l.rootClaimThreshold[netuid]; ok {
		return t
	}
	return fixed.I96F32FromUint64(uint64(emission.DefaultRootClaimThreshold))
}

// RootOwed is get_root_owed_for_hotkey_coldkey
// (pallets/subtensor/src/staking/claim_root.rs): the alpha of netuid's
// root dividends the coldkey's root stake on the hotkey may claim now
// (emission.RootOwed of RootClaimable, the root stake and RootClaimed).
// A claim pays it when it reaches the subnet's RootClaimableThreshold.
func (l *Ledger) RootOwed(hotkey, coldkey units.AccountID, netuid units.NetUID) units.Alpha {
	l.mu.RLock()
	defer l.mu.RUnlock()
	rate, _ := l.claimableRate(stakeKey{hotkey, netuid})
	claimed, _ := l.claimedOf(claimKey{netuid, hotkey, coldkey})
	return emission.RootOwed(rate, l.stakeOf(hotkey, coldkey, RootNetUID), claimed)
}

// RootClaimable returns RootClaimable[hotkey][netuid], the alpha of
// netuid's root dividends per unit of the hotkey's root stake, and whether
// the entry exists.
func (l *Ledger) RootClaimable(hotkey units.AccountID, netuid units.NetUID) (fixed.I96F32, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.claimableRate(stakeKey{hotkey, netuid})
}

// claimableRate is RootClaimable[k] and whether the entry exists (0 when
// it does not, the storage default).
func (l *Ledger) claimableRate(k stakeKey) (fixed.I96F32, bool) {
	if r := l.rootClaimable[k]; r != nil {
		return *r, true
	}
	return fixed.I96F32{}, false
}

// RootClaimed returns RootClaimed[(netuid, hotkey, coldkey)], the alpha
// the coldkey's root stake on the hotkey counts as claimed.
func (l *Ledger) RootClaimed(hotkey, coldkey units.AccountID, netuid units.NetUID) fixed.U128 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	claimed, _ := l.claimedOf(claimKey{netuid, hotkey, coldkey})
	return claimed
}

// RootClaimType returns the coldkey's RootClaimType (the zero value,
// Swap, when it set none).
func (l *Ledger) RootClaimType(coldkey units.AccountID) emission.RootClaimType {
	l.mu.RLock()
	defer l.mu.RUnlock()
	t := l.rootClaimType[coldkey]
	t.Subnets = slices.Clone(t.Subnets)
	return t
}

// SetRootClaimType is set_root_claim_type
// (pallets/subtensor/src/macros/dispatches.rs, change_root_claim_type in
// staking/claim_root.rs): what the coldkey's later claims do with owed
// alpha. A KeepSubnets type without subnets is
// emission.ErrInvalidSubnetNumber. The auto-claim coldkey index it also
// joins is not held by the ledger.
func (l *Ledger) SetRootClaimType(coldkey units.AccountID, t emission.RootClaimType) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.checkOrigin(coldkey); err != nil {
		return fmt.Errorf("set_root_claim_type: %w", err)
	}
	if err := t.Validate(); err != nil {
		return fmt.Errorf("set_root_claim_type: %w", err)
	}
	t.Subnets = slices.Clone(t.Subnets)
	if t.Kind != emission.RootClaimKeepSubnets {
		t.Subnets = nil
	}
	l.rootClaimType[coldkey] = t
	return nil
}

// SetRootClaimThreshold is sudo_set_root_claim_threshold
// (pallets/subtensor/src/macros/dispatches.rs): root or the subnet owner
// sets RootClaimableThreshold[netuid], the least owed alpha a claim pays.
// Another signer is subnet.ErrBadOrigin; a value above
// emission.MaxRootClaimThreshold is emission.ErrInvalidRootClaimThreshold.
// As on the chain, the netuid is not checked to hold a subnet.
func (l *Ledger) SetRootClaimThreshold(o Origin, netuid units.NetUID, value units.Alpha) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.ownerOrRoot(o, netuid); err != nil {
		return fmt.Errorf("sudo_set_root_claim_threshold on netuid %d: %w", netuid, err)
	}
	t, err := emission.RootClaimThreshold(value)
	if err != nil {
		return fmt.Errorf("sudo_set_root_claim_threshold on netuid %d: %w", netuid, err)
	}
	l.rootClaimThreshold[netuid] = t
	return nil
}

// RootClaimThreshold returns RootClaimableThreshold[netuid] (I96F32 alpha).
func (l *Ledger) RootClaimThreshold(netuid units.NetUID) fixed.I96F32 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.rootClaimThresholdOf(netuid)
}

// ClaimRoot is the claim_root extrinsic (pallets/subtensor/src/macros/dispatches.rs,
// do_root_claim and root_claim_on_subnet in staking/claim_root.rs): the
// coldkey claims the root dividends owed to its root stake on the listed
// subnets (between 1 and emission.MaxSubnetClaims distinct netuids, else
// emission.ErrInvalidSubnetNumber), for every hotkey it has root stake
// on, in ascending hotkey order, and each netuid of the hotkey's
// RootClaimable in ascending order. A netuid below its
// RootClaimableThreshold, or owing nothing, is skipped.
//
// With the coldkey's RootClaimType keeping the netuid, the owed alpha is
// staked to (hotkey, coldkey) on the netuid. Swapping it, the alpha is
// sold on the netuid's pool without fees (swap_alpha_for_tao:
// SubnetAlphaIn grows, SubnetAlphaOut, SubnetTAO and TotalStake fall), the
// TAO moves from the netuid's subnet account to the root subnet's, and is
// staked on root to (hotkey, coldkey): SubnetTAO and SubnetAlphaOut of root
// and TotalStake grow by it, and RootClaimed of every netuid of the
// hotkey's RootClaimable rises as for any root stake (alpha a price limit
// left unsold stays in SubnetAlphaOut, booked in AlphaBurned). Either way
// the alpha leaves SubnetState.RootClaimableAlpha and RootClaimed grows by
// it. A claim is capped by RootClaimableAlpha, so that the alpha reserved
// for claims never underflows: the fixed-point floors of the rates keep
// the claims within it, and the cap only binds should they not.
//
// The first error fails the call, which then changes nothing. Each paid
// claim emits EventRootClaimed. Not held by the ledger: the auto-claim
// coldkey index, SubnetRootSellTao and SubnetProtocolFlow.
func (l *Ledger) ClaimRoot(coldkey units.AccountID, subnets []units.NetUID) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.checkOrigin(coldkey); err != nil {
		return fmt.Errorf("claim_root: %w", err)
	}
	if err := emission.CheckClaimRootSubnets(subnets); err != nil {
		return fmt.Errorf("claim_root: %w", err)
	}
	typ := l.rootClaimType[coldkey]
	j := l.begin()
	var log callLog
	for _, h := range l.rootStakingHotkeys(coldkey) {
		// The hotkey's RootClaimable netuids in ascending order, as
		// rootClaimableNetUIDs visits them (a claim makes and takes out
		// no RootClaimable entry, so the index stays as it is).
		for _, c := range l.claimIndex[h] {
			id := c.netuid
			if l.claimableSkipped(id) || !slices.Contains(subnets, id) {
				continue
			}
			if err := l.rootClaimOnSubnet(j, &log, h, coldkey, id, typ); err != nil {
				j.rollback()
				log.undo(l)
				return fmt.Errorf("claim_root of hotkey %x on netuid %d: %w", h[:], id, err)
			}
		}
	}
	j.commit()
	log.flush(l)
	return nil
}

// rootStakingHotkeys returns the hotkeys the coldkey has root stake on, in
// ascending order. The chain visits StakingHotkeys[coldkey], every hotkey
// the coldkey ever staked to, in the order it first staked: a hotkey
// without root stake owes nothing, and the ledger, which does not keep that
// order, visits the others by their bytes.
func (l *Ledger) rootStakingHotkeys(coldkey units.AccountID) []units.AccountID {
	var hs []units.AccountID
	for k, p := range l.stake.all() {
		if k.netuid == RootNetUID && p.Value(coldkey) > 0 {
			hs = append(hs, k.hotkey)
		}
	}
	slices.SortFunc(hs, func(a, b units.AccountID) int { return bytes.Compare(a[:], b[:]) })
	return hs
}

// rootClaimOnSubnet is root_claim_on_subnet (claim_root.rs) without
// ignore_minimum_condition, which the chain's callers never set.
func (l *Ledger) rootClaimOnSubnet(j *journal, log *callLog, hotkey, coldkey units.AccountID, netuid units.NetUID, typ emission.RootClaimType) error {
	ck := claimKey{netuid, hotkey, coldkey}
	rate, _ := l.claimableRate(stakeKey{hotkey, netuid})
	claimed, _ := l.claimedOf(ck)
	owed := emission.RootOwedFloat(rate, l.stakeOf(hotkey, coldkey, RootNetUID), claimed)
	a := emission.RootClaimAmount(owed, l.rootClaimThresholdOf(netuid), false)
	st, ok := l.subnets[netuid]
	if !ok {
		return ErrSubnetNotExists
	}
	a = min(a, st.RootClaimableAlpha)
	if a == 0 {
		return nil
	}
	s := j.subnet(netuid)
	s.RootClaimableAlpha -= a
	if typ.Swaps(netuid) {
		if err := l.swapClaim(j, log, hotkey, coldkey, netuid, a); err != nil {
			return err
		}
	} else if err := j.sharePool(stakeKey{hotkey, netuid}).Stake(coldkey, a); err != nil {
		return err
	}
	claimed, _ = l.claimedOf(ck)
	log.setClaimed(l, ck, claimed.SaturatingAdd(fixed.U128FromUint64(uint64(a))))
	log.event(l, Event{Kind: EventRootClaimed, NetUID: netuid, Hotkey: hotkey, Coldkey: coldkey, Alpha: a})
	return nil
}

// swapClaim is root_claim_on_subnet's swap branch: a alpha, already taken
// from RootClaimableAlpha, is sold without fees and the TAO staked on root.
func (l *Ledger) swapClaim(j *journal, log *callLog, hotkey, coldkey units.AccountID, netuid units.NetUID, a units.Alpha) error {
	if _, ok := l.subnets[RootNetUID]; !ok {
		return ErrRootNetworkDoesNotExist
	}
	s := j.subnet(netuid)
	r, err := s.Pool.Swap(amm.SellOrder(a).WithoutFees())
	if err != nil {
		return err
	}
	l.totalStake = l.totalStake.SaturatingSub(r.TAO)
	s.AlphaBurned = s.AlphaBurned.SaturatingAdd(a.SaturatingSub(r.Alpha.SaturatingAdd(r.AlphaFee)))
	if err := l.taoTransfer(j, SubnetAccountID(netuid), SubnetAccountID(RootNetUID), r.TAO); err != nil {
		return err
	}
	staked := units.Alpha(r.TAO.Rao())
	if staked > 0 {
		if err := j.sharePool(stakeKey{hotkey, RootNetUID}).Stake(coldkey, staked); err != nil {
			return err
		}
	}
	root := j.subnet(RootNetUID)
	root.Pool.TAO = root.Pool.TAO.SaturatingAdd(r.TAO)
	root.Pool.AlphaOut = root.Pool.AlphaOut.SaturatingAdd(staked)
	l.totalStake = l.totalStake.SaturatingAdd(r.TAO)
	l.adjustClaimedAfterAddStake(log, hotkey, coldkey, staked)
	return nil
}
