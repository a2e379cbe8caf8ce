package bigpow

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/holiman/uint256"
)

// The exact path's result is, by the crate's binary search, the largest r
// with r^ed·bd^en <= bn^en·scale^ed. Since r^ed is an integer, that is the
// largest r with r^ed <= floor(bn^en·scale^ed / bd^en): an integer ed-th root
// of one quotient, which the fast paths compute directly.

// exactOneOne is the exact path for the reduced exponent 1/1:
// floor(bn·scale / bd). ok is false if bn·scale overflows 256 bits.
func exactOneOne(bn, bd *uint256.Int, scale uint64) (res uint64, over, ok bool) {
	var t uint256.Int
	if _, of := t.MulOverflow(bn, t.SetUint64(scale)); of {
		return 0, false, false
	}
	t.Div(&t, bd)
	if !t.IsUint64() {
		return 0, true, true
	}
	return t.Uint64(), false, true
}

// exactOneHalf is the exact path for the reduced exponent 1/2:
// isqrt(floor(bn·scale² / bd)). ok is false if bn·scale² overflows 256 bits.
func exactOneHalf(bn, bd *uint256.Int, scale uint64) (res uint64, over, ok bool) {
	var t, s uint256.Int
	s.SetUint64(scale)
	if _, of := t.MulOverflow(bn, &s); of {
		return 0, false, false
	}
	if _, of := t.MulOverflow(&t, &s); of {
		return 0, false, false
	}
	t.Div(&t, bd)
	t.Sqrt(&t)
	if !t.IsUint64() {
		return 0, true, true
	}
	return t.Uint64(), false, true
}

// exactBounds brackets the two sides of the exact path's inequality,
// P = bn^e·scale^d and Q = bd^e: pL <= P <= pU and qL <= Q <= qU, as
// 4-limb xfloats (relative width below 2^-230 for exponents up to 1024).
type exactBounds struct{ pL, pU, qL, qU xfloat }

const wide = 4 // limbs of the rigorous bounds

// set computes the bounds from bounds on the bases (each given as a
// lower and an upper xfloat, equal when the base is exact).
func (b *exactBounds) set(aL, aU, bL, bU, sL, sU *xfloat, e, d uint) {
	var t xfloat
	powX(&b.pL, aL, e, wide, false)
	powX(&t, sL, d, wide, false)
	mulX(&b.pL, &b.pL, &t, wide, false)
	powX(&b.pU, aU, e, wide, true)
	powX(&t, sU, d, wide, true)
	mulX(&b.pU, &b.pU, &t, wide, true)
	powX(&b.qL, bL, e, wide, false)
	powX(&b.qU, bU, e, wide, true)
}

// atLeast reports whether r >= c·2^s is certain, that is
// (c·2^s)^d·Q <= P for every value in the bounds. c > 0.
func (b *exactBounds) atLeast(c uint64, s int64, d uint) bool {
	var x xfloat
	var v uint256.Int
	x.setUint256(v.SetUint64(c), s, false, wide, true)
	powX(&x, &x, d, wide, true)
	mulX(&x, &x, &b.qU, wide, true)
	return cmpX(&x, &b.pL, wide) <= 0
}

// below reports whether r < n+1 is certain: (n+1)^d·Q > P for every value
// in the bounds.
func (b *exactBounds) below(n uint64, d uint) bool {
	var x xfloat
	var v uint256.Int
	v.SetUint64(n)
	v.AddUint64(&v, 1) // 2^64 for n = MaxUint64
	x.setUint256(&v, 0, false, wide, false)
	powX(&x, &x, d, wide, false)
	mulX(&x, &x, &b.qL, wide, false)
	return cmpX(&x, &b.pU, wide) > 0
}

// candidate finds the exact path's result r approximately: if zero is
// true, r is about 0; otherwise r is about c·2^s with c in [2^63, 2^64)
// when s > 0, and s == 0 for r < 2^64. A bisection on 1-limb values finds
// c to within a few units (their relative error is about 2d·2^-63), and a
// short bisection on 2-limb values (error about 2d·2^-127) around it
// settles it. Only the checks of atLeast and below, or the exact
// computation, make the result certain.
func (b *exactBounds) candidate(d uint) (c uint64, s int64, zero bool) {
	p2, q2 := b.pL.narrow(), b.qL.narrow()
	if p2.isZero() {
		return 0, 0, true
	}
	// j = floor(log2 r), about: the largest j with 2^(j·d)·Q <= P.
	diff := p2.top(2) - q2.top(2)
	if diff < 0 {
		return 0, 0, true
	}
	j := diff / int64(d)
	qs := q2
	qs.e += j * int64(d)
	if cmpX(&qs, &p2, 2) > 0 {
		j--
	}
	if j < 0 {
		return 0, 0, true
	}
	hi := min(j, 63) // the top bit of c
	s = j - hi
	p1, q1 := p2.narrow1(), q2.narrow1()
	fits := func(t uint64, p, q *xfloat, w int) bool {
		var x xfloat
		var v uint256.Int
		x.setUint256(v.SetUint64(t), s, false, w, false)
		powX(&x, &x, d, w, false)
		mulX(&x, &x, q, w, false)
		return cmpX(&x, p, w) <= 0
	}
	// 1-limb values: t^d·Q <= P compares mantissas of 64 bits, with the
	// exponents apart (t has its top bit at hi, so t^d·2^(s·d) has its
	// exponent fixed by the product's normalisation alone).
	c = 1 << uint(hi)
	for bit := hi - 1; bit >= 0; bit-- {
		t := c | 1<<uint(bit)
		m, e := pow1(t<<uint(63-hi), d)
		hiw, low := bits.Mul64(m, q1.m[0])
		e += q1.e + 64 + int64(d)*(s+hi-63)
		if hiw>>63 == 0 {
			hiw = hiw<<1 | low>>63
			e--
		}
		if e < p1.e || e == p1.e && hiw <= p1.m[0] {
			c = t
		}
	}
	const window = 16
	top := uint64(1)<<uint(hi) - 1 + uint64(1)<<uint(hi) // all ones up to bit hi
	lo, up := max(c, 1<<uint(hi)+window)-window, min(c, top-window)+window
	for lo < up {
		if mid := lo + (up-lo+1)/2; fits(mid, &p2, &q2, 2) {
			lo = mid
		} else {
			up = mid - 1
		}
	}
	return lo, s, false
}

