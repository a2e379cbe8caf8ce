package consensus

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

// mulUnitOperands are raw I32F32 bits in [0, 2^32], mulUnit's domain,
// with both ends.
func mulUnitOperands() (xs, ys []uint64) {
	r := rand.New(rand.NewPCG(1, 2))
	xs, ys = make([]uint64, 4096), make([]uint64, 4096)
	for i := range xs {
		xs[i], ys[i] = r.Uint64N(1<<32+1), r.Uint64N(1<<32+1)
	}
	xs[0], ys[0] = 1<<32, 1<<32
	xs[1], ys[1] = 0, 1<<32
	xs[2], ys[2] = 1<<32, 1<<32-1
	return xs, ys
}

// mulUnit equals fixed's I32F32 Mul on its domain.
func TestMulUnit(t *testing.T) {
	xs, ys := mulUnitOperands()
	for i := range xs {
		want := fixed.I32F32FromBits(int64(xs[i])).Mul(fixed.I32F32FromBits(int64(ys[i])))
		if got := mulUnit(xs[i], ys[i]); got != uint64(want.Bits()) {
			t.Fatalf("mulUnit(%d, %d) = %d, Mul %d", xs[i], ys[i], got, want.Bits())
		}
	}
}

var sinkMul uint64

// BenchmarkMulUnit compares mulUnit with the I32F32 Mul it specialises, on
// 4096 products a run.
func BenchmarkMulUnit(b *testing.B) {
	xs, ys := mulUnitOperands()
	b.Run("mulUnit", func(b *testing.B) {
		for b.Loop() {
			var t uint64
			for i := range xs {
				t += mulUnit(xs[i], ys[i])
			}
			sinkMul = t
		}
	})
	b.Run("I32F32.Mul", func(b *testing.B) {
		for b.Loop() {
			var t uint64
			for i := range xs {
				t += uint64(fixed.I32F32FromBits(int64(xs[i])).Mul(fixed.I32F32FromBits(int64(ys[i]))).Bits())
			}
			sinkMul = t
		}
	})
}

// normalizeUsingPrev is normalizeUsing before divideBelowOne took its
// loop: the reference of TestNormalizeUsingMatchesSafeDiv and
// FuzzNormalizeUsing, with every element divided in one loop (the
// divisor for an element in [0, 1), SafeDiv for the others).
func normalizeUsingPrev(x []fixed.I32F32, s fixed.I32F32) {
	if s.IsZero() {
		return
	}
	if s.Sign() < 0 {
		for i, v := range x {
			if !v.IsZero() {
				x[i] = v.SafeDiv(s)
			}
		}
		return
	}
	d := fixed.NewUint64Divisor(uint64(s.Bits()))
	for i, v := range x {
		switch b := uint64(v.Bits()); {
		case b == 0:
		case b < 1<<32:
			q := d.Div(b << 32)
			if q >= 1<<63 {
				q = 0 // safe_div's overflow
			}
			x[i] = fixed.I32F32FromBits(int64(q))
		default:
			x[i] = v.SafeDiv(s)
		}
	}
}

// drawNormalizeCase draws a vector of up to 40 elements (zeros most
// often, values in [0, 1) around the overflow bound, 1 and above,
// negatives) and a sum of either sign, tiny or large, or the plain sum.
func drawNormalizeCase(r bitSource) (x []fixed.I32F32, s fixed.I32F32) {
	draw := func() fixed.I32F32 {
		switch r.IntN(10) {
		case 0, 6, 7:
			return zero
		case 1:
			return fixed.I32F32FromBits(1<<32 - 1 - int64(r.IntN(4)))
		case 2:
			return fixed.I32F32FromBits(1<<32 + int64(r.IntN(1<<30))<<10)
		case 3:
			return fixed.I32F32FromBits(-int64(r.IntN(1<<30)) << 10)
		case 4:
			return fixed.I32F32FromBits(1 + int64(r.IntN(64)))
		default:
			return fixed.I32F32FromBits(int64(r.IntN(1<<30))<<2 | int64(r.IntN(4)))
		}
	}
	x = make([]fixed.I32F32, r.IntN(41))
	for i := range x {
		x[i] = draw()
	}
	s = draw()
	if r.IntN(4) == 0 {
		s = sum(x)
	}
	return x, s
}

// checkNormalizeUsing compares normalizeUsing with normalizeUsingPrev and
// with each element's SafeDiv by s (none for s = 0).
func checkNormalizeUsing(t *testing.T, x []fixed.I32F32, s fixed.I32F32) {
	t.Helper()
	got, prev := slices.Clone(x), slices.Clone(x)
	normalizeUsing(got, s)
	normalizeUsingPrev(prev, s)
	for i := range x {
		want := x[i]
		if !s.IsZero() {
			want = x[i].SafeDiv(s)
		}
		if got[i] != want || prev[i] != want {
			t.Fatalf("%v / %v: got %v, prev %v, SafeDiv %v", x[i], s, got[i], prev[i], want)
		}
	}
}

