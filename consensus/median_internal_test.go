package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// refWeightedMedian is a line-by-line transcription of subtensor
// pallets/subtensor/src/epoch/math.rs weighted_median @14bc6f9f: the
// reference the fast quickselect is checked against.
func refWeightedMedian(stake, score []fixed.I32F32, idx []int, minority, lo, hi fixed.I32F32) fixed.I32F32 {
	if len(stake) != len(score) {
		return zero
	}
	cur := append([]int(nil), idx...)
	iter, limit := 0, len(idx)
	for {
		n := len(cur)
		if n == 0 {
			return zero
		}
		if n == 1 {
			return score[cur[0]]
		}
		pivot := score[cur[n/2]]
		loStake, hiStake := zero, zero
		var lower, upper []int
		for _, k := range cur {
			if score[k] == pivot {
				continue
			}
			if score[k].Less(pivot) {
				loStake = loStake.SaturatingAdd(stake[k])
				lower = append(lower, k)
			} else {
				hiStake = hiStake.SaturatingAdd(stake[k])
				upper = append(upper, k)
			}
		}
		switch {
		case minority.Less(lo.SaturatingAdd(loStake)) && len(lower) > 0:
			cur = lower
			hi = lo.SaturatingAdd(loStake)
		case hi.SaturatingSub(hiStake).Cmp(minority) <= 0 && len(upper) > 0:
			cur = upper
			lo = hi.SaturatingSub(hiStake)
		default:
			return pivot
		}
		iter++
		if iter > limit {
			return zero
		}
	}
}

func f32(x float32) fixed.I32F32 { return fixed.I32F32FromFloat64(float64(x)) }

func f32s(xs ...float32) []fixed.I32F32 {
	out := make([]fixed.I32F32, len(xs))
	for i, x := range xs {
		out[i] = f32(x)
	}
	return out
}

// Port of subtensor pallets/subtensor/src/tests/math.rs::test_math_weighted_median
// @14bc6f9f964b9cc362e9635dd110a487fa5d15a0 (its table of cases):
// minority = 1 − 0.51, partition [0, Σ stake], exact equality.
func TestMathWeightedMedian(t *testing.T) {
	cases := []struct {
		stake, score []float32
		want         float32
	}{
		{[]float32{0.49, 0.51}, []float32{0.5, 1}, 1},
		{[]float32{0.51, 0.49}, []float32{0.5, 1}, 0.5},
		{[]float32{0.49, 0, 0.51}, []float32{0.5, 0.7, 1}, 1},
		{[]float32{0.49, 0.01, 0.5}, []float32{0.5, 0.7, 1}, 0.7},
		{[]float32{0.49, 0.51, 0}, []float32{0.5, 0.7, 1}, 0.7},
		{[]float32{0, 0.49, 0.51}, []float32{0.5, 0.7, 1}, 1},
		{[]float32{0.2, 0.2, 0.2, 0.2, 0.2}, []float32{0.8, 0.2, 1, 0.6, 0.4}, 0.6},
		{[]float32{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1},
			[]float32{0.8, 0.8, 0.2, 0.2, 1, 1, 0.6, 0.6, 0.4, 0.4}, 0.6},
	}
	var s medianScratch
	for _, c := range cases {
		stake, score := f32s(c.stake...), f32s(c.score...)
		minority := one.Sub(f32(0.51))
		s.work = nil
		got := s.weightedMedian(score, stake, minority)
		if got != f32(c.want) {
			t.Errorf("stake %v score %v: got %v want %v", c.stake, c.score, got, c.want)
		}
		idx := make([]int, len(stake))
		for i := range idx {
			idx[i] = i
		}
		if ref := refWeightedMedian(stake, score, idx, minority, zero, sum(stake)); ref != got {
			t.Errorf("reference disagrees: %v vs %v", ref, got)
		}
	}
}

// Port of tests/math.rs::test_math_weighted_median_col_sparse (yuma.md TV1,
// column version): rows of W with zeros absent, columns 3.
func TestMathWeightedMedianColSparse(t *testing.T) {
	build := func(rows [][]float32) *matrix {
		var m matrix
		m.begin(len(rows), 16)
		for i, r := range rows {
			start := len(m.buf)
			for j, x := range r {
				if x != 0 {
					m.push(uint16(j), f32(x))
				}
			}
			m.end(i, start)
		}
		return &m
	}
	w1 := build([][]float32{{0, 0.1, 0}, {0, 0.2, 0.4}, {0, 0.3, 0.1}, {0, 0.4, 0.5}})
	w2 := build([][]float32{{0, 0.1, 0}, {0, 0.2, 0.4}, {0, 0.3, 0.1}, {0, 0, 0.5}})
	cases := []struct {
		w        *matrix
		stake    []float32
		majority float32
		want     []float32
	}{
		{w1, []float32{0, 0.75, 0.25, 0}, 0.24, []float32{0, 0.3, 0.4}},
		{w1, []float32{0, 0.75, 0.25, 0}, 0.26, []float32{0, 0.2, 0.4}},
		{w1, []float32{0, 0.75, 0.25, 0}, 0.76, []float32{0, 0.2, 0.1}},
		{w2, []float32{0, 0.3, 0.2, 0.5}, 0.51, []float32{0, 0, 0.4}},
	}
	var s medianScratch
	for _, c := range cases {
		out := make([]fixed.I32F32, 3)
		s.medianColumns(out, f32s(c.stake...), c.w, nil, f32(c.majority))
		for j := range out {
			if out[j] != f32(c.want[j]) {
				t.Errorf("stake %v majority %v: column %d = %v, want %v", c.stake, c.majority, j, out[j], c.want[j])
			}
		}
	}
}

