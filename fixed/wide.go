package fixed

import (
	"math"

	"github.com/holiman/uint256"
)

// wide is a sign-magnitude number with 64 fractional bits, wide enough to
// hold every value of every type in this package (and any integer operand)
// exactly. Conversions go through it: source -> wide is exact, wide ->
// target floors and then clamps, which is substrate-fixed's
// saturating_from_num / checked_from_num between fixed types and integers.
type wide struct {
	neg bool
	mag uint256.Int // |value| * 2^64
}

const wideFrac = 64

// wideFromFloat64 rounds f to the nearest multiple of 2^-frac, ties to even,
// as substrate-fixed's from_num(f64) does. NaN becomes 0; magnitudes far
// beyond any type's range (including infinities) become a magnitude that
// every target saturates on.
func wideFromFloat64(f float64, frac uint) wide {
	var w wide
	if f != f || f == 0 {
		return w
	}
	w.neg = f < 0
	if math.IsInf(f, 0) {
		w.mag = uint256.Int{0, 0, 0, 1 << 62}
		return w
	}
	b := math.Float64bits(f)
	exp := int((b >> 52) & 0x7ff)
	mant := b & (1<<52 - 1)
	if exp == 0 {
		exp = 1 // subnormal
	} else {
		mant |= 1 << 52
	}
	// |f| = mant * 2^(exp-1075); the raw target bits are mant * 2^s.
	s := exp - 1075 + int(frac)
	var raw uint256.Int
	switch {
	case s >= 0:
		if s > 150 {
			w.mag = uint256.Int{0, 0, 0, 1 << 62}
			return w
		}
		raw.SetUint64(mant)
		raw.Lsh(&raw, uint(s))
	case s < -54:
		// |raw| < 2^53 * 2^-55 < 1/2: rounds to zero.
	default:
		k := uint(-s)
		q := mant >> k
		rem := mant & (1<<k - 1)
		half := uint64(1) << (k - 1)
		if rem > half || (rem == half && q&1 == 1) {
			q++
		}
		raw.SetUint64(q)
	}
	w.mag.Lsh(&raw, wideFrac-frac)
	if w.mag.IsZero() {
		w.neg = false
	}
	return w
}

// fit converts w to an nbits-wide two's-complement (or unsigned) integer
// with frac fractional bits: the dropped fractional bits floor the value
// (toward -inf), then the result is checked against the target range. It
// returns the low words of the result and the direction of overflow: 0 in
// range, +1 above the maximum, -1 below the minimum. On overflow the returned
// words are the saturated bound.
func (w *wide) fit(nbits, frac uint, signed bool) (uint256.Int, int) {
	var m uint256.Int
	sh := wideFrac - frac
	if !w.neg || sh == 0 {
		m.Rsh(&w.mag, sh)
	} else {
		// floor of a negative value: round the magnitude up.
		var bias uint256.Int
		bias.SetUint64(1)
		bias.Lsh(&bias, sh)
		bias.SubUint64(&bias, 1)
		m.Add(&w.mag, &bias)
		m.Rsh(&m, sh)
	}
	var limit uint256.Int // the largest allowed magnitude in this direction
	limit.SetUint64(1)
	switch {
	case !signed && w.neg:
		if m.IsZero() {
			return m, 0
		}
		return uint256.Int{}, -1
	case !signed:
		limit.Lsh(&limit, nbits)
		limit.SubUint64(&limit, 1)
	case w.neg:
		limit.Lsh(&limit, nbits-1)
	default:
		limit.Lsh(&limit, nbits-1)
		limit.SubUint64(&limit, 1)
	}
	if m.Gt(&limit) {
		if w.neg {
			// Signed minimum: -2^(nbits-1), i.e. the limit negated.
			limit.Neg(&limit)
			return limit, -1
		}
		return limit, 1
	}
	if w.neg {
		m.Neg(&m)
	}
	return m, 0
}

func (w *wide) to128(frac uint, signed bool) (u128, int) {
	m, o := w.fit(128, frac, signed)
	return u128{m[1], m[0]}, o
}

func (w *wide) toInt64(frac uint) (int64, int) {
	m, o := w.fit(64, frac, true)
	return int64(m[0]), o
}
