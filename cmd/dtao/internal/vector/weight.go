package vector

import "github.com/dtao-go/dtao/fixed"

// quoteWeight reads a pool's quote weight w2, given as a u64 in parts of
// 1e18. Values above 1e18 are clamped to 1e18, as Perquintill::from_parts
// does when the chain (or a test) builds a Balancer from raw parts.
func quoteWeight(parts uint64) fixed.Perquintill {
	return fixed.PerquintillFromParts(parts)
}
