package consensus

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// The kernels as they were before the register-pressure round, kept as
// the references of their replacements, each with a differential test on
// random and constructed inputs and a fuzz target: emaZipStoredPrev (its
// loop now emaZipBelow), dividendRowBelowPrev (now dividendSumBelow,
// dividendCellsBelow and dividendRestBelow), medianPackedPrev (its
// bucketing now bucketRow, by column cursors instead of counts),
// clipRankBelowPrev (its drop test now branch-free),
// appendWeightsOpenPrev (its loop now openCells), splitPackedPrev and
// splitPrev (score > p now a comparison in both), sameColumnsPrev (now
// branch-free) and writeOutputPrev (now one loop per output); and, from
// the round after, medianBucketColumnPrev (its buckets now spread from 0
// by a sample's largest score, without the sweep for the extremes).

// emaZipStoredPrev is emaZipStored before emaZipBelow.
func emaZipStoredPrev(buf, a []entry, b []Entry, al uint64, colSum []fixed.I32F32) []entry {
	om := 1<<32 - al
	base := len(buf)
	buf = slices.Grow(buf, len(a))
	out := buf[base : base+len(a)]
	out = out[:len(a)]
	b = b[:len(a)]
	var zeros uint8
	if al > 0 && om > 0 {
		for t, e := range a {
			v := (al*uint64(e.v.Bits()))>>32 + (om*u16Bits(b[t].Value))>>32
			x := fixed.I32F32FromBits(int64(v))
			out[t] = entry{e.j, x}
			zeros |= b2i(v == 0)
			colSum[e.j] = colSum[e.j].SaturatingAdd(x)
		}
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

// dividendRowBelowPrev is dividendRowBelow before its loops moved out of
// line.
func dividendRowBelowPrev(dst []Entry, r []entry, colSum, inc []fixed.I32F32, div []fixed.Uint64Divisor) fixed.I32F32 {
	var t int64
	if len(dst) == 0 {
		for _, e := range r {
			b := uint64(e.v.Bits())
			var q uint64
			if b < 1<<32 {
				q = div[e.j].Div(b << 32)
			} else {
				q = uint64(e.v.SafeDiv(colSum[e.j]).Bits())
			}
			t += int64((q * uint64(inc[e.j].Bits())) >> 32)
		}
		return fixed.I32F32FromBits(t)
	}
	dst = dst[:len(r)]
	for k, e := range r {
		b := uint64(e.v.Bits())
		var q uint64
		var u uint16
		if b < 1<<32 {
			q, u = div[e.j].Div(b<<32), uint16((b*65535)>>32)
		} else {
			q, u = uint64(e.v.SafeDiv(colSum[e.j]).Bits()), e.v.U16Proportion()
		}
		t += int64((q * uint64(inc[e.j].Bits())) >> 32)
		dst[k] = Entry{units.UID(e.j), u}
	}
	return fixed.I32F32FromBits(t)
}

// medianPackedPrev is medianPacked before bucketRow: it counts each
// column's cells in s.count.
func (s *medianScratch) medianPackedPrev(out, active []fixed.I32F32, w *matrix, m int64) bool {
	n, v := len(out), len(s.stake)
	var total int64
	for _, st := range s.stake {
		if st.Sign() < 0 {
			return false
		}
		total += st.Bits() // at most 65535 terms below 2^32 once checked
		if total >= 1<<32 {
			return false
		}
	}
	stride := v + 1
	if cap(s.keys) < n*stride {
		s.keys = make([]uint64, n*stride)
	}
	if cap(s.count) < n {
		s.count = make([]int32, n)
	}
	keys, count := s.keys[:n*stride], s.count[:n]
	clear(count)
	var or uint64 // the OR of the scores: below 2^32 when every score is
	k := 0
	for i, a := range active {
		if a.Sign() <= 0 {
			continue
		}
		st := uint64(s.stake[k].Bits())
		k++
		if i >= len(w.rows) {
			continue // a missing row: zeros
		}
		for _, e := range w.rows[i] {
			if sc := uint64(e.v.Bits()); sc != 0 {
				or |= sc
				j := int(e.j)
				keys[j*stride+int(count[j])] = sc<<32 | st
				count[j]++
			}
		}
	}
	if or >= 1<<32 {
		return false // a score of 1 (or, off the tidy rows, more)
	}
	if cap(s.kwork) < stride {
		s.kwork = make([]uint64, stride)
	}
	for j := range n {
		c := int(count[j])
		if c == 0 {
			out[j] = zero
			continue
		}
		col := keys[j*stride : j*stride+c]
		if c < v {
			z := uint64(total)
			for _, x := range col {
				z -= uint64(uint32(x))
			}
			col = col[:c+1]
			col[c] = z // score 0
		}
		out[j] = fixed.I32F32FromBits(medianPackedColumn(col, s.kwork, m))
	}
	return true
}

// drawZipCase draws emaZipStored's inputs: a tidy row a (ascending
// columns below n, cells in [0, 1], some 0 and some 1), a stored row b on
// the same columns (u16 values, some 0 and some 65535), a rate in
// [0, 2^32] (0, 1, 2^32−1 and 2^32 among them) and column sums, some
// negative and some near the I32F32 maximum so that the saturation runs.
func drawZipCase(r bitSource) (a []entry, b []Entry, al uint64, colSum []fixed.I32F32) {
	n := 1 + r.IntN(40)
	colSum = make([]fixed.I32F32, n)
	for j := range colSum {
		switch r.IntN(6) {
		case 0:
		case 1:
			colSum[j] = fixed.I32F32FromBits(math.MaxInt64 - int64(r.IntN(1<<31))*4)
		case 2:
			colSum[j] = fixed.I32F32FromBits(-int64(r.IntN(1 << 30)))
		default:
			colSum[j] = fixed.I32F32FromBits(int64(r.IntN(1<<31)) * int64(1+r.IntN(64)))
		}
	}
	for j := range n {
		if r.IntN(3) == 0 {
			continue
		}
		var v int64
		switch r.IntN(8) {
		case 0:
		case 1:
			v = 1 << 32
		default:
			v = int64(r.IntN(1<<31))*2 + int64(r.IntN(2))
		}
		a = append(a, entry{uint16(j), fixed.I32F32FromBits(v)})
		var u uint16
		switch r.IntN(6) {
		case 0:
		case 1:
			u = 65535
		default:
			u = uint16(r.IntN(65536))
		}
		b = append(b, Entry{UID: units.UID(j), Value: u})
	}
	switch r.IntN(6) {
	case 0:
		al = 0
	case 1:
		al = 1
	case 2:
		al = 1<<32 - 1
	case 3:
		al = 1 << 32
	default:
		al = uint64(r.IntN(1<<31))*2 + uint64(r.IntN(2))
	}
	return a, b, al, colSum
}

// checkZipCase compares emaZipStored with emaZipStoredPrev: the cells
// appended after a prefix of buf, and the column sums.
func checkZipCase(t *testing.T, a []entry, b []Entry, al uint64, colSum []fixed.I32F32) {
	t.Helper()
	prefix := []entry{{7, one}}
	gotSum, wantSum := slices.Clone(colSum), slices.Clone(colSum)
	got := emaZipStored(slices.Clone(prefix), a, b, al, gotSum)
	want := emaZipStoredPrev(slices.Clone(prefix), a, b, al, wantSum)
	if !slices.Equal(got, want) || !slices.Equal(gotSum, wantSum) {
		t.Fatalf("rate %d, a %v, b %v, colSum %v:\ncells %v, want %v\nsums %v, want %v", al, a, b, colSum, got, want, gotSum, wantSum)
	}
}

// TestEmaZipStoredMatchesPrev: emaZipStored gives emaZipStoredPrev's
// cells and column sums on random rows, rates and sums.
func TestEmaZipStoredMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 3))
	for range 5000 {
		a, b, al, colSum := drawZipCase(r)
		checkZipCase(t, a, b, al, colSum)
	}
}

