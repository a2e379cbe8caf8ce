package units

import (
	"encoding"
	"encoding/json"
	"fmt"
	"math/bits"
	"strconv"
)

const (
	// RaoPerTAO is the number of rao in one TAO (and in one alpha).
	RaoPerTAO = 1_000_000_000
	// MaxSupply is the TAO supply cap, 21 million TAO. It bounds total
	// issuance on chain, not the TAO type, which holds any uint64 rao.
	MaxSupply TAO = 21_000_000 * RaoPerTAO
)

// TAO is an amount of TAO in rao (1 TAO = 10^9 rao), the chain's u64
// balance. The zero value is 0 rao. Conversions to and from uint64 rao are
// plain Go conversions; TAOFromRao and Rao spell them out.
type TAO uint64

var (
	_ fmt.Stringer             = TAO(0)
	_ encoding.TextAppender    = TAO(0)
	_ encoding.TextMarshaler   = TAO(0)
	_ encoding.TextUnmarshaler = (*TAO)(nil)
	_ json.Marshaler           = TAO(0)
	_ json.Unmarshaler         = (*TAO)(nil)
)

// TAOFromRao returns rao rao as a TAO amount.
func TAOFromRao(rao uint64) TAO { return TAO(rao) }

// Rao returns the amount in rao.
func (x TAO) Rao() uint64 { return uint64(x) }

// Add returns x+y and whether it overflowed uint64 (the chain's
// checked_add failing). On overflow z is the sum modulo 2^64, as with
// math/bits.Add64; callers must check the flag.
func (x TAO) Add(y TAO) (z TAO, overflow bool) {
	s, c := bits.Add64(uint64(x), uint64(y), 0)
	return TAO(s), c != 0
}

// Sub returns x-y and whether it went below zero (the chain's checked_sub
// failing). On underflow z is the difference modulo 2^64, as with
// math/bits.Sub64; callers must check the flag.
func (x TAO) Sub(y TAO) (z TAO, underflow bool) {
	d, b := bits.Sub64(uint64(x), uint64(y), 0)
	return TAO(d), b != 0
}

// SaturatingAdd returns x+y, or 2^64-1 rao if that overflows (the chain's
// saturating_add).
//
// Branch-free: the carry's negation is all ones exactly when the sum
// overflowed, and or-ing it in gives 2^64-1 then, the sum otherwise
// (ADD, SBB, OR: the block's bookkeeping does a dozen of these per
// subnet). TestSaturatingAddMatchesBranching.
func (x TAO) SaturatingAdd(y TAO) TAO {
	s, c := bits.Add64(uint64(x), uint64(y), 0)
	return TAO(s | -c)
}

// SaturatingSub returns x-y, or 0 if y > x (the chain's saturating_sub).
func (x TAO) SaturatingSub(y TAO) TAO {
	if y > x {
		return 0
	}
	return x - y
}

// Float64 returns the amount in TAO as the nearest float64, for display
// and plotting only: above 2^53 rao (about 9 million TAO) it is not exact.
func (x TAO) Float64() float64 { return float64(x) / RaoPerTAO }

// String formats the amount as the Python SDK's str(Balance) does:
// τ, the whole TAO grouped by commas, and exactly 9 decimals
// ("τ1,234.567890123", "τ0.000000001"). It is exact for every value, where
// the SDK's float formatting can be off in the last digits above
// 2^23 TAO (8,388,608). ParseTAO reads it back.
func (x TAO) String() string {
	var buf [maxFormatted]byte
	b := append(buf[:0], TAOSymbol...)
	return string(appendSDK(b, uint64(x)))
}

// Decimal formats the amount as a plain decimal number of TAO without
// symbol, separators or trailing zeros ("1234.567890123", "1.5",
// "21000000", "0"). ParseTAO reads it back.
func (x TAO) Decimal() string {
	var buf [maxFormatted]byte
	return string(appendPlain(buf[:0], uint64(x)))
}

// AppendText appends the Decimal form to b. It never fails and does not
// allocate when b has room for 21 more bytes.
func (x TAO) AppendText(b []byte) ([]byte, error) {
	return appendPlain(b, uint64(x)), nil
}

// MarshalText returns the Decimal form, the human-facing text encoding
// (flags, configuration files, map keys).
func (x TAO) MarshalText() ([]byte, error) { return x.AppendText(nil) }

// UnmarshalText parses any form ParseTAO accepts. On error x is unchanged.
func (x *TAO) UnmarshalText(text []byte) error {
	v, err := ParseTAO(string(text))
	if err != nil {
		return err
	}
	*x = v
	return nil
}

// MarshalJSON encodes the amount as a JSON integer of rao, as chain
// tooling and the project's vectors do (1.5 TAO is 1500000000). JSON
// numbers above 2^53 lose precision in JavaScript, but not in Go.
func (x TAO) MarshalJSON() ([]byte, error) {
	return strconv.AppendUint(nil, uint64(x), 10), nil
}

// UnmarshalJSON decodes a JSON integer of rao, digit by digit, never
// through float64. Fractions, exponents, negative numbers and strings are
// errors: a quoted "1500000000" is refused rather than guessed at (APIs
// quote rao, the text form is TAO). Hence maps keyed by this type encode
// with encoding/json (keys go through MarshalText) but do not decode (keys
// come back quoted through UnmarshalJSON); key by uint64 rao instead. null
// leaves x unchanged, as encoding/json expects. On error x is unchanged.
func (x *TAO) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	v, err := parseRaoInt(data, "TAO JSON")
	if err != nil {
		return err
	}
	*x = TAO(v)
	return nil
}

// ParseTAO parses an amount of TAO written with up to 9 decimals,
// optionally with the symbol τ before or after the number and with commas
// grouping the integer part in threes: "1.5", "τ1.5", "1.5τ",
// "0.000000001", "21000000", "τ1,234.567890123". It reads back both String
// and Decimal. It is exact (apd, never float64). Errors wrap ErrSyntax,
// ErrNegative, ErrTooManyDecimals or ErrOverflow.
func ParseTAO(s string) (TAO, error) {
	v, err := parseRao(s, TAOSymbol, "TAO")
	return TAO(v), err
}
