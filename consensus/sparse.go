package consensus

import (
	"math"
	"math/bits"
	"slices"

	"github.com/dtao-go/dtao/fixed"
)

// matrix is a sparse matrix held as rows that are sub-slices of one backing
// buffer, so a workspace can rebuild it every epoch without allocating.
type matrix struct {
	rows [][]entry
	buf  []entry
}

// begin prepares m for nrows rows holding at most capacity entries.
func (m *matrix) begin(nrows, capacity int) {
	if cap(m.rows) < nrows {
		m.rows = make([][]entry, nrows)
	}
	m.rows = m.rows[:nrows]
	if cap(m.buf) < capacity {
		m.buf = make([]entry, 0, capacity)
	}
	m.buf = m.buf[:0]
}

// push appends a cell to the row being built.
func (m *matrix) push(j uint16, v fixed.I32F32) {
	m.buf = append(m.buf, entry{j, v})
}

// end closes row i, which holds the cells pushed since start.
func (m *matrix) end(i, start int) {
	m.rows[i] = m.buf[start:len(m.buf):len(m.buf)]
}

// count is the number of stored cells.
func (m *matrix) count() int {
	t := 0
	for _, r := range m.rows {
		t += len(r)
	}
	return t
}

var (
	zero = fixed.I32F32FromUint64(0)
	one  = fixed.I32F32FromUint64(1)
	half = fixed.I32F32FromBits(1 << 31)
	u16m = fixed.I32F32FromUint64(65535)
)

// sum is Rust's Iterator::sum over I32F32: plain (wrapping in a release
// build) addition.
func sum(x []fixed.I32F32) fixed.I32F32 {
	s := zero
	for _, v := range x {
		s = s.Add(v)
	}
	return s
}

// normalize is inplace_normalize: each element divided by the sum (safe_div),
// unchanged when the sum is 0.
func normalize(x []fixed.I32F32) {
	normalizeUsing(x, sum(x))
}

// normalizeUsing is inplace_normalize_using_sum. A zero element stays 0
// (0 divided by a non-zero sum is 0), so it is not divided. With a positive
// sum s, an element x in [0, 1) has the safe_div quotient
// floor(x_bits·2^32/s_bits), 0 when that reaches 2^63 (fixed.I32F32.SafeDiv's
// 64-bit path), whose division one fixed.Uint64Divisor for s replaces by a
// multiplication (divideBelowOne); other elements take SafeDiv.
//
// divideBelowOne runs the elements up to the first it cannot take, which
// takes SafeDiv here, and it resumes after it: each element is divided
// once, by the same expression as in the one loop with SafeDiv's call in
// it, that normalizeUsingPrev (sparse_internal_test.go) ran, whose call
// left its registers to the zeros' path (about 15 instructions for a zero
// element, most of an epoch's vectors).
func normalizeUsing(x []fixed.I32F32, s fixed.I32F32) {
	if s.IsZero() {
		return
	}
	if s.Sign() < 0 {
		for i, v := range x {
			if !v.IsZero() {
				x[i] = v.SafeDiv(s)
			}
		}
		return
	}
	d := fixed.NewUint64Divisor(uint64(s.Bits()))
	for i := divideBelowOne(x, d); i < len(x); i += 1 + divideBelowOne(x[i+1:], d) {
		x[i] = x[i].SafeDiv(s)
	}
}

// normalizeAt is normalizeUsing(x, s) for an x that is 0 but at the
// indices at, s its plain sum: only those are divided, as normalizeUsing
// leaves a zero element 0 (neither divided nor changed) whatever the sum.
// Each element listed takes normalizeUsing's quotient: SafeDiv for a
// negative s, shareOf (divideBelowOne's quotient, or SafeDiv outside
// [0, 1)) for a positive one.
func normalizeAt[T int | int32](x []fixed.I32F32, at []T, s fixed.I32F32) {
	switch {
	case s.IsZero():
	case s.Sign() < 0:
		for _, i := range at {
			if v := x[i]; !v.IsZero() {
				x[i] = v.SafeDiv(s)
			}
		}
	default:
		// shareOf, written out (it does not inline); for a zero element
		// its quotient d.Div(0) = 0 leaves the element 0.
		d := fixed.NewUint64Divisor(uint64(s.Bits()))
		for _, i := range at {
			if b := uint64(x[i].Bits()); b < 1<<32 {
				q := int64(d.Div(b << 32))
				if q < 0 { // q ≥ 2^63: safe_div's overflow
					q = 0
				}
				x[i] = fixed.I32F32FromBits(q)
			} else {
				x[i] = shareSlow(x[i], s)
			}
		}
	}
}

// divideBelowOne is normalizeUsing's loop for a positive sum, d the sum's
// divisor: it replaces each element of x in (0, 1) by its quotient, up to
// the first element outside [0, 1), whose index it returns (len(x) when
// there is none). A zero element stays 0.
//
//go:noinline
func divideBelowOne(x []fixed.I32F32, d fixed.Uint64Divisor) int {
	for i, v := range x {
		b := uint64(v.Bits())
		if b == 0 {
			continue
		}
		if b>>32 != 0 { // b ≥ 2^32 (tests without a 64-bit constant)
			return i
		}
		q := int64(d.Div(b << 32))
		if q < 0 { // q ≥ 2^63: safe_div's overflow
			q = 0
		}
		x[i] = fixed.I32F32FromBits(q)
	}
	return len(x)
}

