package bigpow

import (
	"math/big"
	"math/bits"
	"math/rand/v2"
	"testing"
)

func fixedFromBig(t testing.TB, v *big.Int) fixedNum {
	t.Helper()
	var x fixedNum
	ws := new(big.Int).Abs(v).Bits()
	if len(ws) > maxLimbs {
		t.Fatalf("value of %d bits does not fit", v.BitLen())
	}
	for i, w := range ws {
		x.d[i] = uint64(w)
	}
	x.n = len(ws)
	x.neg = v.Sign() < 0
	x.norm()
	return x
}

func fixedToBig(x *fixedNum) *big.Int {
	v := new(big.Int)
	for i := x.n - 1; i >= 0; i-- {
		v.Lsh(v, 64)
		v.Or(v, new(big.Int).SetUint64(x.d[i]))
	}
	if x.neg {
		v.Neg(v)
	}
	return v
}

// checkInvariant requires the canonical form: no leading zero limb, no
// negative zero, no stray limbs above n.
func checkInvariant(t testing.TB, x *fixedNum) {
	t.Helper()
	if x.n > 0 && x.d[x.n-1] == 0 || x.n == 0 && x.neg {
		t.Fatalf("non-canonical fixedNum n=%d neg=%v", x.n, x.neg)
	}
	for _, w := range x.d[x.n:] {
		if w != 0 {
			t.Fatalf("stray limb above n=%d", x.n)
		}
	}
}

// randSigned draws a signed value of up to maxBits bits, with runs of ones
// and zeros to reach the carry and borrow corners.
func randSigned(r *rand.Rand, maxBits int) *big.Int {
	k := r.IntN(maxBits + 1)
	v := new(big.Int)
	switch r.IntN(4) {
	case 0: // 2^k - 1
		v.Lsh(bigOne, uint(k)).Sub(v, bigOne)
	case 1: // 2^k
		v.Lsh(bigOne, uint(k))
	default:
		for v.BitLen() < k {
			v.Lsh(v, 64).Or(v, new(big.Int).SetUint64(r.Uint64()))
		}
		v.Rsh(v, uint(max(v.BitLen()-k, 0)))
	}
	if r.IntN(2) == 0 {
		v.Neg(v)
	}
	return v
}

func floorDiv(a, b *big.Int) *big.Int { return new(big.Int).Div(a, b) } // b > 0: Euclidean = floor

func checkMulShift(t *testing.T, x, y *big.Int, s uint) {
	t.Helper()
	fx, fy := fixedFromBig(t, x), fixedFromBig(t, y)
	want := floorDiv(new(big.Int).Mul(x, y), new(big.Int).Lsh(bigOne, s))
	var z fixedNum
	ok := mulShiftFloor(&z, &fx, &fy, s)
	if want.BitLen() > maxLimbs*64 {
		if ok {
			t.Fatalf("mulShiftFloor(%v, %v, %d): ok for a result of %d bits", x, y, s, want.BitLen())
		}
		return
	}
	if !ok {
		t.Fatalf("mulShiftFloor(%v, %v, %d) overflowed; want %v", x, y, s, want)
	}
	checkInvariant(t, &z)
	if got := fixedToBig(&z); got.Cmp(want) != 0 {
		t.Fatalf("mulShiftFloor(%v, %v, %d) = %v; want %v", x, y, s, got, want)
	}
	// Aliasing: z = x.
	if mulShiftFloor(&fx, &fx, &fy, s); fixedToBig(&fx).Cmp(want) != 0 {
		t.Fatalf("mulShiftFloor aliased with x = %v; want %v", fixedToBig(&fx), want)
	}
}

func TestMulShiftFloorMatchesBig(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20_000 {
		s := uint(r.IntN(maxFastI + 30))
		checkMulShift(t, randSigned(r, maxFastI+64), randSigned(r, maxFastI+64), s)
	}
}

// TestMulShiftFloorAmbiguous builds products whose bits just below s are all
// ones or all zeros, the patterns that the truncated product must redo.
func TestMulShiftFloorAmbiguous(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 5_000 {
		s := uint(64 + r.IntN(maxFastI-64))
		mod := new(big.Int).Lsh(bigOne, s)
		y := randSigned(r, int(s))
		y.SetBit(y, 0, 1) // odd, so invertible mod 2^s
		if y.Sign() == 0 {
			continue
		}
		// x·y ≡ target (mod 2^s), target = -1 - k or +k for a small k:
		// all ones or all zeros above the low bits.
		k := big.NewInt(int64(r.IntN(1 << 20)))
		target := new(big.Int).Set(k)
		if r.IntN(2) == 0 {
			target.Sub(mod, bigOne).Sub(target, k)
		}
		inv := new(big.Int).ModInverse(new(big.Int).Abs(y), mod)
		x := new(big.Int).Mul(target, inv)
		x.Mod(x, mod)
		// Move x·y around in magnitude without changing it mod 2^s.
		x.Add(x, new(big.Int).Lsh(big.NewInt(int64(r.IntN(4))), s))
		if r.IntN(2) == 0 {
			x.Neg(x)
		}
		checkMulShift(t, x, y, s)
	}
	// Exact multiples of 2^s, negative and positive.
	for _, s := range []uint{0, 1, 63, 64, 65, 280, 1048, maxFastI} {
		for _, sign := range []int64{-1, 1} {
			x := new(big.Int).Lsh(big.NewInt(sign*3), s)
			checkMulShift(t, x, big.NewInt(5), s)
			checkMulShift(t, big.NewInt(sign), big.NewInt(1), s)
		}
	}
}

