package consensus

import "github.com/dtao-go/dtao/fixed"

// MaxUpscaleWeights is the normalisation set_weights applies before it
// stores a validator's weights (math.rs vec_u16_max_upscale_to_u16): every
// value is scaled so that the largest becomes 65535, rounding to nearest
// with ties away from zero. When the largest value exceeds 32768 the scale
// 65535/max is computed first (I32F32, truncated) and then multiplied;
// otherwise v·65535 is divided by max. All-zero input stays all zero.
//
// The result is appended to dst[:0] and returned (pass nil to allocate).
func MaxUpscaleWeights(dst, values []uint16) []uint16 {
	dst = dst[:0]
	var mx uint16
	for _, v := range values {
		mx = max(mx, v)
	}
	m := fixed.I32F32FromUint64(uint64(mx))
	scale := u16m.SafeDiv(m)
	for _, v := range values {
		x := fixed.I32F32FromUint64(uint64(v))
		var r fixed.I32F32
		switch {
		case mx == 0:
			r = x.SaturatingMul(u16m)
		case mx > 32768:
			r = x.SaturatingMul(scale).Round()
		default:
			r = x.SaturatingMul(u16m).SafeDiv(m).Round()
		}
		dst = append(dst, r.SaturatingToUint16())
	}
	return dst
}
