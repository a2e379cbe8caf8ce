package emission

import (
	"bytes"
	"fmt"
	"math"
	"slices"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Parent is one parent of a hotkey on a subnet (ParentKeys), with what the
// parent's contribution depends on.
type Parent struct {
	Hotkey units.AccountID
	// Proportion is the parent's stored proportion, parts of u64::MAX.
	Proportion uint64
	// AlphaStake is TotalHotkeyAlpha of the parent on the subnet; RootStake
	// on root (the root subnet's alpha, 1:1 with TAO).
	AlphaStake, RootStake units.Alpha
	// SameOwner is true when the parent's coldkey owns the child too: then
	// no childkey take and no CK burn apply.
	SameOwner bool
}

// ChildSplit is what get_parent_child_dividends_distribution needs to
// split one hotkey's dividend between itself and its parents.
type ChildSplit struct {
	Dividend units.Alpha // the hotkey's dividend from the epoch
	// TaoWeight is get_tao_weight (pallets/subtensor/src/staking/stake_utils.rs):
	// [fixed.U96F32FromU64Proportion] of the stored TaoWeight.
	TaoWeight fixed.U96F32
	// CKBurn is get_ck_burn, the part of a parent's share recycled:
	// [fixed.U96F32FromU64Proportion] of the stored CKBurn.
	CKBurn fixed.U96F32
	// ChildkeyTake is the effective take: max(ChildkeyTake, the minimum).
	ChildkeyTake uint16
	// AlphaStake and RootStake are the hotkey's own TotalHotkeyAlpha on
	// the subnet and on root.
	AlphaStake, RootStake units.Alpha
	// ChildProportions are the proportions this hotkey itself gives to its
	// children (ChildKeys), which reduce its self contribution.
	ChildProportions []uint64
	// Parents in stored order (ParentKeys).
	Parents []Parent
}

// Payout is an amount of alpha for a hotkey.
type Payout struct {
	Hotkey units.AccountID
	Amount units.Alpha
}

// SelfContribution is get_self_contribution
// (pallets/subtensor/src/coinbase/run_coinbase.rs): the hotkey's stake
// weight that is not lent to its children, floor(α·r + (τ·r)·tw) with
// r = 1 − Σ proportion/u64::MAX (U96F32, saturating), in alpha (its root
// stake τ counted at tw). It returns
// [ErrProportionOverflow] when the child proportions add up to more than
// u64::MAX, which set_children refuses (the chain's saturating r would
// read such a state as lending everything).
func SelfContribution(alpha, root units.Alpha, childProportions []uint64, taoWeight fixed.U96F32) (units.Alpha, error) {
	if err := checkProportions(childProportions); err != nil {
		return 0, err
	}
	remaining := fixed.U96F32FromUint64(1)
	for _, p := range childProportions {
		remaining = remaining.SaturatingSub(fixed.U96F32FromU64Proportion(p))
	}
	a := fixed.U96F32FromUint64(uint64(alpha)).SaturatingMul(remaining)
	r := fixed.U96F32FromUint64(uint64(root)).SaturatingMul(remaining).SaturatingMul(taoWeight)
	return units.Alpha(a.SaturatingAdd(r).SaturatingToUint64()), nil
}

// checkProportions is ensure_total_proportions
// (pallets/subtensor/src/staking/set_children.rs):
// the proportions a hotkey gives its children add up to at most u64::MAX.
func checkProportions(ps []uint64) error {
	var sum uint64
	for _, p := range ps {
		// sum + p passes u64::MAX exactly when p > u64::MAX − sum.
		if p > math.MaxUint64-sum {
			return fmt.Errorf("%w: %d children", ErrProportionOverflow, len(ps))
		}
		sum += p
	}
	return nil
}

// SplitToParents is get_parent_child_dividends_distribution
// (pallets/subtensor/src/coinbase/run_coinbase.rs): each parent receives the dividend in
// proportion to its contribution (α_p·q + τ_p·q·tw) against the total
// (the hotkey's floored self contribution plus all parents'), less the CK
// burn and the childkey take when it is owned by another coldkey; the
// hotkey keeps the rest plus every childkey take. Amounts are floored per
// recipient as the chain floors them.
//
// Like the chain, the burn and the take are both taken from the parent's
// share (saturating): when CK burn plus the childkey take exceed 1, the
// burn and the take together can exceed the share, and the payouts plus
// the burn then exceed the dividend by the take's excess.
//
// The parents' payouts are appended to dst in the order of s.Parents,
// followed by the hotkey's own payout (with Hotkey = self); burned is the
// alpha recycled for CK burn. A nil s is [ErrNilInput]; child proportions
// past u64::MAX are [ErrProportionOverflow] (see [SelfContribution]). On
// error dst is returned as it was.
func SplitToParents(s *ChildSplit, self units.AccountID, dst []Payout) (out []Payout, burned units.Alpha, err error) {
	if s == nil {
		return dst, 0, fmt.Errorf("%w: SplitToParents", ErrNilInput)
	}
	if len(s.Parents) == 0 {
		// The self contribution only weighs the parents' shares: without
		// parents the hotkey keeps its whole dividend (remaining = emission,
		// no take), and only the proportions' check can fail.
		if err := checkProportions(s.ChildProportions); err != nil {
			return dst, 0, err
		}
		return append(dst, Payout{Hotkey: self, Amount: units.Alpha(fixed.U96F32FromUint64(uint64(s.Dividend)).SaturatingToUint64())}), 0, nil
	}
	selfContribution, err := SelfContribution(s.AlphaStake, s.RootStake, s.ChildProportions, s.TaoWeight)
	if err != nil {
		return dst, 0, err
	}
	zero := fixed.U96F32{}
	emission := fixed.U96F32FromUint64(uint64(s.Dividend))
	remaining := emission
	childTake := fixed.U96F32FromU16Proportion(s.ChildkeyTake)
	totalChildTake := zero

	total := fixed.U96F32FromUint64(uint64(selfContribution))
	// The chain gathers the contributions first, then pays.
	var contributions [8]fixed.U96F32
	contrib := contributions[:0]
	for _, p := range s.Parents {
		q := fixed.U96F32FromU64Proportion(p.Proportion)
		c := fixed.U96F32FromUint64(uint64(p.AlphaStake)).SaturatingMul(q).SaturatingAdd(
			fixed.U96F32FromUint64(uint64(p.RootStake)).SaturatingMul(q).SaturatingMul(s.TaoWeight))
		total = total.SaturatingAdd(c)
		contrib = append(contrib, c)
	}
	for i, p := range s.Parents {
		factor, ok := contrib[i].CheckedDiv(total)
		if !ok {
			factor = zero
		}
		share := emission.SaturatingMul(factor)
		remaining = remaining.SaturatingSub(share)
		if !p.SameOwner {
			burn := s.CKBurn.SaturatingMul(share)
			take := childTake.SaturatingMul(share)
			share = share.SaturatingSub(burn).SaturatingSub(take)
			totalChildTake = totalChildTake.SaturatingAdd(take)
			burned = burned.SaturatingAdd(units.Alpha(burn.SaturatingToUint64()))
		}
		dst = append(dst, Payout{Hotkey: p.Hotkey, Amount: units.Alpha(share.SaturatingToUint64())})
	}
	dst = append(dst, Payout{Hotkey: self, Amount: units.Alpha(remaining.SaturatingAdd(totalChildTake).SaturatingToUint64())})
	return dst, burned, nil
}

// StakeSplit is one validator's dividend and stakes for
// calculate_dividend_distribution.
type StakeSplit struct {
	Hotkey   units.AccountID
	Dividend fixed.U96F32 // its dividend after the parent/child split
	// AlphaStake and RootStake are its TotalHotkeyAlpha on the subnet and
	// on root. A hotkey without a stake entry has NoStake set and is
	// skipped, as the chain skips hotkeys missing from its stake map.
	AlphaStake, RootStake units.Alpha
	NoStake               bool
}

// DividendShare is one validator's part of the pending validator alpha and
// of the pending root alpha (U96F32, before takes).
type DividendShare struct {
	Hotkey units.AccountID
	Alpha  fixed.U96F32
	Root   fixed.U96F32
}

// SplitDividends is calculate_dividend_distribution
// (pallets/subtensor/src/coinbase/run_coinbase.rs): each dividend d is cut
// into a root part d·rp (rp = τ·tw / (α + τ·tw), 0 when undefined) and an
// alpha part d − d·rp; pendingAlpha is then shared in proportion to the
// alpha parts and pendingRoot in proportion to the root parts. dividends
// must be sorted by hotkey bytes and hold each hotkey once (the chain's
// BTreeMap); the shares are appended to dst in that order.
func SplitDividends(pendingAlpha, pendingRoot units.Alpha, taoWeight fixed.U96F32, dividends []StakeSplit, dst []DividendShare) []DividendShare {
	var totals dividendTotals
	start := len(dst)
	dst = slices.Grow(dst, len(dividends))
	for _, d := range dividends {
		if d.NoStake {
			continue
		}
		alpha, root := totals.add(d.Dividend, d.AlphaStake, d.RootStake, taoWeight)
		var s *DividendShare
		dst, s = extend(dst)
		s.Hotkey, s.Alpha, s.Root = d.Hotkey, alpha, root
	}
	pa, pr := fixed.U96F32FromUint64(uint64(pendingAlpha)), fixed.U96F32FromUint64(uint64(pendingRoot))
	byAlpha, byRoot := newPartDivisor(totals.alpha), newPartDivisor(totals.root)
	for i := start; i < len(dst); i++ {
		dst[i].Alpha = shareOfPending(dst[i].Alpha, &byAlpha, pa)
		dst[i].Root = shareOfPending(dst[i].Root, &byRoot, pr)
	}
	return dst
}

// dividendTotals are calculate_dividend_distribution's sums of the alpha
// and root parts (saturating, in hotkey order).
type dividendTotals struct {
	alpha, root fixed.U96F32
}

// add cuts one dividend d into its alpha and root parts, as
// calculate_dividend_distribution does for a hotkey of alpha and root
// stakes, and adds them to the totals.
//
// Most hotkeys have no root stake: then the root weight τ·tw is 0, and so
// are rp (a zero numerator gives 0 whether or not the division succeeds,
// and a failed one reads as 0 too) and the root part d·0; the alpha part
// is d − 0 = d. Those products and the division are skipped.
func (t *dividendTotals) add(d fixed.U96F32, alphaStake, rootStake units.Alpha, taoWeight fixed.U96F32) (alpha, root fixed.U96F32) {
	alpha = d
	if rootStake != 0 {
		if rootAlpha := fixed.U96F32FromUint64(uint64(rootStake)).SaturatingMul(taoWeight); !rootAlpha.IsZero() {
			all := fixed.U96F32FromUint64(uint64(alphaStake)).SaturatingAdd(rootAlpha)
			if rp, ok := rootAlpha.CheckedDiv(all); ok {
				root = d.SaturatingMul(rp)
				alpha = d.SaturatingSub(root)
			}
		}
	}
	t.alpha = t.alpha.SaturatingAdd(alpha)
	t.root = t.root.SaturatingAdd(root)
	return alpha, root
}

// partDivisor divides the parts of a sum by the sum: x.CheckedDiv(total)
// for every part x, as calculate_dividend_distribution divides each alpha
// (root) part by the total of the alpha (root) parts. A total of two
// words (2^32 rao or more) takes a fixed.U96F32Divisor (no hardware
// division for a part up to the total). A smaller total (below 2^64 as
// a value) divides by a U64F64Divisor prepared once where x does not
// exceed it; otherwise it is CheckedDiv itself.
//
// The bits are CheckedDiv's: U96F32Divisor's by its own contract, and
// below 2^64, x and the total are exact as U64F64s (the same values with
// 32 more fractional bits, all zero), so the U64F64 quotient is
// floor(X·2^64) for the exact ratio X = x/total ≤ 1 (it cannot
// overflow), and its conversion to U96F32 drops 32 fractional bits,
// floor(floor(X·2^64)/2^32) = floor(X·2^32): the U96F32 quotient. A zero
// total fails both ways. (FuzzPartDivisor.)
type partDivisor struct {
	total fixed.U96F32
	wide  fixed.U96F32Divisor
	by    fixed.U64F64Divisor
	two   bool // total >= 2^64 raw: wide
}

// newPartDivisor prepares total for partDivisor.divide.
func newPartDivisor(total fixed.U96F32) partDivisor {
	d := partDivisor{total: total}
	if hi, _ := total.Bits(); hi != 0 {
		d.wide = fixed.NewU96F32Divisor(total)
		d.two = true
	} else {
		d.by = fixed.NewU64F64Divisor(total.SaturatingToU64F64())
	}
	return d
}

// divide is x.CheckedDiv(total).
func (d *partDivisor) divide(x fixed.U96F32) (fixed.U96F32, bool) {
	if d.two {
		return d.wide.Divide(x)
	}
	if d.total.Less(x) {
		return x.CheckedDiv(d.total)
	}
	q, ok := d.by.Divide(x.SaturatingToU64F64())
	if !ok {
		return fixed.U96F32{}, false
	}
	return q.SaturatingToU96F32(), true
}

// shareOfPending is pending · (part / total), the part's share of a
// pending bucket (safe division: 0 when it fails), by the prepared
// total. A zero part (a miner's zero dividend, a hotkey without root
// stake) shares 0 whatever the division would say.
func shareOfPending(part fixed.U96F32, total *partDivisor, pending fixed.U96F32) fixed.U96F32 {
	if part.IsZero() {
		return fixed.U96F32{}
	}
	share, ok := total.divide(part)
	if !ok {
		return fixed.U96F32{}
	}
	return pending.SaturatingMul(share)
}

// TakeSplit is a dividend cut by the hotkey's delegate take: Take goes to
// the hotkey's owner coldkey, Rest to the hotkey's nominators (alpha
// dividends) or to its root claimable rate (root dividends).
type TakeSplit struct {
	Take, Rest units.Alpha
}

// ApplyTake is the take step of distribute_dividends_and_incentives
// (pallets/subtensor/src/coinbase/run_coinbase.rs): take = t·d with t =
// U96F32(delegateTake)/65535 (get_hotkey_take_float,
// pallets/subtensor/src/staking/helpers.rs), rest = d − take, each
// floored. delegateTake is the take the chain reads ([Take.Value]), in
// parts of 65535.
func ApplyTake(d fixed.U96F32, delegateTake uint16) TakeSplit {
	return applyTake(d, fixed.U96F32FromU16Proportion(delegateTake))
}

// applyTake is ApplyTake with the take already converted,
// t = U96F32(delegateTake)/65535.
func applyTake(d, t fixed.U96F32) TakeSplit {
	take := t.SaturatingMul(d)
	return TakeSplit{Take: units.Alpha(take.SaturatingToUint64()), Rest: units.Alpha(d.SaturatingSub(take).SaturatingToUint64())}
}

// MinerBurnedFraction is the MinerBurned the chain records at an epoch:
// withheld / total incentive in U96F32 (0 when nothing was earned).
func MinerBurnedFraction(withheld, total units.Alpha) fixed.U96F32 {
	f, ok := fixed.U96F32FromUint64(uint64(withheld)).CheckedDiv(fixed.U96F32FromUint64(uint64(total)))
	if !ok {
		return fixed.U96F32{}
	}
	return f
}

// sortPayouts orders payouts by hotkey bytes and merges repeated hotkeys by
// saturating addition, as the chain's BTreeMap accumulation does.
func sortPayouts(p []Payout) []Payout {
	return mergeByHotkey(p, payoutHotkey, func(into, x *Payout) { into.Amount = into.Amount.SaturatingAdd(x.Amount) })
}

func payoutHotkey(p *Payout) *units.AccountID { return &p.Hotkey }

// mergeByHotkey orders s stably by hotkey bytes (key) and merges the
// entries of a repeated hotkey with add, in their order, as the chain's
// BTreeMap entry accumulation does. Entries already in strictly increasing
// order (an epoch's lines, each hotkey once) come back as they are.
func mergeByHotkey[T any](s []T, key func(*T) *units.AccountID, add func(into, x *T)) []T {
	if strictlyIncreasing(s, key) {
		return s
	}
	slices.SortStableFunc(s, func(a, b T) int { return bytes.Compare(key(&a)[:], key(&b)[:]) })
	out := s[:0]
	for i := range s {
		if n := len(out); n > 0 && *key(&out[n-1]) == *key(&s[i]) {
			add(&out[n-1], &s[i])
			continue
		}
		out = append(out, s[i])
	}
	return out
}

// strictlyIncreasing reports whether the hotkeys (key) of s are in
// strictly increasing byte order: each once, sorted.
func strictlyIncreasing[T any](s []T, key func(*T) *units.AccountID) bool {
	for i := 1; i < len(s); i++ {
		if units.CompareAccounts(key(&s[i-1]), key(&s[i])) >= 0 {
			return false
		}
	}
	return true
}
