package fixed

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/holiman/uint256"
)

var acc = big.NewInt(PerquintillAccuracy)

// refFromRational is floor(1e18 * p / q), or 1e18 when q == 0 or p > q.
func refFromRational(p, q *big.Int) uint64 {
	if q.Sign() == 0 || p.Cmp(q) > 0 {
		return PerquintillAccuracy
	}
	n := new(big.Int).Mul(p, acc)
	return n.Quo(n, q).Uint64()
}

func checkFromRational(t testing.TB, p, q uint64) {
	t.Helper()
	bp, bq := new(big.Int).SetUint64(p), new(big.Int).SetUint64(q)
	want := refFromRational(bp, bq)
	if got := PerquintillFromRational(p, q).Parts(); got != want {
		t.Fatalf("PerquintillFromRational(%d, %d) = %d, want %d", p, q, got, want)
	}
	up, uq := uint256.NewInt(p), uint256.NewInt(q)
	if got := PerquintillFromRational256(up, uq).Parts(); got != want {
		t.Fatalf("PerquintillFromRational256(%d, %d) = %d, want %d", p, q, got, want)
	}
}

func checkFromRational256(t testing.TB, p, q *uint256.Int) {
	t.Helper()
	p0, q0 := *p, *q
	want := refFromRational(p.ToBig(), q.ToBig())
	if got := PerquintillFromRational256(p, q).Parts(); got != want {
		t.Fatalf("PerquintillFromRational256(%s, %s) = %d, want %d", p, q, got, want)
	}
	if *p != p0 || *q != q0 {
		t.Fatalf("PerquintillFromRational256 modified its arguments")
	}
	// Aliasing: both arguments the same pointer gives exactly 100%.
	// (q == 0 when p is zero, p == q otherwise).
	if got := PerquintillFromRational256(p, p).Parts(); got != PerquintillAccuracy {
		t.Fatalf("PerquintillFromRational256(p, p) = %d", got)
	}
}

func checkMulFloor(t testing.TB, parts, v uint64) {
	t.Helper()
	p := PerquintillFromParts(parts)
	bp := new(big.Int).SetUint64(min(parts, PerquintillAccuracy))
	n := new(big.Int).Mul(bp, new(big.Int).SetUint64(v))
	want := n.Quo(n, acc).Uint64()
	if got := p.MulFloorUint64(v); got != want {
		t.Fatalf("Perquintill(%d).MulFloorUint64(%d) = %d, want %d", p, v, got, want)
	}
	if got := p.Parts() + p.Complement().Parts(); got != PerquintillAccuracy {
		t.Fatalf("Perquintill(%d): parts + complement = %d", p, got)
	}
}

var ratEdges = []uint64{0, 1, 2, 3, 7, 1e9, 1e18 - 1, 1e18, 1e18 + 1, 1 << 63, math.MaxUint64 - 1, math.MaxUint64}

func TestPerquintillEdges(t *testing.T) {
	for _, p := range ratEdges {
		for _, q := range ratEdges {
			checkFromRational(t, p, q)
			checkMulFloor(t, p, q)
		}
	}
	// sp-arithmetic: from_rational(1, 2) is exactly 5e17; q == 0 and p > q give one.
	if got := PerquintillFromRational(1, 2); got != 500_000_000_000_000_000 {
		t.Fatalf("from_rational(1, 2) = %d", got)
	}
	if PerquintillFromRational(1, 0) != PerquintillOne() || PerquintillFromRational(3, 2) != PerquintillOne() {
		t.Fatal("from_rational must give one for q == 0 and p > q")
	}
	if PerquintillFromParts(math.MaxUint64) != PerquintillOne() {
		t.Fatal("from_parts must clamp to 1e18")
	}
	if PerquintillFromParts(1).Complement().Parts() != PerquintillAccuracy-1 {
		t.Fatal("Complement")
	}
}

func TestPerquintillRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 31))
	for range 10_000 {
		p, q := r.Uint64()>>r.IntN(64), r.Uint64()>>r.IntN(64)
		checkFromRational(t, p, q)
		checkFromRational(t, min(p, q), max(p, q))
		checkMulFloor(t, r.Uint64N(PerquintillAccuracy+1), r.Uint64()>>r.IntN(64))
		// u128 arguments, as the balancer passes them.
		var wp, wq uint256.Int
		wp.SetFromBig(new(big.Int).Lsh(new(big.Int).SetUint64(p), uint(r.IntN(65))))
		wq.SetFromBig(new(big.Int).Lsh(new(big.Int).SetUint64(q), uint(r.IntN(65))))
		checkFromRational256(t, &wp, &wq)
		if wp.Gt(&wq) {
			wp, wq = wq, wp
		}
		checkFromRational256(t, &wp, &wq)
	}
}

func TestSafeDivUint64(t *testing.T) {
	for _, a := range ratEdges {
		for _, b := range ratEdges {
			want, wantOr := uint64(0), uint64(42)
			if b != 0 {
				want, wantOr = a/b, a/b
			}
			if got := SafeDivUint64(a, b); got != want {
				t.Fatalf("SafeDivUint64(%d, %d) = %d", a, b, got)
			}
			if got := SafeDivOrUint64(a, b, 42); got != wantOr {
				t.Fatalf("SafeDivOrUint64(%d, %d, 42) = %d", a, b, got)
			}
		}
	}
}
