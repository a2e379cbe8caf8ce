package emission

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// HotkeyEmission is one hotkey's line of an epoch's output
// (epoch_with_mechanisms): its incentive and dividend in alpha.
type HotkeyEmission struct {
	Hotkey    units.AccountID
	Incentive units.Alpha
	Dividend  units.Alpha
}

// ParentLink is one entry of a hotkey's ParentKeys.
type ParentLink struct {
	Hotkey     units.AccountID
	Proportion uint64 // parts of u64::MAX
}

// DefaultDelegateTake is the storage default of Delegates
// (DefaultDelegateTake, InitialDefaultDelegateTake = 11_796 in
// runtime/src/lib.rs): the delegate take, ≈ 18%, of every hotkey that has
// not set its own.
const DefaultDelegateTake uint16 = 11_796

// Take is a hotkey's delegate take as Delegates stores it, in parts of
// 65535. The chain cannot tell a hotkey that never set a take from one
// that set [DefaultDelegateTake]: its storage reads the default for both.
// So the zero Take is that default, and a take is stated with [TakeOf],
// including TakeOf(0) for a hotkey that lowered its take to 0%. A field
// left out can therefore never silently mean 0.
type Take struct {
	value uint16
	set   bool
}

// TakeOf is the stored delegate take v (parts of 65535).
func TakeOf(v uint16) Take { return Take{value: v, set: true} }

// Value is the take the chain reads (get_hotkey_take, staking/helpers.rs):
// the stored value, or [DefaultDelegateTake] for the zero Take.
func (t Take) Value() uint16 {
	if !t.set {
		return DefaultDelegateTake
	}
	return t.value
}

// IsSet reports whether t was made by [TakeOf] rather than left at the
// storage default.
func (t Take) IsSet() bool { return t.set }

// HotkeyState is what the distribution reads about one hotkey. Its zero
// value is the chain's storage default for a hotkey with no entries: the
// all-zero owner (DefaultAccount), no stake, the default delegate take
// ([DefaultDelegateTake]), childkey take 0, no children and no parents.
type HotkeyState struct {
	Owner      units.AccountID // Owner: the coldkey that owns the hotkey
	AlphaStake units.Alpha     // TotalHotkeyAlpha on the subnet
	RootStake  units.Alpha     // TotalHotkeyAlpha on root (its root stake, 1:1 with TAO)
	// DelegateTake is Delegates; the zero Take reads as
	// [DefaultDelegateTake], set another take with [TakeOf].
	DelegateTake Take
	// ChildkeyTake is the effective childkey take on the subnet:
	// max(ChildkeyTake, the minimum childkey take) (get_childkey_take,
	// staking/set_children.rs). Both storage items default to 0.
	ChildkeyTake uint16
	// ChildProportions are the proportions this hotkey gives its children
	// (ChildKeys); they add up to at most u64::MAX, as set_children
	// ensures.
	ChildProportions []uint64
	// Parents are the hotkey's ParentKeys in stored order.
	Parents []ParentLink
}

// DistributionInput is one subnet's drained pending emission and what its
// distribution reads (distribute_emission,
// pallets/subtensor/src/coinbase/run_coinbase.rs).
type DistributionInput struct {
	// The four drained pending buckets.
	PendingServer, PendingValidator, PendingRoot, PendingOwnerCut units.Alpha
	// TaoWeight and CKBurn are the stored u64 ratios (parts of u64::MAX).
	TaoWeight, CKBurn uint64
	// Emissions is the epoch's output per hotkey, as epoch_with_mechanisms
	// returns it for the total PendingServer + PendingValidator + PendingRoot.
	Emissions []HotkeyEmission
	// Hotkeys holds the state of every hotkey in Emissions and of their
	// parents. A hotkey missing from the map reads as the zero
	// [HotkeyState], the chain's storage defaults: zero stake, no parents
	// or children, childkey take 0, delegate take [DefaultDelegateTake],
	// and the all-zero owner (DefaultAccount).
	Hotkeys map[units.AccountID]HotkeyState
	// States, when not nil, holds one state per line of Emissions:
	// States[i] is the state of Emissions[i].Hotkey, read instead of
	// Hotkeys (lines of one hotkey must carry the same state; a parent or
	// recipient with a line reads its first line's). Hotkeys then need
	// hold only the parents without a line. A caller that holds its
	// hotkeys in epoch order (the ledger) spares a map insertion and a
	// lookup per hotkey this way.
	States []HotkeyState
	// OwnerHotkeys are the subnet owner's hotkeys with a UID on the subnet
	// and the owner hotkey (get_owner_hotkeys): their incentive is withheld
	// from miners.
	OwnerHotkeys []units.AccountID
	// RecycleWithheld is RecycleOrBurn == Recycle: withheld incentive
	// lowers SubnetAlphaOut; otherwise it is burned (issuance unchanged).
	RecycleWithheld bool
}