// shareOf is normalizeUsing's quotient of one element x by a positive
// sum s, d the divisor of s: the element normalizeUsing leaves in x's
// place.
func shareOf(x, s fixed.I32F32, d fixed.Uint64Divisor) fixed.I32F32 {
	switch b := uint64(x.Bits()); {
	case b == 0:
		return x
	case b < 1<<32:
		q := d.Div(b << 32)
		if q >= 1<<63 {
			q = 0 // safe_div's overflow
		}
		return fixed.I32F32FromBits(int64(q))
	default:
		return shareSlow(x, s)
	}
}

// shareSlow is shareOf for x outside [0, 1), out of line.
func shareSlow(x, s fixed.I32F32) fixed.I32F32 { return x.SafeDiv(s) }

// colNormalize is inplace_col_normalize_sparse with n columns: saturating
// column sums, cells of columns with a non-zero sum divided by it, cells of
// columns at or beyond n left alone. acc is scratch of length n.
func colNormalize(m *matrix, acc []fixed.I32F32) {
	colSums(m, acc)
	n := len(acc)
	for _, r := range m.rows {
		for k := range r {
			if j := int(r[k].j); j < n && !acc[j].IsZero() {
				r[k].v = r[k].v.SafeDiv(acc[j])
			}
		}
	}
}

// clipRank is col_clip_sparse (cells above their column's consensus are cut
// to it, or dropped when the consensus is not positive) fused with the two
// reads of the clipped matrix that follow it: validator trust, the plain
// row sum (row_sum_sparse), and the ranks Σ_i active_i·w̄_ij accumulated
// with saturating adds in row order (matmul_sparse) into inc. dstTidy
// receives which clipped rows are tidy: those of tidy source rows when
// every consensus lies in [0, 1].
func clipRank(dst, src *matrix, srcTidy, dstTidy []bool, c, active, vt, inc []fixed.I32F32) {
	clear(inc)
	dst.begin(len(src.rows), src.count())
	unitC, plain := clipModes(src, srcTidy, c, active)
	buf := dst.buf[:cap(dst.buf)]
	k := 0
	for i, r := range src.rows {
		dstTidy[i] = unitC && srcTidy[i]
		var kept int
		kept, vt[i] = clipRow(buf[k:k+len(r)], r, c, active[i], inc, dstTidy[i], plain)
		dst.buf = buf[:k+kept]
		dst.end(i, k)
		k += kept
	}
}

// clipModes returns clipRank's two modes for the rows of src: unitC,
// every consensus lies in [0, 1] (so the clipped row of a tidy row is
// tidy), and plain, every row takes clipRankTidy's path and the ranks
// cannot saturate.
func clipModes(src *matrix, srcTidy []bool, c, active []fixed.I32F32) (unitC, plain bool) {
	unitC = allUnit(c)
	// When every row takes clipRankTidy, each rank is a sum of at most
	// len(src.rows) ≤ 65535 products in [0, 1], below I32F32's 2^31, and
	// the saturating additions are plain ones.
	plain = unitC && allUnit(active[:len(src.rows)])
	for i := range src.rows {
		plain = plain && srcTidy[i]
	}
	return unitC, plain
}

// clipRow is one row of clipRank: it writes the kept cells of row r,
// clipped, to dst (as long as r), adds the row's ranks (active stake a)
// to inc, and returns the number of kept cells and the row sum. tidy: r
// is tidy and every consensus lies in [0, 1]; plain: see clipModes.
func clipRow(dst, r []entry, c []fixed.I32F32, a fixed.I32F32, inc []fixed.I32F32, tidy, plain bool) (int, fixed.I32F32) {
	switch {
	case len(r) == 0: // no cells: no trust, no rank
		return 0, zero
	case tidy && uint64(a.Bits()) <= 1<<32:
		return clipRankTidy(dst, r, c, uint64(a.Bits()), inc, plain)
	default:
		return clipRankRow(dst, 0, r, c, a, inc)
	}
}

