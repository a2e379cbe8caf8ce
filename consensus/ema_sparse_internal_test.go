package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// drawEmaCase draws a square pair of matrices for emaSparseSums: mostly
// tidy rows (ascending, in [0, 1], 0 and 1 included) with their marks,
// sometimes untidy ones (unsorted, duplicates, columns beyond n, cells
// above 1 or negative) marked untidy, and an alpha that is sometimes
// outside [0, 1].
func drawEmaCase(r bitSource) (newm, old matrix, newTidy, oldTidy []bool, alpha fixed.I32F32) {
	n := r.IntN(20)
	if r.IntN(10) == 0 {
		n = r.IntN(300)
	}
	cell := func() fixed.I32F32 {
		switch r.IntN(6) {
		case 0:
			return zero
		case 1:
			return one
		default:
			return fixed.I32F32FromBits(int64(r.IntN(1<<16)) << 16)
		}
	}
	build := func(m *matrix, rows int) []bool {
		m.begin(rows, 0)
		var tidy []bool
		if r.IntN(4) > 0 {
			tidy = make([]bool, rows)
		}
		density := 1 + r.IntN(4)
		for i := range rows {
			start := len(m.buf)
			ok := true
			if r.IntN(5) == 0 {
				ok = false
				for range r.IntN(n + 3) {
					v := cell()
					switch r.IntN(4) {
					case 0:
						v = fixed.I32F32FromBits(int64(r.IntN(1<<30)) << 6)
					case 1:
						v = fixed.I32F32FromBits(-int64(r.IntN(1 << 30)))
					}
					m.push(uint16(r.IntN(n+2)), v)
				}
			} else {
				for j := range n {
					if r.IntN(density) == 0 {
						m.push(uint16(j), cell())
					}
				}
			}
			m.end(i, start)
			if tidy != nil {
				tidy[i] = ok
			}
		}
		return tidy
	}
	newTidy = build(&newm, n)
	oldTidy = build(&old, n)
	if oldTidy == nil {
		oldTidy = make([]bool, n)
	}
	switch r.IntN(6) {
	case 0:
		alpha = zero
	case 1:
		alpha = one
	case 2:
		alpha = fixed.I32F32FromBits(int64(r.IntN(1<<30)) - 1<<29) // around 0, negative too
	case 3:
		alpha = fixed.I32F32FromBits(1<<32 + int64(r.IntN(1<<30))) // above 1
	default:
		alpha = fixed.I32F32FromBits(int64(r.IntN(1<<32 + 1)))
	}
	return newm, old, newTidy, oldTidy, alpha
}

// checkEmaCase compares emaSparseSums with the chain's mat_ema_sparse
// transcription (refEmaSparse) and with emaSparse then colSums.
func checkEmaCase(t *testing.T, newm, old *matrix, newTidy, oldTidy []bool, alpha fixed.I32F32) {
	t.Helper()
	n := len(newm.rows)
	var got, prev matrix
	sums, scratch, prevSums := make([]fixed.I32F32, n), make([]fixed.I32F32, n), make([]fixed.I32F32, n)
	emaSparseSums(&got, newm, old, newTidy, oldTidy, alpha, scratch, sums)
	emaSparse(&prev, newm, old, alpha, prevSums)
	colSums(&prev, prevSums)
	want := refEmaSparse(sp(newm.rows), sp(old.rows), alpha)
	if !slices.Equal(sums, prevSums) {
		t.Fatalf("alpha %v: column sums %v, want %v", alpha, sums, prevSums)
	}
	for i := range n {
		if !slices.Equal(got.rows[i], want[i]) || !slices.Equal(got.rows[i], prev.rows[i]) {
			t.Fatalf("alpha %v row %d: got %v, chain %v, emaSparse %v\nnew %v\nold %v",
				alpha, i, got.rows[i], want[i], prev.rows[i], newm.rows[i], old.rows[i])
		}
	}
}

// TestEmaSparseSumsMatchesReference: the merged tidy rows and the dense
// fallback agree with mat_ema_sparse and with emaSparse plus colSums.
func TestEmaSparseSumsMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 17))
	count := 600
	if testing.Short() {
		count = 150
	}
	for range count {
		newm, old, nt, ot, alpha := drawEmaCase(r)
		checkEmaCase(t, &newm, &old, nt, ot, alpha)
	}
}

// FuzzEmaSparseSums is TestEmaSparseSumsMatchesReference on inputs drawn
// from the fuzz bytes.
func FuzzEmaSparseSums(f *testing.F) {
	f.Add([]byte{})
	r := rand.New(rand.NewPCG(21, 1))
	for range 8 {
		b := make([]byte, 512)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		newm, old, nt, ot, alpha := drawEmaCase(&byteSource{b})
		checkEmaCase(t, &newm, &old, nt, ot, alpha)
	})
}

// TestEmaTidyMergeEdgeCases: tidy rows of equal length whose columns agree,
// differ from the start, or differ part way, and rows of unequal length.
func TestEmaTidyMergeEdgeCases(t *testing.T) {
	q := func(x int64) fixed.I32F32 { return fixed.I32F32FromBits(x << 30) } // x quarters
	rows := map[string][2][]entry{
		"same columns":      {{{0, q(1)}, {2, q(4)}, {3, zero}}, {{0, q(2)}, {2, q(1)}, {3, zero}}},
		"differ at start":   {{{0, q(1)}, {2, q(4)}}, {{1, q(2)}, {2, q(1)}}},
		"differ part way":   {{{0, q(1)}, {2, q(4)}, {3, q(3)}}, {{0, q(2)}, {1, q(1)}, {3, q(4)}}},
		"new longer":        {{{0, q(1)}, {1, q(1)}, {3, q(1)}}, {{1, q(3)}}},
		"old only":          {nil, {{0, q(1)}, {3, q(4)}}},
		"new only":          {{{1, q(2)}, {2, q(4)}}, nil},
		"zero products":     {{{0, fixed.I32F32FromBits(1)}}, {{0, fixed.I32F32FromBits(1)}}},
		"ones, equal":       {{{0, one}, {1, one}, {2, one}, {3, one}}, {{0, one}, {1, one}, {2, one}, {3, one}}},
		"later columns out": {{{0, q(1)}, {1, q(2)}}, {{0, q(1)}, {2, q(2)}}},
	}
	for name, r := range rows {
		for _, alpha := range []fixed.I32F32{zero, q(1), fixed.I32F32FromBits(429496729), one} {
			var newm, old matrix
			newm.begin(4, 0)
			old.begin(4, 0)
			for i := range 4 {
				start := len(newm.buf)
				if i == 1 {
					newm.buf = append(newm.buf, r[0]...)
				}
				newm.end(i, start)
				start = len(old.buf)
				if i == 1 {
					old.buf = append(old.buf, r[1]...)
				}
				old.end(i, start)
			}
			tidy := []bool{true, true, true, true}
			t.Run(name, func(t *testing.T) { checkEmaCase(t, &newm, &old, tidy, tidy, alpha) })
		}
	}
}
