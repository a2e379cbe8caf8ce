package consensus

import (
	"slices"

	"github.com/dtao-go/dtao/fixed"
)

// A row is tidy when its columns strictly ascend and lie below n and its
// cells all lie in [0, 1]: the shape set_weights stores and every
// normalised row has. On tidy rows the epoch's saturating and checked steps
// cannot saturate or fail, and the chain's merge walks see every cell, so
// the fast kernels may use plain integer arithmetic on the raw bits. Each
// builder records which of its rows are tidy.

// appendWeights appends to buf the cells of one stored weight row that the
// epoch keeps: columns below len(reg) (= n), not the row's own
// column self (the owner passes −1), and only where the column's
// registration block r satisfies lastUpdate > r (updated since the column
// registered) and commit ≥ r (commit-reveal; MaxUint64 when off). It
// returns the integer sum of the kept u16 values, whether the kept
// columns strictly ascend, and whether the row holds a column at or beyond
// n (which Input.Validate refuses; such a cell is skipped).
//
// The two mask tests r ≥ lastUpdate and r > commit are the one test
// r ≥ lim with lim = min(lastUpdate, commit+1) (lastUpdate when commit is
// MaxUint64), and the kept cells are written by index into room grown
// once for the whole row (no allocation when buf already has it).
func appendWeights(buf []entry, row []Entry, reg []uint64, self int, lastUpdate, commit uint64) ([]entry, uint64, bool, bool) {
	var total uint64
	prev, sorted, beyond := -1, true, false
	lim := lastUpdate
	if commit < lim {
		lim = commit + 1 // commit < lastUpdate ≤ MaxUint64: no wrap
	}
	start := len(buf)
	buf = slices.Grow(buf, len(row))
	out := buf[start : start+len(row)]
	k := 0
	for _, e := range row {
		j := int(e.UID)
		if j >= len(reg) {
			beyond = true
			continue
		}
		if j == self || reg[j] >= lim {
			continue
		}
		sorted = sorted && j > prev
		prev = j
		total += uint64(e.Value) // at most len(row)·65535: cannot wrap
		out[k] = entry{uint16(j), fixed.I32F32FromUint64(uint64(e.Value))}
		k++
	}
	return buf[:start+k], total, sorted, beyond
}

// appendWeightsOpen is appendWeights for a row no registration masks
// (every column registered before lim = min(lastUpdate, commit+1), so
// reg[j] < lim for every column j < n): it writes every cell by index and
// reports ok = false, leaving buf's length unchanged, for a row that
// holds the column self or a column at or beyond n = len(reg), which take
// appendWeights.
//
// Why it gives appendWeights' bits: with no cell masked and none the
// row's own or beyond n, appendWeights keeps every cell in order, with the
// same value, the same integer total and the same order test; the order
// test j > prev over all cells is the sign of every prev − j, ANDed
// (columns and prev lie in [−1, 65535], so no difference overflows).
func appendWeightsOpen(buf []entry, row []Entry, n, self int) ([]entry, uint64, bool, bool) {
	start := len(buf)
	buf = slices.Grow(buf, len(row))
	out := buf[start : start+len(row)]
	total, order, top, bad := openCells(out, row, self)
	if bad != 0 || top >= n {
		return buf[:start], 0, false, false
	}
	return buf[:start+len(row)], total, order < 0, true
}

// openCells is appendWeightsOpen's loop: it writes each cell of row to
// out (as long as row) at its own index and returns the cells' integer
// total, the AND of every prev − j (negative when the columns strictly
// ascend), the largest column (−1 for none) and whether the column self
// occurs. It is the loop appendWeightsOpen ran inline
// (appendWeightsOpenPrev in kernels_prev_internal_test.go), kept out of
// line so that slices.Grow's values are not live across it: inlined, the
// loop spilled its accumulators to the stack at every cell.
//
//go:noinline
func openCells(out []entry, row []Entry, self int) (total uint64, order, top int, bad uint8) {
	row = row[:len(out)]
	prev := -1
	order, top = -1, -1
	for t := range out {
		e := row[t]
		j := int(e.UID)
		bad |= b2i(j == self)
		order &= prev - j
		prev = j
		top = max(top, j)
		total += uint64(e.Value) // at most len(row)·65535: cannot wrap
		out[t] = entry{uint16(j), fixed.I32F32FromUint64(uint64(e.Value))}
	}
	return total, order, top, bad
}

