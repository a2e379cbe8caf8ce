package amm

import (
	"math"
	"math/bits"

	"github.com/holiman/uint256"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/internal/bigpow"
)

// Precisions of the chain's pow_ratio_scaled calls
// (pallets/swap/src/pallet/balancer.rs, Balancer::exp_scaled and
// calculate_quote_delta_in): 256 bits
// for a swap's output, 1024 for the input that moves the price to a limit.
const (
	swapPrecision  uint32 = 256
	limitPrecision uint32 = 1024
)

// curve is the pool's weights in parts of 1e18: w1 for alpha (base), w2 for
// TAO (quote). It is the chain's Balancer.
type curve struct{ w1, w2 uint64 }

func curveOf(quote fixed.Perquintill) curve {
	w2 := uint64(quote)
	var w1 uint64
	if w2 < fixed.PerquintillAccuracy {
		w1 = fixed.PerquintillAccuracy - w2 // ONE.saturating_sub(quote)
	}
	return curve{w1: w1, w2: w2}
}

// price is Balancer::calculate_price(x, y):
// safe_div(w1, w2) ×sat safe_div(y, x), all U64F64, each step floored
// (fixed.U64F64MulRatios: priceAt of weightRatio in one call).
func (c curve) price(x, y uint64) fixed.U64F64 {
	return fixed.U64F64MulRatios(c.w1, c.w2, y, x)
}

// spot is the pool's current_price for reserves (x, y): 0 for an empty
// alpha reserve, else calculate_price.
func (c curve) spot(x, y uint64) fixed.U64F64 {
	if x == 0 {
		return fixed.U64F64{}
	}
	return c.price(x, y)
}

// priceBelow reports, without a division, that price(x, y) is below every
// limit of at least limitInt TAO per alpha, an integer; false means
// nothing. calculate_price is safe_div(w1, w2)·safe_div(y, x) with each
// quotient and the product floored (saturation only lowers it too), so it
// is at most (w1·y)/(w2·x); w1·y < limitInt·w2·x therefore puts it below
// limitInt. Both sides are exact 128-bit products (the right one
// checked: past 2^128 it exceeds the left, which is below 2^128). x == 0,
// w2 == 0 and limitInt == 0 make the right side 0, so the test fails and
// the caller computes the price.
func (c curve) priceBelow(x, y, limitInt uint64) bool {
	rhs, ok := fixed.U128Mul64(limitInt, c.w2).CheckedMulUint64(x)
	return !ok || fixed.U128Mul64(c.w1, y).Cmp(rhs) < 0
}

// weightRatio is calculate_price's first factor, safe_div(w1, w2): a swap
// computes it once for the prices before and after.
func (c curve) weightRatio() fixed.U64F64 { return fixed.U64F64FromRatio(c.w1, c.w2) }

// priceAt is calculate_price(x, y) from the weight ratio wr = weightRatio().
func priceAt(wr fixed.U64F64, x, y uint64) fixed.U64F64 {
	return wr.SaturatingMul(fixed.U64F64FromRatio(y, x))
}

// expScaled is Balancer::exp_scaled(r, d, base_quote) for d >= 0:
// (r/(r+d))^(w1/w2) (baseQuote) or ^(w2/w1), floored at 1e-18, as U64F64
// capped at 1. A pow result that does not fit u64 gives 0, as on chain.
func (c curve) expScaled(r, d uint64, baseQuote bool) fixed.U64F64 {
	rd := fixed.SaturatingAddUint64(r, d)
	if rd == 0 {
		return fixed.U64F64{}
	}
	var k uint64
	if c.w1 == c.w2 && c.w1 != 0 {
		// The reduced exponent is 1/1: pow_ratio_scaled's exact path is
		// floor(r·1e18/rd). r <= rd, so the quotient is below 2^64.
		k, _ = fixed.MulDivUint64(r, fixed.PerquintillAccuracy, rd)
	} else {
		en, ed := c.w2, c.w1
		if baseQuote {
			en, ed = c.w1, c.w2
		}
		var bn, bd uint256.Int
		bn.SetUint64(r)
		bd.SetUint64(rd)
		var overflow, ok bool
		k, overflow, ok = bigpow.Pow(&bn, &bd, en, ed, swapPrecision, fixed.PerquintillAccuracy)
		if !ok || overflow {
			return fixed.U64F64{}
		}
	}
	e := fixed.U64F64FromPerquintillParts(k) // U64F64FromRatio(k, 1e18)
	if one := fixed.U64F64FromUint64(1); one.Less(e) {
		e = one
	}
	return e
}

