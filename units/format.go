package units

import "strconv"

// appendSDK appends rao as the Python SDK's f"{tao:,.9f}" would print it
// if that went through exact arithmetic: the whole TAO with a comma every
// three digits, a point, and exactly 9 decimals ("1,234.567890123").
func appendSDK(b []byte, rao uint64) []byte {
	whole, frac := rao/RaoPerTAO, rao%RaoPerTAO
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], whole, 10)
	for i, c := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, c)
	}
	b = append(b, '.')
	return appendFrac(b, frac, raoDecimals)
}

// appendPlain appends rao as a plain decimal TAO: no separators, no
// trailing zeros after the point, and no point at all for whole amounts
// ("1234.567890123", "1.5", "21000000", "0").
func appendPlain(b []byte, rao uint64) []byte {
	whole, frac := rao/RaoPerTAO, rao%RaoPerTAO
	b = strconv.AppendUint(b, whole, 10)
	if frac == 0 {
		return b
	}
	n := raoDecimals
	for frac%10 == 0 {
		frac /= 10
		n--
	}
	b = append(b, '.')
	return appendFrac(b, frac, n)
}

// appendFrac appends frac as exactly n digits, zero-padded on the left;
// frac must be below 10^n.
func appendFrac(b []byte, frac uint64, n int) []byte {
	var digits [raoDecimals]byte
	for i := n - 1; i >= 0; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	return append(b, digits[:n]...)
}

// maxFormatted bounds the longest String: an LRM, 14 characters of
// grouped integer, a point, 9 decimals, a two-rune symbol of up to 8
// bytes and an LRM. A stack buffer of this size keeps String to the one
// allocation of the returned string.
const maxFormatted = 3 + 14 + 1 + raoDecimals + 8 + 3
