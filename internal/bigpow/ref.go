package bigpow

import (
	"math"
	"math/big"
)

// Constants of safe-bigmath's pow_ratio_scaled (src/integer.rs at rev 013c499).
const (
	// maxExactExponent bounds both reduced exponent terms on the exact path.
	maxExactExponent = 1024
	// guardBits are the extra fractional bits of the fallback path.
	guardBits = 24
	// defaultMaxIters caps the series length of the fallback path.
	defaultMaxIters = 4096
)

// fallbackParams returns the fallback path's requested precision P, internal
// precision I (S = 2^I is one) and series iteration cap, as the crate derives
// them from the caller's precision and the bit length of scale. The u32
// saturation mirrors the crate; such precisions are not computable anyway.
func fallbackParams(precision uint32, scaleBits int) (p, i uint32, maxIters int) {
	sb := uint32(math.MaxUint32)
	if uint64(scaleBits) < math.MaxUint32 {
		sb = uint32(scaleBits)
	}
	p = max(precision, 32, satAdd32(sb, 8))
	i = satAdd32(p, guardBits)
	maxIters = int(min(defaultMaxIters, uint64(i)+128)) // >= 1 as i >= 56
	return p, i, maxIters
}

func satAdd32(a, b uint32) uint32 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint32
}

// PowBig is the plain math/big transcription of safe-bigmath's
// SafeInt::pow_ratio_scaled(bn, bd, en, ed, precision, scale): approximately
// floor((bn/bd)^(en/ed) · scale), exactly as the crate computes it. It is the
// reference that the fast paths of Pow and PowLimited are tested against; it
// allocates and may be slow: its exact path with large reduced exponents
// bisects on numbers of tens of thousands of bits (milliseconds), and with
// large bases too it runs for minutes. It has no bound; callers that take
// arbitrary input use PowLimited.
//
// ok is false where the crate returns None: bd == 0 or ed == 0, or (once bn
// is known to be non-zero) a negative scale, base or exponent. The result is
// a new big.Int; it can be negative when the fallback series is driven far
// outside its range (huge negative exponents), as in the crate. The arguments
// are not modified.
func PowBig(bn, bd, en, ed *big.Int, precision uint32, scale *big.Int) (result *big.Int, ok bool) {
	if bd.Sign() == 0 || ed.Sign() == 0 {
		return nil, false
	}
	if bn.Sign() == 0 {
		return new(big.Int), true
	}
	if scale.Sign() < 0 || bn.Sign() < 0 || bd.Sign() < 0 || en.Sign() < 0 || ed.Sign() < 0 {
		return nil, false
	}
	if en.Sign() == 0 {
		return new(big.Int).Set(scale), true
	}
	num, den := new(big.Int).Set(en), new(big.Int).Set(ed)
	g := new(big.Int).GCD(nil, nil, num, den)
	if g.Cmp(bigOne) > 0 {
		num.Quo(num, g)
		den.Quo(den, g)
	}
	if num.IsUint64() && den.IsUint64() && num.Uint64() <= maxExactExponent && den.Uint64() <= maxExactExponent {
		e, d := uint(num.Uint64()), uint(den.Uint64())
		target := new(big.Int).Mul(bigPow(bn, e), bigPow(scale, d))
		return nthRootRatioFloor(target, bigPow(bd, e), d), true
	}
	return fallbackBig(bn, bd, num, den, precision, scale), true
}

var bigOne = big.NewInt(1)

func bigPow(x *big.Int, e uint) *big.Int {
	return new(big.Int).Exp(x, new(big.Int).SetUint64(uint64(e)), nil)
}

// nthRootRatioFloor is the crate's binary search for the largest r with
// r^q · den <= num: hi doubles from 1 while it still qualifies, then the
// interval [0, hi] is bisected with mid = (lo+hi+1)/2.
func nthRootRatioFloor(num, den *big.Int, q uint) *big.Int {
	if q == 0 {
		return new(big.Int)
	}
	fits := func(r *big.Int) bool {
		t := bigPow(r, q)
		return t.Mul(t, den).Cmp(num) <= 0
	}
	lo, hi := new(big.Int), big.NewInt(1)
	for fits(hi) {
		hi.Lsh(hi, 1)
	}
	mid := new(big.Int)
	for lo.Cmp(hi) < 0 {
		mid.Add(lo, hi)
		mid.Add(mid, bigOne)
		mid.Rsh(mid, 1)
		if fits(mid) {
			lo.Set(mid)
		} else {
			hi.Sub(mid, bigOne)
		}
	}
	return lo
}

