package amm

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// checkOutBracket compares, for the swap of d into reserves (x, y) at the
// quote weight w2 (a buy: out of x), the output bracket (where it
// answers) with step 6's k-bracket (where it answers) and with the
// pow_ratio_scaled path. It reports whether steps 1 to 5 gave bounds,
// and whether the output bracket answered from them.
func checkOutBracket(t testing.TB, w2, x, y, d uint64) (bounded, answered bool) {
	t.Helper()
	c := curveOf(fixed.Perquintill(w2))
	sLo, sHi, ok := oneMinusPowBounds(y, d, c.w2, c.w1)
	if !ok {
		return false, false
	}
	got, ok := outBracket(x, sLo, sHi)
	if !ok {
		return true, false
	}
	if step6, ok6 := outFromBounds(x, sLo, sHi); ok6 && step6 != got {
		t.Fatalf("w2 %d, x %d, y %d, d %d: output bracket %d, step 6 %d", w2, x, y, d, got, step6)
	}
	if want := c.buyOutRef(x, y, d); got != want {
		t.Fatalf("w2 %d, x %d, y %d, d %d: output bracket %d, pow %d", w2, x, y, d, got, want)
	}
	return true, true
}

// The output bracket gives the pow_ratio_scaled path's output (and step
// 6's, where that answers) wherever it answers: chain buys into pools of
// 1e9 to 1e16 rao at every weight (where it must answer nearly always),
// larger pools, inputs of every size, and the edges. Bounds near 2^64
// leave it to step 6.
func TestExpOutDirectBracket(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 92))
	n := 20000
	if testing.Short() {
		n = 3000
	}
	bounded, answered := 0, 0
	for range n {
		w2 := randomWeight(r)
		y := 1e9 + r.Uint64N(1e16)
		x := 1e9 + r.Uint64N(1e16)
		b, a := checkOutBracket(t, w2, x, y, y>>(11+r.UintN(30)))
		if b {
			bounded++
		}
		if a {
			answered++
		}
	}
	if bounded < n/2 || answered < bounded*99/100 {
		t.Fatalf("the output bracket answered %d of the %d of %d chain-buy-like swaps with bounds", answered, bounded, n)
	}
	for range n / 2 {
		w2 := randomWeight(r)
		checkOutBracket(t, w2, r.Uint64()>>r.UintN(64), r.Uint64()>>r.UintN(64), r.Uint64()>>r.UintN(64))
	}
	weights := []uint64{uint64(MinWeight), uint64(MaxWeight), uint64(HalfWeight) - 1, uint64(HalfWeight) + 1}
	reserves := []uint64{1, 2, 1e9, 1 << 54, 1 << 60, math.MaxUint64 - 1, math.MaxUint64}
	for _, w2 := range weights {
		for _, x := range reserves {
			for _, y := range reserves {
				for _, d := range []uint64{0, 1, 2, y >> 10, y >> 11, y >> 20, math.MaxUint64} {
					checkOutBracket(t, w2, x, y, d)
				}
			}
		}
	}
	if _, ok := outBracket(1e12, 0, math.MaxUint64-outSlack+1); ok {
		t.Fatal("the output bracket answered for sHi + outSlack past 2^64")
	}
}

// FuzzOutBracket compares the output bracket with step 6 and the
// pow_ratio_scaled path.
func FuzzOutBracket(f *testing.F) {
	f.Add(uint64(HalfWeight)+282205, uint64(4e14), uint64(149717098533755), uint64(1998993))
	f.Add(uint64(MinWeight), uint64(1e12), uint64(1e12), uint64(1e9))
	f.Add(uint64(MaxWeight), uint64(1), uint64(math.MaxUint64), uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, w2, x, y, d uint64) {
		w2 = uint64(MinWeight) + w2%(uint64(MaxWeight-MinWeight)+1)
		checkOutBracket(t, w2, x, y, d)
	})
}

