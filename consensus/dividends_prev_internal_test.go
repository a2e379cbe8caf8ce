package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// dividendCellsBelowPrev is dividendCellsBelow before its test for a cell
// of 1 or more became one OR a cell, tested once after the loop: it
// stopped at the first such cell, returning its index, and stored each
// bond's uid and u16 apart.
func dividendCellsBelowPrev(dst []Entry, r []entry, terms []divTerm) (t int64, k int) {
	r = r[:len(dst)]
	for k := range dst {
		e := &r[k]
		b := uint64(e.v.Bits())
		if b >= 1<<32 {
			return t, k
		}
		j := e.j
		dst[k] = Entry{units.UID(j), uint16((b * 65535) >> 32)}
		c := &terms[j]
		t += int64((c.div.DivShl32(b) * c.inc) >> 32)
	}
	return t, len(r)
}

// checkDividendCellsPrev compares dividendCellsBelow with
// dividendCellsBelowPrev on every row of m: on a row whose cells all lie
// below 1, the same sum, the full length and the same stored bonds; on
// another, dividendCellsBelow reports (0, 0), for dividendRestBelow to
// take the row from its first cell, where dividendCellsBelowPrev stopped
// at the first cell of 1 or more. Either way the row's dividend through
// dividendRestBelow is the same.
func checkDividendCellsPrev(t *testing.T, m *matrix, colSum, inc []fixed.I32F32) {
	t.Helper()
	terms := testTerms(colSum, inc)
	for i, r := range m.rows {
		got, want := make([]Entry, len(r)), make([]Entry, len(r))
		tg, kg := dividendCellsBelow(got, r, terms)
		tw, kw := dividendCellsBelowPrev(want, r, terms)
		below := kw == len(r)
		if below && (tg != tw || kg != kw || !slices.Equal(got, want)) ||
			!below && (tg != 0 || kg != 0) {
			t.Fatalf("row %d %v: %d %d %v, want %d %d %v", i, r, tg, kg, got, tw, kw, want)
		}
		tg += dividendRestBelow(got, r, kg, colSum, terms)
		tw += dividendRestBelow(want, r, kw, colSum, terms)
		if tg != tw || !slices.Equal(got, want) {
			t.Fatalf("row %d %v: with the rest %d %v, want %d %v", i, r, tg, got, tw, want)
		}
	}
}

// TestDividendCellsBelowMatchesPrev: dividendCellsBelow agrees with
// dividendCellsBelowPrev (see checkDividendCellsPrev) on random bonds
// (drawDividendCase: mostly below 1, some of exactly 1 and above), and on
// rows of one cell each of 0, 2^32 − 1, 2^32 (exactly 1), 2^32 + 1 and a
// negative cell after cells below 1.
func TestDividendCellsBelowMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(37, 11))
	for range 3000 {
		m, colSum, inc := drawDividendCase(r)
		checkDividendCellsPrev(t, &m, colSum, inc)
	}
	for _, last := range []int64{0, 1<<32 - 1, 1 << 32, 1<<32 + 1, -1} {
		var m matrix
		m.begin(2, 0)
		m.push(0, fixed.I32F32FromBits(last))
		m.end(0, 0)
		m.push(0, half)
		m.push(1, fixed.I32F32FromBits(1))
		m.push(2, fixed.I32F32FromBits(last))
		m.end(1, 1)
		colSum := make([]fixed.I32F32, 3)
		colSums(&m, colSum)
		top := fixed.I32F32FromBits(1<<32 - 1)
		checkDividendCellsPrev(t, &m, colSum, []fixed.I32F32{top, half, top})
	}
}

// FuzzDividendCellsBelow compares dividendCellsBelow with
// dividendCellsBelowPrev on bonds drawn from the fuzz bytes.
func FuzzDividendCellsBelow(f *testing.F) {
	seedCorpus(f, 41)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, colSum, inc := drawDividendCase(&byteSource{b})
		checkDividendCellsPrev(t, &m, colSum, inc)
	})
}
