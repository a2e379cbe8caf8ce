package vector

import (
	"encoding/json"
	"maps"
	"slices"
)

// handler answers one case: it decodes raw (the case's "input" object) and
// returns the output object, or an error. A chain error prints as its chain
// name; a badVector error prints as "BadVector: ...".
type handler func(raw json.RawMessage) (any, error)

// kinds maps each case kind of docs/conformance.md to its handler. Each
// handler lives in kind_<name>.go.
var kinds = map[string]handler{
	"swap":             swapKind,
	"inject":           injectKind,
	"price":            priceKind,
	"block_emission":   blockEmission,
	"coinbase":         coinbase,
	"epoch":            epochKind,
	"ss58":             ss58Kind,
	"keypair":          keypairKind,
	"pow_ratio_scaled": powRatioScaledKind,
	"distribute":       distribute,
	"burn_price":       burnPrice,
	"prune":            prune,
	"share_pool":       sharePool,
	"lock_cost":        lockCost,
}

// Kinds returns the name of every kind the runner answers, sorted, as
// docs/conformance.md lists them.
func Kinds() []string {
	return slices.Sorted(maps.Keys(kinds))
}
