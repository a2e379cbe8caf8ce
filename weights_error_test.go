package dtao_test

import (
	"errors"
	"testing"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// Every weight call's error names the call, its netuid and mechanism
// (none for batch_reveal_weights) before the subnet package's error, in
// the text the ledger has always given, and wraps that error: errors.Is
// and units.ChainName find it.
func TestWeightCallErrors(t *testing.T) {
	g, vs := smallWeightsNetwork(t, 0)
	l, err := dtao.NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	v := vs[0]
	stranger := units.AccountID{0xee, 1}
	var hash [32]byte
	for _, c := range []struct {
		err  error
		want error
		text string
	}{
		{l.SetWeights(v.Hotkey, dtao.RootNetUID, 0, v.UIDs, v.Values, 0), subnet.ErrCanNotSetRootNetworkWeights,
			"set_weights on netuid 0 mechanism 0: subnet: cannot set weights on the root network"},
		{l.SetWeights(stranger, v.NetUID, 0, v.UIDs, v.Values, 0), subnet.ErrHotKeyNotRegisteredInSubNet,
			"set_weights on netuid 1 mechanism 0: subnet: hotkey not registered in the subnet"},
		{l.SetWeights(v.Hotkey, 99, 3, v.UIDs, v.Values, 0), subnet.ErrMechanismDoesNotExist,
			"set_weights on netuid 99 mechanism 3: subnet: mechanism does not exist"},
		{l.SetWeightsBatch(nil, []dtao.WeightsCall{{Hotkey: stranger, NetUID: 2, Mech: 0, UIDs: v.UIDs, Values: v.Values}})[0],
			subnet.ErrHotKeyNotRegisteredInSubNet,
			"set_weights on netuid 2 mechanism 0: subnet: hotkey not registered in the subnet"},
		{l.SetWeightsBatch(nil, []dtao.WeightsCall{{Hotkey: v.Hotkey, NetUID: 99, Mech: 1}})[0],
			subnet.ErrMechanismDoesNotExist,
			"set_weights on netuid 99 mechanism 1: subnet: mechanism does not exist"},
		{l.CommitWeights(v.Hotkey, v.NetUID, 0, hash), subnet.ErrCommitRevealDisabled,
			"commit_weights on netuid 1 mechanism 0: subnet: commit-reveal is disabled"},
		{l.RevealWeights(v.Hotkey, 3, 2, v.UIDs, v.Values, nil, 0), subnet.ErrCommitRevealDisabled,
			"reveal_weights on netuid 3 mechanism 2: subnet: commit-reveal is disabled"},
		{l.BatchRevealWeights(v.Hotkey, 99, nil, nil, nil, nil), subnet.ErrMechanismDoesNotExist,
			"batch_reveal_weights on netuid 99: subnet: mechanism does not exist"},
	} {
		if c.err == nil {
			t.Errorf("%q: no error", c.text)
			continue
		}
		if got := c.err.Error(); got != c.text {
			t.Errorf("text %q, want %q", got, c.text)
		}
		if !errors.Is(c.err, c.want) {
			t.Errorf("%q does not wrap %v", c.text, c.want)
		}
		if got, want := units.ChainName(c.err), units.ChainName(c.want); got != want {
			t.Errorf("%q: chain name %q, want %q", c.text, got, want)
		}
	}
}

// A batch whose calls are refused allocates one error a refused call and
// nothing else: the text is made when read.
func TestSetWeightsBatchAllocsRefused(t *testing.T) {
	l, calls := smallWeightsCalls(t)
	// Three refused: by the subnet (no uid), on the root network, on no subnet.
	calls[1].Hotkey = units.AccountID{0xee, 2}
	calls[3].NetUID = dtao.RootNetUID
	calls[len(calls)-1].NetUID = 99
	const refused = 3
	errs := make([]error, 0, len(calls))
	check := func() {
		errs = l.SetWeightsBatch(errs[:0], calls)
		n := 0
		for _, err := range errs {
			if err != nil {
				n++
			}
		}
		if n != refused {
			t.Fatalf("%d calls refused, want %d", n, refused)
		}
	}
	check()
	if allocs := testing.AllocsPerRun(50, check); allocs != refused {
		t.Fatalf("%v allocations per batch of %d calls with %d refused, want %d", allocs, len(calls), refused, refused)
	}
}
