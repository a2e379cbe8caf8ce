package fixed

import "math/bits"

// U16Divisor divides a u16 scaled by 2^32 by a fixed u64 d with one
// multiplication and no correction step: Quo(u) is floor(u·2^32 / d), the
// raw bits of the I32F32 quotient of u by d. The epoch normalises each row
// of u16 weights by the row's integer total this way
// (inplace_row_normalize_sparse in epoch/math.rs, whose I32F32 division of
// u·2^32 by total·2^32 is floor(u·2^32/total) while the total stays below
// 2^31). Build it with NewU16Divisor; the zero value divides everything
// to 0.
type U16Divisor struct {
	m uint64 // ceil(2^(96-a) / d), or 0 when every quotient is 0
	p uint64 // 2^a, the scale of u before the multiplication
}

// NewU16Divisor returns the divisor for d. Every d is allowed: d == 0
// divides to 0 (as SafeDivUint64 does), and so does every d ≥ 2^48, which
// exceeds every u·2^32 (u < 2^16).
//
// For 1 ≤ d < 2^48, with L the bit length of d, a = max(0, 34−L) puts
// D = d·2^a in [2^33, 2^48) (in [2^33, 2^34) when L ≤ 34, and D = d ≥
// 2^34 otherwise), and m = ceil(2^96/D) = ceil(2^(96−a)/d) lies in
// (2^48, 2^63], so it fits a u64.
func NewU16Divisor(d uint64) U16Divisor {
	if d == 0 || d >= 1<<48 {
		return U16Divisor{}
	}
	a := max(0, 34-bits.Len64(d))
	D := d << a
	// ceil(2^96/D) = floor((2^96−1)/D) + 1 for D ≥ 1: 2^96−1 is the
	// two-word (2^32−1, 2^64−1), and its high word is below D.
	q, _ := bits.Div64(1<<32-1, 1<<64-1, D)
	return U16Divisor{q + 1, 1 << a}
}

// Quo returns floor(u·2^32 / d) exactly, for every u16 u and every d; 0
// when d == 0.
//
// (u·2^a is formed as the product u·p, p = 2^a, which unlike a shift by a
// variable count leaves the shift-count register free in a loop.)
//
// Why one multiplication is exact: with D = d·2^a and m = 2^96/D + e,
// 0 ≤ e < 1, the high word of (u·2^a)·m is the floor of
// u·2^a·m/2^64 = u·2^32/d + u·2^a·e/2^64 = x + δ, x = u·2^32/d. δ ≥ 0, and
// δ < u·2^a/2^64 = u·D/(d·2^64) < 2^16·2^48/(d·2^64) = 1/d. The fraction
// of x is r/d with r ≤ d−1, so frac(x) + δ < (d−1)/d + 1/d = 1: adding δ
// never reaches the next integer, and floor(x+δ) = floor(x). u·2^a <
// 2^16·2^34 fits a u64. For m == 0 (d == 0, or d ≥ 2^48 where
// u·2^32 < 2^48 ≤ d) the product is 0, the exact quotient.
func (v U16Divisor) Quo(u uint16) uint64 {
	hi, _ := bits.Mul64(uint64(u)*v.p, v.m)
	return hi
}
