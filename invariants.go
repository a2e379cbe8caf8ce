package dtao

import (
	"bytes"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/dtao-go/dtao/units"
)

// CheckInvariants proves that every rao is accounted for, returning nil or
// an error wrapping ErrInvariant that names the first broken rule:
//
//   - TotalIssuance is the sum of all free balances, the subnet accounts
//     (which hold the TAO reserves) and BurnAccountID included;
//   - every account that exists holds at least the existential deposit;
//   - each subnet account holds at least its subnet's TAO reserve
//     (SubnetTAO) plus the existential deposit;
//   - each subnet's pool is one the chain could hold (amm.Pool.Validate);
//   - per subnet, the share-pool totals (TotalHotkeyAlpha) of all hotkeys
//     plus AlphaBurned equal SubnetAlphaOut;
//   - each share pool exists on a subnet, its hotkey has an owner, and the
//     values of its coldkeys sum to at most its total.
//
// TotalStake is the chain's running counter, which counts the fees paid
// out of the pools; it is not checked against the reserves.
func (l *Ledger) CheckInvariants() error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.checkInvariants()
}

func (l *Ledger) checkInvariants() error {
	var hi, lo uint64
	for _, a := range l.accounts() {
		b := l.balances[a]
		if b < l.ed {
			return fmt.Errorf("%w: account %x holds %d rao, below the existential deposit %d",
				ErrInvariant, a[:], b.Rao(), l.ed.Rao())
		}
		var c uint64
		lo, c = bits.Add64(lo, b.Rao(), 0)
		hi += c
	}
	if hi != 0 || lo != l.totalIssuance.Rao() {
		return fmt.Errorf("%w: TotalIssuance %d but the balances sum to %d·2^64 + %d",
			ErrInvariant, l.totalIssuance.Rao(), hi, lo)
	}
	alphaOut := make(map[units.NetUID]uint64, len(l.subnets))
	for _, k := range l.stakeKeys() {
		p := l.stake[k]
		if _, ok := l.subnets[k.netuid]; !ok {
			return fmt.Errorf("%w: stake on netuid %d, which has no subnet", ErrInvariant, k.netuid)
		}
		if _, ok := l.owner[k.hotkey]; !ok {
			return fmt.Errorf("%w: stake on hotkey %x, which has no owner", ErrInvariant, k.hotkey[:])
		}
		var sum uint64
		for c := range p.Holders() {
			var carry uint64
			if sum, carry = bits.Add64(sum, p.Value(c).Rao(), 0); carry != 0 {
				sum = math.MaxUint64
				break
			}
		}
		if sum > p.Total().Rao() {
			return fmt.Errorf("%w: hotkey %x on netuid %d: coldkey values sum to %d, above TotalHotkeyAlpha %d",
				ErrInvariant, k.hotkey[:], k.netuid, sum, p.Total().Rao())
		}
		t, c := bits.Add64(alphaOut[k.netuid], p.Total().Rao(), 0)
		if c != 0 {
			return fmt.Errorf("%w: netuid %d: TotalHotkeyAlpha overflows", ErrInvariant, k.netuid)
		}
		alphaOut[k.netuid] = t
	}
	for _, id := range l.netuids() {
		s := l.subnets[id]
		if err := s.Pool.Validate(); err != nil {
			return fmt.Errorf("%w: netuid %d: %w", ErrInvariant, id, err)
		}
		need, over := s.Pool.TAO.Add(l.ed)
		if held := l.balances[SubnetAccountID(id)]; over || held < need {
			return fmt.Errorf("%w: netuid %d: the subnet account holds %d rao, below SubnetTAO %d plus the existential deposit",
				ErrInvariant, id, held.Rao(), s.Pool.TAO.Rao())
		}
		want, c := bits.Add64(alphaOut[id], s.AlphaBurned.Rao(), 0)
		if c != 0 || want != s.Pool.AlphaOut.Rao() {
			return fmt.Errorf("%w: netuid %d: SubnetAlphaOut %d but TotalHotkeyAlpha sums to %d and AlphaBurned is %d",
				ErrInvariant, id, s.Pool.AlphaOut.Rao(), alphaOut[id], s.AlphaBurned.Rao())
		}
	}
	return nil
}

// accounts returns the accounts in ascending byte order.
func (l *Ledger) accounts() []units.AccountID {
	as := make([]units.AccountID, 0, len(l.balances))
	for a := range l.balances {
		as = append(as, a)
	}
	slices.SortFunc(as, func(a, b units.AccountID) int { return bytes.Compare(a[:], b[:]) })
	return as
}

// stakeKeys returns the share pools' keys by netuid, then hotkey.
func (l *Ledger) stakeKeys() []stakeKey {
	ks := make([]stakeKey, 0, len(l.stake))
	for k := range l.stake {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, stakeKey.cmp)
	return ks
}

// hotkeys returns the owned hotkeys in ascending byte order.
func (l *Ledger) hotkeys() []units.AccountID {
	hs := make([]units.AccountID, 0, len(l.owner))
	for h := range l.owner {
		hs = append(hs, h)
	}
	slices.SortFunc(hs, func(a, b units.AccountID) int { return bytes.Compare(a[:], b[:]) })
	return hs
}