// DividendPayout is one validator's dividend after the delegate take.
type DividendPayout struct {
	Hotkey units.AccountID
	// Take goes to (Hotkey, its owner) as alpha stake.
	Take units.Alpha
	// Rest goes to all of the hotkey's nominators (alpha dividends) or to
	// its root claimable rate (root dividends).
	Rest units.Alpha
}

// Distribution is who gets how much at an epoch, in the subnet's alpha.
type Distribution struct {
	// OwnerCut is paid to the subnet owner's hotkey and coldkey.
	OwnerCut units.Alpha
	// ValidatorPool is the alpha shared by the validators: the pending
	// validator emission, plus the server emission when no incentive was
	// earned.
	ValidatorPool units.Alpha
	// Incentives are paid to miners: each hotkey with a positive incentive
	// once, sorted by hotkey bytes.
	Incentives []Payout
	// Withheld is the incentive of the owner's own hotkeys, recycled or
	// burned; MinerBurned is the fraction recorded for the next shares.
	Withheld    units.Alpha
	MinerBurned fixed.U96F32
	// AlphaDividends and RootDividends: each hotkey with a positive payout
	// once, sorted by hotkey bytes.
	AlphaDividends []DividendPayout
	RootDividends  []DividendPayout
	// CKBurned is the alpha recycled by the CK burn on parents' shares.
	CKBurned units.Alpha
}

// Distribute is the chain's distribute_emission for one subnet after the
// epoch has run, in its order:
//
//  1. the validator pool is the pending validator emission, plus the
//     pending server emission when the epoch paid no incentive;
//  2. incentives are accumulated per hotkey; each hotkey's dividend is
//     split with its parents ([SplitToParents]) and accumulated per
//     recipient (U96F32 of the floored amounts);
//  3. each recipient's dividend is cut into alpha and root parts and
//     shares the validator pool and the pending root alpha
//     ([SplitDividends]);
//  4. the owner cut goes to the owner; incentive of OwnerHotkeys is
//     withheld and MinerBurned recorded; every dividend pays the delegate
//     take to the hotkey's owner and the rest to its nominators or its
//     root claimable rate ([ApplyTake]).
//
// Recipients are ordered by hotkey bytes, as the chain's BTreeMaps order
// AccountId32.
//
// A nil in is [ErrNilInput]; a hotkey whose ChildProportions add up to
// more than u64::MAX is [ErrProportionOverflow] (a state set_children
// refuses).
func Distribute(in *DistributionInput) (Distribution, error) {
	var z Distributor
	d, err := z.Distribute(in)
	if err != nil {
		return Distribution{}, err
	}
	return *d, nil
}

// Distributor computes distributions ([Distribute]) with buffers kept from
// one call to the next: once they have grown to the largest subnet seen it
// allocates nothing. The Distribution it returns lives in the
// Distributor's memory and is valid until its next call. The zero value
// is ready to use; a Distributor is not safe for concurrent use.
type Distributor struct {
	d          Distribution
	incentives []Payout
	divs       []divLine
	split      []Payout
	parents    []Parent
	parts      []dividendParts
	scratch    [2]HotkeyState
	// lines holds PayoutLines' three lists.
	lines payoutLines
}

// payoutLines are the lines of the payouts of a Distribution, one list
// per list of payouts (PayoutLines).
type payoutLines struct {
	incentives, alpha, root []int32
}

// PayoutLines returns, for the Distribution of z's last Distribute, a
// line of in.Emissions holding each payout's hotkey: incentives[i] for
// Incentives[i], alpha[i] for AlphaDividends[i], root[i] for
// RootDividends[i]; −1 where Distribute did not keep one (lines not
// sorted by hotkey, a recipient that got its dividend from a child). A
// caller that holds what it credits by line (the ledger) finds each
// payee's there, without a search. The slices live in z and are valid
// until its next call.
func (z *Distributor) PayoutLines() (incentives, alpha, root []int32) {
	return z.lines.incentives, z.lines.alpha, z.lines.root
}

