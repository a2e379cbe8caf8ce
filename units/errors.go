package units

import (
	"errors"
	"fmt"
)

// Sentinel errors of the parsers. None of them mirrors a chain error (the
// chain never parses decimal text), so they carry no ChainName. The parsers
// wrap them with the input, so test with errors.Is.
var (
	// ErrSyntax reports text that is not an amount: empty, a stray or
	// misplaced character, a wrong or doubled symbol, badly grouped
	// thousands separators, a missing digit around the decimal point, or a
	// JSON value that is not an integer.
	ErrSyntax = errors.New("units: invalid amount syntax")
	// ErrTooManyDecimals reports more than 9 digits after the decimal point
	// (finer than 1 rao), even when the extra digits are zeros.
	ErrTooManyDecimals = errors.New("units: more than 9 decimals")
	// ErrNegative reports a well-formed amount with a minus sign; amounts
	// are unsigned, and "-0" is refused too.
	ErrNegative = errors.New("units: negative amount")
	// ErrOverflow reports an amount above 2^64-1 rao
	// (18446744073.709551615).
	ErrOverflow = errors.New("units: amount overflows uint64 rao")
)

// maxQuoted bounds how much of a bad input an error message repeats, so a
// megabyte of garbage does not end up in a log line.
const maxQuoted = 64

// parseError wraps a sentinel with what was being parsed. It is built only
// on the failure path.
func parseError(sentinel error, what, input string) error {
	if len(input) > maxQuoted {
		input = input[:maxQuoted] + "..."
	}
	return fmt.Errorf("%w: parsing %s %q", sentinel, what, input)
}
