package consensus

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// emissionScoresPrev is emissionScores before writeOutput normalised the
// scores of a positive sum as it converts them (emissionShares): every
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
// the combined scores is positive, so that writeOutput takes emissionShares,
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

// raoSharesPrev is the pass writeOutput ran for each of the three
// emissions before emissionShares wrote them in one: the server emission
// raoSharesPrev(se, inc, nil, ...), the validator emission (div, nil) and
// the emission (inc, div).
//
// It is emissionScores' normalisation of the scores x by their
// positive plain sum s (inplace_normalize_using_sum; d is s's divisor)
// followed by raoAmounts, element by element, into dst (at least as long
// as x), without the vector of normalised scores between them: each
// element is raoAmounts' conversion of normalizeUsing's quotient
// (shareOf), which depends on that element alone, so the two passes and
// the one fused here give the same values (emissionScoresPrev in
// emission_internal_test.go normalised the vectors before writeOutput
// converted them).
//
// An element in [0, 1) (raw bits b below 2^32) has the quotient
// q = d.Div(b·2^32) (shareOf; 0 for b = 0), and a q of at most 2^32
// converts as raoAmounts converts it; other elements and quotients take
// raoShareSlow.
//
// With add not nil the scores are the combined ones, x[i] + add[i]
// (saturating), which emissionScores normalises by the same sum s (the
// plain sum of the combined scores); add is then at least as long as x.
func raoSharesPrev(dst []units.Alpha, x, add []fixed.I32F32, s fixed.I32F32, d fixed.Uint64Divisor, e uint64) {
	dst = dst[:len(x)]
	if add != nil {
		add = add[:len(x)]
	}
	eh, el := e>>32, e&(1<<32-1)
	for i, v := range x {
		if add != nil {
			v = v.SaturatingAdd(add[i])
		}
		b := uint64(v.Bits())
		if b == 0 { // most uids: a quotient of 0, 0 rao
			dst[i] = 0
			continue
		}
		q := d.Div(b << 32)
		if b < 1<<32 && q <= 1<<32 {
			dst[i] = units.Alpha(q*eh + (q*el)>>32) // see raoAmounts
		} else {
			dst[i] = raoShareSlow(v, s, d, e)
		}
	}
}

// drawShareCase draws emissionShares' inputs: scores in and out of
// [0, 1) (0, exactly 1, just below 1, above 1, negative, near the I32F32
// maximum; either vector all 0 in a quarter of the cases), a positive sum
// s (small, near the scores, or large) and an emission of any size.
func drawShareCase(r bitSource) (inc, div []fixed.I32F32, s fixed.I32F32, e uint64) {
	n := r.IntN(40)
	value := func() fixed.I32F32 {
		switch r.IntN(10) {
		case 0, 1, 2:
			return zero
		case 3:
			return one
		case 4:
			return fixed.I32F32FromBits(1<<32 - 1 - int64(r.IntN(4)))
		case 5:
			return fixed.I32F32FromBits(-int64(r.IntN(1<<31)) - 1)
		case 6:
			return fixed.I32F32FromBits(int64(r.IntN(1<<30)) << (2 + r.IntN(32)))
		case 7:
			return fixed.I32F32FromBits(math.MaxInt64 - int64(r.IntN(1<<20)))
		default:
			return fixed.I32F32FromBits(int64(r.IntN(1 << 31)))
		}
	}
	inc, div = make([]fixed.I32F32, n), make([]fixed.I32F32, n)
	zeroInc, zeroDiv := r.IntN(4) == 0, r.IntN(4) == 0
	for i := range n {
		if !zeroInc {
			inc[i] = value()
		}
		if !zeroDiv {
			div[i] = value()
		}
	}
	switch r.IntN(4) {
	case 0:
		s = fixed.I32F32FromBits(1 + int64(r.IntN(1<<20)))
	case 1:
		s = fixed.I32F32FromBits(1<<32 - int64(r.IntN(1<<20)))
	case 2:
		s = fixed.I32F32FromBits(math.MaxInt64 - int64(r.IntN(1<<20)))
	default:
		s = fixed.I32F32FromBits(1 + int64(r.IntN(1<<31))<<r.IntN(32))
	}
	switch r.IntN(4) {
	case 0:
		e = uint64(r.IntN(1 << 30))
	case 1:
		e = uint64(r.IntN(1<<30))<<34 | uint64(r.IntN(1<<30))
	case 2:
		e = math.MaxUint64 - uint64(r.IntN(1<<20))
	default:
		e = 500_000_000_000
	}
	return inc, div, s, e
}

