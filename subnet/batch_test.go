package subnet

import (
	"math/rand/v2"
	"testing"
)

// randomWeightsCall draws a set_weights call on one of subnets, often
// one that fails: by an unregistered hotkey, a uid without a permit, on a
// missing mechanism, with a duplicate or unknown uid, values of another
// length, too few values, or a version key (subnets whose
// WeightsVersionKey is set refuse 0). Most are a validator's re-set of
// 32 distinct uids.
func randomWeightsCall(r *rand.Rand, subnets []*Subnet, block uint64) WeightsCall {
	s := subnets[r.IntN(len(subnets))]
	n := int(s.N())
	uid := r.IntN(min(n, 80)) // the first 64 hold permits
	c := WeightsCall{Subnet: s, At: Now{Block: block}, Who: Signer{Hotkey: s.hotkeys[uid]}}
	k := 32
	if r.IntN(8) == 0 {
		k = r.IntN(40)
	}
	perm := r.Perm(n)
	c.UIDs, c.Values = make([]uint16, k), make([]uint16, k)
	for j := range k {
		c.UIDs[j] = uint16(perm[j%n])
		if r.IntN(4) != 0 {
			c.Values[j] = uint16(r.UintN(65536))
		}
	}
	switch r.IntN(12) {
	case 0:
		c.Who.Hotkey = randomKey(1<<50 + r.Uint64N(1000))
	case 1:
		c.Mech = uint8(1 + r.IntN(3))
	case 2:
		if k > 1 {
			c.UIDs[k-1] = c.UIDs[0]
		}
	case 3:
		if k > 0 {
			c.UIDs[r.IntN(k)] = uint16(n + r.IntN(100))
		}
	case 4:
		c.Values = c.Values[:k/2]
	case 5:
		c.VersionKey = r.Uint64N(3)
	case 6: // a self weight
		c.UIDs, c.Values = []uint16{uint16(uid)}, []uint16{uint16(r.UintN(65536))}
	}
	return c
}

// SetWeightsBatch is its calls one at a time (Subnet.SetWeights), in
// order: on random batches of up to 40 calls over three subnets (so the
// batches span chunks of 16 and repeat a hotkey, whose second call meets
// the first's LastUpdate), many of them failing, each call's error is
// the same sentinel as the call's alone and the subnets end equal after
// every batch.
func TestSetWeightsBatchMatchesCalls(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 4))
	var fast, ref []*Subnet
	for k := range 3 {
		s := newLedgerShape(t, 256-k*50, 64).s
		h := &s.Hyperparameters
		h.WeightsSetRateLimit = uint64(k) * 3
		if k == 2 {
			h.WeightsVersionKey = 1
		}
		fast, ref = append(fast, s), append(ref, s.Clone())
	}
	rounds := 300
	if testing.Short() {
		rounds = 60
	}
	var errs []error
	failed, succeeded := 0, 0
	for round := range rounds {
		block := uint64(1000 + round)
		calls := make([]WeightsCall, r.IntN(41))
		for i := range calls {
			calls[i] = randomWeightsCall(r, fast, block)
		}
		errs = SetWeightsBatch(errs[:0], calls)
		if len(errs) != len(calls) {
			t.Fatalf("round %d: %d errors for %d calls", round, len(errs), len(calls))
		}
		for i, c := range calls {
			k := 0
			for fast[k] != c.Subnet {
				k++
			}
			want := ref[k].SetWeights(c.At, c.Who, c.Mech, c.UIDs, c.Values, c.VersionKey)
			if errs[i] != want {
				t.Fatalf("round %d call %d: batch %v, alone %v", round, i, errs[i], want)
			}
			if want == nil {
				succeeded++
			} else {
				failed++
			}
		}
		for k := range fast {
			if !fast[k].Equal(ref[k]) {
				t.Fatalf("round %d: subnet %d differs", round, k)
			}
		}
	}
	if failed < rounds || succeeded < rounds {
		t.Fatalf("%d calls failed and %d succeeded: the draws test too little", failed, succeeded)
	}
}

// A batch with no calls appends nothing; a batch's errors are appended
// after those already in errs.
func TestSetWeightsBatchAppends(t *testing.T) {
	ls := newLedgerShape(t, 64, 8)
	if got := SetWeightsBatch(nil, nil); len(got) != 0 {
		t.Fatalf("empty batch: %d errors", len(got))
	}
	prior := []error{ErrDuplicateUids}
	calls := []WeightsCall{
		{Subnet: ls.s, At: Now{Block: 500}, Who: Signer{Hotkey: ls.s.hotkeys[1]}, UIDs: ls.uids[1], Values: ls.values[1]},
		{Subnet: ls.s, At: Now{Block: 500}, Who: Signer{Hotkey: randomKey(1 << 60)}, UIDs: ls.uids[1], Values: ls.values[1]},
	}
	got := SetWeightsBatch(prior, calls)
	if len(got) != 3 || got[0] != ErrDuplicateUids || got[1] != nil || got[2] != ErrHotKeyNotRegisteredInSubNet {
		t.Fatalf("errors %v", got)
	}
}

// SetWeightsBatch does not allocate when errs has room: the calls re-set
// stored rows, and the read-ahead keeps nothing.
func TestSetWeightsBatchAllocs(t *testing.T) {
	ls := newLedgerShape(t, 256, 64)
	calls := make([]WeightsCall, 20)
	block := uint64(1000)
	for i := range calls {
		calls[i] = WeightsCall{Subnet: ls.s, Who: Signer{Hotkey: ls.s.hotkeys[i]}, UIDs: ls.uids[i], Values: ls.values[i]}
	}
	errs := make([]error, 0, len(calls))
	allocs := testing.AllocsPerRun(50, func() {
		block += 200 // beyond the rate limit
		for i := range calls {
			calls[i].At = Now{Block: block}
		}
		errs = SetWeightsBatch(errs[:0], calls)
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per batch", allocs)
	}
}

// BenchmarkSetWeightsBatch is BenchmarkSetWeightsMany/subnets=1024's
// calls, in the same order, made in batches of 11 (SetWeightsBatch), the
// calls of a block of the ledger benchmark: ns/call is comparable with
// BenchmarkSetWeightsMany's ns/op.
func BenchmarkSetWeightsBatch(b *testing.B) {
	const subnets, size = 1024, 11
	shapes := make([]*ledgerShape, subnets)
	for k := range shapes {
		shapes[k] = newLedgerShape(b, 256, 64)
	}
	block := uint64(1000)
	call := func(k, i int) WeightsCall {
		ls := shapes[k]
		return WeightsCall{Subnet: ls.s, At: Now{Block: block}, Who: Signer{Hotkey: ls.s.hotkeys[i], Stake: 1e12},
			UIDs: ls.uids[i], Values: ls.values[i]}
	}
	batch := make([]WeightsCall, 0, size)
	errs := make([]error, 0, size)
	for k := range shapes {
		for i := range 64 {
			batch = append(batch[:0], call(k, i))
			SetWeightsBatch(errs[:0], batch)
		}
	}
	block += 128
	b.ReportAllocs()
	k, i, calls := 0, 0, 0
	for b.Loop() {
		batch = batch[:0]
		for range size {
			batch = append(batch, call(k, i))
			if k++; k == subnets {
				k, block = 0, block+2
				if i++; i == 64 {
					i = 0
				}
			}
		}
		errs = SetWeightsBatch(errs[:0], batch)
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
		calls += size
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(calls), "ns/call")
}
