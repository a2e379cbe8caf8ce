package bigpow

import (
	"github.com/dtao-go/dtao/fixed"
	"math/bits"

	"github.com/holiman/uint256"
)

// The approximate fallback (Ziv's strategy). The fallback path's result is
// floor(X) for the crate's value X = round(e/g)·scale/2^P, where e is its
// fixed-point exp. fallbackApprox brackets X between two numbers from a
// 128-bit fixed-point evaluation of v = (bn/bd)^(en/ed) with a rigorous error
// bound, and answers only when both floors agree; otherwise the caller runs
// the series. No floating point is involved: every step below is an integer
// operation whose rounding is stated.
//
// # Domain
//
// bn, bd in [1, 2^128), not equal; the reduced exponent en/ed at most 2^20
// (the pool's weight ratios are at most 99); the crate's P >= 256 and
// I = P+24 <= maxFastI (the AMM's precisions 256 and 1024 with scale 1e18);
// and |y| < 31 for y = (en/ed)·ln(bn/bd). Outside it, ok is false.
//
// # Part 1: the crate's value is within 2^-177 of v
//
// Units are ulps of 2^-I (I >= 280), S = 2^I, g = 2^24 the guard factor; all
// floors are toward -inf, each off by less than one ulp.
//
//  1. ln1p(x) for an exact x with |x| <= S/2: the terms t_n = floor(t_{n-1}·x/S)
//     are within 2 of x^n/S^(n-1) (the error obeys e_n <= e_{n-1}/2 + 1),
//     each summand floor(t_n/n) within 2 of x^n/(n·S^(n-1)). The series stops
//     when a summand is zero or below g in magnitude (the crate's "rounded
//     sum unchanged" rule is the same test, see fallback.go); the summands
//     shrink at least twofold, so the omitted tail is below g+2, and the
//     stop comes before n = I < maxIters. Error: 2·I + g + 2 < 2^25.
//  2. ln 2 = -ln1p(-S/2): error below 2^25. ln v for v < 2^128: the mantissa
//     m = v·2^(I-shift) is exact (I > shift), halving it is exact (it has at
//     least I-128 trailing zeros), so ln v = ln1p(m-S) + shift·ln 2 with
//     shift <= 128: error below 2^25 + 128·2^25 < 2^33.
//  3. L = floor((ln bn - ln bd)·en/ed): |L - y·S| < 2^34·2^20 + 1 <= 2^55.
//  4. exp(λ) for λ = L/S, a = |λ| < 32: the terms t_n = floor(t_{n-1}·L/(S·n))
//     have errors e_n <= (a/n)·e_{n-1} + 1, so e_n <= Σ_m a^m/m! <= e^a < 2^46.2,
//     and once n > 2a, e_n <= e_(n-1)/2 + 1. The real terms a^n/n!·S shrink
//     at least twofold past n = 2a (from the start if a < 1/2). No stop comes
//     early: for 1/2 <= a and 1 <= n <= 2a, a^n/n! >= min(a, (e/2)^(2a)/
//     (e·√(2a))) > 1/22, so the terms are far above g + e^a; and after a
//     term below g past 2a the omitted tail is below g + e^a. Both the real
//     terms and their errors fall below g/2 before n = 205 at I = 280 and
//     n = 446 at I = 1080 (computed from the bounds above), well within
//     maxIters = I + 128. Summed error below 446·2^46.2 + 2^47 < 2^56.
//  5. e^λ against e^y: |e^λ - e^y|·S <= e^32·2^55 < 2^101.3.
//
// So |e - v·S| < 2^102, and round(e/g)·g is within g/2 more: the crate's
// value of v, round(e/g)/2^P, is within 2^(102-280) + 2^-257 < 2^-177 of v,
// and X within 2^-177·scale of v·scale.
//
// # Part 2: the 128-bit evaluation
//
// Units are ulps u = 2^-F, F = approxF = 120; every floor below is of a
// non-negative value and loses less than 1u.
//
//  1. ρ = bn/bd = 2^k·A/B with A/B in [3/4, 3/2) (exact shifts), and
//     ln ρ = k·ln 2 + 2·atanh(z), z = (A-B)/(A+B), |z| < 1/5. Z = floor(|z|)
//     (exact integer division): Z in (|z|-1, |z|].
//  2. atanh: q = floor(Z²) is within 2|z|+1 < 1.4 of z² (in ulps);
//     p_1 = Z, p_(i+1) = floor(p_i·q); by induction p_i in (P_i - 2, P_i] for
//     P_i = |z|^(2i-1) (the error obeys d_(i+1) < d_i/25 + 1.4/5 + 1 < 2);
//     summands floor(p_i/(2i-1)) are within 3 of P_i/(2i-1). The loop stops
//     at the first p_(J+1) = 0, so P_(J+1) < 2 and the tail is below
//     2/(1-1/25) < 2.1. So 2·sum is within 6J + 5 of 2·atanh(|z|), and with
//     ln2F within 1 of ln 2 (tested), ln ρ is within errLn = 6J + 5 + |k|.
//  3. y = floor(|ln ρ|·en/ed), signed: within errLn·en/ed + 1, so within
//     errY = errLn·m + 1 for any m >= en/ed; m = 1 when en <= ed, else
//     m = 2^(len(en) − len(ed) + 1), as en < 2^len(en) and ed >= 2^(len(ed)−1)
//     (len the bit length): no division (errYBound).
//  4. j = round(y/ln 2) (any integer serves: j is exact), t = y - j·ln2F,
//     checked |t| < 0.375 = 3/8. The true t = y - j·ln 2 is within
//     errT = errY + |j| of it, and v = 2^j·e^t exactly.
//  5. exp(t) = Σ t^n/n!: a_0 = 2^F, a_n = floor(floor(a_(n-1)·|t|)/n), by
//     induction within 3.5 of |t|^n/n! (error < (4·3/8 + 1)/n + 1), signs
//     alternating for t < 0. The loop stops at the first a_(N+1) = 0, so the
//     tail is below 4/(1-3/8) < 7: E is within errE = 4N + 7 of e^t.
//  6. e^t against e^(true t): e^(3/8) < 1.455 and e^δ - 1 < 1.0001·δ for the
//     tiny δ = errT·u, so they differ by less than errT + ceil(errT/2).
//
// Hence v·2^(F-j) lies within errV = errE + errT + ceil(errT/2) of E, and the
// crate's value within errV + 1 (2^-177 < 2^(j-F) for j >= -44, which
// |y| < 31 ensures). floor((E ∓ (errV+1))·scale·2^(j-F)) bound floor(X) from
// below and above; equal bounds are the result, a lower bound of 2^64 or
// more is an overflow, and anything else is left to the series.

