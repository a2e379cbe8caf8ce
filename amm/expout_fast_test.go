package amm

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/holiman/uint256"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/internal/bigpow"
)

// buyOutRef and sellOutRef are convert_deltas through pow_ratio_scaled
// (outFor of expScaled), buyOut and sellOut without expOutBracket: their
// reference.
func (c curve) buyOutRef(x, y, dy uint64) uint64 { return outFor(x, c.expScaled(y, dy, false)) }

func (c curve) sellOutRef(x, y, dx uint64) uint64 { return outFor(y, c.expScaled(x, dx, true)) }

// checkExpOut compares expOutBracket, where it answers, and buyOut and
// sellOut with the pow_ratio_scaled path, for the pool weight w2 (quote)
// and the swap of d into reserves (x, y). It reports whether the bracket
// answered the buy.
func checkExpOut(t testing.TB, w2, x, y, d uint64) bool {
	t.Helper()
	c := curveOf(fixed.Perquintill(w2))
	want := c.buyOutRef(x, y, d)
	got, ok := expOutBracket(x, y, d, c.w2, c.w1)
	if ok && got != want {
		t.Fatalf("buy w2 %d, x %d, y %d, d %d: bracket %d, pow %d", w2, x, y, d, got, want)
	}
	if g := c.buyOut(x, y, d); g != want {
		t.Fatalf("buy w2 %d, x %d, y %d, d %d: buyOut %d, pow %d", w2, x, y, d, g, want)
	}
	wantSell := c.sellOutRef(x, y, d)
	if g, sok := expOutBracket(y, x, d, c.w1, c.w2); sok && g != wantSell {
		t.Fatalf("sell w2 %d, x %d, y %d, d %d: bracket %d, pow %d", w2, x, y, d, g, wantSell)
	}
	if g := c.sellOut(x, y, d); g != wantSell {
		t.Fatalf("sell w2 %d, x %d, y %d, d %d: sellOut %d, pow %d", w2, x, y, d, g, wantSell)
	}
	return ok
}

// randomWeight is a quote weight in [MinWeight, MaxWeight]: near 1/2 (as
// the coinbase's injections keep it, within 1e-12 to 1e-3), or anywhere.
func randomWeight(r *rand.Rand) uint64 {
	const half = fixed.PerquintillAccuracy / 2
	switch r.IntN(3) {
	case 0:
		return half - 1e6 + r.Uint64N(2e6)
	case 1:
		return half - 1e15 + r.Uint64N(2e15)
	}
	return uint64(MinWeight) + r.Uint64N(uint64(MaxWeight-MinWeight)+1)
}

// expOutBracket gives the pow_ratio_scaled path's output wherever it
// answers, and buyOut and sellOut always do: chain buys of 2^-40 to 2^-11
// of the reserve into pools of 1e9 to 1e17 rao at every weight, inputs of
// every size (outside the bracket's domain), and the edges (empty and
// one-rao reserves, zero input, a saturating r + d, weights at the
// bounds, U at 2^54 − 1 and 2^54). On the chain-buy-like inputs it must
// answer nearly always (else it only adds work).
func TestExpOutBracketMatchesPow(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 64))
	n := 20000
	if testing.Short() {
		n = 3000
	}
	answered := 0
	for range n {
		w2 := randomWeight(r)
		y := 1e9 + r.Uint64N(1e17)
		x := 1e9 + r.Uint64N(1e17)
		d := y >> (11 + r.UintN(30))
		if checkExpOut(t, w2, x, y, d) {
			answered++
		}
	}
	if answered < n*99/100 {
		t.Fatalf("the bracket answered %d of %d chain-buy-like swaps", answered, n)
	}
	for range n / 4 {
		w2 := randomWeight(r)
		checkExpOut(t, w2, r.Uint64()>>r.UintN(64), r.Uint64()>>r.UintN(64), r.Uint64()>>r.UintN(64))
	}
	weights := []uint64{uint64(MinWeight), uint64(MaxWeight), uint64(HalfWeight) - 1, uint64(HalfWeight) + 1, 1, fixed.PerquintillAccuracy - 1}
	reserves := []uint64{1, 2, 1e9, 1 << 54, math.MaxUint64 - 1, math.MaxUint64}
	for _, w2 := range weights {
		for _, x := range reserves {
			for _, y := range reserves {
				for _, d := range []uint64{0, 1, 2, y >> 10, y >> 11, y >> 20, math.MaxUint64} {
					checkExpOut(t, w2, x, y, d)
				}
			}
		}
	}
	// U = floor(d·2^64/(y+d)) on both sides of the domain's edge 2^54.
	for _, w2 := range weights {
		y := uint64(1) << 40
		for _, d := range []uint64{y>>10 - 1, y >> 10, y>>10 + 1, y/1023 - 1, y / 1023, y/1023 + 1} {
			checkExpOut(t, w2, 1e15, y, d)
		}
	}
}