// TestEmaZipStoredEdgeCases: an empty row, a cell saturating its column
// sum exactly at the maximum and one past it, and a row of zeros.
func TestEmaZipStoredEdgeCases(t *testing.T) {
	half := uint64(1 << 31)
	checkZipCase(t, nil, nil, half, []fixed.I32F32{zero})
	a := []entry{{0, one}, {1, one}, {2, zero}}
	b := []Entry{{UID: 0, Value: 65535}, {UID: 1, Value: 65535}, {UID: 2, Value: 0}}
	top := fixed.I32F32FromBits(math.MaxInt64 - 1<<32) // reaches the maximum exactly
	checkZipCase(t, a, b, half, []fixed.I32F32{top, fixed.I32F32FromBits(math.MaxInt64 - 1<<32 + 1), zero})
	checkZipCase(t, a[2:], b[2:], half, []fixed.I32F32{zero, zero, fixed.I32F32FromBits(math.MaxInt64)})
}

// FuzzEmaZipStored compares emaZipStored with emaZipStoredPrev on rows
// drawn from the fuzz bytes.
func FuzzEmaZipStored(f *testing.F) {
	seedCorpus(f, 11)
	f.Fuzz(func(t *testing.T, b []byte) {
		a, bs, al, colSum := drawZipCase(&byteSource{b})
		checkZipCase(t, a, bs, al, colSum)
	})
}

// checkDividendPrev compares dividendRowBelow with dividendRowBelowPrev
// on every row of m, storing the bonds and not.
func checkDividendPrev(t *testing.T, m *matrix, colSum, inc []fixed.I32F32) {
	t.Helper()
	div := make([]fixed.Uint64Divisor, len(colSum))
	for j, s := range colSum {
		if !s.IsZero() {
			div[j] = fixed.NewUint64Divisor(uint64(s.Bits()))
		}
	}
	for i, r := range m.rows {
		for _, store := range []bool{false, true} {
			var got, want []Entry
			if store {
				got, want = make([]Entry, len(r)), make([]Entry, len(r))
			}
			tg := dividendRowBelow(got, r, colSum, testTerms(colSum, inc))
			tw := dividendRowBelowPrev(want, r, colSum, inc, div)
			if tg != tw || !slices.Equal(got, want) {
				t.Fatalf("row %d %v (store %v): %v %v, want %v %v", i, r, store, tg, got, tw, want)
			}
		}
	}
}

// TestDividendRowBelowMatchesPrev: dividendRowBelow gives
// dividendRowBelowPrev's dividends and stored bonds, cells of 1 or more
// (which end the out-of-line loops) among them.
func TestDividendRowBelowMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(43, 5))
	for range 3000 {
		m, colSum, inc := drawDividendCase(r)
		checkDividendPrev(t, &m, colSum, inc)
	}
}

// FuzzDividendRowBelowPrev compares dividendRowBelow with
// dividendRowBelowPrev on bonds drawn from the fuzz bytes.
func FuzzDividendRowBelowPrev(f *testing.F) {
	seedCorpus(f, 12)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, colSum, inc := drawDividendCase(&byteSource{b})
		checkDividendPrev(t, &m, colSum, inc)
	})
}

// checkPackedPrev compares medianPacked with medianPackedPrev on the
// tidy case c: whether each takes the packed path, and the medians.
func checkPackedPrev(t *testing.T, c *medianCase) {
	t.Helper()
	var s, ref medianScratch
	for _, a := range c.active {
		if a.Sign() > 0 {
			ref.stake = append(ref.stake, a)
		}
	}
	normalize(ref.stake)
	s.stake = slices.Clone(ref.stake)
	m := sum(ref.stake).SaturatingSub(c.kappa).Bits()
	got, want := make([]fixed.I32F32, c.n), make([]fixed.I32F32, c.n)
	for j := range got {
		got[j], want[j] = fixed.I32F32FromBits(-1), fixed.I32F32FromBits(-1)
	}
	ok, wantOK := s.medianPacked(got, c.active, &c.w, m), ref.medianPackedPrev(want, c.active, &c.w, m)
	if ok != wantOK || !slices.Equal(got, want) {
		t.Fatalf("packed %v %v, want %v %v", ok, got, wantOK, want)
	}
}

// TestMedianPackedMatchesPrev: medianPacked gives medianPackedPrev's
// medians, and declines where it does, on tidy matrices (some with a
// score of 1, which is not packable).
func TestMedianPackedMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(47, 9))
	for it := range 3000 {
		c := drawMedianCase(r)
		if !actuallyTidy(&c) {
			continue
		}
		if it%7 == 0 && len(c.w.buf) > 0 {
			c.w.buf[r.IntN(len(c.w.buf))].v = one
		}
		checkPackedPrev(t, &c)
	}
}

// FuzzMedianPackedPrev compares medianPacked with medianPackedPrev on
// tidy matrices drawn from the fuzz bytes.
func FuzzMedianPackedPrev(f *testing.F) {
	seedCorpus(f, 13)
	f.Fuzz(func(t *testing.T, b []byte) {
		c := drawMedianCase(&byteSource{b})
		if actuallyTidy(&c) {
			checkPackedPrev(t, &c)
		}
	})
}

// seedCorpus adds an empty input and eight random 1 KiB ones to f.
func seedCorpus(f *testing.F, seed uint64) {
	f.Add([]byte{})
	r := rand.New(rand.NewPCG(seed, 1))
	for range 8 {
		b := make([]byte, 1024)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		f.Add(b)
	}
}

