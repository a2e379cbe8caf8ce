package bigpow

import (
	"math/big"
	"math/bits"

	"github.com/holiman/uint256"
)

// xfloat is a non-negative binary floating-point number m·2^e with a mantissa
// of w 64-bit limbs (w is 2 or 4, passed to every operation), normalised so
// that bit 64w-1 of m is set; m == 0 is zero. Every operation rounds its
// result down or up as asked, so a chain of products of positive values
// rounded one way is a rigorous lower or upper bound of the exact product:
// the exact path's fast route uses it to bracket integers of up to hundreds
// of thousands of bits with a few limbs. It lives on the stack.
type xfloat struct {
	m [4]uint64 // little-endian, m[:w] used
	e int64
}

func (x *xfloat) isZero() bool { return x.m == [4]uint64{} }

// top is the position of x's top bit, floor(log2 x), for x != 0.
func (x *xfloat) top(w int) int64 { return x.e + int64(64*w) - 1 }

func (x *xfloat) setOne(w int) {
	*x = xfloat{}
	x.m[w-1] = 1 << 63
	x.e = -int64(64*w - 1)
}

// setUint256 sets x to v·2^shift rounded to w limbs, up or down; sticky
// says that v·2^shift stands for a value a little above it (non-zero bits
// cut off below it), which rounding up must count. v != 0 when sticky.
func (x *xfloat) setUint256(v *uint256.Int, shift int64, sticky bool, w int, up bool) {
	*x = xfloat{}
	bl := v.BitLen()
	if bl == 0 {
		return
	}
	var t uint256.Int
	if width := 64 * w; bl <= width {
		t.Lsh(v, uint(width-bl))
	} else {
		k := uint(bl - width)
		t.Rsh(v, k)
		var back uint256.Int
		if !back.Lsh(&t, k).Eq(v) {
			sticky = true
		}
	}
	copy(x.m[:w], t[:w])
	x.e = shift + int64(bl-64*w)
	if up && sticky {
		x.incMag(w)
	}
}

// setBig sets x to v rounded to w limbs, up or down; v >= 0.
func (x *xfloat) setBig(v *big.Int, w int, up bool) {
	var u uint256.Int
	bl := v.BitLen()
	if bl <= 256 {
		u.SetFromBig(v)
		x.setUint256(&u, 0, false, w, up)
		return
	}
	k := uint(bl - 256)
	u.SetFromBig(new(big.Int).Rsh(v, k))
	x.setUint256(&u, int64(k), v.TrailingZeroBits() < k, w, up)
}

// incMag adds one unit in the last place, renormalising on carry out.
func (x *xfloat) incMag(w int) {
	for i := range w {
		x.m[i]++
		if x.m[i] != 0 {
			return
		}
	}
	x.m[w-1] = 1 << 63
	x.e++
}

// mulX sets z = x·y rounded to w limbs, up or down. z may alias x or y.
func mulX(z, x, y *xfloat, w int, up bool) {
	if x.isZero() || y.isZero() {
		*z = xfloat{}
		return
	}
	var p [8]uint64
	for i, yi := range y.m[:w] {
		p[w+i] = mulAddVWW(p[i:i+w], x.m[:w], yi)
	}
	e := x.e + y.e + int64(64*w)
	// Both mantissas are in [2^(64w-1), 2^(64w)): the product has bit
	// 128w-1 or bit 128w-2 set.
	if p[2*w-1]>>63 == 0 {
		for i := 2*w - 1; i > 0; i-- {
			p[i] = p[i]<<1 | p[i-1]>>63
		}
		p[0] <<= 1
		e--
	}
	sticky := false
	for _, v := range p[:w] {
		if v != 0 {
			sticky = true
			break
		}
	}
	*z = xfloat{e: e}
	copy(z.m[:w], p[w:2*w])
	if up && sticky {
		z.incMag(w)
	}
}

// powX sets z = x^k rounded to w limbs, up or down (every step rounds the
// same way, which bounds the exact power as all values are positive).
func powX(z, x *xfloat, k uint, w int, up bool) {
	if k == 0 {
		z.setOne(w)
		return
	}
	b := *x
	r := b
	for i := bits.Len(k) - 2; i >= 0; i-- {
		mulX(&r, &r, &r, w, up)
		if k>>uint(i)&1 != 0 {
			mulX(&r, &r, &b, w, up)
		}
	}
	*z = r
}

// narrow1 returns x (2 limbs) truncated to 1 limb.
func (x *xfloat) narrow1() xfloat {
	return xfloat{m: [4]uint64{x.m[1]}, e: x.e + 64}
}

// narrow returns x (4 limbs) truncated to 2 limbs: a value at most x and
// within a relative 2^-127 of it, for the approximate search.
func (x *xfloat) narrow() xfloat {
	return xfloat{m: [4]uint64{x.m[2], x.m[3]}, e: x.e + 128}
}

// cmpX compares x and y, both with w-limb mantissas.
func cmpX(x, y *xfloat, w int) int {
	switch xz, yz := x.isZero(), y.isZero(); {
	case xz && yz:
		return 0
	case xz:
		return -1
	case yz:
		return 1
	}
	if x.e != y.e {
		if x.e < y.e {
			return -1
		}
		return 1
	}
	for i := w - 1; i >= 0; i-- {
		if x.m[i] != y.m[i] {
			if x.m[i] < y.m[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}
