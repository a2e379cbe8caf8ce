package consensus

import (
	"math/bits"

	"github.com/dtao-go/dtao/fixed"
)

// quo is x.SafeDiv(y) (I32F32 checked_div, 0 on overflow or a zero divisor):
// floor(a·2^32/b) on the raw bits a, b. The normalisations divide every cell
// of a row or column by its sum, which makes division the most expensive
// step of a large epoch, and a 128-by-64-bit division costs several times a
// 64-by-64-bit one, so quo reduces to the narrow one wherever that is exact:
//
//   - a < 2^32 (a cell at most 1, the dividends' column-normalised bonds):
//     the dividend a·2^32 fits in 64 bits;
//   - b a whole number B·2^32 (the sum of a row of integer weights):
//     floor(a·2^32/(B·2^32)) = floor(a/B), at most a, so it cannot overflow.
//
// Otherwise a non-negative dividend below 2^32 times a positive divisor
// takes one 128-bit division, and anything else (signs, overflow) SafeDiv.
// Checked against SafeDiv in quo_test.go.
func quo(x, y fixed.I32F32) fixed.I32F32 {
	a, b := x.Bits(), y.Bits()
	if a < 0 || b <= 0 {
		return x.SafeDiv(y)
	}
	ua, ub := uint64(a), uint64(b)
	switch {
	case ua < 1<<32:
		return quoResult(ua << 32 / ub)
	case ub&(1<<32-1) == 0:
		return fixed.I32F32FromBits(int64(ua / (ub >> 32)))
	case ua>>32 < ub:
		q, _ := bits.Div64(ua>>32, ua<<32, ub)
		return quoResult(q)
	}
	return x.SafeDiv(y)
}

// quoResult is a non-negative quotient as I32F32, or 0 (checked_div's
// overflow) when it does not fit.
func quoResult(q uint64) fixed.I32F32 {
	if q < 1<<63 {
		return fixed.I32F32FromBits(int64(q))
	}
	return zero
}
