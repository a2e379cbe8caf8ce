package dtaotest_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/dtaotest"
	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// NewLedger accepts every generated genesis, and its blocks pay: within
// two tempos every dynamic subnet runs an epoch that pays alpha out.
func TestGenesisIsAccepted(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := dtaotest.Genesis().Draw(t, "genesis")
		l, err := dtao.NewLedger(g)
		if err != nil {
			t.Fatal(err)
		}
		dtaotest.CheckLedger(t, l)
		paid := map[units.NetUID]units.Alpha{}
		l.OnEvent(func(e dtao.Event) {
			if e.Kind == dtao.EventEpoch {
				paid[e.NetUID] += e.Alpha
			}
		})
		var tempo uint16
		dynamic := 0
		for _, s := range g.Subnets {
			if s.NetUID == dtao.RootNetUID {
				continue
			}
			dynamic++
			tempo = max(tempo, s.Storage.Hyperparameters.Tempo)
			if n := len(s.Storage.Keys); n < 3 {
				t.Fatalf("netuid %d: %d neurons", s.NetUID, n)
			}
		}
		if dynamic < 1 || dynamic > 3 || len(g.Subnets) != dynamic+1 {
			t.Fatalf("%d subnets, %d dynamic", len(g.Subnets), dynamic)
		}
		for range 2*int(tempo) + 2 {
			if _, err := l.Step(); err != nil {
				t.Fatal(err)
			}
		}
		dtaotest.CheckLedger(t, l)
		for _, s := range g.Subnets {
			if s.NetUID != dtao.RootNetUID && paid[s.NetUID] == 0 {
				t.Fatalf("netuid %d (tempo %d): no epoch paid in %d blocks", s.NetUID, s.Storage.Hyperparameters.Tempo, 2*tempo+2)
			}
		}
	})
}

// Every call kind occurs, prints with its name, and applies; a kind
// outside the list is an error, not a panic.
func TestCallsCoverEveryKind(t *testing.T) {
	g := dtaotest.Genesis().Example(0)
	seen := map[dtaotest.CallKind]int{}
	for seed := range 600 {
		c := dtaotest.OneCall(&g).Example(seed)
		seen[c.Kind]++
		if s := c.String(); !strings.HasPrefix(s, c.Kind.String()+"(") || strings.HasPrefix(s, "CallKind") {
			t.Fatalf("String of %v: %q", c.Kind, s)
		}
	}
	for k := dtaotest.CallKind(1); k < dtaotest.NumCallKinds; k++ {
		if seen[k] == 0 {
			t.Errorf("no %v call in 600 draws", k)
		}
	}
	l, err := dtao.NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	h := l.StateHash()
	if err := (dtaotest.Call{}).Apply(l); err == nil || l.StateHash() != h {
		t.Fatalf("the zero Call applied: %v", err)
	}
	if got := dtaotest.CallKind(0).String(); got != "CallKind(0)" {
		t.Fatalf("CallKind(0).String() = %q", got)
	}
}

// A relative amount is the holding shifted at Apply time, and a call's
// error wraps the chain's.
func TestCallAmounts(t *testing.T) {
	g := dtaotest.Genesis().Example(3)
	l, err := dtao.NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	from, to := g.Accounts[0].Account, dtaotest.Key(dtaotest.RoleStaker, 0, 200)
	before := l.Balance(from)
	c := dtaotest.Call{Kind: dtaotest.CallTransfer, Coldkey: from, Dest: to, Relative: true, Shift: 2}
	if err := c.Apply(l); err != nil {
		t.Fatal(err)
	}
	if got, want := l.Balance(to), before>>2; got != want {
		t.Fatalf("transferred %d, want a quarter of %d", got, before)
	}
	c = dtaotest.Call{Kind: dtaotest.CallTransfer, Coldkey: to, Dest: from, Amount: l.Balance(to).Rao() + 1}
	h := l.StateHash()
	err = c.Apply(l)
	if !errors.Is(err, dtao.ErrFundsUnavailable) || l.StateHash() != h {
		t.Fatalf("overdraft: %v", err)
	}
	if !strings.Contains(err.Error(), "transfer(from=S0.200, to=O") {
		t.Fatalf("error %q does not name the call", err)
	}
}

