package consensus

// countCells counts the stored weight and bond cells of the rows below n
// into ws.wCells and ws.bCells, by which readWeights, readBonds and
// emaStoredBegin size their matrices: one pass over both row lists at the
// epoch's start (registrations) instead of one in readWeights and one in
// each bonds phase, each reading its lengths through in at every uid.
//
// A pass loading every cache line of these rows here, so that their
// misses overlap before the per-row work meets them one by one, was
// measured and not kept: about 4k instructions an epoch more, and no gain
// in CPU time on BenchmarkEpochLedgerCold or the ledger's BenchmarkStep.
func (ws *Workspace) countCells(in *Input, n int) {
	ws.wCells = rowCells(in.Weights, n)
	ws.bCells = rowCells(in.Bonds, n)
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
