package bigpow

import (
	"fmt"
	"math/big"

	"github.com/holiman/uint256"
)

// MaxExactBits bounds the exact path's intermediates in PowLimited: the
// crate's bisection compares r^ed·bd^en with bn^en·scale^ed, and the
// estimates en·bitlen(bn) + ed·bitlen(scale) and en·bitlen(bd) of their
// sizes must not exceed it. Pow's whole argument range (256-bit bases, a
// 64-bit scale, exponent terms up to 1024) stays within it, so Pow never
// refuses an input.
const MaxExactBits = 1 << 19

// Pow's arguments cannot exceed MaxExactBits: this constant is negative,
// and the package does not compile, if they can.
const _ = uint(MaxExactBits - maxExactExponent*(256+64))

// exactSize is the size estimate that MaxExactBits bounds.
func exactSize(bn, bd, scale *big.Int, e, d uint) uint64 {
	p := uint64(e)*uint64(bn.BitLen()) + uint64(d)*uint64(scale.BitLen())
	return max(p, uint64(e)*uint64(bd.BitLen()))
}

// PowLimited is pow_ratio_scaled on unbounded integers, like PowBig, with
// Pow's fast paths, and with a bound on the exact path instead of the
// crate's unbounded search: it returns the integer the crate returns, or
//
//   - ErrPowUndefined where the crate returns None (PowBig's ok == false);
//   - ErrExactTooLarge (wrapped, with the size) when the reduced exponent
//     takes the exact path and the size estimate of its intermediates
//     exceeds MaxExactBits. Every input of Pow's range is within it.
//
// The fallback path is not bounded: its cost grows with the square of
// max(precision, bitlen(scale)), which callers bound. The arguments are
// not modified; the result is a new big.Int.
func PowLimited(bn, bd, en, ed *big.Int, precision uint32, scale *big.Int) (*big.Int, error) {
	if bd.Sign() == 0 || ed.Sign() == 0 {
		return nil, ErrPowUndefined
	}
	if bn.Sign() == 0 {
		return new(big.Int), nil
	}
	if scale.Sign() < 0 || bn.Sign() < 0 || bd.Sign() < 0 || en.Sign() < 0 || ed.Sign() < 0 {
		return nil, ErrPowUndefined
	}
	if en.Sign() == 0 {
		return new(big.Int).Set(scale), nil
	}
	num, den := new(big.Int).Set(en), new(big.Int).Set(ed)
	g := new(big.Int).GCD(nil, nil, num, den)
	num.Quo(num, g)
	den.Quo(den, g)
	var ubn, ubd uint256.Int
	fits := !ubn.SetFromBig(bn) && !ubd.SetFromBig(bd) && scale.IsUint64()
	if num.IsUint64() && den.IsUint64() && num.Uint64() <= maxExactExponent && den.Uint64() <= maxExactExponent {
		e, d := uint(num.Uint64()), uint(den.Uint64())
		if size := exactSize(bn, bd, scale, e, d); size > MaxExactBits {
			return nil, fmt.Errorf("%w: exponent %d/%d needs about %d bits, above the limit of %d", ErrExactTooLarge, e, d, size, MaxExactBits)
		}
		if fits {
			if r, class, ok := exactFast(&ubn, &ubd, scale.Uint64(), e, d); ok && class == fitsU64 {
				return new(big.Int).SetUint64(r), nil
			}
		}
		return exactBig(bn, bd, scale, e, d), nil
	}
	if fits && num.IsUint64() && den.IsUint64() {
		if r, class, ok := fallbackApprox(&ubn, &ubd, num.Uint64(), den.Uint64(), precision, scale.Uint64()); ok && class == fitsU64 {
			return new(big.Int).SetUint64(r), nil
		}
		if r, class, ok := fallbackFast(&ubn, &ubd, num.Uint64(), den.Uint64(), precision, scale.Uint64()); ok && class == fitsU64 {
			return new(big.Int).SetUint64(r), nil
		}
	}
	return fallbackBig(bn, bd, num, den, precision, scale), nil
}
