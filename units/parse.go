package units

import (
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// lrm is U+200E LEFT-TO-RIGHT MARK, which the Python SDK wraps around
// suffixed alpha amounts so that right-to-left subnet symbols (Hebrew,
// Arabic) do not reorder the digits.
const lrm = "\u200e"

const (
	// raoDecimals is the number of decimal places of one rao in TAO.
	raoDecimals = 9
	// maxIntDigits is the length of 18446744073, the integer part of the
	// largest amount (2^64-1 rao); a longer integer part (leading zeros
	// aside) cannot fit.
	maxIntDigits = 11
)

// scaleCtx turns the cleaned decimal into rao. Its precision holds the
// longest amount the scanner lets through (11 integer digits and 9
// decimals) with a digit to spare, and it traps Inexact and Rounded on top
// of the defaults, so any rounding, which the scanner rules out, would be
// an error and never a silently different amount. It is only read, which
// apd documents as safe for concurrent use.
var scaleCtx = apd.Context{
	Precision:   maxIntDigits + raoDecimals + 1,
	MaxExponent: apd.MaxExponent,
	MinExponent: apd.MinExponent,
	Traps:       apd.DefaultTraps | apd.Inexact | apd.Rounded,
	Rounding:    apd.RoundDown,
}

// parseRao parses s as an amount in whole units (TAO, or alpha) with up to
// 9 decimals and returns it in rao. The form is
//
//	[LRM] [sym] number [LRM]   or   [LRM] number [sym] [LRM]
//
// where number is digits, optionally grouped in threes by commas, and an
// optional fraction ".digits". Nothing else is allowed, whitespace
// included: some subnet symbols (U+1680 OGHAM SPACE MARK) are Unicode
// spaces, so trimming would eat them. what names the type in errors.
//
// Checks run in a fixed order, so every input has one answer: syntax, then
// sign, then decimals, then range.
func parseRao(s, sym, what string) (uint64, error) {
	body := strings.TrimPrefix(s, lrm)
	body = strings.TrimSuffix(body, lrm)
	if rest, ok := strings.CutPrefix(body, sym); ok {
		body = rest
	} else if rest, ok := strings.CutSuffix(body, sym); ok {
		body = rest
	}
	// The Python SDK writes a negative balance as "τ-0.000000001": the
	// sign comes after a prefix symbol, so it is looked for here.
	neg := false
	if rest, ok := strings.CutPrefix(body, "-"); ok {
		neg, body = true, rest
	}
	intPart, frac, hasPoint := strings.Cut(body, ".")
	if !validInt(intPart) || (hasPoint && !allDigits(frac)) {
		return 0, parseError(ErrSyntax, what, s)
	}
	if neg {
		return 0, parseError(ErrNegative, what, s)
	}
	if len(frac) > raoDecimals {
		return 0, parseError(ErrTooManyDecimals, what, s)
	}

	// Clean the number into plain "digits[.digits]" for apd: no commas,
	// no leading zeros (which may be arbitrarily many), so its length is
	// bounded before anything is allocated.
	var buf [maxIntDigits + 1 + raoDecimals]byte
	clean := buf[:0]
	for i := 0; i < len(intPart); i++ {
		c := intPart[i]
		if c == ',' || (c == '0' && len(clean) == 0) {
			continue
		}
		if len(clean) == maxIntDigits {
			return 0, parseError(ErrOverflow, what, s)
		}
		clean = append(clean, c)
	}
	if len(clean) == 0 {
		clean = append(clean, '0')
	}
	if len(frac) > 0 {
		clean = append(clean, '.')
		clean = append(clean, frac...)
	}

	var d apd.Decimal
	if _, _, err := scaleCtx.SetString(&d, string(clean)); err != nil {
		return 0, parseError(ErrSyntax, what, s)
	}
	// Quantizing to exponent -9 makes the coefficient the amount in rao;
	// with at most 9 decimals it only multiplies, so it is exact.
	if _, err := scaleCtx.Quantize(&d, &d, -raoDecimals); err != nil {
		return 0, parseError(ErrSyntax, what, s)
	}
	if !d.Coeff.IsUint64() {
		return 0, parseError(ErrOverflow, what, s)
	}
	return d.Coeff.Uint64(), nil
}

// validInt reports whether s is a non-empty run of digits, either plain or
// grouped by commas as 1–3 digits followed by groups of exactly 3
// ("1,234,567"; not "1,23" nor ",123").
func validInt(s string) bool {
	if !strings.Contains(s, ",") {
		return allDigits(s)
	}
	first, rest, _ := strings.Cut(s, ",")
	if len(first) > 3 || !allDigits(first) {
		return false
	}
	for {
		group, after, more := strings.Cut(rest, ",")
		if len(group) != 3 || !allDigits(group) {
			return false
		}
		if !more {
			return true
		}
		rest = after
	}
}

// allDigits reports whether s is non-empty and only ASCII digits.
func allDigits[T string | []byte](s T) bool {
	if len(s) == 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseRaoInt parses b as a plain JSON integer of rao: ASCII digits only,
// no sign, point or exponent. It never goes through float64.
func parseRaoInt(b []byte, what string) (uint64, error) {
	if len(b) > 0 && b[0] == '-' && allDigits(b[1:]) {
		return 0, parseError(ErrNegative, what, string(b))
	}
	// JSON forbids leading zeros; refusing them keeps one spelling per
	// value.
	if !allDigits(b) || (len(b) > 1 && b[0] == '0') {
		return 0, parseError(ErrSyntax, what, string(b))
	}
	var v uint64
	for _, c := range b {
		d := uint64(c - '0')
		if v > (^uint64(0)-d)/10 {
			return 0, parseError(ErrOverflow, what, string(b))
		}
		v = v*10 + d
	}
	return v, nil
}