// pow1 returns m^k ≈ r·2^e with r normalised (top bit set), rounding
// every product down, for a normalised m and k >= 1.
func pow1(m uint64, k uint) (r uint64, e int64) {
	r = m
	for i := bits.Len(k) - 2; i >= 0; i-- {
		hi, lo := bits.Mul64(r, r)
		e = 2*e + 64
		if hi>>63 == 0 {
			hi = hi<<1 | lo>>63
			e--
		}
		r = hi
		if k>>uint(i)&1 != 0 {
			hi, lo = bits.Mul64(r, m)
			e += 64
			if hi>>63 == 0 {
				hi = hi<<1 | lo>>63
				e--
			}
			r = hi
		}
	}
	return r, e
}

// exactFast is the exact path for bn, bd > 0 and the reduced exponent e/d
// (both at most 1024) on xfloats: the bisection's candidate or a neighbour,
// accepted only when the rigorous bounds prove it. That fails only when
// the real root lies within a relative 2^-230 or so of an integer (perfect
// powers among them); ok is false then, and the caller computes exactly.
// It does not allocate.
func exactFast(bn, bd *uint256.Int, scale uint64, e, d uint) (res uint64, class int, ok bool) {
	switch {
	case scale == 0:
		return 0, fitsU64, true // r^d·bd^e <= 0 only for r = 0
	case bn.Eq(bd):
		return scale, fitsU64, true // r^d <= scale^d
	}
	var a, bb, sc xfloat
	var v uint256.Int
	a.setUint256(bn, 0, false, wide, false) // bases of 256 bits are exact
	bb.setUint256(bd, 0, false, wide, false)
	sc.setUint256(v.SetUint64(scale), 0, false, wide, false)
	var b exactBounds
	b.set(&a, &a, &bb, &bb, &sc, &sc, e, d)
	c, s, zero := b.candidate(d)
	// The candidate is r, or one off when the 2-limb search could not
	// separate r from a neighbour; the bounds decide among the three. A
	// value of 2^64 (over) stands for every r >= 2^64.
	over := !zero && s > 0
	if zero {
		c = 0
	}
	for _, step := range [...]int{0, -1, 1} {
		n, o := c, over
		switch {
		case step == 0:
		case over && step < 0:
			n, o = math.MaxUint64, false
		case over, step < 0 && c == 0:
			continue
		case step < 0:
			n--
		case c == math.MaxUint64:
			o = true
		default:
			n++
		}
		if o {
			if b.atLeast(1, 64, d) {
				return 0, exceedsU64, true
			}
			continue
		}
		if (n == 0 || b.atLeast(n, 0, d)) && b.below(n, d) {
			return n, fitsU64, true
		}
	}
	return 0, 0, false
}

// exactBig is the exact path for any reduced exponent e/d with math/big:
// m = floor(bn^e·scale^d / bd^e), then (for d > 1) the integer d-th root of
// m by Newton's iteration x' = floor(((d-1)·x + floor(m / x^(d-1))) / d),
// started from the xfloat candidate. For any x >= 1, x' >= floor(m^(1/d))
// (x' is the floor of the arithmetic mean of d-1 copies of x and
// m/x^(d-1), whose geometric mean is m^(1/d)), and for x above the root
// x' < x; so after one step the iteration decreases strictly until it
// reaches the root, where it stops. The start only decides the speed.
func exactBig(bn, bd, scale *big.Int, e, d uint) *big.Int {
	m := new(big.Int).Mul(bigPow(bn, e), bigPow(scale, d))
	m.Quo(m, bigPow(bd, e))
	if d == 1 || m.Sign() == 0 {
		return m
	}
	var aL, aU, bL, bU, sL, sU xfloat
	aL.setBig(bn, wide, false)
	aU.setBig(bn, wide, true)
	bL.setBig(bd, wide, false)
	bU.setBig(bd, wide, true)
	sL.setBig(scale, wide, false)
	sU.setBig(scale, wide, true)
	var b exactBounds
	b.set(&aL, &aU, &bL, &bU, &sL, &sU, e, d)
	c, s, _ := b.candidate(d)
	// Start at the candidate plus one unit (plus two for small ones, so
	// that a candidate of 0 starts at 2, not at 1, whose step would be m/d).
	x := new(big.Int).SetUint64(c)
	if s > 0 {
		x.Add(x, bigOne)
		x.Lsh(x, uint(s))
	} else {
		x.Add(x, big.NewInt(2))
	}
	dm1 := new(big.Int).SetUint64(uint64(d - 1))
	dd := new(big.Int).SetUint64(uint64(d))
	y, t := new(big.Int), new(big.Int)
	step := func(x *big.Int) {
		t.Exp(x, dm1, nil)
		y.Quo(m, t)
		t.Mul(x, dm1)
		y.Add(y, t)
		y.Quo(y, dd)
	}
	step(x)
	x.Set(y)
	for {
		step(x)
		if y.Cmp(x) >= 0 {
			return x
		}
		x, y = y, x
	}
}
