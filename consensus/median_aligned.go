package consensus

import (
	"slices"

	"github.com/dtao-go/dtao/fixed"
)

// The aligned medians. When every row that the medians' keys come from
// lies on the columns of a reference row (aligned.go), in the same order,
// the keys need not be bucketed column by column (bucketRow): each row's
// keys are written in a row of a matrix, a column's at its index in the
// reference, and each group of eight columns has its weighted medians
// taken at once, the 64 rows of the group sorted lane by lane by a
// sorting network and scanned for the first cumulative stake above the
// minority (median_sortnet_amd64.s). A row that is not aligned ends them:
// the rows written so far are bucketed, in their order, and the epoch goes
// on as if they had been all along.

// medianAlignedMax is the most rows with stake the aligned medians take:
// the sorting network's rows (a subnet's validators are 64 by default).
const medianAlignedMax = 64

// alignedPad is the key of a row of the matrix beyond the rows with
// stake: the largest score with no stake. It sorts after every key but
// those of score 2^32 − 1 with stake, adds nothing to a cumulative stake,
// and so changes no median (see medianAligned).
const alignedPad = uint64(1<<32-1) << 32

// medianAligned is medianScratch's state of the aligned medians.
type medianAligned struct {
	on     bool
	cols   []uint64 // the reference row's columns
	stride int      // len(cols) rounded up to a multiple of eight
	// keys is medianAlignedMax rows of stride keys: row k is the keys
	// score<<32 | stake of the k-th row with stake (medianScratch.stake),
	// its score 0 in a column where it has no cell, and alignedPad beyond
	// the rows with stake and the reference's columns. The rows the
	// medians' rows write are marked in keyed; alignedColumns fills the
	// others.
	keys  []uint64
	keyed uint64
	// pending are the rows written so far, with their stakes, in order:
	// what bucketRow buckets if a later row is not aligned.
	pending []pendingRow
	scratch []uint64 // the sorting network's rows: 64 rows of eight keys
	out     []int64  // the medians, at the columns' indexes (stride)
}

// pendingRow is a row the aligned medians took, with its stake.
type pendingRow struct {
	r  []entry
	st uint64
}

// alignMedians starts the aligned medians after packBegin, on the
// columns of ref (a row of the epoch's weights, as stored), when the
// vector kernel runs, ref holds at least alignedMin cells, its columns
// strictly ascend and lie below the n columns packBegin sized (a stored
// row may hold others, which the epoch drops: no row of the epoch could
// then be aligned with it, and alignedColumns would write past the
// consensus), and at most medianAlignedMax rows have stake; otherwise
// the keys are bucketed as before.
func (s *medianScratch) alignMedians(ref []Entry) {
	a := &s.al
	a.on = false
	v := len(s.stake)
	if !alignedAVX512 || !s.packing || len(ref) < alignedMin || v > medianAlignedMax {
		return
	}
	prev, n := -1, len(s.next)
	for _, e := range ref {
		if int(e.UID) <= prev || int(e.UID) >= n {
			return
		}
		prev = int(e.UID)
	}
	nc := len(ref)
	a.stride = (nc + 7) &^ 7
	a.cols = growU64(a.cols, nc)
	for k, e := range ref {
		a.cols[k] = uint64(e.UID)
	}
	a.keys = growU64(a.keys, medianAlignedMax*a.stride)
	a.keyed = 0
	a.pending = a.pending[:0]
	a.on = true
}

// fillKeys writes the rows of the aligned medians' matrix that no row
// wrote (keyed): score 0 with the row's stake for the rows with stake
// (packBegin: below 2^32), alignedPad for the others.
func (s *medianScratch) fillKeys() {
	a := &s.al
	for k := range medianAlignedMax {
		if a.keyed>>k&1 != 0 {
			continue
		}
		fill := alignedPad
		if k < len(s.stake) {
			fill = uint64(s.stake[k].Bits())
		}
		row := a.keys[k*a.stride : (k+1)*a.stride]
		for c := range row {
			row[c] = fill
		}
	}
}

// keyedRow marks row k of the aligned medians' matrix written, fills
// its columns past the reference's with alignedPad and records the row
// and its stake for endAligned.
func (a *medianAligned) keyedRow(r []entry, st uint64, k int) {
	row := a.keys[k*a.stride : (k+1)*a.stride]
	for c := len(a.cols); c < len(row); c++ {
		row[c] = alignedPad
	}
	a.keyed |= 1 << k
	a.pending = append(a.pending, pendingRow{r, st})
}

// keyRow takes the keys of row r (tidy, its cells' scores written),
// the k-th row with stake (stake st): into the aligned medians' matrix
// when they are on and r is aligned with their reference, else into the
// columns' buckets (bucketRow), ending the aligned medians first if they
// are on. It returns the OR of the row's scores, as bucketRow does.
func (s *medianScratch) keyRow(r []entry, st uint64, k int) (or uint64) {
	a := &s.al
	if !a.on || len(r) == 0 {
		return bucketRow(s.keys, s.next, r, st)
	}
	if len(r) != len(a.cols) || k >= medianAlignedMax || !sameCols(r, a.cols) {
		s.endAligned()
		return bucketRow(s.keys, s.next, r, st)
	}
	row := a.keys[k*a.stride:][:len(r)]
	for t, e := range r {
		sc := uint64(e.v.Bits())
		or |= sc
		row[t] = sc<<32 | st
	}
	a.keyedRow(r, st, k)
	return or
}

