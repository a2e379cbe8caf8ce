package dtao_test

import (
	"sync"
	"testing"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/sim"
	"github.com/dtao-go/dtao/units"
)

// weightsBench is the ledger of BenchmarkLedgerSetWeights with its
// validators, built once per process.
var weightsBench struct {
	once       sync.Once
	l          *dtao.Ledger
	validators []sim.Validator
	err        error
}

// weightsBenchLedger returns the ledger of the set_weights benchmarks,
// its validators, and the order of a tempo's calls (the first validator
// of every subnet, then the second of every subnet, and so on), every
// validator's row already set once.
func weightsBenchLedger(b *testing.B) (*dtao.Ledger, []sim.Validator, []int) {
	w := &weightsBench
	w.once.Do(func() {
		g, err := sim.Genesis(sim.BenchConfig())
		if err != nil {
			w.err = err
			return
		}
		for i := range g.Subnets {
			if st := g.Subnets[i].Storage; st != nil {
				st.Hyperparameters.WeightsSetRateLimit = 0
			}
		}
		w.validators = sim.AgentsOf(&g).Validators
		w.l, w.err = dtao.NewLedger(g)
	})
	if w.err != nil {
		b.Fatal(w.err)
	}
	l, vs := w.l, w.validators
	var bySubnet [][]int
	at := map[units.NetUID]int{}
	for i, v := range vs {
		k, ok := at[v.NetUID]
		if !ok {
			k = len(bySubnet)
			at[v.NetUID] = k
			bySubnet = append(bySubnet, nil)
		}
		bySubnet[k] = append(bySubnet[k], i)
	}
	var order []int
	for j := 0; len(order) < len(vs); j++ {
		for _, g := range bySubnet {
			if j < len(g) {
				order = append(order, g[j])
			}
		}
	}
	for _, i := range order {
		v := &vs[i]
		if err := l.SetWeights(v.Hotkey, v.NetUID, 0, v.UIDs, v.Values, 0); err != nil {
			b.Fatalf("validator %d on netuid %d: %v", i, v.NetUID, err)
		}
	}
	return l, vs, order
}

// BenchmarkLedgerSetWeights is one set_weights call (Ledger.SetWeights)
// on sim.BenchConfig's network (64 subnets of 256 uids, 64 validators
// each, 32 weights per call), the validators taking turns across all the
// subnets as the agents do over a tempo, so that consecutive calls touch
// different subnets' data. WeightsSetRateLimit is 0 on every subnet so
// that the calls can repeat at one block; the rate-limit check still
// reads LastUpdate, and each call stores its row as in the simulation.
func BenchmarkLedgerSetWeights(b *testing.B) {
	l, vs, order := weightsBenchLedger(b)
	b.ReportAllocs()
	k := 0
	for b.Loop() {
		v := &vs[order[k]]
		if err := l.SetWeights(v.Hotkey, v.NetUID, 0, v.UIDs, v.Values, 0); err != nil {
			b.Fatal(err)
		}
		if k++; k == len(order) {
			k = 0
		}
	}
}

// BenchmarkLedgerSetWeightsBatch is BenchmarkLedgerSetWeights's calls, in
// the same order, made in batches (Ledger.SetWeightsBatch) of 11, about
// the calls of one block of sim.BenchConfig's network (4096 validators
// over a tempo of 360 blocks): ns/call is comparable with
// BenchmarkLedgerSetWeights's ns/op.
func BenchmarkLedgerSetWeightsBatch(b *testing.B) {
	const size = 11
	l, vs, order := weightsBenchLedger(b)
	// The batches of a tempo, the calls taking turns as in order.
	batches := make([][]dtao.WeightsCall, 0, len(order)/size+1)
	for k := 0; k < len(order); k += size {
		var batch []dtao.WeightsCall
		for _, i := range order[k:min(k+size, len(order))] {
			v := &vs[i]
			batch = append(batch, dtao.WeightsCall{Hotkey: v.Hotkey, NetUID: v.NetUID, UIDs: v.UIDs, Values: v.Values})
		}
		batches = append(batches, batch)
	}
	errs := make([]error, 0, size)
	b.ReportAllocs()
	k, calls := 0, 0
	for b.Loop() {
		batch := batches[k]
		errs = l.SetWeightsBatch(errs[:0], batch)
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
		calls += len(batch)
		if k++; k == len(batches) {
			k = 0
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(calls), "ns/call")
}

// BenchmarkLedgerSetWeightsRefused is a set_weights call the subnet
// refuses (a hotkey without a uid on it), on BenchmarkLedgerSetWeights's
// network: the cost of the checks and of the error, which late in a year
// of sim.BenchConfig half the blocks pay (validators that lost their
// permit keep setting weights).
func BenchmarkLedgerSetWeightsRefused(b *testing.B) {
	l, vs, _ := weightsBenchLedger(b)
	v := &vs[0]
	stranger := units.AccountID{0xee, 3}
	b.ReportAllocs()
	for b.Loop() {
		if err := l.SetWeights(stranger, v.NetUID, 0, v.UIDs, v.Values, 0); err == nil {
			b.Fatal("a stranger set weights")
		}
	}
}
