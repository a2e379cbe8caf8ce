package sim

import (
	"math/big"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// drawsNs are the bounds the draws are compared at: powers of two, small
// and round bounds, the agents' own (IntN(2), the perturbation's 101),
// bounds about 2^32 (where rand's 32-bit path begins and ends) and 64-bit
// bounds up to 2^64−1, among them 2^63+1, at which rand rejects nearly
// half of the raw draws.
var drawsNs = []uint64{
	1, 2, 3, 4, 5, 6, 7, 10, 16, 91, 100, 101, 451, 1000, 1024, 4096, 65535, 65536, 200_000,
	1<<31 - 1, 1 << 31, 1<<31 + 1, 1<<32 - 1, 1 << 32, 1<<32 + 1, 3 << 32, 1<<33 + 12345,
	1<<62 - 1, 1 << 62, 1<<62 + 1, 3 << 62, 1<<63 - 1, 1 << 63, 1<<63 + 1, 1<<64 - 2, 1<<64 - 1,
}

// equalState reports whether rand's PCG a and the sim's pcg b hold the
// same state: b's (hi, lo), as rand.NewPCG(hi, lo) holds it, marshals to
// a's bytes.
func equalState(t *testing.T, a *rand.PCG, b *pcg) bool {
	t.Helper()
	x, err := a.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	y, err := rand.NewPCG(b.hi, b.lo).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return string(x) == string(y)
}

// draws.uint64n draws what rand.Rand.Uint64N draws from the same source,
// and leaves the source in the same state, at every bound of drawsNs and
// at random bounds of 8, 16, 32 and 64 bits.
func TestDrawsUint64NMatchesRand(t *testing.T) {
	ns := append([]uint64(nil), drawsNs...)
	pick := rand.New(rand.NewPCG(3, 4))
	for _, w := range []uint{8, 16, 32, 64} {
		for range 8 {
			ns = append(ns, max(pick.Uint64()>>(64-w), 1))
		}
	}
	const count = 4000
	for k, n := range ns {
		ref, fast := rand.NewPCG(uint64(k), 77), newPCG(uint64(k), 77)
		r, d := rand.New(ref), draws{fast}
		for i := range count {
			if want, got := r.Uint64N(n), d.uint64n(n); got != want {
				t.Fatalf("n=%d draw %d: %d, rand draws %d", n, i, got, want)
			}
		}
		if !equalState(t, ref, fast) {
			t.Fatalf("n=%d: the sources differ after %d draws", n, count)
		}
	}
	// At 2^63+1 rand rejects raw draws: the source moved further than one
	// step per draw, so the rejection loop was compared too.
	src, steps := newPCG(5, 6), rand.NewPCG(5, 6)
	d := draws{src}
	for range 100 {
		d.uint64n(1<<63 + 1)
		steps.Uint64()
	}
	if equalState(t, steps, src) {
		t.Fatal("no draw at 2^63+1 was rejected: the rejection loop went untested")
	}
}

// A mixed sequence as the agents draw (IntN of slice lengths, between of
// small ranges, empty ranges without a draw) is the same through draws as
// through rand.Rand and between.
func TestDrawsMixedMatchesRand(t *testing.T) {
	ref, fast := rand.NewPCG(9, behaviourStream), newPCG(9, behaviourStream)
	r, d := rand.New(ref), draws{fast}
	ctl := rand.New(rand.NewPCG(1, 2))
	for i := range 200_000 {
		switch ctl.IntN(4) {
		case 0:
			n := 1 + ctl.IntN(300_000)
			if want, got := r.IntN(n), d.intN(n); got != want {
				t.Fatalf("step %d IntN(%d): %d, rand draws %d", i, n, got, want)
			}
		case 1:
			lo := ctl.Uint64N(2000)
			hi := lo + ctl.Uint64N(2000)
			if want, got := between(r, lo, hi), d.between(lo, hi); got != want {
				t.Fatalf("step %d between(%d, %d): %d, rand draws %d", i, lo, hi, got, want)
			}
		case 2:
			lo, hi := ctl.Uint64(), ctl.Uint64()
			if want, got := between(r, lo, hi), d.between(lo, hi); got != want {
				t.Fatalf("step %d between(%d, %d): %d, rand draws %d", i, lo, hi, got, want)
			}
		default:
			if want, got := between(r, 950, 1050), d.between(950, 1050); got != want {
				t.Fatalf("step %d between(950, 1050): %d, rand draws %d", i, got, want)
			}
		}
	}
	if !equalState(t, ref, fast) {
		t.Fatal("the sources differ after the sequence")
	}
}

// FuzzDrawsUint64N compares draws.uint64n with rand.Rand.Uint64N on any
// seed and bound.
func FuzzDrawsUint64N(f *testing.F) {
	for k, n := range drawsNs {
		f.Add(uint64(k), uint64(k)*7, n)
	}
	f.Fuzz(func(t *testing.T, s1, s2, n uint64) {
		if n == 0 {
			n = 1
		}
		ref, fast := rand.NewPCG(s1, s2), newPCG(s1, s2)
		r, d := rand.New(ref), draws{fast}
		for i := range 64 {
			if want, got := r.Uint64N(n), d.uint64n(n); got != want {
				t.Fatalf("n=%d draw %d: %d, rand draws %d", n, i, got, want)
			}
		}
		if !equalState(t, ref, fast) {
			t.Fatalf("n=%d: the sources differ", n)
		}
	})
}

// refPerturb is perturb as rand.Rand, between and mulDiv write it.
func refPerturb(values []uint16, r *rand.Rand) []uint16 {
	out := make([]uint16, len(values))
	for i, w := range values {
		p := mulDiv(uint64(w), between(r, 950, 1050), 1000)
		out[i] = uint16(min(max(p, 1), 65535))
	}
	return out
}

// perturb draws and computes what refPerturb does, leaving the source in
// the same state, over many rows of random and extreme values (0, 1,
// 65535), reusing its buffer; and so does perturbSized, told whether the
// row holds a 0 or a 1 as its validatorRow would be (checkPerturbSized),
// on constructed rows about that bound, on those rows and on them with
// every value below 2 raised by 2.
func TestPerturbMatchesReference(t *testing.T) {
	// Rows with a 1 and no 0, a lone 0 or 1, and the least values that
	// are not small.
	for k, values := range [][]uint16{{1, 5000, 65535}, {65535, 1}, {0}, {1}, {2}, {2, 3, 62415, 62416, 65535}, {}} {
		for seed := range uint64(40) {
			checkPerturbSized(t, values, seed, uint64(k))
		}
	}
	ctl := rand.New(rand.NewPCG(31, 32))
	var buf []uint16
	for row := range 3000 {
		values := make([]uint16, ctl.IntN(80))
		for i := range values {
			switch ctl.IntN(5) {
			case 0:
				values[i] = 0
			case 1:
				values[i] = 65535
			case 2:
				values[i] = uint16(ctl.IntN(3))
			default:
				values[i] = uint16(ctl.Uint32())
			}
		}
		ref, fast := rand.NewPCG(uint64(row), 5), newPCG(uint64(row), 5)
		want := refPerturb(values, rand.New(ref))
		buf = perturb(buf, values, draws{fast})
		if !slices.Equal(buf, want) {
			t.Fatalf("row %d %v: %v, reference %v", row, values, buf, want)
		}
		if !equalState(t, ref, fast) {
			t.Fatalf("row %d: the sources differ", row)
		}
		checkPerturbSized(t, values, uint64(row), 7)
		// The same row without values below 2 (0 and 1 become 2 and
		// 3), which a validatorRow marks as not small: perturbSized
		// skips the lift, and draws and computes the same.
		for i, w := range values {
			if w <= 1 {
				values[i] = w + 2
			}
		}
		checkPerturbSized(t, values, uint64(row), 6)
	}
}

// checkPerturbSized fails t unless perturbSized, told small as a
// validatorRow of values would be (and told true, always right), draws
// and computes what refPerturb does from the seeds s1, s2, and leaves
// the source in the same state.
func checkPerturbSized(t *testing.T, values []uint16, s1, s2 uint64) {
	t.Helper()
	small := slices.ContainsFunc(values, func(w uint16) bool { return w <= 1 })
	if rows := validatorRows([]Validator{{UIDs: values, Values: values}}); rows[0].small != small {
		t.Fatalf("%v: validatorRow small %v", values, rows[0].small)
	}
	for _, sm := range []bool{small, true} {
		ref, fast := rand.NewPCG(s1, s2), newPCG(s1, s2)
		want := refPerturb(values, rand.New(ref))
		if got := perturbSized(nil, values, draws{fast}, sm); !slices.Equal(got, want) {
			t.Fatalf("%v small %v: %v, reference %v", values, sm, got, want)
		}
		if !equalState(t, ref, fast) {
			t.Fatalf("%v small %v: the sources differ", values, sm)
		}
	}
}

// Draws allocate nothing.
func TestDrawsAllocs(t *testing.T) {
	d := draws{newPCG(1, 2)}
	values, buf := make([]uint16, 32), make([]uint16, 0, 32)
	if a := testing.AllocsPerRun(100, func() { d.between(950, 1050); d.intN(7); buf = perturb(buf, values, d) }); a != 0 {
		t.Fatalf("draws allocate %v times", a)
	}
}

// BenchmarkPerturb is one validator's perturbed row of 32 values: fast
// is perturb on draws, reference the rand.Rand, between and mulDiv loop
// it replaced.
func BenchmarkPerturb(b *testing.B) {
	values := make([]uint16, 32)
	for i := range values {
		values[i] = uint16(2000*i + 7)
	}
	b.Run("fast", func(b *testing.B) {
		d, buf := draws{newPCG(1, 2)}, make([]uint16, 0, 32)
		for b.Loop() {
			buf = perturbSized(buf, values, d, false) // a validatorRow's, no value below 2
		}
	})
	b.Run("reference", func(b *testing.B) {
		r, buf := rand.New(rand.NewPCG(1, 2)), make([]uint16, 32)
		for b.Loop() {
			for i, w := range values {
				p := mulDiv(uint64(w), between(r, 950, 1050), 1000)
				buf[i] = uint16(min(max(p, 1), 65535))
			}
		}
	})
}

// validatorRows holds each validator's hotkey, netuid, values and uids,
// whatever the lengths (uids and values of different lengths too, which
// the ledger refuses as it would from the Validator), in 64-byte
// records, sharing nothing with the validators.
func TestValidatorRows(t *testing.T) {
	vs := []Validator{
		{Hotkey: [32]byte{1}, NetUID: 3, UIDs: []uint16{4, 5, 6}, Values: []uint16{7, 8, 9}},
		{Hotkey: [32]byte{2}, NetUID: 4},
		{Hotkey: [32]byte{3}, NetUID: 5, UIDs: []uint16{1}, Values: []uint16{2, 3}},
		{Hotkey: [32]byte{4}, NetUID: 6, UIDs: []uint16{1, 2}, Values: []uint16{3}},
	}
	rows := validatorRows(vs)
	if len(rows) != len(vs) {
		t.Fatalf("%d rows for %d validators", len(rows), len(vs))
	}
	for i, v := range vs {
		r := rows[i]
		if r.hotkey != v.Hotkey || r.netuid != v.NetUID ||
			!slices.Equal(r.data[:r.values], v.Values) || !slices.Equal(r.data[r.values:], v.UIDs) {
			t.Fatalf("validator %d: row %+v", i, r)
		}
	}
	rows[0].data[0] = 99
	if vs[0].Values[0] != 7 {
		t.Fatal("a row shares its values with the validator")
	}
	if size := unsafe.Sizeof(validatorRow{}); size != 64 {
		t.Fatalf("a validatorRow is %d bytes, not one cache line", size)
	}
}

// pcg draws what rand.PCG draws from the same seeds, and holds the same
// state after each draw.
func TestPCGMatchesRand(t *testing.T) {
	seeds := [][2]uint64{{0, 0}, {1, 2}, {1<<64 - 1, 1<<64 - 1}, {9, behaviourStream}, {1 << 63, 1}}
	ctl := rand.New(rand.NewPCG(41, 42))
	for range 16 {
		seeds = append(seeds, [2]uint64{ctl.Uint64(), ctl.Uint64()})
	}
	for _, s := range seeds {
		ref, p := rand.NewPCG(s[0], s[1]), newPCG(s[0], s[1])
		for i := range 10_000 {
			if want, got := ref.Uint64(), p.Uint64(); got != want {
				t.Fatalf("seeds %v draw %d: %d, rand draws %d", s, i, got, want)
			}
		}
		if !equalState(t, ref, p) {
			t.Fatalf("seeds %v: the states differ", s)
		}
	}
}

// FuzzPCG compares pcg with rand.PCG on any seeds.
func FuzzPCG(f *testing.F) {
	f.Add(uint64(0), uint64(0))
	f.Add(uint64(1<<64-1), uint64(behaviourStream))
	f.Fuzz(func(t *testing.T, s1, s2 uint64) {
		ref, p := rand.NewPCG(s1, s2), newPCG(s1, s2)
		for i := range 64 {
			if want, got := ref.Uint64(), p.Uint64(); got != want {
				t.Fatalf("draw %d: %d, rand draws %d", i, got, want)
			}
		}
		if !equalState(t, ref, p) {
			t.Fatal("the states differ")
		}
	})
}

// stateBefore returns the pcg state whose next draw is x: the state
// (hi, 1) after the step has DXSM output x when hi is found by undoing
// DXSM (lo|1 = 1 multiplies by 1; the xorshifts by 48 and 32 undo
// themselves once; cheapMul is odd, so invertible mod 2^64), and one
// step back (stepBack) is the state before it.
func stateBefore(x uint64) (uint64, uint64) {
	inv := new(big.Int).ModInverse(new(big.Int).SetUint64(pcgCheapMul), new(big.Int).Lsh(big.NewInt(1), 64)).Uint64()
	h := x ^ x>>48
	h *= inv
	return stepBack(h^h>>32, 1)
}

// perturb's rare branch, a draw whose product with 101 has a low word
// below 101 (rand's unbias), draws what refPerturb draws: states built
// (stateBefore) to draw x with low word k of x·101 at each of the eight
// draws of perturbRun's first round, a middle, the last but one and the
// last value of rows whose lengths leave no, one and two values to its
// one-draw tail (32, 33, 2, 1), for k = 0 (below 2^64 mod 101, rejected
// and drawn again), k = 2^64 mod 101 (kept) and k = 100 (kept).
func TestPerturbUnbiasMatchesReference(t *testing.T) {
	inv101 := new(big.Int).ModInverse(big.NewInt(101), new(big.Int).Lsh(big.NewInt(1), 64)).Uint64()
	n := uint64(101)
	thresh := -n % n
	rejected := false
	for _, length := range []int{32, 33, 1, 2} {
		values := make([]uint16, length)
		for i := range values {
			values[i] = uint16(2000*i + 7)
		}
		for _, k := range []uint64{0, thresh, 100} {
			x := k * inv101 // x·101 ≡ k (mod 2^64)
			if _, lo := bits.Mul64(x, 101); lo != k {
				t.Fatalf("k=%d: x·101 has low word %d", k, lo)
			}
			for _, at := range []int{0, 1, 2, 3, 4, 5, 6, 7, 13, length - 2, length - 1} {
				if at < 0 || at >= length {
					continue
				}
				// The built state stepped back at times: draw at is x.
				hi, lo := stateBefore(x)
				for range at {
					hi, lo = stepBack(hi, lo)
				}
				ref, fast := rand.NewPCG(hi, lo), newPCG(hi, lo)
				check := rand.NewPCG(hi, lo)
				for range at {
					check.Uint64()
				}
				if got := check.Uint64(); got != x {
					t.Fatalf("k=%d at %d: the built state draws %d, not %d", k, at, got, x)
				}
				want := refPerturb(values, rand.New(ref))
				got := perturb(nil, values, draws{fast})
				if !slices.Equal(got, want) {
					t.Fatalf("length %d k=%d at %d: %v, reference %v", length, k, at, got, want)
				}
				if !equalState(t, ref, fast) {
					t.Fatalf("length %d k=%d at %d: the states differ", length, k, at)
				}
				checkPerturbSized(t, values, hi, lo)
				rejected = rejected || k < thresh
			}
		}
	}
	if !rejected {
		t.Fatal("no draw was rejected: the unbias loop went untested")
	}
}

// lcgStep with the two-step constants (pcgMul2, pcgInc2) is pcgStep
// twice, on extreme and random states.
func TestPCGStep2(t *testing.T) {
	states := [][2]uint64{{0, 0}, {1<<64 - 1, 1<<64 - 1}, {0, 1<<64 - 1}, {1<<64 - 1, 0}, {9, behaviourStream}}
	ctl := rand.New(rand.NewPCG(51, 52))
	for range 10_000 {
		states = append(states, [2]uint64{ctl.Uint64(), ctl.Uint64()})
	}
	for _, s := range states {
		h, l := pcgStep(pcgStep(s[0], s[1]))
		if gh, gl := lcgStep(s[0], s[1], pcgMul2Hi, pcgMul2Lo, pcgInc2Hi, pcgInc2Lo); gh != h || gl != l {
			t.Fatalf("state %v: two steps at once %d:%d, two steps %d:%d", s, gh, gl, h, l)
		}
	}
}

// stepBack undoes one LCG step of the pcg state (hi, lo): the state s
// with s·mul + inc ≡ (hi, lo) mod 2^128.
func stepBack(hi, lo uint64) (uint64, uint64) {
	two128 := new(big.Int).Lsh(big.NewInt(1), 128)
	word := func(hi, lo uint64) *big.Int {
		return new(big.Int).Or(new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64), new(big.Int).SetUint64(lo))
	}
	prev := new(big.Int).Sub(word(hi, lo), word(pcgIncHi, pcgIncLo))
	prev.Mul(prev, new(big.Int).ModInverse(word(pcgMulHi, pcgMulLo), two128))
	prev.Mod(prev, two128)
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(1))
	return new(big.Int).Rsh(prev, 64).Uint64(), new(big.Int).And(prev, mask).Uint64()
}

