package dtao

import (
	"fmt"
	"slices"

	"github.com/dtao-go/dtao/units"
)

// UnstakeAll is the unstake_all extrinsic (do_unstake_all,
// pallets/subtensor/src/staking/remove_stake.rs): coldkey sells its whole
// stake on hotkey on every subnet, root included, and receives the TAO,
// whose total UnstakeAll returns. The hotkey must have an owner
// (ErrHotKeyAccountNotExists). A subnet whose subtoken is disabled, or
// whose sale validate_remove_stake refuses (no stake, say), is skipped; a
// call that sells nothing succeeds and changes nothing. Each sale is
// unstake_from_subnet with its fee; the first sale that fails undoes the
// whole call. The subnets are visited in the chain's order, that of
// NetworksAdded's keys (see chainNetUIDOrder). The nominations that
// clear_small_nomination_if_required would clear are those below
// NominatorMinRequiredStake, whose storage default is 0: none.
func (l *Ledger) UnstakeAll(coldkey, hotkey units.AccountID) (units.TAO, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	j := l.begin()
	var log callLog
	tao, err := l.unstakeAll(j, &log, coldkey, hotkey, false)
	if err != nil {
		j.rollback()
		log.undo(l)
		return 0, fmt.Errorf("unstake_all: %w", err)
	}
	j.commit()
	log.flush(l)
	return tao, nil
}

// UnstakeAllAlpha is the unstake_all_alpha extrinsic (do_unstake_all_alpha,
// pallets/subtensor/src/staking/remove_stake.rs): as UnstakeAll on every
// subnet but root, after which the TAO received is staked to hotkey on root
// with stake_into_subnet (keeping the coldkey alive). It returns the alpha
// staked on root. When nothing was sold the root stake buys nothing and the
// call fails with ErrAmountTooLow, as on chain. A ledger without a root
// subnet refuses the call with ErrSubnetNotExists.
func (l *Ledger) UnstakeAllAlpha(coldkey, hotkey units.AccountID) (units.Alpha, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	j := l.begin()
	var log callLog
	tao, err := l.unstakeAll(j, &log, coldkey, hotkey, true)
	if err == nil {
		if _, ok := l.subnets[RootNetUID]; !ok {
			err = ErrSubnetNotExists
		}
	}
	var alpha units.Alpha
	if err == nil {
		alpha, err = l.stakeIntoSubnet(j, &log, hotkey, coldkey, RootNetUID, tao, nil, false)
	}
	if err != nil {
		j.rollback()
		log.undo(l)
		return 0, fmt.Errorf("unstake_all_alpha: %w", err)
	}
	j.commit()
	log.flush(l)
	return alpha, nil
}

// unstakeAll is the loop of do_unstake_all and do_unstake_all_alpha
// (skipRoot); it returns the TAO the sales paid.
func (l *Ledger) unstakeAll(j *journal, log *callLog, coldkey, hotkey units.AccountID, skipRoot bool) (units.TAO, error) {
	if err := l.checkOrigin(coldkey); err != nil {
		return 0, err
	}
	if _, ok := l.owner[hotkey]; !ok {
		return 0, ErrHotKeyAccountNotExists
	}
	var total units.TAO
	for _, netuid := range l.chainNetUIDOrder() {
		if !l.subnets[netuid].SubtokenEnabled || (skipRoot && netuid == RootNetUID) {
			continue
		}
		alpha := l.stakeOf(hotkey, coldkey, netuid)
		if l.validateRemove(coldkey, hotkey, netuid, alpha, alpha, false) != nil || alpha == 0 {
			continue
		}
		tao, err := l.unstakeFromSubnet(j, log, hotkey, coldkey, netuid, alpha, nil, false)
		if err != nil {
			return 0, fmt.Errorf("netuid %d: %w", netuid, err)
		}
		total = total.SaturatingAdd(tao)
	}
	return total, nil
}

// chainNetUIDOrder returns the netuids in the order get_all_subnet_netuids
// (pallets/subtensor/src/subnets/subnet.rs) iterates NetworksAdded, whose
// Identity hasher keys each entry by the netuid's little-endian u16: by
// low byte, then high byte.
func (l *Ledger) chainNetUIDOrder() []units.NetUID {
	ids := l.netuids()
	slices.SortFunc(ids, func(a, b units.NetUID) int {
		ka, kb := uint16(a)<<8|uint16(a)>>8, uint16(b)<<8|uint16(b)>>8
		return int(ka) - int(kb)
	})
	return ids
}
