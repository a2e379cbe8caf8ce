package consensus

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// TestAlignedLayout pins the layouts aligned_amd64.s reads: an entry is j
// at 0 and v at 8, 16 bytes; an Entry 4 bytes, uid then value; a
// fixed.Uint64Divisor 16 bytes (d then r, which the kernels' agreement
// with the Go kernels checks).
func TestAlignedLayout(t *testing.T) {
	var e entry
	if unsafe.Sizeof(e) != 16 || unsafe.Offsetof(e.j) != 0 || unsafe.Offsetof(e.v) != 8 {
		t.Fatalf("entry: size %d, j at %d, v at %d", unsafe.Sizeof(e), unsafe.Offsetof(e.j), unsafe.Offsetof(e.v))
	}
	var b Entry
	if unsafe.Sizeof(b) != 4 || unsafe.Offsetof(b.UID) != 0 || unsafe.Offsetof(b.Value) != 2 {
		t.Fatalf("Entry: size %d, UID at %d, Value at %d", unsafe.Sizeof(b), unsafe.Offsetof(b.UID), unsafe.Offsetof(b.Value))
	}
	if s := unsafe.Sizeof(fixed.Uint64Divisor{}); s != 16 {
		t.Fatalf("fixed.Uint64Divisor: size %d", s)
	}
}

// alignedCase is a row of blocks of eight cells on distinct columns with
// the operands of its columns, at the cells' indexes.
type alignedCase struct {
	r    []entry
	cols []uint64
	divs []fixed.Uint64Divisor
	inc  []uint64
}

// drawAlignedCase draws a row of 8·blocks cells whose raw bits are any
// 64-bit word one time in eight and otherwise below 2^32 (edges among
// them: 0, 1, 2^32 − 1, 2^32, 2^32 + 1, −1), divisors of any word (0
// among them) and incentives of any word: the vector kernel must give
// the Go kernel's bits on every input, valid for the epoch or not. The
// entries' padding holds garbage, which no kernel may read.
func drawAlignedCase(r *rand.Rand, blocks int) alignedCase {
	n := 8 * blocks
	c := alignedCase{r: make([]entry, n), cols: make([]uint64, n), divs: make([]fixed.Uint64Divisor, n), inc: make([]uint64, n)}
	// Distinct columns up to 511·127 < 2^16.
	js, scale := r.Perm(512)[:n], 1+r.IntN(127)
	for k := range js {
		js[k] *= scale
	}
	edges := []uint64{0, 1, 1<<32 - 1, 1 << 32, 1<<32 + 1, math.MaxUint64, 1 << 63}
	word := func(below uint64) uint64 {
		switch r.IntN(8) {
		case 0:
			return r.Uint64()
		case 1:
			return edges[r.IntN(len(edges))]
		}
		return r.Uint64N(below)
	}
	for k := range n {
		c.r[k] = entry{uint16(js[k]), fixed.I32F32FromBits(int64(word(1 << 32)))}
		c.cols[k] = uint64(js[k])
		c.divs[k] = fixed.NewUint64Divisor(word(1 << 40))
		c.inc[k] = word(1 << 32)
	}
	// Garbage in every entry's padding (bytes 2 to 7).
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&c.r[0])), n*16)
	for k := range n {
		binary.LittleEndian.PutUint32(raw[16*k+2:], r.Uint32()|1)
		binary.LittleEndian.PutUint16(raw[16*k+6:], uint16(r.Uint32()))
	}
	return c
}