// The fast quickselect agrees with the chain's on random columns, including
// ties, zero stakes, and minorities below 0 and above the total.
func TestWeightedMedianMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	var s medianScratch
	count := 20000
	if testing.Short() {
		count = 2000
	}
	for range count {
		v := r.IntN(12) + 1
		if r.IntN(3) == 0 {
			v = r.IntN(80) + 1 // longer columns reach the partition passes
		}
		stake := make([]fixed.I32F32, v)
		score := make([]fixed.I32F32, v)
		levels := r.IntN(5) + 1
		if r.IntN(2) == 0 {
			levels = 1 << 20 // mostly distinct scores
		}
		step := int64(1 << 30)
		if r.IntN(5) == 0 {
			step = 1 << 60 // scores beyond the branchless path's range
		}
		for k := range v {
			if r.IntN(6) > 0 {
				stake[k] = fixed.I32F32FromBits(r.Int64N(1 << 32))
			}
			score[k] = fixed.I32F32FromBits(int64(r.IntN(levels)) * step)
			if levels > 5 {
				score[k] = fixed.I32F32FromBits(int64(r.IntN(levels)) << 12)
			}
		}
		normalize(stake)
		total := sum(stake)
		var minority fixed.I32F32
		switch r.IntN(4) {
		case 0:
			minority = fixed.I32F32FromBits(-r.Int64N(1 << 32))
		case 1:
			minority = total.Add(fixed.I32F32FromBits(r.Int64N(1 << 20)))
		default:
			minority = fixed.I32F32FromBits(r.Int64N(1<<32 + 1))
		}
		idx := make([]int, v)
		for i := range idx {
			idx[i] = i
		}
		want := refWeightedMedian(stake, score, idx, minority, zero, total)
		s.work = nil
		if got := s.weightedMedian(score, stake, minority); got != want {
			t.Fatalf("stake %v score %v minority %v: got %v, chain %v", stake, score, minority, got, want)
		}
	}
}

// checkStakesAt compares stakesAt over the uids of non-zero active stake
// (and every third other) with stakes, and allUnitAt with allUnit.
func checkStakesAt(t *testing.T, active []fixed.I32F32, kappa fixed.I32F32) {
	t.Helper()
	var at []int
	for i, a := range active {
		if !a.IsZero() || i%3 == 0 {
			at = append(at, i)
		}
	}
	var got, want medianScratch
	got.stake = make([]fixed.I32F32, 3) // stale stakes
	got.stakesAt(active, at, kappa)
	want.stakes(active, kappa)
	if !slices.Equal(got.stake, want.stake) || got.minority != want.minority {
		t.Fatalf("active %v: stakes %v minority %d, want %v %d", active, got.stake, got.minority, want.stake, want.minority)
	}
	if allUnitAt(active, at) != allUnit(active) {
		t.Fatalf("active %v: allUnitAt %v", active, allUnitAt(active, at))
	}
}

// drawStakesCase draws an active stake vector (zeros most often, values
// in [0, 1], exactly 1, above 1, negatives) and a kappa.
func drawStakesCase(r bitSource) ([]fixed.I32F32, fixed.I32F32) {
	active := make([]fixed.I32F32, r.IntN(40))
	for i := range active {
		switch r.IntN(8) {
		case 0, 1, 2:
		case 3:
			active[i] = one
		case 4:
			active[i] = fixed.I32F32FromBits(1<<32 + int64(r.IntN(1<<30)))
		case 5:
			active[i] = fixed.I32F32FromBits(-1 - int64(r.IntN(1<<30)))
		default:
			active[i] = fixed.I32F32FromBits(int64(r.IntN(1<<31)) * 2)
		}
	}
	return active, fixed.I32F32FromU16Proportion(uint16(r.IntN(1 << 16)))
}

// TestStakesAtMatchesStakes: stakesAt over a list of the non-zero stakes
// gives stakes' median stakes and minority, and allUnitAt allUnit's
// verdict, on drawn vectors and on empty and all-zero ones.
func TestStakesAtMatchesStakes(t *testing.T) {
	checkStakesAt(t, nil, half)
	checkStakesAt(t, make([]fixed.I32F32, 5), half)
	checkStakesAt(t, []fixed.I32F32{one, zero, one}, one)
	r := rand.New(rand.NewPCG(61, 2))
	for range 5000 {
		active, kappa := drawStakesCase(r)
		checkStakesAt(t, active, kappa)
	}
}

// FuzzStakesAt compares stakesAt with stakes on vectors drawn from the
// fuzz bytes.
func FuzzStakesAt(f *testing.F) {
	seedCorpus(f, 47)
	f.Fuzz(func(t *testing.T, b []byte) {
		active, kappa := drawStakesCase(&byteSource{b})
		checkStakesAt(t, active, kappa)
	})
}
