package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/units"
)

// ledgerInput is one subnet of the ledger benchmark (sim.BenchConfig, as
// package sim's network builds it) at an epoch: 256 uids, the owner at
// uid 0 and 63 more validators holding permits, uids 1 to 16 also holding
// root (TAO) stake, stake falling off as 1/rank, every validator weighting
// the same 32 miners by a quality seen through ±20% of noise and max-upscaled
// to 65535 as set_weights stores them, the chain's defaults for a new
// subnet (Yuma 3 on, liquid alpha off, bonds penalty 1, kappa ½, bonds
// moving average 0.9), commit-reveal off, and the bonds of the epoch one
// tempo before on the same weights.
func ledgerInput(tb testing.TB, seed uint64) Input {
	return ledgerInputWith(tb, seed, false)
}

// ledgerInputWith is ledgerInput, where with minerStake the 32 weighted
// miners also hold the alpha their incentive paid them (0.1 to 5 alpha,
// below every validator's), as they do in the ledger after its first
// epochs: 96 uids then have stake, more than the 64 permits, so the
// permits' top-k selection runs, and the 64 validators keep their permits,
// so the other phases do the same work as on ledgerInput.
func ledgerInputWith(tb testing.TB, seed uint64, minerStake bool) Input {
	const n, v, miners, roots = 256, 64, 32, 16
	r := rand.New(rand.NewPCG(seed, 7))
	between := func(lo, hi uint64) uint64 { return lo + r.Uint64N(hi-lo+1) }
	in := NewInput(n)
	in.CurrentBlock = 7200 + 360
	in.HasOwner, in.OwnerUID = true, 0
	in.Emission = 500_000_000_000
	for uid := range n {
		in.BlockAtRegistration[uid] = between(0, 3600)
	}
	pick := make([]units.UID, 0, n-v)
	for uid := v; uid < n; uid++ {
		pick = append(pick, units.UID(uid))
	}
	quality := make([]uint64, miners)
	for j := range miners {
		s := j + r.IntN(len(pick)-j)
		pick[j], pick[s] = pick[s], pick[j]
		quality[j] = between(1000, 50_000)
		if minerStake {
			in.AlphaStake[pick[j]] = units.Alpha(between(100_000_000, 5_000_000_000))
		}
	}
	for k := range v {
		in.ValidatorPermit[k] = true
		in.LastUpdate[k] = in.CurrentBlock - between(1, 359)
		rank := uint64(k + 1)
		if k == 0 {
			rank = 4
		}
		in.AlphaStake[k] = units.Alpha(between(50, 150) * 1_000_000_000_000 / (100 * rank))
		if k >= 1 && k <= roots {
			in.TaoStake[k] = units.TAO(between(100_000, 500_000) * 1_000_000_000)
		}
		row := make([]Entry, miners)
		var top uint64
		for j := range miners {
			row[j] = Entry{UID: pick[j], Value: uint16(quality[j] * between(80, 120) / 100)}
			top = max(top, uint64(row[j].Value))
		}
		for j := range row {
			row[j].Value = uint16(uint64(row[j].Value) * 65535 / top)
		}
		slices.SortFunc(row, func(a, b Entry) int { return int(a.UID) - int(b.UID) })
		in.Weights[k] = row
	}
	// Two epochs one tempo apart give bonds as the ledger carries them.
	for range 2 {
		out, err := Epoch(in)
		if err != nil {
			tb.Fatal(err)
		}
		in.Bonds = out.Bonds
		in.ValidatorPermit = out.ValidatorPermit
		in.LastMechanismStepBlock = in.CurrentBlock
		in.CurrentBlock += 360
		for k := range v {
			in.LastUpdate[k] += 360
		}
	}
	return in
}

