package vector

import "github.com/dtao-go/dtao/fixed"

// quoteWeight reads a pool's quote weight w2, given in parts of 1e18. A
// Perquintill above 1e18 cannot exist in chain storage (its SCALE decoding
// refuses it), so it is out of its type's range: BadVector.
func quoteWeight(parts uint64) (fixed.Perquintill, error) {
	if parts > fixed.PerquintillAccuracy {
		return 0, badVector("quote_weight %d exceeds 1e18", parts)
	}
	return fixed.Perquintill(parts), nil
}