// clipRankBelowPrev is clipRankBelow before its branch-free drop test.
func clipRankBelowPrev(dst, r []entry, c []fixed.I32F32, a uint64, inc []fixed.I32F32) (int, fixed.I32F32) {
	dst = dst[:len(r)]
	var rowSum int64
	var drop uint8
	for t, e := range r {
		th := c[e.j].Bits()
		v := min(e.v.Bits(), th)
		dst[t] = entry{e.j, fixed.I32F32FromBits(v)}
		drop |= b2i(th == 0 && !e.v.IsZero())
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

// checkClipPrev compares clipRankBelow with clipRankBelowPrev on one row:
// the kept cells, the row sum and the ranks.
func checkClipPrev(t *testing.T, row []entry, c, inc []fixed.I32F32, a uint64) {
	t.Helper()
	got, want := make([]entry, len(row)), make([]entry, len(row))
	gi, wi := slices.Clone(inc), slices.Clone(inc)
	gk, gs := clipRankBelow(got, row, c, a, gi)
	wk, ws := clipRankBelowPrev(want, row, c, a, wi)
	if gk != wk || gs != ws || !slices.Equal(got[:gk], want[:wk]) || !slices.Equal(gi, wi) {
		t.Fatalf("row %v c %v a %d: %d %v %v, want %d %v %v", row, c, a, gk, gs, got[:gk], wk, ws, want[:wk])
	}
}

// TestClipRankBelowMatchesPrev: clipRankBelow gives clipRankBelowPrev's
// results on random tidy rows (drawClipRow: consensus and cells of 0 and
// 1 among them, so rows with and without dropped cells).
func TestClipRankBelowMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(53, 1))
	for range 5000 {
		row, c, inc, a := drawClipRow(r)
		checkClipPrev(t, row, c, inc, a)
	}
	// One dropped cell at the end of a row, and a weight of 0 over a
	// consensus of 0 (kept).
	c := []fixed.I32F32{one, zero, zero}
	checkClipPrev(t, []entry{{0, half}, {2, one}}, c, make([]fixed.I32F32, 3), 1<<31)
	checkClipPrev(t, []entry{{0, half}, {1, zero}}, c, make([]fixed.I32F32, 3), 1<<31)
}

// FuzzClipRankBelowPrev compares clipRankBelow with clipRankBelowPrev on
// rows drawn from the fuzz bytes.
func FuzzClipRankBelowPrev(f *testing.F) {
	seedCorpus(f, 14)
	f.Fuzz(func(t *testing.T, b []byte) {
		row, c, inc, a := drawClipRow(&byteSource{b})
		checkClipPrev(t, row, c, inc, a)
	})
}

// appendWeightsOpenPrev is appendWeightsOpen before openCells.
func appendWeightsOpenPrev(buf []entry, row []Entry, n, self int) ([]entry, uint64, bool, bool) {
	start := len(buf)
	buf = slices.Grow(buf, len(row))
	out := buf[start : start+len(row)]
	out = out[:len(row)]
	var total uint64
	prev, order, top := -1, -1, -1
	var bad uint8
	for t, e := range row {
		j := int(e.UID)
		bad |= b2i(j == self)
		order &= prev - j
		prev = j
		top = max(top, j)
		total += uint64(e.Value) // at most len(row)·65535: cannot wrap
		out[t] = entry{uint16(e.UID), fixed.I32F32FromUint64(uint64(e.Value))}
	}
	if bad != 0 || top >= n {
		return buf[:start], 0, false, false
	}
	return buf[:start+len(row)], total, order < 0, true
}

// checkOpenPrev compares appendWeightsOpen with appendWeightsOpenPrev on
// one row appended after a prefix: the buffer, total, order and whether
// each took the row.
func checkOpenPrev(t *testing.T, row []Entry, n, self int) {
	t.Helper()
	prefix := []entry{{3, one}}
	got, gt, gTidy, gOK := appendWeightsOpen(slices.Clone(prefix), row, n, self)
	want, wt, wTidy, wOK := appendWeightsOpenPrev(slices.Clone(prefix), row, n, self)
	if !slices.Equal(got, want) || gt != wt || gTidy != wTidy || gOK != wOK {
		t.Fatalf("row %v n %d self %d: %v %d %v %v, want %v %d %v %v", row, n, self, got, gt, gTidy, gOK, want, wt, wTidy, wOK)
	}
}

// TestAppendWeightsOpenMatchesPrev: appendWeightsOpen gives
// appendWeightsOpenPrev's results on drawOpenRow's rows (unsorted ones,
// duplicates, the self column and columns beyond n among them).
func TestAppendWeightsOpenMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(59, 4))
	for range 20000 {
		row, reg, self, _, _ := drawOpenRow(r)
		checkOpenPrev(t, row, len(reg), self)
	}
	checkOpenPrev(t, nil, 1, -1)
	checkOpenPrev(t, []Entry{{UID: 65535, Value: 65535}}, 65535, -1)
	checkOpenPrev(t, []Entry{{UID: 65535, Value: 65535}}, 65536, -1)
}

// FuzzAppendWeightsOpenPrev compares appendWeightsOpen with
// appendWeightsOpenPrev on rows drawn from the fuzz bytes.
func FuzzAppendWeightsOpenPrev(f *testing.F) {
	seedCorpus(f, 15)
	f.Fuzz(func(t *testing.T, b []byte) {
		row, reg, self, _, _ := drawOpenRow(&byteSource{b})
		checkOpenPrev(t, row, len(reg), self)
	})
}

// splitPackedPrev is splitPacked before score > p became a comparison.
func splitPackedPrev(dst, src []uint64, p int64) (lt, gt int, sLt, sLe int64) {
	dst = dst[:len(src)]
	top := len(src) - 1
	for _, x := range src {
		d := score(x) - p
		below := int(uint64(d) >> 63)  // 1 when score < p
		above := int(uint64(-d) >> 63) // 1 when score > p
		dst[lt] = x                    // kept when below
		dst[top] = x                   // kept when above
		st := int64(uint32(x))         // the stake
		sLt += st & -int64(below)
		sLe += st & (int64(above) - 1)
		lt += below
		top -= above
	}
	return lt, len(src) - 1 - top, sLt, sLe
}

// drawSplitCase draws splitPacked's inputs: up to 80 packed pairs with
// scores and stakes below 2^32 (few or many score levels, the extremes
// among them) and a pivot among the scores or not.
func drawSplitCase(r bitSource) (src []uint64, p int64) {
	levels := 1 + r.IntN(4)
	level := func() uint64 {
		switch r.IntN(8) {
		case 0:
			return 0
		case 1:
			return 1<<32 - 1
		}
		if levels < 4 {
			return uint64(r.IntN(levels)) << 30
		}
		return uint64(r.IntN(1<<30))*4 + uint64(r.IntN(4))
	}
	src = make([]uint64, r.IntN(81))
	for k := range src {
		src[k] = level()<<32 | uint64(r.IntN(1<<30))*4 + uint64(r.IntN(4))
	}
	p = int64(level())
	if len(src) > 0 && r.IntN(2) == 0 {
		p = score(src[r.IntN(len(src))])
	}
	return src, p
}

