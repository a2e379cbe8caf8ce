package consensus

import "testing"

// BenchmarkEpochLedgerVaried is BenchmarkEpochLedger/miners=unstaked over
// sixty-four ledger subnets (seeds 1 to 64, each in its own warm Workspace),
// one epoch of each in turn: the same epoch run again and again lets the
// branch predictor learn its data-dependent branches, which a ledger,
// whose weights and stakes move between epochs, does not allow.
func BenchmarkEpochLedgerVaried(b *testing.B) {
	const k = 64
	ins := make([]Input, k)
	wss := make([]Workspace, k)
	var out Output
	for i := range ins {
		ins[i] = ledgerInput(b, uint64(i+1))
		if err := wss[i].Epoch(&ins[i], &out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := wss[i].Epoch(&ins[i], &out); err != nil {
			b.Fatal(err)
		}
		i = (i + 1) % k
	}
}
