package sim

import (
	"math/big"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// The LCG two steps at a time: state·mul2 + inc2 mod 2^128 is two steps
// of state·mul + inc, for mul2 = mul² and inc2 = inc·(mul+1) mod 2^128
// (untyped constants, which the compiler computes exactly; TestPCGStep2
// checks lcgStep with them against two steps), as
// refPerturbRunTwoChains steps its chains.
const (
	pcgMul    = pcgMulHi<<64 | pcgMulLo
	pcgInc    = pcgIncHi<<64 | pcgIncLo
	pcgMul2   = pcgMul * pcgMul % (1 << 128)
	pcgInc2   = pcgInc * (pcgMul + 1) % (1 << 128)
	pcgMul2Hi = pcgMul2 >> 64
	pcgMul2Lo = pcgMul2 & (1<<64 - 1)
	pcgInc2Hi = pcgInc2 >> 64
	pcgInc2Lo = pcgInc2 & (1<<64 - 1)
)

// refPerturbRunTwoChains is perturbRun as it was before it took one
// chain a draw (the reference of TestPerturbRunMatchesTwoChains): it
// perturbs values into dst (of the same length) with the
// draws of the source state (ah, al), until a draw needs unbias (the low
// word of its product with 101 below 101). It returns how many values it
// perturbed, k, then the state after them, when k is len(dst);
// otherwise k, the state after draw k and that draw's product with 101
// (high word, then low word, below 101), dst[k] left to the caller.
//
// The draws come from two interleaved LCG chains, each advanced two
// steps at a time (lcgStep with pcgMul2 and pcgInc2, called directly,
// see there): a holds the state before draw i, b the state after it (the
// draw's), and draw i+1's state is a's two steps on, draw i+2's b's, so
// that a step waits for the step two draws back, not for the step of the
// draw before: the same states, in the same order, as one step a draw.
// The loop takes four draws a round, each draw's value stored before the
// next state is stepped, which leaves the compiler fewer values to hold
// at once (fewer instructions a value than two draws a round with both
// steps first); its bound len(values)−3 lets the compiler drop the
// bounds checks. The last values, fewer than four, take one draw a
// round, stepping b once (pcgStep).
func refPerturbRunTwoChains(dst, values []uint16, ah, al uint64) (int, uint64, uint64, uint64, uint64) {
	const n = 1050 - 950 + 1 // n = 101 is not a power of two
	values = values[:len(dst)]
	bh, bl := pcgStep(ah, al)
	i := 0
	for ; i < len(values)-3; i += 4 {
		x, xl := bits.Mul64(pcgOutput(bh, bl), n)
		if xl < n {
			return i, bh, bl, x, xl
		}
		dst[i] = perturbOne(values[i], x)
		ch, cl := lcgStep(ah, al, pcgMul2Hi, pcgMul2Lo, pcgInc2Hi, pcgInc2Lo) // draw i+1's state
		y, yl := bits.Mul64(pcgOutput(ch, cl), n)
		if yl < n {
			return i + 1, ch, cl, y, yl
		}
		dst[i+1] = perturbOne(values[i+1], y)
		dh, dl := lcgStep(bh, bl, pcgMul2Hi, pcgMul2Lo, pcgInc2Hi, pcgInc2Lo) // draw i+2's
		x, xl = bits.Mul64(pcgOutput(dh, dl), n)
		if xl < n {
			return i + 2, dh, dl, x, xl
		}
		dst[i+2] = perturbOne(values[i+2], x)
		ah, al = lcgStep(ch, cl, pcgMul2Hi, pcgMul2Lo, pcgInc2Hi, pcgInc2Lo) // draw i+3's, before draw i+4
		y, yl = bits.Mul64(pcgOutput(ah, al), n)
		if yl < n {
			return i + 3, ah, al, y, yl
		}
		dst[i+3] = perturbOne(values[i+3], y)
		bh, bl = lcgStep(dh, dl, pcgMul2Hi, pcgMul2Lo, pcgInc2Hi, pcgInc2Lo) // draw i+4's
	}
	for ; i < len(values); i++ {
		x, xl := bits.Mul64(pcgOutput(bh, bl), n)
		if xl < n {
			return i, bh, bl, x, xl
		}
		dst[i] = perturbOne(values[i], x)
		ah, al = bh, bl
		bh, bl = pcgStep(bh, bl)
	}
	return i, ah, al, 0, 0
}

// checkPerturbRun runs perturbRun and refPerturbRunTwoChains on the same
// values and source state, and fails unless they perturb the same
// values, stop at the same draw and return the same state and product.
func checkPerturbRun(tb testing.TB, values []uint16, h, l uint64) {
	tb.Helper()
	got, want := make([]uint16, len(values)), make([]uint16, len(values))
	k, gh, gl, x, xl := perturbRun(append(got[:0], values...), h, l)
	rk, rh, rl, rx, rxl := refPerturbRunTwoChains(want, values, h, l)
	if k != rk || gh != rh || gl != rl || x != rx || xl != rxl {
		tb.Fatalf("%d values from (%#x, %#x): (%d, %#x, %#x, %d, %d), reference (%d, %#x, %#x, %d, %d)",
			len(values), h, l, k, gh, gl, x, xl, rk, rh, rl, rx, rxl)
	}
	if !slices.Equal(got[:k], want[:k]) {
		tb.Fatalf("%d values from (%#x, %#x): %v, reference %v", len(values), h, l, got[:k], want[:k])
	}
}

// perturbRun matches the two-chain loop it replaced on random states and
// on constructed ones: rows of every length to 40 (no full round, one
// round and a tail of each length), values at the extremes (0, 1, the
// largest that needs no clamp, 62415, the smallest that may, 62416, and
// 65535), and a draw that needs unbias (low word 0, 2^64 mod 101 and 100)
// at every position of the row.
func TestPerturbRunMatchesTwoChains(t *testing.T) {
	ctl := rand.New(rand.NewPCG(61, 62))
	edge := []uint16{0, 1, 2, 62415, 62416, 65534, 65535}
	row := func(n int) []uint16 {
		v := make([]uint16, n)
		for i := range v {
			if ctl.IntN(3) == 0 {
				v[i] = edge[ctl.IntN(len(edge))]
			} else {
				v[i] = uint16(ctl.Uint64())
			}
		}
		return v
	}
	for n := range 41 {
		for range 200 {
			checkPerturbRun(t, row(n), ctl.Uint64(), ctl.Uint64())
		}
		checkPerturbRun(t, row(n), 0, 0)
		checkPerturbRun(t, row(n), 1<<64-1, 1<<64-1)
	}
	inv101 := new(big.Int).ModInverse(big.NewInt(101), new(big.Int).Lsh(big.NewInt(1), 64)).Uint64()
	n := uint64(101)
	stops := 0
	for _, length := range []int{1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33} {
		values := row(length)
		for _, k := range []uint64{0, -n % n, 100} {
			hi, lo := stateBefore(k * inv101) // draws x with x·101 ≡ k (mod 2^64)
			for at := range length {
				checkPerturbRun(t, values, hi, lo)
				if got, _, _, _, _ := perturbRun(slices.Clone(values), hi, lo); got == at {
					stops++
				}
				hi, lo = stepBack(hi, lo) // the draw one later
			}
		}
	}
	if stops < 3*(1+2+7+8+9+15+16+17+31+32+33) {
		t.Fatalf("only %d runs stopped at the built draw", stops)
	}
}

// FuzzPerturbRun compares perturbRun with refPerturbRunTwoChains on any
// state and values (two bytes a value).
func FuzzPerturbRun(f *testing.F) {
	f.Add(uint64(1), uint64(2), []byte{0, 0, 1, 0, 0xff, 0xff, 0x10, 0x27})
	f.Add(uint64(1<<64-1), uint64(behaviourStream), make([]byte, 2*17))
	f.Fuzz(func(t *testing.T, h, l uint64, raw []byte) {
		values := make([]uint16, min(len(raw)/2, 256))
		for i := range values {
			values[i] = uint16(raw[2*i]) | uint16(raw[2*i+1])<<8
		}
		checkPerturbRun(t, values, h, l)
	})
}
