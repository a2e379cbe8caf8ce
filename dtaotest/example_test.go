package dtaotest_test

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/dtaotest"
	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// In a test, a property runs as rapid.Check(t, prop) with the test's
// *testing.T. An Example has none, so these examples run their property
// with check, a rapid.TB that records the failure and prints it.
func check(prop func(*rapid.T)) string {
	r := &recorder{}
	rapid.Check(r, prop)
	if r.failed {
		return "FAILED:\n" + r.log.String()
	}
	return "holds"
}

// recorder is the smallest rapid.TB: it keeps what a *testing.T would
// print and whether the check failed.
type recorder struct {
	testing.TB // the methods rapid does not call on a passing check
	failed     bool
	log        strings.Builder
}

func (r *recorder) Helper()                    {}
func (r *recorder) Name() string               { return "Example" }
func (r *recorder) Logf(f string, args ...any) {}
func (r *recorder) Log(args ...any)            {}
func (r *recorder) Errorf(f string, args ...any) {
	r.failed = true
	fmt.Fprintf(&r.log, f+"\n", args...)
}
func (r *recorder) Error(args ...any)            { r.failed = true; fmt.Fprintln(&r.log, args...) }
func (r *recorder) Fatalf(f string, args ...any) { r.Errorf(f, args...) }
func (r *recorder) Fatal(args ...any)            { r.Error(args...) }
func (r *recorder) Fail()                        { r.failed = true }
func (r *recorder) FailNow()                     { r.failed = true }
func (r *recorder) Failed() bool                 { return r.failed }
func (r *recorder) Skipf(f string, args ...any)  {}
func (r *recorder) Skip(args ...any)             {}
func (r *recorder) SkipNow()                     {}

// A round trip (buy, then sell what was bought; or sell, then buy back)
// never returns more than it paid: the fee and the floors of the chain's
// arithmetic only ever take. This holds for reserves within the supply,
// which Pool draws; above about 4.9e17 rao the chain's floored power lets
// a round trip gain a few rao (package amm's doc).
func Example_roundTripNeverGains() {
	prop := func(t *rapid.T) {
		p := dtaotest.Pool().Draw(t, "pool")
		o := dtaotest.Order(p).Draw(t, "order")
		first, err := p.Swap(o)
		if err != nil {
			return // the chain refuses this swap too: nothing to trip
		}
		if o.Direction() == amm.Buy {
			paid := first.TAO + first.TAOFee
			back, err := p.Swap(amm.SellOrder(first.Alpha))
			if err == nil && back.TAO > paid {
				t.Fatalf("paid %d rao, got %d back", paid, back.TAO)
			}
			return
		}
		paid := first.Alpha + first.AlphaFee
		back, err := p.Swap(amm.BuyOrder(first.TAO))
		if err == nil && back.Alpha > paid {
			t.Fatalf("paid %d alpha rao, got %d back", paid, back.Alpha)
		}
	}
	fmt.Println("round trip never gains:", check(prop))
	// Output: round trip never gains: holds
}

// A quote on a dynamic pool never pays out more than the pool's output
// reserve, whatever the order. (A stable pool swaps 1:1 and is no such
// bound: hence DynamicPool.)
func Example_quoteWithinReserve() {
	prop := func(t *rapid.T) {
		p := dtaotest.DynamicPool().Draw(t, "pool")
		o := dtaotest.Order(p).Draw(t, "order")
		r, err := p.Quote(o)
		if err != nil {
			return
		}
		if o.Direction() == amm.Buy && r.Alpha > p.AlphaIn {
			t.Fatalf("quote pays %d alpha rao from a reserve of %d", r.Alpha, p.AlphaIn)
		}
		if o.Direction() == amm.Sell && r.TAO > p.TAO {
			t.Fatalf("quote pays %d rao from a reserve of %d", r.TAO, p.TAO)
		}
	}
	fmt.Println("quote within reserve:", check(prop))
	// Output: quote within reserve: holds
}

// An epoch pays miners and validators together at most its emission, for
// stakes within the supply (which EpochInput draws): the chain's own
// floors only ever keep rao back.
func Example_epochPaysAtMostEmission() {
	prop := func(t *rapid.T) {
		n := rapid.Uint16Range(1, 16).Draw(t, "n")
		in := dtaotest.EpochInput(n).Draw(t, "input")
		out, err := consensus.Epoch(in)
		if err != nil {
			t.Fatal(err)
		}
		var paid units.Alpha
		for uid := range int(n) {
			paid += out.ServerEmission[uid] + out.ValidatorEmission[uid]
		}
		if paid > in.Emission {
			t.Fatalf("paid %d of an emission of %d", paid, in.Emission)
		}
	}
	fmt.Println("epoch pays at most its emission:", check(prop))
	// Output: epoch pays at most its emission: holds
}

// A generator's value outside a property, for a look at what it draws:
// Example(seed) is deterministic.
func ExamplePool() {
	valid := 0
	for seed := range 100 {
		p := dtaotest.Pool().Example(seed)
		if p.Validate() == nil {
			valid++
		}
	}
	fmt.Println(valid, "of 100 generated pools are valid")
	// Output: 100 of 100 generated pools are valid
}

// check reports a failing property, so an example whose law breaks fails.
func TestCheckReportsFailure(t *testing.T) {
	f := flag.Lookup("rapid.nofailfile")
	prev := f.Value.String()
	if err := f.Value.Set("true"); err != nil { // no fail file for this deliberate failure
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Value.Set(prev) })
	got := check(func(t *rapid.T) {
		if rapid.Uint64().Draw(t, "x") > 1000 {
			t.Fatalf("too big")
		}
	})
	if !strings.HasPrefix(got, "FAILED:") || !strings.Contains(got, "too big") {
		t.Fatalf("a failing property gave %q", got)
	}
	if got := check(func(t *rapid.T) { _ = rapid.Bool().Draw(t, "b") }); got != "holds" {
		t.Fatalf("a passing property gave %q", got)
	}
}
