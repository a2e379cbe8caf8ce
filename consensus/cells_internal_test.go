package consensus

import (
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"pgregory.net/rapid"
)

// cellsRef counts the cells of rows[:n] one at a time.
func cellsRef(rows [][]Entry, n int) int {
	c := 0
	for i, r := range rows {
		if i >= n {
			break
		}
		for range r {
			c++
		}
	}
	return c
}

// TestRowCells: rowCells counts the cells of the rows below n, for n
// below, at and beyond the number of rows, with empty and nil rows.
func TestRowCells(t *testing.T) {
	rows := [][]Entry{nil, make([]Entry, 3), {}, make([]Entry, 40), nil, make([]Entry, 1)}
	for n := range len(rows) + 3 {
		if got, want := rowCells(rows, n), cellsRef(rows, n); got != want {
			t.Fatalf("n %d: rowCells = %d, want %d", n, got, want)
		}
	}
	if got := rowCells(nil, 5); got != 0 {
		t.Fatalf("no rows: rowCells = %d, want 0", got)
	}
}

// TestEpochCellCounts: after the epoch's phases up to the consensus,
// ws.wCells and ws.bCells are the stored weight and bond cells of the rows
// below N, the weight rows' cells are len(ws.w.buf), and ws.wAllTidy is
// the AND of readWeights' per-row tidy flags, so that clipRankEMA's
// modes are clipModes' and consensus' sparseRows holds with it, on drawn
// inputs and the ledger's (tidy rows, and untidy ones as in
// TestEpochLedgerUntidyRows).
func TestEpochCellCounts(t *testing.T) {
	check := func(t interface {
		Helper()
		Fatalf(string, ...any)
	}, in *Input) {
		t.Helper()
		if in.validateHead() != nil {
			return
		}
		var ws Workspace
		v := newEpochView(in)
		ws.registrations(&v)
		ws.stakeWeights(&v)
		ws.validatorPermits(&v)
		ws.activeStake(&v)
		ws.readWeights(&v)
		ws.consensus(&v)
		wc, bc := cellsRef(in.Weights, v.n), cellsRef(in.Bonds, v.n)
		if ws.wCells != wc || ws.bCells != bc {
			t.Fatalf("cells (%d, %d), want (%d, %d)", ws.wCells, ws.bCells, wc, bc)
		}
		// clipRankEMA sizes the EMA by len(ws.w.buf), as the weights'
		// cells: every row its own part of the buffer.
		if c := ws.w.count(); c != len(ws.w.buf) {
			t.Fatalf("the weight rows hold %d cells, their buffer %d", c, len(ws.w.buf))
		}
		all := !slices.Contains(ws.wTidy[:v.n], false)
		if ws.wAllTidy != all {
			t.Fatalf("wAllTidy %v, the rows' flags give %v", ws.wAllTidy, all)
		}
		if ws.wAllTidy && !sparseRows(ws.active[:v.n], &ws.w, ws.wTidy) {
			t.Fatalf("every row tidy, but sparseRows is false")
		}
		unitC, plain := clipModes(&ws.w, ws.wTidy, ws.cons, ws.active)
		gotUnit := allUnit(ws.cons)
		gotPlain := gotUnit && ws.wAllTidy && allUnit(ws.active[:len(ws.w.rows)])
		if gotUnit != unitC || gotPlain != plain {
			t.Fatalf("modes (%v, %v), clipModes gives (%v, %v)", gotUnit, gotPlain, unitC, plain)
		}
	}
	untidy := 0
	rapid.Check(t, func(t *rapid.T) {
		in := drawInput(t)
		check(t, &in)
	})
	for k, edit := range []func(in *Input){
		func(in *Input) {},
		func(in *Input) { slices.Reverse(in.Weights[7]) },
		func(in *Input) {
			in.Weights[3] = append(in.Weights[3], Entry{UID: in.Weights[3][0].UID, Value: 9})
		},
	} {
		in := ledgerInput(t, uint64(20+k))
		edit(&in)
		check(t, &in)
		var ws Workspace
		v := newEpochView(&in)
		ws.registrations(&v)
		ws.stakeWeights(&v)
		ws.validatorPermits(&v)
		ws.activeStake(&v)
		ws.readWeights(&v)
		if !ws.wAllTidy {
			untidy++
		}
	}
	if untidy != 2 {
		t.Fatalf("%d of the two edited ledger inputs have an untidy row", untidy)
	}
}

