package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// refLiquidEMA transcribes run_epoch.rs compute_liquid_alpha_values_sparse
// (a dense α matrix found by the merge walk) and math.rs
// mat_ema_alpha_sparse @14bc6f9f, with α from a cache-free alpha_sigmoid.
func refLiquidEMA(w, b [][]entry, cons []fixed.I32F32, lo, hi fixed.I32F32, steep int16) [][]entry {
	var sig sigmoid
	n := len(cons)
	alphas := make([][]fixed.I32F32, len(w))
	for i := range w {
		row := make([]fixed.I32F32, n)
		wi, bi := 0, 0
		for j := 0; j < n; j++ {
			weight, bond := zero, zero
			for wi < len(w[i]) {
				if int(w[i][wi].j) < j {
					wi++
					continue
				}
				if int(w[i][wi].j) == j {
					weight = w[i][wi].v
				}
				break
			}
			for bi < len(b[i]) {
				if int(b[i][bi].j) < j {
					bi++
					continue
				}
				if int(b[i][bi].j) == j {
					bond = b[i][bi].v
				}
				break
			}
			sig.reset(lo, hi, steep) // a fresh cache for every cell
			row[j] = sig.alpha(cons[j], weight, bond)
		}
		alphas[i] = row
	}
	out := make([][]entry, len(w))
	for i := range w {
		decayed := make([]fixed.I32F32, n)
		for _, e := range b[i] {
			if int(e.j) < n {
				decayed[e.j] = one.SaturatingSub(alphas[i][e.j]).SaturatingMul(e.v)
			}
		}
		for _, e := range w[i] {
			if int(e.j) < n {
				add := alphas[i][e.j].SaturatingMul(e.v)
				if add.Sign() < 0 {
					add = zero
				}
				v := decayed[e.j].SaturatingAdd(add)
				if one.Less(v) {
					v = one
				}
				if v.Sign() > 0 {
					out[i] = append(out[i], entry{e.j, v})
				}
			}
		}
	}
	return out
}

func TestEmaAlphaMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	var ws Workspace
	count := 3000
	if testing.Short() {
		count = 300
	}
	for iter := range count {
		n := r.IntN(9) + 1
		sorted := iter%2 == 0
		// Half the time cells take few distinct values, so that divergences
		// repeat and the α cache is hit.
		value := func() fixed.I32F32 { return fixed.I32F32FromBits(r.Int64N(1<<32 + 1)) }
		if iter%4 < 2 {
			value = func() fixed.I32F32 { return fixed.I32F32FromBits(int64(r.IntN(5)) << 30) }
		}
		row := func(limit int) []entry {
			k := r.IntN(n + 2)
			var out []entry
			for range k {
				out = append(out, entry{uint16(r.IntN(limit)), value()})
			}
			if sorted {
				slices.SortFunc(out, func(a, b entry) int { return int(a.j) - int(b.j) })
				out = slices.CompactFunc(out, func(a, b entry) bool { return a.j == b.j })
			}
			return out
		}
		var wm matrix
		wm.begin(n, n*(n+2))
		ws.b.begin(n, n*(n+2))
		w := make([][]entry, n)
		b := make([][]entry, n)
		wTidy := make([]bool, n)
		ws.bTidy = make([]bool, n)
		for i := range n {
			w[i], b[i] = row(n), row(n+3)
			s := len(wm.buf)
			wm.buf = append(wm.buf, w[i]...)
			wm.end(i, s)
			s = len(ws.b.buf)
			ws.b.buf = append(ws.b.buf, b[i]...)
			ws.b.end(i, s)
			wTidy[i], ws.bTidy[i] = isTidy(w[i], n), isTidy(b[i], n)
		}
		cons := make([]fixed.I32F32, n)
		for j := range cons {
			cons[j] = value()
		}
		lo := fixed.I32F32FromU16Proportion(uint16(r.IntN(30000)))
		hi := fixed.I32F32FromU16Proportion(uint16(30000 + r.IntN(35535)))
		steep := int16(r.IntN(4000) - 500)
		ws.sig.reset(lo, hi, steep)
		ws.emaAlpha(&wm, wTidy, cons, make([]fixed.I32F32, n))
		want := refLiquidEMA(w, b, cons, lo, hi, steep)
		for i := range n {
			if !slices.Equal(ws.ema.rows[i], want[i]) && len(ws.ema.rows[i])+len(want[i]) > 0 {
				t.Fatalf("iteration %d row %d (sorted %v): got %v, chain %v\nw=%v\nb=%v", iter, i, sorted, ws.ema.rows[i], want[i], w[i], b[i])
			}
		}
	}
}

// isTidy reports whether r is tidy for n columns (see weights.go).
func isTidy(r []entry, n int) bool {
	for k, e := range r {
		if int(e.j) >= n || uint64(e.v.Bits()) > 1<<32 || k > 0 && e.j <= r[k-1].j {
			return false
		}
	}
	return true
}

// divergence's fast path equals alpha_sigmoid's saturating form.
func TestDivergence(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	slow := func(c, w, b fixed.I32F32) fixed.I32F32 {
		if w.Cmp(b) >= 0 {
			return clampValue(w.SaturatingSub(c), zero, one)
		}
		return clampValue(b.SaturatingSub(w), zero, one)
	}
	draw := func() fixed.I32F32 {
		switch r.IntN(4) {
		case 0:
			return fixed.I32F32FromBits(int64(r.Uint64()))
		case 1:
			return fixed.I32F32FromBits(int64(r.IntN(3)) << 31)
		default:
			return fixed.I32F32FromBits(r.Int64N(1<<32 + 1))
		}
	}
	for range 100000 {
		c, w, b := draw(), draw(), draw()
		if got, want := divergence(c, w, b), slow(c, w, b); got != want {
			t.Fatalf("divergence(%d, %d, %d) = %d, want %d", c.Bits(), w.Bits(), b.Bits(), got.Bits(), want.Bits())
		}
	}
}
