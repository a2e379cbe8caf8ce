package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// emissionScoresPrev is emissionScores before writeOutput normalised the
// scores of a positive sum as it converts them (raoShares): every
// epoch's scores normalised into ws.nse, ws.nve
// and ws.nce, the combined ones by their own plain sum (normalize).
func (ws *Workspace) emissionScoresPrev(v *epochView) {
	n := v.n
	ws.comb = grow(ws.comb, n)
	ws.nse = grow(ws.nse, n)
	ws.nve = grow(ws.nve, n)
	ws.nce = grow(ws.nce, n)
	esum := zero
	for i := 0; i < n; i++ {
		ws.comb[i] = ws.inc[i].SaturatingAdd(ws.div[i])
		esum = esum.Add(ws.comb[i])
	}
	copy(ws.nse, ws.inc)
	copy(ws.nve, ws.div)
	copy(ws.nce, ws.comb)
	normalizeUsing(ws.nse, esum)
	normalizeUsing(ws.nve, esum)
	normalize(ws.nce)
	if esum.IsZero() {
		src := ws.active
		if sum(ws.active).IsZero() {
			src = ws.stake
		}
		copy(ws.nve, src)
		copy(ws.nce, src)
	}
	ws.esum = zero // writeOutput then converts ws.nse, ws.nve and ws.nce
}

// checkEmissionPrev compares emissionScores and writeOutput with
// emissionScoresPrev and writeOutputPrev on one drawn case
// (drawOutputCase's scores in and out of [0, 1], negative ones among
// them; half the cases with incentives and dividends in [0, 2^-4), whose
// sum is positive, half with every dividend 0 or every score 0).
func checkEmissionPrev(t *testing.T, r bitSource) {
	t.Helper()
	var ws Workspace
	in := drawOutputCase(r, &ws)
	switch r.IntN(4) {
	case 0, 1:
		for i := range ws.inc {
			ws.inc[i] = fixed.I32F32FromBits(int64(r.IntN(1 << 28)))
			ws.div[i] = fixed.I32F32FromBits(int64(r.IntN(1 << 28)))
		}
	case 2:
		clear(ws.div)
	}
	if r.IntN(8) == 0 { // a sum of 0: the stake takes the scores' place
		clear(ws.inc)
		clear(ws.div)
	}
	prev := Workspace{
		cons: slices.Clone(ws.cons), inc: slices.Clone(ws.inc), div: slices.Clone(ws.div),
		vt: slices.Clone(ws.vt), stake: slices.Clone(ws.stake), raw: slices.Clone(ws.raw),
		permitNew: slices.Clone(ws.permitNew),
	}
	v := newEpochView(&in)
	var got, want Output
	ws.activeStake(&v)
	ws.emissionScores(&v)
	ws.writeOutput(&v, &got)
	prev.activeStake(&v)
	prev.emissionScoresPrev(&v)
	prev.writeOutputPrev(&v, &want)
	eq := func(name string, ok bool) {
		if !ok {
			t.Fatalf("%s differ: %+v, want %+v\ninc %v\ndiv %v", name, got, want, ws.inc, ws.div)
		}
	}
	eq("server emission", slices.Equal(got.ServerEmission, want.ServerEmission))
	eq("validator emission", slices.Equal(got.ValidatorEmission, want.ValidatorEmission))
	eq("emission", slices.Equal(got.Emission, want.Emission))
	eq("incentive", slices.Equal(got.Incentive, want.Incentive))
	eq("dividends", slices.Equal(got.Dividends, want.Dividends))
	eq("stake weight", slices.Equal(got.StakeWeight, want.StakeWeight))
	eq("active", slices.Equal(got.Active, want.Active))
}

// TestEmissionMatchesPrev: emissionScores and writeOutput write the
// emissions of emissionScoresPrev and writeOutputPrev, with a positive,
// zero or negative sum of the combined scores, and scores in and out of
// [0, 1].
func TestEmissionMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(83, 4))
	positive := 0
	for range 3000 {
		checkEmissionPrev(t, r)
	}
	// Both of writeOutput's paths must be exercised.
	r = rand.New(rand.NewPCG(83, 4))
	for range 300 {
		var ws Workspace
		in := drawOutputCase(r, &ws)
		v := newEpochView(&in)
		ws.activeStake(&v)
		ws.emissionScores(&v)
		if ws.esum.Sign() > 0 {
			positive++
		}
	}
	if positive < 30 || positive > 270 {
		t.Fatalf("%d of 300 drawn cases have a positive sum", positive)
	}
}

// TestEmissionLedgerShape: on the ledger benchmark's epoch the sum of
// the combined scores is positive, so that writeOutput takes raoShares,
// and a warm Workspace's epoch gives the emissions that
// emissionScoresPrev and writeOutputPrev give on its scores.
func TestEmissionLedgerShape(t *testing.T) {
	in := ledgerInput(t, 3)
	var ws Workspace
	var out Output
	if err := ws.Epoch(&in, &out); err != nil {
		t.Fatal(err)
	}
	if ws.esum.Sign() <= 0 {
		t.Fatalf("the ledger's epoch has a combined sum of %v", ws.esum)
	}
	v := newEpochView(&in)
	var want Output
	ws.emissionScoresPrev(&v)
	ws.writeOutputPrev(&v, &want)
	if !slices.Equal(out.ServerEmission, want.ServerEmission) || !slices.Equal(out.ValidatorEmission, want.ValidatorEmission) ||
		!slices.Equal(out.Emission, want.Emission) {
		t.Fatalf("emissions %v %v %v, want %v %v %v", out.ServerEmission, out.ValidatorEmission, out.Emission,
			want.ServerEmission, want.ValidatorEmission, want.Emission)
	}
}

// FuzzEmissionPrev compares emissionScores and writeOutput with
// emissionScoresPrev and writeOutputPrev on cases drawn from the fuzz
// bytes.
func FuzzEmissionPrev(f *testing.F) {
	seedCorpus(f, 23)
	f.Fuzz(func(t *testing.T, b []byte) {
		checkEmissionPrev(t, &byteSource{b})
	})
}
