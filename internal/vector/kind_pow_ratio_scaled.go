package vector

import (
	"encoding/json"
	"math/big"

	"github.com/holiman/uint256"

	"github.com/dtao-go/dtao/internal/bigpow"
)

// maxPowPrecisionBits bounds the fallback precision this runner computes:
// the series cost grows with the square of the precision, and the crate
// itself has no bound (it runs out of memory instead).
const maxPowPrecisionBits = 1 << 16

// powRatioScaledKind answers kind "pow_ratio_scaled" (spec/amm.md §1.3):
// safe-bigmath's pow_ratio_scaled on unbounded non-negative integers given
// as decimal strings. Arguments in the AMM's range go through bigpow.Pow,
// the rest (and results outside u64) through the math/big reference.
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
	type output struct {
		Result string `json:"result"`
	}
	if bn.BitLen() <= 128 && bd.BitLen() <= 128 && en.IsUint64() && ed.IsUint64() && scale.IsUint64() {
		var b1, b2 uint256.Int
		b1.SetFromBig(bn)
		b2.SetFromBig(bd)
		r, overflow, ok := bigpow.Pow(&b1, &b2, en.Uint64(), ed.Uint64(), in.Precision, scale.Uint64())
		if !ok {
			return nil, bigpow.ErrPowUndefined
		}
		// Pow reports results beyond u64 as overflow and negative ones as 0:
		// only those need the reference for the exact integer.
		if !overflow && r != 0 {
			return output{new(big.Int).SetUint64(r).String()}, nil
		}
	}
	r, ok := bigpow.PowBig(bn, bd, en, ed, in.Precision, scale)
	if !ok {
		return nil, bigpow.ErrPowUndefined
	}
	return output{r.String()}, nil
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