// oneMinusPowBounds brackets 1 − (r/rd)^(en/ed): checked against the
// crate's fallback series at precision 512 scaled by 2^72 (math/big;
// within 2^-400 of the real power), whose floor F gives (1 − v)·2^72 in
// (2^72 − F − 1, 2^72 − F]. The exponents are weight ratios that do not
// reduce to the exact path.
func TestOneMinusPowBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 65))
	n := 400
	if testing.Short() {
		n = 80
	}
	scale := new(big.Int).Lsh(big.NewInt(1), 72)
	checked := 0
	for checked < n {
		c := curveOf(fixed.Perquintill(randomWeight(r)))
		en, ed := c.w2, c.w1
		if r.IntN(2) == 0 {
			en, ed = ed, en
		}
		y := 1 + r.Uint64N(1e17)
		d := y >> (9 + r.UintN(40))
		sLo, sHi, ok := oneMinusPowBounds(y, d, en, ed)
		if !ok {
			continue
		}
		var rd uint256.Int
		rd.SetUint64(fixed.SaturatingAddUint64(y, d))
		f, _ := bigpow.PowBig(new(big.Int).SetUint64(y), rd.ToBig(), new(big.Int).SetUint64(en), new(big.Int).SetUint64(ed), 512, scale)
		s := new(big.Int).Sub(scale, f) // (1 − v)·2^72 in (s − 1, s]
		lo := new(big.Int).Sub(s, big.NewInt(1))
		if sLo != 0 && new(big.Int).SetUint64(sLo).Cmp(s) >= 0 || new(big.Int).SetUint64(sHi).Cmp(lo) <= 0 {
			t.Fatalf("y %d, d %d, en %d, ed %d: bounds (%d, %d), (1 − v)·2^72 in (%v, %v]", y, d, en, ed, sLo, sHi, lo, s)
		}
		checked++
	}
}

// FuzzExpOutBracket compares buyOut and sellOut (through expOutBracket)
// with the pow_ratio_scaled path.
func FuzzExpOutBracket(f *testing.F) {
	f.Add(uint64(HalfWeight)+282205, uint64(4e14), uint64(149717098533755), uint64(1998993))
	f.Add(uint64(MinWeight), uint64(1e12), uint64(1e12), uint64(1e9))
	f.Add(uint64(MaxWeight), uint64(1), uint64(math.MaxUint64), uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, w2, x, y, d uint64) {
		w2 = uint64(MinWeight) + w2%(uint64(MaxWeight-MinWeight)+1)
		checkExpOut(t, w2, x, y, d)
	})
}

// buyOut does not allocate on the bracket or the pow path.
func TestBuyOutDoesNotAllocate(t *testing.T) {
	c := curveOf(fixed.Perquintill(HalfWeight + 282205))
	if a := testing.AllocsPerRun(100, func() {
		sinkOut = c.buyOut(4e14, 149717098533755, 1998993) + c.sellOut(4e14, 149717098533755, 1<<60)
	}); a != 0 {
		t.Fatalf("%v allocations per run", a)
	}
}

var sinkOut uint64

