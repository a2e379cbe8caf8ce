package consensus

import "github.com/dtao-go/dtao/fixed"

// sigmoid holds the liquid-alpha constants of one epoch and a direct-mapped
// cache of α by input: α depends only on the clamped divergence x, and the
// 30-term exp series behind it dominates the epoch otherwise. A cache hit
// returns the same bits the series would.
type sigmoid struct {
	lo, hi, factor fixed.I32F32
	atZero         fixed.I32F32 // α for x = 0, the common case of a weight below consensus
	unit           bool         // 0 ≤ lo and hi ≤ 1, so every α lies in [0, 1]
	gen            uint32
	cache          [sigmoidCache]sigmoidSlot
}

type sigmoidSlot struct {
	key int64
	val fixed.I32F32
	gen uint32
}

const sigmoidCache = 1024

func (s *sigmoid) reset(lo, hi fixed.I32F32, steepness int16) {
	s.lo, s.hi = lo, hi
	s.factor = fixed.I32F32FromInt64(int64(steepness)).SaturatingDiv(fixed.I32F32FromInt64(-100))
	s.gen++
	if s.gen == 0 { // wrapped: stale stamps could collide, so clear them
		s.cache = [sigmoidCache]sigmoidSlot{}
		s.gen = 1
	}
	s.atZero = s.eval(zero)
	s.unit = lo.Sign() >= 0 && hi.Cmp(one) <= 0
}

// clampValue is math.rs clamp_value: min(high) first, then max(low).
func clampValue(v, low, high fixed.I32F32) fixed.I32F32 {
	if high.Less(v) {
		v = high
	}
	if v.Less(low) {
		v = low
	}
	return v
}

// alpha is run_epoch.rs alpha_sigmoid(consensus c, weight w, bond b).
func (s *sigmoid) alpha(c, w, b fixed.I32F32) fixed.I32F32 {
	return s.lookup(divergence(c, w, b))
}

// divergence is alpha_sigmoid's combined_diff: clamp(w − c, 0, 1) when
// w ≥ b ("buying"), else clamp(b − w, 0, 1) ("selling").
func divergence(c, w, b fixed.I32F32) fixed.I32F32 {
	cb, wb, bb := c.Bits(), w.Bits(), b.Bits()
	if uint64(cb) <= 1<<32 && uint64(wb) <= 1<<32 && uint64(bb) <= 1<<32 {
		// All three in [0, 1]: the differences cannot saturate and only
		// the lower clamp can bite.
		if wb >= bb {
			return fixed.I32F32FromBits(max(wb-cb, 0))
		}
		return fixed.I32F32FromBits(bb - wb)
	}
	if w.Cmp(b) >= 0 {
		return clampValue(w.SaturatingSub(c), zero, one)
	}
	return clampValue(b.SaturatingSub(w), zero, one)
}

// lookup returns the α of divergence x from the cache, computing it on a
// miss.
func (s *sigmoid) lookup(x fixed.I32F32) fixed.I32F32 {
	key := x.Bits()
	if key == 0 {
		return s.atZero
	}
	slot := &s.cache[uint64(key)*0x9E3779B97F4A7C15>>(64-10)]
	if slot.gen == s.gen && slot.key == key {
		return slot.val
	}
	a := s.eval(x)
	*slot = sigmoidSlot{key, a, s.gen}
	return a
}

// eval is the sigmoid of alpha_sigmoid for the clamped divergence x.
func (s *sigmoid) eval(x fixed.I32F32) fixed.I32F32 {
	z := s.factor.SaturatingMul(x.SaturatingSub(half))
	sig := one.SaturatingDiv(one.SaturatingAdd(fixed.ExpSafe(z)))
	return clampValue(s.lo.SaturatingAdd(sig.SaturatingMul(s.hi.SaturatingSub(s.lo))), s.lo, s.hi)
}