// belowMaxPrice is priceBelow at the default limit on every valid curve:
// random weights (MinWeight and MaxWeight among them) and reserves of
// every size, ratios y/x around the shortcut's 10^4, and the edges. The
// proof takes the limit's integer part as 10^6.
func TestBelowMaxPriceMatches(t *testing.T) {
	if maxPriceLimitInt != 1_000_000 {
		t.Fatalf("the default limit's integer part is %d, belowMaxPrice takes 10^6", maxPriceLimitInt)
	}
	r := rand.New(rand.NewPCG(14, 93))
	edges := []uint64{0, 1, 2, 9_999, 10_000, 10_001, 1e9, 1 << 50, 1<<64/10_000 - 1, 1<<64/10_000 + 1, math.MaxUint64}
	weights := []uint64{uint64(MinWeight), uint64(MaxWeight), uint64(HalfWeight)}
	for range 200_000 {
		w2 := randomWeight(r)
		if r.IntN(4) == 0 {
			w2 = weights[r.IntN(len(weights))]
		}
		c := curveOf(fixed.Perquintill(w2))
		var x, y uint64
		switch r.IntN(3) {
		case 0:
			x, y = edges[r.IntN(len(edges))], edges[r.IntN(len(edges))]
		case 1:
			x = r.Uint64() >> r.UintN(64)
			hi, lo := bits.Mul64(x, 9_000+r.Uint64N(2_000_000))
			y = lo
			if hi != 0 {
				y = math.MaxUint64
			}
		default:
			x, y = r.Uint64()>>r.UintN(64), r.Uint64()>>r.UintN(64)
		}
		if got, want := c.belowMaxPrice(x, y), c.priceBelow(x, y, maxPriceLimitInt); got != want {
			t.Fatalf("w2 %d, x %d, y %d: belowMaxPrice %v, priceBelow %v", w2, x, y, got, want)
		}
	}
}

// buyOutFirstOrder gives buyOut's output wherever it answers, and it
// answers nearly always for the coinbase's chain buys into pools weighted
// near 1/2 (within 5000 parts of 10^18; buys of 2^-14 to 2^-41 of the TAO
// reserve: else it only adds work): random buys of every size into pools
// of every size and weight, and the edges.
func TestBuyOutFirstOrderMatches(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 97))
	check := func(w2, x, y, d uint64) bool {
		c := curveOf(fixed.Perquintill(w2))
		got, ok := c.buyOutFirstOrder(x, y, d)
		if want := c.buyOut(x, y, d); ok && got != want {
			t.Fatalf("w2 %d, x %d, y %d, d %d: first order %d, buyOut %d", w2, x, y, d, got, want)
		}
		return ok
	}
	n := 20000
	if testing.Short() {
		n = 3000
	}
	answered := 0
	for range n {
		w2 := uint64(HalfWeight) - 5000 + r.Uint64N(1e4)
		if w2 == uint64(HalfWeight) {
			w2++
		}
		y := 1e12 + r.Uint64N(1e16)
		if check(w2, 1e12+r.Uint64N(1e16), y, y>>(14+r.UintN(28))) {
			answered++
		}
	}
	if answered < n*99/100 {
		t.Fatalf("the first-order path answered %d of %d chain buys near 1/2", answered, n)
	}
	for range n {
		check(randomWeight(r), r.Uint64()>>r.UintN(64), r.Uint64()>>r.UintN(64), r.Uint64()>>r.UintN(64))
	}
	weights := []uint64{uint64(MinWeight), uint64(MaxWeight), uint64(HalfWeight) - 1, uint64(HalfWeight), uint64(HalfWeight) + 1}
	reserves := []uint64{0, 1, 2, 1e9, 1 << 54, math.MaxUint64 - 1, math.MaxUint64}
	for _, w2 := range weights {
		for _, x := range reserves {
			for _, y := range reserves {
				for _, d := range []uint64{0, 1, 2, y >> 10, y >> 11, y >> 20, math.MaxUint64} {
					check(w2, x, y, d)
				}
			}
		}
	}
}

// FuzzBuyOutFirstOrder compares buyOutFirstOrder with buyOut.
func FuzzBuyOutFirstOrder(f *testing.F) {
	f.Add(uint64(HalfWeight)+282205, uint64(4e14), uint64(149717098533755), uint64(1998993))
	f.Add(uint64(HalfWeight)-7, uint64(1e12), uint64(1e12), uint64(1e9))
	f.Add(uint64(MaxWeight), uint64(1), uint64(math.MaxUint64), uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, w2, x, y, d uint64) {
		w2 = uint64(MinWeight) + w2%(uint64(MaxWeight-MinWeight)+1)
		c := curveOf(fixed.Perquintill(w2))
		if got, ok := c.buyOutFirstOrder(x, y, d); ok {
			if want := c.buyOut(x, y, d); got != want {
				t.Fatalf("w2 %d, x %d, y %d, d %d: first order %d, buyOut %d", w2, x, y, d, got, want)
			}
		}
	})
}
