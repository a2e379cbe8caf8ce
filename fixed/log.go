package fixed

import "math/bits"

// log2EI32F32Bits is substrate-fixed's transcendental::LOG2_E: log2(e)
// truncated to an I9F23 (consts::LOG2_E, a U1F127, shifted right by 104),
// 0xB8AA3B = floor(log2(e) * 2^23), widened losslessly to I32F32.
const log2EI32F32Bits = 0xB8AA3B << (32 - 23)

// Log2 is substrate_fixed::transcendental::log2::<I32F32, I32F32>. For
// x >= 1 it is log2_inner(x): the integer part counts the halvings, each
// rounded half up ((b >> 1) + (b & 1) on the raw bits b), while x >= 2; the
// 32 fraction bits then come from squaring x (Mul, floored) 32 times,
// setting a bit and halving (rounded half up) whenever the square reaches
// 2. For 0 < x < 1 it is -log2_inner(1/x), with 1/x the truncating
// division. So it is not the true logarithm: log2(4 - 2^-32) is 2, because
// the rounding halvings reach 2.0 a second time.
//
// ok is false for x <= 0, where Rust returns Err, and for x <= 2^-32
// (raw bits 1), where 1/x overflows I32F32 and Rust's unwrap panics. The
// value is then 0.
func Log2(x I32F32) (I32F32, bool) {
	switch {
	case x.bits <= 0:
		return I32F32{}, false
	case x.bits < i32f32One:
		inv, ok := I32F32{i32f32One}.CheckedDiv(x)
		if !ok {
			return I32F32{}, false
		}
		return I32F32{-log2Inner(uint64(inv.bits))}, true
	}
	return I32F32{log2Inner(uint64(x.bits))}, true
}

// log2Inner is substrate-fixed's log2_inner for I32F32 raw bits b >= 2^32
// (x >= 1), returning raw bits.
func log2Inner(b uint64) int64 {
	const two = uint64(2) << 32
	var result int64
	for b >= two {
		result++
		b = b>>1 + b&1
	}
	if b == 1<<32 {
		return result << 32 // D::from_num(result): the count as a whole number
	}
	for range 32 {
		// b < 2^33, so the square is below 2^66 and its floor >> 32 below
		// 2^34: Mul cannot overflow.
		hi, lo := bits.Mul64(b, b)
		b = hi<<32 | lo>>32
		result <<= 1
		if b >= two {
			result |= 1
			b = b>>1 + b&1
		}
	}
	return result
}

// Ln is substrate_fixed::transcendental::ln::<I32F32, I32F32>: Log2(x)
// divided by LOG2_E (log2(e) truncated to 23 fractional bits), with the
// plain, truncating division. ok is false exactly where Log2's is.
func Ln(x I32F32) (I32F32, bool) {
	l, ok := Log2(x)
	if !ok {
		return I32F32{}, false
	}
	return l.Div(I32F32{log2EI32F32Bits}), true
}
