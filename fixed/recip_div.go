package fixed

import "math/bits"

// U64F64Divisor is a U64F64 divisor prepared for many divisions by it
// (the shares of a block all divide by the same sum). Divide(x) is
// x.CheckedDiv(d), bit for bit; where the quotient is below 1 (x < d) it
// takes no hardware division: one 2-by-1 (d below 2^64 raw) or 3-by-2
// word step of Möller and Granlund's division by a precomputed
// reciprocal ("Improved division by invariant integers", IEEE Trans.
// Computers 60(2), 2011, algorithms 4 and 5). The zero value divides
// nothing (Divide reports false, as CheckedDiv does for a zero divisor).
type U64F64Divisor struct {
	d      U64F64
	n1, n0 uint64 // d << s: n1 >= 2^63 (two words), or n0 >= 2^63 and n1 = 0 (one)
	s      uint
	v      uint64 // the reciprocal: floor((2^192−1)/(d<<s)) − 2^64, or floor((2^128−1)/(d<<s)) − 2^64 for one word
}

// nearOneFloor is 2^64 − 2^32: a one-word divisor whose raw bits are
// above it is 1 − e·2^-64 with 1 <= e < 2^32, whose reciprocal
// NewU64F64Divisor writes down without dividing.
const nearOneFloor = 1<<64 - 1<<32

// NewU64F64Divisor prepares d for [U64F64Divisor.Divide] (one hardware
// division, or a 3-by-2 step for a two-word d; none for a d just below 1,
// 1 − e·2^-64 with e < 2^32, whose reciprocal is e).
func NewU64F64Divisor(d U64F64) U64F64Divisor {
	r := U64F64Divisor{d: d}
	switch {
	case d.hi != 0:
		r.s = uint(bits.LeadingZeros64(d.hi))
		r.n1, r.n0 = d.hi<<r.s|d.lo>>(64-r.s), d.lo<<r.s
		// 2^192 − 1 − 2^64·(d<<s) is (^n1, ^n0, ^0): the quotient of it
		// by d<<s is the reciprocal, below 2^64 for a normalised divisor.
		q, _ := quoWide(0, ^r.n1, ^r.n0, ^uint64(0), U128{r.n1, r.n0})
		r.v = q.lo
	case d.lo > nearOneFloor:
		// d = 1 − e·2^-64 for 1 <= e < 2^32 (raw bits 2^64 − e; the sum of
		// a block's price shares, each floored to 2^-64, is of this form):
		// already normalised (s = 0), and its reciprocal is e itself, with
		// no division. (2^64 − e)(2^64 + e) = 2^128 − e², so 2^128 − 1 =
		// (2^64 − e)(2^64 + e) + (e² − 1), where 0 <= e² − 1 < 2^64 − e
		// for e < 2^32 (e² − 1 <= 2^64 − 2^33 < 2^64 − 2^32 < 2^64 − e):
		// floor((2^128 − 1)/d) is 2^64 + e exactly, and v = e is the same
		// reciprocal the division below computes, so Divide is unchanged.
		// TestU64F64DivisorNearOne and FuzzU64F64DivisorNearOne check it.
		r.n0 = d.lo
		r.v = -d.lo
	case d.lo != 0:
		r.s = uint(bits.LeadingZeros64(d.lo))
		r.n0 = d.lo << r.s
		// (2^128 − 1 − 2^64·(d<<s)) / (d<<s): the word reciprocal.
		r.v, _ = bits.Div64(^r.n0, ^uint64(0), r.n0)
	}
	return r
}