// clipRankTidy is one row of clipRank for a tidy row, consensus in [0, 1]
// and an active stake a in [0, 1]: every clipped cell is min(v, c_j) (no
// sign tests) and every product a·v is the floor of the 64-bit product. A
// dropped cell (consensus 0 under a positive weight) contributes 0 to both
// sums, so they need no branch. It writes the kept cells to dst and returns
// their count and the row sum. plain: the ranks cannot saturate (see
// clipRank), so they take plain additions.
func clipRankTidy(dst, r []entry, c []fixed.I32F32, a uint64, inc []fixed.I32F32, plain bool) (int, fixed.I32F32) {
	var k int
	var rowSum int64
	if plain && a < 1<<32 {
		return clipRankBelow(dst, r, c, a, inc)
	}
	if plain {
		for _, e := range r {
			th := c[e.j].Bits()
			v := min(e.v.Bits(), th)
			dst[k] = entry{e.j, fixed.I32F32FromBits(v)}
			if th != 0 || e.v.IsZero() {
				k++
			}
			rowSum += v
			inc[e.j] = fixed.I32F32FromBits(inc[e.j].Bits() + int64(mulUnit(a, uint64(v))))
		}
		return k, fixed.I32F32FromBits(rowSum)
	}
	for _, e := range r {
		th := c[e.j].Bits()
		v := min(e.v.Bits(), th)
		dst[k] = entry{e.j, fixed.I32F32FromBits(v)}
		if th != 0 || e.v.IsZero() { // dropped: a positive weight over consensus 0
			k++
		}
		rowSum += v
		inc[e.j] = inc[e.j].SaturatingAdd(fixed.I32F32FromBits(int64(mulUnit(a, uint64(v)))))
	}
	return k, fixed.I32F32FromBits(rowSum)
}

// clipRankBelow is clipRankTidy's plain path for an active stake a below
// 1: each product a·v (v ≤ 2^32) is below 2^64, so the plain 64-bit
// product shifted right by 32 is mulUnit's floor. Every cell is written at
// its own index; the dropped ones (a positive weight over consensus 0,
// written as 0) are squeezed out afterwards, in the rare row that has one.
//
// A cell is dropped when its consensus th is 0 and its weight w is not.
// Both lie in [0, 1], so th − 1 is negative exactly when th is 0, and
// w & ((th − 1) >> 63) is w there and 0 elsewhere: the OR of these is
// non-zero exactly when some cell is dropped, as the test th == 0 && w ≠ 0
// of clipRankBelowPrev (kernels_prev_internal_test.go) reported, without
// its branch; the loop runs by index over rows resliced to one length, so
// that it holds one counter.
func clipRankBelow(dst, r []entry, c []fixed.I32F32, a uint64, inc []fixed.I32F32) (int, fixed.I32F32) {
	dst = dst[:len(r)]
	var rowSum, drop int64
	for t := range dst {
		e := r[t]
		w, th := e.v.Bits(), c[e.j].Bits()
		v := min(w, th)
		dst[t] = entry{e.j, fixed.I32F32FromBits(v)}
		drop |= w & ((th - 1) >> 63)
		rowSum += v
		inc[e.j] = fixed.I32F32FromBits(inc[e.j].Bits() + int64((a*uint64(v))>>32))
	}
	k := len(r)
	if drop != 0 {
		k = 0
		for t, e := range r {
			if !c[e.j].IsZero() || e.v.IsZero() {
				dst[k] = dst[t]
				k++
			}
		}
	}
	return k, fixed.I32F32FromBits(rowSum)
}

// clipZipBelow is clipRankBelow followed by emaZipBelow of the clipped
// row with the stored bond row b, for clipRankEMA's common row: plain
// (see clipModes), an active stake a below 1, a rate (raw bits al)
// strictly between 0 and 1, no column masked, and b as long as r (save
// too). It adds the ranks to inc, saves r's values into save's (the j of
// save's cells is left alone) and writes the clipped cells over r's
// values. It returns the row sum and drop, non-zero exactly when a cell's
// column has consensus 0 (so whenever a cell is dropped: a positive
// weight over consensus 0), and then stops there with bad = drop.
// Otherwise it writes the EMA cells over r's values and adds
// them to colSum with plain additions, and bad is 0 exactly when b holds
// r's columns in r's order and no EMA cell is 0. When bad is 0, r (now
// the EMA row), colSum, inc and the row sum are what clipRankBelow,
// sameColumns and emaZipStored leave; otherwise only inc and the row sum
// are, and the caller takes r's cells back out of colSum when drop is 0,
// restores r's values from save and merges the clipped row as before.
//
// Why it gives the same bits: the ranks and the row sum are
// clipRankBelow's expressions on the same cells (a dropped cell, written
// as 0 there, adds 0 to both). With no cell dropped the clipped row is
// (r's column, min(w, th)) at every index, so b holds its columns exactly
// when the OR of the columns' XORs is 0 (sameColumns), and each EMA cell
// is emaZipBelow's expression on it; with no cell of 0, emaZipStored
// squeezes nothing. The column sums: clipRankEMA calls this only while
// every EMA row so far took emaZipStored or emaMergeStored, whose cells,
// like these, are at most al + (2^32 − al) = 2^32 and fall on distinct
// columns of a row, so no column sum exceeds 65535·2^32 < 2^48 and no
// addition saturates: the plain sum is the saturating one, and
// subtracting the cells again restores the sums exactly. drop is
// non-zero for every row clipRankBelow drops a cell of (and for a row
// with a weight of 0 over consensus 0, which it keeps): such a row is
// reported bad, whatever its EMA, so the EMA loop may be skipped, and the
// caller's general path gives every row's bits.
//
// Each test is branch-free, by minima: a consensus of 0 makes the
// smallest consensus 0, and a cell m of 0 the smallest cell (see
// clipBelowCells and zipBelowCells).
//
// It runs as two loops over the row, clipBelowCells (the clipped cells
// in place, the ranks) and zipBelowCells (the clipped cells merged in
// place with b, the column sums): the one loop of clipZipBelowPrev
// (kernels_prev_internal_test.go) held more values than the registers
// and reloaded half of them from the stack at every cell. Each cell of
// the second loop reads only that cell of the first, so the values are
// those of the one loop. The weights saved into save, one store a cell, replace the copy of the EMA
// row over the weight row that clipZipBelowPrev's caller made (the
// clipped and EMA cells went to a scratch row then), so the common row
// is not copied.
func clipZipBelow(save, r []entry, b []Entry, c []fixed.I32F32, a, al uint64, inc, colSum []fixed.I32F32) (rowSum, drop, bad int64) {
	rowSum, drop = clipBelowCells(save, r, c, a, inc)
	if drop != 0 {
		return rowSum, drop, drop
	}
	return rowSum, 0, zipBelowCells(r, b, colSum, al, (1<<32-al)*65537)
}

