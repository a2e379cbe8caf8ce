package fixed

import (
	"math"
	"math/bits"
)

// SafeFloat is the share-pool float of subtensor's share-pool crate
// (primitives/share-pool/src/lib.rs, SafeFloat): a u128 mantissa m and a
// base-10 i64 exponent e standing for m·10^e. Every value the operations
// return is normalised, 10^20 < m ≤ 10^21, or zero, stored as (0, 0); the
// zero value of the type is that zero.
//
// The operations give the bits of the crate's 256-bit arithmetic, which
// truncates at every step; where the crate returns None (an exponent
// leaving the i64 range, a zero divisor, sub from a zero minuend) they
// report ok == false. Values are small comparable structs; no operation
// allocates.
//
// Every SafeFloat is normalised or zero: the fields are unexported and
// every constructor and operation returns such a value. The operations rely
// on it to compute in 64- and 128-bit words instead of the crate's U256:
// mantissas are at most 10^21 < 2^70, so the bounds stated at each step
// hold.
type SafeFloat struct {
	m u128
	e int64
}

// safeFloatMaxExp is SAFE_FLOAT_MAX_EXP: the largest mantissa is 10^21.
const safeFloatMaxExp = 21

var (
	sfMax = u128{54, 3875820019684212736} // 10^21, SAFE_FLOAT_MAX
	sfMin = u128{5, 7766279631452241920}  // 10^20, SAFE_FLOAT_MAX / 10

	// pow10U128 is 10^k for k ≤ 38, every power of ten below 2^128.
	pow10U128 = func() (t [39]u128) {
		t[0] = u128{0, 1}
		for k := 1; k < len(t); k++ {
			hi, lo := bits.Mul64(t[k-1].lo, 10)
			t[k] = u128{t[k-1].hi*10 + hi, lo}
		}
		return t
	}()

	// sfDigitsAt[b] is the number of decimal digits of 2^(b−1), the
	// smallest value of bit length b (sfDigitsAt[0] = 0). Every value of
	// bit length b is below 2^b = 2·2^(b−1), so it has that many digits or
	// one more (a factor of 2 crosses at most one power of ten).
	sfDigitsAt = func() (t [129]uint8) {
		d := 1
		for b := 1; b < len(t); b++ {
			v := u128{0, 1}
			if b > 64 {
				v = u128{1 << (b - 65), 0}
			} else {
				v.lo <<= b - 1
			}
			for d < len(pow10U128) && !sfLess(v, pow10U128[d]) {
				d++
			}
			t[b] = uint8(d)
		}
		return t
	}()
)

// sfLess reports a < b as unsigned 128-bit integers.
func sfLess(a, b u128) bool { return a.hi < b.hi || a.hi == b.hi && a.lo < b.lo }

// sfDigits is the number of decimal digits of x ≠ 0: from the bit length
// by table, then one correction step against the next power of ten.
func sfDigits(x u128) int {
	var b int
	if x.hi != 0 {
		b = 128 - bits.LeadingZeros64(x.hi)
	} else {
		b = 64 - bits.LeadingZeros64(x.lo)
	}
	d := int(sfDigitsAt[b])
	if d < len(pow10U128) && !sfLess(x, pow10U128[d]) {
		d++
	}
	return d
}

// sfQuoPow10 is floor(x / 10^k) for k ≤ 38: one division by a word when
// 10^k < 2^64 (k ≤ 19), else floor(floor(x/10^19) / 10^(k−19)), the same
// number because floor(floor(x/a)/b) = floor(x/(a·b)) for positive
// integers a and b.
func sfQuoPow10(x u128, k int) u128 {
	if k > 19 {
		x = sfQuoWord(x, pow10U128[19].lo)
		k -= 19
	}
	return sfQuoWord(x, pow10U128[k].lo)
}

// sfQuoWord is floor(x / n) for n ≠ 0: one hardware division when the
// quotient is one word (x.hi < n, which includes x.hi = 0), else two.
func sfQuoWord(x u128, n uint64) u128 {
	if x.hi < n {
		q, _ := bits.Div64(x.hi, x.lo, n)
		return u128{0, q}
	}
	qh, r := x.hi/n, x.hi%n
	ql, _ := bits.Div64(r, x.lo, n)
	return u128{qh, ql}
}

