package fixed

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// edgeRaws returns curated raw bit patterns for k: 0, ±delta, ±1.0, ±0.5,
// the bounds and their neighbours, and powers of two (with their
// neighbours) at every bit position where an operation changes behaviour:
// the fraction boundary, the square-root-of-max boundary where Mul starts to
// overflow, and the top bits.
func edgeRaws(k kind) []*big.Int {
	set := map[string]*big.Int{}
	add := func(v *big.Int) {
		if k.inRange(v) {
			set[v.String()] = v
		}
	}
	one := big.NewInt(1)
	for _, v := range []*big.Int{k.minRaw(), k.maxRaw()} {
		add(v)
		add(new(big.Int).Add(v, one))
		add(new(big.Int).Sub(v, one))
		add(new(big.Int).Add(v, pow2(k.frac)))
		add(new(big.Int).Sub(v, pow2(k.frac)))
	}
	js := []uint{0, 1, 2, k.frac - 2, k.frac - 1, k.frac, k.frac + 1, k.frac + 2,
		k.nbits/2 - 1, k.nbits / 2, k.nbits/2 + 1,
		(k.nbits+k.frac)/2 - 2, (k.nbits+k.frac)/2 - 1, (k.nbits + k.frac) / 2, (k.nbits+k.frac)/2 + 1,
		k.nbits - 3, k.nbits - 2, k.nbits - 1}
	for j := uint(16); j < k.nbits; j += 16 {
		js = append(js, j)
	}
	for _, j := range js {
		p := pow2(j)
		for _, v := range []*big.Int{p, new(big.Int).Sub(p, one), new(big.Int).Add(p, one)} {
			add(v)
			add(new(big.Int).Neg(v))
		}
	}
	// 1.5, 2.5 and -1.5, -2.5 exercise Round's ties.
	for _, n := range []int64{3, 5, 7} {
		v := new(big.Int).Lsh(big.NewInt(n), k.frac-1)
		add(v)
		add(new(big.Int).Neg(v))
	}
	out := make([]*big.Int, 0, len(set))
	for _, v := range set {
		out = append(out, v)
	}
	return out
}

// randRaw draws raw bits with a random bit length (so that small, medium
// and huge magnitudes are all common) and, for signed kinds, a random sign.
func randRaw(r *rand.Rand, k kind) *big.Int {
	n := uint(r.IntN(int(k.nbits) + 1))
	v := new(big.Int)
	for i := uint(0); i < n; i += 64 {
		v.Lsh(v, 64)
		v.Or(v, new(big.Int).SetUint64(r.Uint64()))
	}
	v.Rsh(v, uint(v.BitLen())-min(uint(v.BitLen()), n))
	if k.signed && r.IntN(2) == 0 {
		v.Neg(v)
	}
	return k.wrap(v)
}

func testEdges[T fx[T]](t *testing.T) {
	t.Parallel()
	var zero T
	k := kindOf(zero)
	edges := edgeRaws(k)
	if len(edges) < 50 {
		t.Fatalf("%s: only %d edge values", k.name, len(edges))
	}
	// The pairs include every value with itself (the same operand on both
	// sides).
	for _, a := range edges {
		x := fromRaw[T](a)
		checkUnary(t, x)
		for _, b := range edges {
			checkBinary(t, x, fromRaw[T](b))
		}
	}
}

func testRandom[T fx[T]](t *testing.T, seed uint64) {
	t.Parallel()
	var zero T
	k := kindOf(zero)
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	n := 10_000
	if testing.Short() {
		n = 2_000
	}
	for range n {
		x, y := fromRaw[T](randRaw(r, k)), fromRaw[T](randRaw(r, k))
		checkUnary(t, x)
		checkBinary(t, x, y)
	}
}

