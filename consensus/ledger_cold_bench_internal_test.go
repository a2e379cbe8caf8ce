package consensus

import "testing"

// BenchmarkEpochLedgerCold is BenchmarkEpochLedger/miners=unstaked with
// the caches flushed of the epoch's working set before each epoch (a
// sweep over 8 MiB, outside the timer), as in a block of the ledger
// benchmark, where about five blocks of other work run between two epochs
// of one workspace.
func BenchmarkEpochLedgerCold(b *testing.B) {
	in := ledgerInput(b, 1)
	var ws Workspace
	var out Output
	if err := ws.Epoch(&in, &out); err != nil {
		b.Fatal(err)
	}
	sweep := make([]uint64, 1<<20)
	var sink uint64
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		for i := range sweep {
			sweep[i] += uint64(i)
			sink += sweep[i]
		}
		b.StartTimer()
		if err := ws.Epoch(&in, &out); err != nil {
			b.Fatal(err)
		}
	}
	if sink == 1 {
		b.Log(sink)
	}
}