// clipBelowCells is clipZipBelow's first loop: it saves each value w of r
// into save's cell at its index (save as long as r), writes it clipped to
// its column's consensus, min(w, th), over w, adds the ranks a·v to inc,
// and returns the row sum and (least − 1) >> 63 for the smallest
// consensus least of the row's columns: −1 exactly when a column has
// consensus 0 (every consensus lies in [0, 1]; least stays MaxInt64,
// giving 0, for no cells). The OR of w & ((th − 1) >> 63) that it
// returned before (non-zero exactly when a cell is dropped) took two
// instructions a cell more than the minimum, and a register more, for
// which the loop reloaded the consensus vector from the stack at every
// cell.
//
// It runs from the last cell to the first: counting down to 0 frees the
// register of the count, which the loop counting up reloaded, with the
// consensus vector, from the stack at every cell. The order changes no
// value: each cell is written at its own index, and the ranks, the row
// sum and the minimum are plain (wrapping) additions and a minimum, which
// do not depend on the order of their terms (clipZipBelowPrev in
// kernels_prev_internal_test.go ran them up). w is saved before the
// clipping (stored from the register it was loaded into; the store after
// the clipping reloaded it).
//
//go:noinline
func clipBelowCells(save, r []entry, c []fixed.I32F32, a uint64, inc []fixed.I32F32) (rowSum, drop int64) {
	r = r[:len(save)]
	inc = inc[:len(c)]
	least := int64(math.MaxInt64)
	for t := len(save) - 1; t >= 0; t-- {
		e := &r[t]
		j := e.j // c[j]'s bounds check covers inc[j]
		w, th := e.v.Bits(), c[j].Bits()
		save[t].v = fixed.I32F32FromBits(w)
		least = min(least, th)
		v := min(w, th)
		inc[j] = fixed.I32F32FromBits(inc[j].Bits() + int64((a*uint64(v))>>32))
		e.v = fixed.I32F32FromBits(v)
		rowSum += v
	}
	return rowSum, (least - 1) >> 63
}

// zipBelowCells is clipZipBelow's second loop: it replaces each clipped
// cell v of out by its EMA cell m with the stored bond x = b[t] (b as long
// as out), adds m to colSum, and returns the OR of the columns' XORs with
// b's and of every (m − 1) >> 63. al lies strictly between 0 and 2^32,
// and k is (2^32 − al)·65537, an argument so that the compiler keeps it
// one value (given al·65537 in the loop, it rewrote x·k as a
// multiplication by al and a shift, and spilled).
//
// The stored bond's term is floor(om·u/2^32), om = 2^32 − al and u =
// u16Bits(x) = 65537·x + (x+1)>>16 (see emaZipBelow), which the loop
// computes as (x·k)>>32 + (x+1)>>16 with k = om·65537 (below 2^49) and
// x·k at most (2^32−1)·om < 2^64. Why it gives the same bits: for x below
// 65535, (x+1)>>16 is 0 and om·u is x·k; for x = 65535, u is 2^32 and
// the term om, while x·k = om·2^32 − om with 0 < om < 2^32 gives om − 1,
// and (x+1)>>16 adds the 1. zipBelowCellsPrev
// (kernels_prev_internal_test.go) is the loop it replaced.
//
// The loop reads the bond's uid and value as one 32-bit word e = uid |
// x<<16 (the compiler loaded the two halves apart, and kept x on the
// stack): x is e>>16, uid is e's low 16 bits, and (x+1)>>16, 1 exactly
// for x = 65535, is (e + 2^16)>>32, as e + 2^16 < 2^33 reaches 2^32
// exactly when e's high half is 65535. It runs from the last cell to the
// first (as clipBelowCells, which see): each cell of out is written at its
// own index, the column sums are plain additions (no sum saturates; see
// clipZipBelow) and bad an OR and a minimum, none of which depends on
// the order.
//
// The OR is kept as two accumulators: the columns' XORs, ORed as 16-bit
// values, and the smallest cell least, with (least − 1) >> 63 ORed in at
// the end: −1 exactly when some cell is 0 (cells are non-negative, and
// least stays MaxInt64, giving 0, for no cells), as the OR of every
// (m − 1) >> 63 is. The loop that ORed both terms into bad at every cell
// took three more instructions a cell (the sum m − 1, formed by two, and
// the OR of the two terms).
//
//go:noinline
func zipBelowCells(out []entry, b []Entry, colSum []fixed.I32F32, al, k uint64) (bad int64) {
	b = b[:len(out)]
	var cols uint16
	least := int64(math.MaxInt64)
	for t := len(out) - 1; t >= 0; t-- {
		s := &b[t]
		e := uint64(s.UID) | uint64(s.Value)<<16
		p := &out[t]
		j := p.j
		m := int64((al*uint64(p.v.Bits()))>>32 + ((e>>16)*k)>>32 + (e+1<<16)>>32)
		p.v = fixed.I32F32FromBits(m)
		colSum[j] = fixed.I32F32FromBits(colSum[j].Bits() + m)
		cols |= uint16(e) ^ j
		least = min(least, m)
	}
	return int64(cols) | (least-1)>>63
}