// Divide returns x.CheckedDiv(d) for the prepared d: floor(x·2^64/d), and
// ok == false (with 0) when d is 0 or the quotient overflows.
//
// For x < d the quotient floor(x·2^64/d) = floor((x<<s)·2^64/(d<<s)) is
// below 2^64, and x<<s < d<<s fits the divisor's words, which is the
// precondition of the one-step algorithms; their quotient is the exact
// floor (Möller and Granlund's theorems), so it is CheckedDiv's value,
// which cannot overflow there. Other x go through CheckedDiv itself.
//
// The test x < d is the borrow of x − d (no x is below a zero d), and the
// shifts are bounded below 64 as in [normShifts] (the words carried up by
// the normalisation are w>>1>>(63−s)).
func (r *U64F64Divisor) Divide(x U64F64) (U64F64, bool) {
	_, b := bits.Sub64(x.lo, r.d.lo, 0)
	_, b = bits.Sub64(x.hi, r.d.hi, b)
	if b == 0 {
		return x.CheckedDiv(r.d)
	}
	s := r.s & 63
	if r.n1 == 0 {
		// Algorithm 4 with u1 = x<<s (x.hi is 0 as x < d < 2^64), u0 = 0.
		u1 := x.lo << s
		q1, q0 := bits.Mul64(r.v, u1)
		q1 += u1 // + (u1, 0): the low word adds nothing
		q1++
		rem := -q1 * r.n0 // u0 − q1·d mod 2^64, u0 = 0
		if rem > q0 {
			q1--
			rem += r.n0
		}
		if rem >= r.n0 {
			q1++
		}
		return U64F64{0, q1}, true
	}
	// Algorithm 5 with (u2, u1) = x<<s, u0 = 0.
	u2, u1 := x.hi<<s|x.lo>>1>>(^s&63), x.lo<<s
	q1, q0 := bits.Mul64(r.v, u2)
	q0, c := bits.Add64(q0, u1, 0)
	q1 += u2 + c
	r1 := u1 - q1*r.n1
	t1, t0 := bits.Mul64(r.n0, q1)
	r0, b := bits.Sub64(0, t0, 0)
	r1 = r1 - t1 - b
	r0, b = bits.Sub64(r0, r.n0, 0)
	r1 = r1 - r.n1 - b
	// The two adjustments without branches (the first one's condition is
	// unpredictable in general, as Möller and Granlund note): m is all
	// ones when r1 >= q0, where the algorithm keeps q1 and adds d back to
	// the remainder, and the final q1++ is for a remainder still at
	// least d, the borrow of (r1, r0) − d being 0.
	_, lt := bits.Sub64(r1, q0, 0)
	m := lt - 1
	q1 += lt
	r0, c = bits.Add64(r0, r.n0&m, 0)
	r1 += r.n1&m + c
	_, b = bits.Sub64(r0, r.n0, 0)
	_, b = bits.Sub64(r1, r.n1, b)
	return U64F64{0, q1 + 1 - b}, true
}

// DivideEach replaces each xs[k] by its quotient by the prepared d, the
// value [U64F64Divisor.Divide] returns for it (0 where Divide reports
// false: a zero d or an overflowing quotient), and returns the saturating
// sum of the quotients in order (a saturating sum of unsigned values is
// min(exact sum, max) in any order). Each quotient is the exact floor
// Divide returns, from the divisor's words held in registers across the
// elements below d (divideBelow, a loop that calls nothing: for a d just
// below 1 a product and a one-step correction, for a one-word d
// Divide's algorithm 4, for a two-word d Knuth's 3-by-2 step on a word
// reciprocal of its top word), and from Divide itself for the others
// (x >= d: CheckedDiv). A block's shares divide 64 moving prices, then 64
// weights, by one sum each. TestDivideEachMatchesDivide and
// FuzzDivideEach compare it with Divide. It does not allocate.
func (r *U64F64Divisor) DivideEach(xs []U64F64) (sum U64F64) {
	for k := 0; k < len(xs); k++ {
		n, run := r.divideBelow(xs[k:])
		sum = sum.SaturatingAdd(run)
		if k += n; k == len(xs) {
			break
		}
		// xs[k] >= d (Divide's CheckedDiv), or one divideBelow leaves to
		// Divide: Divide's quotient, 0 when it fails.
		z, _ := r.Divide(xs[k])
		xs[k] = z
		sum = sum.SaturatingAdd(z)
	}
	return sum
}

