package units_test

import (
	"errors"
	"math/big"
	"regexp"
	"strings"

	"github.com/dtao-go/dtao/units"
)

// amountRE is the accepted grammar written independently of the parser:
// optional LRM, optional prefix symbol P, optional minus, an integer part
// (plain or comma-grouped), an optional fraction, optional suffix symbol S,
// optional LRM. P and S are substituted by the symbol.
const amountRE = `^\x{200e}?(P)?(-)?([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?(S)?\x{200e}?$`

var raoPerTAOBig = big.NewRat(units.RaoPerTAO, 1)

// refParse is the slow, obviously correct model of parseRao: a regular
// expression for the syntax and big.Rat for the value, checked in the
// documented order (syntax, sign, decimals, range).
func refParse(s, sym string) (uint64, error) {
	q := regexp.QuoteMeta(sym)
	re := regexp.MustCompile(strings.NewReplacer("(P)", "("+q+")", "(S)", "("+q+")").Replace(amountRE))
	m := re.FindStringSubmatch(s)
	if m == nil || (m[1] != "" && m[5] != "") {
		return 0, units.ErrSyntax
	}
	if m[2] != "" {
		return 0, units.ErrNegative
	}
	if len(m[4]) > 9 {
		return 0, units.ErrTooManyDecimals
	}
	num := strings.ReplaceAll(m[3], ",", "")
	if m[4] != "" {
		num += "." + m[4]
	}
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		panic("reference: regexp let through " + num)
	}
	r.Mul(r, raoPerTAOBig)
	if !r.IsInt() {
		panic("reference: non-integer rao for " + num)
	}
	if !r.Num().IsUint64() {
		return 0, units.ErrOverflow
	}
	return r.Num().Uint64(), nil
}

// sameOutcome reports whether a parser's result matches the reference's:
// the same value, or errors wrapping the same sentinel.
func sameOutcome(got uint64, gotErr error, want uint64, wantErr error) bool {
	if wantErr != nil {
		return errors.Is(gotErr, wantErr)
	}
	return gotErr == nil && got == want
}