// checkDividendCellsAligned compares dividendCellsAligned (the vector
// kernel where the processor has one) with dividendCellsAlignedGo on c,
// and, when every cell lies below 1, with dividendCellsBelow on the
// columns' divTerms: the same sum, OR, report and stores. A row made
// misaligned (one column changed) must be reported false by both, with
// nothing written.
func checkDividendCellsAligned(t *testing.T, c alignedCase, flip int, terms []divTerm) {
	t.Helper()
	n := len(c.r)
	got, want := make([]Entry, n), make([]Entry, n)
	tg, og, okg := dividendCellsAligned(got, c.r, c.cols, c.divs, c.inc)
	tw, ow, okw := dividendCellsAlignedGo(want, c.r, c.cols, c.divs, c.inc)
	if tg != tw || og != ow || okg != okw || !okg || !slices.Equal(got, want) {
		t.Fatalf("row %v: %d %#x %v %v, want %d %#x %v %v", c.r, tg, og, okg, got, tw, ow, okw, want)
	}
	if ow>>32 == 0 {
		for k, e := range c.r {
			terms[e.j] = divTerm{c.divs[k], c.inc[k]}
		}
		below := make([]Entry, n)
		tb, kb := dividendCellsBelow(below, c.r, terms)
		if tb != tw || kb != n || !slices.Equal(below, want) {
			t.Fatalf("row %v: %d %d %v, dividendCellsBelow %d %d %v", c.r, tw, n, want, tb, kb, below)
		}
	}
	cols := slices.Clone(c.cols)
	cols[flip%n] ^= 1 + uint64(flip)%0xfffe
	for _, f := range []func([]Entry, []entry, []uint64, []fixed.Uint64Divisor, []uint64) (int64, uint64, bool){
		dividendCellsAligned, dividendCellsAlignedGo,
	} {
		dst := make([]Entry, n)
		if tm, om, ok := f(dst, c.r, cols, c.divs, c.inc); ok || tm != 0 || om != 0 || slices.ContainsFunc(dst, func(e Entry) bool { return e != Entry{} }) {
			t.Fatalf("row %v on columns %v: %d %#x %v %v, want 0 0 false and no store", c.r, cols, tm, om, ok, dst)
		}
	}
}

// TestDividendCellsAligned: the aligned dividend kernel (AVX-512 where
// the processor has it, alignedAVX512) agrees with its Go form on any
// input, and both with dividendCellsBelow on rows below 1, for rows of 1
// to 9 blocks, each with a misaligned copy.
func TestDividendCellsAligned(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 5))
	t.Logf("alignedAVX512 %v", alignedAVX512)
	terms := make([]divTerm, 1<<16)
	for i := range 5000 {
		checkDividendCellsAligned(t, drawAlignedCase(r, 1+i%9), r.IntN(1<<16), terms)
	}
}

// FuzzDividendCellsAligned is TestDividendCellsAligned on rows drawn from
// the fuzzer's seed.
func FuzzDividendCellsAligned(f *testing.F) {
	f.Add(uint64(1), uint8(1), uint16(3))
	f.Add(uint64(99), uint8(4), uint16(31))
	f.Fuzz(func(t *testing.T, seed uint64, blocks uint8, flip uint16) {
		r := rand.New(rand.NewPCG(seed, seed>>7))
		checkDividendCellsAligned(t, drawAlignedCase(r, 1+int(blocks%64)), int(flip), make([]divTerm, 1<<16))
	})
}

