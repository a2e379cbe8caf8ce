package consensus

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// refTopkNonzero is a transcription of subtensor
// pallets/subtensor/src/epoch/math.rs is_topk_nonzero @14bc6f9f: the
// non-zero mask, then, when n ≥ k, the first n−k uids of a stable
// ascending sort by stake cleared. It was the epoch's own code before
// validatorPermits selected the dropped uids with dropLowest.
func refTopkNonzero(stake []fixed.I32F32, k int) []bool {
	n := len(stake)
	out := make([]bool, n)
	for i, s := range stake {
		out[i] = !s.IsZero()
	}
	if n < k {
		return out
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return stake[a].Cmp(stake[b]) })
	for _, i := range idx[:n-k] {
		out[i] = false
	}
	return out
}

// drawPermitCase draws stakes with many ties (few levels), zeros, and
// sometimes negative or large (≥ 2^47 raw) values, and a k around the
// number of non-zero stakes.
func drawPermitCase(r bitSource) ([]fixed.I32F32, int) {
	n := r.IntN(40)
	if r.IntN(4) == 0 {
		n = r.IntN(600)
	}
	levels := 1 + r.IntN(6)
	if r.IntN(3) == 0 {
		levels = 1 << 20
	}
	odd := r.IntN(6) == 0
	stake := make([]fixed.I32F32, n)
	for i := range stake {
		switch x := r.IntN(10); {
		case x < 3:
		case odd && x == 3:
			stake[i] = fixed.I32F32FromBits(-1 - int64(r.IntN(1<<30)))
		case odd && x == 4:
			stake[i] = fixed.I32F32FromBits(1<<47 + int64(r.IntN(levels)))
		default:
			stake[i] = fixed.I32F32FromBits(1 + int64(r.IntN(levels))*(1+int64(r.IntN(3))<<20))
		}
	}
	return stake, r.IntN(n + 3)
}

// checkPermitCase runs validatorPermits (without an owner) on stake and k
// and compares with refTopkNonzero: once over every uid (no list of the
// staked uids) and once over a list (ws.staked, as stakeWeights leaves
// it) of the uids of non-zero stake and every third uid of zero stake
// (stakeWeights lists the uids with alpha or TAO, whose stake may floor
// or be filtered to 0), permits left by the previous case in ws.
func checkPermitCase(t *testing.T, ws *Workspace, stake []fixed.I32F32, k int) {
	t.Helper()
	in := NewInput(uint16(len(stake)))
	in.MaxAllowedValidators = uint16(k)
	v := newEpochView(&in)
	ws.stake = append(ws.stake[:0], stake...)
	want := refTopkNonzero(stake, k)
	ws.stakedOK = false
	ws.validatorPermits(&v)
	if !slices.Equal(ws.permitNew, want) {
		t.Fatalf("stake %v, k %d: permits %v, want %v", stake, k, ws.permitNew, want)
	}
	ws.staked = ws.staked[:0]
	for i, x := range stake {
		if !x.IsZero() || i%3 == 0 {
			ws.staked = append(ws.staked, i)
		}
	}
	ws.stakedOK = true
	ws.validatorPermits(&v)
	ws.stakedOK = false
	if !slices.Equal(ws.permitNew, want) {
		t.Fatalf("stake %v, k %d, staked uids %v: permits %v, want %v", stake, k, ws.staked, ws.permitNew, want)
	}
}

// TestValidatorPermitsMatchesTopk: validatorPermits (the skipped sort,
// dropLowest's selection and the stable-sort fallback) gives
// is_topk_nonzero's permits on random stakes with ties, zeros, negative and
// large values, and on constructed edge cases.
func TestValidatorPermitsMatchesTopk(t *testing.T) {
	var ws Workspace
	b := func(x ...int64) []fixed.I32F32 {
		s := make([]fixed.I32F32, len(x))
		for i, v := range x {
			s[i] = fixed.I32F32FromBits(v)
		}
		return s
	}
	edge := []struct {
		stake []fixed.I32F32
		k     int
	}{
		{b(), 0},
		{b(5), 0},
		{b(5, 5, 5, 5), 2},        // ties: the higher uids keep their permits
		{b(0, 5, 5, 0, 5), 1},     // ties among the positives only
		{b(3, 1, 2), 0},           // k = 0: everything dropped
		{b(3, 1, 2), 3},           // k = n: nothing dropped
		{b(3, 1, 2), 4},           // n < k
		{b(-1, 0, 0, 4, 4), 3},    // a negative sorts before the zeros
		{b(1<<47, 1, 1<<47), 1},   // large stakes: the stable sort
		{b(1<<47-1, 1, 1<<46), 1}, // the largest packed stake
	}
	for _, c := range edge {
		checkPermitCase(t, &ws, c.stake, c.k)
	}
	r := rand.New(rand.NewPCG(14, 3))
	for range 3000 {
		stake, k := drawPermitCase(r)
		checkPermitCase(t, &ws, stake, k)
	}
}

// TestSelectNth: selectNth returns the r-th smallest of distinct values
// for every r, against a sorted copy.
func TestSelectNth(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for range 300 {
		n := 1 + r.IntN(200)
		seen := map[uint64]bool{}
		x := make([]uint64, 0, n)
		for len(x) < n {
			v := r.Uint64N(uint64(4 * n))
			if !seen[v] {
				seen[v] = true
				x = append(x, v)
			}
		}
		sorted := slices.Sorted(slices.Values(x))
		for rank := range n {
			y := slices.Clone(x)
			if got := selectNth(y, rank); got != sorted[rank] {
				t.Fatalf("rank %d of %v: %d, want %d", rank, x, got, sorted[rank])
			}
		}
	}
}

// FuzzValidatorPermits compares validatorPermits with is_topk_nonzero on
// stakes drawn from the fuzz bytes.
func FuzzValidatorPermits(f *testing.F) {
	f.Add([]byte{})
	f.Add(binary.LittleEndian.AppendUint64(nil, 0x0123456789abcdef))
	r := rand.New(rand.NewPCG(9, 10))
	for range 8 {
		b := make([]byte, 512)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		f.Add(b)
	}
	var ws Workspace
	f.Fuzz(func(t *testing.T, b []byte) {
		stake, k := drawPermitCase(&byteSource{b})
		checkPermitCase(t, &ws, stake, k)
	})
}