// checkSplitPrev compares splitPacked with splitPackedPrev: the counts,
// the stake sums and the whole destination.
func checkSplitPrev(t *testing.T, src []uint64, p int64) {
	t.Helper()
	got, want := make([]uint64, len(src)), make([]uint64, len(src))
	glt, ggt, gs, ge := splitPacked(got, src, p)
	wlt, wgt, ws, we := splitPackedPrev(want, src, p)
	if glt != wlt || ggt != wgt || gs != ws || ge != we || !slices.Equal(got, want) {
		t.Fatalf("src %x p %d: %d %d %d %d %x, want %d %d %d %d %x", src, p, glt, ggt, gs, ge, got, wlt, wgt, ws, we, want)
	}
}

// TestSplitPackedMatchesPrev: splitPacked gives splitPackedPrev's split
// on random columns and pivots.
func TestSplitPackedMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(61, 6))
	for range 20000 {
		src, p := drawSplitCase(r)
		checkSplitPrev(t, src, p)
	}
	checkSplitPrev(t, nil, 0)
	checkSplitPrev(t, []uint64{0, 1<<64 - 1}, 0)
	checkSplitPrev(t, []uint64{0, 1<<64 - 1}, 1<<32-1)
}

// FuzzSplitPackedPrev compares splitPacked with splitPackedPrev on
// columns drawn from the fuzz bytes.
func FuzzSplitPackedPrev(f *testing.F) {
	seedCorpus(f, 16)
	f.Fuzz(func(t *testing.T, b []byte) {
		src, p := drawSplitCase(&byteSource{b})
		checkSplitPrev(t, src, p)
	})
}

// sameColumnsPrev is sameColumns before it read every pair without a
// branch.
func sameColumnsPrev(a []entry, b []Entry) bool {
	if len(a) != len(b) {
		return false
	}
	b = b[:len(a)]
	for t, e := range a {
		if e.j != uint16(b[t].UID) {
			return false
		}
	}
	return true
}

// drawColumnsCase draws two rows for sameColumns: equal columns, or
// columns differing in one place (one bit or any), or lengths differing.
func drawColumnsCase(r bitSource) (a []entry, b []Entry) {
	n := r.IntN(40)
	for range n {
		j := uint16(r.IntN(65536))
		a = append(a, entry{j, one})
		b = append(b, Entry{UID: units.UID(j), Value: 1})
	}
	switch r.IntN(4) {
	case 0:
		if n > 0 {
			k := r.IntN(n)
			b[k].UID ^= units.UID(1) << r.IntN(16)
		}
	case 1:
		if n > 0 {
			b[r.IntN(n)].UID = units.UID(r.IntN(65536))
		}
	case 2:
		b = append(b, Entry{UID: units.UID(r.IntN(65536))})
	}
	return a, b
}

// TestSameColumnsMatchesPrev: sameColumns gives sameColumnsPrev's answer
// on equal rows, rows differing in one column and rows of different
// lengths.
func TestSameColumnsMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(67, 8))
	for range 20000 {
		a, b := drawColumnsCase(r)
		if got, want := sameColumns(a, b), sameColumnsPrev(a, b); got != want {
			t.Fatalf("a %v b %v: %v, want %v", a, b, got, want)
		}
	}
}

// FuzzSameColumnsPrev compares sameColumns with sameColumnsPrev on rows
// drawn from the fuzz bytes.
func FuzzSameColumnsPrev(f *testing.F) {
	seedCorpus(f, 17)
	f.Fuzz(func(t *testing.T, b []byte) {
		a, bs := drawColumnsCase(&byteSource{b})
		if got, want := sameColumns(a, bs), sameColumnsPrev(a, bs); got != want {
			t.Fatalf("a %v b %v: %v, want %v", a, bs, got, want)
		}
	})
}

// writeOutputPrev is writeOutput before it took one loop per output.
func (ws *Workspace) writeOutputPrev(v *epochView, out *Output) {
	n := v.n
	e := uint64(v.in.Emission)
	e96 := fixed.I96F32FromUint64(e)
	// For x in [0, 1] the I96F32 product x·e has the raw bits x_bits·e
	// exactly (no fractional bit is lost), and flooring it to an integer
	// is floor(x_bits·e/2^32) ≤ e: mulUnit's 64-bit result. Other x take
	// the I96F32 path.
	toRao := func(x fixed.I32F32) units.Alpha {
		if xb := uint64(x.Bits()); xb <= 1<<32 {
			return units.Alpha(mulUnit(xb, e))
		}
		return units.Alpha(x.SaturatingToI96F32().SaturatingMul(e96).SaturatingToUint64())
	}
	out.Stake = growU64(out.Stake, n)
	copy(out.Stake, ws.raw)
	out.Consensus = growU16(out.Consensus, n)
	out.Incentive = growU16(out.Incentive, n)
	out.Dividends = growU16(out.Dividends, n)
	out.ValidatorTrust = growU16(out.ValidatorTrust, n)
	out.StakeWeight = growU16(out.StakeWeight, n)
	out.ServerEmission = growAlpha(out.ServerEmission, n)
	out.ValidatorEmission = growAlpha(out.ValidatorEmission, n)
	out.Emission = growAlpha(out.Emission, n)
	out.ValidatorPermit = growBool(out.ValidatorPermit, n)
	out.Active = growBool(out.Active, n)
	// Each vector resliced to n, so that one bound covers every index.
	cons, inc, div, vt, stake := ws.cons[:n], ws.inc[:n], ws.div[:n], ws.vt[:n], ws.stake[:n]
	nse, nve, nce, permit := ws.nse[:n], ws.nve[:n], ws.nce[:n], ws.permitNew[:n]
	oc, oi, od, ov, os := out.Consensus[:n], out.Incentive[:n], out.Dividends[:n], out.ValidatorTrust[:n], out.StakeWeight[:n]
	ose, ove, oe := out.ServerEmission[:n], out.ValidatorEmission[:n], out.Emission[:n]
	op, oa := out.ValidatorPermit[:n], out.Active[:n]
	for i := range cons {
		oc[i] = cons[i].U16Proportion()
		oi[i] = inc[i].U16Proportion()
		od[i] = div[i].U16Proportion()
		ov[i] = vt[i].U16Proportion()
		os[i] = stake[i].U16Proportion()
		ose[i] = toRao(nse[i])
		ove[i] = toRao(nve[i])
		oe[i] = toRao(nce[i])
		op[i] = permit[i]
		oa[i] = v.isActive(i)
	}
}

