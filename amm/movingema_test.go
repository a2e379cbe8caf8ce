package amm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// checkMovingEMA checks e's Prepare and Next, and NextFor on a copy of e
// as it was before (carried through the same calls: prepared for the
// same operands), against NextMovingPrice.
func checkMovingEMA(t testing.TB, e *MovingEMA, prev fixed.I96F32, spot Price, ma fixed.I96F32, b, h uint64) {
	t.Helper()
	f := *e
	e.Prepare(ma, b, h)
	want := NextMovingPrice(prev, spot, ma, b, h)
	if got := e.Next(prev, spot); got != want {
		t.Fatalf("MovingEMA(%v, %d, %d).Next(%v, %v) = %v, NextMovingPrice %v",
			ma.BitsString(), b, h, prev.BitsString(), spot.U64F64().BitsString(), got.BitsString(), want.BitsString())
	}
	if got := f.NextFor(prev, spot, ma, b, h); got != want || f != *e {
		t.Fatalf("MovingEMA.NextFor(%v, %v, %v, %d, %d) = %v, NextMovingPrice %v (prepared %+v, Prepare's %+v)",
			prev.BitsString(), spot.U64F64().BitsString(), ma.BitsString(), b, h, got.BitsString(), want.BitsString(), f, *e)
	}
}

// TestMovingEMANextForMatches checks NextFor at the edges of its written
// out word arithmetic (emaFrom's domain): prev's top word at 2^32 − 1 and
// 2^32, a spot of integer word 0 and 1, a factor of 0 (a zero moving
// alpha or block count) and the sum's carry into saturation, each after
// a Prepare of the same and of other operands.
func TestMovingEMANextForMatches(t *testing.T) {
	prevs := []fixed.I96F32{
		{}, fixed.I96F32FromBits(0, 1), fixed.I96F32FromBits(1<<32-1, math.MaxUint64),
		fixed.I96F32FromBits(1<<32, 0), fixed.I96F32FromBits(math.MaxUint64, math.MaxUint64),
		fixed.I96F32FromUint64(1), fixed.I96F32FromBits(0, 1<<31),
	}
	spots := []Price{
		PriceFromU64F64(fixed.U64F64{}), PriceFromU64F64(fixed.U64F64FromBits(0, math.MaxUint64)),
		PriceFromU64F64(fixed.U64F64FromBits(1, 0)), PriceFromU64F64(fixed.U64F64FromBits(math.MaxUint64, math.MaxUint64)),
		PriceFromU64F64(fixed.U64F64FromBits(0, 1<<62)),
	}
	alphas := []fixed.I96F32{{}, DefaultMovingAlpha(), fixed.I96F32FromBits(0, 1<<32-1), fixed.I96F32FromBits(0, 1<<32), fixed.I96F32FromBits(1, 0)}
	blocks := [][2]uint64{{0, 0}, {0, 5}, {1, 0}, {1000, DefaultEMAPriceHalvingBlocks}, {math.MaxUint64, 1}, {math.MaxUint64, math.MaxUint64}}
	var e MovingEMA
	for _, ma := range alphas {
		for _, bh := range blocks {
			for _, prev := range prevs {
				for _, spot := range spots {
					checkMovingEMA(t, &e, prev, spot, ma, bh[0], bh[1])
					var z MovingEMA
					checkMovingEMA(t, &z, prev, spot, ma, bh[0], bh[1])
				}
			}
		}
	}
}

