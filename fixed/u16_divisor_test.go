package fixed

import (
	"math"
	"math/rand/v2"
	"testing"
)

// quoU16Ref is U16Divisor.Quo's reference: the plain division
// SafeDivUint64(u·2^32, d).
func quoU16Ref(u uint16, d uint64) uint64 { return SafeDivUint64(uint64(u)<<32, d) }

func checkU16Divisor(t *testing.T, d uint64, u uint16) {
	t.Helper()
	if got, want := NewU16Divisor(d).Quo(u), quoU16Ref(u, d); got != want {
		t.Fatalf("NewU16Divisor(%d).Quo(%d) = %d, want %d", d, u, got, want)
	}
}

// TestU16DivisorEdges checks the divisors at the ends of each shift's range
// (powers of two and their neighbours, 2^48 and beyond, 0) with the u16
// values at the ends, and with every u16 for a few divisors.
func TestU16DivisorEdges(t *testing.T) {
	var ds []uint64
	for s := range 64 {
		p := uint64(1) << s
		ds = append(ds, p-1, p, p+1, p+p/2)
	}
	ds = append(ds, 0, 3, 7, 65535, 65536*255, 1<<31-1, 1<<48-1, 1<<48, math.MaxUint64, 16_776_960)
	us := []uint16{0, 1, 2, 3, 255, 32767, 32768, 65534, 65535}
	for _, d := range ds {
		for _, u := range us {
			checkU16Divisor(t, d, u)
		}
	}
	every := []uint64{1, 2, 3, 65535, 65536, 65537, 1<<31 - 1, 1<<33 + 1, 1<<48 - 1}
	if testing.Short() {
		every = every[:4]
	}
	for _, d := range every {
		v := NewU16Divisor(d)
		for u := range 1 << 16 {
			if got, want := v.Quo(uint16(u)), quoU16Ref(uint16(u), d); got != want {
				t.Fatalf("NewU16Divisor(%d).Quo(%d) = %d, want %d", d, u, got, want)
			}
		}
	}
	if got := (U16Divisor{}).Quo(12345); got != 0 {
		t.Fatalf("zero U16Divisor divides to %d", got)
	}
}

// TestU16DivisorRandom compares Quo with the division on random divisors of
// every bit length (row totals below 2^31 weighted most) and random u16
// values, with a fixed seed.
func TestU16DivisorRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 32))
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	for range n {
		var d uint64
		switch rng.IntN(3) {
		case 0:
			d = rng.Uint64N(1<<31) + 1
		case 1:
			d = rng.Uint64() >> rng.IntN(64)
		default:
			d = rng.Uint64N(256*65535 + 1)
		}
		checkU16Divisor(t, d, uint16(rng.Uint32()))
		// A cell of a row is at most the row's total.
		if d > 0 {
			checkU16Divisor(t, d, uint16(min(d, 65535)-rng.Uint64N(min(d, 65535))))
		}
	}
}

func TestU16DivisorAllocs(t *testing.T) {
	v := NewU16Divisor(1_000_003)
	if n := testing.AllocsPerRun(100, func() { sinkU64 = NewU16Divisor(sinkU64|1).Quo(65535) + v.Quo(uint16(sinkU64)) }); n != 0 {
		t.Fatalf("U16Divisor allocates %v times", n)
	}
}

// FuzzU16Divisor compares U16Divisor.Quo with the division
// SafeDivUint64(u·2^32, d).
func FuzzU16Divisor(f *testing.F) {
	for _, s := range [][2]uint64{{0, 0}, {1, 65535}, {3, 1}, {1 << 31, 65535}, {1<<48 - 1, 65535}, {1 << 48, 65535}, {math.MaxUint64, 1}, {16_776_960, 65535}} {
		f.Add(s[0], uint16(s[1]))
	}
	f.Fuzz(func(t *testing.T, d uint64, u uint16) {
		checkU16Divisor(t, d, u)
		checkU16Divisor(t, d>>(d&63), u)
	})
}