// Distribute is [Distribute] into z's buffers.
func (z *Distributor) Distribute(in *DistributionInput) (*Distribution, error) {
	if in == nil {
		return nil, fmt.Errorf("%w: Distribute", ErrNilInput)
	}
	if in.States != nil && len(in.States) != len(in.Emissions) {
		return nil, fmt.Errorf("%w: %d states for %d emission lines", ErrStatesMismatch, len(in.States), len(in.Emissions))
	}
	if err := checkHotkeys(in.Hotkeys, in.Emissions, in.States); err != nil {
		return nil, err
	}
	d := &z.d
	*d = Distribution{
		OwnerCut:       in.PendingOwnerCut,
		Incentives:     d.Incentives[:0],
		AlphaDividends: d.AlphaDividends[:0],
		RootDividends:  d.RootDividends[:0],
	}
	st := states{in: in, sorted: emissionsIncreasing(in.Emissions), scratch: &z.scratch}

	tw := fixed.U96F32FromU64Proportion(in.TaoWeight)
	ck := fixed.U96F32FromU64Proportion(in.CKBurn)
	incentives := z.incentives[:0]
	// The chain accumulates the split dividends in a BTreeMap by hotkey.
	// The amounts are gathered in the order the chain adds them and then
	// stably sorted and merged: the same additions per hotkey in the same
	// order, so the same saturating sums.
	//
	// Zero amounts are left out of both lists: adding 0 to a saturating
	// sum leaves it as it is, and a hotkey whose amounts are all 0 pays
	// nothing: a zero incentive is neither withheld (Withheld += 0) nor
	// paid (only positive ones are), and a zero dividend has zero alpha
	// and root parts, adds 0 to the totals SplitDividends divides by and
	// takes a zero share of each, so ApplyTake gives it no payout. A line
	// with no dividend splits nothing: every parent's share, burn and take
	// is 0·factor = 0. (distributeReference keeps every line.)
	divs := z.divs[:0]
	// Lines strictly sorted by hotkey (an epoch's) give the incentives in
	// hotkey order, each hotkey once: they go straight to the payouts,
	// the owner's withheld on the way. The chain's total incentive (the
	// sum MinerBurnedFraction divides by) is incentiveSum: a saturating
	// sum of unsigned amounts is min(exact sum, u64::MAX) in any order
	// and grouping, and adding 0 leaves it as it is, so summing every
	// line equals summing the merged positive payouts. Withheld is such a
	// sum too. Unsorted lines gather the incentives to sort and merge
	// them first. (distributeReference sorts and merges always.)
	//
	// The incentives and the dividends are two passes over the lines, in
	// functions of their own: they touch disjoint results, so the order
	// of the work between them changes nothing, and each small loop keeps
	// its values in registers (one loop over both, with the calls of the
	// rare paths, spilled and reloaded them at every line).
	owners := in.OwnerHotkeys
	var incentiveSum units.Alpha
	lines := &z.lines
	if st.sorted {
		d.Incentives, lines.incentives, incentiveSum, d.Withheld = payIncentives(in.Emissions, owners, d.Incentives, lines.incentives[:0], d.Withheld)
	} else {
		incentives, incentiveSum = gatherIncentives(in.Emissions, incentives)
	}
	divs, anyParents, err := z.gatherDividends(in.Emissions, st, tw, ck, divs)
	if err != nil {
		return nil, err
	}
	// Lines strictly sorted by hotkey give lists already sorted, each
	// hotkey once, unless a parent's payout joined the dividends.
	if !st.sorted {
		incentives = sortPayouts(incentives)
	}
	if !st.sorted || anyParents {
		divs = mergeDivLines(divs)
	}
	z.incentives, z.divs = incentives, divs

	d.ValidatorPool = in.PendingValidator
	if incentiveSum == 0 {
		d.ValidatorPool = in.PendingValidator.SaturatingAdd(in.PendingServer)
	}

	// Alpha versus root parts, in hotkey order: SplitDividends of the
	// recipients, with its two passes (the parts and their totals, then
	// each part's share of its pending bucket, in the payouts' pass
	// below) on the lines as they are, not copied into StakeSplits.
	// Every recipient has a stake entry (the chain's get_stake_map reads
	// storage, which defaults to 0), so none is NoStake.
	parts := growSlice(z.parts, len(divs))
	var totals dividendTotals
	walk := st.walker()
	// Without a split, over sorted lines, each hotkey has one line (it
	// is the one it recorded) and States holds its state there.
	byLine := st.sorted && !anyParents && in.States != nil
	for i, k := range divs {
		var h *HotkeyState
		if byLine {
			h = &in.States[k.line]
		} else {
			h = walk.of(k.hotkey)
		}
		p := &parts[i]
		p.alpha, p.root = totals.add(k.amount, h.AlphaStake, h.RootStake, tw)
		p.take = h.DelegateTake.Value()
	}
	z.parts = parts

	// Incentives (all positive): the owner's hotkeys are withheld.
	if !st.sorted {
		lines.incentives = lines.incentives[:0]
		for _, p := range incentives {
			if len(owners) > 0 && slices.Contains(owners, p.Hotkey) {
				d.Withheld = d.Withheld.SaturatingAdd(p.Amount)
				continue
			}
			d.Incentives = append(d.Incentives, p)
			lines.incentives = append(lines.incentives, -1)
		}
	}
	d.MinerBurned = MinerBurnedFraction(d.Withheld, incentiveSum)

	// Each part's share of its pending bucket (SplitDividends' second
	// pass), and the take. A zero share pays nothing (ApplyTake of 0 is
	// 0 and 0).
	pa, pr := fixed.U96F32FromUint64(uint64(d.ValidatorPool)), fixed.U96F32FromUint64(uint64(in.PendingRoot))
	byAlpha, byRoot := newPartDivisor(totals.alpha), newPartDivisor(totals.root)
	alphaDivs, rootDivs := d.AlphaDividends, d.RootDividends
	// At most one payout of each list per part: the lines' lists are
	// sized for all, written at each payout's index, and cut to the
	// payouts' lengths after.
	alphaLines, rootLines := growSlice(lines.alpha, len(parts)), growSlice(lines.root, len(parts))
	for i := range parts {
		p := &parts[i]
		t := fixed.U96F32FromU16Proportion(p.take)
		if a := shareOfPending(p.alpha, &byAlpha, pa); !a.IsZero() {
			if a := applyTake(a, t); a.Take > 0 || a.Rest > 0 {
				var o *DividendPayout
				alphaDivs, o = extend(alphaDivs)
				o.Hotkey, o.Take, o.Rest = divs[i].hotkey, a.Take, a.Rest
				alphaLines[len(alphaDivs)-1] = divs[i].line
			}
		}
		if r := shareOfPending(p.root, &byRoot, pr); !r.IsZero() {
			if r := applyTake(r, t); r.Take > 0 || r.Rest > 0 {
				var o *DividendPayout
				rootDivs, o = extend(rootDivs)
				o.Hotkey, o.Take, o.Rest = divs[i].hotkey, r.Take, r.Rest
				rootLines[len(rootDivs)-1] = divs[i].line
			}
		}
	}
	d.AlphaDividends, d.RootDividends = alphaDivs, rootDivs
	lines.alpha, lines.root = alphaLines[:len(alphaDivs)], rootLines[:len(rootDivs)]
	return d, nil
}

