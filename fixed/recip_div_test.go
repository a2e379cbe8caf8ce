package fixed

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"
)

func checkDivisor(t testing.TB, x, d U64F64) {
	t.Helper()
	r := NewU64F64Divisor(d)
	got, gok := r.Divide(x)
	want, wok := x.CheckedDiv(d)
	if got != want || gok != wok {
		t.Fatalf("U64F64Divisor(%#x:%#x).Divide(%#x:%#x) = %#x:%#x %v, CheckedDiv %#x:%#x %v",
			d.hi, d.lo, x.hi, x.lo, got.hi, got.lo, gok, want.hi, want.lo, wok)
	}
}

// TestU64F64DivisorMatchesCheckedDiv compares Divide with CheckedDiv on
// divisors of every bit length (one word and two, so every normalising
// shift occurs), numerators just below, at and above the divisor (the
// reciprocal path ends at d − 1), the extremes, and random pairs.
func TestU64F64DivisorMatchesCheckedDiv(t *testing.T) {
	const m = math.MaxUint64
	edges := []U64F64{
		{0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 1 << 63}, {0, 1<<63 - 1}, {0, 1<<63 + 1}, {0, m}, {0, m - 1},
		{1, 0}, {1, 1}, {1, m}, {1 << 63, 0}, {1<<63 - 1, m}, {m, m}, {m, m - 1}, {m, 0}, {0x8000000000000001, 0},
	}
	for _, d := range edges {
		for _, x := range edges {
			checkDivisor(t, x, d)
		}
	}
	rng := rand.New(rand.NewPCG(31, 32))
	word := func() uint64 { return rng.Uint64() >> uint(rng.IntN(65)) }
	n := 2_000_000
	if testing.Short() {
		n = 100_000
	}
	for k := range n {
		var d U64F64
		if k%2 == 0 {
			d = U64F64{0, word()}
		} else {
			d = U64F64{word(), rng.Uint64()}
		}
		var x U64F64
		switch k % 5 {
		case 0: // anything
			x = U64F64{word(), rng.Uint64()}
		case 1: // just below d
			x = d
			x.lo -= uint64(rng.IntN(3))
			if x.lo > d.lo {
				x.hi--
			}
		case 2: // d scaled down: quotients of every size below 1
			s := uint(rng.IntN(128))
			if s < 64 {
				x = U64F64{d.hi >> s, d.lo>>s | d.hi<<(64-s)}
			} else {
				x = U64F64{0, d.hi >> (s - 64)}
			}
		default: // a share of a sum: d is 64 shares' sum
			x = U64F64{d.hi >> 6, d.hi<<58 | d.lo>>6}
			x.lo += word() >> 8
		}
		checkDivisor(t, x, d)
	}
}

// TestU64F64DivisorDoesNotAllocate checks the prepared division.
func TestU64F64DivisorDoesNotAllocate(t *testing.T) {
	r := NewU64F64Divisor(U64F64{3, 12345})
	x := U64F64{1, 99}
	if a := testing.AllocsPerRun(100, func() { x, _ = r.Divide(x) }); a != 0 {
		t.Fatalf("Divide allocates %v times", a)
	}
}

func FuzzU64F64Divisor(f *testing.F) {
	f.Add(uint64(0), uint64(5), uint64(0), uint64(7))
	f.Add(uint64(1), uint64(0), uint64(3), uint64(1))
	f.Fuzz(func(t *testing.T, xh, xl, dh, dl uint64) {
		checkDivisor(t, U64F64{xh, xl}, U64F64{dh, dl})
	})
}

func checkPerquintill(t testing.TB, x U128, m, a uint64) {
	t.Helper()
	got, gok := x.MulAddQuoPerquintill(m, a)
	want, wok := x.MulAddQuoUint64(m, a, PerquintillAccuracy)
	if got != want || gok != wok {
		t.Fatalf("(%#x:%#x).MulAddQuoPerquintill(%d, %d) = %#x:%#x %v, MulAddQuoUint64 %#x:%#x %v",
			x.hi, x.lo, m, a, got.hi, got.lo, gok, want.hi, want.lo, wok)
	}
}