// approxF is the number of fractional bits of the approximation.
const approxF = 120

// ln2F is floor(ln 2 · 2^120) (checked against the series in the tests).
var ln2F = fixed.U128FromBits(ln2Hi, 0xABC9E3B39803F2F6)

// ln2Hi is ln2F's high word.
const ln2Hi = 0xB17217F7D1CF79

// mulF returns floor(a·b / 2^approxF); the caller keeps a·b below 2^248.
func mulF(a, b fixed.U128) fixed.U128 { return a.MulShr(b, approxF) }

// mulFWord is mulF for a one-word a and b = bh·2^64 + bl below 2^119:
// floor(a·b / 2^approxF) from two hardware multiplications. a·b is below
// 2^183, three words w2·2^128 + w1·2^64 + w0 with w2 < 2^55, and since
// approxF >= 64 its floor over 2^approxF is w2·2^(128−approxF) +
// floor(w1 / 2^(approxF−64)) (w0 only ever contributes a fraction), below
// 2^63: one word. It is the same integer as mulF, so the series' tails,
// which run on one word once their terms fall below 2^64 (each term is at
// most its predecessor: |t| < 3/8 and q < 1/25), take the same floors,
// and a one-word floor(x/n) is QuoSmall's: the evaluation's bits, and
// with them Part 2's bounds, are unchanged (approxPowRef in the tests is
// the evaluation on 128-bit words throughout).
func mulFWord(a, bh, bl uint64) uint64 {
	h1, _ := bits.Mul64(a, bl)
	h2, l2 := bits.Mul64(a, bh)
	w1, c := bits.Add64(h1, l2, 0)
	w2 := h2 + c
	return w2<<(128-approxF) | w1>>(approxF-64)
}

