package fixed

import "math/bits"

// This file holds divisions of up to 256-bit numerators by 128-bit
// divisors done with 64-bit hardware divisions (bits.Div64) instead of
// uint256's general long division. Each returns exactly the integer of the
// operation it names (the same value as the uint256 path of divShl,
// PerquintillFromRational256 and the like); the tests check each against
// math/big and against those functions.

// normShifts returns the shift s that normalises a divisor whose top word
// is d1 != 0 (s = bits.LeadingZeros64(d1), so that d1<<s has its top bit
// set) and t = 63 − s. Both are below 64, which the compiler sees (the
// masks), so each shift is one instruction without the guard Go puts on
// a shift whose count may reach 64. The bits a word w carries into the
// next word up are w>>1>>t, which is w>>(64−s) for s in 1..63 and 0 for
// s = 0 (where w>>(64−s) is a shift by 64, also 0 in Go); those carried
// down are w<<1<<t likewise.
func normShifts(d1 uint64) (s, t uint) {
	s = uint(bits.LeadingZeros64(d1)) & 63
	return s, ^s & 63
}

// div3by2q returns floor(n / d) for n = n2·2^128 + n1·2^64 + n0 and
// d = d1·2^64 + d0, where d1 != 0 and n2·2^64 + n1 < d (so that the
// quotient is below 2^64): one step of Knuth's algorithm D (TAOCP vol. 2,
// 4.3.1) with 64-bit digits. With d shifted left until its top bit is set
// and n shifted by the same amount (n < d·2^64, so n·2^s < 2^192 loses no
// bit), the quotient is unchanged and [div3by2nq] finds it.
func div3by2q(n2, n1, n0, d1, d0 uint64) uint64 {
	s, t := normShifts(d1)
	dn1, dn0 := d1<<s|d0>>1>>t, d0<<s
	nn2, nn1, nn0 := n2<<s|n1>>1>>t, n1<<s|n0>>1>>t, n0<<s
	// div3by2nq, written out (it is too large to be inlined).
	if nn2 >= dn1 {
		return div3by2nqCapped(nn1, nn0, dn1, dn0)
	}
	q, r := bits.Div64(nn2, nn1, dn1)
	return div3by2Correct(q, r, nn0, dn1, dn0)
}

// div3by2qShl32 is div3by2q(x1>>32, x1<<32|x0>>32, x0<<32, d1, d0):
// floor(x·2^32 / d) for x = x1·2^64 + x0 < d = d1·2^64 + d0, d1 != 0
// (the quotient of a U96F32 below 1). div3by2q shifts the numerator
// x·2^32 left again by d's normalising shift s; here the two shifts are
// one, by 32 + s: below 64 (s < 32) the three words are x1>>(64−u),
// x1<<u|x0>>(64−u), x0<<u for u = 32 + s, and from 64 on (s >= 32) they
// are x1<<u|x0>>(64−u), x0<<u, 0 for u = s − 32 (the word x·2^(32+s)
// needs no fourth word: x < d < 2^(128−s)). The words, and so the
// quotient, are div3by2q's. TestDiv3by2qShl32 and FuzzDiv3by2qShl32
// compare the two.
func div3by2qShl32(x1, x0, d1, d0 uint64) uint64 {
	s, t := normShifts(d1)
	dn1, dn0 := d1<<s|d0>>1>>t, d0<<s
	var nn2, nn1, nn0 uint64
	if s < 32 {
		u := (s + 32) & 63
		nn2, nn1, nn0 = x1>>1>>(^u&63), x1<<u|x0>>1>>(^u&63), x0<<u
	} else {
		u := (s - 32) & 63
		nn2, nn1 = x1<<u|x0>>1>>(^u&63), x0<<u
	}
	if nn2 >= dn1 {
		return div3by2nqCapped(nn1, nn0, dn1, dn0)
	}
	q, r := bits.Div64(nn2, nn1, dn1)
	return div3by2Correct(q, r, nn0, dn1, dn0)
}

