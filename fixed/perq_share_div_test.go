package fixed

import (
	"math/bits"
	"math/rand/v2"
	"testing"
)

// perquintillShareOfRoundedDiv is PerquintillShareOfRounded's composition
// (see there) with each product's rounded quotient by 10^18 taken by two
// hardware divisions (roundedQuoPerqDiv) rather than MulAddQuoPerquintill's
// word steps on the reciprocal of 10^18 (quoPerqStep), and the share by
// PerquintillFromRationalU128: an independent computation of the same
// floors, the reference of TestPerquintillShareOfRoundedMatchesDiv,
// TestPerquintillShareOfRoundedBoundaries and
// FuzzPerquintillShareOfRoundedDiv. (Measured as production code, the
// hardware divisions took 5.1k fewer instructions per block of
// BenchmarkStep/subnets=64 but no measurable wall time on amd64, and
// bits.Div64 is a software loop on arm64: the steps stay.)
func perquintillShareOfRoundedDiv(p1 U128, w1 uint64, p2 U128, w2 uint64) (Perquintill, bool) {
	q1, q2 := roundedQuoPerqDiv(p1, w1), roundedQuoPerqDiv(p2, w2)
	sum := q1.SaturatingAdd(q2)
	if sum.IsZero() {
		return 0, false
	}
	return PerquintillFromRationalU128(q2, sum), true
}

// roundedQuoPerqDiv is MulAddQuoPerquintill(w, 10^18/2) of p, U128Max
// where its quotient takes more than two words: (p·w + 10^18/2)/10^18 by
// schoolbook division by one word, the top word n2 below 10^18 keeping
// both quotient words below 2^64.
func roundedQuoPerqDiv(p U128, w uint64) U128 {
	h0, n0 := bits.Mul64(p.lo, w)
	n2, l1 := bits.Mul64(p.hi, w)
	n1, c := bits.Add64(l1, h0, 0)
	n2 += c
	n0, c = bits.Add64(n0, PerquintillAccuracy/2, 0)
	n1, c = bits.Add64(n1, 0, c)
	n2 += c
	if n2 >= PerquintillAccuracy {
		return U128Max()
	}
	hi, r := bits.Div64(n2, n1, PerquintillAccuracy)
	lo, _ := bits.Div64(r, n0, PerquintillAccuracy)
	return U128{hi, lo}
}

func checkShareOfRoundedDiv(t testing.TB, p1 U128, w1 uint64, p2 U128, w2 uint64) {
	t.Helper()
	got, ok := PerquintillShareOfRounded(p1, w1, p2, w2)
	want, wok := perquintillShareOfRoundedDiv(p1, w1, p2, w2)
	if got != want || ok != wok {
		t.Fatalf("PerquintillShareOfRounded(%v, %d, %v, %d) = %d, %v; by hardware division %d, %v", p1, w1, p2, w2, got, ok, want, wok)
	}
}