// drawOutputCase fills ws's vectors for writeOutput on n uids with values
// in and out of [0, 1] (negative ones, 1, above 1, up to the I32F32
// maximum), and an input with last updates around the activity cutoff
// and an emission of any size.
func drawOutputCase(r bitSource, ws *Workspace) Input {
	n := r.IntN(50)
	in := NewInput(uint16(n))
	in.CurrentBlock = uint64(r.IntN(2000))
	in.Tempo = uint16(r.IntN(400))
	in.ActivityCutoffFactorMilli = uint32(r.IntN(20000))
	switch r.IntN(3) {
	case 0:
		in.Emission = units.Alpha(r.IntN(1 << 30))
	case 1:
		in.Emission = units.Alpha(uint64(r.IntN(1<<30))<<34 | uint64(r.IntN(1<<30)))
	default:
		in.Emission = units.Alpha(math.MaxUint64 - uint64(r.IntN(1<<20)))
	}
	for i := range in.LastUpdate {
		in.LastUpdate[i] = uint64(r.IntN(2000))
	}
	value := func() fixed.I32F32 {
		switch r.IntN(8) {
		case 0:
			return zero
		case 1:
			return one
		case 2:
			return fixed.I32F32FromBits(-int64(r.IntN(1 << 30)))
		case 3:
			return fixed.I32F32FromBits(int64(r.IntN(1<<30)) << (2 + r.IntN(32)))
		case 4:
			return fixed.I32F32FromBits(math.MaxInt64 - int64(r.IntN(1<<20)))
		default:
			return fixed.I32F32FromBits(int64(r.IntN(1<<31))*2 + int64(r.IntN(2)))
		}
	}
	vec := func() []fixed.I32F32 {
		x := make([]fixed.I32F32, n)
		for i := range x {
			x[i] = value()
		}
		return x
	}
	ws.cons, ws.inc, ws.div, ws.vt, ws.stake = vec(), vec(), vec(), vec(), vec()
	ws.nse, ws.nve, ws.nce = vec(), vec(), vec()
	ws.raw = make([]uint64, n)
	ws.permitNew = make([]bool, n)
	for i := range n {
		ws.raw[i] = uint64(r.IntN(1 << 30))
		ws.permitNew[i] = r.IntN(2) == 0
	}
	return in
}

// checkOutputPrev compares writeOutput with writeOutputPrev on one case,
// into fresh outputs and into outputs of another size.
func checkOutputPrev(t *testing.T, r bitSource) {
	t.Helper()
	var ws Workspace
	in := drawOutputCase(r, &ws)
	v := newEpochView(&in)
	var got, want Output
	if r.IntN(2) == 0 { // outputs left by a larger epoch
		m := int(in.N) + r.IntN(5)
		got.Consensus, got.Emission, got.Active = make([]uint16, m), make([]units.Alpha, m), make([]bool, m)
		want.Consensus, want.Emission, want.Active = make([]uint16, m), make([]units.Alpha, m), make([]bool, m)
	}
	ws.activeStake(&v) // the active mask writeOutput copies, as in Epoch
	ws.writeOutput(&v, &got)
	ws.writeOutputPrev(&v, &want)
	eq := func(name string, ok bool) {
		if !ok {
			t.Fatalf("%s differ: %+v, want %+v", name, got, want)
		}
	}
	eq("stake", slices.Equal(got.Stake, want.Stake))
	eq("consensus", slices.Equal(got.Consensus, want.Consensus))
	eq("incentive", slices.Equal(got.Incentive, want.Incentive))
	eq("dividends", slices.Equal(got.Dividends, want.Dividends))
	eq("trust", slices.Equal(got.ValidatorTrust, want.ValidatorTrust))
	eq("stake weight", slices.Equal(got.StakeWeight, want.StakeWeight))
	eq("server emission", slices.Equal(got.ServerEmission, want.ServerEmission))
	eq("validator emission", slices.Equal(got.ValidatorEmission, want.ValidatorEmission))
	eq("emission", slices.Equal(got.Emission, want.Emission))
	eq("permits", slices.Equal(got.ValidatorPermit, want.ValidatorPermit))
	eq("active", slices.Equal(got.Active, want.Active))
}

// TestWriteOutputMatchesPrev: writeOutput writes writeOutputPrev's
// outputs on random scores in and out of [0, 1] and emissions up to the
// u64 maximum.
func TestWriteOutputMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(71, 2))
	for range 3000 {
		checkOutputPrev(t, r)
	}
}

// FuzzWriteOutputPrev compares writeOutput with writeOutputPrev on cases
// drawn from the fuzz bytes.
func FuzzWriteOutputPrev(f *testing.F) {
	seedCorpus(f, 18)
	f.Fuzz(func(t *testing.T, b []byte) {
		checkOutputPrev(t, &byteSource{b})
	})
}

// splitPrev is split before score > p became a comparison.
func splitPrev(dst, src []scored, p int64) (lt, gt int, sLt, sLe int64) {
	dst = dst[:len(src)]
	hi := len(src) - 1
	for _, x := range src {
		d := x.score - p
		below := int(uint64(d) >> 63)  // 1 when score < p
		above := int(uint64(-d) >> 63) // 1 when score > p
		dst[lt] = x                    // kept when below
		dst[hi] = x                    // kept when above
		sLt += x.stake & -int64(below)
		sLe += x.stake & (int64(above) - 1)
		lt += below
		hi -= above
	}
	return lt, len(src) - 1 - hi, sLt, sLe
}

// drawPairSplit draws split's inputs: up to 80 pairs with scores in
// [0, 2^62) (few or many levels, the extremes among them) and any
// stakes, and a pivot among the scores or not.
func drawPairSplit(r bitSource) (src []scored, p int64) {
	levels := 1 + r.IntN(4)
	level := func() int64 {
		switch r.IntN(8) {
		case 0:
			return 0
		case 1:
			return 1<<62 - 1
		}
		if levels < 4 {
			return int64(r.IntN(levels)) << 40
		}
		return int64(r.IntN(1<<30))<<32 | int64(r.IntN(1<<30))
	}
	src = make([]scored, r.IntN(81))
	for k := range src {
		src[k] = scored{level(), int64(r.IntN(1 << 30))}
	}
	p = level()
	if len(src) > 0 && r.IntN(2) == 0 {
		p = src[r.IntN(len(src))].score
	}
	return src, p
}

// checkPairSplit compares split with splitPrev: the counts, the stake
// sums and the whole destination.
func checkPairSplit(t *testing.T, src []scored, p int64) {
	t.Helper()
	got, want := make([]scored, len(src)), make([]scored, len(src))
	glt, ggt, gs, ge := split(got, src, p)
	wlt, wgt, ws, we := splitPrev(want, src, p)
	if glt != wlt || ggt != wgt || gs != ws || ge != we || !slices.Equal(got, want) {
		t.Fatalf("src %v p %d: %d %d %d %d %v, want %d %d %d %d %v", src, p, glt, ggt, gs, ge, got, wlt, wgt, ws, we, want)
	}
}

