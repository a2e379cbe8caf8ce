package dtao

import (
	"fmt"
	"slices"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// DissolveNetwork is the root-only dissolve_network and
// root_dissolve_network extrinsics (do_dissolve_network,
// pallets/subtensor/src/coinbase/root.rs). An origin other than
// subnet.OriginRoot is ErrBadOrigin; the root netuid or a netuid without a
// subnet is ErrSubnetNotExists.
//
// The dissolution, as the chain does it (finalize_all_subnet_root_dividends,
// destroy_alpha_in_out_stakes in staking/remove_stake.rs,
// clear_protocol_liquidity, remove_network):
//
//   - the subnet's RootClaimable rates and RootClaimed entries are dropped;
//   - the TAO reserve (SubnetTAO) leaves TotalStake and is shared out
//     pro rata over every coldkey's alpha value on the subnet (a share
//     whose value reads 0 counts its raw share) and the protocol's part
//     (SubnetProtocolAlpha, plus SubnetAlphaIn for a subnet registered
//     after TaoInRefundDeploymentBlock), each floor(pot·value/total),
//     the rao left given one each to the largest remainders (hotkeys in
//     storage order, coldkeys ascending, ties kept in that order); the
//     stakers' parts move to their coldkeys' free balances, a transfer
//     that fails (a new account below the existential deposit) leaving
//     its TAO behind; the protocol's part stays;
//   - a legacy subnet (registered before NetworkRegistrationStartBlock)
//     refunds its owner SubnetLocked less the owner cut's share of the
//     alpha issuance at the current price, out of what the account holds
//     beyond the protocol's part; no other subnet refunds anything;
//   - all the subnet account holds beyond the existential deposit is
//     recycled (TotalIssuance falls by it);
//   - the subnet, its neurons and hyperparameters, its pool and share
//     pools, and its ChildKeys, ParentKeys, ChildkeyTake, PendingChildKeys
//     and SetChildren rate limits are removed.
//
// An EventNetworkRemoved reports it. Stake, alpha and pending emission of
// the subnet are gone: CheckInvariants holds after.
func (l *Ledger) DissolveNetwork(origin subnet.Origin, netuid units.NetUID) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if origin != subnet.OriginRoot {
		return fmt.Errorf("dissolve_network of netuid %d by origin %v: %w", netuid, origin, ErrBadOrigin)
	}
	if _, ok := l.subnets[netuid]; !ok || netuid == RootNetUID {
		return fmt.Errorf("dissolve_network of netuid %d: %w", netuid, ErrSubnetNotExists)
	}
	j := l.begin()
	l.dissolve(j, netuid)
	j.commit()
	l.emit(Event{Kind: EventNetworkRemoved, NetUID: netuid})
	return nil
}

// refundRules are the two storage values that decide who dissolution
// pays: NetworkRegistrationStartBlock and TaoInRefundDeploymentBlock.
type refundRules struct {
	registrationStart, taoInRefund uint64
}

// dissolve removes the existing non-root subnet netuid, recording the
// undo in j. It cannot fail.
func (l *Ledger) dissolve(j *journal, netuid units.NetUID) {
	l.dissolveWith(j, netuid, refundRules{networkRegistrationStartBlock, taoInRefundDeploymentBlock})
}

// portion is one part of the dissolution pot.
type portion struct {
	coldkey  units.AccountID
	protocol bool
	share    uint64
	rem      fixed.U128
}

