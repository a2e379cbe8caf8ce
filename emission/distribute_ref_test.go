package emission

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// distributeReference is Distribute as first written (commit e6cea7d):
// every state read from the Hotkeys map, the split dividends summed in a
// map. The faster Distribute must return exactly what it returns.
func distributeReference(in *DistributionInput) (Distribution, error) {
	if in == nil {
		return Distribution{}, fmt.Errorf("%w: Distribute", ErrNilInput)
	}
	if err := checkHotkeys(in.Hotkeys, nil, nil); err != nil {
		return Distribution{}, err
	}
	d := Distribution{OwnerCut: in.PendingOwnerCut}

	var incentiveSum units.Alpha
	for _, e := range in.Emissions {
		incentiveSum = incentiveSum.SaturatingAdd(e.Incentive)
	}
	d.ValidatorPool = in.PendingValidator
	if incentiveSum == 0 {
		d.ValidatorPool = in.PendingValidator.SaturatingAdd(in.PendingServer)
	}

	tw := fixed.U96F32FromU64Proportion(in.TaoWeight)
	ck := fixed.U96F32FromU64Proportion(in.CKBurn)
	incentives := make([]Payout, 0, len(in.Emissions))
	var split []Payout
	divs := map[units.AccountID]fixed.U96F32{}
	for _, e := range in.Emissions {
		incentives = append(incentives, Payout{Hotkey: e.Hotkey, Amount: e.Incentive})
		h := in.Hotkeys[e.Hotkey]
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
		cs.Parents = make([]Parent, len(h.Parents))
		for i, p := range h.Parents {
			ps := in.Hotkeys[p.Hotkey]
			cs.Parents[i] = Parent{
				Hotkey:     p.Hotkey,
				Proportion: p.Proportion,
				AlphaStake: ps.AlphaStake,
				RootStake:  ps.RootStake,
				SameOwner:  ps.Owner == childOwner,
			}
		}
		var burned units.Alpha
		var err error
		if split, burned, err = splitToParentsRef(&cs, e.Hotkey, split[:0]); err != nil {
			return Distribution{}, fmt.Errorf("%w (hotkey %x)", err, e.Hotkey[:])
		}
		d.CKBurned = d.CKBurned.SaturatingAdd(burned)
		for _, p := range split {
			divs[p.Hotkey] = divs[p.Hotkey].SaturatingAdd(fixed.U96F32FromUint64(uint64(p.Amount)))
		}
	}
	incentives = sortPayouts(incentives)

	// Alpha versus root parts, in hotkey order. Every recipient has a
	// stake entry (the chain's get_stake_map reads storage, which defaults
	// to 0).
	keys := make([]units.AccountID, 0, len(divs))
	for k := range divs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b units.AccountID) int { return bytes.Compare(a[:], b[:]) })
	stakes := make([]StakeSplit, len(keys))
	for i, k := range keys {
		h := in.Hotkeys[k]
		stakes[i] = StakeSplit{Hotkey: k, Dividend: divs[k], AlphaStake: h.AlphaStake, RootStake: h.RootStake}
	}
	shares := splitDividendsRef(d.ValidatorPool, in.PendingRoot, tw, stakes, nil)

	// Incentives: the owner's hotkeys are withheld.
	var total units.Alpha
	d.Incentives = incentives[:0:0]
	for _, p := range incentives {
		total = total.SaturatingAdd(p.Amount)
		if slices.Contains(in.OwnerHotkeys, p.Hotkey) {
			d.Withheld = d.Withheld.SaturatingAdd(p.Amount)
			continue
		}
		if p.Amount > 0 {
			d.Incentives = append(d.Incentives, p)
		}
	}
	d.MinerBurned = MinerBurnedFraction(d.Withheld, total)

	for _, s := range shares {
		take := in.Hotkeys[s.Hotkey].DelegateTake.Value()
		if a := ApplyTake(s.Alpha, take); a.Take > 0 || a.Rest > 0 {
			d.AlphaDividends = append(d.AlphaDividends, DividendPayout{Hotkey: s.Hotkey, Take: a.Take, Rest: a.Rest})
		}
		if r := ApplyTake(s.Root, take); r.Take > 0 || r.Rest > 0 {
			d.RootDividends = append(d.RootDividends, DividendPayout{Hotkey: s.Hotkey, Take: r.Take, Rest: r.Rest})
		}
	}
	return d, nil
}

