package fixed

import (
	"math/big"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// sharePaths counts the calls of checkShareOfRoundedPaths by the path
// shareOfRounded took: the estimate (fast) or the rounded quotients
// (exact), and among the latter those whose products' sum was in the
// estimate's range (guard: the estimate was within 2^-28 of an integer).
type sharePaths struct{ fast, exact, guard int }

// inEstimateRange reports whether p1·w1 + p2·w2 has its top word in
// [2^22, 10^18 − 1), where shareOfRounded forms the estimate.
func inEstimateRange(p1 U128, w1 uint64, p2 U128, w2 uint64) bool {
	a, b := mulWords(p1, w1), mulWords(p2, w2)
	_, c := bits.Add64(a[2], b[2], 0)
	_, c = bits.Add64(a[1], b[1], c)
	s2, c := bits.Add64(a[0], b[0], c)
	return c == 0 && s2 >= 1<<22 && s2 < PerquintillAccuracy-1
}

// checkShareOfRoundedPaths compares PerquintillShareOfRounded, and
// shareOfRounded behind it, with perquintillShareOfRoundedDiv (the
// composition, with hardware divisions: independent of both paths), and
// counts the path taken in n (when not nil).
func checkShareOfRoundedPaths(t testing.TB, n *sharePaths, p1 U128, w1 uint64, p2 U128, w2 uint64) {
	t.Helper()
	got, ok := PerquintillShareOfRounded(p1, w1, p2, w2)
	r, rok, exact := shareOfRounded(p1, w1, p2, w2)
	want, wok := perquintillShareOfRoundedDiv(p1, w1, p2, w2)
	if got != want || ok != wok || r != want || rok != wok {
		t.Fatalf("PerquintillShareOfRounded(%v, %d, %v, %d) = %d, %v (exact path %v); the composition %d, %v", p1, w1, p2, w2, got, ok, exact, want, wok)
	}
	if n != nil {
		if exact {
			n.exact++
			if inEstimateRange(p1, w1, p2, w2) {
				n.guard++
			}
		} else {
			n.fast++
		}
	}
}

// TestShareOfRoundedPaths compares PerquintillShareOfRounded with
// the composition on random operands across magnitudes: reserve
// pools of every size (products from 0 to 2^128, weights near one half,
// sums of the products either side of the estimate's 2^150), products
// with their sum's top word around 2^22 and around 10^18 − 1 (the
// estimate's bounds, past them the saturating sum and the caps), and any
// words. Both paths must run.
func TestShareOfRoundedPaths(t *testing.T) {
	const half = PerquintillAccuracy / 2
	rng := rand.New(rand.NewPCG(20, 2012))
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	var paths sharePaths
	// A product with top word about 2^e (the sum's top word near
	// 2^(e+1)) and the sum P's top word near a bound b: P1 = top − P2.
	near := func(top uint64) (U128, uint64, U128, uint64) {
		w1 := half + rng.Uint64N(1<<58) - 1<<57
		w2 := PerquintillAccuracy - w1
		// P2 = p2·w2 of any size below the total; P1 = p1·w1 the rest.
		p2 := U128{rng.Uint64() >> rng.IntN(65), rng.Uint64()}
		// p1 ≈ (top·2^128 − p2·w2)/w1, by the wide division.
		p2w2 := mulWords(p2, w2)
		tot := [3]uint64{top, rng.Uint64(), rng.Uint64()}
		if cmp3(tot, p2w2) < 0 {
			return p2, w2, p2, w1
		}
		d := sub3(tot, p2w2)
		p1, ok := quoWide(0, d[0], d[1], d[2], U128{0, w1})
		if !ok {
			return p2, w2, p2, w1
		}
		return p1, w1, p2, w2
	}
	for range n {
		// Reserve products, from tiny pools to 2^64 rao each.
		y, x := rng.Uint64()>>rng.IntN(64), rng.Uint64()>>rng.IntN(64)
		dy, dx := rng.Uint64()>>rng.IntN(64), rng.Uint64()>>rng.IntN(64)
		w2 := half + rng.Uint64N(1<<59) - 1<<58
		checkShareOfRoundedPaths(t, &paths, U128MulSumSat(y, x, dx), PerquintillAccuracy-w2, U128MulSumSat(x, y, dy), w2)
		// A balanced pool at rest (equal products and weights), and
		// products one apart.
		checkShareOfRoundedPaths(t, &paths, U128Mul64(y, x), half, U128Mul64(x, y), half)
		checkShareOfRoundedPaths(t, &paths, U128Mul64(y, x), half, U128Mul64(x, y).Add(U128{0, 1}), half)
		// Sums around the bounds of the estimate: 2^150 (top word
		// 2^22), 10^18 − 1 and 10^18 (the saturating sum), 2^64.
		for _, top := range []uint64{1<<22 - 1, 1 << 22, 1<<22 + 1, PerquintillAccuracy - 2, PerquintillAccuracy - 1, PerquintillAccuracy, PerquintillAccuracy + 1, ^uint64(0)} {
			if rng.IntN(8) == 0 {
				p1, w1, p2, w2 := near(top)
				checkShareOfRoundedPaths(t, &paths, p1, w1, p2, w2)
			}
		}
		// Products of every size with weights of every size, and any
		// words.
		p1 := U128{rng.Uint64() >> rng.IntN(65), rng.Uint64()}
		p2 := U128{rng.Uint64() >> rng.IntN(65), rng.Uint64()}
		checkShareOfRoundedPaths(t, &paths, p1, rng.Uint64()>>rng.IntN(65), p2, rng.Uint64()>>rng.IntN(65))
		checkShareOfRoundedPaths(t, &paths, p1, half+rng.Uint64N(1<<59)-1<<58, p2, half+rng.Uint64N(1<<59)-1<<58)
	}
	if paths.fast == 0 || paths.exact == 0 {
		t.Fatalf("paths taken: %+v, want both", paths)
	}
	t.Logf("paths taken: %+v", paths)
}

// mulWords is p·w in three words, most significant first.
func mulWords(p U128, w uint64) [3]uint64 {
	h0, l0 := bits.Mul64(p.lo, w)
	h1, l1 := bits.Mul64(p.hi, w)
	m, c := bits.Add64(l1, h0, 0)
	return [3]uint64{h1 + c, m, l0}
}

func cmp3(a, b [3]uint64) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func sub3(a, b [3]uint64) [3]uint64 {
	l, c := bits.Sub64(a[2], b[2], 0)
	m, c := bits.Sub64(a[1], b[1], c)
	h, _ := bits.Sub64(a[0], b[0], c)
	return [3]uint64{h, m, l}
}

var bigD = big.NewInt(PerquintillAccuracy)

// shareOperands returns p and w with p·w + 10^18/2 = 10^18·q + r', r'
// within w of r (above it for r below 10^18 − w, else below it; exactly r
// = 10^18/2 for w = 10^18), and false when no p below 2^128 does it
// (or q·10^18 + r < 10^18/2).
func shareOperands(q *big.Int, r, w uint64) (U128, bool) {
	n := new(big.Int).Mul(q, bigD)
	n.Add(n, new(big.Int).SetUint64(r))
	n.Sub(n, big.NewInt(PerquintillAccuracy/2))
	if n.Sign() < 0 || w == 0 {
		return U128{}, false
	}
	wb := new(big.Int).SetUint64(w)
	p, m := new(big.Int).QuoRem(n, wb, new(big.Int))
	if m.Sign() != 0 && r < PerquintillAccuracy-w {
		p.Add(p, big.NewInt(1))
	}
	if p.BitLen() > 128 {
		return U128{}, false
	}
	lo := new(big.Int).And(p, new(big.Int).SetUint64(^uint64(0))).Uint64()
	return U128{new(big.Int).Rsh(p, 64).Uint64(), lo}, true
}

// shareExactBig is floor(10^18·q2/(q1 + q2)) for the rounded quotients of
// the operands (no caps: the callers keep them below 2^128), by big.Int.
func shareExactBig(p1 U128, w1 uint64, p2 U128, w2 uint64) uint64 {
	round := func(p U128, w uint64) *big.Int {
		n := new(big.Int).Lsh(new(big.Int).SetUint64(p.hi), 64)
		n.Or(n, new(big.Int).SetUint64(p.lo))
		n.Mul(n, new(big.Int).SetUint64(w))
		n.Add(n, big.NewInt(PerquintillAccuracy/2))
		return n.Quo(n, bigD)
	}
	q1, q2 := round(p1, w1), round(p2, w2)
	s := new(big.Int).Add(q1, q2)
	if s.Sign() == 0 {
		return 0
	}
	return new(big.Int).Quo(new(big.Int).Mul(q2, bigD), s).Uint64()
}

// nearIntegerShares calls f with operands whose share x = 10^18·q2/(q1 +
// q2) is an integer or within 10^18/Q of one (Q = q1 + q2, from 2^40 to
// 2^127): q1 = q2, ratios a:b of small integers with a + b dividing
// 10^18 (x an integer) and of others, and for a random target R in [0,
// 10^18] the q2 just above and just below R·Q/10^18; each with the
// products' remainders r1 and r2 at 0, 10^18/2, 10^18 − 1 and between
// them, through weights 10^18 (r = 10^18/2 exactly), 2^32 − 5, 2^40 + 3
// and 3^30 (r within the weight of its target). The estimate's error
// (below 10^18/Q + 10^18²/(2P)) has either sign with the remainders, so
// that the estimate of an integer share falls either side of it.
func nearIntegerShares(rng *rand.Rand, f func(p1 U128, w1 uint64, p2 U128, w2 uint64)) {
	const D = PerquintillAccuracy
	rs := []uint64{0, 1, D / 4, D / 2, D - 1 - (1 << 41), D - 1, rng.Uint64N(D)}
	ws := []uint64{D, 1<<32 - 5, 1<<40 + 3, 205891132094649}
	emit := func(q1, q2 *big.Int) {
		for range 3 {
			r1, r2 := rs[rng.IntN(len(rs))], rs[rng.IntN(len(rs))]
			w1, w2 := ws[rng.IntN(len(ws))], ws[rng.IntN(len(ws))]
			p1, ok1 := shareOperands(q1, r1, w1)
			p2, ok2 := shareOperands(q2, r2, w2)
			if ok1 && ok2 {
				f(p1, w1, p2, w2)
				f(p2, w2, p1, w1)
			}
		}
	}
	e := 40 + rng.IntN(88)
	Q := new(big.Int).Lsh(new(big.Int).SetUint64(rng.Uint64()), 64)
	Q.Or(Q, new(big.Int).SetUint64(rng.Uint64()))
	Q.Rsh(Q, uint(127-e))
	Q.SetBit(Q, e, 1)
	// Ratios a:b (q1 = a·t, q2 = b·t).
	for _, ab := range [][2]int64{{1, 1}, {3, 1}, {1, 3}, {4, 1}, {1, 4}, {7, 1}, {3, 5}, {9, 1}, {1, 2}, {2, 1}, {1, 6}, {5, 7}, {15, 1}, {24, 1}, {1, 99}, {999, 1}} {
		t := new(big.Int).Quo(Q, big.NewInt(ab[0]+ab[1]))
		if t.Sign() == 0 {
			continue
		}
		emit(new(big.Int).Mul(t, big.NewInt(ab[0])), new(big.Int).Mul(t, big.NewInt(ab[1])))
	}
	// q2 = ceil(R·Q/D) and floor(R·Q/D): x = R + (D·q2 − R·Q)/Q, within
	// D/Q above and below R.
	R := new(big.Int).SetUint64(rng.Uint64N(D + 1))
	if rng.IntN(4) == 0 {
		R.SetUint64([]uint64{0, 1, D / 2, D - 1, D}[rng.IntN(5)])
	}
	rq := new(big.Int).Mul(R, Q)
	lo, m := new(big.Int).QuoRem(rq, bigD, new(big.Int))
	for _, q2 := range []*big.Int{lo, new(big.Int).Add(lo, big.NewInt(int64(min(1, m.Sign()))))} {
		if q2.Cmp(Q) <= 0 {
			emit(new(big.Int).Sub(Q, q2), q2)
		}
	}
}

// TestShareOfRoundedNearIntegers compares PerquintillShareOfRounded with
// the composition and with big.Int on shares at or within 2^-28 of
// an integer (nearIntegerShares), where the estimate must give way to
// the rounded quotients: both paths must run, the exact one also for
// sums in the estimate's range (its guard).
func TestShareOfRoundedNearIntegers(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 2013))
	n := 20_000
	if testing.Short() {
		n = 2_000
	}
	var paths sharePaths
	for range n {
		nearIntegerShares(rng, func(p1 U128, w1 uint64, p2 U128, w2 uint64) {
			checkShareOfRoundedPaths(t, &paths, p1, w1, p2, w2)
			got, _ := PerquintillShareOfRounded(p1, w1, p2, w2)
			if want := shareExactBig(p1, w1, p2, w2); uint64(got) != want {
				t.Fatalf("PerquintillShareOfRounded(%v, %d, %v, %d) = %d, big.Int %d", p1, w1, p2, w2, got, want)
			}
		})
	}
	if paths.fast == 0 || paths.guard == 0 {
		t.Fatalf("paths taken: %+v, want both", paths)
	}
	t.Logf("paths taken: %+v", paths)
}

