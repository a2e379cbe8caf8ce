package fixed

import (
	"math/bits"

	"github.com/holiman/uint256"
)

// Perquintill is sp-arithmetic's Perquintill: a proportion in parts of
// 10^18, always in [0, 10^18]. The zero value is 0%. Its SCALE encoding is
// the u64 parts.
type Perquintill uint64

// PerquintillAccuracy is the number of parts in 100%.
const PerquintillAccuracy = 1_000_000_000_000_000_000

// PerquintillFromParts is from_parts: p parts, clamped to 10^18.
func PerquintillFromParts(p uint64) Perquintill {
	return Perquintill(min(p, PerquintillAccuracy))
}

// PerquintillOne returns 100%.
func PerquintillOne() Perquintill { return PerquintillAccuracy }

// Parts is deconstruct: the parts of 10^18.
func (p Perquintill) Parts() uint64 { return uint64(p) }

// Complement returns 100% - p (one minus p).
func (p Perquintill) Complement() Perquintill {
	return Perquintill(PerquintillAccuracy - min(uint64(p), PerquintillAccuracy))
}

// PerquintillFromRational is from_rational(p, q): floor(10^18 * p / q)
// computed exactly, or 100% when q == 0 or p > q.
func PerquintillFromRational(p, q uint64) Perquintill {
	if q == 0 || p > q {
		return PerquintillAccuracy
	}
	hi, lo := bits.Mul64(p, PerquintillAccuracy)
	// p <= q so the quotient is at most 10^18 and hi < q.
	r, _ := bits.Div64(hi, lo, q)
	return Perquintill(r)
}

// PerquintillFromRational256 is from_rational(p, q) for wide (e.g. u128)
// arguments: floor(10^18 * p / q) computed exactly, or 100% when q == 0 or
// p > q. p and q are not modified.
func PerquintillFromRational256(p, q *uint256.Int) Perquintill {
	if q.IsZero() || p.Gt(q) {
		return PerquintillAccuracy
	}
	var z uint256.Int
	acc := uint256.NewInt(PerquintillAccuracy)
	z.MulDivOverflow(p, acc, q)
	return Perquintill(z.Uint64())
}

// MulFloorUint64 is mul_floor: floor(p * v) = floor(parts * v / 10^18),
// computed exactly.
func (p Perquintill) MulFloorUint64(v uint64) uint64 {
	hi, lo := bits.Mul64(uint64(p), v)
	// parts <= 10^18, so hi < 10^18 and the quotient fits.
	q, _ := bits.Div64(hi, lo, PerquintillAccuracy)
	return q
}
