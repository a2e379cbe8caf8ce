package fixed

import "math/bits"

// perquintillShareOfRoundedPrev is PerquintillShareOfRounded as it was
// before its estimate (fixed/recip_div.go at 94b92ad), kept verbatim as
// the reference of TestShareOfRoundedMatchesPrev,
// TestShareOfRoundedNearIntegers and FuzzShareOfRoundedPrev: both
// rounded quotients by two word steps each on the reciprocal of 10^18,
// their saturating sum, and PerquintillFromRationalU128's division of
// q2·10^18 by it.
func perquintillShareOfRoundedPrev(p1 U128, w1 uint64, p2 U128, w2 uint64) (Perquintill, bool) {
	const half = PerquintillAccuracy / 2
	// q1: MulAddQuoPerquintill(w1, half), capped.
	q1 := U128Max()
	h0, n0 := bits.Mul64(p1.lo, w1)
	n2, l1 := bits.Mul64(p1.hi, w1)
	n1, c := bits.Add64(l1, h0, 0)
	n2 += c
	n0, c = bits.Add64(n0, half, 0)
	n1, c = bits.Add64(n1, 0, c)
	n2 += c
	if n2 < PerquintillAccuracy {
		hi, r := quoPerqStep(n2<<perqShift|n1>>(64-perqShift), n1<<perqShift|n0>>(64-perqShift))
		lo, _ := quoPerqStep(r, n0<<perqShift)
		q1 = U128{hi, lo}
	}
	// q2: the same for p2 and w2.
	q2 := U128Max()
	h0, n0 = bits.Mul64(p2.lo, w2)
	n2, l1 = bits.Mul64(p2.hi, w2)
	n1, c = bits.Add64(l1, h0, 0)
	n2 += c
	n0, c = bits.Add64(n0, half, 0)
	n1, c = bits.Add64(n1, 0, c)
	n2 += c
	if n2 < PerquintillAccuracy {
		hi, r := quoPerqStep(n2<<perqShift|n1>>(64-perqShift), n1<<perqShift|n0>>(64-perqShift))
		lo, _ := quoPerqStep(r, n0<<perqShift)
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
	a1, a0 := q2.hi<<sh|q2.lo>>1>>st, q2.lo<<sh
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
