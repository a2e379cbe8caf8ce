package vector

import (
	"encoding/json"
	"errors"

	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

type pruneNeuronIn struct {
	UID                 uint16 `json:"uid"`
	BlockAtRegistration uint64 `json:"block_at_registration"`
	Emission            uint64 `json:"emission"`
	OwnedBySubnetOwner  bool   `json:"hotkey_owner_is_subnet_owner"`
	IsOwnerHotkey       bool   `json:"is_owner_hotkey"`
}

// prune answers kind "prune": the uid a registration on a full subnet
// replaces (get_neuron_to_prune and get_immune_owner_uids,
// pallets/subtensor/src/subnets/registration.rs) through
// subnet.NeuronToPrune and subnet.ImmuneOwnerUIDs. immune_owner_uids_limit
// defaults to 1 and min_non_immune_uids to 10, the chain's storage
// defaults; uids that are not exactly 0..n-1, or two owner hotkeys, are
// BadVector.
func prune(raw json.RawMessage) (any, error) {
	in := struct {
		Neurons          []json.RawMessage `json:"neurons"`
		CurrentBlock     uint64            `json:"current_block"`
		ImmunityPeriod   uint16            `json:"immunity_period"`
		ImmuneOwnerLimit uint16            `json:"immune_owner_uids_limit"`
		MinNonImmuneUids uint16            `json:"min_non_immune_uids"`
	}{ImmuneOwnerLimit: 1, MinNonImmuneUids: 10}
	if err := decodeInput(raw, &in, "neurons", "current_block", "immunity_period"); err != nil {
		return nil, err
	}
	if in.Neurons == nil {
		return nil, badVector("field \"neurons\" must be a list")
	}
	neurons := make([]subnet.Neuron, len(in.Neurons))
	for i, rawNeuron := range in.Neurons {
		var n pruneNeuronIn
		if err := decodeInput(rawNeuron, &n, "uid", "block_at_registration", "emission"); err != nil {
			return nil, badVector("neurons[%d]: %v", i, err)
		}
		neurons[i] = subnet.Neuron{
			UID:                 units.UID(n.UID),
			BlockAtRegistration: n.BlockAtRegistration,
			Emission:            units.Alpha(n.Emission),
			OwnedBySubnetOwner:  n.OwnedBySubnetOwner,
			IsOwnerHotkey:       n.IsOwnerHotkey,
		}
	}
	immortal, err := subnet.ImmuneOwnerUIDs(nil, neurons, in.ImmuneOwnerLimit)
	if errors.Is(err, subnet.ErrInvalidNeurons) {
		return nil, badVector("neurons: the uids must be exactly 0..n-1 and at most one neuron the owner hotkey")
	}
	if err != nil {
		return nil, err
	}
	uid, err := subnet.NeuronToPrune(neurons, in.CurrentBlock, subnet.PruneParams{
		ImmunityPeriod:       in.ImmunityPeriod,
		ImmuneOwnerUidsLimit: in.ImmuneOwnerLimit,
		MinNonImmuneUids:     in.MinNonImmuneUids,
	})
	if err != nil {
		return nil, err
	}
	out := struct {
		UID          uint16   `json:"uid"`
		ImmortalUIDs []uint16 `json:"immortal_uids"`
	}{UID: uint16(uid), ImmortalUIDs: make([]uint16, len(immortal))}
	for i, u := range immortal {
		out.ImmortalUIDs[i] = uint16(u)
	}
	return out, nil
}