// TestDividendRowAligned: on dividend rows of any length (drawDividendCase
// widened to eight columns or more), dividendRowAligned gives
// dividendRowBelow's term and stored bonds on the rows aligned with the
// first row of eight cells or more, and reports false, with nothing
// written, on the others.
func TestDividendRowAligned(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 3))
	aligned := 0
	for range 3000 {
		m, colSum, inc := drawDividendCase(r)
		for j := range inc {
			if uint64(inc[j].Bits()) >= 1<<32 {
				inc[j] = fixed.I32F32FromBits(1<<32 - 1) // dividendRowBelow's bound
			}
		}
		// Rows that repeat the first row's columns, with other values.
		if len(m.rows) > 0 && len(m.rows[0]) > 0 && r.IntN(2) == 0 {
			ref := m.rows[0]
			for i := 1; i < len(m.rows); i++ {
				if r.IntN(3) != 0 && len(m.rows[i]) == len(ref) {
					for k := range ref {
						m.rows[i][k].j = ref[k].j
					}
				}
			}
			colSums(&m, colSum)
		}
		terms := testTerms(colSum, inc)
		var a alignedTerms
		live := make([]int32, len(m.rows))
		for i := range live {
			live[i] = int32(i)
		}
		if !a.alignTerms(m.rows, live, terms) {
			continue
		}
		for _, row := range m.rows {
			got, want := make([]Entry, len(row)), make([]Entry, len(row))
			tg, ok := dividendRowAligned(got, row, colSum, terms, &a)
			if !ok {
				if slices.ContainsFunc(got, func(e Entry) bool { return e != Entry{} }) {
					t.Fatalf("row %v: misaligned, but stored %v", row, got)
				}
				continue
			}
			aligned++
			tw := dividendRowBelow(want, row, colSum, terms)
			if tg != tw || !slices.Equal(got, want) {
				t.Fatalf("row %v: %v %v, want %v %v", row, tg, got, tw, want)
			}
		}
	}
	if aligned < 1000 {
		t.Fatalf("only %d aligned rows", aligned)
	}
}

// clipCase is an aligned row with the consensus and ranks of its
// columns at the cells' indexes, the row's stored bonds (on its columns,
// but where a case draws another uid) and the EMA's operands.
type clipCase struct {
	alignedCase
	c, inc, acc []int64
	b           []Entry
	a, al, k    uint64
}

// drawClipCase draws clipCellsAligned's and zipCellsAligned's operands
// for a row of 8·blocks + tail cells: any 64-bit words one time in eight
// (the vector kernels must give the Go kernels' bits on every input),
// and otherwise the epoch's ranges (consensus and weights in [0, 1],
// a below 2^32, al strictly between 0 and 2^32).
func drawClipCase(r *rand.Rand, blocks, tail int) clipCase {
	x := drawAlignedCase(r, blocks+1)
	n := 8*blocks + tail
	x.r, x.cols = x.r[:n], x.cols[:n]
	c := clipCase{alignedCase: x, c: make([]int64, n), inc: make([]int64, n), acc: make([]int64, n), b: make([]Entry, n)}
	word := func(below uint64) uint64 {
		if r.IntN(8) == 0 {
			return r.Uint64()
		}
		return r.Uint64N(below)
	}
	for k := range n {
		c.c[k] = int64(word(1<<32 + 1))
		c.inc[k], c.acc[k] = int64(r.Uint64()), int64(r.Uint64())
		c.b[k] = Entry{UID: units.UID(x.cols[k]), Value: uint16(r.Uint32())}
		if r.IntN(50) == 0 {
			c.b[k].UID ^= units.UID(1 + r.IntN(0xffff))
		}
		if r.IntN(8) == 0 {
			c.b[k].Value = []uint16{0, 1, 0xfffe, 0xffff}[r.IntN(4)]
		}
	}
	c.a, c.al = word(1<<32), 1+r.Uint64N(1<<32-1)
	c.k = (1<<32 - c.al) * 65537
	return c
}