// clipKept writes the cells clipRankBelow keeps of the tidy row r (every
// consensus in [0, 1]) to dst (as long as r), clipped, and returns their
// count: clipZipBelow's row when it reports bad.
func clipKept(dst, r []entry, c []fixed.I32F32) int {
	k := 0
	for _, e := range r {
		th := c[e.j]
		if !th.IsZero() || e.v.IsZero() {
			dst[k] = entry{e.j, fixed.I32F32FromBits(min(e.v.Bits(), th.Bits()))}
			k++
		}
	}
	return k
}

// clipRankRow is one row of clipRank for any row: it writes the kept cells
// to buf from k and returns the new k and the row sum.
func clipRankRow(buf []entry, k int, r []entry, c []fixed.I32F32, a fixed.I32F32, inc []fixed.I32F32) (int, fixed.I32F32) {
	rowSum := zero
	for _, e := range r {
		th := zero
		if int(e.j) < len(c) {
			th = c[e.j]
		}
		v := e.v
		if th.Less(v) {
			if th.Sign() <= 0 {
				continue
			}
			v = th
		}
		buf[k] = entry{e.j, v}
		k++
		rowSum = rowSum.Add(v)
		if !a.IsZero() {
			inc[e.j] = inc[e.j].SaturatingAdd(a.SaturatingMul(v))
		}
	}
	return k, rowSum
}

// allUnit reports whether every element of x lies in [0, 1].
func allUnit(x []fixed.I32F32) bool {
	for _, v := range x {
		if uint64(v.Bits()) > 1<<32 {
			return false
		}
	}
	return true
}

// allUnitAt is allUnit for an x that is 0 (in [0, 1]) but at the indices
// at.
func allUnitAt(x []fixed.I32F32, at []int) bool {
	for _, i := range at {
		if uint64(x[i].Bits()) > 1<<32 {
			return false
		}
	}
	return true
}

// colSums writes the saturating column sums of m's cells below len(acc)
// into acc.
func colSums(m *matrix, acc []fixed.I32F32) {
	clear(acc)
	n := len(acc)
	for _, r := range m.rows {
		for _, e := range r {
			if int(e.j) < n {
				acc[e.j] = acc[e.j].SaturatingAdd(e.v)
			}
		}
	}
}

// colMaxUpscale is inplace_col_max_upscale_sparse with n columns.
func colMaxUpscale(m *matrix, acc []fixed.I32F32) {
	clear(acc)
	n := len(acc)
	for _, r := range m.rows {
		for _, e := range r {
			if int(e.j) < n && acc[e.j].Less(e.v) {
				acc[e.j] = e.v
			}
		}
	}
	for _, r := range m.rows {
		for k := range r {
			if j := int(r[k].j); j < n && !acc[j].IsZero() {
				r[k].v = r[k].v.SafeDiv(acc[j])
			}
		}
	}
}

// interpolate is interpolate_sparse for 0 < ratio < 1: per row, dense rows of
// n columns (a later duplicate cell wins), mat1 + ratio·(mat2 − mat1),
// positive results kept in column order. r1, r2 are scratch of length n.
func interpolate(dst, mat1, mat2 *matrix, ratio fixed.I32F32, r1, r2 []fixed.I32F32) {
	n := len(r1)
	rows := len(mat1.rows)
	capacity := 0
	for i := 0; i < rows; i++ {
		if len(mat1.rows[i])+len(mat2.rows[i]) > 0 {
			capacity += n
		}
	}
	dst.begin(rows, capacity)
	for i := 0; i < rows; i++ {
		buf := dst.buf
		start := len(buf)
		a, b := mat1.rows[i], mat2.rows[i]
		if len(a)+len(b) == 0 {
			dst.buf = buf
			dst.end(i, start)
			continue
		}
		clear(r1)
		clear(r2)
		for _, e := range a {
			if int(e.j) < n {
				r1[e.j] = e.v
			}
		}
		for _, e := range b {
			if int(e.j) < n {
				r2[e.j] = e.v
			}
		}
		for j := 0; j < n; j++ {
			v := r1[j].SaturatingAdd(ratio.SaturatingMul(r2[j].SaturatingSub(r1[j])))
			if v.Sign() > 0 {
				buf = append(buf, entry{uint16(j), v})
			}
		}
		dst.buf = buf
		dst.end(i, start)
	}
}

