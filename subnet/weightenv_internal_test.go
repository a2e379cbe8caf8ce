package subnet

import (
	"reflect"
	"testing"
)

// refWeightEnv is weightEnv as a composite literal, the form
// fillWeightEnv replaced.
func refWeightEnv(s *Subnet, block, epoch uint64) WeightEnv {
	return WeightEnv{
		NetUID: s.NetUID, N: s.N(), Block: block, Epoch: epoch,
		ValidatorPermit:     s.validatorPermit,
		StakeThreshold:      s.Globals.StakeThreshold,
		CommitRevealVersion: s.Globals.CommitRevealVersion,
		Hyper:               s.Hyperparameters,
		owners:              s,
	}
}

// fillWeightEnv (and weightEnv through it) sets every field
// refWeightEnv sets, to the same values, on a subnet of the ledger
// benchmark's shape whose hyperparameters and globals differ from their
// defaults and on a smaller one with its defaults, at a zero and at
// extreme moments.
func TestFillWeightEnv(t *testing.T) {
	shaped := newLedgerShape(t, 256, 64).s
	h := &shaped.Hyperparameters
	h.CommitRevealWeightsEnabled, h.MinAllowedWeights, h.WeightsVersionKey = true, 7, 1<<40
	h.EmissionSplit[3], h.EmissionSplitLen, h.MechanismCount = 99, 4, 2
	shaped.Globals = Globals{StakeThreshold: 1<<63 + 5, TaoWeight: 3, CommitRevealVersion: 9}
	fresh := newLedgerShape(t, 64, 4).s
	for _, s := range []*Subnet{shaped, fresh} {
		for _, at := range [][2]uint64{{0, 0}, {1000, 3}, {1<<64 - 1, 1<<64 - 1}} {
			want := refWeightEnv(s, at[0], at[1])
			var got WeightEnv
			s.fillWeightEnv(&got, at[0], at[1])
			if !reflect.DeepEqual(got, want) || got.owners != want.owners {
				t.Fatalf("netuid %d at %v: %+v, literal %+v", s.NetUID, at, got, want)
			}
			if env := s.weightEnv(at[0], at[1]); !reflect.DeepEqual(env, want) {
				t.Fatalf("netuid %d at %v: weightEnv %+v, literal %+v", s.NetUID, at, env, want)
			}
		}
	}
}
