package subnet

import (
	"math/bits"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// q32One is 1.0 in Q32.
const q32One = uint64(1) << 32

// MulByQ32 returns floor(value·factor/2^32), saturating at 2^64-1
// (utils/misc.rs mul_by_q32).
func MulByQ32(value, factorQ32 uint64) uint64 {
	hi, lo := bits.Mul64(value, factorQ32)
	if hi>>32 != 0 {
		return ^uint64(0)
	}
	return hi<<32 | lo>>32
}

// PowQ32 returns base^exp in Q32 by exponentiation by squaring, each
// product through MulByQ32 (utils/misc.rs pow_q32).
func PowQ32(baseQ32 uint64, exp uint16) uint64 {
	result, factor, power := q32One, baseQ32, uint32(exp)
	for power > 0 {
		if power&1 == 1 {
			result = MulByQ32(result, factor)
		}
		power >>= 1
		if power > 0 {
			factor = MulByQ32(factor, factor)
		}
	}
	return result
}

// DecayFactorQ32 returns the per-block burn decay factor in Q32: the
// largest f in [0, 2^32) with PowQ32(f, halfLife) ≤ 2^31, found by the
// chain's binary search, or 1.0 (2^32) for a half-life of 0
// (utils/misc.rs decay_factor_q32). DecayFactorQ32(360) is 4_286_705_684.
func DecayFactorQ32(halfLife uint16) uint64 {
	if halfLife == 0 {
		return q32One
	}
	const half = uint64(1) << 31
	lo, hi := uint64(0), q32One
	for lo+1 < hi {
		mid := lo + (hi-lo)>>1
		if PowQ32(mid, halfLife) > half {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo
}

// BurnRule is one subnet's registration price rule: its BurnHalfLife,
// BurnIncreaseMult, MinBurn and MaxBurn. The zero BurnRule never decays,
// multiplies by 1 and clamps every price to 0.
type BurnRule struct {
	HalfLife     uint16
	IncreaseMult fixed.U64F64
	MinBurn      units.TAO
	MaxBurn      units.TAO
}

// clamp raises burn to MinBurn, then lowers it to MaxBurn, in the chain's
// order (so MaxBurn wins when MinBurn > MaxBurn).
func (r *BurnRule) clamp(burn uint64) units.TAO {
	if burn < uint64(r.MinBurn) {
		burn = uint64(r.MinBurn)
	}
	if burn > uint64(r.MaxBurn) {
		burn = uint64(r.MaxBurn)
	}
	return units.TAO(burn)
}

// Decay returns the price after one block's decay: burn·f floored, with f
// = DecayFactorQ32(HalfLife) (no decay when HalfLife is 0), then clamped
// (subnets/registration.rs update_registration_prices_for_networks). The
// chain skips the multiplication, not the clamp, at blocks 0 and 1.
// Decay searches the factor on every call; DecayBlocks computes it once.
func (r BurnRule) Decay(burn units.TAO) units.TAO {
	return r.decay(uint64(burn), r.factor())
}

func (r *BurnRule) factor() uint64 {
	if r.HalfLife == 0 {
		return q32One
	}
	return DecayFactorQ32(r.HalfLife)
}

func (r *BurnRule) decay(burn, factor uint64) units.TAO {
	if r.HalfLife > 0 {
		burn = MulByQ32(burn, factor)
	}
	return r.clamp(burn)
}

// Bump returns the price after one registration: burn·max(IncreaseMult, 1)
// in U64F64, saturating, floored, then clamped (subnets/registration.rs
// bump_registration_price_after_registration).
func (r BurnRule) Bump(burn units.TAO) units.TAO {
	return r.bump(uint64(burn), r.mult())
}

func (r *BurnRule) mult() fixed.U64F64 {
	one := fixed.U64F64FromUint64(1)
	if r.IncreaseMult.Less(one) {
		return one
	}
	return r.IncreaseMult
}

func (r *BurnRule) bump(burn uint64, mult fixed.U64F64) units.TAO {
	return r.clamp(mult.SaturatingMulToUint64(burn))
}

// DecayBlocks returns the price after blocks blocks of Decay. It stops
// early once the price no longer changes (Decay is monotone, so the price
// then stays put), which bounds the work by about 3.3 million steps
// whatever blocks is.
func (r BurnRule) DecayBlocks(burn units.TAO, blocks uint32) units.TAO {
	f := r.factor()
	b := uint64(burn)
	for range blocks {
		next := uint64(r.decay(b, f))
		if next == b {
			break
		}
		b = next
	}
	return units.TAO(b)
}

// BumpRegistrations returns the price after registrations registrations,
// each a Bump. It stops early once the price no longer changes; with a
// multiplier barely above 1 the price may keep rising by a few rao for
// billions of steps, and the work is then proportional to registrations.
func (r BurnRule) BumpRegistrations(burn units.TAO, registrations uint32) units.TAO {
	m := r.mult()
	b := uint64(burn)
	for range registrations {
		next := uint64(r.bump(b, m))
		if next == b {
			break
		}
		b = next
	}
	return units.TAO(b)
}

// After returns the price after blocks blocks of decay followed by
// registrations registrations: DecayBlocks, then BumpRegistrations.
func (r BurnRule) After(burn units.TAO, blocks, registrations uint32) units.TAO {
	return r.BumpRegistrations(r.DecayBlocks(burn, blocks), registrations)
}
