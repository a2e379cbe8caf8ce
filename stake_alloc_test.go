package dtao

import (
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// The agents' calls allocate nothing once the journal's slices have
// grown: add_stake and remove_stake on a subnet and on root (whose
// RootClaimed adjustments run over the hotkey's RootClaimable), and the
// reads Stake and Balance. (checkOrigin once moved every caller's coldkey
// to the heap for its error message.)
func TestStakeCallsAllocateNothing(t *testing.T) {
	for _, listen := range []bool{false, true} {
		t.Run(map[bool]string{false: "no listener", true: "listener"}[listen], func(t *testing.T) {
			l := testNetwork(t)
			events := 0
			if listen {
				// The calls' events go through a buffer the ledger lends
				// each call (journal.events): none allocates either.
				l.OnEvent(func(Event) { events++ })
			}
			checkStakeCallsAllocateNothing(t, l)
			if listen && events == 0 {
				t.Fatal("the listener heard no event")
			}
		})
	}
}

func checkStakeCallsAllocateNothing(t *testing.T, l *Ledger) {
	ck, hk, root := acctN(0), acctN(100), acctN(102)
	l.addClaimable(stakeKey{root, 1}, new(fixed.I96F32FromUint64(3)))
	calls := []struct {
		name string
		f    func() error
	}{
		{"subnet", func() error {
			a, err := l.AddStake(ck, hk, 1, 5_000_000_000)
			if err != nil {
				return err
			}
			_, err = l.RemoveStake(ck, hk, 1, a)
			return err
		}},
		{"root", func() error {
			a, err := l.AddStake(ck, root, RootNetUID, 5_000_000_000)
			if err != nil {
				return err
			}
			_, err = l.RemoveStake(ck, root, RootNetUID, a)
			return err
		}},
		{"reads", func() error {
			if l.Stake(hk, ck, 1) == 0 || l.Balance(ck) == 0 {
				t.Fatal("no stake or no balance to read")
			}
			return nil
		}},
	}
	for _, c := range calls {
		if err := c.f(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var err error
		if n := testing.AllocsPerRun(50, func() { err = c.f() }); n != 0 || err != nil {
			t.Fatalf("%s: %v allocations per call pair, error %v", c.name, n, err)
		}
	}
}