// TestMulAddQuoPerquintillMatches compares it with MulAddQuoUint64 by
// 10^18: numerators at multiples of 10^18 and one below, at the overflow
// edge (quotients near 2^128), the AMM's rounding (a = 5·10^17 with weights
// as m), the extremes, and random operands of every length.
func TestMulAddQuoPerquintillMatches(t *testing.T) {
	const m64 = math.MaxUint64
	xs := []U128{{0, 0}, {0, 1}, {0, PerquintillAccuracy}, {0, PerquintillAccuracy - 1}, {0, m64}, {1, 0}, {m64, m64}, {PerquintillAccuracy - 1, m64}, {PerquintillAccuracy, 0}}
	ms := []uint64{0, 1, 2, PerquintillAccuracy - 1, PerquintillAccuracy, PerquintillAccuracy / 2, m64}
	as := []uint64{0, 1, PerquintillAccuracy / 2, PerquintillAccuracy - 1, m64}
	for _, x := range xs {
		for _, m := range ms {
			for _, a := range as {
				checkPerquintill(t, x, m, a)
			}
		}
	}
	rng := rand.New(rand.NewPCG(51, 52))
	word := func() uint64 { return rng.Uint64() >> uint(rng.IntN(65)) }
	n := 2_000_000
	if testing.Short() {
		n = 100_000
	}
	for k := range n {
		x := U128{word(), rng.Uint64()}
		m, a := word(), word()
		switch k % 4 {
		case 0: // the AMM's rounding of a weight times a product
			m = rng.Uint64N(PerquintillAccuracy + 1)
			a = PerquintillAccuracy / 2
		case 1: // x·m + a a multiple of 10^18, or one below
			x = U128{0, rng.Uint64N(1 << 40)}
			m = PerquintillAccuracy
			a = uint64(rng.IntN(2)) * (PerquintillAccuracy - 1)
		case 2: // quotients near 2^128: n2 near 10^18
			x = U128{PerquintillAccuracy - 1 - rng.Uint64N(3), rng.Uint64()}
			m = 1<<64 - 1 - rng.Uint64N(1<<20)
		}
		checkPerquintill(t, x, m, a)
	}
}

func FuzzMulAddQuoPerquintill(f *testing.F) {
	f.Add(uint64(0), uint64(7), uint64(PerquintillAccuracy/3), uint64(PerquintillAccuracy/2))
	f.Fuzz(func(t *testing.T, xh, xl, m, a uint64) {
		checkPerquintill(t, U128{xh, xl}, m, a)
	})
}

// TestU64F64FromPerquintillPartsMatches compares it with U64F64FromRatio
// by 10^18 around multiples of 10^18, at the extremes and at random.
func TestU64F64FromPerquintillPartsMatches(t *testing.T) {
	check := func(k uint64) {
		if got, want := U64F64FromPerquintillParts(k), U64F64FromRatio(k, PerquintillAccuracy); got != want {
			t.Fatalf("U64F64FromPerquintillParts(%d) = %#x:%#x, U64F64FromRatio %#x:%#x", k, got.hi, got.lo, want.hi, want.lo)
		}
	}
	for q := uint64(0); q <= math.MaxUint64/PerquintillAccuracy; q++ {
		for _, d := range []uint64{0, 1, 2, PerquintillAccuracy / 2, PerquintillAccuracy - 1} {
			check(q*PerquintillAccuracy + d)
			check(q*PerquintillAccuracy - d)
		}
	}
	check(math.MaxUint64)
	rng := rand.New(rand.NewPCG(61, 62))
	for range 1_000_000 {
		check(rng.Uint64() >> uint(rng.IntN(64)))
	}
}

// TestPerqRecip recomputes the constant reciprocal of quoPerqStep.
func TestPerqRecip(t *testing.T) {
	if want, _ := bits.Div64(^uint64(perqNorm), ^uint64(0), perqNorm); perqRecip != want {
		t.Fatalf("perqRecip = %d, want %d", uint64(perqRecip), want)
	}
}

