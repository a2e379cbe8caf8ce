package emission

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

func checkMulOneWord(t testing.TB, x, y fixed.U96F32) {
	t.Helper()
	z, ok := mulOneWord(x, y)
	xh, _ := x.Bits()
	yh, _ := y.Bits()
	if want := xh|yh == 0; ok != want {
		t.Fatalf("mulOneWord(%v, %v): ok %v, want %v", x.BitsString(), y.BitsString(), ok, want)
	}
	if want := x.SaturatingMul(y); ok && z != want {
		t.Fatalf("mulOneWord(%v, %v) = %v, SaturatingMul %v", x.BitsString(), y.BitsString(), z.BitsString(), want.BitsString())
	}
}

// mulOneWord is SaturatingMul wherever it reports ok, and reports ok
// exactly for raw values below 2^64: on the edges of each word and on
// random proportions times amounts (the coinbase's products) and random
// words.
func TestMulOneWordMatches(t *testing.T) {
	edges := []uint64{0, 1, 2, 1 << 31, 1 << 32, 1<<32 + 1, 1 << 63, math.MaxUint64 - 1, math.MaxUint64}
	for _, xh := range []uint64{0, 1, math.MaxUint64} {
		for _, xl := range edges {
			for _, yh := range []uint64{0, 1, math.MaxUint64} {
				for _, yl := range edges {
					checkMulOneWord(t, fixed.U96F32FromBits(xh, xl), fixed.U96F32FromBits(yh, yl))
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(14, 97))
	for range 200_000 {
		rp := fixed.U96F32FromBits(0, rng.Uint64N(1<<32+1))
		amount := fixed.U96F32FromUint64(rng.Uint64() >> rng.IntN(64))
		checkMulOneWord(t, rp, amount)
		checkMulOneWord(t, amount, rp)
		checkMulOneWord(t, fixed.U96F32FromBits(rng.Uint64()>>rng.IntN(65), rng.Uint64()), fixed.U96F32FromBits(rng.Uint64()>>rng.IntN(65), rng.Uint64()))
	}
}

func FuzzMulOneWord(f *testing.F) {
	f.Add(uint64(0), uint64(1<<32), uint64(0), uint64(1e9<<32))
	f.Add(uint64(0), uint64(math.MaxUint64), uint64(0), uint64(math.MaxUint64))
	f.Add(uint64(1), uint64(0), uint64(0), uint64(3))
	f.Fuzz(func(t *testing.T, xh, xl, yh, yl uint64) {
		checkMulOneWord(t, fixed.U96F32FromBits(xh, xl), fixed.U96F32FromBits(yh, yl))
	})
}
