package bigpow

import (
	"errors"

	"github.com/dtao-go/dtao/units"
)

// ErrPowUndefined reports an input for which safe-bigmath's pow_ratio_scaled
// returns None: a zero base denominator, a zero exponent denominator, or a
// negative argument. Pow and PowBig report it as ok == false; callers that
// need an error value (the conformance runner) use this sentinel. It is a
// *units.ChainError, the module's one chain-error type, whose ChainName is
// "PowUndefined".
var ErrPowUndefined = units.NewChainError("bigpow", "PowUndefined", "pow_ratio_scaled is undefined for these arguments")

// ErrExactTooLarge reports an input on the exact path whose intermediates
// would exceed MaxExactBits bits. The crate has no such limit (it computes
// for as long as it takes); PowLimited refuses instead, wrapping this
// sentinel with the size.
var ErrExactTooLarge = errors.New("bigpow: exact path intermediates exceed the size limit")
