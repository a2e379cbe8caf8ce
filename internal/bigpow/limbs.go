package bigpow

import "math/bits"

// maxLimbs is the width of a fixed-point value on the fast fallback path.
// Internal precisions up to maxFastI bits leave 1280-1080 = 200 bits of
// headroom above one, enough for exp(L) with |L| < 128 (e^128 < 2^185).
const (
	maxLimbs = 20
	maxFastI = 1080
	// maxFastLBits bounds the bit length of |L| (in units of 2^I, minus I)
	// accepted by the fast exp series: |L| < 2^7 = 128.
	maxFastLBits = 7
)

// fixedNum is a signed integer in sign-magnitude form with a fixed-size
// little-endian magnitude: d[:n] with d[n-1] != 0, n == 0 and neg == false
// for zero. It lives on the stack: the fallback series never allocate.
type fixedNum struct {
	neg bool
	n   int
	d   [maxLimbs]uint64
}

func (x *fixedNum) isZero() bool { return x.n == 0 }

// bitLen is the bit length of |x|.
func (x *fixedNum) bitLen() int {
	if x.n == 0 {
		return 0
	}
	return (x.n-1)*64 + bits.Len64(x.d[x.n-1])
}

// absLess reports whether |x| < 2^k for k < 64.
func (x *fixedNum) absLess(k uint) bool {
	return x.n == 0 || (x.n == 1 && x.d[0] < 1<<k)
}

func (x *fixedNum) setPow2(k uint) {
	*x = fixedNum{}
	x.d[k/64] = 1 << (k % 64)
	x.n = int(k/64) + 1
}

// norm trims leading zero limbs and clears the sign of zero.
func (x *fixedNum) norm() {
	n := x.n
	for n > 0 && x.d[n-1] == 0 {
		n--
	}
	x.n = n
	if n == 0 {
		x.neg = false
	}
}

// incMag adds one to |x|; ok is false if the magnitude overflows the width.
func (x *fixedNum) incMag() bool {
	for i := 0; i < x.n; i++ {
		x.d[i]++
		if x.d[i] != 0 {
			return true
		}
	}
	if x.n == maxLimbs {
		return false
	}
	x.d[x.n] = 1
	x.n++
	return true
}

// mulAddVWW sets z[i] += x[i]·y for all i and returns the carry out.
func mulAddVWW(z, x []uint64, y uint64) (carry uint64) {
	z = z[:len(x)]
	for i, xi := range x {
		hi, lo := bits.Mul64(xi, y)
		var c uint64
		lo, c = bits.Add64(lo, z[i], 0)
		hi += c
		lo, c = bits.Add64(lo, carry, 0)
		hi += c
		z[i] = lo
		carry = hi
	}
	return carry
}

// mulShiftFloor sets z = floor(x·y / 2^s) (toward -inf). z may alias x or y.
// ok is false when the result does not fit the fixed width.
//
// Only the partial products a_i·b_j with i+j >= c0 are summed at first. The
// skipped ones add E < 20·2^128·2^(64(c0-1))·(1+2^-63) < 2^eb with
// eb = 64(c0+1)+6 (at most 20 products per column, each below 2^128), and
// c0 is chosen so that eb <= s-16. Writing T for the summed product's bits
// below s, the true product has the same floor unless T + E carries past
// 2^s, which needs bits eb to s-1 of T to be all ones; and a negative
// product, whose floor is one below the truncation unless it is a multiple
// of 2^s, is surely not a multiple when those bits are not all zeros. The
// two ambiguous patterns (at most about 2^-15 of products) are redone in
// full.
func mulShiftFloor(z, x, y *fixedNum, s uint) bool {
	if x.n == 0 || y.n == 0 {
		*z = fixedNum{}
		return true
	}
	var p [2*maxLimbs + 1]uint64 // one spare zero limb for the shift
	a, b := x.d[:x.n], y.d[:y.n]
	if len(a) < len(b) {
		a, b = b, a
	}
	pl := len(a) + len(b)
	neg := x.neg != y.neg
	q, r := int(s/64), s%64
	if q >= pl {
		// |x·y| < 2^s: the floor is 0, or -1 for a negative product.
		*z = fixedNum{}
		if neg {
			z.d[0], z.n, z.neg = 1, 1, true
		}
		return true
	}
	sticky, exact := false, false
	if c0 := (int(s)-22)/64 - 1; c0 > 0 {
		mulColumns(&p, a, b, c0)
		ones, zeros := bitRange(&p, uint(64*(c0+1)+6), s)
		if !ones && !(neg && zeros) {
			exact, sticky = true, neg
		} else {
			p = [2*maxLimbs + 1]uint64{}
		}
	}
	if !exact {
		for i, bi := range b {
			p[len(a)+i] = mulAddVWW(p[i:i+len(a)], a, bi)
		}
		if neg {
			for _, w := range p[:q] {
				if w != 0 {
					sticky = true
					break
				}
			}
			if r != 0 && p[q]<<(64-r) != 0 {
				sticky = true
			}
		}
	}
	n := pl - q
	for n > maxLimbs {
		// The top limbs may still be zero after the shift.
		hi := p[q+n-1] >> r
		if r != 0 {
			hi |= p[q+n] << (64 - r)
		}
		if hi != 0 {
			return false
		}
		n--
	}
	if r == 0 {
		copy(z.d[:n], p[q:q+n])
	} else {
		for k := 0; k < n; k++ {
			z.d[k] = p[q+k]>>r | p[q+k+1]<<(64-r)
		}
	}
	for k := n; k < z.n; k++ {
		z.d[k] = 0
	}
	z.n = n
	z.neg = neg
	z.norm()
	if sticky {
		z.neg = true
		return z.incMag()
	}
	return true
}