// divideBelow is DivideEach's loop over the leading elements of xs below
// d: each is replaced by its quotient; it stops at the first element not
// below d (or at the end) and returns how many it divided and the sum of
// their quotients. That sum is exact: each quotient is below 2^64, and
// fewer than 2^63 of them add to less than 2^127, so the words add with
// a carry and nothing to saturate. For a zero d no element is below it.
func (r *U64F64Divisor) divideBelow(xs []U64F64) (int, U64F64) {
	d, n1, n0, v := r.d, r.n1, r.n0, r.v
	s := r.s & 63
	var sumHi, sumLo, c uint64
	if n1 == 0 && d.lo > nearOneFloor {
		// d = 2^64 − e raw, 1 <= e < 2^32 (a sum of floored shares just
		// below 1; v is e, and s is 0). For x < d, x·2^64 = x·d + x·e, so
		// q = x + floor(x·e/d). With x·e = t1·2^64 + t0 (t1 <= e − 1, as
		// x < 2^64), x·e = t1·d + u for u = t1·e + t0, and floor(x·e/d) =
		// t1 + floor(u/d). u <= (e − 1)·e + 2^64 − 1 < 2·d (that is e² +
		// e − 1 < 2^64, true for e < 2^32), so floor(u/d) is 0 or 1: 1
		// when t1·e + t0 carries out of 64 bits (u >= 2^64 > d), and
		// otherwise when u >= d. q is below 2^64 (x < d): the exact
		// floor, Divide's quotient.
		e := v
		for k := range xs {
			x := xs[k]
			if x.hi != 0 || x.lo >= d.lo {
				return k, U64F64{sumHi, sumLo}
			}
			t1, t0 := bits.Mul64(x.lo, e)
			u, cu := bits.Add64(t1*e, t0, 0)
			q := x.lo + t1 + cu
			if cu == 0 && u >= d.lo {
				q++
			}
			xs[k] = U64F64{0, q}
			sumLo, c = bits.Add64(sumLo, q, 0)
			sumHi += c
		}
		return len(xs), U64F64{sumHi, sumLo}
	}
	if n1 == 0 {
		// Algorithm 4, as in Divide (d < 2^64: x < d is x.hi = 0 and
		// x.lo < d.lo).
		for k := range xs {
			x := xs[k]
			if x.hi != 0 || x.lo >= d.lo {
				return k, U64F64{sumHi, sumLo}
			}
			u1 := x.lo << s
			q1, q0 := bits.Mul64(v, u1)
			q1 += u1
			q1++
			rem := -q1 * n0
			if rem > q0 {
				q1--
				rem += n0
			}
			if rem >= n0 {
				q1++
			}
			xs[k] = U64F64{0, q1}
			sumLo, c = bits.Add64(sumLo, q1, 0)
			sumHi += c
		}
		return len(xs), U64F64{sumHi, sumLo}
	}
	// Two words: Knuth's 3-by-2 step (TAOCP vol. 2, 4.3.1, algorithm D,
	// steps D3 and D4 for one quotient digit), its 2-by-1 trial quotient
	// by a reciprocal. With (n1, n0) = d<<s (n1 >= 2^63) and (u2, u1) =
	// x<<s < (n1, n0), the quotient is q = floor((u2, u1, 0)/(n1, n0)),
	// Divide's. For u2 < n1, the trial quotient q̂ = floor((u2, u1)/n1)
	// (below 2^64) and its remainder r̂ < n1 are algorithm 4's on v1, the
	// word reciprocal of n1 (the exact floor); q <= q̂ (q·n1·2^64 <=
	// q·(n1, n0) <= (u2, u1, 0)). q̂ is too large exactly when q̂·(n1, n0)
	// > (u2, u1, 0), that is (subtracting q̂·n1·2^64 from both sides,
	// with (u2, u1) − q̂·n1 = r̂) when q̂·n0 > r̂·2^64: then q̂ − 1 and r̂ +
	// n1 are tested the same way, while r̂ + n1 < 2^64 (past it, r̂·2^64
	// exceeds any q̂·n0 < 2^128, and q̂ stands), and q̂ − 2 is the
	// quotient if it is not q̂ − 1: the normalised divisor makes q̂ at
	// most q + 2 (Knuth's theorem B), and the test is exact (the divisor
	// has no digit beyond n0 and the dividend none beyond 0). u2 = n1
	// (x within 2^(64−s) below d) is left to Divide.
	v1, _ := bits.Div64(^n1, ^uint64(0), n1)
	p2s := uint64(1) << s
	// x < d without d's words: for x.hi <= hiMax, x<<s fits two words,
	// and then u2 < n1 puts x<<s below d<<s, so x below d; an x >= d
	// has x.hi > hiMax or x<<s >= d<<s, u2 >= n1; an x below d has x.hi
	// <= d.hi <= hiMax (d<<s fits). So the test below stops exactly
	// where x >= d or u2 >= n1.
	hiMax := ^uint64(0) >> s
	for k := range xs {
		x := xs[k]
		// (u2, u1) = x<<s as Divide forms it, by multiplications by
		// 2^s: x.lo·2^s is the two words (x.lo>>1>>(63 − s), x.lo << s),
		// and x.hi·2^s mod 2^64 is x.hi << s, their bits disjoint (the
		// sum is Divide's or).
		xh, u1 := bits.Mul64(x.lo, p2s)
		u2 := x.hi*p2s + xh
		if x.hi > hiMax || u2 >= n1 {
			return k, U64F64{sumHi, sumLo}
		}
		// Algorithm 4: q̂ and r̂.
		q1, q0 := bits.Mul64(v1, u2)
		q0, c = bits.Add64(q0, u1, 0)
		q1 += u2 + c + 1
		rem := u1 - q1*n1
		if rem > q0 {
			q1--
			rem += n1
		}
		if rem >= n1 {
			q1++
			rem -= n1
		}
		// D3: lower q̂ while q̂·n0 > r̂·2^64 (at most twice).
		if p1, p0 := bits.Mul64(q1, n0); p1 > rem || p1 == rem && p0 != 0 {
			q1--
			var cr uint64
			if rem, cr = bits.Add64(rem, n1, 0); cr == 0 {
				p0, b := bits.Sub64(p0, n0, 0)
				p1 -= b
				if p1 > rem || p1 == rem && p0 != 0 {
					q1--
				}
			}
		}
		xs[k] = U64F64{0, q1}
		sumLo, c = bits.Add64(sumLo, q1, 0)
		sumHi += c
	}
	return len(xs), U64F64{sumHi, sumLo}
}

