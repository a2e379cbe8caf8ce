package consensus

import (
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

func TestQuoMatchesSafeDiv(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	edge := []int64{0, 1, -1, 1 << 31, 1 << 32, 1<<32 - 1, 1<<63 - 1, -1 << 63, 65535 << 32, 3, 1 << 62, 7 << 32, -7 << 32}
	check := func(a, b int64) {
		x, y := fixed.I32F32FromBits(a), fixed.I32F32FromBits(b)
		if got, want := quo(x, y), x.SafeDiv(y); got != want {
			t.Fatalf("quo(%d, %d) = %d, SafeDiv %d", a, b, got.Bits(), want.Bits())
		}
	}
	for _, a := range edge {
		for _, b := range edge {
			check(a, b)
		}
	}
	n := 200000
	if testing.Short() {
		n = 20000
	}
	for range n {
		a, b := int64(r.Uint64()), int64(r.Uint64())
		switch r.IntN(5) {
		case 0:
			a >>= r.IntN(63)
			b >>= r.IntN(63)
		case 1:
			a, b = a>>40, b>>r.IntN(63)
		case 2:
			// A whole-number divisor (a row sum of integer weights).
			a, b = a>>r.IntN(63), b>>r.IntN(63)&^(1<<32-1)
		case 3:
			// A dividend at most 1 (a column-normalised cell).
			a, b = a>>r.IntN(64)&(1<<33-1), b>>r.IntN(63)
		}
		check(a, b)
	}
}
