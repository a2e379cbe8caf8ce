package bigpow

import (
	"math"
	"math/rand/v2"
	"testing"
)

// gcdEuclid is Euclid's gcd, the reference of gcd64.
func gcdEuclid(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func TestGcd64MatchesEuclid(t *testing.T) {
	edges := []uint64{1, 2, 3, 1 << 32, 1 << 63, 1e18, 5e17, 499679000000000001, 500320999999999999, math.MaxUint64, math.MaxUint64 - 1}
	for _, a := range edges {
		for _, b := range edges {
			if g, w := gcd64(a, b), gcdEuclid(a, b); g != w {
				t.Fatalf("gcd64(%d, %d) = %d, want %d", a, b, g, w)
			}
		}
	}
	// The weight pairs of the fast path: w and 1e18 − w, w and 1e18, for
	// w with every power of 2 and 5 dividing 1e18 (and beyond it).
	for i := uint64(1); i <= 1e18; i *= 2 {
		for j := uint64(1); i*j <= 1e18 && j <= 1e18/i; j *= 5 {
			for _, m := range []uint64{1, 3, 7, 25, 1 << 20, 390625 * 3} {
				w := i * j * m
				if w == 0 || w > 1e18 || w/m != i*j {
					continue
				}
				for _, pair := range [][2]uint64{{w, 1e18 - w}, {1e18 - w, w}, {w, 1e18}} {
					if pair[0] == 0 || pair[1] == 0 {
						continue
					}
					if g, want := gcd64(pair[0], pair[1]), gcdEuclid(pair[0], pair[1]); g != want {
						t.Fatalf("gcd64(%d, %d) = %d, want %d", pair[0], pair[1], g, want)
					}
				}
			}
			if j > 1e18/5 {
				break
			}
		}
		if i > 1e18/2 {
			break
		}
	}
	rng := rand.New(rand.NewPCG(14, 9))
	for range 200_000 {
		c := rng.Uint64()>>rng.IntN(64) | 1
		a, b := rng.Uint64()>>rng.IntN(64)|1, rng.Uint64()>>rng.IntN(64)|1
		if rng.IntN(2) == 0 {
			// A common factor (wrapping is fine: still two positive numbers).
			a, b = max(a*c, 1), max(b*c, 1)
		}
		if g, w := gcd64(a, b), gcdEuclid(a, b); g != w {
			t.Fatalf("gcd64(%d, %d) = %d, want %d", a, b, g, w)
		}
		w := rng.Uint64N(1e18) + 1
		if rng.IntN(2) == 0 {
			w = w / 390625 * 390625 // many factors of 5 and 2
		}
		if w == 0 || w == 1e18 {
			continue
		}
		for _, pair := range [][2]uint64{{w, 1e18 - w}, {w, 1e18}, {1e18 - w, w}} {
			if g, want := gcd64(pair[0], pair[1]), gcdEuclid(pair[0], pair[1]); g != want {
				t.Fatalf("gcd64(%d, %d) = %d, want %d", pair[0], pair[1], g, want)
			}
		}
	}
}

func FuzzGcd64(f *testing.F) {
	f.Add(uint64(5e17), uint64(1e18))
	f.Add(uint64(3e17), uint64(7e17))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		if a == 0 || b == 0 {
			return
		}
		if w := a % 1e18; w != 0 {
			if g, want := gcd64(w, 1e18-w), gcdEuclid(w, 1e18-w); g != want {
				t.Fatalf("gcd64(%d, %d) = %d, want %d", w, 1e18-w, g, want)
			}
		}
		if g, w := gcd64(a, b), gcdEuclid(a, b); g != w {
			t.Fatalf("gcd64(%d, %d) = %d, want %d", a, b, g, w)
		}
	})
}

func checkReduceExponent(t testing.TB, en, ed uint64) {
	t.Helper()
	g := gcdEuclid(en, ed)
	if n, d := reduceExponent(en, ed); n != en/g || d != ed/g {
		t.Fatalf("reduceExponent(%d, %d) = %d/%d, want %d/%d", en, ed, n, d, en/g, ed/g)
	}
}

// reduceExponent divides by the gcd: the AMM's weight pairs with every
// power of 2 and 5 of 1e18 (and more) in w, random weights and random
// pairs, and the inverses of the powers of 5 themselves.
func TestReduceExponentMatchesDivision(t *testing.T) {
	p := uint64(1)
	for i, inv := range inv5Pow {
		if p*inv != 1 {
			t.Fatalf("inv5Pow[%d]·5^%d = %d, want 1 mod 2^64", i, i, p*inv)
		}
		p *= 5
	}
	for i := uint64(1); i <= 1e18; i *= 2 {
		for j := uint64(1); i*j <= 1e18 && j <= 1e18/i; j *= 5 {
			for _, m := range []uint64{1, 3, 7, 25, 1 << 20, 390625 * 3} {
				w := i * j * m
				if w == 0 || w >= 1e18 || w/m != i*j {
					continue
				}
				checkReduceExponent(t, w, 1e18-w)
				checkReduceExponent(t, 1e18-w, w)
				checkReduceExponent(t, w, 1e18)
			}
		}
	}
	rng := rand.New(rand.NewPCG(14, 50))
	for range 200_000 {
		w := 1 + rng.Uint64N(1e18-1)
		if rng.IntN(2) == 0 {
			w = w / 390625 * 390625 // many factors of 5
		}
		if w == 0 {
			w = 1
		}
		checkReduceExponent(t, w, 1e18-w)
		checkReduceExponent(t, w, 1e18)
		checkReduceExponent(t, 1+rng.Uint64()>>rng.IntN(64), 1+rng.Uint64()>>rng.IntN(64))
	}
	checkReduceExponent(t, math.MaxUint64, 1e18)
	checkReduceExponent(t, 1e18, 1e18)
}

func FuzzReduceExponent(f *testing.F) {
	f.Add(uint64(499999999999717795), uint64(500000000000282205))
	f.Fuzz(func(t *testing.T, en, ed uint64) {
		if en == 0 || ed == 0 {
			return
		}
		checkReduceExponent(t, en, ed)
	})
}
