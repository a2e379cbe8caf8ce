package consensus_test

import (
	"fmt"
	"math"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
)

// Three validators with 1 alpha each weigh two miners (uids 3 and 4); the
// majority puts all weight on uid 3 (tests/epoch_logs.rs
// test_validators_weight_two_distinct_servers).
func ExampleEpoch() {
	in := consensus.NewInput(5) // a new subnet's hyperparameters
	in.CurrentBlock, in.Tempo, in.Emission = 1, 10, 1_000_000_000
	in.Yuma3 = false // the original bonds
	copy(in.LastUpdate, []uint64{1, 1, 1, 1, 1})
	copy(in.AlphaStake, []units.Alpha{1e9, 1e9, 1e9, 0, 0})
	copy(in.ValidatorPermit, []bool{true, true, true, false, false})
	in.Weights[0] = []consensus.Entry{{UID: 3, Value: 65535}, {UID: 4, Value: 0}}
	in.Weights[1] = []consensus.Entry{{UID: 3, Value: 0}, {UID: 4, Value: 65535}}
	in.Weights[2] = []consensus.Entry{{UID: 3, Value: 65535}, {UID: 4, Value: 0}}
	out, err := consensus.Epoch(in)
	if err != nil {
		panic(err)
	}
	fmt.Println("consensus:", out.Consensus)
	fmt.Println("incentive:", out.Incentive)
	fmt.Println("dividends:", out.Dividends)
	fmt.Printf("miners:     %d rao\n", out.ServerEmission)
	fmt.Printf("validators: %d rao\n", out.ValidatorEmission)
	fmt.Println("uid 3 earns", out.ServerEmission[3].Decimal(), "alpha")
	fmt.Println("bonds of uid 0:", out.Bonds[0])
	// Output:
	// consensus: [0 0 0 65535 0]
	// incentive: [0 0 0 65535 0]
	// dividends: [32767 0 32767 0 0]
	// miners:     [0 0 0 500000000 0] rao
	// validators: [250000000 0 250000000 0 0] rao
	// uid 3 earns 0.5 alpha
	// bonds of uid 0: [{3 65535}]
}

// The emission is split evenly over mechanisms, the remainder to mechanism 0.
func ExampleSplitEmission() {
	shares, err := consensus.SplitEmission(nil, units.Alpha(10), 4, nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d rao\n", shares)
	// Output: [4 2 2 2] rao
}

// A parent with 1000 alpha delegates half of it to a child hotkey
// (ChildKeys proportion u64::MAX/2); the chain floors both sides in U96F32.
func ExampleInherited() {
	half := uint64(math.MaxUint64 / 2)
	parent := consensus.Inherited(units.Alpha(1000), []consensus.Share[units.Alpha]{{Proportion: half}}, nil)
	child := consensus.Inherited(0, nil, []consensus.Share[units.Alpha]{{Stake: 1000, Proportion: half}})
	fmt.Printf("parent keeps %d rao, child inherits %d rao\n", parent, child)
	// Output: parent keeps 500 rao, child inherits 499 rao
}
