package dtaotest_test

import (
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/dtaotest"
	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// Every generated pool is one the chain can hold, with reserves within
// the supply.
func TestPoolIsValid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := dtaotest.Pool().Draw(t, "pool")
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		if p.TAO > dtaotest.Supply || p.AlphaIn > dtaotest.Supply || p.AlphaOut > dtaotest.Supply {
			t.Fatalf("reserves beyond the supply: %+v", p)
		}
		if uint64(p.TAO) < amm.DefaultMinReserve || uint64(p.AlphaIn) < amm.DefaultMinReserve {
			t.Fatalf("reserves below the minimum reserve: %+v", p)
		}
	})
}

func TestDynamicPoolIsDynamic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := dtaotest.DynamicPool().Draw(t, "pool")
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		if p.Mechanism != amm.Dynamic {
			t.Fatalf("mechanism %d", p.Mechanism)
		}
	})
}

// Pool draws both mechanisms, both weight kinds and the extreme fee rates.
func TestPoolCoversItsDistribution(t *testing.T) {
	var stable, dynamic, half, general, noFee, maxFee int
	for seed := range 400 {
		p := dtaotest.Pool().Example(seed)
		switch p.Mechanism {
		case amm.Stable:
			stable++
		case amm.Dynamic:
			dynamic++
		}
		if p.QuoteWeight == amm.HalfWeight {
			half++
		} else {
			general++
		}
		switch p.FeeRate {
		case 0:
			noFee++
		case amm.MaxFeeRate:
			maxFee++
		}
	}
	for name, n := range map[string]int{"stable": stable, "dynamic": dynamic, "half weight": half,
		"general weight": general, "fee 0": noFee, "max fee": maxFee} {
		if n == 0 {
			t.Errorf("no %s pool in 400", name)
		}
	}
}

// Orders stay within the chain's input bound, and most of them execute.
func TestOrderFitsThePool(t *testing.T) {
	executed := 0
	rapid.Check(t, func(t *rapid.T) {
		p := dtaotest.DynamicPool().Draw(t, "pool")
		o := dtaotest.Order(p).Draw(t, "order")
		r, err := p.Quote(o)
		if err != nil {
			return
		}
		executed++
		paid, reserve := uint64(r.TAO+r.TAOFee), uint64(p.TAO)
		if o.Direction() == amm.Sell {
			paid, reserve = uint64(r.Alpha+r.AlphaFee), uint64(p.AlphaIn)
		}
		if paid == 0 || paid > reserve*amm.MaxInputReserveMultiplier {
			t.Fatalf("order %+v pays %d into a reserve of %d", o, paid, reserve)
		}
	})
	if executed == 0 {
		t.Fatal("no generated order executed")
	}
}

// Amounts span dust to supply.
func TestAmountsSpanMagnitudes(t *testing.T) {
	lo, hi := units.TAO(dtaotest.Supply), units.TAO(0)
	for seed := range 300 {
		a := dtaotest.TAOAmount().Example(seed)
		b := units.TAO(dtaotest.AlphaAmount().Example(seed))
		for _, x := range []units.TAO{a, b} {
			if x == 0 || x > dtaotest.Supply {
				t.Fatalf("amount %d outside [1, Supply]", x)
			}
			lo, hi = min(lo, x), max(hi, x)
		}
	}
	if lo > 1_000 || hi < dtaotest.Supply/100 {
		t.Fatalf("300 draws span only [%d, %d] rao", lo, hi)
	}
}

// Every generated epoch input passes Validate and runs; the empty subnet
// is n = 0.
func TestEpochInputIsValid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.Uint16Range(0, 24).Draw(t, "n")
		in := dtaotest.EpochInput(n).Draw(t, "input")
		if in.N != n {
			t.Fatalf("N = %d, want %d", in.N, n)
		}
		if err := in.Validate(); err != nil {
			t.Fatal(err)
		}
		var alpha, tao uint64
		for i := range int(n) {
			alpha += uint64(in.AlphaStake[i])
			tao += uint64(in.TaoStake[i])
			if in.LastUpdate[i] > in.CurrentBlock || in.BlockAtRegistration[i] > in.CurrentBlock {
				t.Fatalf("uid %d: blocks beyond the current block %d", i, in.CurrentBlock)
			}
		}
		if alpha > dtaotest.Supply || tao > dtaotest.Supply {
			t.Fatalf("stakes %d alpha, %d TAO exceed the supply", alpha, tao)
		}
	})
}
