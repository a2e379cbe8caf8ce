package bigpow

import (
	"math/big"

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

// exactRootBig is the exact path for any reduced exponent e/d with math/big:
// the integer d-th root of floor(bn^e·scale^d / bd^e) by Newton's iteration
// from above, x' = ((d-1)·x + m / x^(d-1)) / d, which decreases strictly
// until it reaches the floor of the root.
func exactRootBig(bn, bd, scale *big.Int, e, d uint) *big.Int {
	m := new(big.Int).Mul(bigPow(bn, e), bigPow(scale, d))
	m.Quo(m, bigPow(bd, e))
	if d == 1 || m.Sign() == 0 {
		return m
	}
	// x0 = 2^ceil(bitlen/d) > root.
	x := new(big.Int).Lsh(bigOne, (uint(m.BitLen())+d-1)/d)
	dm1 := new(big.Int).SetUint64(uint64(d - 1))
	dd := new(big.Int).SetUint64(uint64(d))
	y, t := new(big.Int), new(big.Int)
	for {
		t.Exp(x, dm1, nil)
		y.Quo(m, t)
		t.Mul(x, dm1)
		y.Add(y, t)
		y.Quo(y, dd)
		if y.Cmp(x) >= 0 {
			return x
		}
		x, y = y, x
	}
}
