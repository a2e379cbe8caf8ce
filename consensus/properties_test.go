package consensus_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// genInput draws a well-formed input: every vector of length n, weight and
// bond rows sorted by uid without duplicates.
func genInput(t *rapid.T, distinctStake bool) consensus.Input {
	n := rapid.IntRange(1, 12).Draw(t, "n")
	in := consensus.Input{
		N:                         uint16(n),
		CurrentBlock:              rapid.Uint64Range(0, 20_000).Draw(t, "block"),
		Tempo:                     rapid.Uint16Range(0, 400).Draw(t, "tempo"),
		ActivityCutoffFactorMilli: rapid.Uint32Range(1000, 50_000).Draw(t, "cutoff"),
		TaoWeight:                 rapid.Uint64().Draw(t, "tw"),
		StakeThreshold:            rapid.Uint64Range(0, 1000).Draw(t, "threshold"),
		MaxAllowedValidators:      rapid.Uint16Range(0, uint16(n+1)).Draw(t, "k"),
		Kappa:                     rapid.Uint16().Draw(t, "kappa"),
		BondsPenalty:              rapid.SampledFrom([]uint16{0, 32767, 65535, 1000}).Draw(t, "bp"),
		BondsMovingAverage:        rapid.Uint64Range(0, 1_000_000).Draw(t, "bma"),
		Yuma3:                     rapid.Bool().Draw(t, "yuma3"),
		LiquidAlpha:               rapid.Bool().Draw(t, "la"),
		AlphaLow:                  rapid.Uint16Range(1638, 40000).Draw(t, "alo"),
		AlphaSigmoidSteepness:     rapid.Int16().Draw(t, "steep"),
		LastMechanismStepBlock:    rapid.Uint64Range(0, 20_000).Draw(t, "lms"),
		Emission:                  units.Alpha(rapid.Uint64().Draw(t, "emission")),
	}
	in.AlphaHigh = rapid.Uint16Range(in.AlphaLow, 65535).Draw(t, "ahi")
	if rapid.Bool().Draw(t, "owner") {
		in.HasOwner, in.OwnerUID = true, units.UID(rapid.IntRange(0, n-1).Draw(t, "owneruid"))
	}
	if distinctStake {
		// Stakes far enough apart that their normalised I32F32 values
		// differ too (ties at the top-k boundary go to the higher uid).
		in.AlphaStake = alphas(rapid.SliceOfNDistinct(rapid.Uint64Range(1, 1e6), n, n, rapid.ID).Draw(t, "alpha")...)
		for i := range in.AlphaStake {
			in.AlphaStake[i] *= 1e9
		}
		in.TaoStake = make([]units.TAO, n)
	} else {
		in.AlphaStake = alphas(rapid.SliceOfN(rapid.Uint64Range(0, 1e15), n, n).Draw(t, "alpha")...)
		in.TaoStake = taos(rapid.SliceOfN(rapid.Uint64Range(0, 1e15), n, n).Draw(t, "tao")...)
	}
	in.LastUpdate = rapid.SliceOfN(rapid.Uint64Range(0, 20_000), n, n).Draw(t, "lu")
	in.BlockAtRegistration = rapid.SliceOfN(rapid.Uint64Range(0, 20_000), n, n).Draw(t, "reg")
	in.ValidatorPermit = rapid.SliceOfN(rapid.Bool(), n, n).Draw(t, "permit")
	if rapid.Bool().Draw(t, "cr") {
		in.CommitBlocks = rapid.SliceOfN(rapid.Uint64Range(0, 20_000), n, n).Draw(t, "commit")
	}
	row := func(label string) []consensus.Entry {
		uids := rapid.SliceOfNDistinct(rapid.IntRange(0, n-1), 0, n, rapid.ID).Draw(t, label+"uids")
		slices.Sort(uids)
		r := make([]consensus.Entry, len(uids))
		for k, j := range uids {
			r[k] = consensus.Entry{UID: units.UID(j), Value: rapid.Uint16().Draw(t, label)}
		}
		return r
	}
	in.Weights = make([][]consensus.Entry, n)
	in.Bonds = make([][]consensus.Entry, n)
	for i := range n {
		in.Weights[i] = row("w")
		in.Bonds[i] = row("b")
	}
	return in
}

func run(t *rapid.T, in consensus.Input) consensus.Output {
	// genInput draws BondsMovingAverage within [0, 1e6], far below the
	// overflow of the Yuma 3 rate, so every epoch here must succeed.
	out, err := consensus.Epoch(in)
	if err != nil {
		t.Fatalf("Epoch: %v", err)
	}
	return out
}

func sum16(x []uint16) int {
	s := 0
	for _, v := range x {
		s += int(v)
	}
	return s
}

// Incentive and dividends are normalised: when anything is earned their u16
// sum is 65535 less at most one unit of quantisation per uid (plus one for
// the truncated normalisation).
func TestPropertyNormalised(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t, false)
		out := run(t, in)
		n := int(in.N)
		for name, v := range map[string][]uint16{"incentive": out.Incentive, "dividends": out.Dividends} {
			s := sum16(v)
			if s > 65535 {
				t.Fatalf("%s sums to %d > 65535: %v", name, s, v)
			}
			if s > 0 && s < 65535-n-1 {
				t.Fatalf("%s sums to %d, want within %d of 65535: %v", name, s, n+1, v)
			}
		}
	})
}