// outFor is convert_deltas: floor(reserveOut · (1 − e)) for the output side.
func outFor(reserveOut uint64, e fixed.U64F64) uint64 {
	return fixed.U64F64FromUint64(1).SaturatingSub(e).SaturatingMulToUint64(reserveOut)
}

// buyOut is convert_deltas for TAO in: alpha out.
func (c curve) buyOut(x, y, dy uint64) uint64 {
	if c.w1 != c.w2 {
		if out, ok := expOutBracket(x, y, dy, c.w2, c.w1); ok {
			return out
		}
	}
	return outFor(x, c.expScaled(y, dy, false))
}

// buyOutFirstOrder is buyOut(x, y, dy) where expOutBracket's first-order
// bound and its output bracket answer (ok; otherwise the caller runs
// buyOut): expOutBracket(x, y, dy, c.w2, c.w1) through oneMinusPowBounds'
// first-order branch, quoRatio and outBracket, the same steps written out
// in one function (the coinbase's chain buys on pools weighted near 1/2
// take this path, and the calls' spills cost as much as the arithmetic).
// Equal weights are buyOut's exact path, not this one. Where the output
// bracket does not settle the output (about 2% of the coinbase's chain
// buys, on the larger alpha reserves), it runs step 6 (outFromBounds) on
// the same bounds, which buyOut would recompute (oneMinusPowBounds takes
// the same first-order branch) before reaching it.
// TestBuyOutFirstOrderMatches compares it with buyOut.
func (c curve) buyOutFirstOrder(x, y, dy uint64) (uint64, bool) {
	en, ed := c.w2, c.w1
	if y == 0 || en == 0 || ed == 0 || en == ed {
		return 0, false
	}
	// oneMinusPowBounds: m, step 1 and the first-order test.
	m, sh := uint64(1), 0
	if en > ed {
		sh = bits.Len64(en) - bits.Len64(ed) + 1
		if sh > 8 {
			return 0, false
		}
		m = 1 << sh
	}
	rd := fixed.SaturatingAddUint64(y, dy)
	dx := rd - y
	if dx > (rd-1)>>8 {
		return 0, false
	}
	u, _ := bits.Div64(dx<<8, 0, rd)
	if u >= 1<<62 || !firstOrder(u, en, ed, sh) {
		return 0, false
	}
	a, ok := quoRatio(u, en, ed)
	if !ok {
		return 0, false
	}
	var sLo uint64
	if a > 1 {
		sLo = a - 1
	}
	if out, ok := outBracket(x, sLo, a+m+2); ok {
		return out, true
	}
	// expOutBracket's step 6 on the same bounds, as buyOut would reach it
	// after recomputing them.
	return outFromBounds(x, sLo, a+m+2)
}

// sellOut is convert_deltas for alpha in: TAO out.
func (c curve) sellOut(x, y, dx uint64) uint64 {
	if c.w1 != c.w2 {
		if out, ok := expOutBracket(y, x, dx, c.w1, c.w2); ok {
			return out
		}
	}
	return outFor(y, c.expScaled(x, dx, true))
}

