package fixed

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
)

// Errors returned by the raw-bits parsers (ParseXxxBits, UnmarshalText).
// They are input-format errors, not chain errors.
var (
	// ErrSyntax reports a raw-bits string that is not a decimal integer
	// (digits, with a leading '-' allowed only for signed types).
	ErrSyntax = errors.New("fixed: invalid raw bits")
	// ErrRange reports a raw-bits integer outside the type's range.
	ErrRange = errors.New("fixed: raw bits out of range")
)

const pow10_19 = 10_000_000_000_000_000_000

// appendU128 appends the decimal digits of v.
func appendU128(dst []byte, v u128) []byte {
	if v.hi == 0 {
		return strconv.AppendUint(dst, v.lo, 10)
	}
	q1, r := v.hi/pow10_19, v.hi%pow10_19
	q0, r := bits.Div64(r, v.lo, pow10_19)
	dst = appendU128(dst, u128{q1, q0})
	var digits [19]byte
	for i := len(digits) - 1; i >= 0; i-- {
		digits[i] = '0' + byte(r%10)
		r /= 10
	}
	return append(dst, digits[:]...)
}

// appendBits128 appends v as a decimal integer, signed or unsigned.
func appendBits128(dst []byte, v u128, signed bool) []byte {
	if signed && v.neg() {
		dst = append(dst, '-')
		v = v.negate()
	}
	return appendU128(dst, v)
}

// appendDecimal appends the exact decimal form of a value with integer
// magnitude ip and fraction fr/2^64.
func appendDecimal(dst []byte, neg bool, ip u128, fr uint64) []byte {
	if neg {
		dst = append(dst, '-')
	}
	dst = appendU128(dst, ip)
	if fr == 0 {
		return dst
	}
	dst = append(dst, '.')
	// Each step multiplies by 10 = 2*5 and so clears one more low bit:
	// at most 64 digits.
	for fr != 0 {
		var d uint64
		d, fr = bits.Mul64(fr, 10)
		dst = append(dst, '0'+byte(d))
	}
	return dst
}

// parseBits128 parses a decimal integer into 128-bit two's complement,
// checking the signed or unsigned range.
func parseBits128(s string, signed bool) (u128, error) {
	neg := false
	d := s
	if signed && len(d) > 0 && d[0] == '-' {
		neg = true
		d = d[1:]
	}
	if len(d) == 0 {
		return u128{}, fmt.Errorf("%w: %q", ErrSyntax, s)
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return u128{}, fmt.Errorf("%w: %q", ErrSyntax, s)
		}
	}
	var v u128
	for i := 0; i < len(d); i++ {
		c := d[i]
		// v = v*10 + c
		h1, l1 := bits.Mul64(v.lo, 10)
		h2, l2 := bits.Mul64(v.hi, 10)
		hi, carry := bits.Add64(h1, l2, 0)
		if h2 != 0 || carry != 0 {
			return u128{}, fmt.Errorf("%w: %q", ErrRange, s)
		}
		lo, c2 := bits.Add64(l1, uint64(c-'0'), 0)
		hi, carry = bits.Add64(hi, 0, c2)
		if carry != 0 {
			return u128{}, fmt.Errorf("%w: %q", ErrRange, s)
		}
		v = u128{hi, lo}
	}
	if signed {
		limit := u128{1 << 63, 0} // magnitude of the minimum
		if (!neg && v.cmp(limit, false) >= 0) || (neg && v.cmp(limit, false) > 0) {
			return u128{}, fmt.Errorf("%w: %q", ErrRange, s)
		}
		if neg {
			v = v.negate()
		}
	}
	return v, nil
}

func errRange(s string) error { return fmt.Errorf("%w: %q", ErrRange, s) }
