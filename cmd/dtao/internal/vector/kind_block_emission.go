package vector

import (
	"encoding/json"

	"github.com/dtao-go/dtao/emission"
)

// blockEmission answers kind "block_emission" (spec/emission.md §1):
// input {"issuance": u64}, output {"emission": u64}.
func blockEmission(raw json.RawMessage) (any, error) {
	var in struct {
		Issuance uint64 `json:"issuance"`
	}
	if err := decodeInput(raw, &in, "issuance"); err != nil {
		return nil, err
	}
	return struct {
		Emission uint64 `json:"emission"`
	}{emission.BlockEmission(in.Issuance)}, nil
}
