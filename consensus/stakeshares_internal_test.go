package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// stakeSharesPrev is stakeShares as stakeWeights ran it before the
// reciprocal division, the reference of TestStakeSharesMatchesPrev and
// FuzzStakeSharesPrev: every non-zero total divided by a non-zero sum with
// I64F64.SafeDiv, then converted.
func stakeSharesPrev(dst []fixed.I32F32, x []fixed.I64F64, s fixed.I64F64) {
	for i := range x {
		v := x[i]
		if !s.IsZero() && !v.IsZero() {
			v = v.SafeDiv(s)
		}
		dst[i] = v.SaturatingToI32F32()
	}
}

// drawStakeCase draws totals as stakeWeights builds them (rao amounts,
// some with a fractional part from the TAO weight, some 0, a few at the
// extremes: I64F64's largest, negative ones as no caller builds but the
// function accepts) and their plain sum, which wraps for the largest.
func drawStakeCase(r bitSource) (x []fixed.I64F64, s fixed.I64F64) {
	n := r.IntN(40)
	x = make([]fixed.I64F64, n)
	for i := range x {
		switch r.IntN(12) {
		case 0: // 0
		case 1:
			x[i] = fixed.I64F64Max()
		case 2:
			x[i] = fixed.I64F64FromBits(^uint64(0)-uint64(r.IntN(1<<20)), uint64(r.IntN(1<<30))<<34)
		case 3:
			x[i] = fixed.I64F64FromBits(0, uint64(r.IntN(1<<30))<<20) // below 1
		case 4:
			x[i] = fixed.I64F64FromBits(uint64(r.IntN(1<<30))<<32|uint64(r.IntN(1<<30)), uint64(r.IntN(1<<30))<<34|uint64(r.IntN(1<<30)))
		default:
			x[i] = fixed.I64F64FromBits(uint64(r.IntN(1<<30))*uint64(1+r.IntN(1<<20)), uint64(r.IntN(1<<30))<<34)
		}
		s = s.Add(x[i])
	}
	switch r.IntN(8) {
	case 0: // another sum: totals above it, or a sum of 0
		if n > 0 {
			s = x[r.IntN(n)]
		}
	case 1:
		s = fixed.I64F64{}
	}
	return x, s
}

// checkStakeShares compares stakeShares with stakeSharesPrev, given every
// index of x and given only those of its non-zero totals, into a dst
// holding stale values.
func checkStakeShares(t *testing.T, x []fixed.I64F64, s fixed.I64F64) {
	t.Helper()
	want := make([]fixed.I32F32, len(x))
	stakeSharesPrev(want, x, s)
	var all, nonzero []int
	for i, v := range x {
		all = append(all, i)
		if !v.IsZero() {
			nonzero = append(nonzero, i)
		}
	}
	for _, at := range [][]int{all, nonzero} {
		got := make([]fixed.I32F32, len(x))
		for i := range got {
			got[i] = fixed.I32F32FromBits(int64(i) + 7)
		}
		stakeShares(got, x, at, s)
		if !slices.Equal(got, want) {
			t.Fatalf("totals %v sum %v at %v: %v, want %v", x, s, at, got, want)
		}
	}
}

// TestStakeSharesMatchesPrev: stakeShares gives stakeSharesPrev's stakes
// on random totals and sums, and on constructed ones: a lone total (its
// share exactly 1, which takes SafeDiv), a total just below the sum, the
// smallest total, a sum that wrapped negative, and I64F64's largest.
func TestStakeSharesMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(47, 3))
	for range 5000 {
		x, s := drawStakeCase(r)
		checkStakeShares(t, x, s)
	}
	big := fixed.I64F64FromUint64(1_000_000_000_000)
	tiny := fixed.I64F64FromBits(0, 1)
	almost := big.Sub(tiny)
	for _, c := range [][]fixed.I64F64{
		{big},
		{almost, tiny},
		{tiny, tiny, fixed.I64F64{}},
		{fixed.I64F64Max(), fixed.I64F64Max()},
		{fixed.I64F64Max(), tiny},
		{fixed.I64F64FromUint64(1 << 62), fixed.I64F64FromUint64(1 << 62)},
	} {
		s := fixed.I64F64{}
		for _, v := range c {
			s = s.Add(v)
		}
		checkStakeShares(t, c, s)
		checkStakeShares(t, c, almost)
	}
}

// FuzzStakeSharesPrev compares stakeShares with stakeSharesPrev on totals
// drawn from the fuzz bytes.
func FuzzStakeSharesPrev(f *testing.F) {
	seedCorpus(f, 13)
	f.Fuzz(func(t *testing.T, b []byte) {
		x, s := drawStakeCase(&byteSource{b})
		checkStakeShares(t, x, s)
	})
}

// TestStakeSharesAllocs: stakeShares allocates nothing.
func TestStakeSharesAllocs(t *testing.T) {
	x, s := drawStakeCase(rand.New(rand.NewPCG(5, 5)))
	dst := make([]fixed.I32F32, len(x))
	at := make([]int, len(x))
	for i := range at {
		at[i] = i
	}
	if a := testing.AllocsPerRun(100, func() { stakeShares(dst, x, at, s) }); a != 0 {
		t.Fatalf("stakeShares allocates %v times", a)
	}
}

