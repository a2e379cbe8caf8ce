package bigpow

import (
	"testing"

	"github.com/holiman/uint256"
)

// FuzzPow requires Pow to agree with PowBig. The bases are raw limbs (two
// per base, the AMM's 128-bit range; a third limb reaches beyond it); the
// precision is folded into 0..1100 to keep the reference affordable, and
// large exact exponents are folded down for the same reason.
func FuzzPow(f *testing.F) {
	f.Add(uint64(987654321098765), uint64(0), uint64(0), uint64(997654321098765), uint64(0), uint64(0), uint64(516273847362514088), uint64(483726152637485912), uint32(256), uint64(1e18))
	f.Add(uint64(248560228746085657), uint64(0), uint64(0), uint64(246099249429016877), uint64(0), uint64(0), uint64(516273847362514088), uint64(1e18), uint32(1024), uint64(1e18))
	f.Add(uint64(4e12), uint64(0), uint64(0), uint64(4003993993829), uint64(0), uint64(0), uint64(5e17), uint64(5e17), uint32(256), uint64(1e18))
	f.Add(uint64(2), uint64(0), uint64(0), uint64(3), uint64(0), uint64(0), uint64(1), uint64(2), uint32(0), uint64(1000))
	f.Add(uint64(1), uint64(0), uint64(0), uint64(0), uint64(1), uint64(0), uint64(1025), uint64(1), uint32(257), uint64(1e18))
	f.Add(uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint32(0), uint64(0))
	f.Fuzz(func(t *testing.T, bn0, bn1, bn2, bd0, bd1, bd2, en, ed uint64, precision uint32, scale uint64) {
		in := powInput{
			bn:        uint256.Int{bn0, bn1, bn2 & 0xff, 0},
			bd:        uint256.Int{bd0, bd1, bd2 & 0xff, 0},
			en:        en,
			ed:        ed,
			precision: precision % 1100,
			scale:     scale,
		}
		if en != 0 && ed != 0 {
			g := gcd64(en, ed)
			if en/g <= maxExactExponent && ed/g <= maxExactExponent && en/g+ed/g > 24 {
				// The reference bisects on powers of up to 1024: keep it small.
				in.bn.Rsh(&in.bn, uint(max(in.bn.BitLen()-16, 0)))
				in.bd.Rsh(&in.bd, uint(max(in.bd.BitLen()-16, 0)))
				in.scale >>= 48
			}
		}
		checkPowAgainstBig(t, in)
	})
}