// TestNormalizeUsingMatchesSafeDiv: normalizeUsing gives SafeDiv's bits,
// and normalizeUsingPrev's, for every element: zeros, values in [0, 1)
// around the overflow bound, 1 and above (which end divideBelowOne's run
// anywhere in the vector, also first and last), negatives, and sums of
// either sign, tiny or large.
func TestNormalizeUsingMatchesSafeDiv(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	for range 20000 {
		x, s := drawNormalizeCase(r)
		checkNormalizeUsing(t, x, s)
	}
	one, half := fixed.I32F32FromBits(1<<32), fixed.I32F32FromBits(1<<31)
	for _, x := range [][]fixed.I32F32{
		{one}, {one, one}, {one, half, zero}, {zero, half, one}, {half, one, half, one, half}, {zero, zero},
	} {
		for _, s := range []fixed.I32F32{one, half, fixed.I32F32FromBits(1), fixed.I32F32FromBits(-1), zero, sum(x)} {
			checkNormalizeUsing(t, x, s)
		}
	}
}

// FuzzNormalizeUsing compares normalizeUsing with normalizeUsingPrev and
// SafeDiv on vectors drawn from the fuzz bytes.
func FuzzNormalizeUsing(f *testing.F) {
	seedCorpus(f, 19)
	f.Fuzz(func(t *testing.T, b []byte) {
		x, s := drawNormalizeCase(&byteSource{b})
		checkNormalizeUsing(t, x, s)
	})
}

// TestMulUnitRao: for a proportion x in [0, 1] and any u64 emission e,
// mulUnit(x_bits, e) is writeOutput's I96F32 amount
// saturating_to_num::<u64>(I96F32(x)·I96F32(e)).
func TestMulUnitRao(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 4))
	es := []uint64{0, 1, 65535, 1e9, 1 << 32, 1<<63 + 5, ^uint64(0) - 1, ^uint64(0)}
	xs := []int64{0, 1, 1<<31 + 1, 1<<32 - 1, 1 << 32}
	for range 2000 {
		es = append(es, r.Uint64(), r.Uint64N(1<<40))
		xs = append(xs, r.Int64N(1<<32+1))
	}
	for _, e := range es {
		e96 := fixed.I96F32FromUint64(e)
		for _, xb := range xs[:len(xs)/20+5] {
			x := fixed.I32F32FromBits(xb)
			want := x.SaturatingToI96F32().SaturatingMul(e96).SaturatingToUint64()
			if got := mulUnit(uint64(xb), e); got != want {
				t.Fatalf("x %v e %d: mulUnit %d, I96F32 %d", x, e, got, want)
			}
		}
	}
}

// refClipRank is the literal transcription of what clipRank fuses
// (subtensor pallets/subtensor/src/epoch/math.rs @14bc6f9f): col_clip_sparse
// of w by c, row_sum_sparse of the result (plain additions) and
// matmul_sparse of it with active over n columns (saturating).
func refClipRank(w sp, c, active []fixed.I32F32, n int) (sp, []fixed.I32F32, []fixed.I32F32) {
	clipped := make(sp, len(w))
	vt := make([]fixed.I32F32, len(w))
	inc := make([]fixed.I32F32, n)
	for i, r := range w {
		out := []entry{}
		for _, e := range r {
			th := zero
			if int(e.j) < len(c) {
				th = c[e.j]
			}
			if th.Less(e.v) {
				if zero.Less(th) {
					out = append(out, entry{e.j, th})
				}
			} else {
				out = append(out, e)
			}
		}
		clipped[i] = out
		vt[i] = refSum(func() []fixed.I32F32 {
			var v []fixed.I32F32
			for _, e := range out {
				v = append(v, e.v)
			}
			return v
		}())
		scale := zero
		if i < len(active) {
			scale = active[i]
		}
		for _, e := range out {
			if int(e.j) < n {
				inc[e.j] = inc[e.j].SaturatingAdd(scale.SaturatingMul(e.v))
			}
		}
	}
	return clipped, vt, inc
}

