package bigpow

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/holiman/uint256"

	"github.com/dtao-go/dtao/fixed"
)

// The straightforward evaluation of Part 2 (approx.go), every series term
// on 128-bit words: the reference for the one-word tails (mulFWord) of
// lnRatioApprox and approxPow, which must give the same bits.

// lnRatioApproxRef returns ln(bn/bd) in units of 2^-approxF as a sign and a
// magnitude, and errLn (Part 2, steps 1 and 2), for bn, bd in [1, 2^128).
func lnRatioApproxRef(bn, bd *uint256.Int) (neg bool, mag fixed.U128, errLn uint64) {
	var z fixed.U128
	var zneg bool
	var k int
	if bn[1]>>62|bd[1]>>62 == 0 {
		z, zneg, k = atanhArg128(fixed.U128FromBits(bn[1], bn[0]), fixed.U128FromBits(bd[1], bd[0]))
	} else {
		z, zneg, k = atanhArg256(bn, bd)
	}
	q := mulF(z, z)
	sum, p := z, z
	terms := uint64(1)
	for n := uint64(3); ; n += 2 {
		p = mulF(p, q)
		if p.IsZero() {
			break
		}
		sum = sum.Add(p.QuoSmall(n)) // floor(p/n), by a reciprocal
		terms++
	}
	sum = sum.Add(sum)
	ak := uint64(k)
	if k < 0 {
		ak = uint64(-k)
	}
	neg, mag = signedAdd(k < 0, ln2F.MulUint64(ak), zneg, sum)
	return neg, mag, 6*terms + 5 + ak
}

// approxPowRef returns E, errV and sh = F - j of Part 2: (bn/bd)^(en/ed)·2^sh
// is within errV of E. ok is false when |y| >= 30. bn, bd in [1, 2^128),
// en <= 2^20·ed.
func approxPowRef(bn, bd *uint256.Int, en, ed uint64) (e fixed.U128, errV uint64, sh uint, ok bool) {
	lneg, lmag, errLn := lnRatioApproxRef(bn, bd)

	// y = ln ρ · en/ed (step 3).
	mhi, mlo := lmag.Bits()
	h1, w0 := bits.Mul64(mlo, en)
	h2, l2 := bits.Mul64(mhi, en)
	w1, c := bits.Add64(h1, l2, 0)
	w2 := h2 + c
	if w2 >= ed {
		return fixed.U128{}, 0, 0, false
	}
	qh, r := bits.Div64(w2, w1, ed)
	ql, _ := bits.Div64(r, w0, ed)
	y := fixed.U128FromBits(qh, ql)
	errY := errYBound(errLn, en, ed)
	const intBits = 1 << (approxF - 64) // one, in the high word
	if qh >= 30*intBits {
		return fixed.U128{}, 0, 0, false // |y| < 31 is what Part 1 assumes
	}

	// j and t (step 4).
	j := (qh + ln2Hi/2) / ln2Hi
	tneg, t := signedAdd(false, y, true, ln2F.MulUint64(j))
	if th, _ := t.Bits(); th >= 3*intBits/8 {
		return fixed.U128{}, 0, 0, false
	}
	if lneg {
		tneg = !tneg
	}
	errT := errY + j

	// exp(t) (step 5).
	a := fixed.U128FromBits(intBits, 0)
	pos, negSum := a, fixed.U128{}
	terms := uint64(0)
	for n := uint64(1); ; n++ {
		a = mulF(a, t).QuoSmall(n) // floor(·/n), by a reciprocal
		if a.IsZero() {
			break
		}
		if tneg && n%2 == 1 {
			negSum = negSum.Add(a)
		} else {
			pos = pos.Add(a)
		}
		terms++
	}
	e = pos.Sub(negSum)
	errV = 4*terms + 7 + errT + (errT+1)/2
	sh = uint(approxF) - uint(j) // j <= 44
	if lneg {
		sh = uint(approxF) + uint(j)
	}
	return e, errV, sh, true
}

// checkApproxPowRef requires lnRatioApprox and approxPow to return what
// their 128-bit references return, bit for bit.
func checkApproxPowRef(t testing.TB, bn, bd *uint256.Int, en, ed uint64) {
	t.Helper()
	gn, gm, ge := lnRatioApprox(bn, bd)
	wn, wm, we := lnRatioApproxRef(bn, bd)
	if gn != wn || gm != wm || ge != we {
		t.Fatalf("lnRatioApprox(%s, %s) = %v %v %d, reference %v %v %d", bn.Dec(), bd.Dec(), gn, gm, ge, wn, wm, we)
	}
	e, errV, sh, ok := approxPow(bn, bd, en, ed)
	we2, werrV, wsh, wok := approxPowRef(bn, bd, en, ed)
	if e != we2 || errV != werrV || sh != wsh || ok != wok {
		t.Fatalf("approxPow(%s, %s, %d, %d) = %v %d %d %v, reference %v %d %d %v", bn.Dec(), bd.Dec(), en, ed, e, errV, sh, ok, we2, werrV, wsh, wok)
	}
}

