package fixed

// convertBits re-expresses the raw bits v of a source type (srcFrac
// fractional bits, signed or not) in a target type of dstBits total bits
// and dstFrac fractional bits: fractional bits the target lacks are dropped
// with an arithmetic shift (floor), extra ones are zero, and the result is
// checked against the target's range. It returns the target's raw bits (in
// the low dstBits of a u128) and the direction of overflow: 0 in range, +1
// above the maximum, -1 below the minimum; on overflow the bits are the
// saturated bound. This is saturating_from_num / checked_from_num between
// fixed types and to integers (dstFrac == 0).
//
// The fractional bit counts are 0, 32 or 64, so the shift is a multiple of
// 32 and a three-word intermediate holds every exact result.
func convertBits(v u128, srcFrac uint, srcSigned bool, dstFrac, dstBits uint, dstSigned bool) (u128, int) {
	var ext uint64
	if srcSigned && v.neg() {
		ext = ^uint64(0)
	}
	w0, w1, w2 := v.lo, v.hi, ext
	switch {
	case dstFrac == srcFrac:
	case dstFrac == srcFrac+32:
		w2 = w2<<32 | w1>>32
		w1 = w1<<32 | w0>>32
		w0 <<= 32
	case srcFrac == dstFrac+32:
		w0 = w0>>32 | w1<<32
		w1 = w1>>32 | w2<<32
		w2 = uint64(int64(w2) >> 32)
	case srcFrac == dstFrac+64:
		w0, w1 = w1, w2
	default:
		panic("fixed: unsupported conversion")
	}
	neg := int64(w2) < 0
	if !dstSigned {
		if neg {
			return u128{}, -1
		}
		var fits bool
		switch dstBits {
		case 128:
			fits = w2 == 0
		case 64:
			fits = w2|w1 == 0
		default: // 16
			fits = w2|w1 == 0 && w0>>dstBits == 0
		}
		if !fits {
			if dstBits == 128 {
				return u128{^uint64(0), ^uint64(0)}, 1
			}
			return u128{0, 1<<dstBits - 1}, 1
		}
		return u128{w1, w0}, 0
	}
	var fits bool
	if dstBits == 128 {
		fits = w2 == uint64(int64(w1)>>63)
	} else { // 64
		e := uint64(int64(w0) >> 63)
		fits = w2 == e && w1 == e
	}
	if fits {
		return u128{w1, w0}, 0
	}
	switch {
	case neg && dstBits == 128:
		return u128{1 << 63, 0}, -1
	case neg:
		return u128{^uint64(0), 1 << 63}, -1
	case dstBits == 128:
		return u128{1<<63 - 1, ^uint64(0)}, 1
	}
	return u128{0, 1<<63 - 1}, 1
}

// The per-target conversions used by every SaturatingToXxx/CheckedToXxx
// method.

func toI32F32(v u128, frac uint, signed bool) (I32F32, int) {
	r, o := convertBits(v, frac, signed, i32f32Frac, 64, true)
	return I32F32{int64(r.lo)}, o
}

func toI64F64(v u128, frac uint, signed bool) (I64F64, int) {
	r, o := convertBits(v, frac, signed, i64f64Frac, 128, i64f64Signed)
	return I64F64(r), o
}

func toU64F64(v u128, frac uint, signed bool) (U64F64, int) {
	r, o := convertBits(v, frac, signed, u64f64Frac, 128, u64f64Signed)
	return U64F64(r), o
}

func toI96F32(v u128, frac uint, signed bool) (I96F32, int) {
	r, o := convertBits(v, frac, signed, i96f32Frac, 128, i96f32Signed)
	return I96F32(r), o
}

func toU96F32(v u128, frac uint, signed bool) (U96F32, int) {
	r, o := convertBits(v, frac, signed, u96f32Frac, 128, u96f32Signed)
	return U96F32(r), o
}

// The saturating conversions of the price and emission paths, I96F32 to
// U64F64 and U64F64 to I96F32 and U96F32, without convertBits' call (the
// generated SaturatingTo methods of those pairs call them; they inline).
// Each is convertBits' arithmetic for its pair (convert_fast_test.go
// compares them on random and edge bits):
//
//   - I96F32 to U64F64 gains 32 fraction bits: a negative value is 0, one
//     of 2^64 or more (raw bits of 2^96 or more: the high word's top 32
//     bits not all zero) saturates at the maximum, any other is its raw
//     bits shifted up by 32;
//   - U64F64 to I96F32 or U96F32 drops 32 fraction bits (floor): the raw
//     bits shifted down by 32, below 2^96, in range of both.

func satI96F32ToU64F64(x I96F32) U64F64 {
	switch {
	case x.hi>>63 != 0:
		return U64F64{}
	case x.hi>>32 != 0:
		return U64F64{^uint64(0), ^uint64(0)}
	}
	return U64F64{x.hi<<32 | x.lo>>32, x.lo << 32}
}

func satU64F64ToI96F32(x U64F64) I96F32 { return I96F32{x.hi >> 32, x.hi<<32 | x.lo>>32} }

func satU64F64ToU96F32(x U64F64) U96F32 { return U96F32{x.hi >> 32, x.hi<<32 | x.lo>>32} }

func toUint64(v u128, frac uint, signed bool) (uint64, int) {
	r, o := convertBits(v, frac, signed, 0, 64, false)
	return r.lo, o
}

func toUint16(v u128, frac uint, signed bool) (uint16, int) {
	r, o := convertBits(v, frac, signed, 0, 16, false)
	return uint16(r.lo), o
}

func toInt64(v u128, frac uint, signed bool) (int64, int) {
	r, o := convertBits(v, frac, signed, 0, 64, true)
	return int64(r.lo), o
}

// satU96F32ToU64F64 is U96F32 to U64F64: it gains 32 fraction bits, so a
// value of 2^64 or more (raw bits of 2^96 or more: the high word's top 32
// bits not all zero) saturates at the maximum and any other is its raw
// bits shifted up by 32 (convertBits' arithmetic for the pair; an
// unsigned source is never negative).
func satU96F32ToU64F64(x U96F32) U64F64 {
	if x.hi>>32 != 0 {
		return U64F64{^uint64(0), ^uint64(0)}
	}
	return U64F64{x.hi<<32 | x.lo>>32, x.lo << 32}
}