// sfCappow10 is the exponent of the crate's cappow10 (10^k capped at
// 10^22) for a difference of exponents d.
func sfCappow10(d uint64) int {
	if d > safeFloatMaxExp+1 {
		return safeFloatMaxExp + 1
	}
	return int(d)
}

// safeFloatNormalize is SafeFloat::normalize (primitives/share-pool/src/
// lib.rs at 14bc6f9f) for a mantissa x < 2^128: zero is (0, 0); otherwise
// the crate runs two loops,
//
//	while x > 10^21 { if e == i64::MAX { fail }; x = x / 10; e += 1 }
//	while x ≤ 10^20 { if e == i64::MIN { fail }; x = x · 10; e −= 1 }
//
// and this computes where they stop in one step each. For
// 10^20 < x ≤ 10^21 neither loop runs.
//
// The first loop. k truncated divisions by 10 leave floor(x/10^k), since
// floor(floor(x/a)/b) = floor(x/(a·b)) for positive integers; the loop
// stops at the smallest k with floor(x/10^k) ≤ 10^21. Let x > 10^21 have
// d ≥ 22 digits. For every k ≤ d−23 the quotient has at least 23 digits,
// above 10^21; for k = d−21 it has 21, below; so k is d−22 when
// floor(x/10^(d−22)) (22 digits, at least 10^21) equals 10^21, else d−21. The loop fails when a step starts at i64::MAX;
// steps start at e … e+k−1, so it fails exactly when e > i64::MAX − k.
//
// The second loop, after the first. Its value is 10^21 or floor(q/10)
// with q > 10^21 a 22-digit number, so at least 10^20; it runs only when
// the value is exactly 10^20, once, from the exponent e+k > i64::MIN: the
// result is (10^21, e+k−1).
//
// The second loop alone (x ≤ 10^20, d ≤ 21 digits). The multiplications
// are exact: the values stay at most 10^21, far inside U256, so the crate's
// checked_mul never fails. It stops at the smallest j with x·10^j > 10^20:
// x·10^(21−d) has 21 digits, at least 10^20, and x·10^(20−d) < 10^20; so
// j = 21−d unless x·10^(21−d) = 10^20, that is x = 10^(d−1), where
// j = 22−d. Steps start at e … e−j+1, so it fails exactly when
// e < i64::MIN + j.
func safeFloatNormalize(x u128, e int64) (SafeFloat, bool) {
	switch {
	case x.isZero():
		return SafeFloat{}, true
	case sfLess(sfMax, x):
		// floor(x/10^k) is 10^21 exactly when 10^(21+k) ≤ x <
		// 10^(21+k) + 10^k, and x ≥ 10^(d−1) = 10^(21+k) (d ≤ 39 digits,
		// so 21+k ≤ 38 is in the table): the test is x − 10^(21+k) <
		// 10^k. Otherwise the two truncating divisions, by 10^k and then
		// by 10, are the one by 10^(k+1) (k+1 ≤ 18: one word).
		d := sfDigits(x)
		k := d - 22
		q := sfMax
		if !sfLess(x.sub(pow10U128[21+k]), pow10U128[k]) {
			q = sfQuoPow10(x, k+1)
			k++
		}
		if e > math.MaxInt64-int64(k) {
			return SafeFloat{}, false
		}
		e += int64(k)
		if q == sfMin {
			return SafeFloat{sfMax, e - 1}, true
		}
		return SafeFloat{q, e}, true
	case sfLess(sfMin, x):
		return SafeFloat{x, e}, true
	}
	return sfScaleUp(x, e)
}

// sfScaleUp is the second loop of safeFloatNormalize alone, for
// 0 < x ≤ 10^20 (see there).
func sfScaleUp(x u128, e int64) (SafeFloat, bool) {
	d := sfDigits(x)
	j := 21 - d
	if x == pow10U128[d-1] {
		j++
	}
	if e < math.MinInt64+int64(j) {
		return SafeFloat{}, false
	}
	// x·10^j ≤ 10^21 < 2^70: x.hi·p.lo, p.hi·x.lo and the carry fit the
	// high word, and x.hi·p.hi is 0 (x.hi ≠ 0 means x ≥ 2^64 > 10^19, so
	// j ≤ 2 and p.hi = 0).
	p := pow10U128[j]
	hi, lo := bits.Mul64(x.lo, p.lo)
	return SafeFloat{u128{hi + x.hi*p.lo + p.hi*x.lo, lo}, e - int64(j)}, true
}

