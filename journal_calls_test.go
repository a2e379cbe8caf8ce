package dtao_test

import (
	"errors"
	"testing"

	"pgregory.net/rapid"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/dtaotest"
	"github.com/dtao-go/dtao/units"
)

// Every ledger call, drawn by dtaotest.Calls on dtaotest's networks, leaves
// the journal closed, no pool linked with it and no empty pool stored, and
// a refused call leaves the state hash as it was: the share pools the
// journal restores from its records are the ones it started from.
func TestJournalThroughEveryCall(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := dtaotest.Genesis().Draw(t, "genesis")
		l, err := dtao.NewLedger(g)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range dtaotest.Calls(&g).Draw(t, "calls") {
			before := l.StateHash()
			err := c.Apply(l)
			var ce *units.ChainError
			if err != nil && errors.As(err, &ce) && c.Kind != dtaotest.CallStep && l.StateHash() != before {
				t.Fatalf("%v refused (%v) changed the state", c, err)
			}
			if err := dtao.JournalClosed(l); err != nil {
				t.Fatalf("after %v: %v", c, err)
			}
			if err := dtao.UIDCachesCurrent(l); err != nil {
				t.Fatalf("after %v: %v", c, err)
			}
		}
		dtaotest.CheckLedger(t, l)
	})
}