// quoWord returns floor(x/n) for x < 2^63 and n >= 1 (mulFWord's values),
// by a multiplication for n < len(wordRecip), a hardware division past
// it: with l = ceil(log2 n) and m = ceil(2^(63+l)/n) < 2^64,
// floor(x·m/2^(63+l)) = floor(x/n) for every x < 2^63 (Granlund and Montgomery, "Division by invariant integers using
// multiplication", PLDI 1994, theorem 4.2: m·n − 2^(63+l) <= n <= 2^l).
func quoWord(x, n uint64) uint64 {
	if n >= uint64(len(wordRecip)) {
		return x / n
	}
	r := &wordRecip[n]
	hi, lo := bits.Mul64(x, r.m) // below 2^127: floor(·/2^63) is one word
	return (hi<<1 | lo>>63) >> r.l
}

// wordRecip holds quoWord's m and l for n < 64 (n = 0 unused): the
// series' one-word tails divide by their term's index, which stays below
// 64 on the coinbase's and the limits' arguments.
var wordRecip = func() (t [64]struct {
	m uint64
	l uint
}) {
	for n := uint64(1); n < uint64(len(t)); n++ {
		l := uint(bits.Len64(n - 1)) // ceil(log2 n): 2^(l−1) < n <= 2^l
		// m = ceil(2^(63+l)/n); 2^(63+l) = 2^(l−1)·2^64 for l >= 1.
		q, r := uint64(1)<<63, uint64(0) // n = 1
		if l > 0 {
			q, r = bits.Div64(1<<(l-1), 0, n)
		}
		if r != 0 {
			q++
		}
		t[n].m, t[n].l = q, l
	}
	return t
}()

// signedAdd returns the signed sum of (an, a) and (bn, b), signs as negative
// flags, magnitudes below 2^127.
func signedAdd(an bool, a fixed.U128, bn bool, b fixed.U128) (bool, fixed.U128) {
	if an == bn {
		return an, a.Add(b)
	}
	if a.Cmp(b) < 0 {
		return bn, b.Sub(a)
	}
	return an, a.Sub(b)
}

// lnRatioApprox returns ln(bn/bd) in units of 2^-approxF as a sign and a
// magnitude, and errLn (Part 2, steps 1 and 2), for bn, bd in [1, 2^128).
func lnRatioApprox(bn, bd *uint256.Int) (neg bool, mag fixed.U128, errLn uint64) {
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
	n := uint64(3)
	for ; ; n += 2 {
		if ph, _ := p.Bits(); ph == 0 {
			break
		}
		p = mulF(p, q)
		if p.IsZero() {
			break
		}
		sum = sum.Add(p.QuoSmall(n)) // floor(p/n), by a reciprocal
		terms++
	}
	// The tail on one word (see mulFWord): the same floors.
	if _, pl := p.Bits(); pl != 0 {
		qh, ql := q.Bits()
		for ; ; n += 2 {
			pl = mulFWord(pl, qh, ql)
			if pl == 0 {
				break
			}
			sum = sum.Add(fixed.U128FromUint64(quoWord(pl, n)))
			terms++
		}
	}
	sum = sum.Add(sum)
	ak := uint64(k)
	if k < 0 {
		ak = uint64(-k)
	}
	neg, mag = signedAdd(k < 0, ln2F.MulUint64(ak), zneg, sum)
	return neg, mag, 6*terms + 5 + ak
}

// atanhArg128 is step 1 of Part 2 for bn, bd in [1, 2^126): k, and
// Z = floor(|A−B|·2^F/(A+B)) with its sign (A < B), on 128-bit words. With
// both at most 126 bits after the shifts that equalise their lengths, 3B,
// 4A and A+B stay below 2^128, so every step is the exact integer of
// atanhArg256 (the general path, uint256) and the division is the same
// floor, done by fixed.U128.QuoShl with hardware divisions (|A−B| < A+B,
// so the quotient is below 2^F and never overflows).
func atanhArg128(a, b fixed.U128) (z fixed.U128, zneg bool, k int) {
	k = a.BitLen() - b.BitLen()
	if k > 0 {
		b = b.Lsh(uint(k))
	} else if k < 0 {
		a = a.Lsh(uint(-k))
	}
	u := b.Lsh(1).Add(b)
	if a.Lsh(1).Cmp(u) >= 0 { // 2a >= 3b
		b = b.Lsh(1)
		k++
	} else if a.Lsh(2).Cmp(u) < 0 { // 4a < 3b
		a = a.Lsh(1)
		k--
	}
	zneg = a.Cmp(b) < 0
	t := a.Sub(b)
	if zneg {
		t = b.Sub(a)
	}
	z, _ = t.QuoShl(a.Add(b), approxF)
	return z, zneg, k
}