// normalizeWeights is inplace_row_normalize_sparse (epoch/math.rs) on one
// row of integer weights whose u16 values sum to total, and reports whether
// its cells now all lie in [0, 1].
//
// The chain sums the cells with wrapping I32F32 addition: while total <
// 2^31 the sum is exactly total·2^32, and each cell u·2^32 divided by it is
// floor(u·2^32·2^32/(total·2^32)) = floor(u·2^32/total) (at most 2^32, as
// u ≤ total), which a fixed.Uint64Divisor computes with one multiplication
// a cell. A larger total wraps on chain, so that row takes the literal
// path.
func normalizeWeights(r []entry, total uint64) bool {
	switch {
	case total == 0:
		return true // all cells 0: the sum is 0 and the row unchanged
	case total < 1<<31:
		d := fixed.NewUint64Divisor(total)
		for k := range r {
			r[k].v = fixed.I32F32FromBits(int64(d.Div(uint64(r[k].v.Bits()))))
		}
		return true
	}
	s := zero
	for _, e := range r {
		s = s.Add(e.v)
	}
	if s.Sign() > 0 {
		for k := range r {
			r[k].v = r[k].v.SafeDiv(s)
		}
	}
	for _, e := range r {
		if uint64(e.v.Bits()) > 1<<32 {
			return false
		}
	}
	return true
}

// appendBonds appends to buf the cells of one stored bond row that survive
// the re-registration mask (dropped where lastTempo ≤ the column's
// registration block), as get_bonds_sparse reads them (u16_to_fixed, the
// raw integer) and, for Yuma 3, fixed_to_fixed_u16_proportion (x/65535, at
// most 1). It reports whether the kept row is tidy, and whether the row
// holds a column at or beyond n = len(reg) (which Input.Validate refuses;
// such a cell is skipped). The kept cells are written by index into room
// grown once for the whole row (no allocation when buf already has it).
func appendBonds(buf []entry, row []Entry, reg []uint64, lastTempo uint64, yuma3 bool) ([]entry, bool, bool) {
	prev, tidy, beyond := -1, yuma3, false
	start := len(buf)
	buf = slices.Grow(buf, len(row))
	out := buf[start : start+len(row)]
	k := 0
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
		out[k] = entry{uint16(e.UID), v}
		k++
	}
	return buf[:start+k], tidy, beyond
}

// openTaken is keyRows.run's test of row by its integer total and order
// (openTotal): whether the row is normalised and bucketed as it is
// written (see there), but for the column self, which the caller tests
// by holds. The total 0 of an empty row refuses it before its last
// column is read.
func openTaken(row []Entry, total uint64, order, n int) bool {
	return order < 0 && total != 0 && total < 1<<31 && int(row[len(row)-1].UID) < n
}

// openTotal is openCells' total and order alone: the row's integer total
// and the AND of every prev − j (negative when the columns strictly
// ascend, and −1 for an empty row). For a row whose columns strictly
// ascend, the largest column openCells returns is the last one, and the
// column self occurs where holds finds it, so keyRows.run tests those
// on the row's ends and by a binary search instead of at every cell.
//
//go:noinline
func openTotal(row []Entry) (total uint64, order int) {
	prev := -1
	order = -1
	for t := range row {
		e := word(&row[t])
		j := int(uint16(e))
		order &= prev - j
		prev = j
		total += uint64(e >> 16) // at most len(row)·65535: cannot wrap
	}
	return total, order
}

// word is the entry e as one 32-bit word, its uid in the low half and its
// value in the high half, which the compiler loads with one instruction:
// it loads the two fields of an Entry in a slice apart, each address
// formed by two instructions of its own.
func word(e *Entry) uint32 { return uint32(e.UID) | uint32(e.Value)<<16 }

// holds reports whether the row, whose columns strictly ascend, holds the
// column self (false for self < 0). A self outside the row's first and
// last columns (a validator's row of miners, who hold the uids after the
// validators') is not held, which the binary search would find after
// about log2(len(row)) steps.
func holds(row []Entry, self int) bool {
	if len(row) == 0 || self < int(row[0].UID) || self > int(row[len(row)-1].UID) {
		return false
	}
	a, b := 0, len(row) // self, if held, lies in row[a:b]
	for a < b {
		m := int(uint(a+b) >> 1)
		if int(row[m].UID) < self {
			a = m + 1
		} else {
			b = m
		}
	}
	return self >= 0 && a < len(row) && int(row[a].UID) == self
}

// keyCells writes each cell of row to out (as long as row) normalised by
// d (normalizeWeights' floor(u·2^32/total), which fixed.U16Divisor.Quo
// gives exactly for the u16 u with one multiplication), then keys the
// written row, the k-th with stake (stake st), into s (medianScratch.keyRow:
// bucketRow, or the aligned medians' matrix), while the row is in the
// cache, and returns the OR of its scores. Every column lies below
// len(s.next).
// The two loops are kept apart: fused into one, the loop held more values
// than the registers and spilled them at every cell.
//
//go:noinline
func keyCells(out []entry, row []Entry, d fixed.U16Divisor, s *medianScratch, st uint64, k int) (or uint64) {
	if a := &s.al; a.on && len(row) == len(a.cols) && k < medianAlignedMax {
		if or, ok := s.keyCellsAligned(out, row, &d, st, k); ok {
			return or
		}
	}
	row = row[:len(out)]
	for t := range out {
		e := row[t]
		out[t] = entry{uint16(e.UID), fixed.I32F32FromBits(int64(d.Quo(e.Value)))}
	}
	return s.keyRow(out, st, k)
}
