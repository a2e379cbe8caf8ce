package emission

import (
	"math/bits"
	"math/rand/v2"
	"testing"
)

// blockEmissionSteps is get_block_emission_for_issuance
// (pallets/subtensor/src/coinbase/block_emission.rs) as the chain's I96F32
// steps on the raw bits: the reference for blockEmission's closed form.
func blockEmissionSteps(issuance uint64) uint64 {
	const t = uint64(TotalSupply) // 2.0 · 10_500_000_000_000_000.0, exact in I96F32
	if issuance >= t {
		return 0
	}
	// r: floor(issuance·2^32 / 2.1e16); issuance>>32 < 2^32 < t: no overflow.
	r, _ := bits.Div64(issuance>>32, issuance<<32, t)
	// 1 − r in bits; r < 2^32 because issuance < 2.1e16.
	oneMinusR := uint64(1)<<32 - r
	// q = 1 / (1 − r) in bits: floor(2^64 / (1 − r)), 2^64 (65 bits, which
	// I96F32 holds) when 1 − r is one bit.
	var qHi, qLo uint64
	if oneMinusR == 1 {
		qHi, qLo = 1, 0
	} else {
		qLo, _ = bits.Div64(1, 0, oneMinusR)
	}
	k := log2IntegerPart(qHi, qLo)
	if k >= 64 {
		return 0
	}
	// pct = 1 / 2^k has bits 2^(32−k) (0 past 32), and pct · 1e9 floors to
	// floor(1e9 / 2^k).
	return uint64(DefaultBlockEmission) >> k
}

// log2IntegerPart is the integer part that substrate-fixed's log2_inner
// produces for an I96F32 operand ≥ 1 with raw bits (hi, lo): the number of
// round-half-up halvings (x>>1 + x&1) applied while x ≥ 2.0.
func log2IntegerPart(hi, lo uint64) uint {
	const two = uint64(1) << 33 // 2.0 in I96F32 bits
	var k uint
	for hi > 0 || lo >= two {
		odd := lo & 1
		var carry uint64
		lo, carry = bits.Add64(lo>>1|hi<<63, odd, 0)
		hi = hi>>1 + carry
		k++
	}
	return k
}

// TestBlockEmissionClosedFormMatches: blockEmission equals the chain's
// steps at both ends of each of its constant runs, 0 and the issuance
// below the first threshold, every threshold T − floor(T/2^k) for k = 1
// to 63 and the issuance below it, and T − 1, T: with both functions
// non-increasing (the steps' monotonicity is checked on random pairs
// here) they are equal on every issuance. Random issuances and the
// neighbourhoods of the thresholds are compared too.
func TestBlockEmissionClosedFormMatches(t *testing.T) {
	check := func(issuance uint64) {
		t.Helper()
		if got, want := blockEmission(issuance), blockEmissionSteps(issuance); got != want {
			t.Fatalf("blockEmission(%d) = %d, the chain's steps %d", issuance, got, want)
		}
	}
	const ts = uint64(TotalSupply)
	check(0)
	check(ts - 1)
	check(ts)
	check(^uint64(0))
	for k := uint(1); k < 64; k++ {
		th := ts - ts>>k
		for d := uint64(0); d <= 4; d++ {
			check(th - d)
			check(th + d)
		}
	}
	r := rand.New(rand.NewPCG(14, 67))
	for range 20000 {
		check(r.Uint64N(ts + 1000))
		a, b := r.Uint64N(ts+1000), r.Uint64N(ts+1000)
		if a > b {
			a, b = b, a
		}
		if blockEmissionSteps(b) > blockEmissionSteps(a) {
			t.Fatalf("the chain's steps rise from %d to %d", a, b)
		}
	}
}

// FuzzBlockEmissionClosedForm compares blockEmission with the chain's
// steps.
func FuzzBlockEmissionClosedForm(f *testing.F) {
	f.Add(uint64(10_500_000_000_000_000))
	f.Add(uint64(TotalSupply) - 1)
	f.Fuzz(func(t *testing.T, issuance uint64) {
		if got, want := blockEmission(issuance), blockEmissionSteps(issuance); got != want {
			t.Fatalf("blockEmission(%d) = %d, the chain's steps %d", issuance, got, want)
		}
	})
}