// expOutBracket is outFor(reserveOut, e) for e = expScaled(r, d, ·) with
// the exponent en/ed, where a one-word evaluation of the real power
// settles it; ok is false otherwise (the caller then runs
// pow_ratio_scaled).
//
// The output needs far less than pow_ratio_scaled's integer k: out =
// floor(reserveOut·(1 − e(k))), e(k) = min(U64F64 of k/1e18, 1), is
// non-increasing in k, and one step of k moves it by about
// reserveOut/1e18, a fraction of a rao for any pool below 1e9 alpha (or
// TAO). So bounds kLo <= k <= kHi with out(kLo) == out(kHi) give out
// without k, and bounds of the real power v = (r/rd)^(en/ed), rd = r +sat
// d, to about 2^-66 give such bounds: k = floor(X) for the crate's value
// X, which is v·1e18 exactly (the exact path: the largest r with
// r^ed·bd^en <= bn^en·scale^ed, internal/bigpow/doc.go) or within ε =
// 2^-177·1e18 < 2^-117 of it (the fallback path at precision 256, "Part 1"
// in internal/bigpow/approx.go: bases below 2^128, reduced exponent at
// most 2^20, |ln v| < 31, all true below).
//
// The evaluation, in units u = 2^-72 (every floor is of a non-negative
// value and loses less than 1u); domain: r > 0, en, ed > 0, en/ed below
// m <= 2^8 (m = 1 for en <= ed, else 2^(len(en) − len(ed) + 1), len the
// bit length), 1 − r/rd below 2^-10 and the computed y below 2^-9:
//
//  1. U = floor((rd − r)·2^72/rd): x = 1 − r/rd = (rd − r)/rd, in units,
//     lies in [U, U+1), U < 2^62.
//  2. L = −ln(1 − x) = Σ x^n/n. p_1 = U, p_n = floor(p_(n−1)·U/2^72);
//     with P_n = x^n·2^(72(1−n)) (units), p_n <= P_n and P_n − p_n < e_n
//     for e_1 = 1, e_n = e_(n−1)·2^-10 + 2 (as U <= x < U+1 and P_(n−1) <
//     2^72), so e_n < 2.01; each summand floor(p_n/n) is within 3 below
//     P_n/n. The loop stops at the first p_n = 0 (n >= 2), so P_n < 2.01
//     and the tail Σ_(m>=n) P_m/m < 2.01/(1 − 2^-10) < 3. With J summands
//     (J <= 7, lnSeries), L_c = Σ floor(p_n/n) lies in (L − (3J + 3), L],
//     L_c < 2^63.
//  3. y = floor(L_c·en/ed): Y = L·en/ed, the real −ln v, lies in
//     [y, y + errY) for errY = m·(3J + 3) + 1.
//  4. s(y) = 1 − e^(−y) = Σ (−1)^(n+1)·y^n/n!: t_1 = y, t_n =
//     floor(floor(t_(n−1)·y/2^72)/n) = floor(t_(n−1)·y/(n·2^72)), so with
//     T_n = y^n/n!·2^(72(1−n)), t_n <= T_n < t_n + 1.01 (the error obeys
//     e_n <= e_(n−1)·2^-9 + 1). The loop stops at the first t_n = 0 (n >=
//     2): T_n < 1.01, and the alternating tail of decreasing terms is
//     below it. With K summands, S = Σ ±t_n is within 1.01·K <= errS =
//     K + 2 of s(y)·2^72 (t_1 is exact; the terms fall by 2^-9 at least,
//     so K <= 6, expSeries).
//  5. s is increasing with slope e^(−y) <= 1, so 1 − v = s(Y) lies in
//     [s(y), s(y) + errY): (1 − v)·2^72 in (sLo, sHi) for sLo = S − errS
//     and sHi = S + errS + errY < 2^64 (and in [0, sHi) when S <= errS,
//     reported as sLo = 0).
//  6. v·1e18 = 1e18 − z for z = (1 − v)·2^72·1e18/2^72 in (zLo, zHi),
//     zLo = sLo·1e18/2^72 (or 0), zHi = sHi·1e18/2^72. The crate's k =
//     floor(X) with |X − v·1e18| < ε (or X = v·1e18), so k >=
//     floor(1e18 − zHi − ε) >= 1e18 − floor(zHi) − 1 = kLo (zHi < 2^-8·1e18,
//     so kLo > 0), and k <= floor(1e18 − zLo + ε) <= 1e18 − ceil(zLo) =
//     kHi: a non-integer zLo has a fraction of at least 2^-72 > ε. floor
//     and ceil come from the product sLo·1e18 (two words), shifted by 72.
//
// First order. Where the exponent lies near 1 and x is small (the
// coinbase's chain buys on pools weighted near 1/2), steps 2 to 5 give way
// to a bound of the Taylor remainder: f(x) = 1 − (1 − x)^a, a = en/ed, has
// f(0) = 0, the slope a at 0 and the second derivative g(t) = −a·(a −
// 1)·(1 − t)^(a−2), so f(x) = a·x + g(ξ)·x²/2 for some ξ in [0, x]. The
// factor (1 − ξ)^(a−2) is at most 1 for a >= 2 and below (1 − 2^-8)^-2 <
// 2 otherwise, so |f(x) − a·x| < a·|a − 1|·x² <= m·δ/ed·x², δ = |en −
// ed|. In units, x²·2^72 < (U + 1)²/2^72 <= t = floor((U + 1)²/2^72) + 1,
// so the remainder is below one unit when m·δ·t < ed (tested as δ·t <
// floor(ed/m), one word). Then with A = floor(U·en/ed) (quoRatio),
// a·x·2^72 lies in [a·U, a·U + a) and so in [A, A + 1 + a), and (1 −
// v)·2^72 = f(x)·2^72 in (A − 1, A + 2 + a) ⊂ (A − 1, A + m + 2): sLo = A
// − 1 (0 when A <= 1: f >= 0) and sHi = A + m + 2 < 2^63 + 2^9, which
// step 6 takes as it takes the series' bounds. This bracket is narrower
// than the series' (whose errY alone is at least 3m + 4 units).
//
// The output at once. Step 6's k-bracket and its two outputs can give way
// to a bracket of the output itself, from sLo and sHi by two products:
// for the crate's k (kLo <= k <= kHi, so c = 1e18 − k lies in [zLo, zHi
// + 1] with zLo, zHi as in step 6; k = 1e18 only when zLo = 0, and k > 0)
// the factor convert_deltas multiplies by is E = ceil(c·2^64/1e18) raw
// (0 for k = 1e18), and out = floor(reserveOut·E/2^64). From c >= zLo =
// sLo·1e18/2^72, E >= sLo/2^8; from c <= zHi + 1 = sHi·1e18/2^72 + 1,
// E < sHi/2^8 + 2^64/1e18 + 1 < (sHi + 20·2^8)/2^8. So out lies between
// floor(reserveOut·sLo/2^72) and floor(reserveOut·(sHi + 5120)/2^72),
// and where those are equal (the window is (sHi − sLo + 5120)·reserveOut/
// 2^72 rao wide: below 2^-4 rao for reserves up to 2^55 rao on the
// first-order bounds, so the two floors mostly agree) that is out, with
// neither k nor E; otherwise step 6 runs as above.
// TestExpOutDirectBracket compares the two.
//
// The differential tests compare it with the pow_ratio_scaled path
// (outFor of expScaled) on random and constructed inputs and a fuzz
// target; TestOneMinusPowBounds checks steps 1 to 5 against the crate's
// series at precision 512.
func expOutBracket(reserveOut, r, d, en, ed uint64) (uint64, bool) {
	sLo, sHi, ok := oneMinusPowBounds(r, d, en, ed)
	if !ok {
		return 0, false
	}
	if out, ok := outBracket(reserveOut, sLo, sHi); ok {
		return out, true
	}
	return outFromBounds(reserveOut, sLo, sHi)
}