// Server plus validator emission never exceeds the emission given.
func TestPropertyEmissionBounded(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t, false)
		out := run(t, in)
		var total, comb units.Alpha
		for i := range out.ServerEmission {
			total += out.ServerEmission[i] + out.ValidatorEmission[i]
			comb += out.Emission[i]
			if total < out.ServerEmission[i] {
				t.Fatal("emission sum overflowed")
			}
		}
		if total > in.Emission || comb > in.Emission {
			t.Fatalf("server+validator = %d, combined = %d, emission = %d", total, comb, in.Emission)
		}
	})
}

// A validator without stake earns no dividends: always under Yuma 3 (D =
// t·A), and under the original path when it holds no previous bonds (there
// dividends follow bonds: run_epoch.rs epoch_mechanism, matmul_transpose_sparse).
func TestPropertyNoStakeNoDividends(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t, false)
		i := rapid.IntRange(0, int(in.N)-1).Draw(t, "victim")
		in.AlphaStake[i], in.TaoStake[i] = 0, 0
		if !in.Yuma3 {
			in.Bonds[i] = nil
		}
		out := run(t, in)
		if out.Dividends[i] != 0 || out.ValidatorEmission[i] != 0 {
			t.Fatalf("uid %d without stake: dividends %d, validator emission %d", i, out.Dividends[i], out.ValidatorEmission[i])
		}
	})
}

// Relabelling uids permutes every output and changes nothing else (stakes
// distinct, so that no tie sits at the top-k boundary; rows sorted).
func TestPropertyRelabel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t, true)
		n := int(in.N)
		perm := rapid.Permutation(seqInts(n)).Draw(t, "perm")
		out := run(t, in)
		rin := relabel(in, perm)
		rout := run(t, rin)
		for i := range n {
			p := perm[i]
			if out.Consensus[i] != rout.Consensus[p] || out.Incentive[i] != rout.Incentive[p] ||
				out.Dividends[i] != rout.Dividends[p] || out.ValidatorTrust[i] != rout.ValidatorTrust[p] ||
				out.StakeWeight[i] != rout.StakeWeight[p] || out.Emission[i] != rout.Emission[p] ||
				out.ServerEmission[i] != rout.ServerEmission[p] || out.ValidatorEmission[i] != rout.ValidatorEmission[p] ||
				out.ValidatorPermit[i] != rout.ValidatorPermit[p] || out.Active[i] != rout.Active[p] {
				t.Fatalf("uid %d -> %d: outputs differ", i, p)
			}
			want := mapRow(out.Bonds[i], perm)
			if !slices.Equal(want, rout.Bonds[p]) {
				t.Fatalf("bonds of uid %d -> %d: %v, relabelled %v", i, p, want, rout.Bonds[p])
			}
		}
	})
}

func seqInts(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func mapRow(r []consensus.Entry, perm []int) []consensus.Entry {
	out := make([]consensus.Entry, len(r))
	for k, e := range r {
		out[k] = consensus.Entry{UID: units.UID(perm[e.UID]), Value: e.Value}
	}
	slices.SortFunc(out, func(a, b consensus.Entry) int { return int(a.UID) - int(b.UID) })
	return out
}

// permute moves v[i] to perm[i] (nil stays nil).
func permute[T any](v []T, perm []int) []T {
	if v == nil {
		return nil
	}
	r := make([]T, len(perm))
	for i := range perm {
		r[perm[i]] = v[i]
	}
	return r
}

// relabel moves uid i to perm[i] everywhere.
func relabel(in consensus.Input, perm []int) consensus.Input {
	n := len(perm)
	out := in
	out.LastUpdate = permute(in.LastUpdate, perm)
	out.BlockAtRegistration = permute(in.BlockAtRegistration, perm)
	out.AlphaStake = permute(in.AlphaStake, perm)
	out.TaoStake = permute(in.TaoStake, perm)
	out.CommitBlocks = permute(in.CommitBlocks, perm)
	out.ValidatorPermit = make([]bool, n)
	out.Weights = make([][]consensus.Entry, n)
	out.Bonds = make([][]consensus.Entry, n)
	for i := range n {
		out.ValidatorPermit[perm[i]] = in.ValidatorPermit[i]
		out.Weights[perm[i]] = mapRow(in.Weights[i], perm)
		out.Bonds[perm[i]] = mapRow(in.Bonds[i], perm)
	}
	if in.HasOwner {
		out.OwnerUID = units.UID(perm[in.OwnerUID])
	}
	return out
}

// An epoch never panics, whatever the shape of its input. An input of a
// shape the chain can hold (short LastUpdate, ValidatorPermit and
// CommitBlocks, no TaoStake, duplicate cells, unsorted rows, degenerate
// hyperparameters) is accepted; an input of any shape (ragged vectors, rows
// beyond n, out-of-range uids and values) is refused exactly when
// Input.Validate refuses it.
func TestPropertyAnyShape(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		raw := rapid.Bool().Draw(t, "raw")
		in := genShapeless(t, raw)
		verr := in.Validate()
		if !raw && verr != nil {
			t.Fatalf("an input the chain can hold is refused: %v", verr)
		}
		out, err := consensus.Epoch(in)
		if verr != nil {
			if !errors.Is(err, consensus.ErrInvalidInput) || err.Error() != verr.Error() {
				t.Fatalf("Epoch returned %v where Validate returned %v", err, verr)
			}
			return
		}
		if err != nil && !errors.Is(err, consensus.ErrBondsMovingAverageOverflow) {
			t.Fatalf("unexpected error %v", err)
		}
		if err == nil && (len(out.Incentive) != int(in.N) || len(out.Bonds) != int(in.N)) {
			t.Fatalf("output length %d, want %d", len(out.Incentive), in.N)
		}
	})
}