// NewSafeFloat is SafeFloat::new(mantissa, exponent) with the mantissa given
// as its two 64-bit words: ok == false when the mantissa exceeds 10^21 or
// normalising overflows the exponent.
func NewSafeFloat(hi, lo uint64, exponent int64) (SafeFloat, bool) {
	m := u128{hi, lo}
	if sfLess(sfMax, m) {
		return SafeFloat{}, false
	}
	return safeFloatNormalize(m, exponent)
}

// SafeFloatFromParts reads a SafeFloat as the chain stores it (AlphaV2,
// TotalHotkeySharesV2): ok only for a normalised value, 10^20 < mantissa ≤
// 10^21, or the zero (0, 0).
func SafeFloatFromParts(hi, lo uint64, exponent int64) (SafeFloat, bool) {
	m := u128{hi, lo}
	if m.isZero() {
		return SafeFloat{}, exponent == 0
	}
	if sfLess(sfMax, m) || !sfLess(sfMin, m) {
		return SafeFloat{}, false
	}
	return SafeFloat{m, exponent}, true
}

// SafeFloatFromUint64 is the crate's From<u64>: n·10^0, normalised. Every
// u64 is below 10^20, so only the scaling up runs, from exponent 0 at most
// 21 steps: it cannot fail.
func SafeFloatFromUint64(n uint64) SafeFloat {
	if n == 0 {
		return SafeFloat{}
	}
	return sfFromWord(n)
}

// sfFromWord is sfScaleUp(u128{0, n}, 0) for n ≠ 0 (a share pool's
// amounts and values in rao), in one-word steps. The mantissa is n·10^j
// for j = 21 − d, or 22 − d when n = 10^(d−1), d the digits of n (so that
// 10^20 < n·10^j ≤ 10^21). n of bit length b has t or t + 1 digits, t
// those of 2^(b−1) (sfDigitsAt; t = 0 for b = 1, where n = 1): with
// p = 10^t, n > p has t + 1 digits and is not 10^t (j = 20 − t), n = p has
// t + 1 and is 10^t (j = 21 − t), and n < p has t digits and is not
// 10^(t−1), as only 2^(b−1) = 10^(t−1) could be, which is 1 = 10^0, given
// t = 0 (j = 21 − t). So j = 21 − t − [n > p], sfWordAt[b]'s j less one
// flag, taken without a branch (b2i): which way it goes depends on the
// amount, call by call, so as a branch it mispredicts. The mantissa
// n·10^j ≤ 10^21 is the word product of n and 10^j's low word plus n times
// its high word (0 below 10^20); the exponent −j > i64::MIN + j, so
// sfScaleUp's test never fails. TestSafeFloatFromWordMatches and
// FuzzSafeFloatFromWord compare it with sfScaleUp,
// TestSfFromWordMatchesBranchy and FuzzSfFromWordBranchy with its former
// two corrections.
func sfFromWord(n uint64) SafeFloat {
	w := &sfWordAt[bits.Len64(n)]
	j := w.j - b2i(n > w.p)
	p := pow10U128[j]
	hi, lo := bits.Mul64(n, p.lo)
	return SafeFloat{u128{hi + n*p.hi, lo}, -int64(j)}
}

// sfWordAt[b] is sfFromWord's p = 10^t and j = 21 − t for words of bit
// length b ≥ 1 (t the digits of 2^(b−1), or 0 for b = 1; see there).
var sfWordAt = func() (t [65]struct {
	p uint64
	j int
}) {
	for b := 1; b <= 64; b++ {
		d := int(sfDigitsAt[b])
		if b == 1 {
			d = 0
		}
		t[b].p, t[b].j = pow10U128[d].lo, 21-d
	}
	return t
}()

