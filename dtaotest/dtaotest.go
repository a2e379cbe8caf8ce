// Package dtaotest gives integrators property-test generators for dtao's
// values, built on pgregory.net/rapid: valid pools ([Pool], [DynamicPool]), orders sized
// to a pool ([Order]), epoch inputs ([EpochInput]) and amounts
// ([TAOAmount], [AlphaAmount]). A bot, indexer or node that reproduces
// the chain's economics draws its cases from these generators and checks
// its own results against dtao's (or against the chain's laws) under
// rapid.Check, which shrinks a failure to a small case.
//
// Every generator produces only states the chain can hold: every pool
// passes [amm.Pool.Validate], every epoch input passes
// [consensus.Input.Validate], and amounts stay within the supply of 21
// million TAO (or alpha) per token, [Supply]. Within those bounds the
// distributions favour every order of magnitude equally (see each
// generator), so that dust, typical and supply-sized values all occur.
//
// The package's examples are property tests an integrator would write:
// a round trip never gains, a quote never pays more than the output
// reserve, an epoch never pays more than its emission.
//
// For the ledger (the root package dtao): [Genesis] draws small networks
// that dtao.NewLedger accepts and whose blocks pay, [Calls] and [OneCall]
// draw the ledger's calls on a genesis' accounts ([ActorsOf]) as [Call]
// values that [Call.Apply] makes and [Call.String] prints, and
// [CheckLedger] is the ledger's invariant checker as a test helper. Its
// examples: a failed call changes nothing, a replay reaches the same
// state hash, a stake round trip never gains.
//
// The package is for tests: it imports rapid, and its generators are
// meant to be drawn from inside rapid.Check or with Generator.Example.
package dtaotest

