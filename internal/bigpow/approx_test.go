package bigpow

import (
	"math/big"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/holiman/uint256"
)

// TestLn2FIsFloor checks ln2F = floor(ln 2 · 2^120) against the crate's own
// series at 1048 bits (within 2^25 ulps of ln 2), whose bits below 2^-120
// are far from a carry either way.
func TestLn2FIsFloor(t *testing.T) {
	const s = 1048
	_, _, maxIters := fallbackParams(1024, 60)
	l := lnTwo(s, maxIters)
	v := new(big.Int)
	for k := l.n - 1; k >= 0; k-- {
		v.Lsh(v, 64)
		v.Or(v, new(big.Int).SetUint64(l.d[k]))
	}
	low := new(big.Int).And(v, new(big.Int).Sub(new(big.Int).Lsh(bigOne, s-approxF), bigOne))
	margin := new(big.Int).Lsh(bigOne, 26)
	if low.Cmp(margin) < 0 || new(big.Int).Sub(new(big.Int).Lsh(bigOne, s-approxF), low).Cmp(margin) < 0 {
		t.Fatalf("ln 2 lies too near a multiple of 2^-120 for this check")
	}
	v.Rsh(v, s-approxF)
	lh, ll := ln2F.Bits()
	want := new(big.Int).Lsh(new(big.Int).SetUint64(lh), 64)
	want.Or(want, new(big.Int).SetUint64(ll))
	if v.Cmp(want) != 0 {
		t.Fatalf("ln2F = %x, series gives %x", want, v)
	}
}

// approxCase is one fallback-path argument set of the fixed-width range.
type approxCase struct {
	bn, bd    uint256.Int
	en, ed    uint64
	precision uint32
	scale     uint64
}

// exactFallback is the fallback path's result by the series (fallbackFast,
// itself checked against PowBig), or PowBig's where it is out of its box.
func exactFallback(c *approxCase) (uint64, int) {
	if r, class, ok := fallbackFast(&c.bn, &c.bd, c.en, c.ed, c.precision, c.scale); ok {
		return r, class
	}
	w, _ := PowBig(c.bn.ToBig(), c.bd.ToBig(), new(big.Int).SetUint64(c.en), new(big.Int).SetUint64(c.ed), c.precision, new(big.Int).SetUint64(c.scale))
	switch {
	case w.Sign() < 0:
		return 0, negative
	case !w.IsUint64():
		return 0, exceedsU64
	}
	return w.Uint64(), fitsU64
}

// checkApprox requires fallbackApprox, where it answers, to agree with the
// series; it reports whether it answered.
func checkApprox(t testing.TB, c *approxCase) bool {
	t.Helper()
	r, class, ok := fallbackApprox(&c.bn, &c.bd, c.en, c.ed, c.precision, c.scale)
	if !ok {
		return false
	}
	w, wclass := exactFallback(c)
	if class != wclass || class == fitsU64 && r != w {
		t.Fatalf("fallbackApprox(%s, %s, %d, %d, %d, %d) = %d (class %d), series = %d (class %d)",
			c.bn.Dec(), c.bd.Dec(), c.en, c.ed, c.precision, c.scale, r, class, w, wclass)
	}
	return true
}

// weightExponent draws a pool weight w2 in [0.01, 0.99] (near 0.5 when
// near is set, as after many injections) and returns the swap exponent
// w1/w2 or w2/w1, or the limit exponent w/1e18, reduced.
func weightExponent(r *rand.Rand, near, limit bool) (en, ed uint64) {
	const one = 1_000_000_000_000_000_000
	w2 := 10_000_000_000_000_000 + r.Uint64N(980_000_000_000_000_001)
	if near {
		w2 = one/2 - 1_000_000_000_000_000 + r.Uint64N(2_000_000_000_000_001)
	}
	w1 := one - w2
	switch {
	case limit && r.IntN(2) == 0:
		en, ed = w1, one
	case limit:
		en, ed = w2, one
	case r.IntN(2) == 0:
		en, ed = w1, w2
	default:
		en, ed = w2, w1
	}
	g := gcd64(en, ed)
	return en / g, ed / g
}

