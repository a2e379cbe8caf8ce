package units

import (
	"encoding"
	"encoding/json"
	"fmt"
	"math/bits"
	"strconv"
)

// Alpha is an amount of a subnet's alpha token in rao (1 alpha = 10^9
// rao), the chain's u64 AlphaCurrency. It is a distinct type from TAO so
// that the compiler refuses to mix them; the subnet is not part of the
// value. The zero value is 0 rao.
type Alpha uint64

var (
	_ fmt.Stringer             = Alpha(0)
	_ encoding.TextAppender    = Alpha(0)
	_ encoding.TextMarshaler   = Alpha(0)
	_ encoding.TextUnmarshaler = (*Alpha)(nil)
	_ json.Marshaler           = Alpha(0)
	_ json.Unmarshaler         = (*Alpha)(nil)
)

// AlphaFromRao returns rao rao as an Alpha amount.
func AlphaFromRao(rao uint64) Alpha { return Alpha(rao) }

// Rao returns the amount in rao.
func (x Alpha) Rao() uint64 { return uint64(x) }

// Add returns x+y and whether it overflowed uint64 (the chain's
// checked_add failing). On overflow z is the sum modulo 2^64, as with
// math/bits.Add64; callers must check the flag.
func (x Alpha) Add(y Alpha) (z Alpha, overflow bool) {
	s, c := bits.Add64(uint64(x), uint64(y), 0)
	return Alpha(s), c != 0
}

// Sub returns x-y and whether it went below zero (the chain's checked_sub
// failing). On underflow z is the difference modulo 2^64, as with
// math/bits.Sub64; callers must check the flag.
func (x Alpha) Sub(y Alpha) (z Alpha, underflow bool) {
	d, b := bits.Sub64(uint64(x), uint64(y), 0)
	return Alpha(d), b != 0
}

// SaturatingAdd returns x+y, or 2^64-1 rao if that overflows (the chain's
// saturating_add).
//
// Branch-free: the carry's negation is all ones exactly when the sum
// overflowed, and or-ing it in gives 2^64-1 then, the sum otherwise
// (ADD, SBB, OR: the block's bookkeeping does a dozen of these per
// subnet). TestSaturatingAddMatchesBranching.
func (x Alpha) SaturatingAdd(y Alpha) Alpha {
	s, c := bits.Add64(uint64(x), uint64(y), 0)
	return Alpha(s | -c)
}

// SaturatingSub returns x-y, or 0 if y > x (the chain's saturating_sub).
func (x Alpha) SaturatingSub(y Alpha) Alpha {
	if y > x {
		return 0
	}
	return x - y
}

// Float64 returns the amount in alpha as the nearest float64, for display
// and plotting only: above 2^53 rao it is not exact.
func (x Alpha) Float64() float64 { return float64(x) / RaoPerTAO }

// String formats the amount as the Python SDK's str(Balance) does for a
// subnet whose symbol is α: the number grouped by commas with exactly 9
// decimals, followed by α, the whole wrapped in U+200E LEFT-TO-RIGHT MARKs
// ("\u200e1,234.567890123α\u200e"). Use StringFor for another subnet's
// symbol and Decimal for plain text. ParseAlpha reads it back.
func (x Alpha) String() string {
	var buf [maxFormatted]byte
	return string(appendSuffixed(buf[:0], uint64(x), AlphaSymbol))
}

// StringFor formats the amount as the Python SDK does for a Balance of
// subnet netuid: with netuid 0 like TAO ("τ1.500000000"), otherwise with
// the subnet's Symbol after the number, wrapped in LEFT-TO-RIGHT MARKs
// ("\u200e1.500000000β\u200e" for netuid 2). ParseAlphaFor with the same
// netuid reads it back.
func (x Alpha) StringFor(netuid NetUID) string {
	var buf [maxFormatted]byte
	if netuid == 0 {
		b := append(buf[:0], TAOSymbol...)
		return string(appendSDK(b, uint64(x)))
	}
	return string(appendSuffixed(buf[:0], uint64(x), netuid.Symbol()))
}

// appendSuffixed appends the SDK's suffixed form: LRM, number, symbol, LRM.
func appendSuffixed(b []byte, rao uint64, sym string) []byte {
	b = append(b, lrm...)
	b = appendSDK(b, rao)
	b = append(b, sym...)
	return append(b, lrm...)
}

// Decimal formats the amount as a plain decimal number of alpha without
// symbol, separators or trailing zeros ("1234.567890123", "1.5", "0").
// ParseAlpha and ParseAlphaFor read it back.
func (x Alpha) Decimal() string {
	var buf [maxFormatted]byte
	return string(appendPlain(buf[:0], uint64(x)))
}

// AppendText appends the Decimal form to b. It never fails and does not
// allocate when b has room for 21 more bytes.
func (x Alpha) AppendText(b []byte) ([]byte, error) {
	return appendPlain(b, uint64(x)), nil
}

// MarshalText returns the Decimal form, the human-facing text encoding
// (flags, configuration files, map keys).
func (x Alpha) MarshalText() ([]byte, error) { return x.AppendText(nil) }

// UnmarshalText parses any form ParseAlpha accepts. On error x is
// unchanged.
func (x *Alpha) UnmarshalText(text []byte) error {
	v, err := ParseAlpha(string(text))
	if err != nil {
		return err
	}
	*x = v
	return nil
}

// MarshalJSON encodes the amount as a JSON integer of rao, as chain
// tooling and the project's vectors do (1.5 alpha is 1500000000).
func (x Alpha) MarshalJSON() ([]byte, error) {
	return strconv.AppendUint(nil, uint64(x), 10), nil
}

// UnmarshalJSON decodes a JSON integer of rao, digit by digit, never
// through float64. Fractions, exponents, negative numbers and strings are
// errors: a quoted "1500000000" is refused rather than guessed at (APIs
// quote rao, the text form is TAO). Hence maps keyed by this type encode
// with encoding/json (keys go through MarshalText) but do not decode (keys
// come back quoted through UnmarshalJSON); key by uint64 rao instead. null
// leaves x unchanged, as encoding/json expects. On error x is unchanged.
func (x *Alpha) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	v, err := parseRaoInt(data, "alpha JSON")
	if err != nil {
		return err
	}
	*x = Alpha(v)
	return nil
}

// ParseAlpha parses an amount of alpha the way ParseTAO parses TAO, with
// the symbol α before or after the number (or none), and the LEFT-TO-RIGHT
// MARKs of the SDK's form allowed around it. It reads back String and
// Decimal. Other subnets' symbols are refused here (some are letters or
// spaces, "t" for netuid 19, U+1680 for 90, so guessing would be unsafe):
// use ParseAlphaFor.
func ParseAlpha(s string) (Alpha, error) {
	v, err := parseRao(s, AlphaSymbol, "alpha")
	return Alpha(v), err
}

// ParseAlphaFor parses an amount of subnet netuid's alpha, accepting that
// subnet's Symbol (τ for netuid 0) before or after the number, or none.
// It reads back StringFor(netuid) and Decimal.
func ParseAlphaFor(s string, netuid NetUID) (Alpha, error) {
	v, err := parseRao(s, netuid.Symbol(), "alpha")
	return Alpha(v), err
}
