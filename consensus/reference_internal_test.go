package consensus

import (
	"errors"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// This file holds a slow, literal transcription of subtensor's sparse
// epoch_mechanism (pallets/subtensor/src/epoch/run_epoch.rs and the math.rs
// kernels it calls, @14bc6f9f): fresh slices at every step, the library's
// SafeDiv/SaturatingMul everywhere, a dense α matrix for liquid alpha. The
// optimised Workspace.Epoch is checked against it on random inputs of any
// shape.

type sp = [][]entry

// refU16Proportion is u16_proportion_to_fixed (epoch/math.rs) as the chain
// spells it: I32F32(x).safe_div(I32F32(65535)).
func refU16Proportion(x uint16) fixed.I32F32 {
	return fixed.I32F32FromUint64(uint64(x)).SafeDiv(u16m)
}

func alphas(x []uint64) []units.Alpha {
	out := make([]units.Alpha, len(x))
	for i, v := range x {
		out[i] = units.Alpha(v)
	}
	return out
}

func taos(x []uint64) []units.TAO {
	out := make([]units.TAO, len(x))
	for i, v := range x {
		out[i] = units.TAO(v)
	}
	return out
}

func refSum(x []fixed.I32F32) fixed.I32F32 {
	s := zero
	for _, v := range x {
		s = s.Add(v)
	}
	return s
}

func refNormalize(x []fixed.I32F32) []fixed.I32F32 {
	s := refSum(x)
	out := slices.Clone(x)
	if s.IsZero() {
		return out
	}
	for i := range out {
		out[i] = out[i].SafeDiv(s)
	}
	return out
}

func refColNormalize(m sp, cols int) sp {
	sums := make([]fixed.I32F32, cols)
	for _, r := range m {
		for _, e := range r {
			if int(e.j) < cols {
				sums[e.j] = sums[e.j].SaturatingAdd(e.v)
			}
		}
	}
	out := make(sp, len(m))
	for i, r := range m {
		for _, e := range r {
			v := e.v
			if int(e.j) < cols && !sums[e.j].IsZero() {
				v = v.SafeDiv(sums[e.j])
			}
			out[i] = append(out[i], entry{e.j, v})
		}
	}
	return out
}

func refEmaSparse(newm, old sp, alpha fixed.I32F32) sp {
	n := len(newm)
	oneMinus := one.SaturatingSub(alpha)
	out := make(sp, n)
	for i := range n {
		acc := make([]fixed.I32F32, n)
		for _, e := range newm[i] {
			if int(e.j) < n {
				acc[e.j] = acc[e.j].SaturatingAdd(alpha.SaturatingMul(e.v))
			}
		}
		if i < len(old) {
			for _, e := range old[i] {
				if int(e.j) < n {
					acc[e.j] = acc[e.j].SaturatingAdd(oneMinus.SaturatingMul(e.v))
				}
			}
		}
		for j, v := range acc {
			if v.Sign() > 0 {
				out[i] = append(out[i], entry{uint16(j), v})
			}
		}
	}
	return out
}

// refEpoch is epoch_mechanism; it returns the u16/u64 outputs and bonds.
func refEpoch(in *Input) (Output, error) {
	n := int(in.N)
	lu := make([]uint64, max(n, len(in.LastUpdate)))
	copy(lu, in.LastUpdate)
	reg := make([]uint64, n)
	for j := range n {
		if j < len(in.BlockAtRegistration) {
			reg[j] = in.BlockAtRegistration[j]
		}
	}
	cutoff := max(uint64(in.ActivityCutoffFactorMilli)*uint64(in.Tempo)/1000, 1)
	inactive := make([]bool, len(lu))
	for i, u := range lu {
		inactive[i] = fixed.SaturatingAddUint64(u, cutoff) < in.CurrentBlock
	}
	// Stake.
	tw := fixed.U96F32FromUint64(in.TaoWeight).SafeDiv(fixed.U96F32FromUint64(^uint64(0))).SaturatingToI64F64()
	total := make([]fixed.I64F64, n)
	for i := range n {
		var a, t uint64
		if i < len(in.AlphaStake) {
			a = uint64(in.AlphaStake[i])
		}
		if i < len(in.TaoStake) {
			t = uint64(in.TaoStake[i])
		}
		total[i] = fixed.I64F64FromUint64(a).SaturatingAdd(fixed.I64F64FromUint64(t).SaturatingMul(tw))
	}
	filtered := slices.Clone(total)
	for i := range filtered {
		if !(in.HasOwner && int(in.OwnerUID) == i) && filtered[i].SaturatingToUint64() < in.StakeThreshold {
			filtered[i] = fixed.I64F64{}
		}
	}
	var s64 fixed.I64F64
	for _, v := range filtered {
		s64 = s64.Add(v)
	}
	stake := make([]fixed.I32F32, n)
	for i, v := range filtered {
		if !s64.IsZero() {
			v = v.SafeDiv(s64)
		}
		stake[i] = v.SaturatingToI32F32()
	}
	// Permits.
	permits := slices.Clone(in.ValidatorPermit)
	if in.HasOwner && int(in.OwnerUID) < len(permits) {
		permits[in.OwnerUID] = true
	}
	forbids := make([]bool, len(permits))
	for i, p := range permits {
		forbids[i] = !p
	}
	newPermits := make([]bool, n)
	for i, s := range stake {
		newPermits[i] = !s.IsZero()
	}
	if k := int(in.MaxAllowedValidators); n >= k {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return stake[a].Cmp(stake[b]) })
		for _, i := range idx[:n-k] {
			newPermits[i] = false
		}
	}
	if in.HasOwner && int(in.OwnerUID) < n {
		newPermits[in.OwnerUID] = true
	}
	maskGet := func(m []bool, i int) bool {
		if i < len(m) {
			return m[i]
		}
		return true
	}
	active := slices.Clone(stake)
	if len(inactive) > 0 {
		for i := range active {
			if maskGet(inactive, i) {
				active[i] = zero
			}
		}
	}
	if len(forbids) > 0 {
		for i := range active {
			if maskGet(forbids, i) {
				active[i] = zero
			}
		}
	}
	active = refNormalize(active)
	// Weights.
	w := make(sp, n)
	for i := 0; i < n && i < len(in.Weights); i++ {
		for _, e := range in.Weights[i] {
			if int(e.UID) < n {
				w[i] = append(w[i], entry{uint16(e.UID), fixed.I32F32FromUint64(uint64(e.Value))})
			}
		}
	}
	filter := func(m sp, keep func(i int, e entry) bool) sp {
		out := make(sp, len(m))
		for i, r := range m {
			for _, e := range r {
				if keep(i, e) {
					out[i] = append(out[i], e)
				}
			}
		}
		return out
	}
	w = filter(w, func(i int, _ entry) bool { return !maskGet(forbids, i) })
	w = filter(w, func(i int, e entry) bool {
		return i != int(e.j) || (in.HasOwner && i == int(in.OwnerUID) && e.j == uint16(in.OwnerUID))
	})
	w = filter(w, func(i int, e entry) bool {
		var fv uint64
		if i < len(lu) {
			fv = lu[i]
		}
		return !(fv <= reg[e.j])
	})
	if in.CommitBlocks != nil {
		w = filter(w, func(i int, e entry) bool {
			cb := ^uint64(0) // commit_blocks = vec![u64::MAX; n]
			if i < len(in.CommitBlocks) {
				cb = in.CommitBlocks[i]
			}
			return !(cb < reg[e.j])
		})
	}
	for _, r := range w {
		s := zero
		for _, e := range r {
			s = s.Add(e.v)
		}
		if s.Sign() > 0 {
			for k := range r {
				r[k].v = r[k].v.SafeDiv(s)
			}
		}
	}
	// Consensus (the chain's quickselect, refWeightedMedian).
	kappa := fixed.I32F32FromUint64(uint64(in.Kappa)).SafeDiv(u16m)
	var useStake []fixed.I32F32
	for _, a := range active {
		if a.Sign() > 0 {
			useStake = append(useStake, a)
		}
	}
	useStake = refNormalize(useStake)
	ssum := refSum(useStake)
	minority := ssum.SaturatingSub(kappa)
	cols := make([][]fixed.I32F32, n)
	for j := range cols {
		cols[j] = make([]fixed.I32F32, len(useStake))
	}
	k := 0
	for i, a := range active {
		if a.Sign() > 0 {
			for _, e := range w[i] {
				cols[e.j][k] = e.v
			}
			k++
		}
	}
	idx := make([]int, len(useStake))
	for i := range idx {
		idx[i] = i
	}
	cons := make([]fixed.I32F32, n)
	for j := range cons {
		cons[j] = refWeightedMedian(useStake, cols[j], idx, minority, zero, ssum)
	}
	// Clip, trust, ranks, incentive.
	wc := make(sp, n)
	for i, r := range w {
		for _, e := range r {
			th := cons[e.j]
			if th.Less(e.v) {
				if th.Sign() > 0 {
					wc[i] = append(wc[i], entry{e.j, th})
				}
			} else {
				wc[i] = append(wc[i], e)
			}
		}
	}
	vt := make([]fixed.I32F32, n)
	ranks := make([]fixed.I32F32, n)
	for i, r := range wc {
		for _, e := range r {
			vt[i] = vt[i].Add(e.v)
			ranks[e.j] = ranks[e.j].SaturatingAdd(active[i].SaturatingMul(e.v))
		}
	}
	inc := refNormalize(ranks)
	// Weights for bonds.
	beta := fixed.I32F32FromUint64(uint64(in.BondsPenalty)).SafeDiv(u16m)
	var wb sp
	switch {
	case beta.IsZero():
		wb = w
	case beta == one:
		wb = wc
	default:
		wb = make(sp, n)
		for i := range n {
			r1, r2 := make([]fixed.I32F32, n), make([]fixed.I32F32, n)
			for _, e := range w[i] {
				r1[e.j] = e.v
			}
			for _, e := range wc[i] {
				r2[e.j] = e.v
			}
			for j := range n {
				v := r1[j].SaturatingAdd(beta.SaturatingMul(r2[j].SaturatingSub(r1[j])))
				if v.Sign() > 0 {
					wb[i] = append(wb[i], entry{uint16(j), v})
				}
			}
		}
	}
	// Bonds.
	lastTempo := in.CurrentBlock - min(in.CurrentBlock, uint64(in.Tempo))
	if in.LastMechanismStepBlock != 0 {
		lastTempo = fixed.SaturatingAddUint64(in.LastMechanismStepBlock, 1)
	}
	b := make(sp, n)
	for i := 0; i < n && i < len(in.Bonds); i++ {
		for _, e := range in.Bonds[i] {
			v := fixed.I32F32FromUint64(uint64(e.Value))
			if in.Yuma3 {
				v = v.SafeDiv(u16m)
			}
			var r uint64
			if int(e.UID) < n {
				r = reg[e.UID]
			}
			if !(lastTempo <= r) {
				b[i] = append(b[i], entry{uint16(e.UID), v})
			}
		}
	}
	q := fixed.I64F64FromUint64(in.BondsMovingAverage).SafeDiv(fixed.I64F64FromUint64(1_000_000))
	alpha := one.SaturatingSub(q.SaturatingToI32F32())
	var ema sp
	div := make([]fixed.I32F32, n)
	if in.Yuma3 {
		liquid := false
		for _, c := range cons {
			liquid = liquid || !c.IsZero()
		}
		if in.LiquidAlpha && liquid {
			ema = refLiquidEMA(wb, b, cons, refU16Proportion(in.AlphaLow), refU16Proportion(in.AlphaHigh), in.AlphaSigmoidSteepness)
		} else {
			if in.BondsMovingAverage >= 2_147_483_648_000_000 {
				return Output{}, ErrBondsMovingAverageOverflow
			}
			ema = refEmaSparse(wb, b, alpha)
		}
		nrm := refColNormalize(ema, n)
		for i, r := range nrm {
			t := zero
			for _, e := range r {
				if int(e.j) < n {
					if p := e.v.SaturatingMul(inc[e.j]); !p.IsZero() {
						t = t.Add(p)
					}
				}
			}
			d, ok := t.CheckedMul(active[i])
			if !ok {
				d = zero
			}
			div[i] = d
		}
	} else {
		b = refColNormalize(b, n)
		delta := make(sp, n)
		for i, r := range wb {
			for _, e := range r {
				delta[i] = append(delta[i], entry{e.j, e.v.SaturatingMul(active[i])})
			}
		}
		delta = refColNormalize(delta, n)
		ema = refColNormalize(refEmaSparse(delta, b, alpha), n)
		for i, r := range ema {
			acc := zero
			for _, e := range r {
				if int(e.j) < n {
					acc = acc.SaturatingAdd(inc[e.j].SaturatingMul(e.v))
				}
			}
			div[i] = acc
		}
		colMax := make([]fixed.I32F32, n)
		for _, r := range ema {
			for _, e := range r {
				if int(e.j) < n && colMax[e.j].Less(e.v) {
					colMax[e.j] = e.v
				}
			}
		}
		for _, r := range ema {
			for k := range r {
				if int(r[k].j) < n && !colMax[r[k].j].IsZero() {
					r[k].v = r[k].v.SafeDiv(colMax[r[k].j])
				}
			}
		}
	}
	div = refNormalize(div)
	// Emission.
	comb := make([]fixed.I32F32, n)
	for i := range comb {
		comb[i] = inc[i].SaturatingAdd(div[i])
	}
	esum := refSum(comb)
	nse, nve, nce := slices.Clone(inc), slices.Clone(div), refNormalize(comb)
	if !esum.IsZero() {
		for i := range nse {
			nse[i], nve[i] = nse[i].SafeDiv(esum), nve[i].SafeDiv(esum)
		}
	} else {
		src := active
		if refSum(active).IsZero() {
			src = stake
		}
		nve, nce = slices.Clone(src), slices.Clone(src)
	}
	e96 := fixed.I96F32FromUint64(uint64(in.Emission))
	rao := func(x fixed.I32F32) units.Alpha {
		return units.Alpha(x.SaturatingToI96F32().SaturatingMul(e96).SaturatingToUint64())
	}
	u16s := func(x []fixed.I32F32) []uint16 {
		out := make([]uint16, len(x))
		for i, v := range x {
			out[i] = v.SaturatingMul(u16m).SaturatingToUint16()
		}
		return out
	}
	out := Output{
		Consensus: u16s(cons), Incentive: u16s(inc), Dividends: u16s(div), ValidatorTrust: u16s(vt),
		StakeWeight: u16s(stake), ValidatorPermit: newPermits, Bonds: make([][]Entry, n),
		Active: make([]bool, n), Stake: make([]uint64, n),
	}
	for i := range n {
		out.ServerEmission = append(out.ServerEmission, rao(nse[i]))
		out.ValidatorEmission = append(out.ValidatorEmission, rao(nve[i]))
		out.Emission = append(out.Emission, rao(nce[i]))
		out.Active[i] = !inactive[i]
		out.Stake[i] = total[i].SaturatingToUint64()
		if newPermits[i] {
			for _, e := range ema[i] {
				out.Bonds[i] = append(out.Bonds[i], Entry{units.UID(e.j), e.v.SaturatingMul(u16m).SaturatingToUint16()})
			}
		}
	}
	return out, nil
}