// stakeWeightsPrev is stakeWeights before it listed the uids with stake,
// the reference of TestStakeWeightsMatchesPrev and FuzzStakeWeightsPrev:
// every uid's total, floored total and filter, then stakeSharesPrev.
func stakeWeightsPrev(in *Input) (raw []uint64, stake []fixed.I32F32) {
	n := int(in.N)
	tw := fixed.U96F32FromU64Proportion(in.TaoWeight).SaturatingToI64F64()
	filtered := make([]fixed.I64F64, n)
	raw = make([]uint64, n)
	var sum fixed.I64F64
	for i := range n {
		a, t := stakeAt(in.AlphaStake, in.TaoStake, i)
		tot := fixed.I64F64FromUint64(a).SaturatingAdd(fixed.I64F64FromUint64(t).SaturatingMul(tw))
		raw[i] = tot.SaturatingToUint64()
		if !(in.HasOwner && int(in.OwnerUID) == i) && raw[i] < in.StakeThreshold {
			tot = fixed.I64F64{}
		}
		filtered[i] = tot
		sum = sum.Add(tot)
	}
	stake = make([]fixed.I32F32, n)
	stakeSharesPrev(stake, filtered, sum)
	return raw, stake
}

// drawStakeInput draws the stake section's inputs: up to 300 uids, most
// without stake, alpha and TAO from 0 to u64's largest, TAO for every uid,
// none or (as only a direct call passes) fewer, alpha short too at times,
// a threshold, an owner and a TAO weight of any size.
func drawStakeInput(r bitSource) Input {
	n := r.IntN(301)
	in := NewInput(uint16(n))
	amount := func() uint64 {
		switch r.IntN(8) {
		case 0:
			return ^uint64(0) - uint64(r.IntN(1<<20))
		case 1:
			return uint64(r.IntN(1 << 20))
		default:
			return uint64(r.IntN(1<<30)) * uint64(1+r.IntN(1<<30))
		}
	}
	staked := r.IntN(4) // 0: none, 3: most uids
	for i := range n {
		if r.IntN(4) < staked {
			in.AlphaStake[i] = units.Alpha(amount())
		}
		if r.IntN(8) < staked {
			in.TaoStake[i] = units.TAO(amount())
		}
	}
	switch r.IntN(6) {
	case 0:
		in.TaoStake = nil
	case 1:
		in.TaoStake = in.TaoStake[:r.IntN(n+1)]
	case 2:
		in.AlphaStake = in.AlphaStake[:r.IntN(n+1)]
	}
	in.TaoWeight = [...]uint64{0, ^uint64(0), uint64(r.IntN(1<<30)) << 34, uint64(r.IntN(1 << 30))}[r.IntN(4)]
	in.StakeThreshold = [...]uint64{0, 1, uint64(r.IntN(1 << 30)), ^uint64(0)}[r.IntN(4)]
	if n > 0 && r.IntN(2) == 0 {
		in.HasOwner, in.OwnerUID = true, units.UID(r.IntN(n))
	}
	return in
}

// checkStakeWeights compares stakeWeights, in a Workspace that ran the
// previous input (its buffers stale), with stakeWeightsPrev.
func checkStakeWeights(t *testing.T, ws *Workspace, in *Input) {
	t.Helper()
	v := newEpochView(in)
	ws.stakeWeights(&v)
	raw, stake := stakeWeightsPrev(in)
	if !slices.Equal(ws.raw[:v.n], raw) || !slices.Equal(ws.stake[:v.n], stake) {
		t.Fatalf("alpha %v tao %v: raw %v stake %v, want %v %v",
			in.AlphaStake, in.TaoStake, ws.raw[:v.n], ws.stake[:v.n], raw, stake)
	}
}

// TestStakeWeightsMatchesPrev: stakeWeights gives stakeWeightsPrev's
// floored totals and stakes on random inputs (drawStakeInput), in a reused
// Workspace, and on the ledger benchmark's (ledgerInputWith).
func TestStakeWeightsMatchesPrev(t *testing.T) {
	r := rand.New(rand.NewPCG(53, 9))
	var ws Workspace
	for range 3000 {
		in := drawStakeInput(r)
		checkStakeWeights(t, &ws, &in)
	}
	for seed := range uint64(4) {
		in := ledgerInputWith(t, seed, seed%2 == 1)
		checkStakeWeights(t, &ws, &in)
	}
}

// FuzzStakeWeightsPrev compares stakeWeights with stakeWeightsPrev on two
// inputs drawn from the fuzz bytes, in one Workspace.
func FuzzStakeWeightsPrev(f *testing.F) {
	seedCorpus(f, 17)
	f.Fuzz(func(t *testing.T, b []byte) {
		src := &byteSource{b}
		var ws Workspace
		for range 2 {
			in := drawStakeInput(src)
			checkStakeWeights(t, &ws, &in)
		}
	})
}
