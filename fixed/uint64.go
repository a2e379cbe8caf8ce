package fixed

import (
	"math"
	"math/bits"
)

// This file holds the chain's u64 integer helpers (Rust's saturating_add,
// saturating_sub, saturating_mul on u64, and a u128 multiply-divide), and a
// division by a repeated divisor.

// SaturatingAddUint64 is u64::saturating_add: a + b clamped to u64::MAX.
func SaturatingAddUint64(a, b uint64) uint64 {
	s, c := bits.Add64(a, b, 0)
	if c != 0 {
		return math.MaxUint64
	}
	return s
}

// SaturatingSubUint64 is u64::saturating_sub: a - b, or 0 when b > a.
func SaturatingSubUint64(a, b uint64) uint64 {
	if b > a {
		return 0
	}
	return a - b
}

// SaturatingMulUint64 is u64::saturating_mul: a * b clamped to u64::MAX.
func SaturatingMulUint64(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi != 0 {
		return math.MaxUint64
	}
	return lo
}

// MulDivUint64 is floor(a * b / c) with the product formed in 128 bits, as
// the chain writes (a as u128 * b as u128 / c as u128) and converts back
// with try_into (e.g. split_emissions in subnets/mechanism.rs). ok is false,
// and q is 0, when c == 0 or the quotient does not fit a u64.
func MulDivUint64(a, b, c uint64) (q uint64, ok bool) {
	hi, lo := bits.Mul64(a, b)
	if c == 0 || hi >= c {
		return 0, false
	}
	q, _ = bits.Div64(hi, lo, c)
	return q, true
}

// Uint64Divisor divides by a fixed u64 d with a multiplication instead of a
// division instruction, for loops that divide many values by the same d
// (the epoch's row normalisation divides every weight of a row by the row's
// sum). Build it with NewUint64Divisor; the zero value divides everything
// to 0.
type Uint64Divisor struct{ d, r uint64 }

// NewUint64Divisor returns the divisor for d. d == 0 is allowed: Div then
// returns 0, as SafeDivUint64 does.
func NewUint64Divisor(d uint64) Uint64Divisor {
	if d == 0 {
		return Uint64Divisor{}
	}
	return Uint64Divisor{d, math.MaxUint64 / d}
}

// Div returns floor(x / d), exactly, for every x; 0 when d == 0
// (SafeDivUint64(x, d)).
//
// With r = floor((2^64-1)/d), q = floor(x*r / 2^64) satisfies x/d - 2 <
// q <= x/d (r >= (2^64-d)/d, so x*r/2^64 >= x/d - x/2^64 > x/d - 1), so q
// is floor(x/d) or one less. The remainder x - q*d is then below 2d and
// at most x, so it is exact in 64 bits, and the borrow of (d-1) - rem adds
// the missing 1 without a branch. For d == 0 the zero r and the borrowless
// (2^64-1) - x leave q at 0.
func (v Uint64Divisor) Div(x uint64) uint64 {
	q, _ := bits.Mul64(x, v.r)
	_, b := bits.Sub64(v.d-1, x-q*v.d, 0)
	return q + b
}

// Divisor returns d.
func (v Uint64Divisor) Divisor() uint64 { return v.d }

// DivShl32 returns floor(b·2^32 / d), the raw bits of the I32F32 quotient
// of b by d (both raw I32F32 bits), for b ≤ d and b < 2^32, with 64-bit
// products only (no 128-bit multiplication, whose fixed registers cost
// moves in a loop); 0 when d == 0 (then b is 0). For other b the result
// is Div(b<<32) truncated at some step and not meaningful: callers
// guarantee the bound (the epoch divides each non-negative bond by its
// column's sum, which includes it).
//
// Why it is exact: with r = floor((2^64−1)/d), b·r ≤ b·(2^64−1)/d ≤
// 2^64−1 for b ≤ d, so the 64-bit product is exact, and q = floor(b·r /
// 2^32) is the high word of (b·2^32)·r, Div's first estimate, which Div's
// proof puts at floor(b·2^32/d) or one less. The remainder b·2^32 − q·d is
// then below 2d, exact in 64 bits (b·2^32 < 2^64), and the same borrow
// as in Div adds the missing 1.
func (v Uint64Divisor) DivShl32(b uint64) uint64 {
	x := b << 32
	q := (b * v.r) >> 32
	_, c := bits.Sub64(v.d-1, x-q*v.d, 0)
	return q + c
}
