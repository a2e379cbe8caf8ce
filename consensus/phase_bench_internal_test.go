package consensus

import "testing"

// BenchmarkEpochPhases times the phases of one epoch of the ledger
// benchmark (ledgerInput) one at a time, each repeated in a workspace left
// by a full epoch: every phase below reads only what the phases before it
// left and rewrites its own outputs, so repeating it does the work of one
// epoch's run of it (consensus runs after readWeights, whose median keys
// it consumes; clipRankEMA, which leaves EMA rows in place of the weight
// rows it reads, runs after both, and the difference of the two figures
// is its own). The per-phase figures are steadier than the whole
// epoch's on a shared machine, and tell which phase a change moved.
func BenchmarkEpochPhases(b *testing.B) {
	in := ledgerInput(b, 1)
	var ws Workspace
	var out Output
	if err := ws.Epoch(&in, &out); err != nil {
		b.Fatal(err)
	}
	v := newEpochView(&in)
	rate, ok := ws.clippedStoredRate(&v)
	if !ok {
		b.Fatal("ledgerInput does not take clipRankEMA")
	}
	// The epoch took clipRankEMA, which builds no ws.wc and leaves EMA
	// rows in ws.w: readWeights rebuilds the weights and clipRanks builds
	// ws.wc from them for the unfused phases clipRanks and emaStored.
	ws.readWeights(&v)
	ws.consensus(&v)
	ws.clipRanks(&v)
	wb, wbTidy := ws.weightsForBonds(&v)
	phases := []struct {
		name       string
		run, setup func() // setup (if any) runs before the timing
	}{
		{"stakeWeights", func() { ws.stakeWeights(&v) }, nil},
		{"validatorPermits", func() { ws.validatorPermits(&v) }, nil},
		{"activeStake", func() { ws.activeStake(&v) }, nil},
		{"readWeights", func() { ws.readWeights(&v) }, nil},
		// readWeights buckets the keys of the column medians, which
		// consensus consumes: the two run together.
		{"readWeights+consensus", func() { ws.readWeights(&v); ws.consensus(&v) }, nil},
		{"readWeights+consensus+clipRankEMA", func() { ws.readWeights(&v); ws.consensus(&v); ws.clipRankEMA(&v, rate) }, nil},
		// clipRankEMA's work unfused, as epochs it does not admit run it,
		// on the weights clipRankEMA left EMA rows in: rebuilt once.
		{"clipRanks", func() { ws.clipRanks(&v) }, func() { ws.readWeights(&v); ws.consensus(&v) }},
		{"emaStored", func() { ws.emaStored(&v, wb, wbTidy, rate) }, nil},
		// emaStored left every EMA row in ws.ema.buf.
		{"dividendsAndBonds", func() { ws.dividendsAndBonds(&v, &out) }, func() { ws.emaCells = len(ws.ema.buf) }},
		{"emissionScores", func() { ws.emissionScores(&v) }, nil},
		{"writeOutput", func() { ws.writeOutput(&v, &out) }, nil},
	}
	for _, p := range phases {
		b.Run(p.name, func(b *testing.B) {
			if p.setup != nil {
				p.setup()
			}
			b.ReportAllocs()
			for b.Loop() {
				p.run()
			}
		})
	}
}