// checkClipZipAligned runs clipCellsAligned then zipCellsAligned (the
// vector kernels where the processor has them) and, on copies, the Go
// kernels (clipCellsGo, zipCellsAlignedGo) and, on the row's own
// columns, clipBelowCells and zipBelowCells: the same rows, saves,
// ranks, column sums, row sum, least consensus and cell, and bad. A row
// made misaligned must be reported false, with nothing written.
//
// vs are three vectors of 2^16 zeros, which it leaves so.
func checkClipZipAligned(t *testing.T, c clipCase, flip int, vs *[3][]fixed.I32F32) {
	t.Helper()
	n := len(c.r)
	ac := &alignedClip{cols: c.cols, c: slices.Clone(c.c), inc: slices.Clone(c.inc), acc: slices.Clone(c.acc)}
	r, save := slices.Clone(c.r), make([]entry, n)
	sum, least, ok := clipCellsAligned(save, r, c.a, ac)
	if !ok {
		t.Fatalf("row %v: not aligned with its own columns", c.r)
	}
	cols, zl := zipCellsAligned(r, c.b, c.al, c.k, ac)

	// The Go kernels.
	rg, saveg, incg, accg := slices.Clone(c.r), make([]entry, n), slices.Clone(c.inc), slices.Clone(c.acc)
	sumg, leastg, okg := clipCellsGo(saveg, rg, c.cols, c.c, c.a, incg)
	colsg, zlg := zipCellsAlignedGo(rg, c.b, accg, c.al, c.k)
	if !okg || sum != sumg || least != leastg || cols != colsg || zl != zlg ||
		!slices.Equal(r, rg) || !slices.Equal(save, saveg) || !slices.Equal(ac.inc, incg) || !slices.Equal(ac.acc, accg) {
		t.Fatalf("row %v: %d %d %#x %d, Go kernels %d %d %#x %d", c.r, sum, least, cols, zl, sumg, leastg, colsg, zlg)
	}

	// The kernels for any row, on the columns' full vectors.
	full := func(v []fixed.I32F32, x []int64) []fixed.I32F32 {
		for k, j := range c.cols {
			v[j] = fixed.I32F32FromBits(x[k])
		}
		return v
	}
	cv, incv, accv := full(vs[0], c.c), full(vs[1], c.inc), full(vs[2], c.acc)
	defer func() {
		for _, j := range c.cols {
			cv[j], incv[j], accv[j] = zero, zero, zero
		}
	}()
	rs, saves := slices.Clone(c.r), make([]entry, n)
	sums, drop := clipBelowCells(saves, rs, cv, c.a, incv)
	bad := zipBelowCells(rs, c.b, accv, c.al, c.k)
	if sums != sum || drop != (least-1)>>63 || bad != int64(cols)|(zl-1)>>63 || !slices.Equal(rs, r) {
		t.Fatalf("row %v: %d %d %d, clipBelowCells and zipBelowCells %d %d %d", c.r, sum, (least-1)>>63, int64(cols)|(zl-1)>>63, sums, drop, bad)
	}
	for k, j := range c.cols {
		if saves[k].v != save[k].v || incv[j].Bits() != ac.inc[k] || accv[j].Bits() != ac.acc[k] {
			t.Fatalf("row %v, cell %d: save %v inc %d acc %d, want %v %d %d", c.r, k, save[k].v, ac.inc[k], ac.acc[k], saves[k].v, incv[j].Bits(), accv[j].Bits())
		}
	}

	// Misaligned: one column changed, anywhere in the row.
	cols2 := slices.Clone(c.cols)
	cols2[flip%n] ^= 1 + uint64(flip)%0xfffe
	ac2 := &alignedClip{cols: cols2, c: slices.Clone(c.c), inc: slices.Clone(c.inc), acc: slices.Clone(c.acc)}
	r2, save2 := slices.Clone(c.r), make([]entry, n)
	if _, _, ok := clipCellsAligned(save2, r2, c.a, ac2); ok || !slices.Equal(r2, c.r) ||
		slices.ContainsFunc(save2, func(e entry) bool { return e != entry{} }) || !slices.Equal(ac2.inc, c.inc) {
		t.Fatalf("row %v on columns %v: reported aligned, or written", c.r, cols2)
	}
}

// TestClipZipAligned: the aligned clip and EMA kernels (AVX-512 where
// the processor has it) agree with their Go forms on any input and with
// clipBelowCells and zipBelowCells, on rows of 0 to 9 blocks and a tail
// of 0 to 7 cells, each with a misaligned copy.
func TestClipZipAligned(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 31))
	vs := zeroVectors()
	for i := range 3000 {
		blocks, tail := i%10, r.IntN(8)
		if blocks == 0 && tail == 0 {
			tail = 1
		}
		checkClipZipAligned(t, drawClipCase(r, blocks, tail), r.IntN(1<<16), vs)
	}
}

