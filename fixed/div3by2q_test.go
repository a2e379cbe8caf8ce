package fixed

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// checkDiv3by2q compares div3by2q with div3by2 (the reference: Knuth's
// step with the full three-word product) and math/big for
// n = n2·2^128 + n1·2^64 + n0 and d = d1·2^64 + d0 (d1 != 0,
// n2·2^64 + n1 < d).
func checkDiv3by2q(t *testing.T, n2, n1, n0, d1, d0 uint64) {
	t.Helper()
	got := div3by2q(n2, n1, n0, d1, d0)
	ref, _, _ := div3by2(n2, n1, n0, d1, d0)
	n := new(big.Int).Lsh(bigOfU128(U128{n2, n1}), 64)
	n.Or(n, new(big.Int).SetUint64(n0))
	n.Quo(n, bigOfU128(U128{d1, d0}))
	if got != ref || !n.IsUint64() || n.Uint64() != got {
		t.Fatalf("div3by2q(%x:%x:%x / %x:%x) = %x; div3by2 %x, math/big %v", n2, n1, n0, d1, d0, got, ref, n)
	}
}

// checkDiv3by2qFolded folds any five words into div3by2q's domain (d1 !=
// 0, the numerator's top two words taken modulo d) and checks them.
func checkDiv3by2qFolded(t *testing.T, n2, n1, n0, d1, d0 uint64) {
	t.Helper()
	if d1 == 0 {
		d1 = 1
	}
	d := U128{d1, d0}
	top := U128{n2, n1}
	if top.Cmp(d) >= 0 {
		_, top, _ = top.QuoRem(d)
	}
	checkDiv3by2q(t, top.hi, top.lo, n0, d1, d0)
}

// rshU128 is x >> n for n < 128.
func rshU128(x U128, n uint) U128 {
	if n >= 64 {
		return U128{0, x.hi >> (n - 64)}
	}
	return U128{x.hi >> n, x.lo>>n | x.hi<<(64-n)}
}

// The quotient-only step gives div3by2's and math/big's quotient on
// random operands, on numerators q·d + r just below the next multiple
// (where the estimate needs its two corrections), on numerators whose
// top word equals the normalised divisor's (the capped estimate, with and
// without the carry of r̂), and on edge words.
func TestDiv3by2qMatchesReference(t *testing.T) {
	edges := []uint64{0, 1, 2, 3, 1 << 31, 1 << 32, 1<<63 - 1, 1 << 63, 1<<63 + 1, math.MaxUint64 - 1, math.MaxUint64, PerquintillAccuracy}
	for _, n2 := range edges {
		for _, n1 := range edges {
			for _, n0 := range edges {
				for _, d1 := range edges {
					for _, d0 := range edges {
						checkDiv3by2qFolded(t, n2, n1, n0, d1, d0)
					}
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(14, 7))
	for range 200_000 {
		d := randU128(rng)
		if d.hi == 0 {
			d.hi = 1 + rng.Uint64N(1<<uint(rng.IntN(64)))
		}
		// Random numerators, folded into the domain.
		checkDiv3by2qFolded(t, randU128(rng).hi, randU128(rng).lo, rng.Uint64(), d.hi, d.lo)
		// q·d + r for r in {0, 1, d − 1} and a random q below 2^64.
		q := rng.Uint64() >> uint(rng.IntN(64))
		for _, r := range []U128{{}, {0, 1}, d.Sub(U128{0, 1})} {
			n := new(big.Int).Mul(bigOfU128(d), new(big.Int).SetUint64(q))
			n.Add(n, bigOfU128(r))
			var w [3]uint64
			for i := range w {
				w[i] = new(big.Int).Rsh(n, uint(64*i)).Uint64()
			}
			checkDiv3by2q(t, w[2], w[1], w[0], d.hi, d.lo)
		}
		// The top word of the shifted numerator equal to the shifted
		// divisor's: n = (d − 1 − k)·2^64 + n0 for a small k.
		top := d.Sub(U128{0, 1 + rng.Uint64N(1<<uint(rng.IntN(64)))})
		if top.Cmp(d) < 0 {
			checkDiv3by2q(t, top.hi, top.lo, rng.Uint64(), d.hi, d.lo)
		}
	}
}

// divShl's one-step path (|a| < |b|, |b| ≥ 2^64) against the reference
// kernel, with operands drawn so that the path is taken: ratios near 1,
// far below 1, and the root proportion's shape (w / (w + issuance)).
func TestDivShlBelowOneMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 8))
	check := func(a, b u128) {
		t.Helper()
		for _, k := range kernelShapes {
			got, o := divShl(a, b, k.frac, k.signed)
			want, wo := divShlRef(a, b, k.frac, k.signed)
			if got != want || o != wo {
				t.Fatalf("divShl(%v, %v, %d, %v) = %v, %v; reference %v, %v", a, b, k.frac, k.signed, got, o, want, wo)
			}
		}
	}
	for range 200_000 {
		b := u128(randU128(rng))
		if b.hi == 0 {
			b.hi = 1 + rng.Uint64N(1<<uint(rng.IntN(64)))
		}
		var a u128
		switch rng.IntN(4) {
		case 0:
			a = u128(U128(b).Sub(U128{0, 1 + rng.Uint64N(1<<uint(rng.IntN(64)))}))
		case 1:
			a = u128(rshU128(U128(b), uint(rng.IntN(128))))
		case 2:
			a = b
		default:
			// w = rootTAO·TaoWeight·2^32, b = w + issuance·2^32.
			w := rshU128(U128Mul64(rng.Uint64N(1<<53), rng.Uint64()), 32).Lsh(32)
			a, b = u128(w), u128(w.Add(U128FromUint64(rng.Uint64N(1<<60)).Lsh(32)))
		}
		if b.isZero() {
			continue
		}
		check(a, b)
		check(a.negate(), b)
		check(a, b.negate())
	}
}