// outSlack is the output bracket's widening of sHi: 20·2^8 units of
// 2^-72, at least (2^64/1e18 + 1)·2^8.
const outSlack = 20 << 8

// outBracket is expOutBracket's output at once: floor(reserveOut·sLo/2^72)
// when it equals floor(reserveOut·(sHi + outSlack)/2^72) (ok), for the
// bounds of steps 1 to 5.
func outBracket(reserveOut, sLo, sHi uint64) (uint64, bool) {
	if sHi > math.MaxUint64-outSlack {
		return 0, false
	}
	lo, _ := bits.Mul64(reserveOut, sLo)
	hi, _ := bits.Mul64(reserveOut, sHi+outSlack)
	return lo >> 8, lo>>8 == hi>>8
}

// outFromBounds is step 6 of expOutBracket: the output for the bounds of
// steps 1 to 5 through the k-bracket, ok == false when its two ends give
// different outputs.
func outFromBounds(reserveOut, sLo, sHi uint64) (uint64, bool) {
	// Step 6.
	const one = fixed.PerquintillAccuracy
	zh, _ := bits.Mul64(sHi, one)
	kLo := one - zh>>8 - 1
	zh, zl := bits.Mul64(sLo, one)
	kHi := one - zh>>8
	if zh&0xff|zl != 0 {
		kHi--
	}
	outLo := outForParts(reserveOut, kHi)
	if kLo == kHi {
		// The usual case: zLo and zHi lie between the same integers.
		return outLo, true
	}
	outHi := outForParts(reserveOut, kLo)
	return outLo, outLo == outHi
}