// payIncentives is the incentives' pass over lines strictly sorted by
// hotkey: each positive incentive is paid in line order (so sorted, each
// hotkey once), its line appended to lines, unless its hotkey is one of
// the owner's, whose incentive is withheld; sum is the total incentive
// (saturating).
func payIncentives(ems []HotkeyEmission, owners []units.AccountID, pays []Payout, lines []int32, withheld units.Alpha) (_ []Payout, _ []int32, sum, _ units.Alpha) {
	for i := range ems {
		e := &ems[i]
		if e.Incentive == 0 {
			continue
		}
		sum = sum.SaturatingAdd(e.Incentive)
		if len(owners) > 0 && isOwnerHotkey(owners, &e.Hotkey) {
			withheld = withheld.SaturatingAdd(e.Incentive)
			continue
		}
		var p *Payout
		pays, p = extend(pays)
		p.Hotkey, p.Amount = e.Hotkey, e.Incentive
		lines = append(lines, int32(i))
	}
	return pays, lines, sum, withheld
}

// gatherIncentives is the incentives' pass over unsorted lines: the
// positive incentives in line order, to sort and merge, and their total.
func gatherIncentives(ems []HotkeyEmission, incentives []Payout) (_ []Payout, sum units.Alpha) {
	for i := range ems {
		e := &ems[i]
		if e.Incentive == 0 {
			continue
		}
		sum = sum.SaturatingAdd(e.Incentive)
		incentives = append(incentives, Payout{Hotkey: e.Hotkey, Amount: e.Incentive})
	}
	return incentives, sum
}