// FuzzDiv3by2q compares div3by2q with div3by2 and math/big on any words
// folded into its domain.
func FuzzDiv3by2q(f *testing.F) {
	f.Add(uint64(0), uint64(0), uint64(0), uint64(1), uint64(0))
	f.Add(uint64(1<<63), uint64(0), ^uint64(0), uint64(1<<63), ^uint64(0))
	f.Add(uint64(0), ^uint64(0), ^uint64(0), uint64(1), uint64(0))
	f.Fuzz(func(t *testing.T, n2, n1, n0, d1, d0 uint64) {
		checkDiv3by2qFolded(t, n2, n1, n0, d1, d0)
	})
}

var sinkU96 U96F32
var sinkPerq Perquintill

// BenchmarkDivBelowOne times the divisions the coinbase makes with a
// two-word divisor and a one-word quotient: U96F32.CheckedDiv of a root
// proportion (6M TAO on root, TaoWeight 18%, 0.4M to 8M alpha issued)
// and the amm's weight update, PerquintillFromRationalU128 of two
// ~2^100 products.
func BenchmarkDivBelowOne(b *testing.B) {
	w := U96F32FromUint64(6_000_000_000_000_000).SaturatingMul(U96F32FromU64Proportion(math.MaxUint64 / 100 * 18))
	var ds [64]U96F32
	var ps, qs [64]U128
	for i := range ds {
		ds[i] = w.SaturatingAdd(U96F32FromUint64(400_000_000_000_000 + 120_000_000_000_000*uint64(i)))
		ps[i] = U128Mul64(3e15+uint64(i)*1e13, 4e15+uint64(i)*7e12)
		qs[i] = ps[i].Add(U128Mul64(5e15-uint64(i)*1e13, 2e15+uint64(i)*3e12))
	}
	b.Run("U96F32.CheckedDiv", func(b *testing.B) {
		for b.Loop() {
			for i := range ds {
				sinkU96, _ = w.CheckedDiv(ds[i])
			}
		}
	})
	b.Run("PerquintillFromRationalU128", func(b *testing.B) {
		for b.Loop() {
			for i := range ps {
				sinkPerq = PerquintillFromRationalU128(ps[i], qs[i])
			}
		}
	})
}

var sinkWord uint64

