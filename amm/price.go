package amm

import (
	"encoding/json"
	"errors"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Price is a price in TAO per alpha with the chain's value inside: the
// U64F64 of the swap pallet's current_price and limit prices
// (pallets/swap/src/pallet/impls.rs). The zero value is a price of 0. It
// is a plain comparable value: == compares the exact fixed-point value.
//
// Text. ParsePrice reads a decimal number of TAO per alpha with optional
// units and turns it into the largest U64F64 not above it (floor, as the
// chain turns its rao limit into a U64F64). String prints the form the
// Python SDK shows for a subnet price, a TAO balance ("τ0.013245678"), with
// as many more decimals as the value needs to read back exactly: the
// shortest decimal of at least 9 decimals that ParsePrice maps to the same
// U64F64 (at most 20 decimals, since 10^-20 < 2^-64). Decimal prints the
// same number bare and without trailing zeros ("0.013245678"). Both read
// back with ParsePrice to the identical value, and a price parsed from a
// decimal of at most 9 decimals prints as that decimal.
//
// Rao. The chain's limits are rao per alpha (TAO per alpha × 1e9) as a
// u64. PriceFromRao is the swap pallet's conversion, floor(rao·2^64/1e9);
// Rao is its inverse, round(price·1e9): PriceFromRao(r).Rao() == r for
// every r. A price parsed from a decimal of at most 9 decimals is
// PriceFromRao of its rao (both are floor(rao·2^64/1e9)), so Rao gives the
// rao back exactly. Rounding to nearest is what makes that exact: such a
// U64F64 lies less than 1e9/2^64 ≈ 5.4e-11 rao below the rao it came from,
// so a floor would lose one rao (0.013 becomes 12_999_999), while the
// nearest integer is the rao itself. [Pool.PriceRao] stays the chain's
// current_alpha_price, a floor.
type Price struct{ v fixed.U64F64 }

// maxPriceDecimals bounds the decimals ParsePrice accepts: every U64F64
// has an exact decimal expansion of at most 64 decimals (2^-64 =
// 5^64/10^64), so every value the type holds can be written exactly.
const maxPriceDecimals = 64

// ErrInvalidPrice is wrapped by every error of ParsePrice and of the text
// and JSON decoders of Price, together with units.ErrSyntax,
// units.ErrNegative or units.ErrOverflow when one of those is the reason.
// It is an input error of this SDK, not a chain error.
var ErrInvalidPrice = errors.New("amm: invalid price")

// PriceFromU64F64 returns the price whose value is v TAO per alpha.
func PriceFromU64F64(v fixed.U64F64) Price { return Price{v} }

// PriceFromRao returns the price of rao rao per alpha as the swap pallet
// converts a limit (SwapEngine::swap, pallets/swap/src/pallet/impls.rs):
// U64F64(rao).safe_div(U64F64(1e9)) = floor(rao·2^64/1e9).
func PriceFromRao(rao uint64) Price {
	return Price{fixed.U64F64FromRatio(rao, units.RaoPerTAO)}
}

// U64F64 returns the price's fixed-point value, TAO per alpha.
func (p Price) U64F64() fixed.U64F64 { return p.v }

// IsZero reports whether the price is 0.
func (p Price) IsZero() bool { return p.v.IsZero() }

// Cmp returns -1, 0 or +1 as p is below, equal to or above q.
func (p Price) Cmp(q Price) int { return p.v.Cmp(q.v) }

// Rao returns the price in rao per alpha rounded to the nearest integer
// (half up), saturating at u64::MAX: the inverse of PriceFromRao, exact
// for every price PriceFromRao or ParsePrice (at most 9 decimals) makes.
// It is what Order.WithLimit passes to the chain.
func (p Price) Rao() uint64 {
	hi, lo := p.v.Bits()
	over, whole := bits.Mul64(hi, units.RaoPerTAO)
	frac, rem := bits.Mul64(lo, units.RaoPerTAO)
	if rem >= 1<<63 {
		frac++ // frac < 1e9: cannot overflow
	}
	sum, carry := bits.Add64(whole, frac, 0)
	if over != 0 || carry != 0 {
		return math.MaxUint64
	}
	return sum
}

// Float64 returns the price as the nearest float64, for display only.
func (p Price) Float64() float64 { return p.v.Float64() }

// String returns the price as a TAO amount in the Python SDK's style: τ,
// the integer part grouped by commas, and at least 9 decimals, more when
// the value needs them to read back exactly ("τ0.013000000",
// "τ0.01324567801234567891"). ParsePrice reads it back to the same value.
func (p Price) String() string { return string(p.appendDecimal(nil, true)) }

// Decimal returns the price as a bare decimal with no symbol, separators
// or trailing zeros, and as few decimals as read back exactly ("0.013",
// "1", "0"). ParsePrice reads it back to the same value.
func (p Price) Decimal() string { return string(p.appendDecimal(nil, false)) }

// appendDecimal appends the shortest decimal D of at least 9 decimals
// (sdk) or any number of them (!sdk) with floor(D·2^64) = the raw bits,
// which is what ParsePrice computes. With the value split as the digits T
// of its first d decimals and a remainder rem/2^64 of one unit of the d-th
// decimal, D is T itself when rem is 0, else T + 1 (the smallest
// d-decimal number above the value), which reads back exactly when it is
// less than 2^-64 above the value: 2^64 − rem < 10^d. That always holds
// by d = 20, and T + 1 never carries into the integer part, since D stays
// below the next U64F64 and so below the next integer.
func (p Price) appendDecimal(b []byte, sdk bool) []byte {
	hi, rem := p.v.Bits()
	var digits [20]byte
	n := 0
	pow := uint64(1) // 10^n while n <= 19
	for rem != 0 {
		if n == 20 || (!sdk || n >= 9) && -rem < pow {
			// Round up: rem != 0 and T + 1 reads back.
			i := n - 1
			for digits[i] == 9 {
				digits[i] = 0
				i--
			}
			digits[i]++
			break
		}
		var d uint64
		d, rem = bits.Mul64(rem, 10)
		digits[n] = byte(d)
		n++
		if n < 20 {
			pow *= 10
		}
	}
	if sdk {
		b = append(b, units.TAOSymbol...)
		b = appendGrouped(b, hi)
		for n < 9 {
			digits[n] = 0
			n++
		}
	} else {
		b = strconv.AppendUint(b, hi, 10)
		for n > 0 && digits[n-1] == 0 {
			n--
		}
	}
	if n > 0 {
		b = append(b, '.')
		for _, d := range digits[:n] {
			b = append(b, '0'+d)
		}
	}
	return b
}

// appendGrouped appends u in decimal with commas between groups of three.
func appendGrouped(b []byte, u uint64) []byte {
	var buf [20]byte
	s := strconv.AppendUint(buf[:0], u, 10)
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, c)
	}
	return b
}