// emaSparse is mat_ema_sparse with n = number of rows as the column count:
// per row a dense accumulator of alpha·new + (1−alpha)·old (saturating, cells
// at or beyond n dropped), positive cells kept in column order.
func emaSparse(dst, newm, old *matrix, alpha fixed.I32F32, acc []fixed.I32F32) {
	n := len(newm.rows)
	oneMinus := one.SaturatingSub(alpha)
	capacity := newm.count() + old.count()
	dst.begin(n, capacity)
	for i := 0; i < n; i++ {
		buf := dst.buf
		start := len(buf)
		a := newm.rows[i]
		var b []entry
		if i < len(old.rows) {
			b = old.rows[i]
		}
		if len(a)+len(b) == 0 {
			dst.buf = buf
			dst.end(i, start)
			continue
		}
		emaDense(acc[:n], a, b, alpha, oneMinus)
		for j := 0; j < n; j++ {
			if acc[j].Sign() > 0 {
				buf = append(buf, entry{uint16(j), acc[j]})
			}
		}
		dst.buf = buf
		dst.end(i, start)
	}
}

// emaSparseSums is emaSparse followed by colSums of its result into
// colSum (length n, the number of rows): the Yuma 3 bonds without liquid
// alpha (compute_bonds_sparse's mat_ema_sparse, then the column sums that
// inplace_col_normalize_sparse takes). Rows marked tidy in newTidy (nil:
// none) whose old row is marked in oldTidy take emaTidyMerge when alpha
// lies in [0, 1]; the others take the dense accumulator of emaSparse, with
// scratch (length n).
//
// The column sums of the result can be fused into its construction: every
// cell emaSparse keeps is positive, and saturating additions of
// non-negative values give min(max, their exact sum) in any order.
func emaSparseSums(dst, newm, old *matrix, newTidy, oldTidy []bool, alpha fixed.I32F32, scratch, colSum []fixed.I32F32) {
	n := len(newm.rows)
	dst.begin(n, newm.count()+old.count())
	clear(colSum)
	for i := 0; i < n; i++ {
		start := len(dst.buf)
		var b []entry
		if i < len(old.rows) {
			b = old.rows[i]
		}
		aTidy := newTidy != nil && newTidy[i]
		bTidy := i < len(oldTidy) && oldTidy[i]
		dst.buf = emaRow(dst.buf, newm.rows[i], b, aTidy, bTidy, alpha, scratch, colSum)
		dst.end(i, start)
	}
}

// emaRow is one row of emaSparseSums with n = len(scratch) columns: the
// new row a and the old row b, which of them are tidy, appended to buf
// (which has room for len(a)+len(b) cells) and added to colSum.
func emaRow(buf, a, b []entry, aTidy, bTidy bool, alpha fixed.I32F32, scratch, colSum []fixed.I32F32) []entry {
	n := len(scratch)
	switch {
	case len(a)+len(b) == 0:
		return buf
	case uint64(alpha.Bits()) <= 1<<32 && aTidy && bTidy:
		return emaTidyMerge(buf, a, b, uint64(alpha.Bits()), colSum)
	}
	emaDense(scratch, a, b, alpha, one.SaturatingSub(alpha))
	for j := 0; j < n; j++ {
		if v := scratch[j]; v.Sign() > 0 {
			buf = append(buf, entry{uint16(j), v})
			colSum[j] = colSum[j].SaturatingAdd(v)
		}
	}
	return buf
}

// emaDense sets acc (n = len(acc) columns) to one row of mat_ema_sparse's
// dense accumulator: alpha·v for each cell of the new row a plus
// oneMinus·v for each cell of the old row b, saturating, in the rows'
// order, cells at or beyond n dropped.
func emaDense(acc []fixed.I32F32, a, b []entry, alpha, oneMinus fixed.I32F32) {
	n := len(acc)
	clear(acc)
	for _, e := range a {
		if int(e.j) < n {
			acc[e.j] = acc[e.j].SaturatingAdd(alpha.SaturatingMul(e.v))
		}
	}
	for _, e := range b {
		if int(e.j) < n {
			acc[e.j] = acc[e.j].SaturatingAdd(oneMinus.SaturatingMul(e.v))
		}
	}
}