// splitToParentsRef and splitDividendsRef are SplitToParents and
// SplitDividends as first written (commit 4296d9c), before their
// shortcuts for hotkeys without parents and zero numerators.
func splitToParentsRef(s *ChildSplit, self units.AccountID, dst []Payout) (out []Payout, burned units.Alpha, err error) {
	if s == nil {
		return dst, 0, fmt.Errorf("%w: SplitToParents", ErrNilInput)
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

func splitDividendsRef(pendingAlpha, pendingRoot units.Alpha, taoWeight fixed.U96F32, dividends []StakeSplit, dst []DividendShare) []DividendShare {
	zero := fixed.U96F32{}
	totalAlpha, totalRoot := zero, zero
	start := len(dst)
	dst = slices.Grow(dst, len(dividends))
	for _, d := range dividends {
		if d.NoStake {
			continue
		}
		rootAlpha := fixed.U96F32FromUint64(uint64(d.RootStake)).SaturatingMul(taoWeight)
		all := fixed.U96F32FromUint64(uint64(d.AlphaStake)).SaturatingAdd(rootAlpha)
		rp, ok := rootAlpha.CheckedDiv(all)
		if !ok {
			rp = zero
		}
		root := d.Dividend.SaturatingMul(rp)
		alpha := d.Dividend.SaturatingSub(root)
		totalAlpha = totalAlpha.SaturatingAdd(alpha)
		totalRoot = totalRoot.SaturatingAdd(root)
		dst = append(dst, DividendShare{Hotkey: d.Hotkey, Alpha: alpha, Root: root})
	}
	pa, pr := fixed.U96F32FromUint64(uint64(pendingAlpha)), fixed.U96F32FromUint64(uint64(pendingRoot))
	for i := start; i < len(dst); i++ {
		aShare, ok := dst[i].Alpha.CheckedDiv(totalAlpha)
		if !ok {
			aShare = zero
		}
		rShare, ok := dst[i].Root.CheckedDiv(totalRoot)
		if !ok {
			rShare = zero
		}
		dst[i].Alpha = pa.SaturatingMul(aShare)
		dst[i].Root = pr.SaturatingMul(rShare)
	}
	return dst
}

// genDistributionInput draws an input over a few hotkeys, so that lines
// repeat hotkeys, parents are also lines or not, states are missing, and
// the lines come sorted (as an epoch returns them) or not.
func genDistributionInput(t *rapid.T) *DistributionInput {
	n := rapid.IntRange(1, 8).Draw(t, "hotkeys")
	keys := make([]units.AccountID, n)
	for i := range keys {
		keys[i] = units.AccountID{byte(rapid.IntRange(0, 255).Draw(t, "key")), byte(i)}
	}
	owners := []units.AccountID{{0xa1}, {0xa2}, {0xa3}}
	amount := func(label string) units.Alpha {
		return units.Alpha(rapid.OneOf(rapid.Uint64Range(0, 1_000_000_000_000), rapid.Uint64Range(0, 1<<20), rapid.Just(uint64(0))).Draw(t, label))
	}
	in := &DistributionInput{
		PendingServer: amount("server"), PendingValidator: amount("validator"),
		PendingRoot: amount("root"), PendingOwnerCut: amount("cut"),
		TaoWeight: rapid.Uint64().Draw(t, "tw"), CKBurn: rapid.Uint64().Draw(t, "ck"),
		Hotkeys:         map[units.AccountID]HotkeyState{},
		RecycleWithheld: rapid.Bool().Draw(t, "recycle"),
	}
	for _, k := range keys {
		if rapid.IntRange(0, 5).Draw(t, "missing") == 0 {
			continue
		}
		h := HotkeyState{
			Owner:      owners[rapid.IntRange(0, 2).Draw(t, "owner")],
			AlphaStake: amount("alpha"), RootStake: amount("rootStake"),
			ChildkeyTake: uint16(rapid.IntRange(0, 65535).Draw(t, "ckTake")),
		}
		if rapid.Bool().Draw(t, "take") {
			h.DelegateTake = TakeOf(uint16(rapid.IntRange(0, 65535).Draw(t, "dTake")))
		}
		for range rapid.IntRange(0, 2).Draw(t, "children") {
			h.ChildProportions = append(h.ChildProportions, rapid.Uint64Range(0, ^uint64(0)/3).Draw(t, "cp"))
		}
		for range rapid.IntRange(0, 2).Draw(t, "parents") {
			h.Parents = append(h.Parents, ParentLink{Hotkey: keys[rapid.IntRange(0, n-1).Draw(t, "parent")], Proportion: rapid.Uint64().Draw(t, "pp")})
		}
		in.Hotkeys[k] = h
	}
	lines := rapid.IntRange(0, 2*n).Draw(t, "lines")
	for range lines {
		in.Emissions = append(in.Emissions, HotkeyEmission{Hotkey: keys[rapid.IntRange(0, n-1).Draw(t, "line")], Incentive: amount("incentive"), Dividend: amount("dividend")})
	}
	switch rapid.IntRange(0, 2).Draw(t, "order") {
	case 0: // an epoch's: each hotkey once, in order
		slices.SortFunc(in.Emissions, func(a, b HotkeyEmission) int { return bytes.Compare(a.Hotkey[:], b.Hotkey[:]) })
		in.Emissions = slices.CompactFunc(in.Emissions, func(a, b HotkeyEmission) bool { return a.Hotkey == b.Hotkey })
	case 1: // in order with repeats
		slices.SortStableFunc(in.Emissions, func(a, b HotkeyEmission) int { return bytes.Compare(a.Hotkey[:], b.Hotkey[:]) })
	}
	for range rapid.IntRange(0, 2).Draw(t, "ownerHotkeys") {
		in.OwnerHotkeys = append(in.OwnerHotkeys, keys[rapid.IntRange(0, n-1).Draw(t, "ownerHotkey")])
	}
	return in
}

// withStates is in with the states of its lines moved to States, the map
// keeping only the hotkeys without a line (the ledger's form).
func withStates(in *DistributionInput) *DistributionInput {
	out := *in
	out.Hotkeys = map[units.AccountID]HotkeyState{}
	out.States = make([]HotkeyState, len(in.Emissions))
	lined := map[units.AccountID]bool{}
	for i, e := range in.Emissions {
		out.States[i] = in.Hotkeys[e.Hotkey]
		lined[e.Hotkey] = true
	}
	for k, h := range in.Hotkeys {
		if !lined[k] {
			out.Hotkeys[k] = h
		}
	}
	return &out
}

// TestDistributeMatchesReference: Distribute, with its states in the map
// or by line, and a Distributor reused across inputs return exactly what
// the first implementation returned, errors included.
func TestDistributeMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var z Distributor
		for range rapid.IntRange(1, 3).Draw(t, "inputs") {
			in := genDistributionInput(t)
			want, wantErr := distributeReference(in)
			for _, c := range []*DistributionInput{in, withStates(in)} {
				got, err := Distribute(c)
				if fmt.Sprint(err) != fmt.Sprint(wantErr) {
					t.Fatalf("error %v, want %v", err, wantErr)
				}
				if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
					t.Fatalf("got  %+v\nwant %+v", got, want)
				}
				reused, err := z.Distribute(c)
				if fmt.Sprint(err) != fmt.Sprint(wantErr) {
					t.Fatalf("Distributor: error %v, want %v", err, wantErr)
				}
				if err == nil && fmt.Sprintf("%+v", *reused) != fmt.Sprintf("%+v", want) {
					t.Fatalf("Distributor: got  %+v\nwant %+v", *reused, want)
				}
			}
		}
	})
}