// outForParts is outFor(reserveOut, min(e, 1)) for e the U64F64 of k/1e18
// (as expScaled caps it), the output for a pow result of k parts of 1e18:
// 1 −sat min(e, 1) is 1 −sat e (both 0 for e >= 1), which
// fixed.U64F64OneMinusPerquintillParts gives bit for bit from k without
// forming e.
func outForParts(reserveOut, k uint64) uint64 {
	return fixed.U64F64OneMinusPerquintillParts(k).SaturatingMulToUint64(reserveOut)
}

// oneMinusPowBounds is steps 1 to 5 of expOutBracket: (1 − v)·2^72 lies in
// (sLo, sHi), or in [0, sHi) when sLo is 0, for v = (r/rd)^(en/ed), rd =
// r +sat d; sHi < 2^64. ok is false outside the domain.
func oneMinusPowBounds(r, d, en, ed uint64) (sLo, sHi uint64, ok bool) {
	if r == 0 || en == 0 || ed == 0 {
		return 0, 0, false
	}
	m, sh := uint64(1), 0
	if en > ed {
		sh = bits.Len64(en) - bits.Len64(ed) + 1
		if sh > 8 {
			return 0, 0, false
		}
		m = 1 << sh
	}
	// Step 1: U, for x·2^8 < rd (else x >= 2^-8, outside the domain):
	// then x < 2^56, x·2^72 has the words (x·2^8, 0) and the quotient is
	// one word.
	rd := fixed.SaturatingAddUint64(r, d)
	x := rd - r
	if x > (rd-1)>>8 {
		return 0, 0, false
	}
	u, _ := bits.Div64(x<<8, 0, rd)
	if u >= 1<<62 {
		return 0, 0, false
	}
	if firstOrder(u, en, ed, sh) {
		a, ok := quoRatio(u, en, ed)
		if !ok {
			return 0, 0, false
		}
		if a > 1 {
			sLo = a - 1
		}
		return sLo, a + m + 2, true
	}
	return seriesBounds(u, en, ed, m)
}

// firstOrder reports whether expOutBracket's first-order bound applies to
// U = u < 2^62 and the exponent en/ed below m = 2^sh: m·δ·t < ed for δ =
// |en − ed| and t = floor((u + 1)²/2^72) + 1.
func firstOrder(u, en, ed uint64, sh int) bool {
	delta := en - ed
	if en < ed {
		delta = ed - en
	}
	hi, lo := bits.Mul64(delta, mulShift72(u+1, u+1)+1)
	return hi == 0 && lo < ed>>sh
}

// seriesBounds is steps 2 to 5 of expOutBracket for U = u < 2^62 and the
// exponent en/ed below m.
func seriesBounds(u, en, ed, m uint64) (sLo, sHi uint64, ok bool) {
	// Step 2: L_c, J summands.
	l, j := lnSeries(u)
	// Step 3: y = floor(L_c·en/ed).
	y, ok := quoRatio(l, en, ed)
	if !ok {
		return 0, 0, false
	}
	errY := m*(3*j+3) + 1
	// Step 4: S, K summands.
	s, k := expSeries(y)
	errS := k + 2
	// Step 5.
	if s > errS {
		sLo = s - errS
	}
	return sLo, s + errS + errY, true
}

// quoRatio is step 3 of expOutBracket: y = floor(l·en/ed) for l < 2^63
// and ed > 0, and ok == false when y >= 2^63. It divides l·δ, δ = |en −
// ed|, rather than l·en: l·en = l·ed ± l·δ, so floor(l·en/ed) is l +
// floor(l·δ/ed) for en >= ed and l − ceil(l·δ/ed) for en < ed (floor(l −
// t) = l − ceil(t) for an integer l), the same integer; the weights of a
// pool lie near each other (after many injections, within 1e-3 of 1/2),
// so the quotient is short, and a hardware division takes less time for
// a short quotient. For en >= ed, y >= 2^63 exactly when the quotient q
// or l + q is (no sum of two numbers below 2^63 wraps); a q of 2^64 or
// more (hi >= ed) is reported before dividing. For en < ed the quotient
// is below l < 2^63 (ed > δ), and so is y.
//
// The two cases share one product and one division (δ and the sign
// chosen first; for en < ed, hi < ed as l·δ < 2^63·ed, so the test
// before dividing refuses nothing there), so that the function inlines
// into its callers (buyOutFirstOrder is then a leaf). (r|−r)>>63 is 1
// exactly when r != 0, and q|y has its top bit set exactly when q or y =
// l + q reaches 2^63 (l + q cannot wrap while q < 2^63).
// TestOutForPartsAndQuoRatio and FuzzOutForPartsAndQuoRatio compare it
// with quoRatioPrev, the two cases written out, and quoRatioRef.
func quoRatio(l, en, ed uint64) (y uint64, ok bool) {
	d, up := en-ed, en >= ed
	if !up {
		d = -d // ed − en
	}
	if hi, lo := bits.Mul64(l, d); hi < ed {
		q, r := bits.Div64(hi, lo, ed)
		if !up {
			return l - q - (r|-r)>>63, true // l − ceil(l·δ/ed)
		}
		if y = l + q; q|y < 1<<63 {
			return y, true
		}
	}
	return 0, false
}