func TestEdgesI32F32(t *testing.T) { testEdges[I32F32](t) }
func TestEdgesI64F64(t *testing.T) { testEdges[I64F64](t) }
func TestEdgesU64F64(t *testing.T) { testEdges[U64F64](t) }
func TestEdgesI96F32(t *testing.T) { testEdges[I96F32](t) }
func TestEdgesU96F32(t *testing.T) { testEdges[U96F32](t) }

func TestRandomI32F32(t *testing.T) { testRandom[I32F32](t, 1) }
func TestRandomI64F64(t *testing.T) { testRandom[I64F64](t, 2) }
func TestRandomU64F64(t *testing.T) { testRandom[U64F64](t, 3) }
func TestRandomI96F32(t *testing.T) { testRandom[I96F32](t, 4) }
func TestRandomU96F32(t *testing.T) { testRandom[U96F32](t, 5) }

// intEdges are the integer operands of the From* constructors.
var (
	u64Edges = []uint64{0, 1, 2, 1<<31 - 1, 1 << 31, 1<<32 - 1, 1 << 32, 1<<63 - 1, 1 << 63, math.MaxUint64}
	i64Edges = []int64{0, 1, -1, 1<<31 - 1, 1 << 31, -1 << 31, -1<<31 - 1, math.MaxInt64, math.MinInt64}
)

func testFromInts[T fx[T]](t *testing.T, fromU func(uint64) T, fromI func(int64) T) {
	for _, u := range u64Edges {
		for _, i := range i64Edges {
			checkFromInts(t, fromU, fromI, u, i)
		}
	}
	r := rand.New(rand.NewPCG(7, 7))
	for range 10_000 {
		sh := uint(r.IntN(64))
		checkFromInts(t, fromU, fromI, r.Uint64()>>sh, int64(r.Uint64())>>sh)
	}
}

func TestFromInts(t *testing.T) {
	testFromInts(t, I32F32FromUint64, I32F32FromInt64)
	testFromInts(t, I64F64FromUint64, I64F64FromInt64)
	testFromInts(t, U64F64FromUint64, U64F64FromInt64)
	testFromInts(t, I96F32FromUint64, I96F32FromInt64)
	testFromInts(t, U96F32FromUint64, U96F32FromInt64)
}

// floatEdges include exact ties at 2^-33 and 2^-65 (half a delta of the
// 32- and 64-fraction types), subnormals, and values just past each range.
var floatEdges = []float64{
	0, math.Copysign(0, -1), 0.5, -0.5, 1, -1, 20, -20, -100, 0.000003,
	0x1p-33, 0x3p-33, -0x1p-33, -0x3p-33, 0x1p-65, 0x3p-65, -0x3p-65,
	0x1.8p-32, 0x1p-34, 0x1.0000000000001p-33,
	math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, math.MaxFloat64, -math.MaxFloat64,
	0x1p31, -0x1p31, 0x1p63, -0x1p63, 0x1p96, -0x1p96, 0x1p127, -0x1p127, 0x1p128,
	0x1.fffffffffffffp30, 0x1.fffffffffffffp62, 0x1.fffffffffffffp95,
	math.Inf(1), math.Inf(-1), math.NaN(),
}

func testFromFloat[T fx[T]](t *testing.T, from func(float64) T) {
	for _, f := range floatEdges {
		checkFromFloat(t, from, f)
	}
	r := rand.New(rand.NewPCG(9, 9))
	for range 10_000 {
		// Random finite doubles spread over the exponents that matter.
		f := math.Ldexp(r.Float64()+0.5, r.IntN(200)-100)
		if r.IntN(2) == 0 {
			f = -f
		}
		checkFromFloat(t, from, f)
		// Exact ties at both fraction widths: an odd multiple of half a
		// delta, which must round to the even neighbour.
		odd := float64(r.Uint64N(1<<52)*2 + 1)
		checkFromFloat(t, from, math.Ldexp(odd, -33-r.IntN(2)*32))
		checkFromFloat(t, from, -math.Ldexp(odd, -33-r.IntN(2)*32))
	}
}