// drawInput draws an input of any shape the chain can hold (see
// Input.Validate): short or empty LastUpdate, ValidatorPermit and
// CommitBlocks, TaoStake absent or full, weight and bond rows sorted or
// not, with duplicates, and fewer rows than uids.
func drawInput(t *rapid.T) Input {
	n := rapid.IntRange(0, 9).Draw(t, "n")
	sorted := rapid.Bool().Draw(t, "sorted")
	u64s := func(label string, hi uint64, lo int) []uint64 {
		return rapid.SliceOfN(rapid.Uint64Range(0, hi), lo, n).Draw(t, label)
	}
	rows := func(label string) [][]Entry {
		if n == 0 {
			return nil
		}
		rs := rapid.SliceOfN(rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Entry {
			return Entry{units.UID(rapid.IntRange(0, n-1).Draw(t, "uid")),
				rapid.SampledFrom([]uint16{0, 1, 100, 32767, 65535, 40000}).Draw(t, "v")}
		}), 0, n+3), 0, n).Draw(t, label)
		if sorted {
			for i := range rs {
				slices.SortFunc(rs[i], func(a, b Entry) int { return int(a.UID) - int(b.UID) })
				rs[i] = slices.CompactFunc(rs[i], func(a, b Entry) bool { return a.UID == b.UID })
			}
		}
		return rs
	}
	in := Input{
		N:                         uint16(n),
		CurrentBlock:              rapid.Uint64Range(0, 100).Draw(t, "block"),
		Tempo:                     rapid.Uint16Range(0, 50).Draw(t, "tempo"),
		ActivityCutoffFactorMilli: rapid.Uint32Range(1000, 20000).Draw(t, "cutoff"),
		LastUpdate:                u64s("lu", 100, 0),
		BlockAtRegistration:       u64s("reg", 100, n),
		AlphaStake:                alphas(u64s("alpha", 1e12, n)),
		TaoWeight:                 rapid.Uint64().Draw(t, "tw"),
		StakeThreshold:            rapid.Uint64Range(0, 1e6).Draw(t, "threshold"),
		ValidatorPermit:           rapid.SliceOfN(rapid.Bool(), 0, n).Draw(t, "permit"),
		MaxAllowedValidators:      rapid.Uint16Range(0, uint16(n+2)).Draw(t, "k"),
		Kappa:                     rapid.Uint16().Draw(t, "kappa"),
		BondsPenalty:              rapid.SampledFrom([]uint16{0, 65535, 32767, 1}).Draw(t, "bp"),
		BondsMovingAverage:        rapid.Uint64Range(0, 2_000_000).Draw(t, "bma"),
		Yuma3:                     rapid.Bool().Draw(t, "yuma3"),
		LiquidAlpha:               rapid.Bool().Draw(t, "la"),
		AlphaLow:                  rapid.Uint16Range(MinAlphaValue, 65535).Draw(t, "alo"),
		AlphaSigmoidSteepness:     rapid.Int16().Draw(t, "steep"),
		Weights:                   rows("w"),
		Bonds:                     rows("b"),
		LastMechanismStepBlock:    rapid.Uint64Range(0, 100).Draw(t, "lms"),
		Emission:                  units.Alpha(rapid.Uint64().Draw(t, "emission")),
	}
	in.AlphaHigh = rapid.Uint16Range(in.AlphaLow, 65535).Draw(t, "ahi")
	if rapid.Bool().Draw(t, "hastao") {
		in.TaoStake = taos(u64s("tao", 1e12, n))
	}
	if n > 0 && rapid.Bool().Draw(t, "owner") {
		in.HasOwner, in.OwnerUID = true, units.UID(rapid.IntRange(0, n-1).Draw(t, "owneruid"))
	}
	if rapid.Bool().Draw(t, "cr") {
		in.CommitBlocks = u64s("commit", 100, 0)
	}
	if err := in.Validate(); err != nil {
		t.Fatalf("drawInput drew an input the chain cannot hold: %v", err)
	}
	return in
}

