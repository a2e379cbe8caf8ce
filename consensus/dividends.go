package consensus

import (
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// sizeBonds gives out.Bonds one row per row of ema, as long as ema's row
// for a uid holding a new permit and empty otherwise, all in one backing
// buffer reused across epochs; storeBonds or the dividend kernels fill them.
//
// It walks the rows once: cells is at least the number of cells in ema's
// rows (len(ema.buf) when every row is a distinct part of
// ema.buf[:len(ema.buf)], as matrix.end leaves them; Workspace.emaCells
// after clipRankEMA), so the permitted rows hold at most cells cells, and
// the buffer is sized to that bound up front instead of to their count,
// which took a pass of its own.
func sizeBonds(out *Output, ema *matrix, permit []bool, cells int) {
	n := len(ema.rows)
	if nb := cells; cap(out.bondBuf) < nb {
		out.bondBuf = make([]Entry, nb)
	}
	buf := out.bondBuf[:cap(out.bondBuf)]
	if cap(out.Bonds) < n || out.Bonds == nil {
		out.Bonds = make([][]Entry, n)
	}
	out.Bonds = out.Bonds[:n]
	permit = permit[:n]
	k := 0
	bonds := out.Bonds
	for i, r := range ema.rows {
		m := 0
		if permit[i] {
			m = len(r)
		}
		// An empty row (most uids) that is already an empty non-nil
		// slice, as every row this has written is, stays as it is: the
		// same row (no cell), without the store of a slice.
		if m != 0 || bonds[i] == nil || cap(bonds[i]) != 0 {
			bonds[i] = buf[k : k+m : k+m]
		}
		k += m
	}
	out.bondBuf = buf[:k]
}

// storeBonds writes the u16 quantisation of bond row r into dst when dst
// has room for it (the uid holds a new permit), and nothing otherwise.
func storeBonds(dst []Entry, r []entry) {
	if len(dst) == 0 {
		return
	}
	dst = dst[:len(r)]
	for k, e := range r {
		dst[k] = Entry{units.UID(e.j), e.v.U16Proportion()}
	}
}

// dividendRow is Σ_j (b_ij / colSum_j)·inc_j over one row of Yuma 3 bonds
// (mat_vec_mul_sparse on the column-normalised bonds, then row_sum_sparse:
// plain additions in row order), storing the row's u16 bonds into dst as
// storeBonds does.
func dividendRow(dst []Entry, r []entry, colSum, inc []fixed.I32F32) fixed.I32F32 {
	storeBonds(dst, r)
	n := len(colSum)
	t := zero
	for _, e := range r {
		if j := int(e.j); j < n {
			v := e.v
			if !colSum[j].IsZero() {
				v = v.SafeDiv(colSum[j])
			}
			if vb, ib := uint64(v.Bits()), uint64(inc[j].Bits()); vb <= 1<<32 && ib <= 1<<32 {
				t = t.Add(fixed.I32F32FromBits(int64(mulUnit(vb, ib)))) // factors in [0, 1]
			} else {
				t = t.Add(v.SaturatingMul(inc[j]))
			}
		}
	}
	return t
}

// dividendRowUnit is dividendRow when every incentive lies in [0, 1]. Both
// Yuma 3 bond builders keep only positive cells in columns below n and
// colSum holds their saturating column sums, so every cell satisfies
// 0 < b ≤ colSum_j: the quotient lies in (0, 1] and, for b < 1, is the
// 64-bit division (b·2^32)/colSum_j (fixed.I32F32.SafeDiv's first fast
// path); its product with inc_j is the floor of the 64-bit product (see
// mulUnit), and b's u16 is (b·65535) >> 32 (fixed.I32F32.U16Proportion).
// A cell of 1 or more takes the general forms.
//
// div holds fixed.NewUint64Divisor(colSum_j) for every column with cells,
// so that the quotient's 64-bit division is a multiplication
// (fixed.Uint64Divisor.Div is floor(x/d) exactly, for every x).
func dividendRowUnit(dst []Entry, r []entry, colSum, inc []fixed.I32F32, div []fixed.Uint64Divisor) fixed.I32F32 {
	store := len(dst) > 0
	if store {
		dst = dst[:len(r)]
	}
	var t int64
	for k, e := range r {
		b := uint64(e.v.Bits())
		var q uint64
		var u uint16
		if b < 1<<32 {
			q, u = div[e.j].Div(b<<32), uint16((b*65535)>>32)
		} else {
			q, u = uint64(e.v.SafeDiv(colSum[e.j]).Bits()), e.v.U16Proportion()
		}
		t += int64(mulUnit(q, uint64(inc[e.j].Bits())))
		if store {
			dst[k] = Entry{units.UID(e.j), u}
		}
	}
	return fixed.I32F32FromBits(t)
}

// divTerm is one column's operands of the Yuma 3 dividend kernels for
// incentives below 1 (dividendRowBelow): the divisor of the column's bond
// sum (fixed.NewUint64Divisor of its raw bits; the zero divisor for a sum
// of 0, which no cell meets, as every cell is at most its column's sum)
// and the raw bits of its incentive, side by side, so that a cell's
// column reaches both with one bounds check and one base.
type divTerm struct {
	div fixed.Uint64Divisor
	inc uint64
}

// divTerms sets terms (as long as colSum, inc at least as long) to each
// column's divTerm, but for a column whose sum is 0, whose term it leaves
// as it was: no cell meets such a column (every cell is positive and at
// most its column's sum, see divTerm), and most columns (the uids no
// validator weights) have none (divTermsPrev in
// dividends_rows_internal_test.go wrote every column's).
func divTerms(terms []divTerm, colSum, inc []fixed.I32F32) {
	inc = inc[:len(colSum)]
	terms = terms[:len(colSum)]
	for j, s := range colSum {
		if !s.IsZero() {
			terms[j] = divTerm{fixed.NewUint64Divisor(uint64(s.Bits())), uint64(inc[j].Bits())}
		}
	}
}

// dividendRowBelow is dividendRowUnit when every incentive lies in
// [0, 1): each quotient q is at most 2^32 (see dividendRowUnit) and each
// incentive below 2^32, so q·inc_j < 2^64 and the plain 64-bit product
// shifted right by 32 is mulUnit's floor. The cells below 1 (all of them
// but in a rare row) take dividendCellsBelow or dividendSumBelow, out of
// line, up to the first cell of 1 or more (dividendCellsBelow: the whole
// row, or none of it); the rest of the row, from that cell, takes
// dividendRestBelow. terms holds each column's divTerm
// (divTerms): the divisor dividendRowUnit takes from div and the
// incentive it takes from inc, as bits.
//
// Why it gives the bits of the function it replaced (dividendRowBelowPrev
// in kernels_prev_internal_test.go): each cell's term and stored bond
// depend on that cell alone, and the terms add as plain int64 sums, so
// the row may be split at any cell; the fast loops are the replaced
// loops' branch for a cell below 1, reading the same divisor and
// incentive from the column's divTerm. The quotient is
// fixed.Uint64Divisor.DivShl32(b), Div(b·2^32) with 64-bit products only,
// which is exact for b ≤ colSum_j and b < 2^32: every cell below 1, as
// every cell is at most its column's sum (see dividendRowUnit).
func dividendRowBelow(dst []Entry, r []entry, colSum []fixed.I32F32, terms []divTerm) fixed.I32F32 {
	var t int64
	var k int
	if len(dst) == 0 {
		t, k = dividendSumBelow(r, terms)
	} else {
		t, k = dividendCellsBelow(dst[:len(r)], r, terms)
	}
	if k < len(r) {
		t += dividendRestBelow(dst, r, k, colSum, terms)
	}
	return fixed.I32F32FromBits(t)
}

// dividendSumBelow is dividendRowBelow's loop without storing bonds, over
// the cells of r up to the first of 1 or more (k is its index, len(r)
// for none): it returns their terms' sum and k.
//
//go:noinline
func dividendSumBelow(r []entry, terms []divTerm) (t int64, k int) {
	for k, e := range r {
		b := uint64(e.v.Bits())
		if b >= 1<<32 {
			return t, k
		}
		c := &terms[e.j]
		t += int64((c.div.DivShl32(b) * c.inc) >> 32)
	}
	return t, len(r)
}

// dividendCellsBelow is dividendSumBelow storing each cell's bond into
// dst (as long as r), for a row whose cells all lie below 1: it returns
// their terms' sum and len(r), and (0, 0) for a row with a cell of 1 or
// more, which dividendRowBelow then takes from its first cell by
// dividendRestBelow (its stores and terms for the row's cells replace
// those written here).
//
// Why it gives the bits of the loop it replaced (dividendCellsBelowPrev
// in dividends_prev_internal_test.go), which stopped at the row's first
// cell of 1 or more: a cell lies below 1 exactly when its raw bits, read
// unsigned, have no bit at or above 32, so the row's cells all do exactly
// when their OR has none. Such a row gets the same stores and sum; on
// another row the stores and terms of the cells up to the first cell of 1
// or more are dividendRestBelow's expressions for a cell below 1, so
// taking the row from its first cell there gives the same bonds and sum
// (the terms are plain int64 sums). The OR costs one instruction a cell
// where the test cost three and a branch, and the bond's uid and u16 go
// as one 32-bit word w, which the compiler stores in one instruction (it
// stored the two halves apart, each address formed by instructions of its
// own). On a row with a cell of 1 or more, DivShl32 meets that cell
// outside its bounds, and its stores and sum are not meaningful: they are
// all dropped.
//
//go:noinline
func dividendCellsBelow(dst []Entry, r []entry, terms []divTerm) (t int64, k int) {
	r = r[:len(dst)]
	var or uint64
	for k := range dst {
		e := &r[k]
		b := uint64(e.v.Bits())
		or |= b
		j := e.j
		w := uint32(j) | uint32((b*65535)>>32)<<16
		dst[k] = Entry{units.UID(w), uint16(w >> 16)}
		c := &terms[j]
		t += int64((c.div.DivShl32(b) * c.inc) >> 32)
	}
	if or>>32 != 0 {
		return 0, 0
	}
	return t, len(r)
}

// dividendRestBelow is dividendRowBelow's general loop over the cells of
// r from k: it returns their terms' sum, storing their bonds into dst
// unless dst is empty.
func dividendRestBelow(dst []Entry, r []entry, k int, colSum []fixed.I32F32, terms []divTerm) int64 {
	var t int64
	for ; k < len(r); k++ {
		e := r[k]
		c := &terms[e.j]
		b := uint64(e.v.Bits())
		var q uint64
		var u uint16
		if b < 1<<32 {
			q, u = c.div.DivShl32(b), uint16((b*65535)>>32)
		} else {
			q, u = uint64(e.v.SafeDiv(colSum[e.j]).Bits()), e.v.U16Proportion()
		}
		t += int64((q * c.inc) >> 32)
		if len(dst) > 0 {
			dst[k] = Entry{units.UID(e.j), u}
		}
	}
	return t
}

// dividendsYuma3 is dividendsAndBonds for Yuma 3: the dividend of each
// uid of ws.live from its EMA row, the column sums in ws.acc and the
// incentive (dividendRowBelow, dividendRowUnit or dividendRow, by the
// incentives' range), times its active stake, normalised, into ws.div,
// and each permitted uid's u16 bonds stored into out.Bonds as the
// kernel reads its row.
//
// An empty EMA row has a row sum of 0, times any stake: written for all
// uids here, and the rows visited below are those of ws.live
// (countCells). Every other uid has no weight and no bond cell, and so an
// empty row in every Yuma 3 EMA: the row of the weights for bonds is then
// empty (the weights', the clipped weights' or, where interpolate meets
// two empty rows, theirs), and each builder leaves an empty row where
// both rows are empty (emaStoredRow, emaRow), or where the weight row is
// (emaAlpha), and clipRankEMA clears the rows it does not visit.
//
// The bond rows are sized in the same visit (bondRowsBegin, then each
// live row's slice of the buffer), where sizeBonds took a pass over
// every uid's row of its own: the uids not listed have empty EMA rows,
// which sizeBonds gives empty rows and no room, so the listed rows, in
// ascending order, take the same parts of the buffer.
// dividendsYuma3Prev (dividends_rows_internal_test.go) is the
// version with sizeBonds. The product with the active stake takes
// mulUnit's 64-bit form where both factors lie in [0, 1) and [0, 1]:
// CheckedMul's floor of the product, which cannot overflow there.
func (ws *Workspace) dividendsYuma3(n int, out *Output) {
	inc, div, acc, active := ws.inc, ws.div[:n], ws.acc, ws.active[:n]
	rows, permit := ws.ema.rows[:n], ws.permitNew[:n]
	buf, bonds := bondRowsBegin(out, n, ws.emaCells)
	// Whether every incentive lies in [0, 1] (allUnit) and in [0, 1),
	// in one pass: every raw bit pattern, read unsigned, is at most
	// (below) 2^32 exactly when the largest is.
	var top uint64
	for _, x := range inc {
		top = max(top, uint64(x.Bits()))
	}
	unitInc, belowInc := top <= 1<<32, top < 1<<32
	aligned := false
	if belowInc {
		ws.terms = grow(ws.terms, n)
		divTerms(ws.terms, acc[:n], inc)
		aligned = alignedAVX512 && ws.aligned.alignTerms(rows, ws.live, ws.terms)
	} else if unitInc {
		ws.divisors = grow(ws.divisors, n)
		for j, s := range acc {
			if !s.IsZero() {
				ws.divisors[j] = fixed.NewUint64Divisor(uint64(s.Bits()))
			}
		}
	}
	clear(div)
	s := zero // the plain sum of div
	k := 0    // the bond buffer's next free cell
	for _, i32 := range ws.live {
		i := int(i32)
		r := rows[i]
		m := 0
		if permit[i] {
			m = len(r)
		}
		dst := buf[k : k+m : k+m]
		if m != 0 { // an empty row is empty already (bondRowsBegin)
			bonds[i] = dst
		}
		k += m
		if len(r) == 0 {
			continue // as above
		}
		var t fixed.I32F32
		switch {
		case belowInc:
			ok := false
			if aligned {
				t, ok = dividendRowAligned(dst, r, acc, ws.terms, &ws.aligned)
			}
			if !ok {
				t = dividendRowBelow(dst, r, acc, ws.terms)
			}
		case unitInc:
			t = dividendRowUnit(dst, r, acc, inc, ws.divisors)
		default:
			t = dividendRow(dst, r, acc, inc)
		}
		var d fixed.I32F32
		if tb, ab := uint64(t.Bits()), uint64(active[i].Bits()); tb < 1<<32 && ab <= 1<<32 {
			d = fixed.I32F32FromBits(int64((tb * ab) >> 32))
		} else if p, ok := t.CheckedMul(active[i]); ok {
			d = p
		}
		div[i] = d
		s = s.Add(d)
	}
	out.bondBuf = buf[:k]
	// div is 0 but at ws.live: normalize(div), its plain sum taken
	// above (the zeros add nothing; wrapping additions in any order).
	normalizeAt(div, ws.live, s)
	ws.divLive = true
}

// bondRowsBegin is sizeBonds for n rows of which only those visited
// afterwards, in ascending order, may be non-empty (dividendsYuma3): it
// sizes out.bondBuf to cells (at least the cells of those rows) and
// out.Bonds to n rows, gives every row an empty row where sizeBonds would
// give an empty one (one that is nil, or has room), and returns the
// buffer, at its capacity, and the rows.
func bondRowsBegin(out *Output, n, cells int) ([]Entry, [][]Entry) {
	if cap(out.bondBuf) < cells {
		out.bondBuf = make([]Entry, cells)
	}
	buf := out.bondBuf[:cap(out.bondBuf)]
	if cap(out.Bonds) < n || out.Bonds == nil {
		out.Bonds = make([][]Entry, n)
	}
	bonds := out.Bonds[:n]
	out.Bonds = bonds
	empty := buf[:0:0]
	for i, r := range bonds {
		if r == nil || cap(r) != 0 {
			bonds[i] = empty
		}
	}
	return buf, bonds
}
