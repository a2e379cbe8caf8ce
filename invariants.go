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
//   - each subnet's pool is one the chain could hold (amm.Pool.Validate);
//   - per subnet, the share-pool totals (TotalHotkeyAlpha) of all hotkeys
//     plus the alpha held outside the stakes (AlphaBurned, ProtocolAlpha,
//     RootClaimableAlpha and the four pending buckets) equal
//     SubnetAlphaOut plus AlphaOutShortfall;
//   - each share pool exists on a subnet, its hotkey has an owner, and no
//     coldkey's value is above its total (the sum can pass it by a few rao
//     of the chain's share truncation);
//   - each root neuron's hotkey has an owner and holds one root uid.
//
// TotalStake is the chain's running counter, which counts the fees paid
// out of the pools; it is not checked against the reserves. Nor is a
// subnet account against its SubnetTAO: the reserve is the chain's counter,
// which do_register_network seeds at NetworkMinLockCost even when the
// coldkey could move only its balance less the existential deposit, and
// which a chain buy raises by what the swap reports (SubnetExcessTao), not
// by the TAO moved; the account itself is a balance like any other.
func (l *Ledger) CheckInvariants() error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.checkInvariants()
}

func (l *Ledger) checkInvariants() error {
	var hi, lo uint64
	for _, a := range l.accounts() {
		b := l.balance(a)
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
		p := l.stake.pool(k)
		if _, ok := l.subnets[k.netuid]; !ok {
			return fmt.Errorf("%w: stake on netuid %d, which has no subnet", ErrInvariant, k.netuid)
		}
		if _, ok := l.owner[k.hotkey]; !ok {
			return fmt.Errorf("%w: stake on hotkey %x, which has no owner", ErrInvariant, k.hotkey[:])
		}
		// Each holder's value is at most the pool's. Their sum can pass it
		// by a few rao: the chain truncates each SafeFloat subtraction on
		// its own exponent, so a large stake that comes and goes beside
		// small ones leaves the small shares a hair too big
		// (TestSharePoolTruncationDust).
		for c := range p.Holders() {
			if v := p.Value(c); v > p.Total() {
				return fmt.Errorf("%w: hotkey %x on netuid %d: coldkey %x holds %d, above TotalHotkeyAlpha %d",
					ErrInvariant, k.hotkey[:], k.netuid, c[:], v.Rao(), p.Total().Rao())
			}
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
		held := s.held()
		want, c := bits.Add64(alphaOut[id], held.Rao(), 0)
		out, c2 := bits.Add64(s.Pool.AlphaOut.Rao(), s.AlphaOutShortfall.Rao(), 0)
		if c != 0 || c2 != 0 || held == units.Alpha(math.MaxUint64) || want != out {
			return fmt.Errorf("%w: netuid %d: SubnetAlphaOut %d plus AlphaOutShortfall %d but TotalHotkeyAlpha sums to %d and the alpha held outside the stakes to %d",
				ErrInvariant, id, s.Pool.AlphaOut.Rao(), s.AlphaOutShortfall.Rao(), alphaOut[id], held.Rao())
		}
	}
	for uid, n := range l.rootNeurons {
		if _, ok := l.owner[n.Hotkey]; !ok {
			return fmt.Errorf("%w: root uid %d: hotkey %x has no owner", ErrInvariant, uid, n.Hotkey[:])
		}
		if slices.ContainsFunc(l.rootNeurons[:uid], func(o RootNeuron) bool { return o.Hotkey == n.Hotkey }) {
			return fmt.Errorf("%w: root uid %d: hotkey %x holds another root uid", ErrInvariant, uid, n.Hotkey[:])
		}
	}
	return nil
}

// accounts returns the accounts in ascending byte order.
func (l *Ledger) accounts() []units.AccountID {
	as := make([]units.AccountID, 0, l.balances.len())
	for a := range l.balances.all() {
		as = append(as, a)
	}
	slices.SortFunc(as, func(a, b units.AccountID) int { return bytes.Compare(a[:], b[:]) })
	return as
}

// stakeKeys returns the share pools' keys by netuid, then hotkey.
func (l *Ledger) stakeKeys() []stakeKey {
	ks := make([]stakeKey, 0, l.stake.len())
	for k := range l.stake.all() {
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
