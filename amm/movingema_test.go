package amm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

func checkMovingEMA(t testing.TB, e *MovingEMA, prev fixed.I96F32, spot Price, ma fixed.I96F32, b, h uint64) {
	t.Helper()
	e.Prepare(ma, b, h)
	if got, want := e.Next(prev, spot), NextMovingPrice(prev, spot, ma, b, h); got != want {
		t.Fatalf("MovingEMA(%v, %d, %d).Next(%v, %v) = %v, NextMovingPrice %v",
			ma.BitsString(), b, h, prev.BitsString(), spot.U64F64().BitsString(), got.BitsString(), want.BitsString())
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

// TestMovingEMADoesNotAllocate checks Prepare and Next.
func TestMovingEMADoesNotAllocate(t *testing.T) {
	var e MovingEMA
	prev := fixed.I96F32FromUint64(1)
	spot := PriceFromU64F64(fixed.U64F64FromBits(0, 1<<62))
	b := uint64(1000)
	if a := testing.AllocsPerRun(100, func() {
		b++
		e.Prepare(DefaultMovingAlpha(), b, DefaultEMAPriceHalvingBlocks)
		prev = e.Next(prev, spot)
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
