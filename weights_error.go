package dtao

import (
	"fmt"

	"github.com/dtao-go/dtao/units"
)

// weightsError is the error of a weight call (SetWeights, SetWeightsBatch,
// CommitWeights, RevealWeights, BatchRevealWeights): the call's name, its
// netuid and mechanism, and the subnet package's error, which it wraps
// (errors.Is, errors.As and units.ChainName see through it).
//
// Its text is made when read, not when the call fails: a network's
// validators that lost their permit keep calling set_weights, and a
// simulated year of sim.BenchConfig refuses 1.3 million such calls,
// where formatting each error at once (fmt.Errorf) cost 2.5% of the late
// blocks' time for texts that are counted, seldom printed.
type weightsError struct {
	op     string // the extrinsic's name
	netuid units.NetUID
	mech   uint8
	noMech bool // the call takes no mechanism (batch_reveal_weights)
	err    error
}

// Error is "op on netuid N mechanism M: err", without the mechanism for
// a call that takes none.
func (e *weightsError) Error() string {
	if e.noMech {
		return fmt.Sprintf("%s on netuid %d: %v", e.op, e.netuid, e.err)
	}
	return fmt.Sprintf("%s on netuid %d mechanism %d: %v", e.op, e.netuid, e.mech, e.err)
}

// Unwrap returns the subnet package's error.
func (e *weightsError) Unwrap() error { return e.err }