// mulColumns sets p[c0:] to the sum of the partial products a[i]·b[j] with
// i+j >= c0, column by column (product scanning), with p[:c0] zero.
func mulColumns(p *[2*maxLimbs + 1]uint64, a, b []uint64, c0 int) {
	la, lb := len(a), len(b)
	var acc0, acc1, acc2 uint64
	for k := c0; k < la+lb-1; k++ {
		i0, i1 := max(0, k-la+1), min(k, lb-1)
		for i := i0; i <= i1; i++ {
			hi, lo := bits.Mul64(a[k-i], b[i])
			var c uint64
			acc0, c = bits.Add64(acc0, lo, 0)
			acc1, c = bits.Add64(acc1, hi, c)
			acc2 += c
		}
		p[k] = acc0
		acc0, acc1, acc2 = acc1, acc2, 0
	}
	p[la+lb-1] = acc0
}

// bitRange reports whether bits lo to hi-1 (lo < hi) of p are all ones, and
// whether they are all zeros.
func bitRange(p *[2*maxLimbs + 1]uint64, lo, hi uint) (ones, zeros bool) {
	ones, zeros = true, true
	for k := lo / 64; k <= (hi-1)/64; k++ {
		mask := ^uint64(0)
		if k == lo/64 {
			mask &= ^uint64(0) << (lo % 64)
		}
		if k == (hi-1)/64 {
			mask &= ^uint64(0) >> (63 - (hi-1)%64)
		}
		w := p[k] & mask
		ones = ones && w == mask
		zeros = zeros && w == 0
	}
	return ones, zeros
}

// reciprocal returns floor((2^128-1)/d) - 2^64 for a normalised d (top bit
// set), the multiplier of divWW (Möller and Granlund, "Improved division by
// invariant integers", 2011).
func reciprocal(d uint64) uint64 {
	v, _ := bits.Div64(^d, ^uint64(0), d)
	return v
}

// smallReciprocals holds reciprocal(n << LeadingZeros64(n)) for the series
// divisors n < 4097 (the iteration cap), saving a hardware division per
// series step.
var smallReciprocals = func() (t [defaultMaxIters + 1]uint64) {
	for n := uint64(1); n < uint64(len(t)); n++ {
		t[n] = reciprocal(n << uint(bits.LeadingZeros64(n)))
	}
	return t
}()

// divWW divides u1·2^64 + u0 by the normalised d with reciprocal v = reciprocal(d),
// for u1 < d, using two multiplications instead of a hardware division.
func divWW(u1, u0, d, v uint64) (q, r uint64) {
	qh, ql := bits.Mul64(v, u1)
	var c uint64
	ql, c = bits.Add64(ql, u0, 0)
	qh, _ = bits.Add64(qh, u1, c)
	qh++
	r = u0 - qh*d
	if r > ql {
		qh--
		r += d
	}
	if r >= d {
		qh++
		r -= d
	}
	return qh, r
}

