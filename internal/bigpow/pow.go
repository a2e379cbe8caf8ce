package bigpow

import (
	"math/big"
	"math/bits"

	"github.com/holiman/uint256"
)

// Pow is pow_ratio_scaled for the AMM's argument ranges: bases as uint256
// (the AMM passes values below 2^128), exponent terms and scale as uint64.
// It returns the same integer as PowBig, classified:
//
//   - ok == false where the crate returns None (bd == 0 or ed == 0);
//   - overflow == true when the result exceeds math.MaxUint64 (result is 0);
//   - otherwise result is the value. A negative result, which the crate's
//     fallback series can produce only for huge negative exponents, is
//     reported as result 0 with overflow false: subtensor maps it to 0 at
//     every call site (to_u64 fails, and the limit path takes its "else 0").
//
// Reduced exponents 1/1 and 1/2 (equal weights) use uint256; other exact
// exponents are settled by rounded 256-bit bounds (microseconds, where the
// crate's bisection takes milliseconds), except for roots within a relative
// 2^-230 or so of an integer, which take an exact math/big root; none of
// these allocate but the last. The fallback is first settled, where it can
// be, by a bounded 128-bit approximation (bases below 2^128, precisions 256
// to 1056, see approx.go), which does not allocate. Otherwise the series
// runs, at internal precisions up to 1080 bits on fixed-width limbs, which
// do not allocate after the first call at a precision (ln 2 is cached per
// precision). Arguments outside the fixed-width box use math/big. Every
// input is within PowLimited's bound on the exact path, so Pow never
// refuses one.
func Pow(bn, bd *uint256.Int, en, ed uint64, precision uint32, scale uint64) (result uint64, overflow bool, ok bool) {
	if bd.IsZero() || ed == 0 {
		return 0, false, false
	}
	if bn.IsZero() {
		return 0, false, true
	}
	if en == 0 {
		return scale, false, true
	}
	en, ed = reduceExponent(en, ed)
	if en <= maxExactExponent && ed <= maxExactExponent {
		switch {
		case en == 1 && ed == 1:
			if r, of, ok := exactOneOne(bn, bd, scale); ok {
				return r, of, true
			}
		case en == 1 && ed == 2:
			if r, of, ok := exactOneHalf(bn, bd, scale); ok {
				return r, of, true
			}
		}
		if r, class, ok := exactFast(bn, bd, scale, uint(en), uint(ed)); ok {
			return r, class == exceedsU64, true
		}
		r := exactBig(bn.ToBig(), bd.ToBig(), new(big.Int).SetUint64(scale), uint(en), uint(ed))
		return classifyBig(r)
	}
	if r, class, ok := fallbackApprox(bn, bd, en, ed, precision, scale); ok {
		return r, class == exceedsU64, true
	}
	if r, class, ok := fallbackFast(bn, bd, en, ed, precision, scale); ok {
		return r, class == exceedsU64, true
	}
	r := fallbackBig(bn.ToBig(), bd.ToBig(), new(big.Int).SetUint64(en), new(big.Int).SetUint64(ed), precision, new(big.Int).SetUint64(scale))
	return classifyBig(r)
}

func classifyBig(r *big.Int) (result uint64, overflow bool, ok bool) {
	switch {
	case r.Sign() < 0:
		return 0, false, true
	case !r.IsUint64():
		return 0, true, true
	}
	return r.Uint64(), false, true
}

// gcd64 is the gcd of a, b > 0: Euclid's algorithm, except for the AMM's
// exponents. Those are weights in parts of 1e18 = 2^18·5^18: w1/w2 with
// w1 + w2 = 1e18 (Balancer::exp_scaled) or w/1e18 (the delta-in pow),
// and gcd(a, b) = gcd(a, a + b), so both are gcd(a, 1e18) =
// 2^min(v2(a), 18) · 5^min(v5(a), 18): a trailing-zero count and at most
// 18 divisions by the constant 5 (multiplications), where Euclid's chain
// on two ~60-bit numbers takes dozens of hardware divisions. The gcd is
// unique, so the value is Euclid's (gcdEuclid in the tests).
func gcd64(a, b uint64) uint64 {
	if s, c := bits.Add64(a, b, 0); b == perquintill || c == 0 && s == perquintill {
		return gcdPerquintill(a)
	}
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// perquintill is 1e18 = 2^18·5^18, the AMM's weight scale.
const perquintill = 1_000_000_000_000_000_000

// gcdPerquintill is gcd(a, 1e18) for a > 0.
func gcdPerquintill(a uint64) uint64 {
	g := uint64(1) << min(bits.TrailingZeros64(a), 18)
	for range 18 {
		if a%5 != 0 {
			break
		}
		a /= 5
		g *= 5
	}
	return g
}

// reduceExponent returns en/g and ed/g for g = gcd64(en, ed), en, ed > 0.
// For the AMM's exponents g = 2^s·5^t (gcdPerquintill) divides both
// exactly, so each quotient is a shift by s and a product by the inverse
// of 5^t modulo 2^64 (for an odd o dividing x, x/o = x·o⁻¹ mod 2^64):
// the same integers as the two hardware divisions by g.
func reduceExponent(en, ed uint64) (uint64, uint64) {
	if s, c := bits.Add64(en, ed, 0); ed == perquintill || c == 0 && s == perquintill {
		a := en
		sh := min(bits.TrailingZeros64(a), 18)
		t := 0
		for ; t < 18 && a%5 == 0; t++ {
			a /= 5
		}
		inv := inv5Pow[t]
		return (en >> sh) * inv, (ed >> sh) * inv
	}
	if g := gcd64(en, ed); g != 1 {
		return en / g, ed / g
	}
	return en, ed
}

// inv5Pow[t] is the inverse of 5^t modulo 2^64, for t <= 18.
var inv5Pow = func() (inv [19]uint64) {
	// 5·inv5 ≡ 1 (mod 2^64): Newton's iteration x ← x·(2 − 5x) doubles
	// the correct low bits from x = 5 (5·5 ≡ 1 mod 8: three bits).
	inv5 := uint64(5)
	for range 5 {
		inv5 *= 2 - 5*inv5
	}
	inv[0] = 1
	for t := 1; t < len(inv); t++ {
		inv[t] = inv[t-1] * inv5
	}
	return inv
}()
