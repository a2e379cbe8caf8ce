package fixed

import (
	"math"
	"math/rand/v2"
	"testing"
)

// checkSatConversions compares the specialised saturating conversions
// with convertBits, the generic conversion of every other pair, on the
// raw bits (hi, lo).
func checkSatConversions(t testing.TB, hi, lo uint64) {
	t.Helper()
	if want, _ := toU64F64(u128{hi, lo}, i96f32Frac, i96f32Signed); I96F32FromBits(hi, lo).SaturatingToU64F64() != want {
		t.Fatalf("I96F32 %#x:%#x to U64F64: %v, convertBits %v", hi, lo, I96F32FromBits(hi, lo).SaturatingToU64F64().BitsString(), want.BitsString())
	}
	if want, _ := toU64F64(u128{hi, lo}, u96f32Frac, u96f32Signed); U96F32FromBits(hi, lo).SaturatingToU64F64() != want {
		t.Fatalf("U96F32 %#x:%#x to U64F64: %v, convertBits %v", hi, lo, U96F32FromBits(hi, lo).SaturatingToU64F64().BitsString(), want.BitsString())
	}
	if want, _ := toI96F32(u128{hi, lo}, u64f64Frac, u64f64Signed); U64F64FromBits(hi, lo).SaturatingToI96F32() != want {
		t.Fatalf("U64F64 %#x:%#x to I96F32: %v, convertBits %v", hi, lo, U64F64FromBits(hi, lo).SaturatingToI96F32().BitsString(), want.BitsString())
	}
	if want, _ := toU96F32(u128{hi, lo}, u64f64Frac, u64f64Signed); U64F64FromBits(hi, lo).SaturatingToU96F32() != want {
		t.Fatalf("U64F64 %#x:%#x to U96F32: %v, convertBits %v", hi, lo, U64F64FromBits(hi, lo).SaturatingToU96F32().BitsString(), want.BitsString())
	}
}

// The specialised conversions (I96F32 and U96F32 to U64F64, U64F64 to
// I96F32 and U96F32) are convertBits' on the edges of their ranges
// (negative values, values at and around 2^64 and 2^96 raw bits) and
// random bits of every length.
func TestSatConversionsMatchConvertBits(t *testing.T) {
	words := []uint64{0, 1, 2, 1<<31 - 1, 1 << 31, 1<<32 - 1, 1 << 32, 1<<32 + 1, 1<<63 - 1, 1 << 63, 1<<63 + 1, math.MaxUint64 - 1, math.MaxUint64}
	for _, hi := range words {
		for _, lo := range words {
			checkSatConversions(t, hi, lo)
		}
	}
	rng := rand.New(rand.NewPCG(14, 32))
	for range 200_000 {
		checkSatConversions(t, rng.Uint64()>>rng.IntN(65), rng.Uint64()>>rng.IntN(65))
	}
}

func FuzzSatConversions(f *testing.F) {
	f.Add(uint64(0), uint64(1)<<32)
	f.Add(uint64(1)<<32, uint64(0))
	f.Add(uint64(1)<<63, uint64(1))
	f.Fuzz(func(t *testing.T, hi, lo uint64) { checkSatConversions(t, hi, lo) })
}