// TestPerquintillShareOfRoundedMatchesDiv compares
// PerquintillShareOfRounded with perquintillShareOfRoundedDiv: weights 1/2 ± δ
// for δ from 0 to past 10^18/2 and the words' extremes, products of both
// parities, zero, one and the caps, and products p with p·|δ| at and
// around 10^18·2^64 (a rounded quotient's top word at its bounds); then
// the weight update's shapes with weights within 2^k of 1/2 for every k
// up to 60, products of every size, and any words.
func TestPerquintillShareOfRoundedMatchesDiv(t *testing.T) {
	const half = PerquintillAccuracy / 2
	deltas := []uint64{0, 1, 2, 3, 1000, 1<<24 - 1, 1 << 32, 1 << 40, 1<<58 - 1, 1 << 58, 1<<58 + 1, half - 1, half, half + 1}
	var weights []uint64
	for _, d := range deltas {
		weights = append(weights, half+d, half-min(d, half))
	}
	weights = append(weights, 0, PerquintillAccuracy, ^uint64(0), 1<<63+half, 1<<63+half-1, 1<<63+half+1, half-1<<58+1+1<<63)
	// p·|δ| around 10^18·2^64: p near 10^18·2^64/|δ|.
	limit := U128{PerquintillAccuracy, 0}
	ps := []U128{{}, {0, 1}, {0, 2}, {0, 3}, {0, ^uint64(0)}, {1, 0}, {1, 1}, {1<<32 - 1, ^uint64(0)}, {1<<32 - 1, ^uint64(0) - 1},
		{1 << 32, 0}, {1 << 32, 1}, {1<<31 + 12345, 987654321}, U128Max()}
	for _, d := range []uint64{1, 2, 3, 1000, 1<<32 - 1, 1 << 31, 3 << 30, 1<<58 - 1, 1<<57 + 1} {
		q, _, _ := limit.QuoRem(U128{0, d})
		for j := uint64(0); j < 4; j++ {
			ps = append(ps, q.Sub(U128{0, j}), q.Add(U128{0, j}))
		}
	}
	for _, p1 := range ps {
		for _, p2 := range ps {
			for _, w1 := range weights {
				for _, w2 := range []uint64{PerquintillAccuracy - min(w1, PerquintillAccuracy), w1, half + 7, half - 1<<58 + 1} {
					checkShareOfRoundedDiv(t, p1, w1, p2, w2)
					checkShareOfRoundedDiv(t, p2, w2, p1, w1)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(19, 91))
	n := 400_000
	if testing.Short() {
		n = 40_000
	}
	for range n {
		y, x := rng.Uint64()>>rng.IntN(40), rng.Uint64()>>rng.IntN(40)
		dy, dx := rng.Uint64()>>rng.IntN(64), rng.Uint64()>>rng.IntN(64)
		d := rng.Uint64() >> (4 + rng.IntN(61)) // up to 2^60
		w2 := half + d
		if rng.IntN(2) == 0 {
			w2 = half - d
		}
		checkShareOfRoundedDiv(t, U128MulSumSat(y, x, dx), PerquintillAccuracy-w2, U128MulSumSat(x, y, dy), w2)
		// Products of any size with the ends of E's range.
		p1 := U128{rng.Uint64() >> rng.IntN(65), rng.Uint64()}
		p2 := U128{rng.Uint64() >> rng.IntN(65), rng.Uint64()}
		checkShareOfRoundedDiv(t, p1, half-d, p2, half+d)
		checkShareOfRoundedDiv(t, p1, half+rng.Uint64N(1<<59)-1<<58, p2, half+rng.Uint64N(1<<59)-1<<58)
		checkShareOfRoundedDiv(t, U128{rng.Uint64() >> rng.IntN(65), rng.Uint64()}, rng.Uint64()>>rng.IntN(65),
			U128{rng.Uint64() >> rng.IntN(65), rng.Uint64()}, rng.Uint64()>>rng.IntN(65))
	}
}

func FuzzPerquintillShareOfRoundedDiv(f *testing.F) {
	const half = PerquintillAccuracy / 2
	f.Add(uint64(1), uint64(0), uint64(0), uint64(1), uint64(5), uint64(0), false)
	f.Add(uint64(1<<32-1), ^uint64(0), uint64(1<<58-1), uint64(1<<32-1), ^uint64(0), uint64(1<<58), true)
	f.Add(uint64(0), uint64(3), uint64(1), uint64(0), uint64(2), uint64(1), true)
	f.Fuzz(func(t *testing.T, h1, l1, d1, h2, l2, d2 uint64, neg bool) {
		// δ either side of 1/2 and products of every size, each shifted
		// by its own low bits.
		h1, h2, d1, d2 = h1>>(h1%64), h2>>(h2%64), d1>>(d1%64), d2>>(d2%64)
		d1, d2 = min(d1, half), min(d2, half)
		w1, w2 := half+d1, half-d2
		if neg {
			w1, w2 = half-d1, half+d2
		}
		checkShareOfRoundedDiv(t, U128{h1, l1}, w1, U128{h2, l2}, w2)
		checkShareOfRoundedDiv(t, U128{h1, l1}, w1, U128{h2, l2}, PerquintillAccuracy-w1)
	})
}

// TestPerquintillShareOfRoundedBoundaries puts the second product's
// p·w + 10^18/2 at k·10^18 − 1, k·10^18 and k·10^18 + 1 (the rounding's
// boundaries: weight 1, and weight 2 or 10^18/2 at the exact multiple)
// against a first product rounded to 1, 2 or 3, so that the share
// floor(q2·10^18/(q1 + q2)) moves with q2 by one: the rounded quotients
// themselves are compared, for k of one word and of two.
func TestPerquintillShareOfRoundedBoundaries(t *testing.T) {
	const half = PerquintillAccuracy / 2
	one := U128{0, PerquintillAccuracy}
	for _, k := range []U128{{0, 1}, {0, 2}, {0, 3}, {0, 1000}, {0, 1 << 20}, {0, 1 << 40}, {1, 7}, {1 << 36, 12345}} {
		kd := k.MulUint64(PerquintillAccuracy)
		for _, e := range []int{-1, 0, 1} {
			p := kd.Sub(U128{0, half})
			switch e {
			case -1:
				p = p.Sub(U128{0, 1})
			case 1:
				p = p.Add(U128{0, 1})
			}
			pairs := []struct {
				p U128
				w uint64
			}{{p, 1}}
			if e == 0 {
				h, _, _ := p.QuoRem(U128{0, 2})
				pairs = append(pairs, struct {
					p U128
					w uint64
				}{h, 2})
			}
			// p·10^18/2 + 10^18/2 = (p + 1)·10^18/2: a multiple for odd p.
			q2 := k.Add(k).Sub(U128{0, 1 - uint64(e+1)%2})
			pairs = append(pairs, struct {
				p U128
				w uint64
			}{q2, half})
			for _, pw := range pairs {
				for _, q1 := range []uint64{1, 2, 3} {
					checkShareOfRoundedDiv(t, U128{0, q1}, PerquintillAccuracy, pw.p, pw.w)
					checkShareOfRoundedDiv(t, pw.p, pw.w, U128{0, q1}, PerquintillAccuracy)
					checkShareOfRounded(t, U128{0, q1}, PerquintillAccuracy, pw.p, pw.w)
				}
				checkShareOfRoundedDiv(t, pw.p, pw.w, one, 1)
			}
		}
	}
}