// isOwnerHotkey is slices.Contains(owners, *h) without copying h.
func isOwnerHotkey(owners []units.AccountID, h *units.AccountID) bool {
	for i := range owners {
		if owners[i] == *h {
			return true
		}
	}
	return false
}

// gatherDividends is the dividends' pass over the lines: each positive
// dividend split with its hotkey's parents (splitLine) or, without
// parents, kept whole, appended to divs in line order; anyParents
// reports a split. A hotkey kept whole records its line, whose state
// the parts' pass then reads without a search.
func (z *Distributor) gatherDividends(ems []HotkeyEmission, st states, tw, ck fixed.U96F32, divs []divLine) (_ []divLine, anyParents bool, _ error) {
	for i := range ems {
		e := &ems[i]
		if e.Dividend == 0 {
			continue
		}
		h := st.line(i)
		if len(h.Parents) == 0 {
			// SplitToParents without parents: the hotkey keeps
			// floor(U96F32(dividend)) = dividend. Its proportions were
			// checked by checkHotkeys.
			var l *divLine
			divs, l = extend(divs)
			l.hotkey, l.amount, l.line = e.Hotkey, fixed.U96F32FromUint64(uint64(e.Dividend)), int32(i)
			continue
		}
		anyParents = true
		var err error
		if divs, err = z.splitLine(e, h, st, tw, ck, divs); err != nil {
			return divs, true, err
		}
	}
	return divs, anyParents, nil
}

// splitLine is SplitToParents of line e's dividend (its hotkey's state
// h has parents), its positive payouts appended to divs and its CK burn
// added to z.d.CKBurned.
func (z *Distributor) splitLine(e *HotkeyEmission, h *HotkeyState, st states, tw, ck fixed.U96F32, divs []divLine) ([]divLine, error) {
	cs := ChildSplit{
		Dividend:         e.Dividend,
		TaoWeight:        tw,
		CKBurn:           ck,
		ChildkeyTake:     h.ChildkeyTake,
		AlphaStake:       h.AlphaStake,
		RootStake:        h.RootStake,
		ChildProportions: h.ChildProportions,
	}
	childOwner := h.Owner
	parents := z.parents[:0]
	for _, p := range h.Parents {
		ps, _ := st.of(p.Hotkey)
		parents = append(parents, Parent{
			Hotkey:     p.Hotkey,
			Proportion: p.Proportion,
			AlphaStake: ps.AlphaStake,
			RootStake:  ps.RootStake,
			SameOwner:  ps.Owner == childOwner,
		})
	}
	z.parents = parents
	cs.Parents = parents
	split, burned, err := SplitToParents(&cs, e.Hotkey, z.split[:0])
	z.split = split
	if err != nil {
		h := e.Hotkey // escapes into the error: copied on the error path only
		return divs, fmt.Errorf("%w (hotkey %x)", err, h[:])
	}
	z.d.CKBurned = z.d.CKBurned.SaturatingAdd(burned)
	for _, p := range split {
		if p.Amount > 0 {
			divs = append(divs, divLine{hotkey: p.Hotkey, amount: fixed.U96F32FromUint64(uint64(p.Amount)), line: -1})
		}
	}
	return divs, nil
}

// extend lengthens s by one element and returns the element's address,
// for the caller to set field by field: the element may hold what an
// earlier call left there, so the caller sets EVERY field. Appending a
// composite literal of an account and amounts (or a zero value) builds it
// on the stack with overlapping stores and copies it from there, a
// store-forwarding stall on every line that the field stores avoid.
func extend[T any](s []T) ([]T, *T) {
	if len(s) < cap(s) {
		s = s[:len(s)+1]
	} else {
		var zero T
		s = append(s, zero)
	}
	return s, &s[len(s)-1]
}