// BenchmarkEpochLedger is one subnet's epoch of the ledger benchmark
// (ledgerInput) in a warm Workspace.
// The sub-benchmark miners=staked gives the weighted miners stake too
// (ledgerInputWith), as the ledger's miners hold after their first epochs.
func BenchmarkEpochLedger(b *testing.B) {
	for _, staked := range []bool{false, true} {
		name := "miners=unstaked"
		if staked {
			name = "miners=staked"
		}
		b.Run(name, func(b *testing.B) {
			in := ledgerInputWith(b, 1, staked)
			var ws Workspace
			var out Output
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

// TestEpochLedgerMatchesReference: on ledgerInput's shape (where every
// fast path of the epoch is taken: the sparse median, the merged EMA, the
// divisor kernels, the skipped permit sort) and a few seeds, Epoch gives
// refEpoch's outputs, over three epochs that carry their bonds.
//
// Seeds 4 to 7 give the miners stake (ledgerInputWith), so that the
// permits' top-k selection runs.
func TestEpochLedgerMatchesReference(t *testing.T) {
	for seed := range uint64(8) {
		in := ledgerInputWith(t, seed, seed >= 4)
		var ws Workspace
		var out Output
		for range 3 {
			if err := ws.Epoch(&in, &out); err != nil {
				t.Fatal(err)
			}
			want, err := refEpoch(&in)
			if err != nil {
				t.Fatal(err)
			}
			eq := func(name string, ok bool) {
				if !ok {
					t.Fatalf("seed %d block %d: %s differ from the reference", seed, in.CurrentBlock, name)
				}
			}
			eq("consensus", slices.Equal(out.Consensus, want.Consensus))
			eq("incentive", slices.Equal(out.Incentive, want.Incentive))
			eq("dividends", slices.Equal(out.Dividends, want.Dividends))
			eq("trust", slices.Equal(out.ValidatorTrust, want.ValidatorTrust))
			eq("stake weight", slices.Equal(out.StakeWeight, want.StakeWeight))
			eq("server emission", slices.Equal(out.ServerEmission, want.ServerEmission))
			eq("validator emission", slices.Equal(out.ValidatorEmission, want.ValidatorEmission))
			eq("emission", slices.Equal(out.Emission, want.Emission))
			eq("permits", slices.Equal(out.ValidatorPermit, want.ValidatorPermit))
			eq("active", slices.Equal(out.Active, want.Active))
			eq("stake", slices.Equal(out.Stake, want.Stake))
			eq("bond rows", len(out.Bonds) == len(want.Bonds))
			for i := range want.Bonds {
				eq("bonds", slices.Equal(out.Bonds[i], want.Bonds[i]))
			}
			in.Bonds = slices.Clone(out.Bonds)
			for i := range in.Bonds {
				in.Bonds[i] = slices.Clone(in.Bonds[i])
			}
			in.ValidatorPermit = slices.Clone(out.ValidatorPermit)
			in.LastMechanismStepBlock = in.CurrentBlock
			in.CurrentBlock += 360
			for k := range 64 {
				in.LastUpdate[k] += 360
			}
		}
	}
}

// TestEpochLedgerShape checks that ledgerInput has the shape it claims:
// 64 permits, bonds carried, consensus on exactly the 32 weighted miners,
// and that a warm Workspace runs it without allocating.
func TestEpochLedgerShape(t *testing.T) {
	in := ledgerInput(t, 1)
	var ws Workspace
	var out Output
	if err := ws.Epoch(&in, &out); err != nil {
		t.Fatal(err)
	}
	permits, bonded, nonzero := 0, 0, 0
	for i := range int(in.N) {
		if out.ValidatorPermit[i] {
			permits++
		}
		if len(in.Bonds[i]) > 0 {
			bonded++
		}
		if out.Consensus[i] != 0 {
			nonzero++
		}
	}
	if permits != 64 || bonded != 64 || nonzero != 32 {
		t.Fatalf("permits %d, bonded rows %d, non-zero consensus %d: want 64, 64, 32", permits, bonded, nonzero)
	}
	allocs := testing.AllocsPerRun(20, func() {
		if err := ws.Epoch(&in, &out); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Workspace.Epoch allocates %v times per run on the ledger shape, want 0", allocs)
	}
}

// TestEpochLedgerStakedShape: with staked miners (ledgerInputWith) 96 uids
// hold stake, the 64 validators keep their permits and the miners get none,
// and a warm Workspace runs it (the permits' selection included) without
// allocating.
func TestEpochLedgerStakedShape(t *testing.T) {
	in := ledgerInputWith(t, 1, true)
	var ws Workspace
	var out Output
	if err := ws.Epoch(&in, &out); err != nil {
		t.Fatal(err)
	}
	staked, validators, permits := 0, 0, 0
	for i := range int(in.N) {
		if out.Stake[i] != 0 {
			staked++
		}
		if out.ValidatorPermit[i] {
			permits++
			if i < 64 {
				validators++
			}
		}
	}
	if staked != 96 || permits != 64 || validators != 64 {
		t.Fatalf("staked uids %d, permits %d, validators with permits %d: want 96, 64, 64", staked, permits, validators)
	}
	allocs := testing.AllocsPerRun(20, func() {
		if err := ws.Epoch(&in, &out); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Workspace.Epoch allocates %v times per run with staked miners, want 0", allocs)
	}
}