// A prepared MovingEMA is NextMovingPrice for the operands of its last
// Prepare: one MovingEMA carried through runs of equal operands (the
// step's case, where the weight is kept) and changes of each operand
// alone, on the chain's values and on random bits in and outside the
// word arithmetic's domain; and the zero value is NextMovingPrice with
// zero operands.
func TestMovingEMAMatchesNext(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 33))
	var zero MovingEMA
	spot := PriceFromU64F64(fixed.U64F64FromBits(0, 1<<62))
	prev := fixed.I96F32FromUint64(1)
	if got, want := zero.Next(prev, spot), NextMovingPrice(prev, spot, fixed.I96F32{}, 0, 0); got != want {
		t.Fatalf("zero MovingEMA: %v, NextMovingPrice %v", got, want)
	}
	var e MovingEMA
	ma := DefaultMovingAlpha()
	b, h := uint64(1000), DefaultEMAPriceHalvingBlocks
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	for i := range n {
		switch rng.IntN(8) {
		case 0:
			b++
		case 1:
			h = randWord(rng)
		case 2:
			ma = fixed.I96F32FromBits(randWord(rng), randWord(rng))
		case 3:
			ma = fixed.I96F32FromBits(0, rng.Uint64()>>(32+rng.IntN(33)))
		case 4:
			b = randWord(rng)
		case 5:
			ma, b, h = DefaultMovingAlpha(), rng.Uint64N(10_000_000), DefaultEMAPriceHalvingBlocks
		}
		prev := fixed.I96F32FromBits(randWord(rng), randWord(rng))
		if i%2 == 0 {
			prev = fixed.I96F32FromBits(rng.Uint64()>>(32+rng.IntN(33)), rng.Uint64())
		}
		spot := PriceFromU64F64(fixed.U64F64FromBits(rng.Uint64N(3), rng.Uint64()))
		if i%5 == 0 {
			spot = PriceFromU64F64(fixed.U64F64FromBits(randWord(rng), randWord(rng)))
		}
		checkMovingEMA(t, &e, prev, spot, ma, b, h)
	}
	for _, bh := range [][2]uint64{{0, 0}, {1, 0}, {math.MaxUint64, 1}, {math.MaxUint64, math.MaxUint64}} {
		checkMovingEMA(t, &e, prev, spot, DefaultMovingAlpha(), bh[0], bh[1])
	}
}

// TestMovingEMADoesNotAllocate checks Prepare, Next and NextFor.
func TestMovingEMADoesNotAllocate(t *testing.T) {
	var e, f MovingEMA
	prev := fixed.I96F32FromUint64(1)
	spot := PriceFromU64F64(fixed.U64F64FromBits(0, 1<<62))
	b := uint64(1000)
	if a := testing.AllocsPerRun(100, func() {
		b++
		e.Prepare(DefaultMovingAlpha(), b, DefaultEMAPriceHalvingBlocks)
		prev = e.Next(prev, spot)
		prev = f.NextFor(prev, spot, DefaultMovingAlpha(), b, DefaultEMAPriceHalvingBlocks)
	}); a != 0 {
		t.Fatalf("MovingEMA allocates %v times", a)
	}
}

func FuzzMovingEMA(f *testing.F) {
	f.Add(uint64(0), uint64(1)<<32, uint64(0), uint64(1)<<63, uint64(0), uint64(12885), uint64(1000), uint64(201_600), uint64(1))
	f.Add(uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(0), uint64(0), uint64(12885), uint64(math.MaxUint64), uint64(2), uint64(0))
	f.Fuzz(func(t *testing.T, ph, pl, sh, sl, mh, ml, b, h, db uint64) {
		var e MovingEMA
		ma := fixed.I96F32FromBits(mh, ml)
		checkMovingEMA(t, &e, fixed.I96F32FromBits(ph, pl), PriceFromU64F64(fixed.U64F64FromBits(sh, sl)), ma, b, h)
		// Prepared again: kept for the same operands, redone for others.
		checkMovingEMA(t, &e, fixed.I96F32FromBits(pl, ph), PriceFromU64F64(fixed.U64F64FromBits(sl, sh)), ma, b+db%2, h)
	})
}

func BenchmarkMovingEMA(b *testing.B) {
	var e MovingEMA
	prev := fixed.I96F32FromUint64(1)
	spot := PriceFromU64F64(fixed.U64F64FromBits(0, 1<<62))
	for b.Loop() {
		e.Prepare(DefaultMovingAlpha(), 1000, DefaultEMAPriceHalvingBlocks)
		prev = e.Next(prev, spot)
	}
}