// Division by 10^18, the perquintill's accuracy, by its precomputed word
// reciprocal (Möller and Granlund's algorithm 4 on the divisor normalised
// to 10^18·2^4, whose top bit is set).
const (
	perqShift = 4 // bits.LeadingZeros64(10^18)
	perqNorm  = PerquintillAccuracy << perqShift
)

// perqRecip is floor((2^128 − 1)/perqNorm) − 2^64, a constant so that
// quoPerqStep multiplies by an immediate (TestPerqRecip recomputes it).
const perqRecip = 2820903858849102350

// quoPerqStep is one step of algorithm 4: the quotient and remainder of
// u1·2^64 + u0 by perqNorm, for u1 < perqNorm.
func quoPerqStep(u1, u0 uint64) (q, r uint64) {
	q1, q0 := bits.Mul64(perqRecip, u1)
	var c uint64
	q0, c = bits.Add64(q0, u0, 0)
	q1 += u1 + c
	q1++
	r = u0 - q1*perqNorm
	if r > q0 {
		q1--
		r += perqNorm
	}
	if r >= perqNorm {
		q1++
		r -= perqNorm
	}
	return q1, r
}

// MulAddQuoPerquintill is x.MulAddQuoUint64(m, a, 10^18), bit for bit:
// floor((x·m + a) / 10^18), and ok == false (with 0) when the quotient is
// 2^128 or more. The numerator n2·2^128 + n1·2^64 + n0 is the same exact
// product; the quotient overflows exactly when n2 >= 10^18 (MulAddQuoUint64's
// test); otherwise n·2^4 (below 2^196, n2·2^4 < 2^64) is divided by
// 10^18·2^4 in two word steps, each the exact floor with its remainder,
// which is the schoolbook division by a one-word divisor.
func (x U128) MulAddQuoPerquintill(m, a uint64) (U128, bool) {
	h0, n0 := bits.Mul64(x.lo, m)
	n2, l1 := bits.Mul64(x.hi, m)
	n1, c := bits.Add64(l1, h0, 0)
	n2 += c
	n0, c = bits.Add64(n0, a, 0)
	n1, c = bits.Add64(n1, 0, c)
	n2 += c
	if n2 >= PerquintillAccuracy {
		return U128{}, false
	}
	u2 := n2<<perqShift | n1>>(64-perqShift)
	u1 := n1<<perqShift | n0>>(64-perqShift)
	u0 := n0 << perqShift
	q1, r := quoPerqStep(u2, u1)
	q0, _ := quoPerqStep(r, u0)
	return U128{q1, q0}, true
}

