package consensus_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
)

// benchInput is a subnet of n uids where 64 permitted validators set
// weights on every uid, Yuma 3 with liquid alpha on, bonds from one
// previous epoch.
func benchInput(tb testing.TB, n int) consensus.Input {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	const v = 64
	in := consensus.Input{
		N:                         uint16(n),
		CurrentBlock:              1000,
		Tempo:                     360,
		ActivityCutoffFactorMilli: consensus.DefaultActivityCutoffFactorMilli,
		LastUpdate:                make([]uint64, n),
		BlockAtRegistration:       make([]uint64, n),
		AlphaStake:                make([]units.Alpha, n),
		ValidatorPermit:           make([]bool, n),
		MaxAllowedValidators:      v,
		Kappa:                     consensus.DefaultKappa,
		BondsPenalty:              consensus.DefaultBondsPenalty,
		BondsMovingAverage:        consensus.DefaultBondsMovingAverage,
		Yuma3:                     true,
		LiquidAlpha:               true,
		AlphaLow:                  consensus.DefaultAlphaLow,
		AlphaHigh:                 consensus.DefaultAlphaHigh,
		AlphaSigmoidSteepness:     consensus.DefaultAlphaSigmoidSteepness,
		Weights:                   make([][]consensus.Entry, n),
		Bonds:                     make([][]consensus.Entry, n),
		Emission:                  1_000_000_000_000,
	}
	for i := range n {
		in.LastUpdate[i] = 990
		in.BlockAtRegistration[i] = 10
	}
	for i := range v {
		in.AlphaStake[i] = units.Alpha(1e12 + r.Uint64N(1e13))
		in.ValidatorPermit[i] = true
		row := make([]consensus.Entry, n)
		for j := range n {
			row[j] = consensus.Entry{UID: units.UID(j), Value: uint16(r.UintN(65536))}
		}
		in.Weights[i] = row
	}
	out, err := consensus.Epoch(in)
	if err != nil {
		tb.Fatal(err)
	}
	in.Bonds = out.Bonds
	return in
}

func BenchmarkEpoch(b *testing.B) {
	for _, n := range []int{256, 1024, 4096} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			in := benchInput(b, n)
			var ws consensus.Workspace
			var out consensus.Output
			// Grow the buffers once: the steady state allocates nothing.
			if err := ws.Epoch(&in, &out); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := ws.Epoch(&in, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestEpochAllocs(t *testing.T) {
	in := benchInput(t, 256)
	var ws consensus.Workspace
	var out consensus.Output
	if err := ws.Epoch(&in, &out); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(20, func() {
		if err := ws.Epoch(&in, &out); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Workspace.Epoch allocates %v times per run after warm-up, want 0", allocs)
	}
}

// BenchmarkValidate is the check every epoch starts with, on the same
// subnets as BenchmarkEpoch.
func BenchmarkValidate(b *testing.B) {
	for _, n := range []int{256, 4096} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			in := benchInput(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if err := in.Validate(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