// checkOneMinusPerquintillParts compares U64F64OneMinusPerquintillParts(k)
// with the saturating subtraction it stands for.
func checkOneMinusPerquintillParts(t testing.TB, k uint64) {
	t.Helper()
	want := U64F64FromUint64(1).SaturatingSub(U64F64FromPerquintillParts(k))
	if got := U64F64OneMinusPerquintillParts(k); got != want {
		t.Fatalf("U64F64OneMinusPerquintillParts(%d) = %#x:%#x, want %#x:%#x", k, got.hi, got.lo, want.hi, want.lo)
	}
}

// TestU64F64OneMinusPerquintillParts checks it at the ends of (0, 10^18),
// around the multiples of 10^18/2^j (where the complement's quotient is
// exact or nearly so), on every bit length and at random.
func TestU64F64OneMinusPerquintillParts(t *testing.T) {
	for _, k := range []uint64{0, 1, 2, PerquintillAccuracy - 2, PerquintillAccuracy - 1, PerquintillAccuracy, PerquintillAccuracy + 1, math.MaxUint64} {
		checkOneMinusPerquintillParts(t, k)
	}
	for j := range 19 {
		m := uint64(PerquintillAccuracy) >> j
		for _, d := range []uint64{0, 1, 2} {
			checkOneMinusPerquintillParts(t, m-d)
			checkOneMinusPerquintillParts(t, m+d)
			checkOneMinusPerquintillParts(t, PerquintillAccuracy-m+d)
		}
	}
	for e := range 64 {
		checkOneMinusPerquintillParts(t, 1<<e-1)
		checkOneMinusPerquintillParts(t, 1<<e)
	}
	rng := rand.New(rand.NewPCG(63, 64))
	for range 1_000_000 {
		checkOneMinusPerquintillParts(t, rng.Uint64N(PerquintillAccuracy+1)>>uint(rng.IntN(64)))
		checkOneMinusPerquintillParts(t, PerquintillAccuracy-rng.Uint64N(PerquintillAccuracy)>>uint(rng.IntN(64)))
	}
}

func FuzzU64F64OneMinusPerquintillParts(f *testing.F) {
	f.Add(uint64(PerquintillAccuracy - 1))
	f.Add(uint64(PerquintillAccuracy / 2))
	f.Fuzz(func(t *testing.T, k uint64) { checkOneMinusPerquintillParts(t, k) })
}

func checkQuoAbove(t testing.TB, x, y, c U96F32) {
	t.Helper()
	q, ok := x.CheckedDiv(y)
	want := ok && c.Less(q)
	if got := x.QuoAbove(y, c); got != want {
		t.Fatalf("(%#x:%#x).QuoAbove(%#x:%#x, %#x:%#x) = %v, CheckedDiv gives %#x:%#x %v", x.hi, x.lo, y.hi, y.lo, c.hi, c.lo, got, q.hi, q.lo, ok)
	}
}

// TestQuoAboveMatchesCheckedDiv compares QuoAbove with CheckedDiv and
// Less: c at the quotient and one either side, quotients at the overflow
// edge, zero and extreme operands, and random ones of every length.
func TestQuoAboveMatchesCheckedDiv(t *testing.T) {
	const m = math.MaxUint64
	vals := []U96F32{{0, 0}, {0, 1}, {0, 2}, {0, 1 << 32}, {0, m}, {1, 0}, {1 << 32, 0}, {1<<32 - 1, m}, {m, m}, {m, m - 1}, {m >> 32, m}}
	for _, x := range vals {
		for _, y := range vals {
			for _, c := range vals {
				checkQuoAbove(t, x, y, c)
			}
		}
	}
	rng := rand.New(rand.NewPCG(71, 72))
	word := func() uint64 { return rng.Uint64() >> uint(rng.IntN(65)) }
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	for range n {
		x, y := U96F32{word(), rng.Uint64()}, U96F32{word(), rng.Uint64()}
		q, ok := x.CheckedDiv(y)
		c := U96F32{word(), rng.Uint64()}
		if ok {
			c = q
		}
		for _, d := range []int{-1, 0, 1} {
			cc := c
			switch d {
			case -1:
				cc = U96F32(U128(c).SaturatingSub(U128{0, 1}))
			case 1:
				cc = U96F32(U128(c).SaturatingAdd(U128{0, 1}))
			}
			checkQuoAbove(t, x, y, cc)
		}
	}
}

