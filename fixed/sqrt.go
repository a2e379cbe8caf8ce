package fixed

import "math/bits"

// Isqrt64 returns floor(sqrt(v)).
func Isqrt64(v uint64) uint64 {
	return Isqrt128(0, v)
}

// Isqrt128 returns floor(sqrt(hi<<64 | lo)), which always fits in 64 bits.
func Isqrt128(hi, lo uint64) uint64 {
	if hi == 0 && lo < 2 {
		return lo
	}
	// Bit-by-bit: build the root from the most significant bit down,
	// keeping the 128-bit remainder rem = v - r^2.
	n := u128{hi, lo}
	var r uint64
	nbits := 128 - bitLen128(n)
	top := (127 - nbits) / 2 // index of the root's highest possible bit
	var rem u128 = n
	for i := top; i >= 0; i-- {
		// Try r' = r + 2^i: r'^2 = r^2 + 2^(i+1) r + 2^(2i).
		cand := u128{0, r}.shl(uint(i + 1)).add(u128{0, 1}.shl(uint(2 * i)))
		if cand.cmp(rem, false) <= 0 {
			rem = rem.sub(cand)
			r |= 1 << uint(i)
		}
	}
	return r
}

func bitLen128(a u128) int {
	if a.hi != 0 {
		return 64 + bits.Len64(a.hi)
	}
	return bits.Len64(a.lo)
}

func (a u128) shl(n uint) u128 {
	switch {
	case n == 0:
		return a
	case n >= 128:
		return u128{}
	case n >= 64:
		return u128{a.lo << (n - 64), 0}
	}
	return u128{a.hi<<n | a.lo>>(64-n), a.lo << n}
}

// CheckedSqrt is subtensor safe-math's checked_sqrt(epsilon) on U64F64: a
// bisection between [0, max(x, 1)] that stops when |x/mid - mid| <= epsilon
// or after 129 steps, using safe_div throughout. It never fails for an
// unsigned type, so ok is always true; the bool keeps Rust's Option shape.
func (x U64F64) CheckedSqrt(epsilon U64F64) (U64F64, bool) {
	zero := U64F64{}
	one := U64F64FromUint64(1)
	two := U64F64FromUint64(2)
	var high, low U64F64
	if one.Less(x) {
		high, low = x, zero
	} else {
		high, low = one, x
	}
	middle := high.SaturatingAdd(low).SafeDiv(two)
	check := x.SafeDiv(middle)
	for iteration := 0; absDiffU64F64(check, middle).Cmp(epsilon) > 0; {
		if check.Less(middle) {
			high = middle
		} else {
			low = middle
		}
		middle = high.SaturatingAdd(low).SafeDiv(two)
		check = x.SafeDiv(middle)
		iteration++
		if iteration > 128 {
			break
		}
	}
	return middle, true
}

func absDiffU64F64(a, b U64F64) U64F64 {
	if a.Less(b) {
		return b.SaturatingSub(a)
	}
	return a.SaturatingSub(b)
}
