package consensus

import (
	"math/bits"

	"github.com/dtao-go/dtao/fixed"
)

// quo is x.SafeDiv(y) (I32F32 checked_div, 0 on overflow or a zero divisor)
// with a one-instruction path for the epoch's common case of a non-negative
// dividend smaller than 2^32 times a positive divisor: the normalisations
// divide every cell of a row or column by its sum, which makes the generic
// two-division path the most expensive step of a large epoch. Checked
// against SafeDiv in quo_test.go.
func quo(x, y fixed.I32F32) fixed.I32F32 {
	a, b := x.Bits(), y.Bits()
	if a >= 0 && b > 0 && uint64(a)>>32 < uint64(b) {
		q, _ := bits.Div64(uint64(a)>>32, uint64(a)<<32, uint64(b))
		if q < 1<<63 {
			return fixed.I32F32FromBits(int64(q))
		}
		return zero
	}
	return x.SafeDiv(y)
}