// keyCellsAligned is keyCells for a row aligned with the aligned
// medians' reference (checked before anything is written; false
// otherwise): the cells normalised by d into out and their keys into the
// matrix's row k, the blocks of eight cells by keyCellsBlocks (the vector
// kernel where there is one), the cells past them here. The caller has
// checked that the aligned medians are on, row is as long as the
// reference and k is below medianAlignedMax.
func (s *medianScratch) keyCellsAligned(out []entry, row []Entry, d *fixed.U16Divisor, st uint64, k int) (or uint64, ok bool) {
	a := &s.al
	n := len(row)
	m := n &^ 7
	cols := a.cols[:n]
	for t := m; t < n; t++ {
		if uint64(row[t].UID) != cols[t] {
			return 0, false
		}
	}
	keys := a.keys[k*a.stride:][:n]
	if or, ok = keyCellsBlocks(out[:m], row[:m], cols[:m], d, st, keys[:m]); !ok {
		return 0, false
	}
	out = out[:n]
	for t := m; t < n; t++ {
		e := row[t]
		sc := d.Quo(e.Value)
		out[t] = entry{uint16(e.UID), fixed.I32F32FromBits(int64(sc))}
		keys[t] = sc<<32 | st
		or |= sc
	}
	a.keyedRow(out, st, k)
	return or, true
}

// keyCellsGo is keyCellsBlocks in Go: when row's columns are cols (at
// their indexes) it writes each cell normalised by d to out and its key
// score<<32 | st to keys, and returns the OR of the scores and true;
// otherwise false, having written nothing.
func keyCellsGo(out []entry, row []Entry, cols []uint64, d *fixed.U16Divisor, st uint64, keys []uint64) (or uint64, ok bool) {
	n := len(row)
	out, cols, keys = out[:n], cols[:n], keys[:n]
	var diff uint64
	for t := range row {
		diff |= uint64(row[t].UID) ^ cols[t]
	}
	if diff != 0 {
		return 0, false
	}
	for t, e := range row {
		sc := d.Quo(e.Value)
		out[t] = entry{uint16(e.UID), fixed.I32F32FromBits(int64(sc))}
		keys[t] = sc<<32 | st
		or |= sc
	}
	return or, true
}

// endAligned ends the aligned medians: the rows they took are bucketed,
// in their order, as bucketRow would have bucketed them.
func (s *medianScratch) endAligned() {
	a := &s.al
	a.on = false
	for _, p := range a.pending {
		bucketRow(s.keys, s.next, p.r, p.st)
	}
	a.pending = a.pending[:0]
}

// alignedColumns writes the medians (minority m) of every column to out
// from the aligned medians' matrix: 0 for a column off the reference (no
// row has a cell there, so all its scores are 0), and for a reference
// column the weighted median of its keys.
//
// Why it gives packedColumns' bits: a reference column's keys in the
// matrix are, for every row with stake, its cell's score with its stake,
// or score 0 with its stake where it has no cell or a cell of 0. The
// buckets hold the pairs of the non-zero scores and, when some row has
// none, one pair of score 0 with the stake of all such rows (packedColumns'
// zero pair); the weighted median (the smallest score whose cumulative
// stake exceeds m, or the largest score when none does) depends only on
// the stake at each score, which is the same. The padding rows beyond the
// rows with stake hold alignedPad: no stake, so no cumulative stake
// changes, and the largest score of the rows with stake is that of the
// (v−1)-th sorted key, which no padding key precedes unless a key of the
// largest score does (see medianAlignedGo).
func (s *medianScratch) alignedColumns(out []fixed.I32F32, m int64) {
	a := &s.al
	v := len(s.stake)
	clear(out)
	if v == 0 {
		return
	}
	s.fillKeys()
	a.out = grow(a.out, a.stride)
	a.scratch = growU64(a.scratch, medianAlignedMax*8)
	medianAlignedColumns(a.keys, a.stride, v, m, a.scratch, a.out)
	for k, j := range a.cols {
		out[j] = fixed.I32F32FromBits(a.out[k])
	}
}

// alignedRef is the aligned medians' reference: the weights of the first
// uid of live with positive active stake and at least alignedMin weights
// (nil for none).
func alignedRef(weights [][]Entry, live []int32, active []fixed.I32F32) []Entry {
	for _, i := range live {
		if int(i) < len(weights) && int(i) < len(active) && active[i].Sign() > 0 && len(weights[i]) >= alignedMin {
			return weights[i]
		}
	}
	return nil
}

// medianAlignedGo is the aligned medians' kernel in Go: for each column c
// of keys (medianAlignedMax rows of stride keys), its keys sorted, the
// score (high word) of the first whose cumulative stake (low words)
// exceeds m, or, when none does, the score of the (v−1)-th (1 ≤ v ≤
// medianAlignedMax), into out[c].
//
// With rows v onwards alignedPad (score 2^32 − 1, stake 0) and the first
// v any keys whose scores lie below 2^32: the sorted keys are the first
// v's in order, with the padding after the first v's but for the keys of
// score 2^32 − 1 and positive stake, which sort after it. A cumulative
// stake first exceeds m at a key with stake, one of the first v's, whose
// score is the smallest with cumulative stake above m; and the (v−1)-th
// sorted key is either the largest of the first v or a padding key that
// precedes one of score 2^32 − 1: either way its score is the largest of
// the first v's scores.
func medianAlignedGo(keys []uint64, stride, v int, m int64, out []int64) {
	col := make([]uint64, medianAlignedMax)
	for c := range stride {
		for r := range col {
			col[r] = keys[r*stride+c]
		}
		slices.Sort(col)
		out[c] = int64(col[v-1] >> 32)
		var cum int64
		for _, x := range col {
			cum += int64(uint32(x))
			if cum > m {
				out[c] = int64(x >> 32)
				break
			}
		}
	}
}
