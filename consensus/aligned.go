package consensus

import (
	"math"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Aligned rows. In most epochs the validators weight the same miners, so
// that most rows of the weights, and of the bonds and their EMA, hold the
// same columns in the same order. For such rows a column's operands can
// be laid out at the index of the cell that reads them, in compact arrays
// built once for the epoch from one reference row: the row's kernels then
// read them in order, with no look-up by column, and on amd64 with
// AVX-512 run eight cells at a time (aligned_amd64.s). A row is taken as
// aligned only after its columns are compared with the reference's
// (sameCols, and the vector kernels' own first pass), before anything is
// written; any other row takes the kernels for any row. The aligned
// kernels compute each cell exactly as those do (the same products,
// shifts and corrections, lane by lane), and their sums are plain
// wrapping additions, whose order changes nothing.
//
// The epoch takes the aligned rows only where the vector kernels run
// (alignedAVX512, tested where it aligns them): the Go forms of the
// kernels, which take a pass more for the columns' check, do not beat
// the kernels for any row (under cachegrind, which has no AVX-512, the Go
// forms took 9,000 instructions a block more on BenchmarkStep's network).
// They are the vector kernels' specification, which the tests hold them
// to on every input.

// alignedMin is the fewest cells a reference row holds: below one block
// of eight the vector kernels have nothing to do.
const alignedMin = 8

// refRow is the reference row of the aligned rows among rows: the first
// row of live (rows' indices) that holds at least alignedMin cells, nil
// for none.
func refRow(rows [][]entry, live []int32) []entry {
	for _, i := range live {
		if r := rows[i]; len(r) >= alignedMin {
			return r
		}
	}
	return nil
}

// alignedTerms are the dividend kernel's operands (divTerm) of the
// columns of a reference row, at the index of the column's cell: cols[k]
// is the reference's k-th column, divs[k] and inc[k] that column's
// divTerm, split so that the vector kernel loads each with one
// instruction per eight cells.
type alignedTerms struct {
	cols []uint64
	divs []fixed.Uint64Divisor
	inc  []uint64
}

// alignTerms sets a to the terms of the columns of ref, the first row of
// live (rows' indices) that holds at least alignedMin cells, and reports
// whether there is one. terms holds every column's divTerm (divTerms).
func (a *alignedTerms) alignTerms(rows [][]entry, live []int32, terms []divTerm) bool {
	ref := refRow(rows, live)
	if ref == nil {
		return false
	}
	n := len(ref)
	a.cols, a.divs, a.inc = growU64(a.cols, n), grow(a.divs, n), growU64(a.inc, n)
	for k, e := range ref {
		c := &terms[e.j]
		a.cols[k], a.divs[k], a.inc[k] = uint64(e.j), c.div, c.inc
	}
	return true
}

// dividendRowAligned is dividendRowBelow for a row r as long as a.cols
// whose bonds are stored (dst as long as r) and whose whole blocks of
// eight cells are aligned with a (the k-th cell on a.cols[k]): it returns
// the row's dividend term and true, or false, having written nothing,
// when they are not.
//
// The blocks take dividendCellsAligned (the vector kernel where there is
// one), which compares their columns with a.cols before it writes
// anything; the cells past them take dividendCellsBelow, which reads
// their columns' terms by column. Together they give dividendCellsBelow's result on
// the row: the same stores and the same sum (plain wrapping additions in
// any order) when every cell lies below 1, and (0, 0) otherwise, so that
// dividendRestBelow then takes the row from its first cell, as
// dividendRowBelow does.
func dividendRowAligned(dst []Entry, r []entry, colSum []fixed.I32F32, terms []divTerm, a *alignedTerms) (fixed.I32F32, bool) {
	n := len(r)
	if n != len(a.cols) || len(dst) != n {
		return zero, false
	}
	m := n &^ 7
	t, or, ok := dividendCellsAligned(dst[:m], r[:m], a.cols[:m], a.divs[:m], a.inc[:m])
	if !ok {
		return zero, false
	}
	tt, k := dividendCellsBelow(dst[m:], r[m:], terms)
	if k != n-m || or>>32 != 0 {
		// A cell of 1 or more: the row from its first cell, as
		// dividendRowBelow takes it when dividendCellsBelow reports
		// (0, 0).
		return fixed.I32F32FromBits(dividendRestBelow(dst, r, 0, colSum, terms)), true
	}
	return fixed.I32F32FromBits(t + tt), true
}

// dividendCellsAlignedGo is the aligned dividend kernel in Go, for r of a
// whole number of blocks of eight cells (dst, cols, divs and inc as long):
// when every cell's column is cols' at its index it stores each cell's
// bond into dst and returns the cells' terms' sum, the OR of their raw
// bits and true, as dividendCellsBelow computes them with divs[k] and
// inc[k] in place of the column's divTerm; otherwise it returns false
// and writes nothing. A row with a cell of 1 or more has its stores and
// sum not meaningful (the OR tells it), as in dividendCellsBelow.
func dividendCellsAlignedGo(dst []Entry, r []entry, cols []uint64, divs []fixed.Uint64Divisor, inc []uint64) (t int64, or uint64, ok bool) {
	n := len(r)
	dst, cols, divs, inc = dst[:n], cols[:n], divs[:n], inc[:n]
	var diff uint64
	for k := range r {
		diff |= uint64(r[k].j) ^ cols[k]
	}
	if diff != 0 {
		return 0, 0, false
	}
	for k := range r {
		b := uint64(r[k].v.Bits())
		or |= b
		w := uint32(r[k].j) | uint32((b*65535)>>32)<<16
		dst[k] = Entry{units.UID(w), uint16(w >> 16)}
		t += int64((divs[k].DivShl32(b) * inc[k]) >> 32)
	}
	return t, or, true
}

// alignedClip is what clipRankEMA's aligned rows read and add to, at the
// index of the column's cell in a reference row (cols, as in
// alignedTerms): the consensus c, and the ranks and the EMA's column
// sums that the rows add up, in inc and acc, until flush adds them to
// the epoch's.
type alignedClip struct {
	cols     []uint64
	c        []int64
	inc, acc []int64
}

// alignClip sets a to the columns of the first row of live that holds at
// least alignedMin cells, with their consensus (c's raw bits) and
// accumulators of 0, and reports whether there is one.
func (a *alignedClip) alignClip(rows [][]entry, live []int32, c []fixed.I32F32) bool {
	ref := refRow(rows, live)
	if ref == nil {
		return false
	}
	n := len(ref)
	a.cols, a.c = growU64(a.cols, n), grow(a.c, n)
	a.inc, a.acc = grow(a.inc, n), grow(a.acc, n)
	clear(a.inc)
	clear(a.acc)
	for k, e := range ref {
		a.cols[k], a.c[k] = uint64(e.j), c[e.j].Bits()
	}
	return true
}

// flush adds the aligned rows' ranks and column sums to inc and acc, the
// epoch's, and sets a's to 0. The additions are the plain ones the rows'
// kernels make (clipBelowCells, zipBelowCells), grouped: the same sums.
func (a *alignedClip) flush(inc, acc []fixed.I32F32) {
	for k, j := range a.cols {
		inc[j] = fixed.I32F32FromBits(inc[j].Bits() + a.inc[k])
		acc[j] = fixed.I32F32FromBits(acc[j].Bits() + a.acc[k])
		a.inc[k], a.acc[k] = 0, 0
	}
}

// clipCellsAligned is clipBelowCells for a row r aligned with a (checked
// here, before anything is written): the ranks go to a.inc. It returns
// the row sum and the smallest consensus of the row's columns, or false,
// having written nothing, when r is not aligned with a. The blocks of
// eight cells take the vector kernel where there is one
// (clipCellsBlocks), the cells past them clipCellsAlignedGo.
func clipCellsAligned(save, r []entry, a uint64, ac *alignedClip) (rowSum, least int64, ok bool) {
	n := len(r)
	if n != len(ac.cols) || len(save) < n {
		return 0, 0, false
	}
	m := n &^ 7
	if !sameCols(r[m:], ac.cols[m:]) {
		return 0, 0, false
	}
	if rowSum, least, ok = clipCellsBlocks(save[:m], r[:m], ac.cols[:m], ac.c[:m], a, ac.inc[:m]); !ok {
		return 0, 0, false
	}
	s, l := clipCellsAlignedGo(save[m:n], r[m:], ac.c[m:], a, ac.inc[m:])
	return rowSum + s, min(least, l), true
}

// sameCols reports whether r's cells lie on cols, at their indexes (cols
// as long as r).
func sameCols(r []entry, cols []uint64) bool {
	cols = cols[:len(r)]
	var diff uint64
	for k := range r {
		diff |= uint64(r[k].j) ^ cols[k]
	}
	return diff == 0
}

// clipCellsAlignedGo is clipBelowCells on a row whose cells' columns'
// consensus and ranks are c[k] and inc[k] (save, c and inc as long as r):
// it returns the row sum and the smallest consensus (math.MaxInt64 for no
// cell), from which clipBelowCells's drop is (least − 1) >> 63.
func clipCellsAlignedGo(save, r []entry, c []int64, a uint64, inc []int64) (rowSum, least int64) {
	n := len(r)
	save, c, inc = save[:n], c[:n], inc[:n]
	least = math.MaxInt64
	for k := range r {
		w, th := r[k].v.Bits(), c[k]
		save[k].v = fixed.I32F32FromBits(w)
		least = min(least, th)
		v := min(w, th)
		inc[k] += int64((a * uint64(v)) >> 32)
		r[k].v = fixed.I32F32FromBits(v)
		rowSum += v
	}
	return rowSum, least
}

// zipCellsAligned is zipBelowCells for a row out that clipCellsAligned
// took (so aligned with ac): the column sums go to ac.acc. It returns the
// OR of the columns' XORs with b's and the smallest EMA cell, from which
// zipBelowCells's bad is int64(cols) | (least − 1) >> 63.
func zipCellsAligned(out []entry, b []Entry, al, k uint64, ac *alignedClip) (cols uint64, least int64) {
	n := len(out)
	m := n &^ 7
	cols, least = zipCellsBlocks(out[:m], b[:m], ac.acc[:m], al, k)
	c, l := zipCellsAlignedGo(out[m:], b[m:n], ac.acc[m:n], al, k)
	return cols | c, min(least, l)
}

// zipCellsAlignedGo is zipBelowCells on a row whose cells' column sums
// are acc[k] (b and acc as long as out), returning the OR of the
// columns' XORs and the smallest cell (math.MaxInt64 for no cell).
func zipCellsAlignedGo(out []entry, b []Entry, acc []int64, al, k uint64) (cols uint64, least int64) {
	n := len(out)
	b, acc = b[:n], acc[:n]
	least = math.MaxInt64
	for t := range out {
		e := uint64(b[t].UID) | uint64(b[t].Value)<<16
		p := &out[t]
		m := int64((al*uint64(p.v.Bits()))>>32 + ((e>>16)*k)>>32 + (e+1<<16)>>32)
		p.v = fixed.I32F32FromBits(m)
		acc[t] += m
		cols |= uint64(uint16(e) ^ p.j)
		least = min(least, m)
	}
	return cols, least
}

// clipCellsGo is clipCellsAlignedGo on a row aligned with cols (checked
// first: false, and nothing written, otherwise), the contract of the
// vector kernel (clipCellsBlocks).
func clipCellsGo(save, r []entry, cols []uint64, c []int64, a uint64, inc []int64) (rowSum, least int64, ok bool) {
	if !sameCols(r, cols) {
		return 0, 0, false
	}
	rowSum, least = clipCellsAlignedGo(save, r, c, a, inc)
	return rowSum, least, true
}