// TestApproxPowMatchesRef checks the one-word tails against the 128-bit
// evaluation on the coinbase's buys (tiny ratios, whose terms reach one
// word after a few steps), limit ratios, arbitrary bases of every length,
// ratios at the normalisation's edges 3/4 and 3/2, bases equal to within
// one unit (z below 2^-120 and zero), and the extremes.
func TestApproxPowMatchesRef(t *testing.T) {
	edges := []uint256.Int{
		{1}, {2}, {3}, {4}, {5}, {math.MaxUint64}, {0, 1}, {math.MaxUint64, math.MaxUint64},
		{1e18}, {1e18 + 1}, {3e18, 1}, {4e18, 1}, {1 << 63, 1<<63 - 1}, {math.MaxUint64 - 1, math.MaxUint64},
	}
	exps := [][2]uint64{{1, 3}, {3, 1}, {499999999999999999, 500000000000000001}, {7, 1e18}, {99, 1}, {1 << 20, 1}, {1, 1 << 40}}
	for i := range edges {
		for j := range edges {
			if i == j {
				continue
			}
			for _, x := range exps {
				checkApproxPowRef(t, &edges[i], &edges[j], x[0], x[1])
			}
		}
	}
	r := rand.New(rand.NewPCG(21, 22))
	n := 1_000_000
	if testing.Short() || raceEnabled {
		n = 50_000
	}
	for k := range n {
		var bn, bd uint256.Int
		switch k % 5 {
		case 0, 1: // a chain buy: dy into y
			y := logUniform(r, 1e9, 1e19)
			bn.SetUint64(y)
			bd.SetUint64(y + logUniform(r, 1, y/8+1))
		case 2: // a limit ratio
			bd = uint256.Int{r.Uint64(), logUniform(r, 1, 1<<50)}
			bn.Rsh(&bd, uint(1+r.IntN(120)))
			bn.Add(&bn, &bd)
		case 3: // anything
			bn = uint256.Int{r.Uint64(), r.Uint64() >> uint(r.IntN(65))}
			bd = uint256.Int{r.Uint64(), r.Uint64() >> uint(r.IntN(65))}
		default: // ratios by 3/4 and 3/2, off by a few units
			bd = uint256.Int{r.Uint64(), r.Uint64() >> uint(2+r.IntN(63))}
			bn.Mul(&bd, uint256.NewInt(uint64(3+3*r.IntN(2))))
			bn.Rsh(&bn, 2)
			bn.AddUint64(&bn, r.Uint64N(5))
		}
		if r.IntN(2) == 0 {
			bn, bd = bd, bn
		}
		if bn.IsZero() || bd.IsZero() || bn.Eq(&bd) {
			continue
		}
		en, ed := weightExponent(r, k%2 == 0, k%5 == 2)
		checkApproxPowRef(t, &bn, &bd, en, ed)
	}
}

// FuzzApproxPowMatchesRef compares the one-word tails with the 128-bit
// evaluation on fuzzed bases below 2^128 and exponents up to 2^20.
func FuzzApproxPowMatchesRef(f *testing.F) {
	f.Add(uint64(1e15), uint64(0), uint64(1e15+1e9), uint64(0), uint64(499999999999999999), uint64(500000000000000001))
	f.Add(uint64(3), uint64(0), uint64(4), uint64(0), uint64(1), uint64(3))
	f.Fuzz(func(t *testing.T, nl, nh, dl, dh, en, ed uint64) {
		bn, bd := uint256.Int{nl, nh}, uint256.Int{dl, dh}
		if bn.IsZero() || bd.IsZero() || bn.Eq(&bd) || ed == 0 {
			return
		}
		if hi, lo := bits.Mul64(ed, 1<<20); hi == 0 && lo < en {
			return // outside approxPow's domain (fallbackApprox's check)
		}
		checkApproxPowRef(t, &bn, &bd, en, ed)
	})
}

// TestQuoWordMatchesDivision checks quoWord against the hardware division
// for every tabled n and beyond: x at multiples of n and one below, the
// top of the range 2^63 − 1, and random x below 2^63.
func TestQuoWordMatchesDivision(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	for n := uint64(1); n < uint64(len(wordRecip))+8; n++ {
		xs := []uint64{0, 1, n - 1, n, n + 1, 1<<63 - 1, 1<<63 - 1 - (1<<63-1)%n, 1<<63 - 2 - (1<<63-1)%n}
		for range 20_000 {
			x := r.Uint64() >> (1 + uint(r.IntN(63)))
			xs = append(xs, x, x-x%n, x-x%n-1)
		}
		for _, x := range xs {
			if x >= 1<<63 {
				continue
			}
			if got, want := quoWord(x, n), x/n; got != want {
				t.Fatalf("quoWord(%d, %d) = %d, want %d", x, n, got, want)
			}
		}
	}
}