// BenchmarkDiv3by2q times the quotient-only step against div3by2 on the
// root proportion's operands (w·2^32 over w + issuance·2^32).
func BenchmarkDiv3by2q(b *testing.B) {
	w := U96F32FromUint64(6_000_000_000_000_000).SaturatingMul(U96F32FromU64Proportion(math.MaxUint64 / 100 * 18))
	var ns [64][3]uint64
	var ds [64]U128
	for i := range ns {
		d := w.SaturatingAdd(U96F32FromUint64(400_000_000_000_000 + 120_000_000_000_000*uint64(i)))
		ds[i] = U128(d)
		ns[i] = [3]uint64{w.hi >> 32, w.hi<<32 | w.lo>>32, w.lo << 32}
	}
	b.Run("div3by2q", func(b *testing.B) {
		for b.Loop() {
			for i := range ns {
				sinkWord = div3by2q(ns[i][0], ns[i][1], ns[i][2], ds[i].hi, ds[i].lo)
			}
		}
	})
	b.Run("div3by2", func(b *testing.B) {
		for b.Loop() {
			for i := range ns {
				sinkWord, _, _ = div3by2(ns[i][0], ns[i][1], ns[i][2], ds[i].hi, ds[i].lo)
			}
		}
	})
}

// checkUnsignedCheckedDiv compares U96F32 and U64F64 CheckedDiv (whose
// fast path for x.hi < y.hi calls div3by2q without divShl) with the
// reference kernel on the raw bits a and b.
func checkUnsignedCheckedDiv(t testing.TB, a, b u128) {
	t.Helper()
	for _, frac := range []uint{u96f32Frac, u64f64Frac} {
		want, wo := u128{}, true // CheckedDiv by zero
		if !b.isZero() {
			want, wo = divShlRef(a, b, frac, false)
		}
		var got u128
		var ok bool
		if frac == u96f32Frac {
			z, k := U96F32(a).CheckedDiv(U96F32(b))
			got, ok = u128(z), k
		} else {
			z, k := U64F64(a).CheckedDiv(U64F64(b))
			got, ok = u128(z), k
		}
		if wo {
			want = u128{}
		}
		if got != want || ok == wo {
			t.Fatalf("CheckedDiv(%v, %v) with %d fraction bits = %v, %v; reference %v, overflow %v", a, b, frac, got, ok, want, wo)
		}
	}
}

// The unsigned CheckedDiv against the reference kernel: random operands
// with the high words below, equal to and above each other, the root
// proportion's shape, and edges.
func TestUnsignedCheckedDivMatchesReference(t *testing.T) {
	edges := []uint64{0, 1, 2, 1<<32 - 1, 1 << 32, 1<<63 - 1, 1 << 63, math.MaxUint64 - 1, math.MaxUint64}
	for _, ah := range edges {
		for _, al := range edges {
			for _, bh := range edges {
				for _, bl := range []uint64{0, 1, 1 << 63, math.MaxUint64} {
					checkUnsignedCheckedDiv(t, u128{ah, al}, u128{bh, bl})
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(14, 9))
	for range 100_000 {
		b := u128(randU128(rng))
		a := u128(randU128(rng))
		switch rng.IntN(4) {
		case 0:
			a.hi = b.hi - 1 - rng.Uint64N(1<<uint(rng.IntN(64)))
		case 1:
			a.hi = b.hi
		case 2:
			a = u128(rshU128(U128(b), uint(rng.IntN(128))))
		default:
			w := rshU128(U128Mul64(rng.Uint64N(1<<53), rng.Uint64()), 32).Lsh(32)
			a, b = u128(w), u128(w.Add(U128FromUint64(rng.Uint64N(1<<60)).Lsh(32)))
		}
		checkUnsignedCheckedDiv(t, a, b)
	}
}

func FuzzUnsignedCheckedDiv(f *testing.F) {
	f.Add(uint64(1), uint64(0), uint64(2), uint64(0))
	f.Add(uint64(1<<40), uint64(5), uint64(1<<41), uint64(7))
	f.Add(^uint64(0)-1, ^uint64(0), ^uint64(0), ^uint64(0))
	f.Fuzz(func(t *testing.T, ah, al, bh, bl uint64) {
		checkUnsignedCheckedDiv(t, u128{ah, al}, u128{bh, bl})
	})
}