// checkShares compares emissionShares with raoSharesPrev's three passes.
func checkShares(t *testing.T, inc, div []fixed.I32F32, s fixed.I32F32, e uint64) {
	t.Helper()
	n := len(inc)
	d := fixed.NewUint64Divisor(uint64(s.Bits()))
	se, ve, em := make([]units.Alpha, n+2), make([]units.Alpha, n), make([]units.Alpha, n+1)
	for i := range se {
		se[i] = 7 // a stale value, which the pass must overwrite
	}
	wse, wve, wem := make([]units.Alpha, n), make([]units.Alpha, n), make([]units.Alpha, n)
	emissionShares(se, ve, em, inc, div, s, d, e)
	raoSharesPrev(wse, inc, nil, s, d, e)
	raoSharesPrev(wve, div, nil, s, d, e)
	raoSharesPrev(wem, inc, div, s, d, e)
	if !slices.Equal(se[:n], wse) || !slices.Equal(ve, wve) || !slices.Equal(em[:n], wem) {
		t.Fatalf("inc %v div %v s %v e %d: %v %v %v, want %v %v %v", inc, div, s, e, se[:n], ve, em[:n], wse, wve, wem)
	}
}

// TestEmissionSharesMatchesPrev: emissionShares writes raoSharesPrev's
// three emissions, on drawn scores and on constructed edges (zeros, 1,
// the sum itself, scores whose sum saturates, the largest emission).
func TestEmissionSharesMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(97, 5))
	for range 5000 {
		inc, div, s, e := drawShareCase(r)
		checkShares(t, inc, div, s, e)
	}
	bits := func(b ...int64) []fixed.I32F32 {
		x := make([]fixed.I32F32, len(b))
		for i, v := range b {
			x[i] = fixed.I32F32FromBits(v)
		}
		return x
	}
	const u = 1 << 32
	for _, s := range []int64{1, u - 1, u, u + 1, 3 * u, math.MaxInt64} {
		for _, e := range []uint64{0, 1, 500_000_000_000, math.MaxUint64} {
			checkShares(t, bits(0, 0, u, u-1, 0, math.MaxInt64, s, s-1, 1), bits(0, u, 0, 1, u-1, math.MaxInt64, s, 1, s-1), fixed.I32F32FromBits(s), e)
			checkShares(t, bits(-1, 0, math.MinInt64, 5), bits(1, math.MinInt64, 0, -5), fixed.I32F32FromBits(s), e)
		}
	}
}

// FuzzEmissionShares compares emissionShares with raoSharesPrev on cases
// drawn from the fuzz bytes.
func FuzzEmissionShares(f *testing.F) {
	seedCorpus(f, 29)
	f.Fuzz(func(t *testing.T, b []byte) {
		inc, div, s, e := drawShareCase(&byteSource{b})
		if s.Sign() <= 0 {
			return
		}
		checkShares(t, inc, div, s, e)
	})
}

// esumPrev is emissionScores' sum of the combined scores as it took it
// before its plain pass: Σ sat(inc[i] + div[i]), plain additions.
func esumPrev(inc, div []fixed.I32F32) fixed.I32F32 {
	s := zero
	for i := range inc {
		s = s.Add(inc[i].SaturatingAdd(div[i]))
	}
	return s
}

// checkEsum compares emissionScores' ws.esum with esumPrev.
func checkEsum(t *testing.T, inc, div []fixed.I32F32) {
	t.Helper()
	in := NewInput(uint16(len(inc)))
	v := newEpochView(&in)
	ws := Workspace{inc: inc, div: div, stake: make([]fixed.I32F32, len(inc))}
	ws.activeStake(&v)
	ws.emissionScores(&v)
	if want := esumPrev(inc, div); ws.esum != want {
		t.Fatalf("inc %v div %v: sum %v, want %v", inc, div, ws.esum, want)
	}
}

// TestEmissionSumMatchesPrev: emissionScores' sum is esumPrev's on drawn
// scores and at the edges of its plain pass: raw bits just below and at
// 2^62, pairs that saturate, negative scores, sums that wrap.
func TestEmissionSumMatchesPrev(t *testing.T) {
	bits := func(b ...int64) []fixed.I32F32 {
		x := make([]fixed.I32F32, len(b))
		for i, v := range b {
			x[i] = fixed.I32F32FromBits(v)
		}
		return x
	}
	const top = 1<<62 - 1
	checkEsum(t, bits(), bits())
	checkEsum(t, bits(top, top, top, top), bits(top, top, 0, 1)) // the plain sum wraps
	checkEsum(t, bits(top+1, 0), bits(top+1, 0))                 // 2^62 + 2^62 saturates
	checkEsum(t, bits(top, 1), bits(top, top))
	checkEsum(t, bits(math.MaxInt64, 5), bits(1, 0))
	checkEsum(t, bits(-1, 3), bits(1, -3))
	checkEsum(t, bits(math.MinInt64, 0), bits(-1, 0))
	r := rand.New(rand.NewPCG(41, 8))
	for range 3000 {
		inc, div, _, _ := drawShareCase(r)
		checkEsum(t, inc, div)
	}
}

// FuzzEmissionSum compares emissionScores' sum with esumPrev on scores
// drawn from the fuzz bytes.
func FuzzEmissionSum(f *testing.F) {
	seedCorpus(f, 37)
	f.Fuzz(func(t *testing.T, b []byte) {
		inc, div, _, _ := drawShareCase(&byteSource{b})
		checkEsum(t, inc, div)
	})
}
