package fixed

// eConstBits is substrate-fixed's consts::E, e as a U2F126.
const eConstBits = 0xADF8_5458_A2BB_4A9A_AFDC_5620_273D_3CF1

// eI32F32Bits is transcendental::E, e truncated to an I9F23 (23 fractional
// bits), widened losslessly to I32F32. exp returns it for x == 1 exactly.
const eI32F32Bits = (eConstBits >> 103) << (32 - 23)

// Exp is substrate_fixed::transcendental::exp::<I32F32, I32F32>: a truncated
// Taylor series, not the true exponential. For x == 0 it returns 1; for
// x == 1 exactly, e truncated to 23 fractional bits; otherwise, with y = |x|,
// result = 1 + y and term = y, then for i = 2..31: term = term*y (checked,
// floored), term = term/i (checked, truncated), result += term (checked).
// For x < 0 the result is 1/result (checked). ok is false wherever Rust
// returns Err (any checked step overflowing, or x == I32F32Min()).
func Exp(x I32F32) (I32F32, bool) {
	one := I32F32{i32f32One}
	switch x.bits {
	case 0:
		return one, true
	case i32f32One:
		return I32F32{eI32F32Bits}, true
	case -1 << 63:
		return I32F32{}, false // checked_neg fails
	}
	neg := x.bits < 0
	y := x
	if neg {
		y = I32F32{-x.bits}
	}
	result, ok := y.CheckedAdd(one)
	if !ok {
		return I32F32{}, false
	}
	term := y
	for i := int64(2); i < i32f32Frac; i++ {
		if term, ok = term.CheckedMul(y); !ok {
			return I32F32{}, false
		}
		if term, ok = term.CheckedDiv(I32F32{i << 32}); !ok {
			return I32F32{}, false
		}
		if result, ok = result.CheckedAdd(term); !ok {
			return I32F32{}, false
		}
	}
	if neg {
		if result, ok = one.CheckedDiv(result); !ok {
			return I32F32{}, false
		}
	}
	return result, true
}

// ExpSafe is subtensor's exp_safe (epoch/math.rs): x is clamped to
// [-20, 20], then Exp; where Exp fails it returns 0 if the clamped input is
// <= 0 and I32F32Max() otherwise.
func ExpSafe(x I32F32) I32F32 {
	const lim = 20 << 32
	switch {
	case x.bits < -lim:
		x = I32F32{-lim}
	case x.bits > lim:
		x = I32F32{lim}
	}
	if r, ok := Exp(x); ok {
		return r
	}
	if x.bits <= 0 {
		return I32F32{}
	}
	return I32F32Max()
}