// logUniform draws a value log-uniformly in [lo, hi), both below 2^64.
func logUniform(r *rand.Rand, lo, hi uint64) uint64 {
	a, b := bits.Len64(lo), bits.Len64(hi)
	k := a + r.IntN(b-a+1)
	v := uint64(1)<<uint(k-1) | r.Uint64()&(1<<uint(k-1)-1)
	return min(max(v, lo), hi-1)
}

// lnPool is a set of bases with their ln at one internal precision, so that
// the differential test pays the series' ln once per base, not per call:
// fallbackFromLogs on two of them is fallbackFast on the pair.
type lnPool struct {
	bases []uint256.Int
	lns   []fixedNum
}

func newLnPool(t *testing.T, bases []uint256.Int, precision uint32) (lnPool, uint32, uint, int) {
	p, i, maxIters := fallbackParams(precision, 60)
	s := uint(i)
	ln2 := lnTwo(s, maxIters)
	pool := lnPool{bases: bases, lns: make([]fixedNum, len(bases))}
	for k := range bases {
		l, ok := lnFast(&bases[k], s, ln2, maxIters)
		if !ok {
			t.Fatalf("ln %s out of the fixed-width box", bases[k].Dec())
		}
		pool.lns[k] = l
	}
	return pool, p, s, maxIters
}

// TestFallbackApproxMatchesSeries is the differential test of the
// approximation against the series on realistic and wide inputs, counting
// how often the approximation declines (it must be rare).
//
// Swaps (precision 256): reserves of 1e9 to 1e19 rao with trades of 1e-9
// to 1 times the reserve, and pairs of unrelated reserves; limits
// (precision 1024): U64F64 prices with moves of 1e-9 to 10 times. Each
// base's ln is computed once (newLnPool) and every pair goes through
// fallbackFromLogs, the second half of fallbackFast.
func TestFallbackApproxMatchesSeries(t *testing.T) {
	type setup struct {
		name      string
		precision uint32
		limit     bool
		pairs     int
	}
	setups := []setup{{"swap", 256, false, 1_000_000}, {"limit", 1024, true, 60_000}}
	if testing.Short() || raceEnabled {
		setups[0].pairs, setups[1].pairs = 60_000, 3_000
	}
	for _, su := range setups {
		t.Run(su.name, func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(11, uint64(su.precision)))
			const centers, offsets = 300, 8
			bases := make([]uint256.Int, 0, centers*offsets)
			for range centers {
				var c uint256.Int
				if su.limit {
					c = uint256.Int{r.Uint64(), logUniform(r, 1, 1<<40)}
				} else {
					c.SetUint64(logUniform(r, 1e9, 1e19))
				}
				bases = append(bases, c)
				for range offsets - 1 {
					// c·(1 + f), f log-uniform in [1e-9, 1) (swaps) or [1e-9, 10) (limits)
					var d, f uint256.Int
					hi := uint64(1e9)
					if su.limit {
						hi = 1e10
					}
					f.SetUint64(logUniform(r, 1, hi))
					d.Mul(&c, &f)
					d.Div(&d, f.SetUint64(1e9))
					d.Add(&d, &c)
					bases = append(bases, d)
				}
			}
			pool, p, s, maxIters := newLnPool(t, bases, su.precision)
			declined := 0
			for k := range su.pairs {
				var a, b int
				if k%5 == 0 {
					a, b = r.IntN(len(bases)), r.IntN(len(bases))
				} else {
					c := r.IntN(centers) * offsets
					a, b = c+r.IntN(offsets), c+r.IntN(offsets)
				}
				if r.IntN(2) == 0 {
					a, b = b, a // both directions: ratios below and above 1
				}
				en, ed := weightExponent(r, k%2 == 0, su.limit)
				if en <= maxExactExponent && ed <= maxExactExponent {
					continue
				}
				got, class, ok := fallbackApprox(&pool.bases[a], &pool.bases[b], en, ed, su.precision, 1e18)
				if !ok {
					declined++
					// Only the domain (|y| >= 30) may decline here: a
					// rounding boundary within the error bound has a
					// chance of about 2^-40 per call.
					_, l, _ := lnRatioApprox(&pool.bases[a], &pool.bases[b])
					lh, _ := l.Bits()
					if y := float64(lh) / (1 << 56) * float64(en) / float64(ed); y < 29 {
						t.Errorf("declined inside the domain (|y| = %.3g): %s / %s ^ %d/%d", y, pool.bases[a].Dec(), pool.bases[b].Dec(), en, ed)
					}
					continue
				}
				want, wclass, wok := fallbackFromLogs(&pool.lns[a], &pool.lns[b], en, ed, p, s, maxIters, 1e18)
				if !wok {
					c := approxCase{pool.bases[a], pool.bases[b], en, ed, su.precision, 1e18}
					want, wclass = exactFallback(&c)
				}
				if class != wclass || class == fitsU64 && got != want {
					t.Fatalf("fallbackApprox(%s, %s, %d, %d, %d, 1e18) = %d (class %d), series = %d (class %d)",
						pool.bases[a].Dec(), pool.bases[b].Dec(), en, ed, su.precision, got, class, want, wclass)
				}
			}
			t.Logf("%d pairs, %d declined (all outside the domain)", su.pairs, declined)
		})
	}
}

