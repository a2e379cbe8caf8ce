package consensus

// countCells counts the stored weight and bond cells of the rows below n
// into ws.wCells and ws.bCells, by which readWeights, readBonds and
// emaStoredBegin size their matrices: one pass over both row lists at the
// epoch's start (registrations) instead of one in readWeights and one in
// each bonds phase, each reading its lengths through in at every uid.
//
// The same pass lists in ws.live, ascending, the uids below n whose
// stored weight row or bond row holds a cell: every other uid has an
// empty weight row (readWeights) and an empty clipped row, no trust and
// an empty EMA row (clipRankEMA), which those phases write for all such
// uids at once and then visit only the listed ones (a validator's row is
// one of a few dozen of the subnet's uids). Its count of cells is
// rowCells' (cellsRef in cells_internal_test.go).
//
// A pass loading every cache line of these rows here, so that their
// misses overlap before the per-row work meets them one by one, was
// measured and not kept: about 4k instructions an epoch more, and no gain
// in CPU time on BenchmarkEpochLedgerCold or the ledger's BenchmarkStep.
func (ws *Workspace) countCells(in *Input, n int) {
	w, b := in.Weights, in.Bonds
	if n < len(w) {
		w = w[:n]
	}
	if n < len(b) {
		b = b[:n]
	}
	if len(w) != len(b) { // rows missing from one list: not the ledger's
		ws.live, ws.wCells, ws.bCells = liveRows(ws.live[:0], w, b)
		return
	}
	// Every uid is written at the list's end, which moves on past it when
	// its rows hold a cell.
	ws.live = grow(ws.live, len(w)+1)
	live := ws.live[:len(w)]
	b = b[:len(w)]
	var wc, bc, k int
	for i, r := range w {
		lw, lb := len(r), len(b[i])
		wc += lw
		bc += lb
		live[k] = int32(i)
		k += int(b2i(lw|lb != 0))
	}
	ws.live, ws.wCells, ws.bCells = live[:k], wc, bc
}

// liveRows appends to live the uids of countCells' list for weight rows
// w and bond rows b of any lengths, and returns it with the number of
// cells of w and of b.
func liveRows(live []int32, w, b [][]Entry) ([]int32, int, int) {
	var wc, bc int
	for i := range max(len(w), len(b)) {
		var lw, lb int
		if i < len(w) {
			lw = len(w[i])
		}
		if i < len(b) {
			lb = len(b[i])
		}
		wc += lw
		bc += lb
		if lw|lb != 0 {
			live = append(live, int32(i))
		}
	}
	return live, wc, bc
}

// rowCells returns the number of cells in rows[:n] (all of rows when
// shorter).
func rowCells(rows [][]Entry, n int) (cells int) {
	if n < len(rows) {
		rows = rows[:n]
	}
	for _, r := range rows {
		cells += len(r)
	}
	return cells
}
