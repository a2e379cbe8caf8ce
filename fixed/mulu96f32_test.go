package fixed

import (
	"math"
	"math/rand/v2"
	"testing"
)

// checkMulU96F32 compares the U96F32 multiplication kernels with the
// generic mulShr (the reference: the 256-bit product shifted by 32) on
// the raw values (ah, al) and (bh, bl).
func checkMulU96F32(t testing.TB, ah, al, bh, bl uint64) {
	t.Helper()
	a, b := u128{ah, al}, u128{bh, bl}
	want, wantO := mulShr(a, b, 32, false)
	if got, o := mulU96F32(a, b); got != want || o != wantO {
		t.Fatalf("mulU96F32(%v, %v) = %v, %v; mulShr %v, %v", a, b, got, o, want, wantO)
	}
	if wantO {
		want = u128{math.MaxUint64, math.MaxUint64}
	}
	if got := mulSatU96F32(a, b); got != want {
		t.Fatalf("mulSatU96F32(%v, %v) = %v, want %v", a, b, got, want)
	}
}

// TestMulU96F32Kernel checks U96F32's multiplication kernels against
// mulShr on random words of every bit length, on the words around the
// powers of two (the carries and the overflow boundary at bit 160), and
// on products just below and at 2^160.
func TestMulU96F32Kernel(t *testing.T) {
	r := rand.New(rand.NewPCG(96, 32))
	word := func() uint64 { return r.Uint64() >> r.UintN(65) }
	for range 50000 {
		checkMulU96F32(t, word(), word(), word(), word())
	}
	var edges []uint64
	for e := range 64 {
		edges = append(edges, 1<<e-1, 1<<e, 1<<e+1)
	}
	edges = append(edges, math.MaxUint64-1, math.MaxUint64)
	for _, x := range edges {
		for _, y := range edges {
			checkMulU96F32(t, 0, x, 0, y)
			checkMulU96F32(t, x, y, 0, math.MaxUint64)
			checkMulU96F32(t, x, math.MaxUint64, y, 0)
			checkMulU96F32(t, 0, x, y, 1)
		}
	}
	// One operand of one word (mulSatU96F32's two-product path), either
	// side, with products at and around the 2^160 boundary.
	for range 50000 {
		x, y, z := word(), r.Uint64(), word()
		checkMulU96F32(t, x, y, 0, z)
		checkMulU96F32(t, 0, z, x, y)
	}
	for _, x := range edges {
		checkMulU96F32(t, 1<<32-1, math.MaxUint64, 0, x)
		checkMulU96F32(t, 0, x, 1<<32, 0)
		checkMulU96F32(t, x>>32, x, 0, 1<<32)
	}
	// (2^80 − 1)·(2^80 + 1) = 2^160 − 1 fits; 2^80·2^80 = 2^160 does not.
	checkMulU96F32(t, 1<<16-1, math.MaxUint64, 1<<16, 1)
	checkMulU96F32(t, 1<<16, 0, 1<<16, 0)
	checkMulU96F32(t, 1<<16-1, math.MaxUint64, 1<<16-1, math.MaxUint64)
}

// FuzzMulU96F32 compares U96F32's multiplication kernels with mulShr.
func FuzzMulU96F32(f *testing.F) {
	f.Add(uint64(0), uint64(1)<<63, uint64(0), uint64(3))
	f.Add(uint64(1)<<16-1, uint64(math.MaxUint64), uint64(1)<<16, uint64(1))
	f.Add(uint64(1)<<20, uint64(5), uint64(1)<<12, uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, ah, al, bh, bl uint64) { checkMulU96F32(t, ah, al, bh, bl) })
}