// BenchmarkBuyOut times convert_deltas of BenchmarkStep's chain buys
// (about 2^-24 of the TAO reserve into a pool weighted within 3e-13 of
// 1/2) and of chainBuyCases' through expOutBracket ("bracket") and
// through pow_ratio_scaled ("pow").
func BenchmarkBuyOut(b *testing.B) {
	type buy struct {
		c       curve
		x, y, d uint64
	}
	tiny := []buy{
		{curveOf(500000000000282205), 4e14, 149717098533755, 1998993},
		{curveOf(500000000000297447), 4e14, 143353637475554, 1998993},
	}
	var general []buy
	for _, c := range chainBuyCases(false) {
		general = append(general, buy{curveOf(c.p.QuoteWeight), uint64(c.p.AlphaIn), uint64(c.p.TAO), c.o.amount})
	}
	for _, set := range []struct {
		name string
		buys []buy
	}{{"tiny", tiny}, {"chain_buy", general}} {
		b.Run(set.name+"/bracket", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				c := &set.buys[i%len(set.buys)]
				sinkOut = c.c.buyOut(c.x, c.y, c.d)
			}
		})
		b.Run(set.name+"/pow", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				c := &set.buys[i%len(set.buys)]
				sinkOut = c.c.buyOutRef(c.x, c.y, c.d)
			}
		})
	}
}

// lnSeriesLoop and expSeriesLoop are steps 2 and 4 of expOutBracket as
// single loops dividing by the index n: the reference for lnSeries and
// expSeries, whose first quotients have constant divisors.
func lnSeriesLoop(u uint64) (uint64, uint64) { return lnSeriesFrom(u, 1, u, u, 2) }

func expSeriesLoop(y uint64) (uint64, uint64) { return expSeriesFrom(y, 0, 1, y, y, 2) }

// checkSeries compares lnSeries with lnSeriesLoop at u and expSeries with
// expSeriesLoop at u, on every uint64 (the fallback loops carry on past
// the written-out terms).
func checkSeries(t testing.TB, u uint64) {
	t.Helper()
	l, j := lnSeries(u)
	if wl, wj := lnSeriesLoop(u); l != wl || j != wj {
		t.Fatalf("lnSeries(%d) = (%d, %d), loop (%d, %d)", u, l, j, wl, wj)
	}
	s, k := expSeries(u)
	if ws, wk := expSeriesLoop(u); s != ws || k != wk {
		t.Fatalf("expSeries(%d) = (%d, %d), loop (%d, %d)", u, s, k, ws, wk)
	}
}

// TestSeriesUnrolledMatchLoops: lnSeries and expSeries equal the loops on
// random values of every bit length and around the powers of two, and
// within the domain (u < 2^62, y < 2^63) they need no term past the
// written-out ones (J <= 7, K <= 6; both series grow with their argument,
// so the largest argument needs the most terms).
func TestSeriesUnrolledMatchLoops(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 66))
	for range 20000 {
		checkSeries(t, r.Uint64()>>r.UintN(64))
	}
	for e := range 64 {
		for _, v := range []uint64{1<<e - 1, 1 << e, 1<<e + 1} {
			checkSeries(t, v)
		}
	}
	checkSeries(t, math.MaxUint64)
	if _, j := lnSeriesLoop(1<<62 - 1); j > 7 {
		t.Fatalf("lnSeries at 2^62 − 1: %d summands", j)
	}
	if _, k := expSeriesLoop(1<<63 - 1); k > 6 {
		t.Fatalf("expSeries at 2^63 − 1: %d summands", k)
	}
	if _, j := lnSeriesLoop(math.MaxUint64); j <= 7 {
		t.Fatalf("lnSeries at 2^64 − 1: %d summands, the fallback loop untested", j)
	}
	if _, k := expSeriesLoop(math.MaxUint64); k <= 6 {
		t.Fatalf("expSeries at 2^64 − 1: %d summands, the fallback loop untested", k)
	}
}

// FuzzSeriesUnrolled compares lnSeries and expSeries with their loops.
func FuzzSeriesUnrolled(f *testing.F) {
	f.Add(uint64(1) << 48)
	f.Add(uint64(1)<<62 - 1)
	f.Add(uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, u uint64) { checkSeries(t, u) })
}