// ParsePrice parses a price in TAO per alpha written as a decimal number,
// exactly (never through float64), into the largest U64F64 not above it.
// The accepted form is
//
//	[τ] number [unit]
//
// where number is digits, optionally grouped in threes by commas, with an
// optional fraction of 1 to 64 decimals ("0.013", "1,234.5"); unit is one
// of "τ", " τ", "/α", "τ/α" and " τ/α", and τ appears at most once
// ("τ0.013", "0.013τ", "τ0.013/α", "0.013 τ/α"). Nothing else is allowed,
// surrounding whitespace included. It reads back String and Decimal, and a
// decimal of at most 9 decimals r/1e9 parses to PriceFromRao(r).
//
// Errors wrap ErrInvalidPrice and, for the reason, units.ErrSyntax, units.ErrNegative
// (a minus sign) or units.ErrOverflow (an integer part above 2^64 − 1);
// more than 64 decimals is ErrInvalidPrice alone.
func ParsePrice(s string) (Price, error) {
	body, prefixed := strings.CutPrefix(s, units.TAOSymbol)
	for _, unit := range [...]string{" " + units.TAOSymbol + "/" + units.AlphaSymbol, units.TAOSymbol + "/" + units.AlphaSymbol,
		" " + units.TAOSymbol, units.TAOSymbol, "/" + units.AlphaSymbol} {
		if rest, ok := strings.CutSuffix(body, unit); ok {
			if prefixed && strings.Contains(unit, units.TAOSymbol) {
				return Price{}, priceError(s, units.ErrSyntax, "τ written twice")
			}
			body = rest
			break
		}
	}
	neg := false
	if rest, ok := strings.CutPrefix(body, "-"); ok {
		neg, body = true, rest
	}
	intPart, frac, hasPoint := strings.Cut(body, ".")
	if !validGrouping(intPart) || hasPoint && !allDigits(frac) {
		return Price{}, priceError(s, units.ErrSyntax, "not a decimal number")
	}
	if neg {
		return Price{}, priceError(s, units.ErrNegative, "negative")
	}
	if len(frac) > maxPriceDecimals {
		return Price{}, priceError(s, nil, "more than 64 decimals")
	}
	var hi uint64
	for i := 0; i < len(intPart); i++ {
		c := intPart[i]
		if c == ',' {
			continue
		}
		h, l := bits.Mul64(hi, 10)
		sum, carry := bits.Add64(l, uint64(c-'0'), 0)
		if h != 0 || carry != 0 {
			return Price{}, priceError(s, units.ErrOverflow, "integer part above 2^64 − 1")
		}
		hi = sum
	}
	// floor(0.frac · 2^64), one bit at a time: doubling the decimal
	// fraction carries its next binary digit into the units place.
	var digits [maxPriceDecimals]byte
	n := copy(digits[:], frac)
	for i := range digits[:n] {
		digits[i] -= '0'
	}
	var lo uint64
	for range 64 {
		carry := byte(0)
		for i := n - 1; i >= 0; i-- {
			d := digits[i]*2 + carry
			carry = d / 10
			digits[i] = d - carry*10
		}
		lo = lo<<1 | uint64(carry)
	}
	return Price{fixed.U64F64FromBits(hi, lo)}, nil
}

