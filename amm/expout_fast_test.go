package amm

import (
	"math"
	"math/big"
	"math/bits"
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

// checkPowBounds checks that the bounds (sLo, sHi) of oneMinusPowBounds
// for (y, d, en, ed) contain (1 − v)·2^72, bracketed by the crate's
// fallback series at precision 512 as in TestOneMinusPowBounds.
func checkPowBounds(t *testing.T, y, d, en, ed, sLo, sHi uint64) {
	t.Helper()
	scale := new(big.Int).Lsh(big.NewInt(1), 72)
	var rd uint256.Int
	rd.SetUint64(fixed.SaturatingAddUint64(y, d))
	f, _ := bigpow.PowBig(new(big.Int).SetUint64(y), rd.ToBig(), new(big.Int).SetUint64(en), new(big.Int).SetUint64(ed), 512, scale)
	s := new(big.Int).Sub(scale, f) // (1 − v)·2^72 in (s − 1, s]
	lo := new(big.Int).Sub(s, big.NewInt(1))
	if sLo != 0 && new(big.Int).SetUint64(sLo).Cmp(s) >= 0 || new(big.Int).SetUint64(sHi).Cmp(lo) <= 0 {
		t.Fatalf("y %d, d %d, en %d, ed %d: bounds (%d, %d), (1 − v)·2^72 in (%v, %v]", y, d, en, ed, sLo, sHi, lo, s)
	}
}

// TestFirstOrderBounds checks the first-order bounds of oneMinusPowBounds
// against the crate's series at precision 512, on weights within 1e6 of
// 1/2 (BenchmarkStep's pools lie within 3e5) and buys of 2^-40 to 2^-12
// of the reserve, on inputs where the remainder's test m·δ·t < ed only
// just passes, and on exponents up to 2^8; each such bracket also meets
// the series' one (both contain the value), and with the series' own
// width it would settle as often.
func TestFirstOrderBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 67))
	n := 300
	if testing.Short() {
		n = 60
	}
	firstOrderBounds := func(y, d, en, ed uint64) (uint64, uint64, bool) {
		sLo, sHi, ok := oneMinusPowBounds(y, d, en, ed)
		if !ok {
			return 0, 0, false
		}
		rd := fixed.SaturatingAddUint64(y, d)
		u, _ := bits.Div64((rd-y)<<8, 0, rd)
		sh := 0
		m := uint64(1)
		if en > ed {
			sh = bits.Len64(en) - bits.Len64(ed) + 1
			m = 1 << sh
		}
		if !firstOrder(u, en, ed, sh) {
			return 0, 0, false
		}
		if lo, hi, sok := seriesBounds(u, en, ed, m); sok && (max(sLo, lo) >= min(sHi, hi)) {
			t.Fatalf("y %d, d %d, en %d, ed %d: first-order bounds (%d, %d) and series (%d, %d) do not meet", y, d, en, ed, sLo, sHi, lo, hi)
		}
		return sLo, sHi, true
	}
	checked := 0
	for i := 0; checked < n; i++ {
		if i > 100*n {
			t.Fatalf("the first-order path took %d of %d inputs", checked, i)
		}
		const half = fixed.PerquintillAccuracy / 2
		w2 := half - 1e6 + r.Uint64N(2e6)
		en, ed := w2, fixed.PerquintillAccuracy-w2
		if r.IntN(2) == 0 {
			en, ed = ed, en
		}
		y := 1e9 + r.Uint64N(1e17)
		d := y >> (12 + r.UintN(29))
		sLo, sHi, ok := firstOrderBounds(y, d, en, ed)
		if !ok {
			continue
		}
		checkPowBounds(t, y, d, en, ed, sLo, sHi)
		checked++
	}
	// Where m·δ·t only just falls below ed: δ = floor(ed/m)/t − k for u
	// = U of the buy; exponents near 1, 2, 2^7 and 2^8.
	edges := 0
	for _, ratio := range []uint64{1, 2, 3, 128, 255} {
		for range 80 {
			y := 1e12 + r.Uint64N(1e17)
			d := y >> (9 + r.UintN(32))
			rd := y + d
			u, _ := bits.Div64(d<<8, 0, rd)
			tt := mulShift72(u+1, u+1) + 1
			ed := 1e17 + r.Uint64N(4e17)
			en := ed * ratio
			sh := 0
			if en > ed {
				sh = bits.Len64(en) - bits.Len64(ed) + 1
			}
			delta := (ed >> sh) / tt
			for _, k := range []uint64{0, 1, 2} {
				if delta < k {
					continue
				}
				for _, e := range []uint64{en + delta - k, en - delta + k} {
					if sLo, sHi, ok := firstOrderBounds(y, d, e, ed); ok {
						checkPowBounds(t, y, d, e, ed, sLo, sHi)
						edges++
					}
				}
			}
		}
	}
	if edges < 200 {
		t.Fatalf("the first-order path took %d of the edge inputs", edges)
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

// capOne is min(e, 1), as expScaled caps its result.
func capOne(e fixed.U64F64) fixed.U64F64 {
	if one := fixed.U64F64FromUint64(1); one.Less(e) {
		return one
	}
	return e
}

// checkOutForParts compares outForParts with outFor of the capped
// U64F64FromPerquintillParts, the way expOutBracket formed its output
// before (its reference).
func checkOutForParts(t testing.TB, reserve, k uint64) {
	t.Helper()
	if got, want := outForParts(reserve, k), outFor(reserve, capOne(fixed.U64F64FromPerquintillParts(k))); got != want {
		t.Fatalf("outForParts(%d, %d) = %d, want %d", reserve, k, got, want)
	}
}

// quoRatioRef is quoRatio's reference: floor(l·en/ed) by one division of
// the full product, refused at 2^63 or more.
func quoRatioRef(l, en, ed uint64) (uint64, bool) {
	hi, lo := bits.Mul64(l, en)
	if hi >= ed {
		return 0, false
	}
	y, _ := bits.Div64(hi, lo, ed)
	if y >= 1<<63 {
		return 0, false
	}
	return y, true
}

// quoRatioPrev is quoRatio as it was before its two cases shared the
// product and the division (so that it inlines): each case written out.
func quoRatioPrev(l, en, ed uint64) (y uint64, ok bool) {
	if en >= ed {
		hi, lo := bits.Mul64(l, en-ed)
		if hi >= ed {
			return 0, false
		}
		q, _ := bits.Div64(hi, lo, ed)
		if q >= 1<<63 || l+q >= 1<<63 {
			return 0, false
		}
		return l + q, true
	}
	hi, lo := bits.Mul64(l, ed-en)
	q, r := bits.Div64(hi, lo, ed)
	if r != 0 {
		q++
	}
	return l - q, true
}

func checkQuoRatio(t testing.TB, l, en, ed uint64) {
	t.Helper()
	l &= 1<<63 - 1 // quoRatio's domain: l < 2^63, ed > 0
	if ed == 0 {
		ed = 1
	}
	y, ok := quoRatio(l, en, ed)
	wy, wok := quoRatioRef(l, en, ed)
	if y != wy || ok != wok {
		t.Fatalf("quoRatio(%d, %d, %d) = %d, %v; want %d, %v", l, en, ed, y, ok, wy, wok)
	}
	if py, pok := quoRatioPrev(l, en, ed); y != py || ok != pok {
		t.Fatalf("quoRatio(%d, %d, %d) = %d, %v; quoRatioPrev %d, %v", l, en, ed, y, ok, py, pok)
	}
}

// TestOutForPartsAndQuoRatio compares outForParts and quoRatio with their
// references: k at and around 0, 1e18 and its halvings, weights near 1/2
// and anywhere, quotients at 2^63 and 2^64, and random values of every
// length.
func TestOutForPartsAndQuoRatio(t *testing.T) {
	const one = fixed.PerquintillAccuracy
	r := rand.New(rand.NewPCG(72, 8))
	word := func() uint64 { return r.Uint64() >> r.UintN(65) }
	reserves := []uint64{0, 1, 1e9, 4e14, 1 << 63, math.MaxUint64}
	for j := range 60 {
		for _, k := range []uint64{one >> j, one - one>>j, one + one>>j} {
			for _, d := range []uint64{0, 1, 2} {
				for _, res := range reserves {
					checkOutForParts(t, res, k-d)
					checkOutForParts(t, res, k+d)
				}
			}
		}
	}
	checkOutForParts(t, math.MaxUint64, math.MaxUint64)
	for range 200000 {
		checkOutForParts(t, word(), one-word()%one)
		checkOutForParts(t, word(), word())
	}
	// y at 2^63 − 1, 2^63 and 2^64 for en >= ed: l·en/ed around them.
	for _, ed := range []uint64{1, 3, 1e9, one / 2, one - 1} {
		for _, yt := range []uint64{1<<63 - 1, 1 << 63, 1<<63 + 1} {
			l := uint64(1<<62 + 12345)
			hi, lo := bits.Mul64(yt, ed)
			en, _ := bits.Div64(hi%l, lo, l) // en ≈ yt·ed/l (hi < l when ed < 2)
			for _, de := range []uint64{0, 1, 2} {
				checkQuoRatio(t, l, en+de, ed)
				checkQuoRatio(t, l, en-de, ed)
			}
		}
	}
	for range 200000 {
		w2 := randomWeight(r)
		checkQuoRatio(t, word(), w2, one-w2)
		checkQuoRatio(t, word(), one-w2, w2)
		checkQuoRatio(t, word(), word(), word())
	}
	for _, l := range []uint64{0, 1, 1 << 48, 1<<63 - 1} {
		for _, w := range [][2]uint64{{1, 1}, {1, 2}, {2, 1}, {one - 1, 1}, {1, one - 1}, {math.MaxUint64, 1}} {
			checkQuoRatio(t, l, w[0], w[1])
		}
	}
}

func FuzzOutForPartsAndQuoRatio(f *testing.F) {
	f.Add(uint64(4e14), uint64(999999999999999), uint64(1)<<48, uint64(500000000000282205), uint64(499999999999717795))
	f.Fuzz(func(t *testing.T, reserve, k, l, en, ed uint64) {
		checkOutForParts(t, reserve, k)
		checkQuoRatio(t, l, en, ed)
	})
}