// lnSeries is step 2 of expOutBracket for U = u < 2^62: L_c = Σ
// floor(p_n/n) and its number of summands J, where p_1 = u and p_n =
// floor(p_(n−1)·u/2^72) (the high word of the product >> 8), stopping at
// the first p_n = 0 (n >= 2).
//
// The first six quotients are written out so that each divisor is a
// constant (the compiler divides by a multiply-high and a shift, the same
// quotient for every uint64), and they are all there can be: p_n <= P_n =
// x^n·2^(72(1−n)) < 2^(72−10n) for x < 2^62 units, so p_8 < 2^-8 is 0 and
// the series stops by n = 8. lnSeriesFrom, the loop with the divisor n,
// continues from n = 8 all the same (it returns at once there), and
// TestSeriesUnrolledMatchLoops compares the two on every u.
func lnSeries(u uint64) (l, j uint64) {
	l, j = u, 1
	p := mulShift72(u, u)
	if p == 0 {
		return l, j
	}
	l, j = l+p/2, j+1
	if p = mulShift72(p, u); p == 0 {
		return l, j
	}
	l, j = l+p/3, j+1
	if p = mulShift72(p, u); p == 0 {
		return l, j
	}
	l, j = l+p/4, j+1
	if p = mulShift72(p, u); p == 0 {
		return l, j
	}
	l, j = l+p/5, j+1
	if p = mulShift72(p, u); p == 0 {
		return l, j
	}
	l, j = l+p/6, j+1
	if p = mulShift72(p, u); p == 0 {
		return l, j
	}
	l, j = l+p/7, j+1
	return lnSeriesFrom(l, j, p, u, 8)
}

// lnSeriesFrom continues lnSeries' loop at the index n, with the sum l of
// j summands so far and the last term p.
func lnSeriesFrom(l, j, p, u, n uint64) (uint64, uint64) {
	for ; ; n++ {
		p = mulShift72(p, u)
		if p == 0 {
			return l, j
		}
		l += p / n
		j++
	}
}

// expSeries is step 4 of expOutBracket for y < 2^63: S = Σ ±t_n, t_1 = y,
// t_n = floor(floor(t_(n−1)·y/2^72)/n), odd n added and even n
// subtracted, stopping at the first t_n = 0 (n >= 2), and its number of
// summands K. The terms decrease, so the alternating sum is non-negative.
//
// As in lnSeries, the first quotients are written out with constant
// divisors, and they are all there can be: t_n <= T_n = y^n/n!·2^(72(1−n))
// < 2^(72−9n)/n!, so t_7 < 2^9/5040 is 0 and the series stops by n = 7;
// expSeriesFrom, the loop with the divisor n, continues from n = 8.
func expSeries(y uint64) (s, k uint64) {
	pos, neg, k := y, uint64(0), uint64(1)
	t := mulShift72(y, y) / 2
	if t == 0 {
		return pos - neg, k
	}
	neg, k = neg+t, k+1
	if t = mulShift72(t, y) / 3; t == 0 {
		return pos - neg, k
	}
	pos, k = pos+t, k+1
	if t = mulShift72(t, y) / 4; t == 0 {
		return pos - neg, k
	}
	neg, k = neg+t, k+1
	if t = mulShift72(t, y) / 5; t == 0 {
		return pos - neg, k
	}
	pos, k = pos+t, k+1
	if t = mulShift72(t, y) / 6; t == 0 {
		return pos - neg, k
	}
	neg, k = neg+t, k+1
	if t = mulShift72(t, y) / 7; t == 0 {
		return pos - neg, k
	}
	pos, k = pos+t, k+1
	return expSeriesFrom(pos, neg, k, t, y, 8)
}

