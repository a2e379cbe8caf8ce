package dtao

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// addStakeRef is AddStake as written before its lookups were kept
// (stakeReads): every check and write looks its entries up again.
func (l *Ledger) addStakeRef(coldkey, hotkey units.AccountID, netuid units.NetUID, amount units.TAO) (units.Alpha, error) {
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

// removeStakeRef is RemoveStake as written before its lookups were kept.
func (l *Ledger) removeStakeRef(coldkey, hotkey units.AccountID, netuid units.NetUID, alpha units.Alpha) (units.TAO, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.checkOrigin(coldkey); err != nil {
		return 0, fmt.Errorf("remove_stake: %w", err)
	}
	_, hasOwner := l.owner[hotkey]
	current := l.stakeOf(hotkey, coldkey, netuid)
	alpha = min(alpha, current)
	check := func() error {
		if s, exists := l.subnets[netuid]; !exists || !s.SubtokenEnabled {
			return ErrSubtokenDisabled
		}
		if err := l.removeInputWithinSwapLimit(netuid, alpha); err != nil {
			return err
		}
		return l.validateRemoveRead(netuid, alpha, alpha, false, current, hasOwner)
	}
	if err := check(); err != nil {
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

// AddStake and RemoveStake, which keep the validation's lookups for the
// swap (stakeReads), give the same results, errors and state as the
// reference calls that look everything up again, on two copies of a
// network driven by the same drawn calls: subnets and root, owned and
// unowned hotkeys, a missing netuid, a subnet account as signer, amounts
// from 0 to above every balance, blocks between the calls, and the fees
// paid to a block author or burned.
func TestStakeReadsMatchLookups(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l, ref := testNetwork(t), testNetwork(t)
		for _, x := range []*Ledger{l, ref} {
			x.addClaimable(stakeKey{acctN(102), 1}, new(fixed.I96F32FromUint64(3)))
			x.addClaimable(stakeKey{acctN(102), RootNetUID}, new(fixed.I96F32FromUint64(1)))
		}
		coldkeys := []units.AccountID{acctN(0), acctN(1), acctN(2), acctN(3), acctN(4), acctN(60), SubnetAccountID(1)}
		hotkeys := []units.AccountID{acctN(100), acctN(101), acctN(102), acctN(103)}
		for i := range rapid.IntRange(1, 40).Draw(t, "calls") {
			c := rapid.SampledFrom(coldkeys).Draw(t, "coldkey")
			h := rapid.SampledFrom(hotkeys).Draw(t, "hotkey")
			netuid := units.NetUID(rapid.IntRange(0, 3).Draw(t, "netuid"))
			var got, want string
			switch rapid.IntRange(0, 4).Draw(t, "kind") {
			case 0:
				amount := units.TAO(rapid.OneOf(rapid.Uint64Range(0, 3_000_000), rapid.Uint64Range(0, 6_000_000_000_000), rapid.Uint64()).Draw(t, "tao"))
				a, err := l.AddStake(c, h, netuid, amount)
				got = fmt.Sprint(a, err)
				a, err = ref.addStakeRef(c, h, netuid, amount)
				want = fmt.Sprint(a, err)
			case 1:
				alpha := units.Alpha(rapid.OneOf(rapid.Uint64Range(0, 3_000_000), rapid.Uint64Range(0, 2_000_000_000_000), rapid.Uint64()).Draw(t, "alpha"))
				v, err := l.RemoveStake(c, h, netuid, alpha)
				got = fmt.Sprint(v, err)
				v, err = ref.removeStakeRef(c, h, netuid, alpha)
				want = fmt.Sprint(v, err)
			case 2:
				// The whole stake, or one rao short of it.
				all := ref.Stake(h, c, netuid).SaturatingSub(units.Alpha(rapid.IntRange(0, 1).Draw(t, "short")))
				v, err := l.RemoveStake(c, h, netuid, all)
				got = fmt.Sprint(v, err)
				v, err = ref.removeStakeRef(c, h, netuid, all)
				want = fmt.Sprint(v, err)
			case 3:
				_, err := l.Step()
				got = fmt.Sprint(err)
				_, err = ref.Step()
				want = fmt.Sprint(err)
			case 4:
				// The author: one of the coldkeys (so also the signer of
				// a later call) or none.
				if a := rapid.IntRange(-1, len(coldkeys)-1).Draw(t, "author"); a < 0 {
					l.ClearBlockAuthor()
					ref.ClearBlockAuthor()
				} else {
					l.SetBlockAuthor(coldkeys[a])
					ref.SetBlockAuthor(coldkeys[a])
				}
			}
			if got != want {
				t.Fatalf("call %d: got %s, the reference %s", i, got, want)
			}
			if l.StateHash() != ref.StateHash() {
				t.Fatalf("call %d: the states differ", i)
			}
		}
	})
}