func (l *Ledger) dissolveWith(j *journal, netuid units.NetUID, rules refundRules) {
	st := l.subnets[netuid]
	acct := SubnetAccountID(netuid)

	// Owner refund of a legacy subnet: the lock less the owner cut of the
	// alpha issuance priced at the current price.
	lock := st.Locked
	refundOwner := st.RegisteredAt < rules.registrationStart
	var ownerEmissionTAO uint64
	if refundOwner && lock > 0 {
		issuance := st.Pool.AlphaIn.SaturatingAdd(st.Pool.AlphaOut).Rao()
		if issuance > 0 {
			cut := fixed.U96F32FromUint64(uint64(l.params.SubnetOwnerCut)).SafeDiv(fixed.U96F32FromUint64(65535))
			ownerAlpha := fixed.U96F32FromUint64(issuance).SaturatingMul(cut).SaturatingToUint64()
			if ownerAlpha > 0 {
				price := st.Pool.Price().U64F64().SaturatingToU96F32()
				ownerEmissionTAO = fixed.U96F32FromUint64(ownerAlpha).SaturatingMul(price).SaturatingToUint64()
			}
		}
	}

	// The stakers' alpha values, hotkeys in TotalHotkeyAlpha's storage
	// order, coldkeys ascending.
	var protocolValue uint64
	if st.RegisteredAt > rules.taoInRefund {
		protocolValue = st.Pool.AlphaIn.SaturatingAdd(st.ProtocolAlpha).Rao()
	} else {
		protocolValue = st.ProtocolAlpha.Rao()
	}
	total := fixed.U128FromUint64(protocolValue)
	var portions []portion
	for _, h := range l.hotkeysOn(netuid) {
		p := l.stake.pool(stakeKey{h, netuid})
		for c, share := range p.Holders() {
			v := p.Value(c).Rao()
			if v == 0 {
				v = share.ToUint64()
			}
			if v > 0 {
				total = total.SaturatingAdd(fixed.U128FromUint64(v))
				portions = append(portions, portion{coldkey: c, share: v})
			}
		}
	}

	pot := st.Pool.TAO.Rao()
	if pot > 0 {
		l.totalStake = l.totalStake.SaturatingSub(st.Pool.TAO)
	}
	var protocolTAO units.TAO
	if pot > 0 && !total.IsZero() {
		if protocolValue > 0 {
			portions = append(portions, portion{coldkey: st.Owner, protocol: true, share: protocolValue})
		}
		var distributed fixed.U128
		for i := range portions {
			p := &portions[i]
			q, rem, _ := fixed.U128Mul64(pot, p.share).QuoRem(total) // total > 0
			p.share, p.rem = q.SaturatingToUint64(), rem
			distributed = distributed.SaturatingAdd(fixed.U128FromUint64(p.share))
		}
		potInt := fixed.U128FromUint64(pot)
		if potInt.Cmp(distributed) > 0 {
			left := potInt.SaturatingSub(distributed)
			slices.SortStableFunc(portions, func(a, b portion) int { return b.rem.Cmp(a.rem) })
			give := len(portions)
			if left.Cmp(fixed.U128FromUint64(uint64(give))) < 0 {
				give = int(left.SaturatingToUint64())
			}
			for i := range give {
				portions[i].share = fixed.SaturatingAddUint64(portions[i].share, 1)
			}
		}
		for _, p := range portions {
			switch {
			case p.protocol:
				protocolTAO = protocolTAO.SaturatingAdd(units.TAO(p.share))
			case p.share > 0:
				// transfer_tao_from_subnet; the chain ignores a failure.
				_ = l.taoTransfer(j, acct, p.coldkey, units.TAO(p.share))
			}
		}
	}

	if refundOwner {
		if refund := lock.SaturatingSub(units.TAO(ownerEmissionTAO)); refund > 0 {
			transferable := l.balance(acct).SaturatingSub(protocolTAO)
			_ = l.taoTransfer(j, acct, st.Owner, min(refund, transferable))
		}
	}

	// recycle_tao of the keep-alive balance: the account keeps the
	// existential deposit.
	if rest := l.balance(acct).SaturatingSub(l.ed); rest > 0 {
		l.totalIssuance = l.totalIssuance.SaturatingSub(rest)
		j.setBalance(acct, l.balance(acct)-rest)
	}

	j.removeSubnet(netuid)
}

// hotkeysOn returns the hotkeys with a share pool on netuid in
// TotalHotkeyAlpha's storage order (Blake2_128Concat of the hotkey).
func (l *Ledger) hotkeysOn(netuid units.NetUID) []units.AccountID {
	var hs []units.AccountID
	for k := range l.stake.all() {
		if k.netuid == netuid {
			hs = append(hs, k.hotkey)
		}
	}
	sortByStorageOrder(hs)
	return hs
}
