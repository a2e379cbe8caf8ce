package fixed

import "math/bits"

// PerquintillShareOfRounded is Perquintill::from_rational(q2, q1 +sat q2)
// for qi = min(floor((pi·wi + 10^18/2) / 10^18), 2^128 − 1), each product
// rounded half up to whole parts of 10^18 and capped at u128::MAX (the
// swap pallet's Balancer::mul_perquintill_round, as
// update_weights_for_added_liquidity combines two of them,
// pallets/swap/src/pallet/balancer.rs), and ok == false (with 0) when
// q1 +sat q2 is 0, where from_rational has no quotient and the caller
// decides. Bit for bit it is
//
//	q1, ok1 := p1.MulAddQuoPerquintill(w1, 10^18/2) // U128Max if !ok1
//	q2, ok2 := p2.MulAddQuoPerquintill(w2, 10^18/2) // U128Max if !ok2
//	PerquintillFromRationalU128(q2, q1.SaturatingAdd(q2))
//
// A reserve pool's products are large (near 2^160 with the weights), and
// for them the share is the floor of an estimate with a proven error
// bound, taken when it is far enough from an integer (shareOfRounded);
// otherwise the rounded quotients themselves (shareOfRoundedExact).
// TestPerquintillShareOfRoundedMatches and FuzzPerquintillShareOfRounded
// compare it with the composition above,
// TestPerquintillShareOfRoundedMatchesDiv, its boundaries' test and
// FuzzPerquintillShareOfRoundedDiv with a version dividing in hardware,
// and TestShareOfRoundedPaths, TestShareOfRoundedNearIntegers and
// FuzzShareOfRoundedPaths with that version on both paths (the exact path
// is the previous version, after the numerators).
func PerquintillShareOfRounded(p1 U128, w1 uint64, p2 U128, w2 uint64) (Perquintill, bool) {
	r, ok, _ := shareOfRounded(p1, w1, p2, w2)
	return r, ok
}

// Bounds of shareOfRounded's estimate: it is taken for a sum of the
// products whose top word is at least shareEstMin (the sum at least
// 2^150) and below 10^18 − 1, and when its remainder's top word is at
// least shareGuard from 0 and from the divisor's (the fraction at least
// 2^-28 from an integer).
const (
	shareEstMin = 1 << 22
	shareGuard  = 1 << 36
)

