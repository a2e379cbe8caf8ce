package sim

import (
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

// equalState reports whether two PCGs hold the same state.
func equalState(t *testing.T, a, b *rand.PCG) bool {
	t.Helper()
	x, err := a.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	y, err := b.MarshalBinary()
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
		ref, fast := rand.NewPCG(uint64(k), 77), rand.NewPCG(uint64(k), 77)
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
	src, steps := rand.NewPCG(5, 6), rand.NewPCG(5, 6)
	d := draws{src}
	for range 100 {
		d.uint64n(1<<63 + 1)
		steps.Uint64()
	}
	if equalState(t, src, steps) {
		t.Fatal("no draw at 2^63+1 was rejected: the rejection loop went untested")
	}
}

// A mixed sequence as the agents draw (IntN of slice lengths, between of
// small ranges, empty ranges without a draw) is the same through draws as
// through rand.Rand and between.
func TestDrawsMixedMatchesRand(t *testing.T) {
	ref, fast := rand.NewPCG(9, behaviourStream), rand.NewPCG(9, behaviourStream)
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
		ref, fast := rand.NewPCG(s1, s2), rand.NewPCG(s1, s2)
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
// 65535), reusing its buffer.
func TestPerturbMatchesReference(t *testing.T) {
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
		ref, fast := rand.NewPCG(uint64(row), 5), rand.NewPCG(uint64(row), 5)
		want := refPerturb(values, rand.New(ref))
		buf = perturb(buf, values, draws{fast})
		if !slices.Equal(buf, want) {
			t.Fatalf("row %d %v: %v, reference %v", row, values, buf, want)
		}
		if !equalState(t, ref, fast) {
			t.Fatalf("row %d: the sources differ", row)
		}
	}
}

// The perturbation's plain w·f/1000 is mulDiv's for every weight w and
// every factor f the agents draw.
func TestPerturbationIsMulDiv(t *testing.T) {
	for w := range uint64(1 << 16) {
		for f := uint64(950); f <= 1050; f++ {
			if got, want := w*f/1000, mulDiv(w, f, 1000); got != want {
				t.Fatalf("w=%d f=%d: %d, mulDiv %d", w, f, got, want)
			}
		}
	}
}

// Draws allocate nothing.
func TestDrawsAllocs(t *testing.T) {
	d := draws{rand.NewPCG(1, 2)}
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
		values[i] = uint16(2000 * i)
	}
	b.Run("fast", func(b *testing.B) {
		d, buf := draws{rand.NewPCG(1, 2)}, make([]uint16, 0, 32)
		for b.Loop() {
			buf = perturb(buf, values, d)
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
