package dtao_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/sim"
	"github.com/dtao-go/dtao/units"
)

// smallWeightsNetwork is a genesis of 3 subnets of 40 uids, 8 validators
// each, tempo 20, with WeightsSetRateLimit rateLimit on every subnet, and
// its validators.
func smallWeightsNetwork(t testing.TB, rateLimit uint64) (dtao.GenesisConfig, []sim.Validator) {
	t.Helper()
	c := sim.DefaultConfig()
	c.Subnets, c.UIDs, c.Validators, c.RootValidators = 3, 40, 8, 2
	c.Stakers, c.Tempo, c.Block, c.WeightsPerValidator = 16, 20, 40, 12
	g, err := sim.Genesis(c)
	if err != nil {
		t.Fatal(err)
	}
	for i := range g.Subnets {
		if st := g.Subnets[i].Storage; st != nil {
			st.Hyperparameters.WeightsSetRateLimit = rateLimit
		}
	}
	return g, sim.AgentsOf(&g).Validators
}

// randomLedgerWeightsCall draws a validator's re-set of its weights, or
// one of the calls that fail: on root or on a missing netuid (unless
// onSubnets: then every call goes to one of the validators' subnets), by
// an unregistered hotkey, on a missing mechanism, with a duplicate uid,
// or with fewer values than uids.
func randomLedgerWeightsCall(r *rand.Rand, vs []sim.Validator, onSubnets bool) dtao.WeightsCall {
	v := &vs[r.IntN(len(vs))]
	c := dtao.WeightsCall{Hotkey: v.Hotkey, NetUID: v.NetUID, UIDs: slices.Clone(v.UIDs), Values: slices.Clone(v.Values)}
	for j := range c.Values {
		c.Values[j] = uint16(r.UintN(65536))
	}
	switch r.IntN(10) {
	case 0:
		if !onSubnets {
			c.NetUID = dtao.RootNetUID
		}
	case 1:
		if !onSubnets {
			c.NetUID = 99
		}
	case 2:
		c.Hotkey = units.AccountID{0xee, byte(r.UintN(256))}
	case 3:
		c.Mech = 1
	case 4:
		c.UIDs[len(c.UIDs)-1] = c.UIDs[0]
	case 5:
		c.Values = c.Values[:1]
	}
	return c
}

// Ledger.SetWeightsBatch is its calls one at a time (Ledger.SetWeights),
// in order: on random batches of up to 40 calls, many failing (every
// other block's calls all on the validators' subnets, so that chunks
// whose calls all find their subnet fail too), between blocks (so that
// the rate limit of 2 blocks refuses some re-sets; from the middle on,
// with a StakeThreshold that half the validators reach), each
// call's error has the same text and chain error as the call's alone,
// the listener receives the same events in the same order, and the two
// ledgers' state hashes agree after every batch and block.
func TestSetWeightsBatchMatchesCalls(t *testing.T) {
	g, vs := smallWeightsNetwork(t, 2)
	batch, err := dtao.NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := dtao.NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	var batchEvents, aloneEvents []dtao.Event
	batch.OnEvent(func(e dtao.Event) { batchEvents = append(batchEvents, e) })
	alone.OnEvent(func(e dtao.Event) { aloneEvents = append(aloneEvents, e) })
	r := rand.New(rand.NewPCG(5, 8))
	blocks := 40
	if testing.Short() {
		blocks = 10
	}
	var errs []error
	failed, succeeded, tooLittleStake := 0, 0, 0
	for b := range blocks {
		if b == blocks/2 {
			// From here a StakeThreshold that half the validators
			// reach: the calls' signers carry their stake weights.
			ws := make([]uint64, len(vs))
			for i, v := range vs {
				ws[i] = batch.StakeWeight(v.Hotkey, v.NetUID)
			}
			slices.Sort(ws)
			for _, l := range []*dtao.Ledger{batch, alone} {
				p := l.Params()
				p.StakeThreshold = ws[len(ws)/2]
				if err := l.SetParams(p); err != nil {
					t.Fatal(err)
				}
			}
		}
		calls := make([]dtao.WeightsCall, r.IntN(41))
		for i := range calls {
			calls[i] = randomLedgerWeightsCall(r, vs, b%2 == 1)
		}
		errs = batch.SetWeightsBatch(errs[:0], calls)
		if len(errs) != len(calls) {
			t.Fatalf("block %d: %d errors for %d calls", b, len(errs), len(calls))
		}
		for i, c := range calls {
			want := alone.SetWeights(c.Hotkey, c.NetUID, c.Mech, c.UIDs, c.Values, c.VersionKey)
			got := errs[i]
			switch {
			case (got == nil) != (want == nil):
				t.Fatalf("block %d call %d: batch %v, alone %v", b, i, got, want)
			case want == nil:
				succeeded++
			case got.Error() != want.Error() || units.ChainName(got) != units.ChainName(want):
				t.Fatalf("block %d call %d: batch %v, alone %v", b, i, got, want)
			default:
				failed++
				if units.ChainName(want) == "NotEnoughStakeToSetWeights" {
					tooLittleStake++
				}
			}
		}
		if !slices.Equal(batchEvents, aloneEvents) {
			t.Fatalf("block %d: events differ:\n%v\n%v", b, batchEvents, aloneEvents)
		}
		if batch.StateHash() != alone.StateHash() {
			t.Fatalf("block %d: state hashes differ after the calls", b)
		}
		if _, err := batch.Step(); err != nil {
			t.Fatal(err)
		}
		if _, err := alone.Step(); err != nil {
			t.Fatal(err)
		}
		if batch.StateHash() != alone.StateHash() {
			t.Fatalf("block %d: state hashes differ after the block", b)
		}
	}
	if failed < blocks || succeeded < blocks || tooLittleStake == 0 {
		t.Fatalf("%d calls failed (%d below the stake threshold) and %d succeeded: the draws test too little",
			failed, tooLittleStake, succeeded)
	}
}