// emaTidyMerge is one row of mat_ema_sparse for a tidy new row a and a tidy
// old row b (strictly ascending columns below n, cells in [0, 1]) and alpha
// in [0, 1] (raw bits al): the dense accumulator holds at most one term
// from each row per column, each product alpha·v or (1−alpha)·v is the
// floored 64-bit product of raw bits in [0, 2^32] (mulUnit) and their sum is
// at most 1, so no step saturates and the cell is their plain sum. Merging
// the two ascending rows visits the accumulator's non-zero columns in
// order; a cell is kept when positive, and added to colSum.
//
// The common row, whose bonds sit on exactly the columns it weights, runs
// through a first loop that pairs the cells by position while their
// columns agree; the general merge takes over where they first differ.
func emaTidyMerge(buf, a, b []entry, al uint64, colSum []fixed.I32F32) []entry {
	om := 1<<32 - al
	p, q := 0, 0
	if len(a) == len(b) && len(a) <= cap(buf)-len(buf) {
		// The paired cells are written by index, each kept without a
		// branch when positive (a cell of 0 adds 0 to its column's sum).
		base := len(buf)
		out := buf[base : base+len(a)]
		k := 0
		for p < len(a) && a[p].j == b[p].j {
			j := a[p].j
			v := mulUnit(al, uint64(a[p].v.Bits())) + mulUnit(om, uint64(b[p].v.Bits()))
			x := fixed.I32F32FromBits(int64(v))
			out[k] = entry{j, x}
			k += int(b2i(v > 0))
			colSum[j] = colSum[j].SaturatingAdd(x)
			p++
		}
		buf = buf[:base+k]
		q = p
	}
	for p < len(a) || q < len(b) {
		var j uint16
		var v uint64
		switch {
		case q == len(b) || p < len(a) && a[p].j < b[q].j:
			j, v = a[p].j, mulUnit(al, uint64(a[p].v.Bits()))
			p++
		case p == len(a) || b[q].j < a[p].j:
			j, v = b[q].j, mulUnit(om, uint64(b[q].v.Bits()))
			q++
		default:
			j, v = a[p].j, mulUnit(al, uint64(a[p].v.Bits()))+mulUnit(om, uint64(b[q].v.Bits()))
			p++
			q++
		}
		if v > 0 {
			x := fixed.I32F32FromBits(int64(v))
			buf = append(buf, entry{j, x})
			colSum[j] = colSum[j].SaturatingAdd(x)
		}
	}
	return buf
}

// storedClean reports whether a stored bond row's columns strictly ascend
// and lie below n: then the cells appendBonds keeps of it form a tidy
// Yuma 3 row (ascending, each x/65535 in [0, 1]), and no cell lies
// beyond n.
func storedClean(row []Entry, n int) bool {
	prev := -1
	for _, e := range row {
		j := int(e.UID)
		if j <= prev || j >= n {
			return false
		}
		prev = j
	}
	return true
}

// emaMergeStored is emaTidyMerge of the tidy new row a with the stored
// Yuma 3 bond row b (storedClean) as appendBonds reads it, without
// building that row: a cell of b is skipped where lastTempo ≤ its
// column's registration block reg[j], and read as
// fixed.I32F32FromU16Proportion of its value. buf has room for
// len(a)+len(b) cells.
//
// Why it gives the same bits: appendBonds keeps exactly the cells of b
// that pass the mask, in b's order and with those values, so the kept row
// is ascending and its cells lie in [0, 1]: the row emaTidyMerge would
// merge with a. The walk below is emaTidyMerge's general merge over that
// row, the masked cells skipped where it would meet them, and it appends
// the same cells and adds the same values to colSum in the same order
// (a cell of 0, written but not kept, adds 0). Its paired loop, like
// emaTidyMerge's, is the merge's step for equal columns.
func emaMergeStored(buf, a []entry, b []Entry, reg []uint64, lastTempo, al uint64, colSum []fixed.I32F32) []entry {
	om := 1<<32 - al
	base := len(buf)
	buf = slices.Grow(buf, len(a)+len(b))
	out := buf[base : base+len(a)+len(b)]
	k, p, q := 0, 0, 0
	for {
		// The common cells: a weight and an unmasked bond in one column,
		// kept without a branch when positive (a cell of 0 adds 0 to its
		// column's sum).
		for p < len(a) && q < len(b) && a[p].j == uint16(b[q].UID) && lastTempo > reg[b[q].UID] {
			j := a[p].j
			v := mulUnit(al, uint64(a[p].v.Bits())) + mulUnit(om, u16Bits(b[q].Value))
			x := fixed.I32F32FromBits(int64(v))
			out[k] = entry{j, x}
			k += int(b2i(v > 0))
			colSum[j] = colSum[j].SaturatingAdd(x)
			p++
			q++
		}
		if q < len(b) && lastTempo <= reg[b[q].UID] {
			q++ // masked: a registration since the last tempo
			continue
		}
		var j uint16
		var v uint64
		switch {
		case p == len(a) && q == len(b):
			return buf[:base+k]
		case q == len(b) || p < len(a) && a[p].j < uint16(b[q].UID):
			j, v = a[p].j, mulUnit(al, uint64(a[p].v.Bits()))
			p++
		default: // b's column comes first (equal columns took the loop above)
			j, v = uint16(b[q].UID), mulUnit(om, u16Bits(b[q].Value))
			q++
		}
		x := fixed.I32F32FromBits(int64(v))
		out[k] = entry{j, x}
		k += int(b2i(v > 0))
		colSum[j] = colSum[j].SaturatingAdd(x)
	}
}