func BenchmarkU16Divisor(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	var us [256]uint16
	var total uint64
	for i := range us {
		us[i] = uint16(rng.Uint32())
		total += uint64(us[i])
	}
	b.Run("Quo", func(b *testing.B) {
		v := NewU16Divisor(total)
		for b.Loop() {
			var s uint64
			for _, u := range us {
				s += v.Quo(u)
			}
			sinkU64 = s
		}
	})
	b.Run("Uint64Divisor.Div", func(b *testing.B) {
		v := NewUint64Divisor(total)
		for b.Loop() {
			var s uint64
			for _, u := range us {
				s += v.Div(uint64(u) << 32)
			}
			sinkU64 = s
		}
	})
}

func checkDivShl32(t *testing.T, d, b uint64) {
	t.Helper()
	if got, want := NewUint64Divisor(d).DivShl32(b), SafeDivUint64(b<<32, d); got != want {
		t.Fatalf("NewUint64Divisor(%d).DivShl32(%d) = %d, want %d", d, b, got, want)
	}
}

// TestDivShl32Edges compares Uint64Divisor.DivShl32 with the division at
// the ends of its range: b = d, b = 2^32−1, b = 0, b one below d, with
// divisors at powers of two and their neighbours, 1 and 0 (with b = 0).
func TestDivShl32Edges(t *testing.T) {
	checkDivShl32(t, 0, 0)
	for s := range 64 {
		p := uint64(1) << s
		for _, d := range []uint64{p - 1, p, p + 1, p + p/2, math.MaxUint64 >> (63 - s)} {
			if d == 0 {
				continue
			}
			for _, b := range []uint64{0, 1, d / 2, d - 1, d, 1<<32 - 1, 1 << 31, 1<<31 - 1} {
				if b <= d && b < 1<<32 {
					checkDivShl32(t, d, b)
				}
			}
		}
	}
	for d := uint64(1); d <= 300; d++ {
		for b := uint64(0); b <= d; b++ {
			checkDivShl32(t, d, b)
		}
	}
}

// TestDivShl32Random compares DivShl32 with the division on random
// divisors of every bit length and random b ≤ min(d, 2^32−1), with a
// fixed seed.
func TestDivShl32Random(t *testing.T) {
	rng := rand.New(rand.NewPCG(32, 64))
	n := 300_000
	if testing.Short() {
		n = 30_000
	}
	for range n {
		d := rng.Uint64()>>rng.IntN(64) | 1
		if rng.IntN(2) == 0 {
			d = rng.Uint64N(1<<44) + 1 // a column sum of up to 4096 bonds of 1
		}
		top := min(d, 1<<32-1)
		b := rng.Uint64N(top + 1)
		if rng.IntN(4) == 0 {
			b = top - rng.Uint64N(min(top, 3)+1)
		}
		checkDivShl32(t, d, b)
	}
}

func TestDivShl32Allocs(t *testing.T) {
	v := NewUint64Divisor(3 << 32)
	if n := testing.AllocsPerRun(100, func() { sinkU64 = v.DivShl32(sinkU64 & (1<<32 - 1)) }); n != 0 {
		t.Fatalf("DivShl32 allocates %v times", n)
	}
}

// FuzzDivShl32 compares Uint64Divisor.DivShl32 with the division
// SafeDivUint64(b·2^32, d), b brought into its range b ≤ min(d, 2^32−1).
func FuzzDivShl32(f *testing.F) {
	for _, s := range [][2]uint64{{0, 0}, {1, 1}, {1 << 32, 1<<32 - 1}, {1<<31 + 1, 1 << 31}, {math.MaxUint64, 1<<32 - 1}, {3, 2}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, d, b uint64) {
		if d == 0 {
			checkDivShl32(t, 0, 0)
			return
		}
		top := min(d, 1<<32-1)
		checkDivShl32(t, d, b%(top+1))
		checkDivShl32(t, d, top)
	})
}