// The optimised epoch equals the literal transcription on inputs of every
// shape the chain can hold (sorted or not, duplicates, short vectors).
func TestEpochMatchesReference(t *testing.T) {
	var ws Workspace
	var out Output
	rapid.Check(t, func(t *rapid.T) {
		in := drawInput(t)
		want, wantErr := refEpoch(&in)
		err := ws.Epoch(&in, &out)
		if !errors.Is(err, wantErr) {
			t.Fatalf("error %v, reference %v", err, wantErr)
		}
		if err != nil {
			return
		}
		checkOutput(t, &out, &want)
	})
}

// checkOutput fails t where out differs from the reference want.
func checkOutput(t *rapid.T, out, want *Output) {
	eq := func(name string, a, b any, ok bool) {
		if !ok {
			t.Fatalf("%s: got %v, reference %v", name, a, b)
		}
	}
	eq("consensus", out.Consensus, want.Consensus, slices.Equal(out.Consensus, want.Consensus))
	eq("incentive", out.Incentive, want.Incentive, slices.Equal(out.Incentive, want.Incentive))
	eq("dividends", out.Dividends, want.Dividends, slices.Equal(out.Dividends, want.Dividends))
	eq("trust", out.ValidatorTrust, want.ValidatorTrust, slices.Equal(out.ValidatorTrust, want.ValidatorTrust))
	eq("stake weight", out.StakeWeight, want.StakeWeight, slices.Equal(out.StakeWeight, want.StakeWeight))
	eq("server", out.ServerEmission, want.ServerEmission, slices.Equal(out.ServerEmission, want.ServerEmission))
	eq("validator", out.ValidatorEmission, want.ValidatorEmission, slices.Equal(out.ValidatorEmission, want.ValidatorEmission))
	eq("emission", out.Emission, want.Emission, slices.Equal(out.Emission, want.Emission))
	eq("permits", out.ValidatorPermit, want.ValidatorPermit, slices.Equal(out.ValidatorPermit, want.ValidatorPermit))
	eq("active", out.Active, want.Active, slices.Equal(out.Active, want.Active))
	eq("stake", out.Stake, want.Stake, slices.Equal(out.Stake, want.Stake))
	eq("bond rows", len(out.Bonds), len(want.Bonds), len(out.Bonds) == len(want.Bonds))
	for i := range want.Bonds {
		eq("bonds", out.Bonds[i], want.Bonds[i], slices.Equal(out.Bonds[i], want.Bonds[i]))
	}
}