// TestSplitMatchesPrev: split gives splitPrev's split on random columns
// and pivots.
func TestSplitMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(73, 3))
	for range 20000 {
		src, p := drawPairSplit(r)
		checkPairSplit(t, src, p)
	}
	checkPairSplit(t, nil, 0)
	checkPairSplit(t, []scored{{0, 1}, {1<<62 - 1, 2}}, 0)
	checkPairSplit(t, []scored{{0, 1}, {1<<62 - 1, 2}}, 1<<62-1)
}

// FuzzSplitPrev compares split with splitPrev on columns drawn from the
// fuzz bytes.
func FuzzSplitPrev(f *testing.F) {
	seedCorpus(f, 19)
	f.Fuzz(func(t *testing.T, b []byte) {
		src, p := drawPairSplit(&byteSource{b})
		checkPairSplit(t, src, p)
	})
}

// medianBucketColumnPrev is medianBucketColumn before its buckets were
// spread from 0 by a sample: it sweeps the column for its extreme keys
// and spreads medianBuckets buckets between them.
func medianBucketColumnPrev(w, scratch []uint64, hist *[medianBuckets]int64, m int64) int64 {
	if len(w) < medianBucketMin {
		return medianPackedColumn(w, scratch, m)
	}
	lo, hi := w[0], w[0]
	lo2, hi2 := lo, hi
	for k := 1; k < len(w); k += 2 {
		x, y := w[k-1], w[k]
		lo, hi = min(lo, x), max(hi, x)
		lo2, hi2 = min(lo2, y), max(hi2, y)
	}
	lo, hi = min(lo, lo2, w[len(w)-1]), max(hi, hi2, w[len(w)-1])
	kb := lo >> 32 << 32
	sh := uint(max(bits.Len64(hi>>32-lo>>32)-6, 0)+32) & 63
	clear(hist[:])
	for _, x := range w {
		hist[(x-kb)>>sh&(medianBuckets-1)] += int64(uint32(x))
	}
	var base int64
	t := 0
	for ; t < medianBuckets && base+hist[t] <= m; t++ {
		base += hist[t]
	}
	if t == medianBuckets {
		return int64(hi >> 32)
	}
	from, width := kb+uint64(t)<<sh, uint64(1)<<sh
	sub := scratch[:len(w)]
	k := 0
	for _, x := range w {
		sub[k] = x
		k += int(b2i(x-from < width))
	}
	return medianPackedColumn(sub[:k], w[:k], m-base)
}

// checkBucketPrev compares medianBucketColumn with medianBucketColumnPrev
// on one column.
func checkBucketPrev(t *testing.T, pairs []scored, minority int64) {
	t.Helper()
	keys := make([]uint64, len(pairs))
	for k, x := range pairs {
		keys[k] = uint64(x.score)<<32 | uint64(x.stake)
	}
	var h1 [medianBuckets]int64
	var h2 bucketHist
	want := medianBucketColumnPrev(slices.Clone(keys), make([]uint64, len(keys)), &h1, minority)
	got := medianBucketColumn(slices.Clone(keys), make([]uint64, len(keys)), &h2, minority)
	if got != want {
		t.Fatalf("pairs %v minority %d: %d, medianBucketColumnPrev %d", pairs, minority, got, want)
	}
}

// TestMedianBucketColumnMatchesPrev: medianBucketColumn gives
// medianBucketColumnPrev's median on random columns (bucketColumn) and on
// columns whose scores outrun the sample's (the last bucket), leave the
// first buckets empty, or meet a negative minority.
func TestMedianBucketColumnMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(48, 2))
	for range 5000 {
		pairs, m := bucketColumn(r)
		checkBucketPrev(t, pairs, m)
	}
	for range 2000 {
		pairs, m := bucketColumn(r)
		// Raise the pairs off the sample's positions (k mod len/8 ≠ 0)
		// far above the sample's largest score, or lower them to 0.
		d := len(pairs) / 8
		for k := range pairs {
			if k%d != 0 && r.IntN(3) == 0 {
				if r.IntN(2) == 0 {
					pairs[k].score = min(pairs[k].score*int64(2+r.IntN(1000)), 1<<32-1)
				} else {
					pairs[k].score = 0
				}
			}
		}
		checkBucketPrev(t, pairs, m)
		checkBucketPrev(t, pairs, -1-int64(r.IntN(1000)))
	}
}

// FuzzMedianBucketColumnPrev compares medianBucketColumn with
// medianBucketColumnPrev on columns drawn from the fuzz bytes.
func FuzzMedianBucketColumnPrev(f *testing.F) {
	seedCorpus(f, 15)
	f.Fuzz(func(t *testing.T, b []byte) {
		pairs, m := bucketColumn(&byteSource{b})
		checkBucketPrev(t, pairs, m)
	})
}

// The kernels of issue 14's round, kept as the references of their
// replacements: clipZipBelowPrev (now clipBelowCells and zipBelowCells),
// u16ProportionsPrev (now four elements at a time) and
// medianBucketColumnScan (its bucket now gathered by a chain, not by a
// sweep of the column).

// clipZipBelowPrev is clipZipBelow as one loop.
func clipZipBelowPrev(out, r []entry, b []Entry, c []fixed.I32F32, a, al uint64, inc, colSum []fixed.I32F32) (rowSum, bad int64) {
	r = r[:len(out)]
	b = b[:len(out)]
	inc = inc[:len(c)]
	colSum = colSum[:len(c)]
	for t := range out {
		e := r[t]
		j := int(e.j)
		w, th := e.v.Bits(), c[j].Bits()
		v := min(w, th)
		rowSum += v
		inc[j] = fixed.I32F32FromBits(inc[j].Bits() + int64((a*uint64(v))>>32))
		x := uint64(b[t].Value)
		m := int64((al*uint64(v))>>32 + ((1<<32-al)*(x*65537+(x+1)>>16))>>32)
		out[t] = entry{e.j, fixed.I32F32FromBits(m)}
		bad |= w&((th-1)>>63) | int64(e.j^uint16(b[t].UID)) | (m-1)>>63
		colSum[j] = fixed.I32F32FromBits(colSum[j].Bits() + m)
	}
	return rowSum, bad
}

// checkClipZipPrev compares clipZipBelow with clipZipBelowPrev on z: the
// row sum, the ranks, the EMA cells and the column sums, and bad's being
// zero.
func checkClipZipPrev(t *testing.T, z *clipZipCase) {
	t.Helper()
	n := len(z.row)
	gotInc, wantInc := slices.Clone(z.inc), slices.Clone(z.inc)
	gotSum, wantSum := slices.Clone(z.colSum), slices.Clone(z.colSum)
	got, want := slices.Clone(z.row), make([]entry, n)
	gs, gd, gb := clipZipBelow(make([]entry, n), got, z.bonds, z.c, z.a, z.al, gotInc, gotSum)
	ws, wb := clipZipBelowPrev(want, z.row, z.bonds, z.c, z.a, z.al, wantInc, wantSum)
	if gd != 0 {
		// A column of consensus 0: clipZipBelow stops after the
		// clipping, reporting the row bad (the caller merges it by the
		// general path), where clipZipBelowPrev reported it bad only
		// with a dropped cell.
		got, want, gotSum, wantSum = nil, nil, nil, nil
		gb, wb = 1, 1
	}
	if gs != ws || (gb == 0) != (wb == 0) || !slices.Equal(got, want) ||
		!slices.Equal(gotInc, wantInc) || !slices.Equal(gotSum, wantSum) {
		t.Fatalf("case %+v: sum %d bad %d cells %v ranks %v sums %v, want %d %d %v %v %v",
			z, gs, gb, got, gotInc, gotSum, ws, wb, want, wantInc, wantSum)
	}
}

