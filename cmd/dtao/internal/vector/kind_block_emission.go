package vector

import (
	"encoding/json"

	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/units"
)

// blockEmission answers kind "block_emission", the TAO per block for an
// issuance (get_block_emission_for_issuance,
// pallets/subtensor/src/coinbase/block_emission.rs) through
// emission.BlockEmission: input {"issuance": u64}, output {"emission": u64},
// both in rao.
func blockEmission(raw json.RawMessage) (any, error) {
	var in struct {
		Issuance uint64 `json:"issuance"`
	}
	if err := decodeInput(raw, &in, "issuance"); err != nil {
		return nil, err
	}
	return struct {
		Emission uint64 `json:"emission"`
	}{emission.BlockEmission(units.TAO(in.Issuance)).Rao()}, nil
}
