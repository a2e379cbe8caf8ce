package fixed

import (
	"math/big"
	"strings"
)

// This file holds the slow reference: every operation recomputed on the raw
// bits with math/big, straight from the definitions in the package doc
// (value = bits / 2^frac; Mul floors, Div truncates toward zero, conversions
// floor then clamp). The fast code is checked against it on curated edge
// values, on random inputs and by the fuzz targets.

// kind describes one fixed-point type's representation, with its raw
// bounds precomputed (callers must not modify them).
type kind struct {
	name     string
	nbits    uint
	frac     uint
	signed   bool
	min, max *big.Int
	mod      *big.Int // 2^nbits
	half     *big.Int // 2^(nbits-1)
}

func newKind(name string, nbits, frac uint, signed bool) kind {
	k := kind{name: name, nbits: nbits, frac: frac, signed: signed, mod: pow2(nbits), half: pow2(nbits - 1)}
	if signed {
		k.min = new(big.Int).Neg(k.half)
		k.max = new(big.Int).Sub(k.half, big.NewInt(1))
	} else {
		k.min = new(big.Int)
		k.max = new(big.Int).Sub(k.mod, big.NewInt(1))
	}
	return k
}

var (
	kI32F32 = newKind("I32F32", 64, 32, true)
	kI64F64 = newKind("I64F64", 128, 64, true)
	kU64F64 = newKind("U64F64", 128, 64, false)
	kI96F32 = newKind("I96F32", 128, 32, true)
	kU96F32 = newKind("U96F32", 128, 32, false)
)

func pow2(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }

func (k kind) minRaw() *big.Int { return new(big.Int).Set(k.min) }
func (k kind) maxRaw() *big.Int { return new(big.Int).Set(k.max) }

func (k kind) inRange(v *big.Int) bool {
	return v.Cmp(k.min) >= 0 && v.Cmp(k.max) <= 0
}

// wrap reduces v modulo 2^nbits into the type's range (two's complement
// truncation, as Rust's wrapping operations do).
func (k kind) wrap(v *big.Int) *big.Int {
	r := new(big.Int).Mod(v, k.mod) // Euclidean: 0 <= r < 2^nbits
	if k.signed && r.Cmp(k.half) >= 0 {
		r.Sub(r, k.mod)
	}
	return r
}

func (k kind) clamp(v *big.Int) *big.Int {
	return clampInt(v, k.min, k.max)
}

// clampInt clamps v to [lo, hi].
func clampInt(v, lo, hi *big.Int) *big.Int {
	switch {
	case v.Cmp(lo) < 0:
		return new(big.Int).Set(lo)
	case v.Cmp(hi) > 0:
		return new(big.Int).Set(hi)
	}
	return new(big.Int).Set(v)
}

// Exact results before wrapping or clamping.

func refAdd(a, b *big.Int) *big.Int { return new(big.Int).Add(a, b) }
func refSub(a, b *big.Int) *big.Int { return new(big.Int).Sub(a, b) }

// refMul is floor(a*b / 2^frac); big.Int.Rsh rounds toward -inf.
func refMul(k kind, a, b *big.Int) *big.Int {
	p := new(big.Int).Mul(a, b)
	return p.Rsh(p, k.frac)
}

// refDiv is (a << frac) / b truncated toward zero (big.Int.Quo). b != 0.
func refDiv(k kind, a, b *big.Int) *big.Int {
	n := new(big.Int).Lsh(a, k.frac)
	return n.Quo(n, b)
}

func refFloor(k kind, a *big.Int) *big.Int {
	v := new(big.Int).Rsh(a, k.frac)
	return v.Lsh(v, k.frac)
}

func refCeil(k kind, a *big.Int) *big.Int {
	v := new(big.Int).Neg(a)
	v.Rsh(v, k.frac)
	v.Lsh(v, k.frac)
	return v.Neg(v)
}

// refRound rounds to the nearest integer, ties away from zero.
func refRound(k kind, a *big.Int) *big.Int {
	m := new(big.Int).Abs(a)
	m.Add(m, pow2(k.frac-1))
	m.Rsh(m, k.frac)
	m.Lsh(m, k.frac)
	if a.Sign() < 0 {
		m.Neg(m)
	}
	return m
}

// refConvert re-expresses raw bits a of kind from in kind to's scale,
// flooring dropped bits.
func refConvert(from, to kind, a *big.Int) *big.Int {
	if to.frac >= from.frac {
		return new(big.Int).Lsh(a, to.frac-from.frac)
	}
	return new(big.Int).Rsh(a, from.frac-to.frac)
}

