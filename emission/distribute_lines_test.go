package emission

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/dtao-go/dtao/units"
)

// The ledger leaves out of a distribution the lines of no emission whose
// hotkeys have no children and no parents (the ledger's distribute, on a
// network without links). These tests check that the distribution of the
// other lines is the distribution of all, and that PayoutLines names a
// line of each payout's hotkey.

// withoutEmptyLines is in (its states by line) less the lines whose
// incentive and dividend are 0 and whose state has no children and no
// parents; their states go to the Hotkeys map, where a parent's would be
// looked up.
func withoutEmptyLines(in *DistributionInput) *DistributionInput {
	out := *in
	out.Emissions, out.States = nil, nil
	out.Hotkeys = make(map[units.AccountID]HotkeyState, len(in.Hotkeys))
	for k, h := range in.Hotkeys {
		out.Hotkeys[k] = h
	}
	for i, e := range in.Emissions {
		h := in.States[i]
		if e.Incentive == 0 && e.Dividend == 0 && len(h.ChildProportions) == 0 && len(h.Parents) == 0 {
			if _, ok := out.Hotkeys[e.Hotkey]; !ok {
				out.Hotkeys[e.Hotkey] = h
			}
			continue
		}
		out.Emissions = append(out.Emissions, e)
		out.States = append(out.States, h)
	}
	return &out
}

// checkSkipsEmptyLines distributes in (states by line) with and without
// its empty lines and against the reference: the same distribution, or
// the same error, each time; and checks PayoutLines after each.
func checkSkipsEmptyLines(t interface {
	Fatalf(string, ...any)
}, in *DistributionInput) {
	ref := *in
	ref.States = nil
	ref.Hotkeys = make(map[units.AccountID]HotkeyState, len(in.Hotkeys)+len(in.Emissions))
	for k, h := range in.Hotkeys {
		ref.Hotkeys[k] = h
	}
	for i, e := range in.Emissions {
		ref.Hotkeys[e.Hotkey] = in.States[i]
	}
	want, wantErr := distributeReference(&ref)
	var z Distributor
	for _, c := range []*DistributionInput{in, withoutEmptyLines(in)} {
		got, err := z.Distribute(c)
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("%d lines: error %v, want %v", len(c.Emissions), err, wantErr)
		}
		if err != nil {
			continue
		}
		if fmt.Sprintf("%+v", *got) != fmt.Sprintf("%+v", want) {
			t.Fatalf("%d lines: got  %+v\nwant %+v", len(c.Emissions), *got, want)
		}
		checkPayoutLines(t, &z, c, got)
	}
}

// checkPayoutLines: each list of PayoutLines is as long as its payouts',
// and each line it names (not −1) holds the payout's hotkey. On lines
// strictly sorted by hotkey whose states have no parents (the ledger's
// shape), every payout has its line.
func checkPayoutLines(t interface {
	Fatalf(string, ...any)
}, z *Distributor, in *DistributionInput, d *Distribution) {
	inc, alpha, root := z.PayoutLines()
	whole := emissionsIncreasing(in.Emissions)
	for i := range in.Emissions {
		if len(stateOf(in, i).Parents) > 0 {
			whole = false
		}
	}
	check := func(list string, lines []int32, hotkeys []units.AccountID) {
		if len(lines) != len(hotkeys) {
			t.Fatalf("%s: %d lines for %d payouts", list, len(lines), len(hotkeys))
		}
		for i, l := range lines {
			switch {
			case l == -1 && !whole:
			case l < 0 || int(l) >= len(in.Emissions):
				t.Fatalf("%s payout %d: line %d of %d (whole %v)", list, i, l, len(in.Emissions), whole)
			case in.Emissions[l].Hotkey != hotkeys[i]:
				t.Fatalf("%s payout %d: line %d holds %x, the payout %x", list, i, l, in.Emissions[l].Hotkey[:2], hotkeys[i][:2])
			}
		}
	}
	var hs []units.AccountID
	for _, p := range d.Incentives {
		hs = append(hs, p.Hotkey)
	}
	check("incentives", inc, hs)
	hs = hs[:0]
	for _, p := range d.AlphaDividends {
		hs = append(hs, p.Hotkey)
	}
	check("alpha dividends", alpha, hs)
	hs = hs[:0]
	for _, p := range d.RootDividends {
		hs = append(hs, p.Hotkey)
	}
	check("root dividends", root, slices.Clone(hs))
}

// stateOf is the state Distribute reads for line i.
func stateOf(in *DistributionInput, i int) HotkeyState {
	if in.States != nil {
		return in.States[i]
	}
	return in.Hotkeys[in.Emissions[i].Hotkey]
}

// TestDistributeSkipsEmptyLines on random inputs: lines sorted or not,
// repeated hotkeys, parents with and without lines, children, missing
// states, zero and saturating amounts, owner hotkeys.
func TestDistributeSkipsEmptyLines(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := withStates(genDistributionInput(t))
		if rapid.Bool().Draw(t, "unlinked") {
			// The ledger's shape: no children, no parents.
			for i := range in.States {
				in.States[i].ChildProportions, in.States[i].Parents = nil, nil
			}
			clear(in.Hotkeys)
		}
		checkSkipsEmptyLines(t, in)
	})
}

