package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// normalizeWeights equals inplace_row_normalize_sparse (wrapping sum,
// SafeDiv) on rows of u16 weights, including rows whose sum wraps.
func TestNormalizeWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 1))
	for iter := range 300 {
		k := r.IntN(20)
		if iter%10 == 0 {
			k = 32768 + r.IntN(40000) // a sum of 2^31 or more, wrapping on chain
		}
		row := make([]entry, k)
		var total uint64
		for i := range row {
			u := uint64(r.IntN(65536))
			if iter%10 == 0 {
				u = 65535 - uint64(r.IntN(3))
			}
			row[i] = entry{uint16(i), fixed.I32F32FromUint64(u)}
			total += u
		}
		want := slices.Clone(row)
		s := zero
		for _, e := range want {
			s = s.Add(e.v)
		}
		if s.Sign() > 0 {
			for i := range want {
				want[i].v = want[i].v.SafeDiv(s)
			}
		}
		unit := normalizeWeights(row, total)
		if !slices.Equal(row, want) {
			t.Fatalf("iteration %d (total %d): rows differ", iter, total)
		}
		wantUnit := true
		for _, e := range want {
			wantUnit = wantUnit && uint64(e.v.Bits()) <= 1<<32
		}
		if unit != wantUnit {
			t.Fatalf("iteration %d (total %d): unit %v, want %v", iter, total, unit, wantUnit)
		}
	}
}

// refAppendWeights is appendWeights as it was before its mask became one
// comparison and its cells were written by index: the straightforward
// form, kept as the reference of TestAppendWeightsMatchesReference.
func refAppendWeights(buf []entry, row []Entry, reg []uint64, self int, lastUpdate, commit uint64) ([]entry, uint64, bool, bool) {
	var total uint64
	prev, sorted, beyond := -1, true, false
	for _, e := range row {
		j := int(e.UID)
		if j >= len(reg) {
			beyond = true
			continue
		}
		if j == self {
			continue
		}
		if r := reg[j]; r >= lastUpdate || r > commit {
			continue
		}
		sorted = sorted && j > prev
		prev = j
		total += uint64(e.Value)
		buf = append(buf, entry{uint16(e.UID), fixed.I32F32FromUint64(uint64(e.Value))})
	}
	return buf, total, sorted, beyond
}

// TestAppendWeightsMatchesReference: appendWeights and refAppendWeights
// agree on random rows (unsorted, duplicates, columns beyond n, the self
// column) with registration blocks, last updates and commits around each
// other, MaxUint64 and 0 included, appending after existing cells.
func TestAppendWeightsMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 4))
	block := func() uint64 {
		switch r.IntN(8) {
		case 0:
			return 0
		case 1:
			return ^uint64(0)
		case 2:
			return ^uint64(0) - 1
		default:
			return uint64(r.IntN(20))
		}
	}
	for range 5000 {
		n := 1 + r.IntN(40)
		reg := make([]uint64, n)
		for j := range reg {
			reg[j] = block()
		}
		row := make([]Entry, r.IntN(n+4))
		for k := range row {
			row[k] = Entry{UID: units.UID(r.IntN(n + 3)), Value: uint16(r.UintN(65536))}
		}
		if r.IntN(2) == 0 {
			slices.SortFunc(row, func(a, b Entry) int { return int(a.UID) - int(b.UID) })
		}
		self := r.IntN(n+1) - 1
		lu, cb := block(), block()
		prefix := []entry{{1, one}, {2, half}}
		got, gt, gs, gb := appendWeights(slices.Clone(prefix), row, reg, self, lu, cb)
		want, wt, ws, wb := refAppendWeights(slices.Clone(prefix), row, reg, self, lu, cb)
		if !slices.Equal(got, want) || gt != wt || gs != ws || gb != wb {
			t.Fatalf("row %v reg %v self %d lastUpdate %d commit %d:\ngot %v %d %v %v\nwant %v %d %v %v",
				row, reg, self, lu, cb, got, gt, gs, gb, want, wt, ws, wb)
		}
	}
}

// refAppendBonds is appendBonds as it was before its cells were written by
// index: the straightforward form, kept as the reference of
// TestAppendBondsMatchesReference.
func refAppendBonds(buf []entry, row []Entry, reg []uint64, lastTempo uint64, yuma3 bool) ([]entry, bool, bool) {
	prev, tidy, beyond := -1, yuma3, false
	for _, e := range row {
		j := int(e.UID)
		if j >= len(reg) {
			beyond = true
			continue
		}
		if lastTempo <= reg[j] {
			continue
		}
		tidy = tidy && j > prev
		prev = j
		v := fixed.I32F32FromUint64(uint64(e.Value))
		if yuma3 {
			v = fixed.I32F32FromU16Proportion(e.Value)
		}
		buf = append(buf, entry{uint16(e.UID), v})
	}
	return buf, tidy, beyond
}

// TestAppendBondsMatchesReference: appendBonds and refAppendBonds agree on
// random rows (unsorted, duplicates, columns beyond n) with registration
// blocks around the last tempo, for both bond readings, appending after
// existing cells with and without room.
func TestAppendBondsMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 5))
	for range 5000 {
		n := 1 + r.IntN(40)
		reg := make([]uint64, n)
		for j := range reg {
			reg[j] = uint64(r.IntN(20))
		}
		row := make([]Entry, r.IntN(n+4))
		for k := range row {
			row[k] = Entry{UID: units.UID(r.IntN(n + 3)), Value: uint16(r.UintN(65536))}
		}
		if r.IntN(2) == 0 {
			slices.SortFunc(row, func(a, b Entry) int { return int(a.UID) - int(b.UID) })
		}
		lastTempo, yuma3 := uint64(r.IntN(22)), r.IntN(2) == 0
		prefix := make([]entry, 2, 2+r.IntN(2*len(row)+1))
		prefix[0], prefix[1] = entry{1, one}, entry{2, half}
		got, gt, gb := appendBonds(slices.Clone(prefix), row, reg, lastTempo, yuma3)
		want, wt, wb := refAppendBonds(prefix, row, reg, lastTempo, yuma3)
		if !slices.Equal(got, want) || gt != wt || gb != wb {
			t.Fatalf("row %v reg %v lastTempo %d yuma3 %v:\ngot %v %v %v\nwant %v %v %v",
				row, reg, lastTempo, yuma3, got, gt, gb, want, wt, wb)
		}
	}
}