// liveRef lists the uids below n whose weight row or bond row holds a
// cell, one uid at a time.
func liveRef(w, b [][]Entry, n int) []int32 {
	var live []int32
	for i := range n {
		if i < len(w) && len(w[i]) > 0 || i < len(b) && len(b[i]) > 0 {
			live = append(live, int32(i))
		}
	}
	return live
}

// TestCountCellsLive: countCells lists liveRef's uids and counts
// cellsRef's cells, for weight and bond lists of equal and of different
// lengths, longer and shorter than n, with empty rows among them, in a
// workspace reused from a larger epoch.
func TestCountCellsLive(t *testing.T) {
	var ws Workspace
	rapid.Check(t, func(t *rapid.T) {
		rows := func(label string) [][]Entry {
			r := make([][]Entry, rapid.IntRange(0, 40).Draw(t, label+" rows"))
			for i := range r {
				r[i] = make([]Entry, rapid.IntRange(0, 3).Draw(t, label+" cells"))
			}
			return r
		}
		in := Input{Weights: rows("weights"), Bonds: rows("bonds")}
		if rapid.Bool().Draw(t, "same length") {
			in.Bonds = in.Bonds[:min(len(in.Bonds), len(in.Weights))]
			for len(in.Bonds) < len(in.Weights) {
				in.Bonds = append(in.Bonds, nil)
			}
		}
		n := rapid.IntRange(0, 45).Draw(t, "n")
		ws.countCells(&in, n)
		if want := liveRef(in.Weights, in.Bonds, n); !slices.Equal(ws.live, want) {
			t.Fatalf("n %d: live %v, want %v", n, ws.live, want)
		}
		if wc, bc := cellsRef(in.Weights, n), cellsRef(in.Bonds, n); ws.wCells != wc || ws.bCells != bc {
			t.Fatalf("n %d: cells (%d, %d), want (%d, %d)", n, ws.wCells, ws.bCells, wc, bc)
		}
	})
}

// TestListedVectorsZeroElsewhere: after an epoch, the vectors that
// writeOutput converts over a list (u16At) and that the phases
// normalised over one (normalizeAt) are 0 off their list: the stake and
// the active stake off ws.staked (ws.stakedOK), the trust and the
// dividends off ws.live (ws.vtLive, ws.divLive), on drawn inputs and
// the ledger's; and the ledger's epoch takes all four lists.
func TestListedVectorsZeroElsewhere(t *testing.T) {
	check := func(t interface {
		Helper()
		Fatalf(string, ...any)
	}, in *Input) *Workspace {
		t.Helper()
		var ws Workspace
		var out Output
		if ws.Epoch(in, &out) != nil {
			return nil
		}
		off := func(name string, x []fixed.I32F32, listed bool, at []int) {
			if !listed {
				return
			}
			on := make([]bool, len(x))
			for _, i := range at {
				on[i] = true
			}
			for i, v := range x {
				if !on[i] && !v.IsZero() {
					t.Fatalf("%s of uid %d is %v, off its list %v", name, i, v, at)
				}
			}
		}
		live := make([]int, len(ws.live))
		for k, i := range ws.live {
			live[k] = int(i)
		}
		n := int(in.N)
		off("stake", ws.stake[:n], ws.stakedOK, ws.staked)
		off("active stake", ws.active[:n], ws.stakedOK, ws.staked)
		off("trust", ws.vt[:n], ws.vtLive, live)
		off("dividends", ws.div[:n], ws.divLive, live)
		return &ws
	}
	rapid.Check(t, func(t *rapid.T) {
		in := drawInput(t)
		check(t, &in)
	})
	in := ledgerInput(t, 5)
	if ws := check(t, &in); ws == nil || !ws.stakedOK || !ws.vtLive || !ws.divLive {
		t.Fatalf("the ledger's epoch does not take the listed passes")
	}
}