// growSlice returns s with length n, reusing its array when it can.
func growSlice[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// dividendParts are one recipient's alpha and root parts of its dividend
// (SplitDividends' first pass) and its delegate take.
type dividendParts struct {
	alpha, root fixed.U96F32
	take        uint16
}

// divLine is one split dividend on its way into the per-hotkey sums.
type divLine struct {
	hotkey units.AccountID
	amount fixed.U96F32
	// line is a line of the hotkey's when its dividend was kept whole (no
	// parents), else −1; merged, the first one's (PayoutLines).
	line int32
}

// mergeDivLines sums each hotkey's split dividends (saturating) in their
// order, sorted by hotkey (mergeByHotkey).
func mergeDivLines(lines []divLine) []divLine {
	return mergeByHotkey(lines, func(l *divLine) *units.AccountID { return &l.hotkey },
		func(into, x *divLine) { into.amount = into.amount.SaturatingAdd(x.amount) })
}

// emissionsIncreasing is strictlyIncreasing over the lines' hotkeys,
// written out so that the comparison inlines (the generic one calls its key
// function per line).
func emissionsIncreasing(e []HotkeyEmission) bool {
	for i := 1; i < len(e); i++ {
		if units.CompareAccounts(&e[i-1].Hotkey, &e[i].Hotkey) >= 0 {
			return false
		}
	}
	return true
}

// states reads the hotkeys' states of a DistributionInput: from States
// when given (by line), else from the Hotkeys map.
type states struct {
	in     *DistributionInput
	sorted bool // Emissions strictly sorted by hotkey
	// scratch holds a state read from the map, so that line and the
	// walker return pointers without copying a state per line from
	// States (two slots: a line's state stays valid while the walker
	// reads).
	scratch *[2]HotkeyState
}

// line is the state of Emissions[i]'s hotkey, valid until the next call.
func (s states) line(i int) *HotkeyState {
	if s.in.States != nil {
		return &s.in.States[i]
	}
	s.scratch[0] = s.in.Hotkeys[s.in.Emissions[i].Hotkey]
	return &s.scratch[0]
}

// of is the state of hotkey h, and whether any entry holds it.
func (s states) of(h units.AccountID) (HotkeyState, bool) {
	if s.in.States != nil {
		if j, ok := s.index(h); ok {
			return s.in.States[j], true
		}
	}
	hs, ok := s.in.Hotkeys[h]
	return hs, ok
}

// walker returns a reader of states for hotkeys asked in increasing
// order, as the merged dividends are.
func (s states) walker() stateWalker { return stateWalker{s: s} }

// stateWalker reads the states of hotkeys asked in increasing byte order:
// over sorted lines it walks forward, one pass for the whole list, instead
// of searching for each.
type stateWalker struct {
	s    states
	next int
}

// of is the state of h (the zero state when nothing holds it), valid
// until the next call.
func (w *stateWalker) of(h units.AccountID) *HotkeyState {
	if w.s.in.States == nil || !w.s.sorted {
		w.s.scratch[1], _ = w.s.of(h)
		return &w.s.scratch[1]
	}
	e := w.s.in.Emissions
	for w.next < len(e) {
		switch c := units.CompareAccounts(&e[w.next].Hotkey, &h); {
		case c < 0:
			w.next++
			continue
		case c == 0:
			return &w.s.in.States[w.next]
		}
		break
	}
	w.s.scratch[1] = w.s.in.Hotkeys[h]
	return &w.s.scratch[1]
}

// index is the first line of hotkey h.
func (s states) index(h units.AccountID) (int, bool) {
	e := s.in.Emissions
	if s.sorted {
		return slices.BinarySearchFunc(e, h, func(x HotkeyEmission, h units.AccountID) int {
			return bytes.Compare(x.Hotkey[:], h[:])
		})
	}
	for j := range e {
		if e[j].Hotkey == h {
			return j, true
		}
	}
	return 0, false
}

// checkHotkeys refuses child proportions past u64::MAX in any state,
// naming the offending hotkey with the lowest bytes so that the error does
// not depend on map order.
func checkHotkeys(hotkeys map[units.AccountID]HotkeyState, lines []HotkeyEmission, states []HotkeyState) error {
	// The first failing hotkey by bytes, whatever the map's order. (A copy,
	// not the loop variable's address, which would allocate per hotkey.)
	var first units.AccountID
	var firstErr error
	check := func(k units.AccountID, h *HotkeyState) {
		if err := checkProportions(h.ChildProportions); err != nil && (firstErr == nil || bytes.Compare(k[:], first[:]) < 0) {
			first, firstErr = k, err
		}
	}
	for k, h := range hotkeys {
		if len(h.ChildProportions) > 0 { // none cannot overflow
			check(k, &h)
		}
	}
	for i := range states {
		if len(states[i].ChildProportions) > 0 {
			check(lines[i].Hotkey, &states[i])
		}
	}
	if firstErr != nil {
		k := first // escapes into the error: declared here, on the error path only
		return fmt.Errorf("%w (hotkey %x)", firstErr, k[:])
	}
	return nil
}
