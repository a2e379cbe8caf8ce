package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// refClipRankPlain is clipRankTidy's plain path as it was before
// clipRankBelow: kept cells written in order, each product by mulUnit.
// It is the reference of TestClipRankBelowMatchesReference.
func refClipRankPlain(dst, r []entry, c []fixed.I32F32, a uint64, inc []fixed.I32F32) (int, fixed.I32F32) {
	var k int
	var rowSum int64
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

// drawClipRow draws (with bitSource bounds below 2^32) one tidy row (ascending columns below n, cells in
// [0, 1] with 0 and 1), consensus in [0, 1] with zeros and ones, an
// active stake in [0, 1) and ranks so far.
func drawClipRow(r bitSource) (row []entry, c, inc []fixed.I32F32, a uint64) {
	n := 1 + r.IntN(40)
	unit := func() fixed.I32F32 {
		switch r.IntN(6) {
		case 0:
			return zero
		case 1:
			return one
		default:
			return fixed.I32F32FromBits(int64(r.IntN(1<<31))*2 + int64(r.IntN(3))) // up to 2^32
		}
	}
	for j := range n {
		if r.IntN(2) == 0 {
			row = append(row, entry{uint16(j), unit()})
		}
	}
	c, inc = make([]fixed.I32F32, n), make([]fixed.I32F32, n)
	for j := range c {
		c[j] = unit()
		inc[j] = fixed.I32F32FromBits(int64(r.IntN(1<<30)) << 10)
	}
	a = uint64(r.IntN(1<<31))*2 + uint64(r.IntN(2))
	if r.IntN(5) == 0 {
		a = 1<<32 - 1
	}
	return row, c, inc, a
}

// checkClipRow compares clipRankBelow with refClipRankPlain on one row.
func checkClipRow(t *testing.T, row []entry, c, inc []fixed.I32F32, a uint64) {
	t.Helper()
	got, want := make([]entry, len(row)), make([]entry, len(row))
	gi, wi := slices.Clone(inc), slices.Clone(inc)
	gk, gs := clipRankBelow(got, row, c, a, gi)
	wk, ws := refClipRankPlain(want, row, c, a, wi)
	if gk != wk || gs != ws || !slices.Equal(got[:gk], want[:wk]) || !slices.Equal(gi, wi) {
		t.Fatalf("row %v c %v a %d: %d %v %v, want %d %v %v", row, c, a, gk, gs, got[:gk], wk, ws, want[:wk])
	}
}

// TestClipRankBelowMatchesReference: clipRankBelow gives the plain path's
// clipped row, row sum and ranks on random tidy rows, dropped cells
// included.
func TestClipRankBelowMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(40, 2))
	for range 5000 {
		row, c, inc, a := drawClipRow(r)
		checkClipRow(t, row, c, inc, a)
	}
}

// FuzzClipRankBelow compares clipRankBelow with refClipRankPlain on rows
// drawn from the fuzz bytes.
func FuzzClipRankBelow(f *testing.F) {
	f.Add([]byte{})
	r := rand.New(rand.NewPCG(4, 4))
	for range 8 {
		b := make([]byte, 512)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		row, c, inc, a := drawClipRow(&byteSource{b})
		checkClipRow(t, row, c, inc, a)
	})
}
