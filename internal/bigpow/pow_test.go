package bigpow

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/holiman/uint256"
)

// powInput is one argument set of Pow.
type powInput struct {
	bn, bd    uint256.Int
	en, ed    uint64
	precision uint32
	scale     uint64
}

func (in powInput) String() string {
	return fmt.Sprintf("Pow(%s, %s, %d, %d, %d, %d)", in.bn.Dec(), in.bd.Dec(), in.en, in.ed, in.precision, in.scale)
}

// checkPowAgainstBig requires Pow to return exactly what PowBig returns,
// under Pow's classification (None, overflow, negative reported as 0).
func checkPowAgainstBig(t testing.TB, in powInput) {
	t.Helper()
	got, of, ok := Pow(&in.bn, &in.bd, in.en, in.ed, in.precision, in.scale)
	want, wok := PowBig(in.bn.ToBig(), in.bd.ToBig(), new(big.Int).SetUint64(in.en), new(big.Int).SetUint64(in.ed), in.precision, new(big.Int).SetUint64(in.scale))
	if ok != wok {
		t.Fatalf("%v: ok = %v, PowBig ok = %v", in, ok, wok)
	}
	if !ok {
		return
	}
	switch {
	case want.Sign() < 0:
		if got != 0 || of {
			t.Fatalf("%v = %d, %v; PowBig = %s (negative, want 0, false)", in, got, of, want)
		}
	case !want.IsUint64():
		if !of {
			t.Fatalf("%v = %d, overflow false; PowBig = %s", in, got, want)
		}
	default:
		if of || got != want.Uint64() {
			t.Fatalf("%v = %d, %v; PowBig = %s", in, got, of, want)
		}
	}
}

// randBits draws a uniform value of exactly k bits (k in 1..256).
func randBits(r *rand.Rand, k int) uint256.Int {
	var z uint256.Int
	for i := range z {
		z[i] = r.Uint64()
	}
	z.Rsh(&z, uint(256-k))
	setBitU256(&z, uint(k-1))
	return z
}

func setBitU256(z *uint256.Int, n uint) {
	z[n/64] |= 1 << (n % 64)
}

// randBase draws a base term: log-uniform bit lengths, mostly below 2^128
// (the AMM's range), sometimes up to 2^256.
func randBase(r *rand.Rand) uint256.Int {
	switch r.IntN(20) {
	case 0:
		return randBits(r, 129+r.IntN(128))
	case 1:
		return *uint256.NewInt(uint64(r.IntN(4))) // 0..3, including zero
	}
	return randBits(r, 1+r.IntN(128))
}

const perq = 1_000_000_000_000_000_000

// randExponent draws (en, ed) across the exact and fallback paths.
func randExponent(r *rand.Rand) (uint64, uint64) {
	switch r.IntN(12) {
	case 0: // equal weights: 1/1
		w := 1 + r.Uint64N(perq)
		return w, w
	case 1: // limit at w = 0.5: 1/2
		return perq / 2, perq
	case 2: // small exact exponents
		return uint64(1 + r.IntN(12)), uint64(1 + r.IntN(12))
	case 3: // around the 1024/1025 boundary
		if r.IntN(4) == 0 {
			return uint64(1000 + r.IntN(40)), uint64(1000 + r.IntN(40))
		}
		return uint64(1 + r.IntN(1100)), uint64(1020 + r.IntN(10))
	case 4:
		return 0, uint64(r.IntN(3))
	case 5:
		return uint64(r.IntN(3)), 0
	case 6: // any u64 pair
		return r.Uint64() >> r.IntN(64), r.Uint64() >> r.IntN(64)
	case 7, 8: // limit: (p'/p)^(w/1e18)
		return uint64(1e16 + r.Int64N(perq-2e16)), perq
	}
	// swap: w1/w2 with w1 + w2 = 1e18
	w := uint64(1e16 + r.Int64N(perq-2e16))
	if r.IntN(2) == 0 {
		return w, perq - w
	}
	return perq - w, w
}