func FuzzQuoAbove(f *testing.F) {
	f.Add(uint64(1), uint64(5), uint64(0), uint64(7), uint64(0), uint64(3))
	f.Fuzz(func(t *testing.T, xh, xl, yh, yl, ch, cl uint64) {
		checkQuoAbove(t, U96F32{xh, xl}, U96F32{yh, yl}, U96F32{ch, cl})
	})
}

// shareOfRoundedRef is PerquintillShareOfRounded as its doc composes it.
func shareOfRoundedRef(p1 U128, w1 uint64, p2 U128, w2 uint64) (Perquintill, bool) {
	round := func(p U128, w uint64) U128 {
		q, ok := p.MulAddQuoPerquintill(w, PerquintillAccuracy/2)
		if !ok {
			return U128Max()
		}
		return q
	}
	q1, q2 := round(p1, w1), round(p2, w2)
	sum := q1.SaturatingAdd(q2)
	if sum.IsZero() {
		return 0, false
	}
	return PerquintillFromRationalU128(q2, sum), true
}

func checkShareOfRounded(t testing.TB, p1 U128, w1 uint64, p2 U128, w2 uint64) {
	t.Helper()
	got, ok := PerquintillShareOfRounded(p1, w1, p2, w2)
	want, wok := shareOfRoundedRef(p1, w1, p2, w2)
	if got != want || ok != wok {
		t.Fatalf("PerquintillShareOfRounded(%v, %d, %v, %d) = %d, %v; composed %d, %v", p1, w1, p2, w2, got, ok, want, wok)
	}
}