// atanhArg256 is step 1 of Part 2 on uint256, for bn, bd in [1, 2^128).
func atanhArg256(bn, bd *uint256.Int) (z fixed.U128, zneg bool, k int) {
	a, b := *bn, *bd
	k = a.BitLen() - b.BitLen()
	if k > 0 {
		b.Lsh(&b, uint(k))
	} else if k < 0 {
		a.Lsh(&a, uint(-k))
	}
	// a/b in (1/2, 2); bring it into [3/4, 3/2).
	var t, u uint256.Int
	t.Lsh(&a, 1)
	u.Lsh(&b, 1)
	u.Add(&u, &b)
	if !t.Lt(&u) { // 2a >= 3b
		b.Lsh(&b, 1)
		k++
	} else if t.Lsh(&a, 2); t.Lt(&u) { // 4a < 3b
		a.Lsh(&a, 1)
		k--
	}
	zneg = a.Lt(&b)
	if zneg {
		t.Sub(&b, &a)
	} else {
		t.Sub(&a, &b)
	}
	u.Add(&a, &b)
	t.Lsh(&t, approxF)
	t.Div(&t, &u)
	return fixed.U128FromBits(t[1], t[0]), zneg, k
}

// fallbackApprox is the fallback path's result where the approximation
// settles it (see above); ok is false outside the domain or when the
// bounds straddle a rounding boundary. It does not allocate.
func fallbackApprox(bn, bd *uint256.Int, en, ed uint64, precision uint32, scale uint64) (res uint64, class int, ok bool) {
	if bn[2]|bn[3]|bd[2]|bd[3] != 0 || bn.IsZero() || bd.IsZero() || ed == 0 {
		return 0, 0, false
	}
	if p, i, _ := fallbackParams(precision, bits.Len64(scale)); p < 256 || i > maxFastI {
		return 0, 0, false
	}
	if hi, lo := bits.Mul64(ed, 1<<20); hi == 0 && lo < en {
		return 0, 0, false
	}
	if bn.Eq(bd) {
		// ln bn - ln bd is 0 in the crate too, exp(0) is S, and the result
		// round(S/g)·scale/2^P is scale.
		return scale, fitsU64, true
	}
	e, errV, sh, ok := approxPow(bn, bd, en, ed)
	if !ok {
		return 0, 0, false
	}
	errV++ // the crate's own error (Part 1)

	// floor((E ∓ errV)·scale·2^(j-F)).
	lo, loOver := scaleShift(e.Sub(fixed.U128FromUint64(errV)), scale, sh)
	hi, hiOver := scaleShift(e.Add(fixed.U128FromUint64(errV)), scale, sh)
	switch {
	case loOver:
		return 0, exceedsU64, true
	case !hiOver && lo == hi:
		return lo, fitsU64, true
	}
	return 0, 0, false
}