// A staker record is one cache line.
func TestStakerRecord(t *testing.T) {
	if size := unsafe.Sizeof(staker{}); size != 64 {
		t.Fatalf("a staker is %d bytes, not one cache line", size)
	}
}

// perturbOne's multiplication by perturbMagic and shift is floor(w·f/1000),
// and so mulDiv's, then clamped to 65535, for every weight w and every
// factor f the agents draw; it is 0 only for w of 0 or 1 (which a row
// marks small), and lifted to 1 there it is mulDiv's clamped to [1,
// 65535], perturb's value.
func TestPerturbOneDivides(t *testing.T) {
	for w := range uint64(1 << 16) {
		for f := uint64(950); f <= 1050; f++ {
			want := uint16(min(mulDiv(w, f, 1000), 65535))
			got := perturbOne(uint16(w), f-950)
			if got != want {
				t.Fatalf("w=%d f=%d: %d, mulDiv clamped %d", w, f, got, want)
			}
			if got == 0 && w > 1 {
				t.Fatalf("w=%d f=%d: 0", w, f)
			}
			if lifted := max(got, 1); lifted != uint16(min(max(mulDiv(w, f, 1000), 1), 65535)) {
				t.Fatalf("w=%d f=%d: lifted %d", w, f, lifted)
			}
		}
	}
}

// FuzzPerturb compares perturb with refPerturb on any seeds and values
// (two bytes a value), and the sources' states after them.
func FuzzPerturb(f *testing.F) {
	f.Add(uint64(1), uint64(2), []byte{0, 0, 1, 0, 0xff, 0xff, 0x10, 0x27})
	f.Add(uint64(1<<64-1), uint64(behaviourStream), []byte{})
	f.Fuzz(func(t *testing.T, s1, s2 uint64, raw []byte) {
		values := make([]uint16, min(len(raw)/2, 256))
		for i := range values {
			values[i] = uint16(raw[2*i]) | uint16(raw[2*i+1])<<8
		}
		ref, fast := rand.NewPCG(s1, s2), newPCG(s1, s2)
		want := refPerturb(values, rand.New(ref))
		if got := perturb(nil, values, draws{fast}); !slices.Equal(got, want) {
			t.Fatalf("%v: %v, reference %v", values, got, want)
		}
		if !equalState(t, ref, fast) {
			t.Fatal("the sources differ")
		}
		checkPerturbSized(t, values, s1, s2)
	})
}