// SafeFloatFromU64F64 is the crate's From<U64F64>, the reading of a legacy
// share (Alpha, TotalHotkeyShares): int + frac.div(2^64) with int and frac
// the integer and fractional words of the bits, each a SafeFloat of its
// integer; a failed step gives zero, as the crate's unwrap_or_default.
func SafeFloatFromU64F64(x U64F64) SafeFloat {
	hi, lo := x.Bits()
	if hi|lo == 0 {
		return SafeFloat{}
	}
	i := SafeFloatFromUint64(hi)
	frac, ok := SafeFloatFromUint64(lo).Div(sfTwo64)
	if !ok {
		frac = SafeFloat{}
	}
	r, ok := i.Add(frac)
	if !ok {
		return SafeFloat{}
	}
	return r
}

// sfTwo64 is SafeFloat::new(2^64, 0).
var sfTwo64, _ = NewSafeFloat(1, 0, 0)

// Parts returns the mantissa as its two 64-bit words and the exponent.
func (x SafeFloat) Parts() (hi, lo uint64, exponent int64) { return x.m.hi, x.m.lo, x.e }

// IsZero reports whether the mantissa is zero.
func (x SafeFloat) IsZero() bool { return x.m.isZero() }

// align returns the mantissas of x and y aligned to the larger exponent (the
// smaller one divided by cappow10 of the difference) and that exponent, as
// the crate's add and sub do.
func (x SafeFloat) align(y SafeFloat) (a, b u128, e int64) {
	if x.e >= y.e {
		// The true difference is below 2^64, so the wrapped subtraction is it.
		return x.m, sfQuoPow10(y.m, sfCappow10(uint64(x.e)-uint64(y.e))), x.e
	}
	return sfQuoPow10(x.m, sfCappow10(uint64(y.e)-uint64(x.e))), y.m, y.e
}

// Add is SafeFloat::add: x + y with the smaller operand truncated to the
// larger exponent; ok == false when normalising overflows the exponent.
// The sum of two mantissas is at most 2·10^21 < 2^128.
func (x SafeFloat) Add(y SafeFloat) (SafeFloat, bool) {
	if x.IsZero() {
		return y, true
	}
	if y.IsZero() {
		return x, true
	}
	a, b, e := x.align(y)
	return safeFloatNormalize(a.add(b), e)
}

// Sub is SafeFloat::sub: x − y aligned as in Add and floored at zero. Zero
// minus zero is zero; zero minus a non-zero value fails (ok == false), as
// the crate returns None there.
func (x SafeFloat) Sub(y SafeFloat) (SafeFloat, bool) {
	if x.IsZero() {
		return SafeFloat{}, y.IsZero()
	}
	if y.IsZero() {
		return x, true
	}
	a, b, e := x.align(y)
	if sfLess(a, b) {
		return SafeFloat{}, true
	}
	return safeFloatNormalize(a.sub(b), e)
}

// MulDiv is SafeFloat::mul_div: x·y/z, the mantissa (m_x·m_y) div m_z and
// the exponent e_x + e_y − e_z; ok == false when z is zero or an exponent
// step overflows i64.
func (x SafeFloat) MulDiv(y, z SafeFloat) (SafeFloat, bool) {
	if z.IsZero() {
		return SafeFloat{}, false
	}
	e, ok := addInt64(x.e, y.e)
	if !ok {
		return SafeFloat{}, false
	}
	if e, ok = subInt64(e, z.e); !ok {
		return SafeFloat{}, false
	}
	return safeFloatNormalize(sfMulQuo(x.m, y.m, z.m), e)
}

// Div is SafeFloat::div, used by the legacy conversion: the mantissa
// (m_x·10^21) div m_y and the exponent e_x − e_y − 21; ok == false when y is
// zero or the exponent leaves the i64 range.
func (x SafeFloat) Div(y SafeFloat) (SafeFloat, bool) {
	if y.IsZero() {
		return SafeFloat{}, false
	}
	e, ok := divExponent(x.e, y.e)
	if !ok {
		return SafeFloat{}, false
	}
	return safeFloatNormalize(sfMulQuo(x.m, sfMax, y.m), e)
}

