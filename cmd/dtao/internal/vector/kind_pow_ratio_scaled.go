package vector

import (
	"encoding/json"
	"errors"
	"math/big"

	"github.com/dtao-go/dtao/internal/bigpow"
)

// maxPowPrecisionBits bounds the fallback precision this runner computes:
// the series cost grows with the square of the precision, and the crate
// itself has no bound (it runs out of memory instead).
const maxPowPrecisionBits = 1 << 16

// powRatioScaledKind answers kind "pow_ratio_scaled":
// safe-bigmath's pow_ratio_scaled on unbounded non-negative integers given
// as decimal strings, through bigpow.PowLimited. Two bounds keep every line
// cheap, and inputs beyond them are BadVector:
//
//   - the fallback path's precision max(precision, bitlen(scale)+8) is at
//     most maxPowPrecisionBits;
//   - the exact path's intermediates, estimated as
//     max(en·bitlen(bn) + ed·bitlen(scale), en·bitlen(bd)) bits for the
//     reduced exponent en/ed, are at most bigpow.MaxExactBits (524288).
func powRatioScaledKind(raw json.RawMessage) (any, error) {
	var in struct {
		BN        string `json:"bn"`
		BD        string `json:"bd"`
		EN        string `json:"en"`
		ED        string `json:"ed"`
		Precision uint32 `json:"precision"`
		Scale     string `json:"scale"`
	}
	if err := decodeInput(raw, &in, "bn", "bd", "en", "ed", "precision", "scale"); err != nil {
		return nil, err
	}
	var args [5]*big.Int
	for i, f := range []struct{ name, s string }{{"bn", in.BN}, {"bd", in.BD}, {"en", in.EN}, {"ed", in.ED}, {"scale", in.Scale}} {
		v, err := parseNonNegative(f.name, f.s)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	bn, bd, en, ed, scale := args[0], args[1], args[2], args[3], args[4]
	if p := max(uint64(in.Precision), uint64(scale.BitLen())+8); p > maxPowPrecisionBits && takesFallback(bn, bd, en, ed) {
		return nil, badVector("fallback precision of %d bits exceeds this runner's limit of %d", p, maxPowPrecisionBits)
	}
	r, err := bigpow.PowLimited(bn, bd, en, ed, in.Precision, scale)
	switch {
	case errors.Is(err, bigpow.ErrExactTooLarge):
		return nil, badVector("%v", err)
	case err != nil:
		return nil, err
	}
	return struct {
		Result string `json:"result"`
	}{r.String()}, nil
}

// parseNonNegative parses a plain decimal integer >= 0 (digits only, no
// sign, no spaces); anything else is BadVector.
func parseNonNegative(name, s string) (*big.Int, error) {
	if s == "" {
		return nil, badVector("field %q: empty integer", name)
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return nil, badVector("field %q: %q is not a non-negative decimal integer", name, s)
		}
	}
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return nil, badVector("field %q: %q is not a non-negative decimal integer", name, s)
	}
	return v, nil
}

// takesFallback reports whether the crate reaches its ln/exp path: the
// arguments are defined, bn and en are non-zero, and the reduced exponent
// has a term above 1024.
func takesFallback(bn, bd, en, ed *big.Int) bool {
	if bn.Sign() == 0 || bd.Sign() == 0 || en.Sign() == 0 || ed.Sign() == 0 {
		return false
	}
	g := new(big.Int).GCD(nil, nil, en, ed)
	limit := big.NewInt(1024)
	return new(big.Int).Quo(en, g).Cmp(limit) > 0 || new(big.Int).Quo(ed, g).Cmp(limit) > 0
}
