package emission

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// checkSubnetTerms compares subnetTerms (its one-word path where it
// applies) with subnetTermsWide, the operations as written.
func checkSubnetTerms(t testing.TB, te fixed.U96F32, iss units.Alpha, price fixed.U64F64, rp fixed.U96F32) {
	t.Helper()
	ti, ai, ao, ex := subnetTerms(te, iss, price, rp)
	wti, wai, wao, wex := subnetTermsWide(te, iss, price, rp)
	if ti != wti || ai != wai || ao != wao || ex != wex {
		t.Fatalf("subnetTerms(%v, %d, %v, %v) = %v, %v, %d, %v; subnetTermsWide %v, %v, %d, %v",
			te, iss, price, rp, ti, ai, ao, ex, wti, wai, wao, wex)
	}
}

// issuanceAt is an alpha issuance whose block emission is 10^9 >> k (the
// k-th halving's threshold, TotalSupply − floor(TotalSupply/2^k)), or
// just past it.
func issuanceAt(k int, past uint64) units.Alpha {
	const t = uint64(TotalSupply)
	if k == 0 {
		return units.Alpha(past)
	}
	return units.Alpha(t - t>>k + past)
}

// subnetTerms' one-word path against subnetTermsWide: random operands
// (prices below and above 1, TAO emissions of one and two words, root
// proportions up to 1 and past it, every halving of the alpha emission),
// and constructed ones at each edge of the path's test: the quotient
// te/p at the cap, one below and one above (with the alpha emission 1,
// the k = 29 halving, so that the cap is the root proportion's raw bits,
// any value), p at and one above te's top 32 bits, the cap at and below
// 2^64 − 1, and two-word operands.
func TestSubnetTermsMatchWide(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 13))
	for range 200_000 {
		te := fixed.U96F32FromBits(randU64(rng)>>rng.IntN(64), randU64(rng))
		price := fixed.U64F64FromBits(randU64(rng)>>(32+rng.IntN(33)), randU64(rng))
		rp := fixed.U96F32FromBits(0, rng.Uint64N(1<<32+2))
		if rng.IntN(8) == 0 {
			rp = fixed.U96F32FromBits(randU64(rng)>>rng.IntN(64), randU64(rng))
		}
		iss := issuanceAt(rng.IntN(31), rng.Uint64N(1<<20))
		if rng.IntN(4) == 0 {
			iss = units.Alpha(randU64(rng))
		}
		checkSubnetTerms(t, te, iss, price, rp)
	}
	bigOf := func(hi, lo uint64) *big.Int {
		v := new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
		return v.Or(v, new(big.Int).SetUint64(lo))
	}
	iss1 := issuanceAt(29, 0)
	if AlphaBlockEmission(iss1) != 1 {
		t.Fatalf("AlphaBlockEmission(%d) = %d, want 1", iss1, AlphaBlockEmission(iss1))
	}
	for range 100_000 {
		// te below p·2^32 as raw U96F32 bits, so the quotient is below
		// 2^32 and a root proportion (at most 1) can be the cap.
		pl := rng.Uint64N(1<<62) + 1
		price := fixed.U64F64FromBits(pl>>32, pl<<32) // SaturatingToU96F32 gives pl
		if rng.IntN(2) == 0 {
			price = fixed.U64F64FromBits(pl>>32, pl<<32|rng.Uint64N(1<<32))
		}
		tel := rng.Uint64() >> rng.IntN(40)
		te := fixed.U96F32FromBits(0, tel)
		q := new(big.Int).Lsh(bigOf(0, tel), 32)
		q.Quo(q, new(big.Int).SetUint64(pl))
		if !q.IsUint64() {
			continue
		}
		for _, c := range []uint64{q.Uint64() - 1, q.Uint64(), q.Uint64() + 1, q.Uint64() + 2} {
			if c > 1<<32 || q.Uint64() == 0 && c == math.MaxUint64 {
				continue
			}
			checkSubnetTerms(t, te, iss1, price, fixed.U96F32FromBits(0, c))
		}
	}
	// te·2^32 exactly (cap + 1)·p: p = m·2^32, te = q·m, the quotient q
	// with no remainder, and the cap q − 1, q and q + 1.
	for range 20_000 {
		m := rng.Uint64N(1<<30) + 1
		q := rng.Uint64N(1<<32) + 1
		price := fixed.U64F64FromBits(m, 0) // SaturatingToU96F32: m·2^32
		te := fixed.U96F32FromBits(0, q*m)
		for _, c := range []uint64{q - 1, q, q + 1} {
			checkSubnetTerms(t, te, iss1, price, fixed.U96F32FromBits(0, c))
		}
	}
	// p at and around te's top 32 bits (the quotient at 2^128 and past
	// it), caps at and just below 2^64 − 1, two-word operands.
	for range 20_000 {
		xh := rng.Uint64() >> rng.IntN(64)
		te := fixed.U96F32FromBits(xh, rng.Uint64())
		for _, pl := range []uint64{xh >> 32, xh>>32 + 1, xh>>32 + 2, 0, 1} {
			price := fixed.U64F64FromBits(pl>>32, pl<<32)
			for _, rp := range []fixed.U96F32{{}, fixed.U96F32FromBits(0, 1), fixed.U96F32FromUint64(1), fixed.U96F32FromBits(0, math.MaxUint64), fixed.U96F32FromBits(1, 0)} {
				checkSubnetTerms(t, te, issuanceAt(0, 0), price, rp)
				checkSubnetTerms(t, te, iss1, price, rp)
			}
		}
		// The cap (alpha out 1) at 2^64 − 1 and one below.
		for _, c := range []uint64{math.MaxUint64, math.MaxUint64 - 1} {
			checkSubnetTerms(t, te, iss1, fixed.U64F64FromBits(0, rng.Uint64()), fixed.U96F32FromBits(0, c))
		}
	}
}

func FuzzSubnetTerms(f *testing.F) {
	f.Add(uint64(0), uint64(1<<62), uint64(0), uint64(1<<40), uint64(1e15), uint64(0), uint64(1<<31))
	f.Add(uint64(1), uint64(0), uint64(0), uint64(1), uint64(20_999_999_000_000_000), uint64(0), uint64(1<<32))
	f.Fuzz(func(t *testing.T, teh, tel, ph, pl, iss, rph, rpl uint64) {
		checkSubnetTerms(t, fixed.U96F32FromBits(teh, tel), units.Alpha(iss), fixed.U64F64FromBits(ph, pl), fixed.U96F32FromBits(rph, rpl))
	})
}