// A Distributor that has seen an epoch allocates nothing for the next.
func TestDistributorAllocatesNothing(t *testing.T) {
	in := &DistributionInput{PendingServer: 1e9, PendingValidator: 1e9, PendingRoot: 1e8, TaoWeight: 1 << 62, Hotkeys: map[units.AccountID]HotkeyState{}}
	for i := range 256 {
		h := units.AccountID{byte(i), 7}
		in.Emissions = append(in.Emissions, HotkeyEmission{Hotkey: h, Incentive: units.Alpha(i * 1000), Dividend: units.Alpha(i%64) * 5000})
		in.States = append(in.States, HotkeyState{Owner: units.AccountID{9}, AlphaStake: units.Alpha(1e12 + i), RootStake: units.Alpha(i) * 1e9})
	}
	var z Distributor
	if _, err := z.Distribute(in); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(20, func() {
		if _, err := z.Distribute(in); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}

// States must be one per line.
func TestDistributeStatesMismatch(t *testing.T) {
	in := &DistributionInput{Emissions: make([]HotkeyEmission, 2), States: make([]HotkeyState, 1)}
	if _, err := Distribute(in); err == nil || !errors.Is(err, ErrStatesMismatch) {
		t.Fatalf("error %v, want ErrStatesMismatch", err)
	}
}

// benchDistributionInput is BenchmarkDistributor's input: 256 lines, 64
// validators with dividends (16 of them with root stake), 192 miners with
// incentive only, no parents.
func benchDistributionInput() *DistributionInput {
	in := &DistributionInput{PendingServer: 1e11, PendingValidator: 1e11, PendingRoot: 1e10, TaoWeight: 1 << 62, Hotkeys: map[units.AccountID]HotkeyState{}}
	for i := range 256 {
		e := HotkeyEmission{Hotkey: units.AccountID{byte(i), 3}}
		st := HotkeyState{Owner: units.AccountID{byte(i), 9}, AlphaStake: units.Alpha(1e12 + i)}
		if i < 64 {
			e.Dividend = units.Alpha(1e9 + i*1e7)
			if i < 16 {
				st.RootStake = units.Alpha(5e14 - i*1e12)
			}
		} else {
			e.Incentive = units.Alpha(1e8 + i*1e6)
		}
		in.Emissions = append(in.Emissions, e)
		in.States = append(in.States, st)
	}
	return in
}

// TestDistributeBenchShapeMatchesReference: on the ledger's shape (most
// lines without dividend, sorted, no parents, which the fast path skips or
// keeps unmerged), with an owner hotkey withheld and a parent added to a
// validator (the merged path), Distribute returns what the reference
// returns.
func TestDistributeBenchShapeMatchesReference(t *testing.T) {
	for _, variant := range []string{"plain", "owner", "parent"} {
		in := benchDistributionInput()
		switch variant {
		case "owner":
			in.OwnerHotkeys = []units.AccountID{in.Emissions[100].Hotkey, in.Emissions[3].Hotkey}
		case "parent":
			in.States[5].Parents = []ParentLink{{Hotkey: in.Emissions[200].Hotkey, Proportion: 1 << 62}}
			in.States[200].ChildProportions = []uint64{1 << 62}
		}
		ref := *in
		ref.States = nil
		ref.Hotkeys = map[units.AccountID]HotkeyState{}
		for i, e := range in.Emissions {
			ref.Hotkeys[e.Hotkey] = in.States[i]
		}
		want, err := distributeReference(&ref)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Distribute(in)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
			t.Fatalf("%s: got  %+v\nwant %+v", variant, got, want)
		}
		if len(want.AlphaDividends) == 0 || len(want.Incentives) == 0 {
			t.Fatalf("%s: a payout list is empty: %+v", variant, want)
		}
	}
}

// BenchmarkDistributor is one epoch's distribution on the ledger
// benchmark's shape: 256 lines, 64 validators with dividends (16 of them
// with root stake), 192 miners with incentive only, no parents.
func BenchmarkDistributor(b *testing.B) {
	in := benchDistributionInput()
	var z Distributor
	b.ReportAllocs()
	for b.Loop() {
		if _, err := z.Distribute(in); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDistributeSortedIncentivesMatchReference: on sorted lines (the fast
// path that pays incentives in the lines' pass) with incentives that
// saturate the total, zero incentives, and owner hotkeys among and
// outside the lines, Distribute returns what the reference returns; the
// same lines unsorted (the gathered path) return it too.
func TestDistributeSortedIncentivesMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 6))
	for trial := range 200 {
		in := &DistributionInput{PendingServer: 1e11, PendingValidator: 1e11, PendingRoot: 1e10, TaoWeight: rng.Uint64(), Hotkeys: map[units.AccountID]HotkeyState{}}
		n := 1 + rng.IntN(40)
		for i := range n {
			k := units.AccountID{byte(i), 5}
			var inc units.Alpha
			switch rng.IntN(4) {
			case 1:
				inc = units.Alpha(rng.Uint64N(1e12))
			case 2:
				inc = units.Alpha(math.MaxUint64 - rng.Uint64N(1e6))
			case 3:
				inc = 1
			}
			in.Emissions = append(in.Emissions, HotkeyEmission{Hotkey: k, Incentive: inc, Dividend: units.Alpha(rng.Uint64N(3) * 1e9)})
			in.Hotkeys[k] = HotkeyState{AlphaStake: units.Alpha(rng.Uint64N(1e13)), RootStake: units.Alpha(rng.Uint64N(2) * 1e12)}
		}
		for range rng.IntN(3) {
			in.OwnerHotkeys = append(in.OwnerHotkeys, units.AccountID{byte(rng.IntN(n + 2)), 5})
		}
		want, err := distributeReference(in)
		if err != nil {
			t.Fatal(err)
		}
		rev := *in
		rev.Emissions = slices.Clone(in.Emissions)
		slices.Reverse(rev.Emissions)
		for _, c := range []*DistributionInput{in, withStates(in), &rev} {
			got, err := Distribute(c)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
				t.Fatalf("trial %d: got  %+v\nwant %+v", trial, got, want)
			}
		}
	}
}