// shareOfRounded is PerquintillShareOfRounded, and reports whether it took
// the exact path (the tests count both paths).
//
// Write D = 10^18, Pi = pi·wi (three words, exact), P = P1 + P2, Ni = Pi
// + D/2 (below 2^192), qi = floor(Ni/D) when Ni's top word is below D
// and the cap otherwise, Ni = D·qi + ri with 0 <= ri < D, S = N1 + N2 =
// P + D, Q = q1 + q2 and r = r1 + r2, so that S = D·Q + r. The estimate
// is taken when P's top word s2 is in [2^22, D − 1) (no carry out of the
// three words): then S < (D − 1)·2^128 + D < D·2^128, each Ni <= S has
// its top word below D (no cap), and Q <= S/D < 2^128 (no saturation),
// so the result is PerquintillFromRationalU128(q2, Q) = floor(x) for x =
// D·q2/Q, with Q > 0.
//
// x is close to y = D·P2/P, in two steps. First, with q2/Q = (N2 −
// r2)/(S − r),
//
//	D·q2/Q − D·N2/S = D·(N2·r1 − N1·r2) / (S·(S − r)),
//
// where both products are nonnegative and below D·S (ri < D, Ni <= S),
// so the difference is below D²·S/(S·(S − r)) = D²/(S − r) <= D²/(S −
// 2D) in size. Second, D·N2/S − D·P2/P = D·(N2·P − P2·S)/(S·P) = D²·(P/2
// − P2)/(S·P) (N2 = P2 + D/2, S = P + D), at most D²/(2S) in size. With
// P >= 2^150 (D² < 2^119.59): |x − y| < 2^-30.40 + 2^-31.41 < 2^-29.8.
//
// The divisor is P's top 128 bits: with sh = LeadingZeros64(s2) (4 to
// 41 here) and k = 64 − sh, P' = floor(P/2^k) has its top bit at 127
// (the normalised divisor (d1, d0), d1 >= 2^63), and the numerator is M
// = floor(D·P2/2^k) (the words (m2, m1, m0) of D·P2, four words, shifted
// left by sh). y' = M/P' is within D/P' <= D/2^127 < 2^-67 of y: with
// D·P2 = M·2^k + f and P = P'·2^k + b, f and b below 2^k, y − y' = (P'·f
// − M·b)/(P·P'), where P'·f < P'·2^k <= P and M·b < M·2^k <= D·P2 <= D·P
// (both nonnegative). So |x − y'| < 2^-29.8 + 2^-67 < 2^-29.
//
// y' = R̂ + ρ/P' for R̂ = floor(M/P') and 0 <= ρ < P', one 3-by-2 word
// step: (m2, m1) = floor(M/2^64) <= D·P/2^(k+64) < D·(P' + 1)/2^64 <=
// D·(d1 + 1), so m2 < d1 (Div64's precondition) and Knuth's trial
// quotient q̂ = floor((m2, m1)/d1) (TAOCP vol. 2, 4.3.1, algorithm D,
// step D3) is at least R̂ and at most D (D − 1 < d1). Its remainder ρ̂ =
// M − q̂·P' = (r̂, m0) − q̂·d0 (r̂ the remainder of (m2, m1) by d1) is
// then at least −q̂·d0 > −2^124 > −P', so q̂ is R̂ or R̂ + 1: one
// correction, taken without a branch when the subtraction borrows (R̂ =
// q̂ − 1, ρ = ρ̂ + P', their sum mod 2^128 being the value in [0, P')).
//
// When ρ's top word ρ1 is at least 2^36 and below d1 − 2^36, ρ >= 2^100
// and P' − ρ > (d1 − ρ1 − 1)·2^64 >= 2^100, so y' is at least 2^100/P' >
// 2^-28 from R̂ and from R̂ + 1 (P' < 2^128), and x, within 2^-29 of y',
// lies strictly between them: floor(x) = R̂ (at most D). The two bounds
// are one unsigned comparison, ρ1 − 2^36 < d1 − 2^37 (a ρ1 below 2^36
// wraps above it). The share of equal products is 1/2 (see below).
// Otherwise (fractions within 2^-28 of an integer: about one call in
// 2^27 for random operands, and by design those whose share is an
// integer or a ratio of small integers) and for the other sums (below
// 2^150, past (D − 1)·2^128, the caps) it takes the exact path.
func shareOfRounded(p1 U128, w1 uint64, p2 U128, w2 uint64) (r Perquintill, ok, exact bool) {
	// P1 = p1·w1 in (a2, a1, a0), P2 in (b2, b1, b0), P in (s2, s1, s0).
	h0, a0 := bits.Mul64(p1.lo, w1)
	a2, l1 := bits.Mul64(p1.hi, w1)
	a1, c := bits.Add64(l1, h0, 0)
	a2 += c
	h0, b0 := bits.Mul64(p2.lo, w2)
	b2, l1 := bits.Mul64(p2.hi, w2)
	b1, c := bits.Add64(l1, h0, 0)
	b2 += c
	s0, c := bits.Add64(a0, b0, 0)
	s1, c := bits.Add64(a1, b1, c)
	s2, c := bits.Add64(a2, b2, c)
	if c == 0 && s2-shareEstMin < PerquintillAccuracy-1-shareEstMin {
		sh := uint(bits.LeadingZeros64(s2)) & 63
		st := -sh & 63 // 64 − sh, sh being 4 to 41
		d1, d0 := s2<<sh|s1>>st, s1<<sh|s0>>st
		// D·P2 in (e3, e2, e1, e0), then its words from 2^k on.
		h0, e0 := bits.Mul64(b0, PerquintillAccuracy)
		h1, e1 := bits.Mul64(b1, PerquintillAccuracy)
		e3, e2 := bits.Mul64(b2, PerquintillAccuracy)
		e1, c := bits.Add64(e1, h0, 0)
		e2, c = bits.Add64(e2, h1, c)
		e3 += c
		m2, m1, m0 := e3<<sh|e2>>st, e2<<sh|e1>>st, e1<<sh|e0>>st
		q, rh := bits.Div64(m2, m1, d1)
		t1, t0 := bits.Mul64(q, d0)
		r0, b := bits.Sub64(m0, t0, 0)
		r1, b := bits.Sub64(rh, t1, b)
		m := -b
		_, c = bits.Add64(r0, d0&m, 0) // of ρ only its top word is tested
		r1 += d1&m + c
		q -= b
		if r1-shareGuard < d1-2*shareGuard {
			return Perquintill(q), true, false
		}
		// Equal products (a balanced pool whose reserves have not moved:
		// y·x and x·y at equal weights) have equal rounded quotients q >=
		// 1, and the share D·q/(2q) is D/2 exactly, an integer the
		// estimate leaves: P = 2·P2 (no carry out of P, as above).
		if s0 == b0<<1 && s1 == b1<<1|b0>>63 && s2 == b2<<1|b1>>63 {
			return PerquintillAccuracy / 2, true, false
		}
	}
	r, ok = shareOfRoundedExact(s2, s1, s0, b2, b1, b0)
	return r, ok, true
}