// U64F64FromPerquintillParts is U64F64FromRatio(k, 10^18), bit for bit:
// the integer part k/10^18 (a division by a constant, which the compiler
// turns into a multiplication) and the fraction floor(r·2^64/10^18) of the
// remainder r < 10^18, one word step on the reciprocal (r·2^4 < 10^18·2^4
// is the step's precondition, and scaling both by 2^4 keeps the floor).
func U64F64FromPerquintillParts(k uint64) U64F64 {
	q, r := k/PerquintillAccuracy, k%PerquintillAccuracy
	lo, _ := quoPerqStep(r<<perqShift, 0)
	return U64F64{q, lo}
}

// U64F64OneMinusPerquintillParts is
// U64F64FromUint64(1).SaturatingSub(U64F64FromPerquintillParts(k)), bit
// for bit, with one word step on the reciprocal: 0 for k >= 10^18, 1 for
// k = 0, and otherwise, with c = 10^18 − k in (0, 10^18), 2^64 −
// floor(k·2^64/10^18) = 2^64 − floor(2^64 − c·2^64/10^18) =
// ceil(c·2^64/10^18) raw (below 2^64, so the integer part is 0): the
// step's quotient of (c·2^4)·2^64 by 10^18·2^4 (c·2^4 < 10^18·2^4 is its
// precondition) plus one when the remainder is not 0. It is 1 − e for a
// proportion e of k parts of 10^18, as convert_deltas takes it
// (pallets/swap/src/pallet/balancer.rs, Balancer::convert_deltas).
func U64F64OneMinusPerquintillParts(k uint64) U64F64 {
	switch {
	case k >= PerquintillAccuracy:
		return U64F64{}
	case k == 0:
		return U64F64{1, 0}
	}
	q, r := quoPerqStep((PerquintillAccuracy-k)<<perqShift, 0)
	if r != 0 {
		q++
	}
	return U64F64{0, q}
}

// QuoAbove reports whether x.CheckedDiv(y) succeeds with a quotient above
// c, by multiplications: for y > 0 the quotient floor(x·2^32/y) is below
// 2^128 (CheckedDiv succeeds) exactly when floor(x/2^96) < y, and then it
// exceeds c exactly when x·2^32 >= (c+1)·y (exact 256-bit products; no
// quotient of 128 bits exceeds c = 2^128 − 1). A caller that keeps the
// smaller of the quotient and c needs the division only when this is
// false.
func (x U96F32) QuoAbove(y, c U96F32) bool {
	if y.IsZero() || y.hi == 0 && y.lo <= x.hi>>32 {
		return false
	}
	c0, carry := bits.Add64(c.lo, 1, 0)
	c1, carry := bits.Add64(c.hi, 0, carry)
	if carry != 0 {
		return false
	}
	// x·2^32: three words n2 < 2^32, n1, n0.
	n2, n1, n0 := x.hi>>32, x.hi<<32|x.lo>>32, x.lo<<32
	if y.hi|c1 == 0 {
		// c+1 and y one word each (the coinbase's case: the cap and the
		// divisor are amounts in rao): (c+1)·y is the two words of one
		// product, the words above them 0, compared the same way.
		p1, p0 := bits.Mul64(c0, y.lo)
		return n2 != 0 || p1 < n1 || p1 == n1 && p0 <= n0
	}
	// (c+1)·y, four words.
	h00, p0 := bits.Mul64(c0, y.lo)
	h01, l01 := bits.Mul64(c0, y.hi)
	h10, l10 := bits.Mul64(c1, y.lo)
	h11, l11 := bits.Mul64(c1, y.hi)
	p1, k := bits.Add64(h00, l01, 0)
	p2, k2 := bits.Add64(h01, l11, k)
	p3 := h11 + k2
	p1, k = bits.Add64(p1, l10, 0)
	p2, k2 = bits.Add64(p2, h10, k)
	p3 += k2
	switch {
	case p3 != 0 || p2 != n2:
		return p3 == 0 && p2 < n2
	case p1 != n1:
		return p1 < n1
	}
	return p0 <= n0
}

// U96F32Divisor is a U96F32 divisor prepared for many divisions by it
// (the dividend parts of an epoch all divide by their total). Divide(x)
// is x.CheckedDiv(d), bit for bit; for a divisor of two words (d.hi !=
// 0) and x <= d (a part of its total: a quotient of at most 1, at most
// 2^32 raw) it takes no hardware division. The zero value divides
// nothing (Divide reports false, as CheckedDiv does for a zero divisor).
type U96F32Divisor struct {
	d      U96F32
	t1, t0 uint64 // d << s, t1 >= 2^63, when two-word
	s      uint
	v      uint64 // floor((2^128 − 1)/t1) − 2^64, the word reciprocal of t1
	two    bool   // d.hi != 0
}