// smallWeightsCalls returns the ledger of smallWeightsNetwork without a
// rate limit and one set_weights call of each of its validators, with the
// weights it set last.
func smallWeightsCalls(t testing.TB) (*dtao.Ledger, []dtao.WeightsCall) {
	t.Helper()
	g, vs := smallWeightsNetwork(t, 0)
	l, err := dtao.NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	calls := make([]dtao.WeightsCall, len(vs))
	for i, v := range vs {
		calls[i] = dtao.WeightsCall{Hotkey: v.Hotkey, NetUID: v.NetUID, UIDs: v.UIDs, Values: v.Values}
	}
	return l, calls
}

// Ledger.SetWeightsBatch does not allocate when errs has room and every
// call succeeds.
func TestSetWeightsBatchAllocs(t *testing.T) {
	l, calls := smallWeightsCalls(t)
	errs := make([]error, 0, len(calls))
	check := func() {
		errs = l.SetWeightsBatch(errs[:0], calls)
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	check()
	if allocs := testing.AllocsPerRun(50, check); allocs != 0 {
		t.Fatalf("%v allocations per batch of %d calls", allocs, len(calls))
	}
}

// Two validators re-set their weights in one batch, and a third call, on
// the root subnet, fails on its own: the calls around it go through.
func ExampleLedger_SetWeightsBatch() {
	c := sim.DefaultConfig()
	c.Subnets, c.UIDs, c.Validators, c.RootValidators = 2, 16, 4, 1
	c.Stakers, c.Tempo, c.Block, c.WeightsPerValidator = 4, 10, 20, 4
	g, err := sim.Genesis(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The genesis's validators set their weights in its last tempo: a
	// rate limit of one block lets them re-set them now.
	for i := range g.Subnets {
		if st := g.Subnets[i].Storage; st != nil {
			st.Hyperparameters.WeightsSetRateLimit = 1
		}
	}
	l, err := dtao.NewLedger(g)
	if err != nil {
		fmt.Println(err)
		return
	}
	l.OnEvent(func(e dtao.Event) {
		if e.Kind == dtao.EventWeightsSet {
			fmt.Println("weights set on netuid", e.NetUID)
		}
	})
	vs := sim.AgentsOf(&g).Validators
	a, b := vs[0], vs[len(vs)-1]
	calls := []dtao.WeightsCall{
		{Hotkey: a.Hotkey, NetUID: a.NetUID, UIDs: a.UIDs, Values: a.Values},
		{Hotkey: a.Hotkey, NetUID: dtao.RootNetUID, UIDs: a.UIDs, Values: a.Values},
		{Hotkey: b.Hotkey, NetUID: b.NetUID, UIDs: b.UIDs, Values: b.Values},
	}
	for i, err := range l.SetWeightsBatch(nil, calls) {
		fmt.Printf("call %d: %v\n", i, err)
	}
	// Output:
	// weights set on netuid 1
	// weights set on netuid 2
	// call 0: <nil>
	// call 1: set_weights on netuid 0 mechanism 0: subnet: cannot set weights on the root network
	// call 2: <nil>
}