// refString is the exact decimal value of raw bits a.
func refString(k kind, a *big.Int) string {
	r := new(big.Rat).SetFrac(a, pow2(k.frac))
	s := r.FloatString(int(k.frac)) // exact: bits/2^f has at most f decimals
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// refFromFloat64 rounds f*2^frac to the nearest integer, ties to even,
// exactly, then clamps. f must be finite.
func refFromFloat64(k kind, f float64) *big.Int {
	r := new(big.Rat).SetFloat64(f)
	r.Mul(r, new(big.Rat).SetInt(pow2(k.frac)))
	num, den := r.Num(), r.Denom()
	q, m := new(big.Int).DivMod(num, den, new(big.Int)) // floor, 0 <= m < den
	twice := new(big.Int).Lsh(m, 1)
	switch c := twice.Cmp(den); {
	case c > 0, c == 0 && q.Bit(0) == 1:
		q.Add(q, big.NewInt(1))
	}
	return k.clamp(q)
}

// refToFloat64 is raw bits a as the nearest float64.
func refToFloat64(k kind, a *big.Int) float64 {
	f := new(big.Float).SetInt(a)
	f.SetMantExp(f, -int(k.frac))
	v, _ := f.Float64()
	return v
}

// refExp is substrate-fixed's exp::<I32F32, I32F32> recomputed on raw bits
// with math/big, each checked operation checked against the I32F32 range.
func refExp(a *big.Int) (*big.Int, bool) {
	k := kI32F32
	one := pow2(32)
	if a.Sign() == 0 {
		return one, true
	}
	if a.Cmp(one) == 0 {
		// e as U2F126, truncated to 23 fractional bits, then widened to 32.
		e, _ := new(big.Int).SetString("ADF85458A2BB4A9AAFDC5620273D3CF1", 16)
		e.Rsh(e, 126-23)
		return e.Lsh(e, 32-23), true
	}
	neg := a.Sign() < 0
	y := new(big.Int).Abs(a)
	if !k.inRange(y) {
		return nil, false
	}
	result := refAdd(y, one)
	if !k.inRange(result) {
		return nil, false
	}
	term := new(big.Int).Set(y)
	for i := int64(2); i <= 31; i++ {
		term = refMul(k, term, y)
		if !k.inRange(term) {
			return nil, false
		}
		term = refDiv(k, term, new(big.Int).Lsh(big.NewInt(i), 32))
		if !k.inRange(term) {
			return nil, false
		}
		result = refAdd(result, term)
		if !k.inRange(result) {
			return nil, false
		}
	}
	if neg {
		if result.Sign() == 0 {
			return nil, false
		}
		result = refDiv(k, one, result)
		if !k.inRange(result) {
			return nil, false
		}
	}
	return result, true
}

// Raw-bit adapters between the Go types and big.Int.

func bigFromU128(v u128, signed bool) *big.Int {
	b := new(big.Int).SetUint64(v.hi)
	b.Lsh(b, 64)
	b.Or(b, new(big.Int).SetUint64(v.lo))
	if signed && v.neg() {
		b.Sub(b, pow2(128))
	}
	return b
}

// u128FromBig takes the low 128 bits of v's two's complement.
func u128FromBig(v *big.Int) u128 {
	m := new(big.Int).Mod(v, pow2(128))
	lo := new(big.Int).And(m, new(big.Int).SetUint64(^uint64(0))).Uint64()
	hi := new(big.Int).Rsh(m, 64).Uint64()
	return u128{hi, lo}
}

func rawOf(x any) *big.Int {
	switch v := x.(type) {
	case I32F32:
		return big.NewInt(v.bits)
	case I64F64:
		return bigFromU128(u128(v), true)
	case U64F64:
		return bigFromU128(u128(v), false)
	case I96F32:
		return bigFromU128(u128(v), true)
	case U96F32:
		return bigFromU128(u128(v), false)
	}
	panic("rawOf: unknown type")
}

func kindOf(x any) kind {
	switch x.(type) {
	case I32F32:
		return kI32F32
	case I64F64:
		return kI64F64
	case U64F64:
		return kU64F64
	case I96F32:
		return kI96F32
	case U96F32:
		return kU96F32
	}
	panic("kindOf: unknown type")
}

// fromRaw builds a T from raw bits v, which must be in T's range.
func fromRaw[T any](v *big.Int) T {
	var z T
	var r any
	switch any(z).(type) {
	case I32F32:
		r = I32F32{v.Int64()}
	case I64F64:
		r = I64F64(u128FromBig(v))
	case U64F64:
		r = U64F64(u128FromBig(v))
	case I96F32:
		r = I96F32(u128FromBig(v))
	case U96F32:
		r = U96F32(u128FromBig(v))
	}
	return r.(T)
}