// mulRatioRef is floor(m·en/ed) as approxPow first computed it: the
// three-word product m·en divided by ed with two hardware divisions, ok
// false when the quotient is 2^128 or more.
func mulRatioRef(mhi, mlo, en, ed uint64) (qh, ql uint64, ok bool) {
	h1, w0 := bits.Mul64(mlo, en)
	h2, l2 := bits.Mul64(mhi, en)
	w1, c := bits.Add64(h1, l2, 0)
	w2 := h2 + c
	if w2 >= ed {
		return 0, 0, false
	}
	qh, r := bits.Div64(w2, w1, ed)
	ql, _ = bits.Div64(r, w0, ed)
	return qh, ql, true
}

func checkMulRatio(t testing.TB, mhi, mlo, en, ed uint64) {
	t.Helper()
	gh, gl, gok := mulRatio(mhi, mlo, en, ed)
	wh, wl, wok := mulRatioRef(mhi, mlo, en, ed)
	if gh != wh || gl != wl || gok != wok {
		t.Fatalf("mulRatio(%#x:%#x, %d, %d) = %#x:%#x %v, reference %#x:%#x %v", mhi, mlo, en, ed, gh, gl, gok, wh, wl, wok)
	}
}

// mulRatio is the two-division quotient on exponents near 1 (the AMM's:
// en − ed from 0 to a few million, both signs), far from 1, en = 0, and
// magnitudes of every length, including quotients at and past 2^128 and
// m·|en − ed| at the one-word boundary ed·2^64.
func TestMulRatioMatchesRef(t *testing.T) {
	const h = 500_000_000_000_000_000
	ms := [][2]uint64{{0, 0}, {0, 1}, {0, math.MaxUint64}, {1, 0}, {math.MaxUint64, math.MaxUint64}, {math.MaxUint64, 0}, {1 << 56, 12345}}
	exps := [][2]uint64{{h, h}, {h + 1, h - 1}, {h - 1, h + 1}, {1, 1}, {2, 1}, {1, 2}, {0, 5}, {math.MaxUint64, 1}, {1, math.MaxUint64},
		{math.MaxUint64, math.MaxUint64 - 1}, {math.MaxUint64 - 1, math.MaxUint64}, {1 << 20, 1}, {99, 1}, {1, 99}}
	for _, m := range ms {
		for _, x := range exps {
			checkMulRatio(t, m[0], m[1], x[0], x[1])
		}
	}
	rng := rand.New(rand.NewPCG(14, 40))
	for range 1_000_000 {
		mhi, mlo := rng.Uint64()>>rng.IntN(65), rng.Uint64()
		ed := rng.Uint64() >> rng.IntN(64)
		if ed == 0 {
			ed = 1
		}
		var en uint64
		switch rng.IntN(4) {
		case 0: // near ed
			d := rng.Uint64() >> (20 + rng.IntN(44))
			en = ed + d
			if rng.IntN(2) == 0 || en < ed {
				en = ed - min(d, ed)
			}
		case 1: // anything
			en = rng.Uint64() >> rng.IntN(64)
		case 2: // m·d just below and above ed·2^64
			d := uint64(1) + rng.Uint64N(1<<20)
			en = ed + d
			if en < ed {
				en = ed - d
			}
			if ed-1 < d { // m = about ed·2^64/d, a word
				q, _ := bits.Div64(ed-1, math.MaxUint64, d)
				mhi, mlo = 0, q+uint64(rng.IntN(3))-1
			} else { // m = about (ed·2^64)/d, two words
				q1, r := bits.Div64(0, ed, d)
				q0, _ := bits.Div64(r, 0, d)
				mhi, mlo = q1, q0+uint64(rng.IntN(3))-1
			}
		default: // the quotient near 2^128
			en = ed + 1 + rng.Uint64N(ed|1)
			if en < ed {
				en = math.MaxUint64
			}
			q, r := bits.Div64(ed-1, math.MaxUint64, en) // (ed·2^64 − 1)/en
			mhi, mlo = q, r<<rng.IntN(64)
		}
		checkMulRatio(t, mhi, mlo, en, ed)
	}
}

func FuzzMulRatio(f *testing.F) {
	f.Add(uint64(1), uint64(12345), uint64(500000000000282205), uint64(499999999999717795))
	f.Add(uint64(0), uint64(7), uint64(0), uint64(3))
	f.Fuzz(func(t *testing.T, mhi, mlo, en, ed uint64) {
		if ed == 0 {
			return
		}
		checkMulRatio(t, mhi, mlo, en, ed)
	})
}