// div3by2nq is floor(n / d) for a normalised divisor (d1 >= 2^63) and
// n2·2^64 + n1 < d. The estimate q̂ = min(floor((n2·2^64 + n1) / d1),
// 2^64 − 1) satisfies q ≤ q̂ ≤ q + 2 (Theorem B), and it is corrected with
// Knuth's step D3 test: q̂ and r̂ = (n2·2^64 + n1) − q̂·d1 come from one
// hardware division, and n − q̂·d = r̂·2^64 + n0 − q̂·d0, so q̂·d0 >
// r̂·2^64 + n0 is exactly q̂·d > n; for a divisor of two words the test is
// the whole comparison, so the loop leaves the exact floor (at most two
// corrections). Once r̂ reaches 2^64 the test fails for every q̂ < 2^64 and
// q̂ is the floor. One multiplication per test instead of the three-word
// product.
func div3by2nq(n2, n1, n0, d1, d0 uint64) uint64 {
	if n2 >= d1 {
		return div3by2nqCapped(n1, n0, d1, d0)
	}
	q, r := bits.Div64(n2, n1, d1)
	return div3by2Correct(q, r, n0, d1, d0)
}

// div3by2nqCapped is [div3by2nq] for n2 == d1 (the numerator's top two
// words are below d, so n2 > d1 cannot be): q̂ is capped at 2^64 − 1 and
// r̂ = n1 + d1, and a carry out of r̂ leaves q̂ as the floor.
func div3by2nqCapped(n1, n0, d1, d0 uint64) uint64 {
	r, c := bits.Add64(n1, d1, 0)
	if c != 0 {
		return ^uint64(0)
	}
	return div3by2Correct(^uint64(0), r, n0, d1, d0)
}

// div3by2Correct lowers the estimate q̂ with remainder r̂ below 2^64 by
// Knuth's step D3 test until q̂·d0 <= r̂·2^64 + n0, stopping when r̂
// passes 2^64 (see [div3by2nq]).
func div3by2Correct(q, r, n0, d1, d0 uint64) uint64 {
	for {
		ph, pl := bits.Mul64(q, d0)
		if ph < r || ph == r && pl <= n0 {
			return q
		}
		q--
		var c uint64
		r, c = bits.Add64(r, d1, 0)
		if c != 0 {
			return q
		}
	}
}

// quoWide returns floor(n / y) for n = n3·2^192 + n2·2^128 + n1·2^64 + n0,
// and ok == false when y is 0 or the quotient is 2^128 or more.
func quoWide(n3, n2, n1, n0 uint64, y U128) (q U128, ok bool) {
	if y.hi == 0 {
		d := y.lo
		if d == 0 || n3 != 0 || n2 >= d {
			return U128{}, false
		}
		q1, r := bits.Div64(n2, n1, d)
		q0, _ := bits.Div64(r, n0, d)
		return U128{q1, q0}, true
	}
	if n3 > y.hi || n3 == y.hi && n2 >= y.lo {
		return U128{}, false
	}
	// Knuth's algorithm D with one normalisation for both quotient words:
	// n·2^s has no fifth word (n3·2^64 + n2 < y, so n3·2^s < 2^64), and
	// the top three words of n·2^s are below y·2^s, the first step's
	// precondition; its remainder, still scaled by 2^s, heads the second
	// step's numerator.
	s, t := normShifts(y.hi)
	d1, d0 := y.hi<<s|y.lo>>1>>t, y.lo<<s
	nn3, nn2, nn1, nn0 := n3<<s|n2>>1>>t, n2<<s|n1>>1>>t, n1<<s|n0>>1>>t, n0<<s
	var q1 uint64
	if n3 != 0 || n2 > y.hi || n2 == y.hi && n1 >= y.lo {
		// The remainder n − q1·d is below d < 2^128: the difference
		// of the low two words of n and of q1·d taken modulo 2^128.
		q1 = div3by2nq(nn3, nn2, nn1, d1, d0)
		ph, pl := bits.Mul64(q1, d0)
		var b uint64
		nn1, b = bits.Sub64(nn1, pl, 0)
		nn2 = nn2 - q1*d1 - ph - b
	}
	// Otherwise the high quotient word is 0 and (nn2, nn1) the remainder.
	return U128{q1, div3by2nq(nn2, nn1, nn0, d1, d0)}, true
}