// SplitDividends (whose parts, totals and shares Distribute now computes
// through dividendTotals.add and shareOfPending, without StakeSplits) is
// splitDividendsRef on random recipients: hotkeys without a stake entry,
// without root stake or without any stake, zero and saturating dividends
// and pending buckets, appended after what dst holds.
func TestSplitDividendsMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 12).Draw(t, "n")
		stake := func(label string) units.Alpha {
			switch rapid.IntRange(0, 3).Draw(t, label+"kind") {
			case 0:
				return 0
			case 1:
				return units.Alpha(^uint64(0))
			}
			return units.Alpha(rapid.Uint64().Draw(t, label))
		}
		divs := make([]StakeSplit, n)
		for i := range divs {
			divs[i] = StakeSplit{
				Hotkey:     units.AccountID{byte(i)},
				Dividend:   fixed.U96F32FromBits(rapid.Uint64Max(1<<40).Draw(t, "dhi"), rapid.Uint64().Draw(t, "dlo")),
				AlphaStake: stake("alpha"),
				RootStake:  stake("root"),
				NoStake:    rapid.IntRange(0, 7).Draw(t, "nostake") == 0,
			}
			if rapid.Bool().Draw(t, "zero") {
				divs[i].Dividend = fixed.U96F32{}
			}
		}
		pa, pr := stake("pa"), stake("pr")
		tw := fixed.U96F32FromU64Proportion(rapid.Uint64().Draw(t, "tw"))
		prefix := []DividendShare{{Hotkey: units.AccountID{0xff}, Alpha: fixed.U96F32FromUint64(7)}}
		got := SplitDividends(pa, pr, tw, divs, slices.Clone(prefix))
		want := splitDividendsRef(pa, pr, tw, divs, slices.Clone(prefix))
		if !slices.Equal(got, want) {
			t.Fatalf("got  %+v\nwant %+v", got, want)
		}
	})
}