// shareOfRoundedExact is PerquintillShareOfRounded from the sum P =
// (s2, s1, s0) of the products (mod 2^192) and the second product P2 =
// (b2, b1, b0): the numerators Ni = Pi + 10^18/2 (P1 = P − P2, exact mod
// 2^192 as P1 < 2^192), each rounded quotient qi = floor(Ni/10^18) by
// MulAddQuoPerquintill's two word steps on the reciprocal of 10^18 (the
// cap where Ni's top word is 10^18 or more), and then
// PerquintillFromRationalU128's one- or two-word division, written out
// so that none of them is a call of its own (each is too large for the
// compiler to inline).
func shareOfRoundedExact(s2, s1, s0, b2, b1, b0 uint64) (Perquintill, bool) {
	const half = PerquintillAccuracy / 2
	a0, c := bits.Sub64(s0, b0, 0)
	a1, c := bits.Sub64(s1, b1, c)
	a2, _ := bits.Sub64(s2, b2, c)
	a0, c = bits.Add64(a0, half, 0)
	a1, c = bits.Add64(a1, 0, c)
	a2 += c
	b0, c = bits.Add64(b0, half, 0)
	b1, c = bits.Add64(b1, 0, c)
	b2 += c
	q1 := U128Max()
	if a2 < PerquintillAccuracy {
		hi, r := quoPerqStep(a2<<perqShift|a1>>(64-perqShift), a1<<perqShift|a0>>(64-perqShift))
		lo, _ := quoPerqStep(r, a0<<perqShift)
		q1 = U128{hi, lo}
	}
	q2 := U128Max()
	if b2 < PerquintillAccuracy {
		hi, r := quoPerqStep(b2<<perqShift|b1>>(64-perqShift), b1<<perqShift|b0>>(64-perqShift))
		lo, _ := quoPerqStep(r, b0<<perqShift)
		q2 = U128{hi, lo}
	}
	sum := q1.SaturatingAdd(q2)
	if sum.IsZero() {
		return 0, false
	}
	// PerquintillFromRationalU128(q2, sum) without its p > q case (100%),
	// which cannot occur: the sum, saturated or not, is at least q2. So
	// the quotient is one word and the numerator's top two words are
	// below sum.
	if sum.hi == 0 {
		// q2 ≤ sum < 2^64: q2.hi is 0 and the numerator two words.
		m1, m0 := bits.Mul64(q2.lo, PerquintillAccuracy)
		r, _ := bits.Div64(m1, m0, sum.lo)
		return Perquintill(r), true
	}
	// div3by2q(q2·10^18, sum) with the normalisation moved before the
	// product: floor(q2·10^18/sum) = floor((q2·2^s)·10^18/(sum·2^s)), and
	// q2·2^s ≤ sum·2^s < 2^128 keeps two words (q2 ≤ sum), so only two
	// words are shifted; the numerator q2·2^s·10^18 < sum·2^s·2^64 has its
	// top two words below the normalised divisor, div3by2nq's
	// precondition (written out here: div3by2nq is too large to inline).
	sh, st := normShifts(sum.hi)
	d1, d0 := sum.hi<<sh|sum.lo>>1>>st, sum.lo<<sh
	a1, a0 = q2.hi<<sh|q2.lo>>1>>st, q2.lo<<sh
	h0, m0 := bits.Mul64(a0, PerquintillAccuracy)
	m2, l1 := bits.Mul64(a1, PerquintillAccuracy)
	m1, c := bits.Add64(l1, h0, 0)
	m2 += c
	if m2 >= d1 {
		return Perquintill(div3by2nqCapped(m1, m0, d1, d0)), true
	}
	q, r := bits.Div64(m2, m1, d1)
	return Perquintill(div3by2Correct(q, r, m0, d1, d0)), true
}