// TestFallbackApproxRealisticRate measures how often the approximation
// declines on the coinbase's chain buys: a few TAO into pools of 1e3 to
// 1e6 TAO, quote weights within 1e-3 of 1/2, and on the limit exponents
// of small price moves. On these inputs it must never decline (the
// chance is about 2^-40 per call): every call is checked against the
// series on a sample.
func TestFallbackApproxRealisticRate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	n := 200_000
	if testing.Short() || raceEnabled {
		n = 20_000
	}
	for k := range n {
		var c approxCase
		if k%4 == 3 {
			p := uint256.Int{r.Uint64(), logUniform(r, 1<<20, 1<<40)}
			q := p
			var d uint256.Int
			d.Rsh(&p, uint(8+r.IntN(30)))
			q.Add(&q, &d)
			c.bn, c.bd = q, p
			c.en, c.ed = weightExponent(r, true, true)
			c.precision = 1024
		} else {
			y := logUniform(r, 1e12, 1e15)
			dy := logUniform(r, 1e8, 1e10)
			c.bn.SetUint64(y)
			c.bd.SetUint64(y + dy)
			c.en, c.ed = weightExponent(r, true, false)
			c.precision = 256
		}
		c.scale = 1e18
		if c.en <= maxExactExponent && c.ed <= maxExactExponent {
			continue
		}
		if k%200 == 0 {
			if !checkApprox(t, &c) {
				t.Fatalf("declined %+v", c)
			}
			continue
		}
		if _, _, ok := fallbackApprox(&c.bn, &c.bd, c.en, c.ed, c.precision, c.scale); !ok {
			t.Fatalf("declined %s, %s, %d, %d, %d", c.bn.Dec(), c.bd.Dec(), c.en, c.ed, c.precision)
		}
	}
}