// fallbackBig is the crate's fixed-point ln/exp path. num/den is the reduced
// exponent; bn, bd > 0, scale >= 0.
func fallbackBig(bn, bd, num, den *big.Int, precision uint32, scale *big.Int) *big.Int {
	p, i, maxIters := fallbackParams(precision, scale.BitLen())
	target := new(big.Int).Lsh(bigOne, uint(p))
	guard := new(big.Int).Lsh(bigOne, guardBits)
	internal := new(big.Int).Lsh(target, guardBits)

	half := new(big.Int).Rsh(internal, 1)
	lnTwo := ln1pBig(half.Neg(half), internal, guard, maxIters)
	lnTwo.Neg(lnTwo)

	lnBase := lnBig(bn, i, internal, guard, lnTwo, maxIters)
	lnBase.Sub(lnBase, lnBig(bd, i, internal, guard, lnTwo, maxIters))

	lnScaled := lnBase.Mul(lnBase, num)
	lnScaled.Div(lnScaled, den) // Euclidean division by a positive divisor is floor
	e := expBig(lnScaled, internal, guard, maxIters)
	r := roundToPrecision(e, guard)
	r.Mul(r, scale)
	return r.Div(r, target)
}

// ln1pBig is the crate's ln1p_fixed: the Taylor series of ln(1+x) in units
// of scale, floored toward -inf term by term, stopped when a term vanishes,
// falls below the guard factor, or leaves the rounded sum unchanged.
func ln1pBig(x, scale, guard *big.Int, maxIters int) *big.Int {
	term := new(big.Int).Set(x)
	res := new(big.Int).Set(x)
	prev := roundToPrecision(res, guard)
	next := new(big.Int)
	nb := new(big.Int)
	for n := 2; n <= maxIters; n++ {
		term.Mul(term, x)
		term.Div(term, scale)
		if term.Sign() == 0 {
			break
		}
		next.Div(term, nb.SetInt64(int64(n)))
		if next.Sign() == 0 {
			break
		}
		if n%2 == 0 {
			res.Sub(res, next)
		} else {
			res.Add(res, next)
		}
		r := roundToPrecision(res, guard)
		if next.CmpAbs(guard) < 0 || r.Cmp(prev) == 0 {
			break
		}
		prev = r
	}
	return res
}

// expBig is the crate's exp_fixed: the Taylor series of exp(x) in units of
// scale, each term floor(term·x / (scale·n)), with ln1pBig's stopping rules.
func expBig(x, scale, guard *big.Int, maxIters int) *big.Int {
	term := new(big.Int).Set(scale)
	res := new(big.Int).Set(scale)
	prev := roundToPrecision(res, guard)
	div := new(big.Int)
	for n := 1; n <= maxIters; n++ {
		term.Mul(term, x)
		term.Div(term, div.Mul(scale, div.SetInt64(int64(n))))
		if term.Sign() == 0 {
			break
		}
		res.Add(res, term)
		r := roundToPrecision(res, guard)
		if term.CmpAbs(guard) < 0 || r.Cmp(prev) == 0 {
			break
		}
		prev = r
	}
	return res
}

// lnBig is the crate's ln_biguint: v = m · 2^shift with the mantissa m
// normalised into [0.75, 1.5) in units of 2^i, ln v = ln1p(m-1) + shift·ln 2.
func lnBig(v *big.Int, i uint32, scale, guard, lnTwo *big.Int, maxIters int) *big.Int {
	shift := uint(v.BitLen() - 1)
	m := new(big.Int).Lsh(v, uint(i))
	m.Rsh(m, shift)
	threshold := new(big.Int).Rsh(scale, 1)
	threshold.Add(threshold, scale)
	if m.Cmp(threshold) >= 0 {
		m.Rsh(m, 1)
		shift++
	}
	res := ln1pBig(m.Sub(m, scale), scale, guard, maxIters)
	t := new(big.Int).Mul(lnTwo, new(big.Int).SetUint64(uint64(shift)))
	return res.Add(res, t)
}

// roundToPrecision is the crate's round_to_precision: v / guard truncated
// toward zero, then moved one away from zero when 2·|remainder| >= guard.
func roundToPrecision(v, guard *big.Int) *big.Int {
	q, rem := new(big.Int).QuoRem(v, guard, new(big.Int))
	if rem.Sign() != 0 {
		rem.Abs(rem)
		if rem.Lsh(rem, 1).CmpAbs(guard) >= 0 {
			if v.Sign() < 0 {
				q.Sub(q, bigOne)
			} else {
				q.Add(q, bigOne)
			}
		}
	}
	return q
}