// approxPow returns E, errV and sh = F - j of Part 2: (bn/bd)^(en/ed)·2^sh
// is within errV of E. ok is false when |y| >= 30. bn, bd in [1, 2^128),
// en <= 2^20·ed.
func approxPow(bn, bd *uint256.Int, en, ed uint64) (e fixed.U128, errV uint64, sh uint, ok bool) {
	lneg, lmag, errLn := lnRatioApprox(bn, bd)

	// y = ln ρ · en/ed (step 3).
	mhi, mlo := lmag.Bits()
	qh, ql, ok := mulRatio(mhi, mlo, en, ed)
	if !ok {
		return fixed.U128{}, 0, 0, false
	}
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
	// a_0 = 2^F and a_1 = floor(floor(2^F·|t|/2^F)/1) = |t| exactly.
	pos, negSum := fixed.U128FromBits(intBits, 0), fixed.U128{}
	a := t
	terms := uint64(0)
	n := uint64(1)
	if !a.IsZero() {
		if tneg {
			negSum = a
		} else {
			pos = pos.Add(a)
		}
		terms, n = 1, 2
	}
	for ; ; n++ {
		if ah, _ := a.Bits(); ah == 0 {
			break
		}
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
	// The tail on one word (see mulFWord): the same floors.
	if _, al := a.Bits(); al != 0 {
		th, tl := t.Bits()
		for ; ; n++ {
			al = quoWord(mulFWord(al, th, tl), n)
			if al == 0 {
				break
			}
			if tneg && n%2 == 1 {
				negSum = negSum.Add(fixed.U128FromUint64(al))
			} else {
				pos = pos.Add(fixed.U128FromUint64(al))
			}
			terms++
		}
	}
	e = pos.Sub(negSum)
	errV = 4*terms + 7 + errT + (errT+1)/2
	sh = uint(approxF) - uint(j) // j <= 44
	if lneg {
		sh = uint(approxF) + uint(j)
	}
	return e, errV, sh, true
}

// mulRatio returns floor(m·en/ed) for m = mhi·2^64 + mlo and ed > 0 as two
// words, and ok == false when it is 2^128 or more. The AMM's exponents
// are near 1 (weights near 1/2), so it first tries the exact identity
// floor(m·en/ed) = m + floor(m·d/ed) for en = ed + d, and
// m − ceil(m·d/ed) for en = ed − d (m is an integer, so it leaves the
// floor unchanged): when m·d is below ed·2^64 that quotient is one word,
// one hardware division where m·en/ed takes two. The result is the same
// integer either way (mulRatioRef in the tests divides m·en directly).
func mulRatio(mhi, mlo, en, ed uint64) (qh, ql uint64, ok bool) {
	d, up := en-ed, true
	if en < ed {
		d, up = ed-en, false
	}
	h1, p0 := bits.Mul64(mlo, d)
	h2, l2 := bits.Mul64(mhi, d)
	p1, c := bits.Add64(h1, l2, 0)
	if h2 == 0 && c == 0 && p1 < ed {
		f, r := bits.Div64(p1, p0, ed)
		if up {
			// No carry: f = 0 for d = 0, else m <= m·d < ed·2^64 <=
			// 2^128 − 2^64 and f < 2^64.
			ql, c = bits.Add64(mlo, f, 0)
			return mhi + c, ql, true
		}
		if r != 0 {
			f++ // now ceil(m·d/ed) <= m, as d <= ed
		}
		var b uint64
		ql, b = bits.Sub64(mlo, f, 0)
		qh, _ = bits.Sub64(mhi, 0, b)
		return qh, ql, true
	}
	h1, w0 := bits.Mul64(mlo, en)
	h2, l2 = bits.Mul64(mhi, en)
	w1, c := bits.Add64(h1, l2, 0)
	w2 := h2 + c
	if w2 >= ed {
		return 0, 0, false
	}
	qh, r := bits.Div64(w2, w1, ed)
	ql, _ = bits.Div64(r, w0, ed)
	return qh, ql, true
}

// errYBound is Part 2's errY = errLn·m + 1 (step 3) for en <= 2^20·ed:
// m = 1 or 2^(len(en) − len(ed) + 1) <= 2^21, and errLn < 2^10, so no
// overflow. A bound above ceil(errLn·en/ed) + 1 only widens the bracket
// of fallbackApprox: an answer it gives is still the crate's integer.
func errYBound(errLn, en, ed uint64) uint64 {
	if en <= ed {
		return errLn + 1
	}
	return errLn<<uint(bits.Len64(en)-bits.Len64(ed)+1) + 1
}

// scaleShift returns floor(a·scale / 2^sh) for 64 <= sh < 192, and whether
// it is 2^64 or more.
func scaleShift(a fixed.U128, scale uint64, sh uint) (uint64, bool) {
	ahi, alo := a.Bits()
	h1, _ := bits.Mul64(alo, scale)
	h2, l2 := bits.Mul64(ahi, scale)
	w1, c := bits.Add64(h1, l2, 0)
	w2 := h2 + c
	if sh >= 128 {
		return w2 >> (sh - 128), false
	}
	s := sh - 64
	return w1>>s | w2<<(64-s), w2>>s != 0
}