import (
	"math"
	"slices"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// Supply is the most of either token in existence, 21 million TAO in rao:
// the chain's issuance stops there, so no reserve, stake or emission a
// generator draws exceeds it.
const Supply = 21_000_000 * units.RaoPerTAO

// magnitude draws a uint64 in [lo, hi] whose bit length is uniform over
// the bit lengths the range spans, and which is uniform within that bit
// length: 1-rao dust and supply-sized values are equally likely.
func magnitude(t *rapid.T, label string, lo, hi uint64) uint64 {
	if lo >= hi {
		return lo
	}
	bits := rapid.IntRange(bitLen(lo), bitLen(hi)).Draw(t, label+"_bits")
	top := uint64(math.MaxUint64)
	if bits < 64 {
		top = 1<<bits - 1
	}
	bottom := uint64(0)
	if bits > 0 {
		bottom = 1 << (bits - 1)
	}
	return rapid.Uint64Range(max(lo, bottom), min(hi, top)).Draw(t, label)
}

func bitLen(x uint64) int {
	n := 0
	for ; x != 0; x >>= 1 {
		n++
	}
	return n
}

// TAOAmount generates TAO amounts from 1 rao to [Supply]: the bit length
// (1 to 55) is uniform, and the value uniform within it.
func TAOAmount() *rapid.Generator[units.TAO] {
	return rapid.Custom(func(t *rapid.T) units.TAO {
		return units.TAO(magnitude(t, "tao", 1, Supply))
	})
}

// AlphaAmount generates alpha amounts with [TAOAmount]'s distribution.
func AlphaAmount() *rapid.Generator[units.Alpha] {
	return rapid.Custom(func(t *rapid.T) units.Alpha {
		return units.Alpha(magnitude(t, "alpha", 1, Supply))
	})
}

// Pool generates valid pools (every one passes [amm.Pool.Validate]):
//
//   - reserves: TAO and AlphaIn each from [amm.DefaultMinReserve] to
//     [Supply], bit length uniform, drawn independently (so prices range
//     from about 1e-10 to 1e10 TAO per alpha); AlphaOut from 0 to Supply;
//   - mechanism: dynamic 9 times in 10, else stable ([amm.NewStablePool]);
//   - quote weight: [amm.HalfWeight] half the time (most subnets), else
//     uniform in [amm.MinWeight, amm.MaxWeight];
//   - fee rate: 0, [amm.DefaultFeeRate] or [amm.MaxFeeRate] one time in
//     four each, else uniform in [0, MaxFeeRate];
//   - initialised 9 times in 10 (an uninitialised pool resets its weight
//     to 0.5 on its first swap, as the chain's does); MinReserve 0 (the
//     runtime's default).
//
// Reserves stay within the supply: above about 4.9e17 rao the chain's
// floored power lets a round trip gain a few rao (see package amm), a
// state no real subnet reaches.
func Pool() *rapid.Generator[amm.Pool] {
	return rapid.Custom(func(t *rapid.T) amm.Pool {
		return drawPool(t, rapid.IntRange(0, 9).Draw(t, "stable") == 0)
	})
}

// DynamicPool generates the dynamic pools of [Pool], with the same
// distribution of every other field: the pools whose swaps run the
// weighted curve. A stable pool swaps 1:1 whatever its reserves (the
// root subnet's alpha reserve is no bound), so laws about the curve, such
// as "a quote never pays more than the output reserve", hold for these.
func DynamicPool() *rapid.Generator[amm.Pool] {
	return rapid.Custom(func(t *rapid.T) amm.Pool {
		return drawPool(t, false)
	})
}

// drawPool draws Pool's distribution, of the stable mechanism if stable.
func drawPool(t *rapid.T, stable bool) amm.Pool {
	tao := units.TAO(magnitude(t, "tao_reserve", amm.DefaultMinReserve, Supply))
	alpha := units.Alpha(magnitude(t, "alpha_reserve", amm.DefaultMinReserve, Supply))
	p := amm.NewPool(tao, alpha)
	if stable {
		p = amm.NewStablePool(tao, alpha)
	}
	p.AlphaOut = units.Alpha(magnitude(t, "alpha_out", 0, Supply))
	if rapid.Bool().Draw(t, "general_weight") {
		p.QuoteWeight = fixed.Perquintill(rapid.Uint64Range(uint64(amm.MinWeight), uint64(amm.MaxWeight)).Draw(t, "quote_weight"))
	}
	switch rapid.IntRange(0, 3).Draw(t, "fee_kind") {
	case 0:
		p.FeeRate = 0
	case 1:
		p.FeeRate = amm.DefaultFeeRate
	case 2:
		p.FeeRate = amm.MaxFeeRate
	default:
		p.FeeRate = rapid.Uint16Range(0, amm.MaxFeeRate).Draw(t, "fee_rate")
	}
	p.Initialized = rapid.IntRange(0, 9).Draw(t, "uninitialized") != 0
	return p
}

// Order generates orders for p: a buy or a sell with equal probability,
// of an amount that is the order's input reserve (TAO for a buy, AlphaIn
// for a sell) divided by 2^k, k uniform in [0, 40], and at least 1 rao:
// from the whole reserve down to dust, all within the chain's bound of
// 1000 times the input reserve. One order in four carries a limit price:
// the spot price (in rao per alpha, floored) moved by 0.1% to 10% (uniform
// in tenths of a percent) in the direction the order pushes it, then
// clamped to the chain's [amm.MinPriceRao, amm.MaxPriceRao], so the limit
// binds for the larger orders; the others keep BuyOrder's and SellOrder's
// default limits.
func Order(p amm.Pool) *rapid.Generator[amm.Order] {
	return rapid.Custom(func(t *rapid.T) amm.Order {
		sell := rapid.Bool().Draw(t, "sell")
		reserve := uint64(p.TAO)
		if sell {
			reserve = uint64(p.AlphaIn)
		}
		amount := max(reserve>>rapid.IntRange(0, 40).Draw(t, "shift"), 1)
		o := amm.BuyOrder(units.TAO(amount))
		if sell {
			o = amm.SellOrder(units.Alpha(amount))
		}
		if rapid.IntRange(0, 3).Draw(t, "limited") == 0 {
			// At most MaxPriceRao (1e15), so the product cannot overflow.
			spot := min(p.PriceRao(), amm.MaxPriceRao)
			move := rapid.Uint64Range(1, 100).Draw(t, "limit_permille")
			limit := spot * (1000 + move) / 1000
			if sell {
				limit = spot * (1000 - move) / 1000
			}
			o = o.WithLimit(amm.PriceFromRao(min(max(limit, amm.MinPriceRao), amm.MaxPriceRao)))
		}
		return o
	})
}

// EpochInput generates epoch inputs of n uids that pass
// [consensus.Input.Validate], starting from [consensus.NewInput] (the
// chain's defaults for a new subnet) and drawing the state:
//
//   - CurrentBlock uniform in [10_000, 10_000_000]; each uid registered at
//     a block uniform in [0, CurrentBlock] and last updated at a block
//     uniform in [CurrentBlock − 2·cutoff, CurrentBlock] (about half the
//     uids active);
//   - alpha and TAO stakes: 0 one time in four, else bit-length-uniform up
//     to Supply/n, so that each token's stakes sum to at most [Supply];
//   - validator permits: each uid one time in two;
//   - weights: each uid sets a row one time in two, over a random subset of
//     the uids in ascending order with u16 values uniform in [0, 65535];
//     bonds likewise (rows of the same shape) one time in two;
//   - Yuma 3 one time in two, with liquid alpha one time in two of those
//     (the default AlphaLow and AlphaHigh); the owner registered one time
//     in two, at a uniform uid;
//   - Emission bit-length-uniform from 0 to 1e13 rao (10,000 alpha, more
//     than a subnet's emission per tempo).
//
// Every other hyperparameter keeps NewInput's default. EpochInput(0) is
// the empty subnet.
func EpochInput(n uint16) *rapid.Generator[consensus.Input] {
	if n == 0 {
		return rapid.Map(rapid.Just(n), consensus.NewInput)
	}
	return rapid.Custom(func(t *rapid.T) consensus.Input {
		in := consensus.NewInput(n)
		in.CurrentBlock = rapid.Uint64Range(10_000, 10_000_000).Draw(t, "current_block")
		cutoff := max(uint64(in.ActivityCutoffFactorMilli)*uint64(in.Tempo)/1000, 1)
		perUID := Supply / uint64(n)
		for i := range int(n) {
			in.BlockAtRegistration[i] = rapid.Uint64Range(0, in.CurrentBlock).Draw(t, "registered")
			in.LastUpdate[i] = rapid.Uint64Range(in.CurrentBlock-min(2*cutoff, in.CurrentBlock), in.CurrentBlock).Draw(t, "last_update")
			if rapid.IntRange(0, 3).Draw(t, "alpha_zero") != 0 {
				in.AlphaStake[i] = units.Alpha(magnitude(t, "alpha_stake", 1, perUID))
			}
			if rapid.IntRange(0, 3).Draw(t, "tao_zero") != 0 {
				in.TaoStake[i] = units.TAO(magnitude(t, "tao_stake", 1, perUID))
			}
			in.ValidatorPermit[i] = rapid.Bool().Draw(t, "permit")
			if rapid.Bool().Draw(t, "has_weights") {
				in.Weights[i] = row(t, n, "weight")
			}
			if rapid.Bool().Draw(t, "has_bonds") {
				in.Bonds[i] = row(t, n, "bond")
			}
		}
		in.Yuma3 = rapid.Bool().Draw(t, "yuma3")
		in.LiquidAlpha = in.Yuma3 && rapid.Bool().Draw(t, "liquid_alpha")
		if rapid.Bool().Draw(t, "has_owner") {
			in.HasOwner = true
			in.OwnerUID = units.UID(rapid.Uint16Range(0, n-1).Draw(t, "owner_uid"))
		}
		in.Emission = units.Alpha(magnitude(t, "emission", 0, 10_000*units.RaoPerTAO))
		return in
	})
}

// row draws a sparse row over uids below n: a random subset in ascending
// order, each value uniform in [0, 65535].
func row(t *rapid.T, n uint16, label string) []consensus.Entry {
	uids := rapid.SliceOfNDistinct(rapid.Uint16Range(0, n-1), 1, int(n), rapid.ID).Draw(t, label+"_uids")
	slices.Sort(uids)
	out := make([]consensus.Entry, len(uids))
	for k, uid := range uids {
		out[k] = consensus.Entry{UID: units.UID(uid), Value: rapid.Uint16().Draw(t, label)}
	}
	return out
}