// checkPartDivisor compares partDivisor.divide with CheckedDiv for one
// total and part.
func checkPartDivisor(t interface{ Fatalf(string, ...any) }, total, x fixed.U96F32) {
	d := newPartDivisor(total)
	got, gotOK := d.divide(x)
	want, wantOK := x.CheckedDiv(total)
	if got != want || gotOK != wantOK {
		t.Fatalf("%v / %v: partDivisor %v (%v), CheckedDiv %v (%v)", x, total, got, gotOK, want, wantOK)
	}
}

// partDivisor is CheckedDiv on random totals and parts (most below the
// total, as a sum's parts are, some above it) and on the edges: zero
// total or part, part equal to the total, totals around 2^64 and the
// maximum.
func TestPartDivisorMatchesCheckedDiv(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 80))
	edges := []fixed.U96F32{
		{}, fixed.U96F32FromBits(0, 1), fixed.U96F32FromUint64(1), fixed.U96F32FromUint64(^uint64(0)),
		fixed.U96F32FromBits(1<<32-1, ^uint64(0)), fixed.U96F32FromBits(1<<32, 0), fixed.U96F32FromBits(1<<32, 1),
		fixed.U96F32Max(), fixed.U96F32FromBits(0, 1<<63), fixed.U96F32FromBits(1, 0),
	}
	for _, total := range edges {
		for _, x := range edges {
			checkPartDivisor(t, total, x)
		}
	}
	for range 200_000 {
		total := fixed.U96F32FromBits(randU64(rng)>>rng.IntN(64), randU64(rng))
		// Mostly a part of the total (a random fraction of it, up to all
		// of it), sometimes any value.
		x := total.SaturatingMul(fixed.U96F32FromBits(0, rng.Uint64N(1<<32+1)))
		if rng.IntN(4) == 0 {
			x = fixed.U96F32FromBits(randU64(rng)>>rng.IntN(64), randU64(rng))
		}
		checkPartDivisor(t, total, x)
	}
}

// FuzzPartDivisor compares partDivisor.divide with CheckedDiv on raw bits.
func FuzzPartDivisor(f *testing.F) {
	f.Add(uint64(0), uint64(1e9<<32), uint64(0), uint64(3e8<<32))
	f.Add(uint64(1<<32-1), ^uint64(0), uint64(1<<32-1), ^uint64(0))
	f.Add(uint64(1<<32), uint64(0), uint64(0), uint64(5))
	f.Fuzz(func(t *testing.T, th, tl, xh, xl uint64) {
		checkPartDivisor(t, fixed.U96F32FromBits(th, tl), fixed.U96F32FromBits(xh, xl))
	})
}