// sameColumns reports whether the new row a and the stored bond row b
// hold the same columns in the same order (the ledger's common row: a
// validator's bonds sit on the miners it weights). It reads every pair
// without a branch: the OR of the XORs is 0 exactly when every pair is
// equal, which sameColumnsPrev (kernels_prev_internal_test.go) tested
// pair by pair, returning at the first difference. It is kept out of
// line: inlined into emaStored, its loop kept its counter and the OR on
// the stack.
//
//go:noinline
func sameColumns(a []entry, b []Entry) bool {
	if len(a) != len(b) {
		return false
	}
	b = b[:len(a)]
	var diff uint16 // the OR of every column's XOR with its partner
	for t := range a {
		diff |= a[t].j ^ uint16(b[t].UID)
	}
	return diff == 0
}

// emaZipStored is emaMergeStored for a tidy new row a and a stored row b
// on the same columns (sameColumns) when no column is masked: every step
// of the merge pairs a[t] with b[t]. Each cell is written at its own
// index, and the cells of 0 (which the merge does not keep, and which add
// 0 to colSum) are squeezed out afterwards, in the rare row that has one.
//
// For al strictly between 0 and 2^32 (a rate strictly between 0 and 1)
// both products of a cell, al·w with w ≤ 2^32 and (2^32−al)·b with b ≤
// 2^32, are below 2^64, so the plain 64-bit product shifted right by 32
// is mulUnit's floor.
func emaZipStored(buf, a []entry, b []Entry, al uint64, colSum []fixed.I32F32) []entry {
	om := 1<<32 - al
	base := len(buf)
	buf = slices.Grow(buf, len(a))
	out := buf[base : base+len(a)]
	out = out[:len(a)]
	b = b[:len(a)]
	var zeros uint8
	if al > 0 && om > 0 {
		zeros = b2i(emaZipBelow(out, a, b, al, om, colSum) == 0)
	} else {
		for t, e := range a {
			v := mulUnit(al, uint64(e.v.Bits())) + mulUnit(om, u16Bits(b[t].Value))
			x := fixed.I32F32FromBits(int64(v))
			out[t] = entry{e.j, x}
			zeros |= b2i(v == 0)
			colSum[e.j] = colSum[e.j].SaturatingAdd(x)
		}
	}
	k := len(out)
	if zeros != 0 {
		k = 0
		for _, e := range out {
			if !e.v.IsZero() {
				out[k] = e
				k++
			}
		}
	}
	return buf[:base+k]
}

// emaZipBelow is emaZipStored's loop for a rate strictly between 0 and 1
// (om = 2^32 − al): it writes the cells to out (as long as a and b) and
// adds them to colSum, and returns the smallest cell (0 when a cell is 0,
// and 2^64−1 for no cells). It is kept out of line with no more live values
// than the registers hold; inlined, the loop spilled its counters to the
// stack.
//
// Why it gives the bits of the loop it replaced (emaZipStoredPrev in
// kernels_prev_internal_test.go): the cells are the same expressions; a
// cell v is at most 2^33 (each product shifted right by 32 is at most
// 2^32), so non-negative, and a saturating addition of a non-negative
// value c + v overflows only upwards, where the wrapped sum is below c
// and I32F32's saturation gives its maximum, as the comparison here does;
// v == 0 for some cell exactly when the smallest cell is 0.
//
//go:noinline
func emaZipBelow(out, a []entry, b []Entry, al, om uint64, colSum []fixed.I32F32) (least uint64) {
	a = a[:len(out)]
	b = b[:len(out)]
	least = ^uint64(0)
	for t := range out {
		e, x := a[t], uint64(b[t].Value)
		// x·65537 + (x+1)>>16 is u16Bits(x): the second term is 1
		// exactly for x = 65535 (see fixed.I32F32FromU16Proportion).
		v := (al*uint64(e.v.Bits()))>>32 + (om*(x*65537+(x+1)>>16))>>32
		out[t] = entry{e.j, fixed.I32F32FromBits(int64(v))}
		least = min(least, v)
		c := colSum[e.j].Bits()
		sum := c + int64(v)
		if sum < c {
			sum = math.MaxInt64
		}
		colSum[e.j] = fixed.I32F32FromBits(sum)
	}
	return least
}

// u16Bits is the raw bits of fixed.I32F32FromU16Proportion(x).
func u16Bits(x uint16) uint64 {
	return uint64(fixed.I32F32FromU16Proportion(x).Bits())
}

// mulUnit is the I32F32 product floor(x·y/2^32) of raw bits in [0, 2^32]:
// fixed.I32F32.Mul gives the same value there, but without Mul's sign
// corrections it measured about a third faster (BenchmarkMulUnit in
// sparse_internal_test.go), and the dividend and liquid-alpha kernels
// call it once a cell. The result is also exact for x in [0, 2^32] and any
// u64 y (it is then at most y): writeOutput's rao amounts.
func mulUnit(x, y uint64) uint64 {
	hi, lo := bits.Mul64(x, y)
	return hi<<32 | lo>>32
}
