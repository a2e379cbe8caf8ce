package subnet_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// A new subnet's hyperparameters, as register_network leaves them.
func ExampleDefaultHyperparameters() {
	h := subnet.DefaultHyperparameters()
	fmt.Println("tempo", h.Tempo, "max uids", h.MaxAllowedUids, "validators", h.MaxAllowedValidators)
	fmt.Println("immunity", h.ImmunityPeriod, "yuma3", h.Yuma3On, "commit-reveal", h.CommitRevealWeightsEnabled)
	fmt.Println("burn half-life", h.BurnHalfLife, "mult", h.BurnIncreaseMult, "min", h.MinBurn, "max", h.MaxBurn)
	fmt.Println("activity cutoff", h.ActivityCutoffBlocks(), "blocks")
	// Output:
	// tempo 360 max uids 256 validators 64
	// immunity 5000 yuma3 true commit-reveal true
	// burn half-life 360 mult 1.2600000000000000088817841970012523233890533447265625 min τ0.000500000 max τ100.000000000
	// activity cutoff 5000 blocks
}

// A setter refuses a value out of range, or an origin without the right,
// with the chain's error, and changes nothing.
func ExampleHyperparameters_SetTempo() {
	h := subnet.DefaultHyperparameters()
	err := h.SetTempo(subnet.OriginOwner, 100)
	fmt.Println(units.ChainName(err), errors.Is(err, subnet.ErrTempoOutOfBounds), h.Tempo)
	err = h.SetKappa(subnet.OriginOwner, 40_000) // kappa is root's
	fmt.Println(units.ChainName(err), h.Kappa)
	fmt.Println(h.SetTempo(subnet.OriginRoot, 100), h.Tempo)
	// Output:
	// TempoOutOfBounds true 360
	// BadOrigin 32767
	// <nil> 100
}

// The registration price of a new subnet: three registrations in one
// block, then a day of decay.
func ExampleBurnRule() {
	h := subnet.DefaultHyperparameters()
	rule := h.BurnRule()
	burn := subnet.NewSubnetBurn
	for range 3 {
		fmt.Println("pay", burn)
		burn = rule.Bump(burn)
	}
	fmt.Println("after 7200 blocks", rule.DecayBlocks(burn, 7_200))
	// Output:
	// pay τ1.000000000
	// pay τ1.260000000
	// pay τ1.587600000
	// after 7200 blocks τ0.000500000
}

// Which neuron a registration on a full subnet replaces: the owner hotkey
// is immortal, and the lowest emission among the rest goes.
func ExampleNeuronToPrune() {
	neurons := []subnet.Neuron{
		{UID: 0, BlockAtRegistration: 10, Emission: 0, OwnedBySubnetOwner: true, IsOwnerHotkey: true},
		{UID: 1, BlockAtRegistration: 20, Emission: 500},
		{UID: 2, BlockAtRegistration: 30, Emission: 120},
		{UID: 3, BlockAtRegistration: 9_000, Emission: 0}, // still immune
	}
	h := subnet.DefaultHyperparameters()
	h.MinNonImmuneUids = 1
	uid, err := subnet.NeuronToPrune(neurons, 10_000, h.PruneParams())
	fmt.Println(uid, err)
	immortal, _ := subnet.ImmuneOwnerUIDs(nil, neurons, h.ImmuneOwnerUidsLimit)
	fmt.Println(immortal)
	// Output:
	// 2 <nil>
	// [0]
}

// A snapshot carries a subnet as its Storage: written with Subnet.Storage,
// encoded as JSON, read back with FromStorage into an Equal subnet.
// FromStorage refuses storage no subnet holds, naming the field.
func ExampleFromStorage() {
	var owner, ownerHotkey units.AccountID
	owner[0], ownerHotkey[0] = 1, 2
	s, err := subnet.New(1, owner, ownerHotkey, amm.NewPool(1e12, 1e12), 100)
	if err != nil {
		panic(err)
	}
	data, err := json.Marshal(s.Storage())
	if err != nil {
		panic(err)
	}
	var st subnet.Storage
	if err := json.Unmarshal(data, &st); err != nil {
		panic(err)
	}
	back, err := subnet.FromStorage(st)
	fmt.Println(err, back.Equal(s), back.N(), st.BlockAtRegistration)

	st.Active = nil // N = 1 hotkey, but no Active entry
	_, err = subnet.FromStorage(st)
	fmt.Println(errors.Is(err, subnet.ErrInvalidStorage))
	fmt.Println(err)
	// Output:
	// <nil> true 1 [100]
	// true
	// subnet: invalid storage: Active: 0 entries, want N = 1 (the length of Keys)
}