// PerquintillShareOfRounded against its composition: the weight update's
// shapes (reserve products below 2^128 with weights summing to 10^18),
// products and weights of every size, and the edges (zero products, the
// caps of the rounded products, one-word sums).
func TestPerquintillShareOfRoundedMatches(t *testing.T) {
	edges := []U128{{}, {0, 1}, {0, 1<<63 + 5}, {0, ^uint64(0)}, {1, 0}, {1 << 63, 0}, {^uint64(0), ^uint64(0) - 1}, U128Max()}
	weights := []uint64{0, 1, PerquintillAccuracy / 2, PerquintillAccuracy - 1, PerquintillAccuracy, ^uint64(0)}
	for _, p1 := range edges {
		for _, p2 := range edges {
			for _, w1 := range weights {
				for _, w2 := range weights {
					checkShareOfRounded(t, p1, w1, p2, w2)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(14, 41))
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	for range n {
		// Reserves of up to 2^64 and a weight near or far from 1/2.
		y, x := rng.Uint64()>>rng.IntN(40), rng.Uint64()>>rng.IntN(40)
		dy, dx := rng.Uint64()>>rng.IntN(64), rng.Uint64()>>rng.IntN(64)
		w2 := PerquintillAccuracy/100 + rng.Uint64N(PerquintillAccuracy*98/100)
		p1 := U128Mul64(y, x).SaturatingAdd(U128Mul64(y, dx))
		p2 := U128Mul64(x, y).SaturatingAdd(U128Mul64(x, dy))
		checkShareOfRounded(t, p1, PerquintillAccuracy-w2, p2, w2)
		// Any words.
		checkShareOfRounded(t, U128{rng.Uint64() >> rng.IntN(65), rng.Uint64()}, rng.Uint64()>>rng.IntN(65),
			U128{rng.Uint64() >> rng.IntN(65), rng.Uint64()}, rng.Uint64()>>rng.IntN(65))
	}
}

func FuzzPerquintillShareOfRounded(f *testing.F) {
	f.Add(uint64(1), uint64(0), uint64(PerquintillAccuracy/2), uint64(1), uint64(5), uint64(PerquintillAccuracy/2))
	f.Add(^uint64(0), ^uint64(0), ^uint64(0), uint64(0), uint64(0), uint64(0))
	f.Add(uint64(0), uint64(1), uint64(1), uint64(0), uint64(1), uint64(1))
	f.Fuzz(func(t *testing.T, h1, l1, w1, h2, l2, w2 uint64) {
		checkShareOfRounded(t, U128{h1, l1}, w1, U128{h2, l2}, w2)
	})
}

// U128MulSumSat is U128Mul64 of the 64-bit sum plus a·2^64 for its carry,
// saturating, on edges and random words.
func TestU128MulSumSat(t *testing.T) {
	check := func(a, b, c uint64) {
		t.Helper()
		s, carry := bits.Add64(b, c, 0)
		want := U128Mul64(a, s)
		if carry != 0 {
			want = want.SaturatingAdd(U128{a, 0})
		}
		if got := U128MulSumSat(a, b, c); got != want {
			t.Fatalf("U128MulSumSat(%d, %d, %d) = %v, want %v", a, b, c, got, want)
		}
	}
	edges := []uint64{0, 1, 2, 1 << 63, math.MaxUint64 - 1, math.MaxUint64}
	for _, a := range edges {
		for _, b := range edges {
			for _, c := range edges {
				check(a, b, c)
			}
		}
	}
	rng := rand.New(rand.NewPCG(14, 42))
	for range 100_000 {
		check(rng.Uint64()>>rng.IntN(65), rng.Uint64()>>rng.IntN(65), rng.Uint64()>>rng.IntN(65))
	}
}

func checkU64F64MulRatios(t testing.TB, a, b, c, d uint64) {
	t.Helper()
	want := U64F64FromRatio(a, b).SaturatingMul(U64F64FromRatio(c, d))
	if got := U64F64MulRatios(a, b, c, d); got != want {
		t.Fatalf("U64F64MulRatios(%d, %d, %d, %d) = %v, composed %v", a, b, c, d, got.BitsString(), want.BitsString())
	}
}

// U64F64MulRatios against its composition: prices of pools (weights
// summing to 10^18, reserves of every size), saturating products, zero
// divisors and random words.
func TestU64F64MulRatiosMatches(t *testing.T) {
	edges := []uint64{0, 1, 2, 1e9, PerquintillAccuracy / 2, PerquintillAccuracy, 1 << 63, math.MaxUint64}
	for _, a := range edges {
		for _, b := range edges {
			for _, c := range edges {
				for _, d := range edges {
					checkU64F64MulRatios(t, a, b, c, d)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(14, 43))
	for range 100_000 {
		w2 := rng.Uint64N(PerquintillAccuracy + 1)
		checkU64F64MulRatios(t, PerquintillAccuracy-w2, w2, rng.Uint64()>>rng.IntN(64), rng.Uint64()>>rng.IntN(64))
		checkU64F64MulRatios(t, rng.Uint64()>>rng.IntN(65), rng.Uint64()>>rng.IntN(65), rng.Uint64()>>rng.IntN(65), rng.Uint64()>>rng.IntN(65))
	}
}

func FuzzU64F64MulRatios(f *testing.F) {
	f.Add(uint64(PerquintillAccuracy/2), uint64(PerquintillAccuracy/2), uint64(4e14), uint64(1.5e14))
	f.Add(uint64(math.MaxUint64), uint64(1), uint64(math.MaxUint64), uint64(1))
	f.Add(uint64(1), uint64(0), uint64(1), uint64(3))
	f.Fuzz(func(t *testing.T, a, b, c, d uint64) { checkU64F64MulRatios(t, a, b, c, d) })
}

// PerquintillShareOfRounded's final division normalises the sum and q2
// before the product: with both weights 10^18 each rounded product is
// its p exactly (floor((p·10^18 + 10^18/2)/10^18) = p), so the sum
// q1 + q2 is chosen here to need every normalisation shift from 0 (a top
// word of 2^63 or more) to 63 (a top word of 1), with q2 at 0, 1, half
// the sum, the sum less one and the whole sum.
func TestPerquintillShareOfRoundedShifts(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 43))
	for s := range 64 {
		for range 200 {
			sum := U128{uint64(1)<<(63-s) | rng.Uint64()>>(s+1), rng.Uint64()}
			if rng.IntN(4) == 0 {
				sum.lo = 0
			}
			for _, q2 := range []U128{{}, {0, 1}, rshU128(sum, 1), sum.Sub(U128{0, 1}), sum, rshU128(sum, uint(rng.IntN(128)))} {
				checkShareOfRounded(t, sum.Sub(q2), PerquintillAccuracy, q2, PerquintillAccuracy)
			}
		}
	}
}