// TestClipZipBelowMatchesPrev: clipZipBelow gives clipZipBelowPrev's
// results on random rows (drawClipZipCase: bond rows on the same columns
// or others, dropped cells, cells of 0, extreme rates) and on
// TestClipZipBelowEdgeCases' rows.
func TestClipZipBelowMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(71, 4))
	for range 5000 {
		z := drawClipZipCase(r)
		checkClipZipPrev(t, &z)
	}
	top := fixed.I32F32FromBits(1<<32 - 1)
	for _, z := range []clipZipCase{
		{c: []fixed.I32F32{one}, inc: []fixed.I32F32{zero}, colSum: []fixed.I32F32{zero}, a: 1 << 31, al: 1 << 31},
		{row: []entry{{0, zero}}, bonds: []Entry{{0, 0}}, c: []fixed.I32F32{one}, inc: []fixed.I32F32{zero}, colSum: []fixed.I32F32{half}, a: 1 << 31, al: 1 << 31},
		{row: []entry{{0, half}, {1, half}}, bonds: []Entry{{0, 9}, {1, 9}}, c: []fixed.I32F32{one, zero}, inc: make([]fixed.I32F32, 2), colSum: make([]fixed.I32F32, 2), a: 1<<32 - 1, al: 1},
		{row: []entry{{0, one}, {1, top}}, bonds: []Entry{{0, 65535}, {1, 65535}}, c: []fixed.I32F32{one, one}, inc: make([]fixed.I32F32, 2), colSum: []fixed.I32F32{fixed.I32F32FromBits(1 << 47), zero}, a: 1<<32 - 1, al: 1},
		{row: []entry{{0, one}, {1, top}}, bonds: []Entry{{0, 65535}, {1, 65535}}, c: []fixed.I32F32{one, one}, inc: make([]fixed.I32F32, 2), colSum: make([]fixed.I32F32, 2), a: 1<<32 - 1, al: 1<<32 - 1},
	} {
		checkClipZipPrev(t, &z)
	}
}

// FuzzClipZipBelowPrev compares clipZipBelow with clipZipBelowPrev on
// rows drawn from the fuzz bytes.
func FuzzClipZipBelowPrev(f *testing.F) {
	seedCorpus(f, 23)
	f.Fuzz(func(t *testing.T, b []byte) {
		z := drawClipZipCase(&byteSource{b})
		checkClipZipPrev(t, &z)
	})
}

// u16ProportionsPrev is u16Proportions element by element.
func u16ProportionsPrev(dst []uint16, src []fixed.I32F32) {
	dst = dst[:len(src)]
	for i, x := range src {
		if b := uint64(x.Bits()); b <= 1<<32 {
			dst[i] = uint16((b * 65535) >> 32)
		} else {
			dst[i] = x.U16Proportion()
		}
	}
}

// drawProportions draws a vector of up to 40 elements, mostly 0 or in
// [0, 1], with 1, 1 + 2^−32, values above 1 and negative ones among them.
func drawProportions(r bitSource) []fixed.I32F32 {
	x := make([]fixed.I32F32, r.IntN(41))
	for i := range x {
		switch r.IntN(10) {
		case 0, 1, 2, 3:
		case 4:
			x[i] = one
		case 5:
			x[i] = fixed.I32F32FromBits(1<<32 + 1)
		case 6:
			x[i] = fixed.I32F32FromBits(int64(r.IntN(1<<31)) << uint(r.IntN(33)))
		case 7:
			x[i] = fixed.I32F32FromBits(-1 - int64(r.IntN(1<<31)))
		default:
			x[i] = fixed.I32F32FromBits(int64(r.IntN(1<<31))*2 + int64(r.IntN(2)))
		}
	}
	return x
}

// checkProportions compares u16Proportions with u16ProportionsPrev on x.
func checkProportions(t *testing.T, x []fixed.I32F32) {
	t.Helper()
	got, want := make([]uint16, len(x)+3), make([]uint16, len(x)+3)
	u16Proportions(got, x)
	u16ProportionsPrev(want, x)
	if !slices.Equal(got, want) {
		t.Fatalf("%v: %v, want %v", x, got, want)
	}
}

// TestU16ProportionsMatchesPrev: u16Proportions gives u16ProportionsPrev's
// values on random vectors of every length up to 40 (groups of four and
// a tail) and on groups holding 1, 1 + 2^−32 or a negative element
// beside values in [0, 1).
func TestU16ProportionsMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(73, 6))
	for range 5000 {
		checkProportions(t, drawProportions(r))
	}
	for _, special := range []fixed.I32F32{one, fixed.I32F32FromBits(1<<32 + 1), fixed.I32F32FromBits(-1), fixed.I32F32FromBits(math.MaxInt64)} {
		for at := range 9 {
			x := make([]fixed.I32F32, 9)
			for i := range x {
				x[i] = fixed.I32F32FromBits(int64(i+1) << 28)
			}
			x[at] = special
			checkProportions(t, x)
		}
	}
}

// FuzzU16Proportions compares u16Proportions with u16ProportionsPrev on
// vectors drawn from the fuzz bytes.
func FuzzU16Proportions(f *testing.F) {
	seedCorpus(f, 29)
	f.Fuzz(func(t *testing.T, b []byte) {
		checkProportions(t, drawProportions(&byteSource{b}))
	})
}

// medianBucketColumnScan is medianBucketColumn gathering its bucket's
// keys by a sweep of the column, each key's bucket tested.
func medianBucketColumnScan(w, scratch []uint64, hist *[medianBuckets]int64, m int64) int64 {
	if len(w) < medianBucketMin || m < 0 {
		return medianPackedColumn(w, scratch, m)
	}
	d := len(w) / 8
	top := max(w[0], w[d], w[2*d], w[3*d], w[4*d], w[5*d], w[6*d], w[7*d])
	sh := uint(max(bits.Len64(top>>32)-6, 0)+32) & 63
	clear(hist[:])
	for _, x := range w {
		hist[min(x>>sh, medianBuckets-1)] += int64(uint32(x))
	}
	var base int64
	t := 0
	for ; t < medianBuckets && base+hist[t] <= m; t++ {
		base += hist[t]
	}
	if t == medianBuckets {
		hi := w[0]
		for _, x := range w {
			hi = max(hi, x)
		}
		return int64(hi >> 32)
	}
	from, width := uint64(t)<<sh, uint64(1)<<sh
	if t == medianBuckets-1 {
		width = -from
	}
	sub := scratch[:len(w)]
	k := 0
	for _, x := range w {
		sub[k] = x
		k += int(b2i(x-from < width))
	}
	return medianPackedColumn(sub[:k], w[:k], m-base)
}

