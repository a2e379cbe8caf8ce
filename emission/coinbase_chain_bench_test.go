package emission

import (
	"fmt"
	"testing"
)

// BenchmarkCoinbaserChained is BenchmarkCoinbaser with the pools carried
// from one block to the next, as the ledger's are (most pools see no
// trade between two coinbases).
func BenchmarkCoinbaserChained(b *testing.B) {
	for _, n := range []int{64} {
		b.Run(fmt.Sprintf("subnets=%d", n), func(b *testing.B) {
			in := benchCoinbaseInput(n)
			var z Coinbaser
			b.ReportAllocs()
			for b.Loop() {
				if _, err := z.Coinbase(&in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