// NewU96F32Divisor prepares d for [U96F32Divisor.Divide] (one hardware
// division for a divisor of two words, none otherwise).
func NewU96F32Divisor(d U96F32) U96F32Divisor {
	r := U96F32Divisor{d: d}
	if d.hi != 0 {
		s, t := normShifts(d.hi)
		r.s, r.two = s, true
		r.t1, r.t0 = d.hi<<s|d.lo>>1>>t, d.lo<<s
		r.v, _ = bits.Div64(^r.t1, ^uint64(0), r.t1)
	}
	return r
}

// Divide returns x.CheckedDiv(d) for the prepared d: floor(x·2^32/d), and
// ok == false (with 0) when d is 0 or the quotient overflows.
//
// For a two-word d and x <= d, with s the normalising shift of d (T =
// d·2^s, its top word t1 >= 2^63) the quotient is q = floor(N/T) for N =
// x·2^s·2^32 < 2^160 (x·2^s <= T < 2^128), three words n2 < 2^32, n1,
// n0. Its estimate from the top words, q̂ = floor((n2·2^64 + n1)/t1)
// (n2 < t1: one word step of Möller and Granlund's algorithm 4 on the
// reciprocal v, the exact floor), is Knuth's trial quotient (TAOCP vol.
// 2, 4.3.1: q <= q̂), and here it is at most q + 1: with A = n2·2^64 +
// n1 = floor(N/2^64) < 2^96 and T < (t1 + 1)·2^64, N/T > A/(t1 + 1), and
// A/t1 − A/(t1 + 1) = A/(t1·(t1 + 1)) < 2^96/2^126 < 1, so q̂ = floor(A/
// t1) < N/T + 1 and q̂ <= q + 1. So q̂ is lowered once when q̂·T > N
// (exact three-word products: q̂ <= 2^32 + 1). The result is at most
// 2^32, one word: CheckedDiv's quotient, which cannot overflow there.
// Other x and divisors take CheckedDiv.
// TestU96F32DivisorMatchesCheckedDiv and FuzzU96F32Divisor compare the
// two.
func (r *U96F32Divisor) Divide(x U96F32) (U96F32, bool) {
	_, b := bits.Sub64(r.d.lo, x.lo, 0)
	_, b = bits.Sub64(r.d.hi, x.hi, b)
	if !r.two || b != 0 {
		return x.CheckedDiv(r.d)
	}
	s := r.s & 63
	x1, x0 := x.hi<<s|x.lo>>1>>(^s&63), x.lo<<s
	n2, n1, n0 := x1>>32, x1<<32|x0>>32, x0<<32
	// Algorithm 4: floor((n2·2^64 + n1)/t1) for n2 < t1.
	q1, q0 := bits.Mul64(r.v, n2)
	var c uint64
	q0, c = bits.Add64(q0, n1, 0)
	q1 += n2 + c
	q1++
	rem := n1 - q1*r.t1
	if rem > q0 {
		q1--
		rem += r.t1
	}
	if rem >= r.t1 {
		q1++
	}
	// q̂·T in three words (q̂ <= 2^32 + 1), q̂ lowered once when above N.
	h0, p0 := bits.Mul64(q1, r.t0)
	p2, l1 := bits.Mul64(q1, r.t1)
	p1, c := bits.Add64(l1, h0, 0)
	p2 += c
	return U96F32{0, q1 - borrow3(n2, n1, n0, p2, p1, p0)}, true
}

// borrow3 is 1 when (p2, p1, p0) > (n2, n1, n0) as three-word integers,
// else 0: the borrow of their subtraction, without a branch (a comparison
// word by word branches on ties, which go either way with the operands).
// TestBorrow3MatchesComparison and FuzzBorrow3 compare it with the
// comparison it replaces.
func borrow3(n2, n1, n0, p2, p1, p0 uint64) uint64 {
	_, c := bits.Sub64(n0, p0, 0)
	_, c = bits.Sub64(n1, p1, c)
	_, c = bits.Sub64(n2, p2, c)
	return c
}
