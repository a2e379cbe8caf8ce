package consensus

import "testing"

// BenchmarkEpochPhases times the phases of one epoch of the ledger
// benchmark (ledgerInput) one at a time, each repeated in a workspace left
// by a full epoch: every phase below reads only what the phases before it
// left and rewrites its own outputs, so repeating it does the work of one
// epoch's run of it (consensus runs after readWeights, whose median keys
// it consumes). The per-phase figures are steadier than the whole
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
	// The epoch took clipRankEMA, which builds no ws.wc: clipRanks builds
	// it for the unfused phases clipRanks and emaStored.
	ws.clipRanks(&v)
	wb, wbTidy := ws.weightsForBonds(&v)
	phases := []struct {
		name string
		run  func()
	}{
		{"stakeWeights", func() { ws.stakeWeights(&v) }},
		{"validatorPermits", func() { ws.validatorPermits(&v) }},
		{"activeStake", func() { ws.activeStake(&v) }},
		{"readWeights", func() { ws.readWeights(&v) }},
		// readWeights buckets the keys of the column medians, which
		// consensus consumes: the two run together.
		{"readWeights+consensus", func() { ws.readWeights(&v); ws.consensus(&v) }},
		{"clipRankEMA", func() { ws.clipRankEMA(&v, rate) }},
		// clipRankEMA's work unfused, as epochs it does not admit run it.
		{"clipRanks", func() { ws.clipRanks(&v) }},
		{"emaStored", func() { ws.emaStored(&v, wb, wbTidy, rate) }},
		{"dividendsAndBonds", func() { ws.dividendsAndBonds(&v, &out) }},
		{"emissionScores", func() { ws.emissionScores(&v) }},
		{"writeOutput", func() { ws.writeOutput(&v, &out) }},
	}
	for _, p := range phases {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.run()
			}
		})
	}
}