// The state machine: calls drawn on a generated network, with after each
// call the invariants checked and a failed call's state unchanged; a
// snapshot taken at a drawn point, restored, and continued with the same
// calls reaches the same state hash as the ledger that never stopped, and
// a replay of the calls on a fresh ledger reaches it too.
func TestLedgerCallsStateMachine(t *testing.T) {
	succeeded := map[dtaotest.CallKind]int{}
	rapid.Check(t, func(t *rapid.T) {
		g := dtaotest.Genesis().Draw(t, "genesis")
		l, err := dtao.NewLedger(g)
		if err != nil {
			t.Fatal(err)
		}
		calls := dtaotest.Calls(&g).Draw(t, "calls")
		at := rapid.IntRange(0, len(calls)).Draw(t, "snapshot_at")
		var restored *dtao.Ledger
		for i, c := range calls {
			if i == at {
				restored = snapshot(t, l)
			}
			h := l.StateHash()
			err := c.Apply(l)
			if err != nil && l.StateHash() != h {
				t.Fatalf("call %d failed (%v) and changed the state", i, err)
			}
			if err == nil {
				succeeded[c.Kind]++
			}
			dtaotest.CheckLedger(t, l)
			if restored != nil {
				rerr := c.Apply(restored)
				if (rerr == nil) != (err == nil) {
					t.Fatalf("call %d: %v on the ledger, %v on the restored one", i, err, rerr)
				}
			}
		}
		if restored == nil {
			restored = snapshot(t, l)
		}
		if restored.StateHash() != l.StateHash() {
			t.Fatal("restored and continued: a different state hash")
		}
		replay, err := dtao.NewLedger(g)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range calls {
			_ = c.Apply(replay)
		}
		if replay.StateHash() != l.StateHash() {
			t.Fatal("replayed: a different state hash")
		}
	})
	t.Logf("successful calls: %v", succeeded)
}

// Calls exercise success, not only the chain's refusals: over the
// deterministic examples of 300 networks and call sequences, every call
// kind succeeds at least once.
func TestEveryCallKindSucceeds(t *testing.T) {
	succeeded := map[dtaotest.CallKind]int{}
	for seed := range 300 {
		g := dtaotest.Genesis().Example(seed)
		l, err := dtao.NewLedger(g)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range dtaotest.Calls(&g).Example(seed) {
			if c.Apply(l) == nil {
				succeeded[c.Kind]++
			}
		}
	}
	for k := dtaotest.CallKind(1); k < dtaotest.NumCallKinds; k++ {
		// start_call succeeds only for the coldkey that registered the
		// subnet in the same sequence: TestStartCallApplies shows it.
		if succeeded[k] == 0 && k != dtaotest.CallStartCall {
			t.Errorf("no %v succeeded", k)
		}
	}
	t.Logf("successful calls: %v", succeeded)
}

// A register_network and the new owner's start_call on the netuid
// ActorsOf lists last apply.
func TestStartCallApplies(t *testing.T) {
	g := dtaotest.Genesis().Example(5) // the fast parameters: a 1 TAO lock
	a := dtaotest.ActorsOf(&g)
	l, err := dtao.NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	owner, hotkey := dtaotest.Key(dtaotest.RoleNeuronColdkey, 1, 3), dtaotest.Key(dtaotest.RoleMiner, 1, 0)
	next := a.NetUIDs[len(a.NetUIDs)-1]
	for _, c := range []dtaotest.Call{
		{Kind: dtaotest.CallRegisterNetwork, Coldkey: owner, Hotkey: hotkey},
		{Kind: dtaotest.CallStartCall, Coldkey: owner, NetUID: next},
	} {
		if err := c.Apply(l); err != nil {
			t.Fatal(err)
		}
	}
	if s, ok := l.Subnet(next); !ok || s.Owner != owner {
		t.Fatalf("netuid %d: %+v, %v", next, s, ok)
	}
	dtaotest.CheckLedger(t, l)
}

// snapshot writes l's snapshot and reads it back as a new ledger with the
// same state hash.
func snapshot(t *rapid.T, l *dtao.Ledger) *dtao.Ledger {
	var buf bytes.Buffer
	if err := l.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := dtao.ReadSnapshot(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if r.StateHash() != l.StateHash() {
		t.Fatal("a restored snapshot has another state hash")
	}
	return r
}

// CheckLedger passes a healthy ledger without a word. (Its failing side
// is CheckInvariants' error passed to t.Fatalf: no exported call builds a
// ledger that breaks an invariant, which is the point of the checker.)
func TestCheckLedgerPasses(t *testing.T) {
	g := dtaotest.Genesis().Example(1)
	l, err := dtao.NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{}
	dtaotest.CheckLedger(r, l)
	if r.failed {
		t.Fatalf("a healthy ledger failed: %s", r.log.String())
	}
}