// validGrouping reports whether s is a non-empty run of digits, plain or
// grouped by commas as 1–3 digits followed by groups of exactly 3 (the
// rule of units.ParseTAO).
func validGrouping(s string) bool {
	first, rest, grouped := strings.Cut(s, ",")
	if !allDigits(first) || grouped && len(first) > 3 {
		return false
	}
	for grouped {
		var group string
		group, rest, grouped = strings.Cut(rest, ",")
		if len(group) != 3 || !allDigits(group) {
			return false
		}
	}
	return true
}

// allDigits reports whether s is non-empty and only ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// priceParseError is an error of ParsePrice: the input, the reason and the
// sentinels it wraps.
type priceParseError struct {
	input, reason string
	cause         error
}

func priceError(input string, cause error, reason string) error {
	return &priceParseError{input: input, reason: reason, cause: cause}
}

func (e *priceParseError) Error() string {
	return ErrInvalidPrice.Error() + " " + strconv.Quote(e.input) + ": " + e.reason
}

func (e *priceParseError) Unwrap() []error {
	if e.cause == nil {
		return []error{ErrInvalidPrice}
	}
	return []error{ErrInvalidPrice, e.cause}
}

// MarshalText returns the Decimal form.
func (p Price) MarshalText() ([]byte, error) { return p.appendDecimal(nil, false), nil }

// UnmarshalText parses any form ParsePrice accepts. On error p is
// unchanged.
func (p *Price) UnmarshalText(text []byte) error {
	q, err := ParsePrice(string(text))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// MarshalJSON encodes the price as a JSON string of its Decimal form
// ("0.013"): a JSON number would be read through float64 by most decoders.
func (p Price) MarshalJSON() ([]byte, error) {
	b := append(make([]byte, 0, 24), '"')
	b = p.appendDecimal(b, false)
	return append(b, '"'), nil
}

// UnmarshalJSON decodes a JSON string holding any form ParsePrice accepts,
// or a JSON number written as a plain decimal (no sign or exponent), read
// digit by digit, never through float64. null leaves p unchanged, as
// encoding/json expects. On error p is unchanged.
func (p *Price) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return priceError(string(data), units.ErrSyntax, "not a JSON string")
		}
		return p.UnmarshalText([]byte(s))
	}
	// A bare JSON number: only digits and a point are a plain decimal.
	if strings.Trim(string(data), "0123456789.") != "" {
		return priceError(string(data), units.ErrSyntax, "not a plain decimal JSON number")
	}
	return p.UnmarshalText(data)
}

// Price is the spot price in TAO per alpha (the chain's current_price,
// pallets/swap/src/pallet/impls.rs): 1 for the stable mechanism, 0 for an
// empty alpha reserve, else (w1/w2)·(y/x) in U64F64 with each quotient and
// the product floored (Balancer::calculate_price). Like the chain, it
// treats every mechanism but 1 as stable, and it computes with whatever
// weight is stored: it does not validate the pool.
func (p *Pool) Price() Price {
	return Price{p.price()}
}

func (p *Pool) price() fixed.U64F64 {
	if p.Mechanism != Dynamic {
		return fixed.U64F64FromUint64(1)
	}
	if p.AlphaIn == 0 {
		return fixed.U64F64{}
	}
	return curveOf(p.QuoteWeight).price(uint64(p.AlphaIn), uint64(p.TAO))
}

// PriceRao is the runtime API's current_alpha_price in rao per alpha as
// the chain's callers read it: floor(Price·1e9), saturating.
func (p *Pool) PriceRao() uint64 {
	return p.price().SaturatingMulToUint64(units.RaoPerTAO)
}