// crossing finds adjacent bases lo, lo+1 (over the denominator bd) where
// the series' result steps from below k to k or more (an overflow counts
// as 2^64), by bisection from start. With 128-bit bases one step of the
// base moves v·scale by about 2^-60, so both neighbours lie within that of
// the rounding boundary k: the approximation must decline on both.
func crossing(c approxCase, start uint256.Int, k *uint256.Int) (lo uint256.Int, found bool) {
	f := func(bn *uint256.Int) uint256.Int {
		c.bn = *bn
		r, class := exactFallback(&c)
		var v uint256.Int
		if class == exceedsU64 {
			return *v.Lsh(v.SetOne(), 64)
		}
		return *v.SetUint64(r)
	}
	if fs := f(&start); !fs.Lt(k) {
		return lo, false
	}
	lo = start
	var step, hi uint256.Int
	step.SetOne()
	for {
		hi.Add(&lo, &step)
		if hi.BitLen() > 128 {
			return lo, false
		}
		if fh := f(&hi); !fh.Lt(k) {
			break
		}
		lo = hi
		step.Lsh(&step, 1)
	}
	var one, mid uint256.Int
	one.SetOne()
	for {
		mid.Sub(&hi, &lo)
		if mid.Eq(&one) {
			return lo, true
		}
		mid.Rsh(&mid, 1)
		mid.Add(&mid, &lo)
		if fm := f(&mid); fm.Lt(k) {
			lo = mid
		} else {
			hi = mid
		}
	}
}

// TestFallbackApproxDeclinesNearBoundary constructs inputs whose result
// lies within about 2^-60 of a rounding boundary (of the floor, and of the
// u64 overflow) and requires the approximation to decline on them and Pow
// to return the series' result.
func TestFallbackApproxDeclinesNearBoundary(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	type kind struct {
		precision uint32
		limit     bool
		n         int
		overflow  bool
	}
	kinds := []kind{{256, false, 24, false}, {1024, true, 4, false}, {1024, true, 2, true}}
	for _, kd := range kinds {
		for range kd.n {
			c := approxCase{precision: kd.precision, scale: 1e18}
			near := kd.overflow || r.IntN(2) == 0
			c.en, c.ed = weightExponent(r, near, kd.limit)
			for c.en <= maxExactExponent && c.ed <= maxExactExponent {
				c.en, c.ed = weightExponent(r, near, kd.limit)
			}
			var start, k uint256.Int
			if kd.overflow {
				// v·1e18 = 2^64 needs v = 18.45, bn = bd·18.45^(ed/en)
				// (about 340·bd): the bisection climbs from bn = bd.
				c.bd = uint256.Int{r.Uint64(), r.Uint64() >> 12}
				start = c.bd
				k.Lsh(k.SetOne(), 64)
			} else {
				// bn = bd·(1 - 2^-m): |y| stays small at any weight.
				c.bd = uint256.Int{r.Uint64(), r.Uint64() >> 1}
				start.Rsh(&c.bd, uint(4+r.IntN(27)))
				start.Sub(&c.bd, &start)
				c.bn = start
				v, _ := exactFallback(&c)
				k.SetUint64(v + 1)
			}
			lo, found := crossing(c, start, &k)
			if !found {
				t.Fatalf("no crossing of %s from %s over %s ^ %d/%d", k.Dec(), start.Dec(), c.bd.Dec(), c.en, c.ed)
			}
			// 2^32 steps below (about 2^-35 from the boundary, far beyond
			// the error bound) the approximation answers, and rightly.
			c.bn.Sub(&lo, new(uint256.Int).Lsh(new(uint256.Int).SetOne(), 32))
			if !checkApprox(t, &c) {
				t.Fatalf("approximation declined away from the boundary %s: %s / %s ^ %d/%d", k.Dec(), c.bn.Dec(), c.bd.Dec(), c.en, c.ed)
			}
			for _, bn := range []uint256.Int{lo, *new(uint256.Int).AddUint64(&lo, 1)} {
				c.bn = bn
				if r, class, ok := fallbackApprox(&c.bn, &c.bd, c.en, c.ed, c.precision, c.scale); ok {
					t.Fatalf("approximation answered %d (class %d) at the boundary %s: %s / %s ^ %d/%d", r, class, k.Dec(), c.bn.Dec(), c.bd.Dec(), c.en, c.ed)
				}
				w, wclass := exactFallback(&c)
				got, of, ok := Pow(&c.bn, &c.bd, c.en, c.ed, c.precision, c.scale)
				if !ok || of != (wclass == exceedsU64) || !of && got != w {
					t.Fatalf("Pow = %d, %v, %v; series = %d (class %d)", got, of, ok, w, wclass)
				}
			}
		}
	}
}

