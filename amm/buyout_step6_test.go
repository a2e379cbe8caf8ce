package amm

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// buyOutFirstOrderPrev is buyOutFirstOrder before it ran step 6 itself:
// where the output bracket does not settle the output it does not answer
// (the caller then runs buyOut, which recomputes the bounds).
func (c curve) buyOutFirstOrderPrev(x, y, dy uint64) (uint64, bool) {
	en, ed := c.w2, c.w1
	if y == 0 || en == 0 || ed == 0 || en == ed {
		return 0, false
	}
	m, sh := uint64(1), 0
	if en > ed {
		sh = bits.Len64(en) - bits.Len64(ed) + 1
		if sh > 8 {
			return 0, false
		}
		m = 1 << sh
	}
	rd := fixed.SaturatingAddUint64(y, dy)
	dx := rd - y
	if dx > (rd-1)>>8 {
		return 0, false
	}
	u, _ := bits.Div64(dx<<8, 0, rd)
	if u >= 1<<62 || !firstOrder(u, en, ed, sh) {
		return 0, false
	}
	a, ok := quoRatio(u, en, ed)
	if !ok {
		return 0, false
	}
	var sLo uint64
	if a > 1 {
		sLo = a - 1
	}
	return outBracket(x, sLo, a+m+2)
}

// checkFirstOrderStep6 compares buyOutFirstOrder with buyOut where it
// answers and with buyOutFirstOrderPrev (it answers wherever that does,
// with the same output); it reports whether it answered where the
// previous version did not (step 6).
func checkFirstOrderStep6(t testing.TB, w2, x, y, d uint64) bool {
	t.Helper()
	c := curveOf(fixed.Perquintill(w2))
	got, ok := c.buyOutFirstOrder(x, y, d)
	prev, okPrev := c.buyOutFirstOrderPrev(x, y, d)
	if okPrev && (!ok || got != prev) {
		t.Fatalf("w2 %d, x %d, y %d, d %d: (%d, %v), the previous version (%d, true)", w2, x, y, d, got, ok, prev)
	}
	if ok {
		if want := c.buyOut(x, y, d); got != want {
			t.Fatalf("w2 %d, x %d, y %d, d %d: first order %d, buyOut %d", w2, x, y, d, got, want)
		}
	}
	return ok && !okPrev
}

// buyOutFirstOrder's step 6 gives buyOut's output where the output
// bracket does not settle it: chain buys near 1/2 on alpha reserves up to
// 2^62 (where the bracket's window reaches a rao), the ends of the
// reserves and weights, and random inputs; the previous version's
// answers are kept.
func TestBuyOutFirstOrderStep6(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 6))
	n := 20000
	if testing.Short() {
		n = 3000
	}
	step6 := 0
	for range n {
		w2 := uint64(HalfWeight) - 1e6 + r.Uint64N(2e6)
		y := 1e12 + r.Uint64N(1e16)
		x := r.Uint64N(1<<62) >> r.UintN(10)
		if checkFirstOrderStep6(t, w2, x, y, y>>(14+r.UintN(28))) {
			step6++
		}
	}
	if step6 < n/20 {
		t.Fatalf("step 6 answered %d of %d", step6, n)
	}
	for range n {
		checkFirstOrderStep6(t, randomWeight(r), r.Uint64()>>r.UintN(64), r.Uint64()>>r.UintN(64), r.Uint64()>>r.UintN(64))
	}
	weights := []uint64{uint64(MinWeight), uint64(MaxWeight), uint64(HalfWeight) - 1, uint64(HalfWeight) + 1, uint64(HalfWeight) + 282205}
	reserves := []uint64{0, 1, 1e9, 1e16, 1 << 54, 1 << 62, math.MaxUint64 - 1, math.MaxUint64}
	for _, w2 := range weights {
		for _, x := range reserves {
			for _, y := range reserves {
				for _, d := range []uint64{0, 1, y >> 9, y >> 10, y >> 24, math.MaxUint64} {
					checkFirstOrderStep6(t, w2, x, y, d)
				}
			}
		}
	}
}

// FuzzBuyOutFirstOrderStep6 compares buyOutFirstOrder with buyOut and the
// previous version.
func FuzzBuyOutFirstOrderStep6(f *testing.F) {
	f.Add(uint64(HalfWeight)+282205, uint64(1<<61), uint64(149717098533755), uint64(1998993))
	f.Add(uint64(0), uint64(0), uint64(0), uint64(0))
	f.Add(uint64(MaxWeight), uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, w2, x, y, d uint64) {
		checkFirstOrderStep6(t, uint64(MinWeight)+w2%(uint64(MaxWeight-MinWeight)+1), x, y, d)
	})
}