// FuzzShareOfRoundedPaths compares PerquintillShareOfRounded with the
// composition on any words, on reserve-like products with weights
// near one half, and on the near-integer shares nearIntegerShares builds
// from the seed.
func FuzzShareOfRoundedPaths(f *testing.F) {
	const half = PerquintillAccuracy / 2
	f.Add(uint64(1<<36), uint64(0), uint64(half), uint64(1<<36), uint64(0), uint64(half), uint64(0))
	f.Add(uint64(1<<37), uint64(12345), uint64(half+1), uint64(1<<35), uint64(678), uint64(half-1), uint64(1))
	f.Add(^uint64(0), ^uint64(0), ^uint64(0), uint64(0), uint64(0), uint64(0), uint64(2))
	f.Add(uint64(0), uint64(7), uint64(1), uint64(0), uint64(7), uint64(1), uint64(3))
	f.Fuzz(func(t *testing.T, h1, l1, w1, h2, l2, w2, seed uint64) {
		// Any words, and from the seed a share at or near an integer.
		checkShareOfRoundedPaths(t, nil, U128{h1, l1}, w1, U128{h2, l2}, w2)
		checkShareOfRoundedPaths(t, nil, U128{h1 >> (h1 % 64), l1}, half+w1%(1<<59)-1<<58, U128{h2 >> (h2 % 64), l2}, half+w2%(1<<59)-1<<58)
		nearIntegerShares(rand.New(rand.NewPCG(seed, h1^l2)), func(p1 U128, w1 uint64, p2 U128, w2 uint64) {
			checkShareOfRoundedPaths(t, nil, p1, w1, p2, w2)
		})
	})
}
