package bigpow

import (
	"math/big"
	"math/bits"
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

// FuzzPowExactPath drives Pow's exact path with any reduced exponent up to
// 1024/1024 and bases up to 2^128: Pow must agree with the crate's
// bisection (PowBig) where that is affordable, and with the math/big
// Newton root (exactBig) on larger inputs.
func FuzzPowExactPath(f *testing.F) {
	f.Add(uint64(4e12), uint64(0), uint64(4003993993829), uint64(0), uint16(513), uint16(511), uint64(1e18))
	f.Add(uint64(248560228746085657), uint64(0), uint64(246099249429016877), uint64(0), uint16(511), uint16(1024), uint64(1e18))
	f.Add(uint64(7000000000), uint64(0), uint64(7000010000), uint64(0), uint16(227), uint16(773), uint64(1e18))
	f.Add(uint64(0), uint64(1), uint64(1), uint64(0), uint16(1), uint16(3), uint64(1<<63))
	f.Fuzz(func(t *testing.T, bn0, bn1, bd0, bd1 uint64, en, ed uint16, scale uint64) {
		in := powInput{
			bn:        uint256.Int{bn0, bn1},
			bd:        uint256.Int{bd0, bd1},
			en:        1 + uint64(en)%maxExactExponent,
			ed:        1 + uint64(ed)%maxExactExponent,
			precision: 256,
			scale:     scale,
		}
		g := gcd64(in.en, in.ed)
		e, d := uint(in.en/g), uint(in.ed/g)
		if e*uint(max(in.bn.BitLen(), in.bd.BitLen()))+d*uint(bits.Len64(scale)) <= 1<<13 {
			checkPowAgainstBig(t, in)
			return
		}
		if in.bn.IsZero() || in.bd.IsZero() {
			return // the early returns are covered above and by FuzzPow
		}
		got, of, _ := Pow(&in.bn, &in.bd, in.en, in.ed, in.precision, in.scale)
		want := exactBig(in.bn.ToBig(), in.bd.ToBig(), new(big.Int).SetUint64(scale), e, d)
		w, wof, _ := classifyBig(want)
		if of != wof || got != w {
			t.Fatalf("%v = %d, %v; exactBig = %v", in, got, of, want)
		}
	})
}