func TestDivWordFloorMatchesBig(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 20_000 {
		x := randSigned(r, maxLimbs*64-1)
		y := r.Uint64() >> r.IntN(64)
		if y == 0 {
			y = 1
		}
		fx := fixedFromBig(t, x)
		var z fixedNum
		divWordFloor(&z, &fx, y)
		checkInvariant(t, &z)
		want := floorDiv(x, new(big.Int).SetUint64(y))
		if got := fixedToBig(&z); got.Cmp(want) != 0 {
			t.Fatalf("divWordFloor(%v, %d) = %v; want %v", x, y, got, want)
		}
		if divWordFloor(&fx, &fx, y); fixedToBig(&fx).Cmp(want) != 0 {
			t.Fatalf("divWordFloor aliased = %v; want %v", fixedToBig(&fx), want)
		}
	}
}

func TestDivWWMatchesDiv64(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 100_000 {
		d := r.Uint64() | 1<<63
		if r.IntN(8) == 0 {
			d = 1<<63 | uint64(r.IntN(4))
		}
		u1 := r.Uint64() % d
		u0 := r.Uint64()
		switch r.IntN(4) {
		case 0:
			u1 = d - 1
		case 1:
			u0 = ^uint64(0)
		}
		q, rem := divWW(u1, u0, d, reciprocal(d))
		wq, wr := bits.Div64(u1, u0, d)
		if q != wq || rem != wr {
			t.Fatalf("divWW(%d, %d, %d) = %d, %d; want %d, %d", u1, u0, d, q, rem, wq, wr)
		}
	}
}

func TestAddSignedMatchesBig(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 20_000 {
		x, y := randSigned(r, maxLimbs*64-1), randSigned(r, maxLimbs*64-1)
		if r.IntN(8) == 0 {
			y.Neg(x) // exact cancellation
		}
		sub := r.IntN(2) == 0
		want := new(big.Int).Add(x, y)
		if sub {
			want.Sub(x, y)
		}
		fx, fy := fixedFromBig(t, x), fixedFromBig(t, y)
		var z fixedNum
		ok := addSigned(&z, &fx, &fy, sub)
		if want.BitLen() > maxLimbs*64 {
			if ok {
				t.Fatalf("addSigned(%v, %v, %v): ok for %d bits", x, y, sub, want.BitLen())
			}
			continue
		}
		checkInvariant(t, &z)
		if got := fixedToBig(&z); !ok || got.Cmp(want) != 0 {
			t.Fatalf("addSigned(%v, %v, %v) = %v, %v; want %v", x, y, sub, got, ok, want)
		}
		if addSigned(&fy, &fx, &fy, sub); fixedToBig(&fy).Cmp(want) != 0 {
			t.Fatalf("addSigned aliased with y = %v; want %v", fixedToBig(&fy), want)
		}
	}
}

func TestShiftFixedMatchesBig(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for range 10_000 {
		x := new(big.Int).Abs(randSigned(r, 256))
		k := uint(r.IntN(maxLimbs*64 - 257))
		fx := fixedFromBig(t, x)
		shlFixed(&fx, k)
		checkInvariant(t, &fx)
		if want := new(big.Int).Lsh(x, k); fixedToBig(&fx).Cmp(want) != 0 {
			t.Fatalf("shlFixed(%v, %d) = %v; want %v", x, k, fixedToBig(&fx), want)
		}
		shrFixed(&fx, k+uint(r.IntN(300)))
		checkInvariant(t, &fx)
	}
	for range 10_000 {
		x := new(big.Int).Abs(randSigned(r, maxLimbs*64-1))
		k := uint(r.IntN(maxLimbs*64 + 10))
		fx := fixedFromBig(t, x)
		shrFixed(&fx, k)
		checkInvariant(t, &fx)
		if want := new(big.Int).Rsh(x, k); fixedToBig(&fx).Cmp(want) != 0 {
			t.Fatalf("shrFixed(%v, %d) = %v; want %v", x, k, fixedToBig(&fx), want)
		}
	}
}