// expSeriesFrom continues expSeries' loop at the index n, with the sums
// pos and neg of k summands so far and the last term t.
func expSeriesFrom(pos, neg, k, t, y, n uint64) (uint64, uint64) {
	for ; ; n++ {
		t = mulShift72(t, y) / n
		if t == 0 {
			return pos - neg, k
		}
		if n%2 == 0 {
			neg += t
		} else {
			pos += t
		}
		k++
	}
}

// mulShift72 is floor(a·b/2^72): the high word of the product >> 8.
func mulShift72(a, b uint64) uint64 {
	h, _ := bits.Mul64(a, b)
	return h >> 8
}

// deltaIn is calculate_quote_delta_in (buy: num = limit, den = current,
// exponent w1) and calculate_base_delta_in (sell: num = current, den =
// limit, exponent w2): reserve · ((num/den)^w − 1), where the ratio factor
// saturates at u64::MAX/1e18 ≈ 18.45 (a chain quirk: the pow result is a
// u64 of parts of 1e18, Balancer::calculate_quote_delta_in in
// pallets/swap/src/pallet/balancer.rs).
func deltaIn(num, den fixed.U64F64, w, reserve uint64) uint64 {
	var bn, bd uint256.Int
	bn[1], bn[0] = num.Bits()
	bd[1], bd[0] = den.Bits()
	k, overflow, ok := bigpow.Pow(&bn, &bd, w, fixed.PerquintillAccuracy, limitPrecision, fixed.PerquintillAccuracy)
	if !ok {
		return 0
	}
	if overflow {
		k = math.MaxUint64
	}
	return fixed.U64F64FromPerquintillParts(k).SaturatingSub(fixed.U64F64FromUint64(1)).SaturatingMulToUint64(reserve)
}

// capU128 saturates z at 2^128 − 1.
func capU128(z *uint256.Int) {
	if z[2] != 0 || z[3] != 0 {
		z[0], z[1], z[2], z[3] = math.MaxUint64, math.MaxUint64, 0, 0
	}
}

// updatedWeight is update_weights_for_added_liquidity: the quote weight that
// keeps the price after (dy, dx) are added to (y, x). ok is false when the
// new weight is outside [MinWeight, MaxWeight]. It is the chain's u128
// arithmetic on fixed.U128 (updatedWeightRef, in the tests, is the same on
// uint256, as the chain's U256 for the rounding products):
//
//	p1 = y ·sat (x + dx), p2 = x ·sat (y + dy)
//	q1 = mul_perquintill_round(w1, p1), q2 = mul_perquintill_round(w2, p2)
//	w  = Perquintill::from_rational(q2, q1 +sat q2)   (1/2 when the sum is 0)
//
// p1 and p2 are fixed.U128MulSumSat (y + dy and x + dx are below 2^65:
// u128's saturating_add never saturates). The two rounded products and
// the quotient are one call, fixed.PerquintillShareOfRounded: each qi is
// U128.MulAddQuoPerquintill(wi, 1e18/2) (the exact floor of the exact
// product plus 1e18/2, by a precomputed reciprocal of 1e18) capped at
// u128::MAX, which is mul_perquintill_round's U256 value capped, then
// PerquintillFromRationalU128(q2, q1 +sat q2) (roundPerquintill in the
// tests is the rounding alone). A zero sum is reported, and the weight
// is then 1/2.
func (c curve) updatedWeight(y, x, dy, dx uint64) (fixed.Perquintill, bool) {
	w, ok := fixed.PerquintillShareOfRounded(fixed.U128MulSumSat(y, x, dx), c.w1, fixed.U128MulSumSat(x, y, dy), c.w2)
	if !ok {
		w = HalfWeight
	}
	return w, validWeight(w)
}

// capI128 saturates z at 2^127 − 1, the largest raw value of a signed
// 128-bit fixed-point number (z is never negative here).
func capI128(z *uint256.Int) {
	if z[3] != 0 || z[2] != 0 || z[1]>>63 != 0 {
		z[0], z[1], z[2], z[3] = math.MaxUint64, math.MaxInt64, 0, 0
	}
}