// TestDistributeSkipsEmptyLinesEdges on constructed inputs of the ledger's
// shape: no line with emission, every line empty but one, owner hotkeys
// on empty lines, incentives and dividends at u64::MAX (the saturating
// sums), stakes at 0 and at the maximum, a parent on an empty line.
func TestDistributeSkipsEmptyLinesEdges(t *testing.T) {
	for _, variant := range []string{"none", "one", "owners", "saturating", "stakes", "parent", "bench"} {
		in := benchDistributionInput()
		for i := range in.Emissions {
			if i%3 != 0 {
				in.Emissions[i].Incentive, in.Emissions[i].Dividend = 0, 0
			}
		}
		switch variant {
		case "none":
			for i := range in.Emissions {
				in.Emissions[i].Incentive, in.Emissions[i].Dividend = 0, 0
			}
		case "one":
			for i := range in.Emissions {
				if i != 129 {
					in.Emissions[i].Incentive, in.Emissions[i].Dividend = 0, 0
				}
			}
		case "owners":
			in.OwnerHotkeys = []units.AccountID{in.Emissions[1].Hotkey, in.Emissions[3].Hotkey, in.Emissions[130].Hotkey, {0xff, 0xff}}
		case "saturating":
			for _, i := range []int{0, 3, 96, 99, 255} {
				in.Emissions[i].Incentive, in.Emissions[i].Dividend = math.MaxUint64, math.MaxUint64
			}
			in.PendingValidator, in.PendingRoot = math.MaxUint64, math.MaxUint64
		case "stakes":
			for i := range in.States {
				switch i % 4 {
				case 0:
					in.States[i].AlphaStake, in.States[i].RootStake = 0, 0
				case 1:
					in.States[i].AlphaStake, in.States[i].RootStake = math.MaxUint64, math.MaxUint64
				}
			}
		case "parent":
			// Line 3's dividend goes partly to the hotkey of line 4,
			// which is empty: its state is then read from the map.
			in.States[3].Parents = []ParentLink{{Hotkey: in.Emissions[4].Hotkey, Proportion: 1 << 63}}
			in.States[4].ChildProportions = []uint64{1 << 63}
			in.Emissions[3].Dividend = 5e9
		}
		checkSkipsEmptyLines(t, in)
	}
}

// FuzzDistributeSkipsEmptyLines decodes lines, states and buckets from the
// fuzzer's bytes (amounts drawn from 0, 1, small, large and near u64::MAX)
// and checks them as TestDistributeSkipsEmptyLines does.
func FuzzDistributeSkipsEmptyLines(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
	f.Add([]byte{0xff, 0, 0, 0, 0, 0, 0, 0, 9, 0x10, 4, 4, 4, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add(make([]byte, 40))
	f.Fuzz(func(t *testing.T, data []byte) {
		next := func() byte {
			if len(data) == 0 {
				return 0
			}
			b := data[0]
			data = data[1:]
			return b
		}
		amount := func() units.Alpha {
			b := next()
			switch b % 5 {
			case 0:
				return 0
			case 1:
				return 1
			case 2:
				return units.Alpha(b) * 1_000_003
			case 3:
				return units.Alpha(b) * 1e12
			}
			return units.Alpha(math.MaxUint64 - uint64(b))
		}
		in := &DistributionInput{
			PendingServer: amount(), PendingValidator: amount(), PendingRoot: amount(), PendingOwnerCut: amount(),
			Hotkeys: map[units.AccountID]HotkeyState{}, RecycleWithheld: next()%2 == 0,
		}
		var w [8]byte
		for i := range w {
			w[i] = next()
		}
		in.TaoWeight = binary.LittleEndian.Uint64(w[:])
		sorted := next()%2 == 0
		for len(data) > 0 {
			k := units.AccountID{next() % 32, 1}
			if sorted && len(in.Emissions) > 0 && bytesLess(k, in.Emissions[len(in.Emissions)-1].Hotkey) {
				k[0] = in.Emissions[len(in.Emissions)-1].Hotkey[0] + 1
			}
			e := HotkeyEmission{Hotkey: k, Incentive: amount(), Dividend: amount()}
			h := HotkeyState{Owner: units.AccountID{next() % 3}, AlphaStake: amount(), RootStake: amount()}
			if t := next(); t%3 == 0 {
				h.DelegateTake = TakeOf(uint16(t) * 257)
			}
			if next()%7 == 0 {
				in.OwnerHotkeys = append(in.OwnerHotkeys, k)
			}
			// A line of one hotkey carries its first line's state.
			for j := range in.Emissions {
				if in.Emissions[j].Hotkey == k {
					h = in.States[j]
					break
				}
			}
			in.Emissions = append(in.Emissions, e)
			in.States = append(in.States, h)
		}
		checkSkipsEmptyLines(t, in)
	})
}

// bytesLess reports whether a orders below b.
func bytesLess(a, b units.AccountID) bool { return units.CompareAccounts(&a, &b) < 0 }