// TestFallbackApproxDomain covers the inputs the approximation leaves to
// the series (each checked through Pow against PowBig) and its early
// answers.
func TestFallbackApproxDomain(t *testing.T) {
	out := []approxCase{
		{bn: uint256.Int{0, 0, 1}, bd: uint256.Int{3}, en: 1025, ed: 1024, precision: 256, scale: 1e18},   // base beyond 2^128
		{bn: uint256.Int{5}, bd: uint256.Int{7}, en: 1025, ed: 1024, precision: 100, scale: 1e18},         // P < 256
		{bn: uint256.Int{5}, bd: uint256.Int{7}, en: 1025, ed: 1024, precision: 1100, scale: 1e18},        // I > maxFastI
		{bn: uint256.Int{5}, bd: uint256.Int{7}, en: 1 << 31, ed: 1025, precision: 256, scale: 1e18},      // exponent above 2^20
		{bn: uint256.Int{1}, bd: uint256.Int{1 << 63}, en: 1025, ed: 1024, precision: 256, scale: 1e18},   // |y| >= 30
		{bn: uint256.Int{1 << 50}, bd: uint256.Int{1}, en: 1025, ed: 1024, precision: 256, scale: 1e18},   // |y| >= 30
		{bn: uint256.Int{1 << 20}, bd: uint256.Int{1}, en: 1025, ed: 1024, precision: 1024, scale: 1e18},  // overflow
		{bn: uint256.Int{12345}, bd: uint256.Int{12345}, en: 1025, ed: 1024, precision: 256, scale: 1e18}, // equal bases
		{bn: uint256.Int{12345}, bd: uint256.Int{12346}, en: 1025, ed: 1024, precision: 256, scale: 0},    // scale 0
	}
	wantOK := []bool{false, false, false, false, false, false, true, true, true}
	for k := range out {
		c := &out[k]
		_, _, ok := fallbackApprox(&c.bn, &c.bd, c.en, c.ed, c.precision, c.scale)
		if ok != wantOK[k] {
			t.Errorf("case %d: ok = %v, want %v", k, ok, wantOK[k])
		}
		checkApprox(t, c)
		checkPowAgainstBig(t, powInput{c.bn, c.bd, c.en, c.ed, c.precision, c.scale})
	}
}

func TestFallbackApproxDoesNotAllocate(t *testing.T) {
	c := bench256[0]
	allocs := testing.AllocsPerRun(100, func() {
		r, _, ok := fallbackApprox(&c.bn, &c.bd, c.en, c.ed, c.precision, c.scale)
		sinkU64, sinkBool = r, ok
	})
	if allocs != 0 {
		t.Fatalf("fallbackApprox allocates %v times per call", allocs)
	}
}