// divWordFloor sets z = floor(x / y) (toward -inf) for y > 0. z may alias x.
// It divides x·2^k by the normalised y·2^k, which has the same quotient.
func divWordFloor(z, x *fixedNum, y uint64) {
	neg := x.neg // z may alias x: read the sign before norm clears it
	k := uint(bits.LeadingZeros64(y))
	d := y << k
	var v uint64
	if y < uint64(len(smallReciprocals)) {
		v = smallReciprocals[y]
	} else {
		v = reciprocal(d)
	}
	n := x.n
	var rem uint64
	if k != 0 && n > 0 {
		rem = x.d[n-1] >> (64 - k)
	}
	for i := n - 1; i >= 0; i-- {
		u := x.d[i] << k
		if k != 0 && i > 0 {
			u |= x.d[i-1] >> (64 - k)
		}
		z.d[i], rem = divWW(rem, u, d, v)
	}
	for j := n; j < z.n; j++ {
		z.d[j] = 0
	}
	z.n = n
	z.neg = neg
	z.norm()
	if neg && rem != 0 {
		z.neg = true
		z.incMag() // |z| <= |x|, so this cannot overflow the width
	}
}

// mulWord sets z = x·y; ok is false if the product does not fit.
func mulWord(z, x *fixedNum, y uint64) bool {
	if y == 0 || x.n == 0 {
		*z = fixedNum{}
		return true
	}
	var carry uint64
	n := x.n
	for i := 0; i < n; i++ {
		hi, lo := bits.Mul64(x.d[i], y)
		var c uint64
		lo, c = bits.Add64(lo, carry, 0)
		z.d[i] = lo
		carry = hi + c
	}
	z.neg = x.neg
	z.n = n
	if carry != 0 {
		if n == maxLimbs {
			return false
		}
		z.d[n] = carry
		z.n = n + 1
	}
	return true
}

// cmpMag compares |x| and |y|.
func cmpMag(x, y *fixedNum) int {
	if x.n != y.n {
		if x.n < y.n {
			return -1
		}
		return 1
	}
	for i := x.n - 1; i >= 0; i-- {
		if x.d[i] != y.d[i] {
			if x.d[i] < y.d[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// accumulate sets z = z + y, or z - y when sub is set, like addSigned, but
// stops the carry or borrow as soon as it dies out when |y| is the shorter:
// the series add short terms to long sums.
func accumulate(z, y *fixedNum, sub bool) bool {
	if y.n == 0 {
		return true
	}
	if z.n <= y.n {
		return addSigned(z, z, y, sub)
	}
	var c uint64
	if z.neg == (y.neg != sub) {
		for i := 0; i < y.n; i++ {
			z.d[i], c = bits.Add64(z.d[i], y.d[i], c)
		}
		for i := y.n; c != 0 && i < z.n; i++ {
			z.d[i], c = bits.Add64(z.d[i], 0, c)
		}
		if c != 0 {
			if z.n == maxLimbs {
				return false
			}
			z.d[z.n] = 1
			z.n++
		}
		return true
	}
	// |z| > |y| since z is longer: subtract in place; the sign stays.
	for i := 0; i < y.n; i++ {
		z.d[i], c = bits.Sub64(z.d[i], y.d[i], c)
	}
	for i := y.n; c != 0 && i < z.n; i++ {
		z.d[i], c = bits.Sub64(z.d[i], 0, c)
	}
	z.norm()
	return true
}

// addSigned sets z = x + y, or x - y when sub is set. z may alias x or y.
// ok is false if the result does not fit.
func addSigned(z, x, y *fixedNum, sub bool) bool {
	yneg := y.neg != sub
	if y.n == 0 {
		*z = *x
		return true
	}
	if x.neg == yneg {
		// Same signs: add magnitudes.
		a, b := x, y
		if a.n < b.n {
			a, b = b, a
		}
		var c uint64
		n := a.n
		for i := 0; i < b.n; i++ {
			z.d[i], c = bits.Add64(a.d[i], b.d[i], c)
		}
		for i := b.n; i < n; i++ {
			z.d[i], c = bits.Add64(a.d[i], 0, c)
		}
		for k := n; k < z.n; k++ {
			z.d[k] = 0
		}
		z.neg = yneg
		z.n = n
		if c != 0 {
			if n == maxLimbs {
				return false
			}
			z.d[n] = 1
			z.n = n + 1
		}
		return true
	}
	// Opposite signs: subtract the smaller magnitude from the larger.
	a, b, neg := x, y, x.neg
	if cmpMag(x, y) < 0 {
		a, b, neg = y, x, yneg
	}
	var c uint64
	n := a.n
	for i := 0; i < b.n; i++ {
		z.d[i], c = bits.Sub64(a.d[i], b.d[i], c)
	}
	for i := b.n; i < n; i++ {
		z.d[i], c = bits.Sub64(a.d[i], 0, c)
	}
	for k := n; k < z.n; k++ {
		z.d[k] = 0
	}
	z.n = n
	z.neg = neg
	z.norm()
	return true
}