// genShapeless draws an input of any shape (raw) or of any shape the chain
// can hold.
func genShapeless(t *rapid.T, raw bool) consensus.Input {
	n := rapid.IntRange(0, 10).Draw(t, "n")
	short, exact, uidMax := n, n, n-1
	if raw {
		short, exact, uidMax = n+3, 0, n+3
	}
	u64s := func(label string, lo int) []uint64 {
		return rapid.SliceOfN(rapid.Uint64(), lo, short).Draw(t, label)
	}
	cell := rapid.Custom(func(t *rapid.T) consensus.Entry {
		return consensus.Entry{UID: units.UID(rapid.IntRange(0, uidMax).Draw(t, "uid")), Value: rapid.Uint16().Draw(t, "v")}
	})
	rows := func(label string) [][]consensus.Entry {
		if uidMax < 0 {
			return nil
		}
		return rapid.SliceOfN(rapid.SliceOfN(cell, 0, n+4), 0, short).Draw(t, label)
	}
	in := consensus.Input{
		N:                      uint16(n),
		CurrentBlock:           rapid.Uint64().Draw(t, "block"),
		Tempo:                  rapid.Uint16().Draw(t, "tempo"),
		LastUpdate:             u64s("lu", 0),
		TaoWeight:              rapid.Uint64().Draw(t, "tw"),
		StakeThreshold:         rapid.Uint64().Draw(t, "threshold"),
		ValidatorPermit:        rapid.SliceOfN(rapid.Bool(), 0, short).Draw(t, "permit"),
		MaxAllowedValidators:   rapid.Uint16().Draw(t, "k"),
		Kappa:                  rapid.Uint16().Draw(t, "kappa"),
		BondsPenalty:           rapid.Uint16().Draw(t, "bp"),
		BondsMovingAverage:     rapid.Uint64().Draw(t, "bma"),
		Yuma3:                  rapid.Bool().Draw(t, "yuma3"),
		LiquidAlpha:            rapid.Bool().Draw(t, "la"),
		AlphaSigmoidSteepness:  rapid.Int16().Draw(t, "steep"),
		Weights:                rows("w"),
		Bonds:                  rows("b"),
		LastMechanismStepBlock: rapid.Uint64().Draw(t, "lms"),
		Emission:               units.Alpha(rapid.Uint64().Draw(t, "emission")),
	}
	if raw {
		in.BlockAtRegistration = u64s("reg", 0)
		in.AlphaStake = alphas(u64s("alpha", 0)...)
		in.TaoStake = taos(u64s("tao", 0)...)
		in.ActivityCutoffFactorMilli = rapid.Uint32().Draw(t, "cutoff")
		in.AlphaLow = rapid.Uint16().Draw(t, "alo")
		in.AlphaHigh = rapid.Uint16().Draw(t, "ahi")
		in.HasOwner = rapid.Bool().Draw(t, "owner")
		in.OwnerUID = units.UID(rapid.Uint16Range(0, uint16(n+2)).Draw(t, "owneruid"))
	} else {
		in.BlockAtRegistration = rapid.SliceOfN(rapid.Uint64(), exact, exact).Draw(t, "reg")
		in.AlphaStake = alphas(rapid.SliceOfN(rapid.Uint64(), exact, exact).Draw(t, "alpha")...)
		if rapid.Bool().Draw(t, "hastao") {
			in.TaoStake = taos(rapid.SliceOfN(rapid.Uint64(), exact, exact).Draw(t, "tao")...)
		}
		in.ActivityCutoffFactorMilli = rapid.Uint32Range(1000, 50_000).Draw(t, "cutoff")
		in.AlphaLow = rapid.Uint16Range(1638, 65535).Draw(t, "alo")
		in.AlphaHigh = rapid.Uint16Range(in.AlphaLow, 65535).Draw(t, "ahi")
		if n > 0 && rapid.Bool().Draw(t, "owner") {
			in.HasOwner, in.OwnerUID = true, units.UID(rapid.IntRange(0, n-1).Draw(t, "owneruid"))
		}
	}
	if rapid.Bool().Draw(t, "cr") {
		in.CommitBlocks = u64s("commit", 0)
	}
	return in
}