func TestFromFloat64(t *testing.T) {
	testFromFloat(t, I32F32FromFloat64)
	testFromFloat(t, I64F64FromFloat64)
	testFromFloat(t, U64F64FromFloat64)
	testFromFloat(t, I96F32FromFloat64)
	testFromFloat(t, U96F32FromFloat64)
}

// TestFromFloat64Constants pins the constants the specs name.
func TestFromFloat64Constants(t *testing.T) {
	// emission.md §0: SubnetMovingAlpha 0.000003 -> bits 12885.
	if got := I32F32FromFloat64(0.000003).Bits(); got != 12885 {
		t.Fatalf("I32F32FromFloat64(0.000003) = bits %d, want 12885", got)
	}
	// A tie rounds to even: 3 * 2^-33 is 1.5 deltas -> 2 deltas; 2^-33 -> 0.
	if got := I32F32FromFloat64(0x3p-33).Bits(); got != 2 {
		t.Fatalf("tie 1.5 delta = %d, want 2", got)
	}
	if got := I32F32FromFloat64(0x5p-33).Bits(); got != 2 {
		t.Fatalf("tie 2.5 delta = %d, want 2", got)
	}
	for _, c := range []struct {
		f    float64
		want int64
	}{{0, 0}, {0.5, 1 << 31}, {1, 1 << 32}, {-20, -20 << 32}, {20, 20 << 32}, {-100, -100 << 32}} {
		if got := I32F32FromFloat64(c.f); got != I32F32FromBits(c.want) {
			t.Fatalf("I32F32FromFloat64(%v) = %v", c.f, got)
		}
	}
}

func TestBounds(t *testing.T) {
	check := func(name string, got any, want *big.Int) {
		t.Helper()
		if rawOf(got).Cmp(want) != 0 {
			t.Fatalf("%s = raw %s, want %s", name, rawOf(got), want)
		}
	}
	for _, c := range []struct {
		k                kind
		mx, mn, delta, o any
	}{
		{kI32F32, I32F32Max(), I32F32Min(), I32F32Delta(), I32F32FromUint64(1)},
		{kI64F64, I64F64Max(), I64F64Min(), I64F64Delta(), I64F64FromUint64(1)},
		{kU64F64, U64F64Max(), U64F64Min(), U64F64Delta(), U64F64FromUint64(1)},
		{kI96F32, I96F32Max(), I96F32Min(), I96F32Delta(), I96F32FromUint64(1)},
		{kU96F32, U96F32Max(), U96F32Min(), U96F32Delta(), U96F32FromUint64(1)},
	} {
		check(c.k.name+"Max", c.mx, c.k.maxRaw())
		check(c.k.name+"Min", c.mn, c.k.minRaw())
		check(c.k.name+"Delta", c.delta, big.NewInt(1))
		check(c.k.name+"FromUint64(1)", c.o, pow2(c.k.frac))
	}
}

// TestFromBits checks that the raw-bits constructors and accessors agree.
func TestFromBits(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	for range 1000 {
		hi, lo := r.Uint64(), r.Uint64()
		if h, l := I64F64FromBits(hi, lo).Bits(); h != hi || l != lo {
			t.Fatal("I64F64 bits round trip")
		}
		if h, l := U64F64FromBits(hi, lo).Bits(); h != hi || l != lo {
			t.Fatal("U64F64 bits round trip")
		}
		if h, l := I96F32FromBits(hi, lo).Bits(); h != hi || l != lo {
			t.Fatal("I96F32 bits round trip")
		}
		if h, l := U96F32FromBits(hi, lo).Bits(); h != hi || l != lo {
			t.Fatal("U96F32 bits round trip")
		}
		if b := I32F32FromBits(int64(lo)).Bits(); b != int64(lo) {
			t.Fatal("I32F32 bits round trip")
		}
	}
}
