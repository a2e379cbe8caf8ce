package fixed

import (
	"math"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"testing"
)

func checkIsqrt(t testing.TB, hi, lo uint64) {
	t.Helper()
	n := bigFromU128(u128{hi, lo}, false)
	want := new(big.Int).Sqrt(n).Uint64()
	if got := Isqrt128(hi, lo); got != want {
		t.Fatalf("Isqrt128(%s) = %d, want %d", n, got, want)
	}
	if hi == 0 {
		if got := Isqrt64(lo); got != want {
			t.Fatalf("Isqrt64(%d) = %d, want %d", lo, got, want)
		}
	}
}

func TestIsqrt(t *testing.T) {
	for _, v := range []uint64{0, 1, 2, 3, 4, 5, 8, 9, 15, 16, 17, 1<<32 - 1, 1 << 32, 1<<32 + 1, math.MaxUint64 - 1, math.MaxUint64} {
		checkIsqrt(t, 0, v)
		checkIsqrt(t, v, 0)
		checkIsqrt(t, v, math.MaxUint64)
	}
	// Perfect squares and their neighbours across the whole range.
	for j := uint(0); j < 64; j++ {
		for _, s := range []uint64{1<<j - 1, 1 << j, 1<<j + 1} {
			hi, lo := bits.Mul64(s, s)
			checkIsqrt(t, hi, lo)
			lo1, b := bits.Sub64(lo, 1, 0)
			checkIsqrt(t, hi-b, lo1)
			lo2, c := bits.Add64(lo, 1, 0)
			checkIsqrt(t, hi+c, lo2)
		}
	}
	r := rand.New(rand.NewPCG(41, 41))
	for range 10_000 {
		checkIsqrt(t, r.Uint64()>>r.IntN(64), r.Uint64())
		checkIsqrt(t, 0, r.Uint64()>>r.IntN(64))
	}
}

// refCheckedSqrt is subtensor safe-math's checked_sqrt on U64F64, on raw
// bits with math/big.
func refCheckedSqrt(x, eps *big.Int) *big.Int {
	k := kU64F64
	one, two := pow2(64), pow2(65)
	safeDiv := func(a, b *big.Int) *big.Int {
		if b.Sign() == 0 {
			return new(big.Int)
		}
		q := refDiv(k, a, b)
		if !k.inRange(q) {
			return new(big.Int)
		}
		return q
	}
	var high, low *big.Int
	if x.Cmp(one) > 0 {
		high, low = x, new(big.Int)
	} else {
		high, low = one, x
	}
	mid := safeDiv(k.clamp(refAdd(high, low)), two)
	chk := safeDiv(x, mid)
	for it := 0; new(big.Int).Abs(new(big.Int).Sub(chk, mid)).Cmp(eps) > 0; {
		if chk.Cmp(mid) < 0 {
			high = mid
		} else {
			low = mid
		}
		mid = safeDiv(k.clamp(refAdd(high, low)), two)
		chk = safeDiv(x, mid)
		it++
		if it > 128 {
			break
		}
	}
	return mid
}

func TestCheckedSqrt(t *testing.T) {
	eps := U64F64FromUint64(1).SafeDiv(U64F64FromUint64(1000)) // as subnet_emissions.rs
	check := func(x, e U64F64) {
		t.Helper()
		got, ok := x.CheckedSqrt(e)
		want := refCheckedSqrt(rawOf(x), rawOf(e))
		if !ok || rawOf(got).Cmp(want) != 0 {
			t.Fatalf("U64F64(%s).CheckedSqrt(%s) = %s, %v; want %s", x, e, got, ok, refString(kU64F64, want))
		}
	}
	for _, a := range edgeRaws(kU64F64) {
		check(fromRaw[U64F64](a), eps)
		check(fromRaw[U64F64](a), U64F64{})
	}
	r := rand.New(rand.NewPCG(43, 43))
	for range 500 {
		check(fromRaw[U64F64](randRaw(r, kU64F64)), eps)
		check(fromRaw[U64F64](randRaw(r, kU64F64)), fromRaw[U64F64](randRaw(r, kU64F64)))
	}
	// sqrt(4) is within epsilon of 2.
	got, _ := U64F64FromUint64(4).CheckedSqrt(eps)
	if d := got.Float64() - 2; d > 0.001 || d < -0.001 {
		t.Fatalf("sqrt(4) = %v", got)
	}
}