// drawLargeInput is a subnet large enough for the fast kernels' long paths
// (the median's partition passes, long tidy rows): up to 80 uids, most of
// them permitted validators weighting most uids in ascending order, with
// weights and bonds from a few values (so that medians tie and liquid
// alpha's divergences repeat) or from all of u16.
func drawLargeInput(t *rapid.T) Input {
	n := rapid.IntRange(10, 80).Draw(t, "n")
	few := rapid.Bool().Draw(t, "few")
	value := func(t *rapid.T) uint16 {
		if few {
			return rapid.SampledFrom([]uint16{0, 1, 100, 32767, 65535}).Draw(t, "v")
		}
		return rapid.Uint16().Draw(t, "v")
	}
	rows := func(label string) [][]Entry {
		rs := make([][]Entry, n)
		for i := range rs {
			if !rapid.Bool().Draw(t, label+"row") {
				continue
			}
			for j := range n {
				if rapid.IntRange(0, 9).Draw(t, "keep") > 0 {
					rs[i] = append(rs[i], Entry{units.UID(j), value(t)})
				}
			}
			if rapid.IntRange(0, 9).Draw(t, "shuffle") == 0 && len(rs[i]) > 1 {
				k := rapid.IntRange(1, len(rs[i])-1).Draw(t, "swap")
				rs[i][0], rs[i][k] = rs[i][k], rs[i][0]
			}
		}
		return rs
	}
	in := Input{
		N:                         uint16(n),
		CurrentBlock:              1000,
		Tempo:                     360,
		ActivityCutoffFactorMilli: DefaultActivityCutoffFactorMilli,
		LastUpdate:                make([]uint64, n),
		BlockAtRegistration:       make([]uint64, n),
		AlphaStake:                make([]units.Alpha, n),
		ValidatorPermit:           make([]bool, n),
		MaxAllowedValidators:      uint16(rapid.IntRange(1, n).Draw(t, "k")),
		Kappa:                     rapid.SampledFrom([]uint16{DefaultKappa, 0, 65535, 10000}).Draw(t, "kappa"),
		BondsPenalty:              rapid.SampledFrom([]uint16{65535, 0, 32767}).Draw(t, "bp"),
		BondsMovingAverage:        DefaultBondsMovingAverage,
		Yuma3:                     rapid.IntRange(0, 3).Draw(t, "yuma3") > 0,
		LiquidAlpha:               rapid.IntRange(0, 3).Draw(t, "la") > 0,
		AlphaLow:                  DefaultAlphaLow,
		AlphaHigh:                 DefaultAlphaHigh,
		AlphaSigmoidSteepness:     rapid.SampledFrom([]int16{DefaultAlphaSigmoidSteepness, 10, -300}).Draw(t, "steep"),
		Weights:                   rows("w"),
		Bonds:                     rows("b"),
		Emission:                  1_000_000_000_000,
	}
	for i := range n {
		in.LastUpdate[i] = rapid.SampledFrom([]uint64{990, 990, 990, 5}).Draw(t, "lu")
		// Registered long ago, after the last epoch (640) but before the
		// weights were set (bonds masked, weights kept), or after that.
		in.BlockAtRegistration[i] = rapid.SampledFrom([]uint64{10, 10, 10, 700, 995}).Draw(t, "reg")
		in.AlphaStake[i] = units.Alpha(rapid.Uint64Range(0, 1e13).Draw(t, "stake"))
		in.ValidatorPermit[i] = rapid.IntRange(0, 3).Draw(t, "permit") > 0
	}
	return in
}

// The optimised epoch equals the literal transcription on larger subnets.
func TestEpochMatchesReferenceLarge(t *testing.T) {
	var ws Workspace
	var out Output
	rapid.Check(t, func(t *rapid.T) {
		in := drawLargeInput(t)
		want, wantErr := refEpoch(&in)
		if err := ws.Epoch(&in, &out); !errors.Is(err, wantErr) {
			t.Fatalf("error %v, reference %v", err, wantErr)
		}
		if wantErr != nil {
			return
		}
		checkOutput(t, &out, &want)
	})
}