// FuzzPowFastMatchesExact requires the approximation, where it answers,
// to agree with the series, and Pow to agree with it: bases of up to 128
// bits, any exponent terms and scale, precisions 256 and 1024 or any below
// 1100.
func FuzzPowFastMatchesExact(f *testing.F) {
	f.Add(uint64(987654321098765), uint64(0), uint64(997654321098765), uint64(0), uint64(516273847362514088), uint64(483726152637485912), uint32(0), uint64(1e18))
	f.Add(uint64(248560228746085657), uint64(0), uint64(246099249429016877), uint64(0), uint64(516273847362514088), uint64(1e18), uint32(1), uint64(1e18))
	f.Add(uint64(1e12), uint64(0), uint64(1e12+3e9), uint64(0), uint64(499000000000000001), uint64(500999999999999999), uint32(0), uint64(1e18))
	f.Add(uint64(0), uint64(1<<40), uint64(5), uint64(1<<30), uint64(1025), uint64(2048), uint32(1), uint64(1e18))
	f.Fuzz(func(t *testing.T, bn0, bn1, bd0, bd1, en, ed uint64, prec uint32, scale uint64) {
		c := approxCase{bn: uint256.Int{bn0, bn1}, bd: uint256.Int{bd0, bd1}, en: en, ed: ed, scale: scale}
		switch prec % 4 {
		case 0:
			c.precision = 256
		case 1:
			c.precision = 1024
		default:
			c.precision = prec % 1100
		}
		if c.bn.IsZero() || c.bd.IsZero() || en == 0 || ed == 0 {
			return
		}
		g := gcd64(en, ed)
		c.en, c.ed = en/g, ed/g
		if c.en <= maxExactExponent && c.ed <= maxExactExponent {
			return
		}
		if !checkApprox(t, &c) {
			return
		}
		w, wclass := exactFallback(&c)
		got, of, ok := Pow(&c.bn, &c.bd, en, ed, c.precision, c.scale)
		if !ok || of != (wclass == exceedsU64) || wclass == fitsU64 && got != w {
			t.Fatalf("Pow = %d, %v, %v; series = %d (class %d)", got, of, ok, w, wclass)
		}
	})
}

// TestApproxPowErrorBound checks Part 2's bound itself: E is within errV of
// (bn/bd)^(en/ed)·2^sh, measured against the series at 1024 bits with
// scale 2^sh (within 2^-900 of the real value, Part 1). It also logs the
// largest error seen as a fraction of the bound.
func TestApproxPowErrorBound(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	n := 150
	if testing.Short() || raceEnabled {
		n = 30
	}
	worst := 0.0
	for k := 0; k < n; {
		var bn, bd uint256.Int
		switch k % 3 {
		case 0: // a swap
			y := logUniform(r, 1e9, 1e19)
			bn.SetUint64(y)
			bd.SetUint64(y + logUniform(r, 1, y))
		case 1: // a limit
			bd = uint256.Int{r.Uint64(), logUniform(r, 1, 1<<50)}
			bn.Rsh(&bd, uint(1+r.IntN(60)))
			bn.Add(&bn, &bd)
		default: // anything
			bn = uint256.Int{r.Uint64(), r.Uint64() >> uint(r.IntN(64))}
			bd = uint256.Int{r.Uint64(), r.Uint64() >> uint(r.IntN(64))}
		}
		en, ed := weightExponent(r, k%2 == 0, k%3 == 1)
		if r.IntN(2) == 0 {
			bn, bd = bd, bn
		}
		if bn.IsZero() || bd.IsZero() || en <= maxExactExponent && ed <= maxExactExponent {
			continue
		}
		e, errV, sh, ok := approxPow(&bn, &bd, en, ed)
		if !ok {
			continue
		}
		k++
		ref, _ := PowBig(bn.ToBig(), bd.ToBig(), new(big.Int).SetUint64(en), new(big.Int).SetUint64(ed), 1024, new(big.Int).Lsh(bigOne, sh))
		eh, el := e.Bits()
		got := new(big.Int).Lsh(new(big.Int).SetUint64(eh), 64)
		got.Or(got, new(big.Int).SetUint64(el))
		diff := new(big.Int).Sub(got, ref)
		diff.Abs(diff)
		if diff.Cmp(new(big.Int).SetUint64(errV+1)) > 0 {
			t.Fatalf("%s / %s ^ %d/%d: E = %s, reference %s, error %s above the bound %d", bn.Dec(), bd.Dec(), en, ed, got, ref, diff, errV)
		}
		if f, _ := new(big.Float).Quo(new(big.Float).SetInt(diff), new(big.Float).SetUint64(errV)).Float64(); f > worst {
			worst = f
		}
	}
	t.Logf("largest error seen: %.3f of the bound", worst)
}