// TestClipRankMatchesReference: clipRank (the tidy kernel with plain or
// saturating rank additions, and the general row) gives refClipRank's
// clipped rows, trusts and ranks, on drawEmaCase's mostly tidy matrices
// (without columns at or beyond n, as readWeights builds them) with
// consensus and active stake mostly in [0, 1] and sometimes outside it
// (negative, above 1, large enough to saturate the ranks).
func TestClipRankMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 28))
	vec := func(n int) []fixed.I32F32 {
		x := make([]fixed.I32F32, n)
		odd := r.IntN(4) == 0
		for i := range x {
			switch k := r.IntN(8); {
			case k == 0:
			case k == 1:
				x[i] = one
			case odd && k == 2:
				x[i] = fixed.I32F32FromBits(-int64(r.IntN(1 << 33)))
			case odd && k == 3:
				x[i] = fixed.I32F32FromBits(int64(r.Uint64N(1 << 63)))
			default:
				x[i] = fixed.I32F32FromBits(int64(r.IntN(1<<32 + 1)))
			}
		}
		return x
	}
	for range 1000 {
		w, _, tidy, _, _ := drawEmaCase(r)
		n := len(w.rows)
		for i, row := range w.rows { // readWeights keeps no column at or beyond n
			w.rows[i] = slices.DeleteFunc(row, func(e entry) bool { return int(e.j) >= n })
		}
		if tidy == nil {
			tidy = make([]bool, n)
		}
		c, active := vec(n), vec(n)
		var dst matrix
		dstTidy, vt, inc := make([]bool, n), make([]fixed.I32F32, n), make([]fixed.I32F32, n)
		clipRank(&dst, &w, tidy, dstTidy, c, active, vt, inc)
		wantRows, wantVt, wantInc := refClipRank(sp(w.rows), c, active, n)
		if !slices.Equal(vt, wantVt) || !slices.Equal(inc, wantInc) {
			t.Fatalf("c %v active %v rows %v:\ntrust %v want %v\nranks %v want %v", c, active, w.rows, vt, wantVt, inc, wantInc)
		}
		for i := range n {
			if !slices.Equal(dst.rows[i], wantRows[i]) {
				t.Fatalf("row %d: %v, want %v", i, dst.rows[i], wantRows[i])
			}
		}
	}
}

// checkNormalizeAt compares normalizeAt over the non-zero elements of x
// (and every third zero one) with normalizeUsing, s being x's plain sum
// or any other.
func checkNormalizeAt(t *testing.T, x []fixed.I32F32, s fixed.I32F32) {
	t.Helper()
	var at []int
	for i, v := range x {
		if !v.IsZero() || i%3 == 0 {
			at = append(at, i)
		}
	}
	got, want := slices.Clone(x), slices.Clone(x)
	normalizeAt(got, at, s)
	normalizeUsing(want, s)
	if !slices.Equal(got, want) {
		t.Fatalf("%v / %v at %v: %v, want %v", x, s, at, got, want)
	}
	at32 := make([]int32, len(at)) // the list as ws.live holds it
	for k, i := range at {
		at32[k] = int32(i)
	}
	got = slices.Clone(x)
	normalizeAt(got, at32, s)
	if !slices.Equal(got, want) {
		t.Fatalf("%v / %v at %v (int32): %v, want %v", x, s, at, got, want)
	}
	// u16At over the same list gives u16Proportions' proportions (of x,
	// 0 off the list), into a destination holding stale values.
	u16, u16Want := make([]uint16, len(x)+1), make([]uint16, len(x))
	for i := range u16 {
		u16[i] = 0xbeef
	}
	u16At(u16, x, at)
	u16ProportionsPrev(u16Want, x)
	if !slices.Equal(u16[:len(x)], u16Want) {
		t.Fatalf("u16At %v at %v: %v, want %v", x, at, u16[:len(x)], u16Want)
	}
	u16At(u16, x, at32)
	if !slices.Equal(u16[:len(x)], u16Want) {
		t.Fatalf("u16At %v at %v (int32): %v, want %v", x, at, u16[:len(x)], u16Want)
	}
}

// TestNormalizeAtMatchesNormalizeUsing: normalizeAt gives normalizeUsing's
// elements, and u16At u16ProportionsPrev's proportions, on drawNormalizeCase's vectors and sums (zeros, values in
// [0, 1) around the overflow bound, 1 and above, negatives, sums of
// either sign, tiny or large, 0) and on 1 against sums at its edges.
func TestNormalizeAtMatchesNormalizeUsing(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 9))
	for range 20000 {
		x, s := drawNormalizeCase(r)
		checkNormalizeAt(t, x, s)
	}
	one, half := fixed.I32F32FromBits(1<<32), fixed.I32F32FromBits(1<<31)
	for _, s := range []fixed.I32F32{one, half, fixed.I32F32FromBits(1), fixed.I32F32FromBits(-1), zero} {
		checkNormalizeAt(t, []fixed.I32F32{zero, one, half, zero, fixed.I32F32FromBits(1<<32 - 1)}, s)
	}
}

// FuzzNormalizeAt compares normalizeAt with normalizeUsing, and u16At
// with u16ProportionsPrev, on vectors drawn from the fuzz bytes.
func FuzzNormalizeAt(f *testing.F) {
	seedCorpus(f, 43)
	f.Fuzz(func(t *testing.T, b []byte) {
		x, s := drawNormalizeCase(&byteSource{b})
		checkNormalizeAt(t, x, s)
	})
}
