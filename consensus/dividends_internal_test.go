package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// The references of dividendRowBelow are dividendRowUnit, which the epoch
// still takes when an incentive is exactly 1, and dividendRow, the general
// form (mat_vec_mul_sparse on the column-normalised bonds, row_sum_sparse).

// drawDividendCase draws Yuma 3 EMA bonds as the builders leave them
// (positive cells in ascending columns below n, mostly in (0, 1), some of
// 1 or above), their saturating column sums, and incentives in [0, 1).
func drawDividendCase(r bitSource) (m matrix, colSum, inc []fixed.I32F32) {
	n := 1 + r.IntN(30)
	rows := r.IntN(12)
	m.begin(rows, 0)
	for i := range rows {
		start := len(m.buf)
		for j := range n {
			if r.IntN(3) == 0 {
				continue
			}
			var v int64
			switch r.IntN(10) {
			case 0:
				v = 1 << 32
			case 1:
				v = 1<<32 + int64(r.IntN(1<<30))
			default:
				v = 1 + int64(r.IntN(1<<31))*2
			}
			m.push(uint16(j), fixed.I32F32FromBits(v))
		}
		m.end(i, start)
	}
	colSum = make([]fixed.I32F32, n)
	colSums(&m, colSum)
	inc = make([]fixed.I32F32, n)
	for j := range inc {
		switch r.IntN(5) {
		case 0:
		case 1:
			inc[j] = fixed.I32F32FromBits(1<<32 - 1)
		default:
			inc[j] = fixed.I32F32FromBits(int64(r.IntN(1 << 31)))
		}
	}
	return m, colSum, inc
}

// checkDividendCase compares dividendRowBelow with dividendRowUnit and
// dividendRow on every row, storing the bonds and not.
func checkDividendCase(t *testing.T, m *matrix, colSum, inc []fixed.I32F32) {
	t.Helper()
	div := make([]fixed.Uint64Divisor, len(colSum))
	for j, s := range colSum {
		if !s.IsZero() {
			div[j] = fixed.NewUint64Divisor(uint64(s.Bits()))
		}
	}
	for i, r := range m.rows {
		for _, store := range []bool{false, true} {
			var got, unit, gen []Entry
			if store {
				got, unit, gen = make([]Entry, len(r)), make([]Entry, len(r)), make([]Entry, len(r))
			}
			tg := dividendRowBelow(got, r, colSum, testTerms(colSum, inc))
			tu := dividendRowUnit(unit, r, colSum, inc, div)
			tr := dividendRow(gen, r, colSum, inc)
			if tg != tu || tg != tr || !slices.Equal(got, unit) || !slices.Equal(got, gen) {
				t.Fatalf("row %d %v (store %v): %v %v, unit %v %v, general %v %v\ncolSum %v inc %v",
					i, r, store, tg, got, tu, unit, tr, gen, colSum, inc)
			}
		}
	}
}

// TestDividendRowBelowMatchesReference: dividendRowBelow gives
// dividendRowUnit's and dividendRow's dividends and stored bonds.
func TestDividendRowBelowMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 7))
	for range 3000 {
		m, colSum, inc := drawDividendCase(r)
		checkDividendCase(t, &m, colSum, inc)
	}
}

// TestDividendRowBelowEdgeCases: a lone bond (quotient exactly 1) under
// the largest incentive below 1, and a cell of 1 among others.
func TestDividendRowBelowEdgeCases(t *testing.T) {
	build := func(rows ...[]entry) matrix {
		var m matrix
		m.begin(len(rows), 0)
		for i, r := range rows {
			start := len(m.buf)
			m.buf = append(m.buf, r...)
			m.end(i, start)
		}
		return m
	}
	top := fixed.I32F32FromBits(1<<32 - 1)
	m := build([]entry{{0, one}, {1, half}}, []entry{{1, half}, {2, fixed.I32F32FromBits(1)}}, nil)
	colSum := make([]fixed.I32F32, 3)
	colSums(&m, colSum)
	checkDividendCase(t, &m, colSum, []fixed.I32F32{top, top, top})
	checkDividendCase(t, &m, colSum, []fixed.I32F32{zero, fixed.I32F32FromBits(1), half})
}

// FuzzDividendRowBelow compares dividendRowBelow with dividendRowUnit
// and dividendRow on bonds drawn from the fuzz bytes.
func FuzzDividendRowBelow(f *testing.F) {
	f.Add([]byte{})
	r := rand.New(rand.NewPCG(2, 8))
	for range 8 {
		b := make([]byte, 1024)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, colSum, inc := drawDividendCase(&byteSource{b})
		checkDividendCase(t, &m, colSum, inc)
	})
}

// testTerms is divTerms into a new slice.
func testTerms(colSum, inc []fixed.I32F32) []divTerm {
	terms := make([]divTerm, len(colSum))
	divTerms(terms, colSum, inc)
	return terms
}