// QuoShl returns floor(x·2^shift / y) for shift < 128, and ok == false
// (with 0) when y is 0 or the quotient is 2^128 or more. It is the raw
// division of the unsigned fixed-point types (x and y with the same number
// of fractional bits, shift of them: U64F64 with 64, U96F32 with 32), done
// with at most four 64-bit hardware divisions. A shift of 128 or more
// panics (a programming error).
func (x U128) QuoShl(y U128, shift uint) (U128, bool) {
	if shift >= 128 {
		panic("fixed: QuoShl shift out of range")
	}
	// n = x << shift, four words.
	var n3, n2, n1, n0 uint64
	switch {
	case shift == 0:
		n1, n0 = x.hi, x.lo
	case shift < 64:
		n2, n1, n0 = x.hi>>(64-shift), x.hi<<shift|x.lo>>(64-shift), x.lo<<shift
	case shift == 64:
		n2, n1 = x.hi, x.lo
	default:
		s := shift - 64
		n3, n2, n1 = x.hi>>(64-s), x.hi<<s|x.lo>>(64-s), x.lo<<s
	}
	return quoWide(n3, n2, n1, n0, y)
}

// MulAddQuoUint64 returns floor((x·m + a) / d), and ok == false (with 0)
// when d is 0 or the quotient is 2^128 or more. The numerator is exact
// (up to 2^192).
func (x U128) MulAddQuoUint64(m, a, d uint64) (U128, bool) {
	if d == 0 {
		return U128{}, false
	}
	h0, n0 := bits.Mul64(x.lo, m)
	n2, l1 := bits.Mul64(x.hi, m)
	n1, c := bits.Add64(l1, h0, 0)
	n2 += c
	n0, c = bits.Add64(n0, a, 0)
	n1, c = bits.Add64(n1, 0, c)
	n2 += c // x·m + a < 2^192: no carry out
	return quoWide(0, n2, n1, n0, U128{0, d})
}

// PerquintillFromRationalU128 is [PerquintillFromRational256] for operands
// below 2^128: Perquintill::from_rational(p, q), that is 1 when q is 0 or
// p > q, else floor(p·10^18 / q), with at most two 64-bit hardware
// divisions.
func PerquintillFromRationalU128(p, q U128) Perquintill {
	if q.IsZero() || q.Cmp(p) < 0 {
		return PerquintillAccuracy
	}
	// p ≤ q, so p·10^18/q ≤ 10^18 < 2^64: the quotient is one word and the
	// numerator's top two words are below q.
	h0, m0 := bits.Mul64(p.lo, PerquintillAccuracy)
	m2, l1 := bits.Mul64(p.hi, PerquintillAccuracy)
	m1, c := bits.Add64(l1, h0, 0)
	m2 += c
	if q.hi == 0 {
		r, _ := bits.Div64(m1, m0, q.lo)
		return Perquintill(r)
	}
	return Perquintill(div3by2q(m2, m1, m0, q.hi, q.lo))
}

// Lsh returns x·2^n, wrapping at 2^128 (n < 128; larger n gives 0).
func (x U128) Lsh(n uint) U128 {
	switch {
	case n >= 128:
		return U128{}
	case n >= 64:
		return U128{x.lo << (n - 64), 0}
	}
	return U128{x.hi<<n | x.lo>>(64-n), x.lo << n}
}