// FuzzClipZipAligned is TestClipZipAligned on rows drawn from the
// fuzzer's seed.
func FuzzClipZipAligned(f *testing.F) {
	f.Add(uint64(5), uint8(4), uint8(0), uint16(9))
	f.Add(uint64(77), uint8(1), uint8(3), uint16(1))
	f.Fuzz(func(t *testing.T, seed uint64, blocks, tail uint8, flip uint16) {
		r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		b, tl := int(blocks%40), int(tail%8)
		if b == 0 && tl == 0 {
			tl = 1
		}
		checkClipZipAligned(t, drawClipCase(r, b, tl), int(flip), zeroVectors())
	})
}

// zeroVectors returns three vectors of 2^16 zeros, a column vector for
// every uid.
func zeroVectors() *[3][]fixed.I32F32 {
	return &[3][]fixed.I32F32{make([]fixed.I32F32, 1<<16), make([]fixed.I32F32, 1<<16), make([]fixed.I32F32, 1<<16)}
}

// TestKeyCellsAligned: the aligned keying kernel (AVX-512 where the
// processor has it) agrees with keyCellsGo, and keyCellsGo with
// fixed.U16Divisor.Quo cell by cell, on rows of 1 to 8 blocks with
// divisors of totals from 0 to beyond 2^48, and both report a misaligned
// row, writing nothing.
func TestKeyCellsAligned(t *testing.T) {
	r := rand.New(rand.NewPCG(71, 2))
	for i := range 4000 {
		n := 8 * (1 + i%8)
		row, cols := make([]Entry, n), make([]uint64, n)
		js, scale := r.Perm(512)[:n], 1+r.IntN(127)
		for k := range row {
			row[k] = Entry{units.UID(js[k] * scale), uint16(r.Uint32())}
			if r.IntN(8) == 0 {
				row[k].Value = []uint16{0, 1, 0xffff}[r.IntN(3)]
			}
			cols[k] = uint64(row[k].UID)
		}
		var total uint64
		switch r.IntN(6) {
		case 0:
			total = []uint64{0, 1, 2, 65535, 1<<31 - 1, 1<<48 - 1, 1 << 48, 1<<64 - 1}[r.IntN(8)]
		case 1:
			total = r.Uint64()
		default:
			for _, e := range row {
				total += uint64(e.Value)
			}
		}
		d := fixed.NewU16Divisor(total)
		st := r.Uint64N(1 << 32)
		out, keys := make([]entry, n), make([]uint64, n)
		or, ok := keyCellsBlocks(out, row, cols, &d, st, keys)
		outg, keysg := make([]entry, n), make([]uint64, n)
		org, okg := keyCellsGo(outg, row, cols, &d, st, keysg)
		if !ok || !okg || or != org || !slices.Equal(out, outg) || !slices.Equal(keys, keysg) {
			t.Fatalf("row %v total %d: %#x %v %v %v, keyCellsGo %#x %v %v %v", row, total, or, ok, out, keys, org, okg, outg, keysg)
		}
		for k, e := range row {
			sc := d.Quo(e.Value)
			if out[k].j != uint16(e.UID) || uint64(out[k].v.Bits()) != sc || keys[k] != sc<<32|st {
				t.Fatalf("row %v total %d, cell %d: %v %#x, want score %d", row, total, k, out[k], keys[k], sc)
			}
		}
		cols[r.IntN(n)] ^= 1 + uint64(r.IntN(0xfffe))
		for _, f := range []func([]entry, []Entry, []uint64, *fixed.U16Divisor, uint64, []uint64) (uint64, bool){keyCellsBlocks, keyCellsGo} {
			out2, keys2 := make([]entry, n), make([]uint64, n)
			if _, ok := f(out2, row, cols, &d, st, keys2); ok || slices.ContainsFunc(out2, func(e entry) bool { return e != entry{} }) ||
				slices.ContainsFunc(keys2, func(x uint64) bool { return x != 0 }) {
				t.Fatalf("row %v on columns %v: reported aligned, or written", row, cols)
			}
		}
	}
}