func randPrecision(r *rand.Rand) uint32 {
	// The reference costs about 1 ms at precision 256 and 7 ms at 1024, so
	// most cases use cheaper precisions: the fixed-width code is the same at
	// every width, only the limb counts differ.
	switch r.IntN(40) {
	case 0, 1:
		return 1024
	case 2, 3:
		return uint32(300 + r.IntN(800)) // up to beyond the fixed-width box
	case 4, 5, 6, 7, 8, 9, 10, 11:
		return 0
	case 12, 13, 14, 15, 16, 17, 18, 19, 20, 21:
		return 256
	}
	return uint32(r.IntN(300))
}

func randScale(r *rand.Rand) uint64 {
	switch r.IntN(10) {
	case 0:
		return uint64(r.IntN(3))
	case 1:
		return math.MaxUint64
	case 2:
		return r.Uint64() >> r.IntN(64)
	}
	return 1e18
}

// randPowInput draws one argument set; ratios near 1 (the AMM's swaps) are
// favoured, as are the boundaries.
func randPowInput(r *rand.Rand) powInput {
	var in powInput
	in.bn = randBase(r)
	switch r.IntN(3) {
	case 0:
		in.bd = randBase(r)
	default: // bd = bn ± small delta, as x/(x+dx)
		d := randBits(r, 1+r.IntN(64))
		if r.IntN(2) == 0 {
			in.bd.Add(&in.bn, &d)
		} else {
			in.bd.Sub(&in.bn, &d)
			if in.bd.Gt(&in.bn) { // wrapped
				in.bd.Add(&in.bn, &d)
			}
		}
		if r.IntN(2) == 0 {
			in.bn, in.bd = in.bd, in.bn
		}
	}
	in.en, in.ed = randExponent(r)
	in.precision = randPrecision(r)
	in.scale = randScale(r)
	// Keep the reference's exact path (a bisection on powers) affordable.
	g := gcd64(max(in.en, 1), max(in.ed, 1))
	if in.en/g <= maxExactExponent && in.ed/g <= maxExactExponent && in.en/g+in.ed/g > 24 {
		in.bn.Rsh(&in.bn, uint(max(in.bn.BitLen()-20, 0)))
		in.bd.Rsh(&in.bd, uint(max(in.bd.BitLen()-20, 0)))
		if in.bd.IsZero() {
			in.bd.SetOne()
		}
		in.scale >>= 40
	}
	return in
}

func TestPowMatchesPowBigRandom(t *testing.T) {
	n := 10_000
	if testing.Short() || raceEnabled {
		// The reference is slow (about 1 ms at precision 256, 7 ms at
		// 1024) and the race detector multiplies that by four.
		n = 2_500
	}
	r := rand.New(rand.NewPCG(1, 2))
	paths := map[string]int{}
	for range n {
		in := randPowInput(r)
		paths[pathOf(in)]++
		checkPowAgainstBig(t, in)
	}
	t.Logf("cases per path: %v", paths)
	for _, p := range []string{"early", "exact 1/1", "exact 1/2", "exact other", "fallback fixed-width", "fallback math/big"} {
		if paths[p] < n/1000 {
			t.Errorf("path %q drawn %d times in %d cases", p, paths[p], n)
		}
	}
}

// pathOf names the path Pow takes for in (the fixed-width fallback may
// still hand over to math/big when |L| is large).
func pathOf(in powInput) string {
	if in.bd.IsZero() || in.ed == 0 || in.bn.IsZero() || in.en == 0 {
		return "early"
	}
	g := gcd64(in.en, in.ed)
	en, ed := in.en/g, in.ed/g
	switch {
	case en == 1 && ed == 1:
		return "exact 1/1"
	case en == 1 && ed == 2:
		return "exact 1/2"
	case en <= maxExactExponent && ed <= maxExactExponent:
		return "exact other"
	}
	if _, i, _ := fallbackParams(in.precision, 64-bits.LeadingZeros64(in.scale)); i > maxFastI {
		return "fallback math/big"
	}
	return "fallback fixed-width"
}
