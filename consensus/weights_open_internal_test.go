package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/units"
)

// The reference of appendWeightsOpen is appendWeights (itself checked
// against refAppendWeights in weights_internal_test.go), which readWeights
// still takes for the rows appendWeightsOpen declines.

// checkOpenRow runs appendWeightsOpen where readWeights would (unmasked)
// and compares it with appendWeights, after existing cells.
func checkOpenRow(t *testing.T, row []Entry, reg []uint64, self int, lu, cb uint64) {
	t.Helper()
	maxReg := slices.Max(reg)
	if !unmasked(maxReg, lu, cb) {
		return
	}
	prefix := []entry{{1, one}, {2, half}}
	want, wt, ws, wb := appendWeights(slices.Clone(prefix), row, reg, self, lu, cb)
	if len(want)-len(prefix) != len(row) && !wb && !slices.ContainsFunc(row, func(e Entry) bool { return int(e.UID) == self }) {
		t.Fatalf("unmasked(%d, %d, %d) but appendWeights dropped a cell of %v (reg %v)", maxReg, lu, cb, row, reg)
	}
	got, gt, gs, ok := appendWeightsOpen(slices.Clone(prefix), row, len(reg), self)
	if !ok {
		declined := wb || slices.ContainsFunc(row, func(e Entry) bool { return int(e.UID) == self })
		if !declined || !slices.Equal(got, prefix) {
			t.Fatalf("row %v self %d n %d: declined (%v), buf %v", row, self, len(reg), declined, got)
		}
		return
	}
	if wb || !slices.Equal(got, want) || gt != wt || gs != ws {
		t.Fatalf("row %v reg %v self %d lastUpdate %d commit %d:\ngot %v %d %v\nwant %v %d %v beyond %v",
			row, reg, self, lu, cb, got, gt, gs, want, wt, ws, wb)
	}
}

// drawOpenRow draws a row (sorted or not, duplicates, the self column,
// columns beyond n), registrations and a last update and commit around
// them.
func drawOpenRow(r bitSource) (row []Entry, reg []uint64, self int, lu, cb uint64) {
	n := 1 + r.IntN(40)
	reg = make([]uint64, n)
	for j := range reg {
		reg[j] = uint64(r.IntN(20))
	}
	block := func() uint64 {
		switch r.IntN(6) {
		case 0:
			return ^uint64(0)
		case 1:
			return 0
		default:
			return uint64(r.IntN(25))
		}
	}
	lu, cb = block(), block()
	row = make([]Entry, r.IntN(n+4))
	hi := n
	if r.IntN(4) == 0 {
		hi = n + 3
	}
	for k := range row {
		row[k] = Entry{UID: units.UID(r.IntN(hi)), Value: uint16(r.IntN(65536))}
	}
	if r.IntN(3) > 0 {
		slices.SortFunc(row, func(a, b Entry) int { return int(a.UID) - int(b.UID) })
		if r.IntN(2) == 0 {
			row = slices.CompactFunc(row, func(a, b Entry) bool { return a.UID == b.UID })
		}
	}
	self = -1
	if r.IntN(3) == 0 {
		self = r.IntN(n)
	}
	return row, reg, self, lu, cb
}

// TestAppendWeightsOpenMatchesAppendWeights: on the rows readWeights gives
// it, appendWeightsOpen returns appendWeights' cells, total and order, or
// declines exactly the rows with the self column or a column beyond n.
func TestAppendWeightsOpenMatchesAppendWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 9))
	for range 20000 {
		row, reg, self, lu, cb := drawOpenRow(r)
		checkOpenRow(t, row, reg, self, lu, cb)
	}
}

// TestUnmaskedEdgeCases: the mask's bounds (a registration at the last
// update, at the commit, just after it) and commit-reveal off.
func TestUnmaskedEdgeCases(t *testing.T) {
	rows := [][]Entry{{{0, 5}, {1, 7}, {2, 65535}}, {{2, 1}, {0, 3}}}
	for _, row := range rows {
		for _, c := range []struct{ reg, lu, cb uint64 }{
			{9, 10, ^uint64(0)}, {10, 10, ^uint64(0)}, {9, 10, 9}, {9, 10, 8}, {0, 0, ^uint64(0)}, {0, 1, 0},
		} {
			reg := []uint64{0, c.reg, 3}
			checkOpenRow(t, row, reg, -1, c.lu, c.cb)
			checkOpenRow(t, row, reg, 1, c.lu, c.cb)
		}
	}
}

// FuzzAppendWeightsOpen compares appendWeightsOpen with appendWeights on
// rows drawn from the fuzz bytes.
func FuzzAppendWeightsOpen(f *testing.F) {
	f.Add([]byte{})
	r := rand.New(rand.NewPCG(6, 1))
	for range 8 {
		b := make([]byte, 512)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		row, reg, self, lu, cb := drawOpenRow(&byteSource{b})
		checkOpenRow(t, row, reg, self, lu, cb)
	})
}
