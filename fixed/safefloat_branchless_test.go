package fixed

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// pow10U64 is 10^k for k ≤ 19, every power of ten below 2^64 (the
// references' table).
var pow10U64 = func() (t [20]uint64) {
	for k := range t {
		t[k] = pow10U128[k].lo
	}
	return t
}()

// sfFromWordBranchy is sfFromWord as it was with its two corrections as
// branches: the reference for the flags sfFromWord adds.
func sfFromWordBranchy(n uint64) SafeFloat {
	d := int(sfDigitsAt[bits.Len64(n)])
	if n >= pow10U64[d] {
		d++
	}
	j := 21 - d
	if n == pow10U64[d-1] {
		j++
	}
	p := pow10U128[j]
	hi, lo := bits.Mul64(n, p.lo)
	return SafeFloat{u128{hi + n*p.hi, lo}, -int64(j)}
}

// TestSfFromWordMatchesBranchy compares sfFromWord with its branchy
// reference at every power of ten and of two and their neighbours (where
// the corrections flip), the smallest and largest words, and random words
// of every length.
func TestSfFromWordMatchesBranchy(t *testing.T) {
	check := func(n uint64) {
		t.Helper()
		if n == 0 {
			return
		}
		if got, want := sfFromWord(n), sfFromWordBranchy(n); got != want {
			t.Fatalf("sfFromWord(%d) = %v, reference %v", n, got, want)
		}
	}
	for n := uint64(1); n <= 100_000; n++ {
		check(n)
	}
	for _, p := range pow10U64 {
		for d := uint64(0); d <= 3; d++ {
			check(p - d)
			check(p + d)
		}
	}
	for b := range 64 {
		p := uint64(1) << b
		check(p - 1)
		check(p)
		check(p + 1)
	}
	check(math.MaxUint64)
	r := rand.New(rand.NewPCG(19, 7))
	for range 300_000 {
		check(r.Uint64() >> r.UintN(64))
	}
}

func FuzzSfFromWordBranchy(f *testing.F) {
	f.Add(uint64(1))
	f.Add(uint64(999_999_999))
	f.Add(uint64(10_000_000_000_000_000_000))
	f.Add(uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, n uint64) {
		if n == 0 {
			return
		}
		if got, want := sfFromWord(n), sfFromWordBranchy(n); got != want {
			t.Fatalf("sfFromWord(%d) = %v, reference %v", n, got, want)
		}
	})
}