// BitLen returns the number of bits needed to write x (0 for 0).
func (x U128) BitLen() int {
	if x.hi != 0 {
		return 64 + bits.Len64(x.hi)
	}
	return bits.Len64(x.lo)
}

// smallDivisors bounds the divisors of [U128.QuoSmall]'s reciprocal table.
const smallDivisors = 128

// smallRecip[n] is M − 2^128 for M = ceil(2^(128+k)/n), k = bits.Len64(n),
// for n < smallDivisors not a power of two (0 elsewhere).
var smallRecip = func() (t [smallDivisors]U128) {
	for n := uint64(3); n < smallDivisors; n++ {
		if n&(n-1) == 0 {
			continue
		}
		// 2^(128+k) = 2^k·2^128: long division of the words (2^k, 0, 0) by n.
		// 2^(k−1) < n < 2^k: the top word's quotient is 1 (2^128 < M <
		// 2^129), its remainder 2^k − n.
		k := uint(bits.Len64(n))
		q1, r := bits.Div64(uint64(1)<<k-n, 0, n)
		q0, _ := bits.Div64(r, 0, n)
		// n is not a power of two, so it does not divide 2^(128+k): the
		// ceiling is the floor plus one.
		q0, c := bits.Add64(q0, 1, 0)
		t[n] = U128{q1 + c, q0}
	}
	return t
}()

// QuoSmall returns floor(x / n), the value of [U128.QuoUint64], for n > 0.
// For n below 128 it multiplies by a reciprocal instead of dividing: a
// power of two is a shift, and otherwise, with k = bits.Len64(n) and
// M = ceil(2^(128+k)/n), floor(x/n) = floor(x·M / 2^(128+k)) for every
// x < 2^128, since 2^(128+k) ≤ M·n < 2^(128+k) + n ≤ 2^(128+k) + 2^k
// (Granlund and Montgomery, "Division by invariant integers using
// multiplication", 1994, Theorem 4.2). M is 2^128 + M' with M' below
// 2^128, so x·M = x·2^128 + x·M', of which only the bits from 2^128 up
// count. A zero n panics (a programming error), as QuoUint64's does.
func (x U128) QuoSmall(n uint64) U128 {
	if n >= smallDivisors {
		return x.QuoUint64(n)
	}
	if n&(n-1) == 0 {
		if n == 0 {
			panic("fixed: QuoSmall by zero")
		}
		s := uint(bits.TrailingZeros64(n))
		return U128{x.hi >> s, x.lo>>s | x.hi<<(64-s)}
	}
	m := smallRecip[n]
	// The top two words of x·M' (256 bits), then + x with the carry.
	h00, _ := bits.Mul64(x.lo, m.lo)
	h01, l01 := bits.Mul64(x.lo, m.hi)
	h10, l10 := bits.Mul64(x.hi, m.lo)
	h11, l11 := bits.Mul64(x.hi, m.hi)
	w1, c1 := bits.Add64(h00, l01, 0)
	w2, c2 := bits.Add64(h01, l11, c1)
	w3 := h11 + c2
	_, c3 := bits.Add64(w1, l10, 0)
	w2, c4 := bits.Add64(w2, h10, c3)
	w3 += c4
	// (c5, s3, s2) = (w3, w2) + x, then shifted right by k.
	s2, c5 := bits.Add64(w2, x.lo, 0)
	s3, c6 := bits.Add64(w3, x.hi, c5)
	k := uint(bits.Len64(n))
	return U128{s3>>k | c6<<(64-k), s2>>k | s3<<(64-k)}
}

// CheckedMulUint64 returns x·n and ok == false (with 0) when the product is
// 2^128 or more.
func (x U128) CheckedMulUint64(n uint64) (U128, bool) {
	h, l := bits.Mul64(x.lo, n)
	hh, hl := bits.Mul64(x.hi, n)
	hi, c := bits.Add64(hl, h, 0)
	if hh != 0 || c != 0 {
		return U128{}, false
	}
	return U128{hi, l}, true
}