// sfMulQuo is floor(a·b / c) for mantissas a, b ≤ 10^21 and a normalised
// c > 10^20: the product is below 10^42 < 2^140 (three words; the high
// words a.hi, b.hi ≤ 54, so a.hi·b.hi fits one word) and the quotient
// below 10^42/10^20 = 10^22 < 2^74.
//
// The division is Knuth's algorithm D on 64-bit words (quoWide's steps,
// written out for these bounds, which spare quoWide's range tests and its
// calls): c·2^s with s = LeadingZeros64(c.hi) has its top bit set (c.hi
// lies in [5, 54], so s in [58, 61]), and the product shifted by s has
// four words u3, u2, u1, u0 with u3 < 2^12·2^61/2^64 = 2^9 below the
// normalised top word d1. The first quotient word is q1 = floor((u3,
// u2, u1)/(d1, d0)), its estimate floor((u3, u2)/d1) below 2^64 (u3 <
// d1) and corrected by div3by2Correct; the remainder (r1, r0) = (u2, u1)
// − q1·(d1, d0) is below d (its words taken modulo 2^128), and q0 =
// floor((r1, r0, u0)/(d1, d0)) by the same step, the estimate capped when
// r1 = d1 (div3by2nq's precondition written out). The words are
// quoWide's, so the quotient is its. TestSafeFloatMulQuoMatchesWide and
// FuzzSafeFloatMulQuo compare the two (sfMulQuoWide in the tests is the
// quoWide version).
func sfMulQuo(a, b, c u128) u128 {
	// p2:p1:p0 = a·b.
	h00, p0 := bits.Mul64(a.lo, b.lo)
	h01, l01 := bits.Mul64(a.lo, b.hi)
	h10, l10 := bits.Mul64(a.hi, b.lo)
	p1, c1 := bits.Add64(h00, l01, 0)
	p2 := h01 + c1
	p1, c1 = bits.Add64(p1, l10, 0)
	p2 += h10 + c1 + a.hi*b.hi

	// s in [58, 61]: 64 − s in [3, 6], so no shift below reaches 64.
	s := uint(bits.LeadingZeros64(c.hi)) & 63
	t := (64 - s) & 63
	d1, d0 := c.hi<<s|c.lo>>t, c.lo<<s
	u3, u2, u1, u0 := p2>>t, p2<<s|p1>>t, p1<<s|p0>>t, p0<<s

	q1, r := bits.Div64(u3, u2, d1)
	q1 = div3by2Correct(q1, r, u1, d1, d0)
	ph, pl := bits.Mul64(q1, d0)
	r0, bw := bits.Sub64(u1, pl, 0)
	r1 := u2 - q1*d1 - ph - bw

	if r1 >= d1 {
		return u128{q1, div3by2nqCapped(r0, u0, d1, d0)}
	}
	q0, r := bits.Div64(r1, r0, d1)
	return u128{q1, div3by2Correct(q0, r, u0, d1, d0)}
}

// ToUint64 is the crate's From<&SafeFloat> for u64: m·10^e truncated
// toward zero and saturated at 2^64 − 1 (the power of ten capped at 10^22).
func (x SafeFloat) ToUint64() uint64 {
	m := x.m
	switch {
	case x.e == 0:
	case x.e > 0:
		// Zero is (0, 0), so m is normalised: m·10^e > m > 10^20 > 2^64.
		return math.MaxUint64
	default:
		// −e as u64, without negating i64::MIN.
		m = sfQuoPow10(m, sfCappow10(uint64(-(x.e+1))+1))
	}
	if m.hi != 0 {
		return math.MaxUint64
	}
	return m.lo
}

// divExponent is e_x − e_y − 21 computed as the crate computes it, in
// i128, and ok when the result fits i64 (an overflowing e_x − e_y may come
// back into range).
func divExponent(ex, ey int64) (int64, bool) {
	d, ok := subInt64(ex, ey)
	if ok {
		return subInt64(d, safeFloatMaxExp)
	}
	if ex < ey {
		return 0, false // below −2^63 before the −21
	}
	// The true difference is d + 2^64 > 2^63 − 1; minus 21 it fits exactly
	// when the wrapped d − 21 is not negative.
	r := d - safeFloatMaxExp
	return r, r >= 0
}

func addInt64(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) == (b > 0)
}

func subInt64(a, b int64) (int64, bool) {
	d := a - b
	return d, (d < a) == (b > 0)
}