// checkBucketScan compares medianBucketColumn with medianBucketColumnScan
// on one column, the chains' heads and the buckets' stakes left stale by
// an earlier column.
func checkBucketScan(t *testing.T, pairs []scored, minority int64) {
	t.Helper()
	keys := make([]uint64, len(pairs))
	for k, x := range pairs {
		keys[k] = uint64(x.score)<<32 | uint64(x.stake)
	}
	var h1 [medianBuckets]int64
	var h2 bucketHist
	for k := range h2.head {
		h2.head[k], h2.stake[k] = uint32(3*k+1), int64(k)
	}
	want := medianBucketColumnScan(slices.Clone(keys), make([]uint64, len(keys)), &h1, minority)
	got := medianBucketColumn(slices.Clone(keys), make([]uint64, len(keys)), &h2, minority)
	if got != want {
		t.Fatalf("pairs %v minority %d: %d, medianBucketColumnScan %d", pairs, minority, got, want)
	}
}

// TestMedianBucketColumnMatchesScan: medianBucketColumn gives
// medianBucketColumnScan's median on random columns (bucketColumn), on
// columns with many keys in one bucket (few score levels) and in the
// last bucket, and with a negative minority.
func TestMedianBucketColumnMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(79, 8))
	for range 5000 {
		pairs, m := bucketColumn(r)
		checkBucketScan(t, pairs, m)
	}
	for range 2000 {
		pairs, m := bucketColumn(r)
		d := len(pairs) / 8
		level := int64(1 + r.IntN(1<<31))
		for k := range pairs {
			switch r.IntN(3) {
			case 0:
				pairs[k].score = level // one bucket for many keys
			case 1:
				if k%d != 0 {
					pairs[k].score = 1<<32 - 1 - int64(r.IntN(4)) // the last bucket
				}
			}
		}
		checkBucketScan(t, pairs, m)
		checkBucketScan(t, pairs, -1-int64(r.IntN(1000)))
	}
}

// FuzzMedianBucketColumnScan compares medianBucketColumn with
// medianBucketColumnScan on columns drawn from the fuzz bytes.
func FuzzMedianBucketColumnScan(f *testing.F) {
	seedCorpus(f, 31)
	f.Fuzz(func(t *testing.T, b []byte) {
		pairs, m := bucketColumn(&byteSource{b})
		checkBucketScan(t, pairs, m)
	})
}

// zipBelowCellsPrev is zipBelowCells before its stored bond's term became
// (x·k)>>32 + (x+1)>>16: u16Bits(x) in full, then (u·2^32 − al·u)>>32.
func zipBelowCellsPrev(out []entry, b []Entry, colSum []fixed.I32F32, al uint64) (bad int64) {
	b = b[:len(out)]
	for t := range out {
		p := &out[t]
		j := p.j
		x := uint64(b[t].Value)
		u := x<<16 | x + (x+1)>>16
		m := int64((al*uint64(p.v.Bits()))>>32 + (u<<32-al*u)>>32)
		p.v = fixed.I32F32FromBits(m)
		bad |= int64(j^uint16(b[t].UID)) | (m-1)>>63
		colSum[j] = fixed.I32F32FromBits(colSum[j].Bits() + m)
	}
	return bad
}

// checkZipBelowCells runs zipBelowCells and zipBelowCellsPrev on copies of
// the same cells and compares the cells, the column sums and bad.
func checkZipBelowCells(t *testing.T, out []entry, b []Entry, colSum []fixed.I32F32, al uint64) {
	t.Helper()
	gotOut, wantOut := slices.Clone(out), slices.Clone(out)
	gotSum, wantSum := slices.Clone(colSum), slices.Clone(colSum)
	got, want := zipBelowCells(gotOut, b, gotSum, al, (1<<32-al)*65537), zipBelowCellsPrev(wantOut, b, wantSum, al)
	if got != want || !slices.Equal(gotOut, wantOut) || !slices.Equal(gotSum, wantSum) {
		t.Fatalf("zipBelowCells(al=%d) = %d %v %v, want %d %v %v", al, got, gotOut, gotSum, want, wantOut, wantSum)
	}
}

// TestZipBelowCellsMatchesPrev compares zipBelowCells with the loop it
// replaced for every stored bond x with rates at both ends and random
// ones, and for random rows (fixed seed).
func TestZipBelowCellsMatchesPrev(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	als := []uint64{1, 2, 1 << 31, 1<<32 - 2, 1<<32 - 1, rng.Uint64N(1<<32-1) + 1}
	out := make([]entry, 1<<16)
	b := make([]Entry, 1<<16)
	colSum := make([]fixed.I32F32, 1<<16)
	for x := range out {
		out[x] = entry{uint16(x), fixed.I32F32FromBits(int64(rng.Uint64N(1<<32 + 1)))}
		b[x] = Entry{units.UID(x), uint16(x)}
	}
	out[0].v, out[1].v = zero, fixed.I32F32FromBits(1<<32)
	for _, al := range als {
		checkZipBelowCells(t, out, b, colSum, al)
	}
	n := 2000
	if testing.Short() {
		n = 200
	}
	for range n {
		k := rng.IntN(40)
		out, b := out[:k], b[:k]
		for t := range k {
			j := uint16(rng.IntN(64))
			out[t] = entry{j, fixed.I32F32FromBits(int64(rng.Uint64N(1<<32 + 1)))}
			b[t] = Entry{units.UID(j ^ uint16(b2i(rng.IntN(50) == 0))), uint16(rng.Uint32())}
			if rng.IntN(8) == 0 {
				b[t].Value = 65535 - uint16(rng.IntN(2))
			}
		}
		checkZipBelowCells(t, out, b, colSum[:64], rng.Uint64N(1<<32-1)+1)
	}
}

// FuzzZipBelowCells compares zipBelowCells with zipBelowCellsPrev on one
// cell.
func FuzzZipBelowCells(f *testing.F) {
	f.Add(uint64(1), uint64(0), uint16(65535))
	f.Add(uint64(1<<32-1), uint64(1<<32), uint16(65534))
	f.Fuzz(func(t *testing.T, al, v uint64, x uint16) {
		al = al%(1<<32-1) + 1
		out := []entry{{3, fixed.I32F32FromBits(int64(v % (1<<32 + 1)))}}
		checkZipBelowCells(t, out, []Entry{{3, x}}, make([]fixed.I32F32, 4), al)
	})
}
