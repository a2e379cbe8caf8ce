package fixed

import (
	"encoding/json"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"
)

var sinkU128 U128

func bigU128(x U128) *big.Int { return bigFromU128(u128(x), false) }

// u128Edges are the values where U128 arithmetic changes behaviour: 0, 1,
// the u64::MAX word boundary and its neighbours, 2^95 (where I96F32
// saturates), 2^127 and u128::MAX.
func u128Edges() []U128 {
	return []U128{
		{}, {0, 1}, {0, 2}, {0, 1<<63 - 1}, {0, 1 << 63}, {0, ^uint64(0) - 1}, {0, ^uint64(0)},
		{1, 0}, {1, 1}, {1 << 31, 0}, {1<<31 - 1, ^uint64(0)}, {1<<31 + 1, 0},
		{1 << 63, 0}, {1<<63 - 1, ^uint64(0)}, {^uint64(0), ^uint64(0) - 1}, {^uint64(0), ^uint64(0)},
	}
}

func u128Samples() []U128 {
	r := rand.New(rand.NewPCG(17, 128))
	s := u128Edges()
	for range 200 {
		s = append(s, U128{r.Uint64() >> r.UintN(65), r.Uint64()})
	}
	return s
}

// Add, SaturatingAdd, SaturatingSub and Cmp against math/big, with the
// carry across the u64::MAX word boundary and saturation at 2^128-1 and 0.
func TestU128Arithmetic(t *testing.T) {
	mod := pow2(128)
	max := new(big.Int).Sub(mod, big.NewInt(1))
	s := u128Samples()
	for _, x := range s {
		for _, y := range s {
			bx, by := bigU128(x), bigU128(y)
			sum := new(big.Int).Add(bx, by)
			if got, want := bigU128(x.Add(y)), new(big.Int).Mod(sum, mod); got.Cmp(want) != 0 {
				t.Fatalf("%v.Add(%v) = %v, want %v", x, y, got, want)
			}
			if got, want := bigU128(x.SaturatingAdd(y)), clampInt(sum, big.NewInt(0), max); got.Cmp(want) != 0 {
				t.Fatalf("%v.SaturatingAdd(%v) = %v, want %v", x, y, got, want)
			}
			diff := new(big.Int).Sub(bx, by)
			if got, want := bigU128(x.SaturatingSub(y)), clampInt(diff, big.NewInt(0), max); got.Cmp(want) != 0 {
				t.Fatalf("%v.SaturatingSub(%v) = %v, want %v", x, y, got, want)
			}
			if got, want := x.Cmp(y), bx.Cmp(by); got != want {
				t.Fatalf("%v.Cmp(%v) = %d, want %d", x, y, got, want)
			}
		}
	}
}

func TestU128Edges(t *testing.T) {
	maxU64 := U128FromUint64(^uint64(0))
	one := U128FromUint64(1)
	if got := maxU64.SaturatingAdd(one); got != U128FromBits(1, 0) {
		t.Errorf("u64::MAX + 1 = %v, want 2^64", got)
	}
	if got := maxU64.Add(maxU64); got != U128FromBits(1, ^uint64(0)-1) {
		t.Errorf("u64::MAX + u64::MAX = %v", got)
	}
	if got := U128FromBits(1, 0).SaturatingSub(one); got != maxU64 {
		t.Errorf("2^64 - 1 = %v, want u64::MAX", got)
	}
	if got := U128Max().SaturatingAdd(one); got != U128Max() {
		t.Errorf("u128::MAX saturating_add 1 = %v", got)
	}
	if got := U128Max().Add(one); !got.IsZero() {
		t.Errorf("u128::MAX wrapping + 1 = %v, want 0", got)
	}
	if got := one.SaturatingSub(U128FromUint64(2)); !got.IsZero() {
		t.Errorf("1 saturating_sub 2 = %v, want 0", got)
	}
	if U128FromUint64(0) != (U128{}) || !(U128{}).IsZero() || one.IsZero() || U128FromBits(1, 0).IsZero() {
		t.Error("IsZero / zero value")
	}
	if hi, lo := U128FromBits(7, 9).Bits(); hi != 7 || lo != 9 {
		t.Errorf("Bits = %d, %d", hi, lo)
	}
	if got := U128FromBits(1, 0).SaturatingToUint64(); got != ^uint64(0) {
		t.Errorf("SaturatingToUint64(2^64) = %d", got)
	}
	if got := maxU64.SaturatingToUint64(); got != ^uint64(0) {
		t.Errorf("SaturatingToUint64(u64::MAX) = %d", got)
	}
	if got := U128FromUint64(12345).SaturatingToUint64(); got != 12345 {
		t.Errorf("SaturatingToUint64(12345) = %d", got)
	}
}

func TestU128StringParse(t *testing.T) {
	for _, c := range []struct {
		x U128
		s string
	}{
		{U128{}, "0"},
		{U128FromUint64(^uint64(0)), "18446744073709551615"},
		{U128FromBits(1, 0), "18446744073709551616"},
		{U128Max(), "340282366920938463463374607431768211455"},
	} {
		if got := c.x.String(); got != c.s {
			t.Errorf("String = %q, want %q", got, c.s)
		}
		v, err := ParseU128(c.s)
		if err != nil || v != c.x {
			t.Errorf("ParseU128(%q) = %v, %v", c.s, v, err)
		}
	}
	for _, x := range u128Samples() {
		if got, want := x.String(), bigU128(x).String(); got != want {
			t.Fatalf("String = %s, want %s", got, want)
		}
		if v, err := ParseU128(x.String()); err != nil || v != x {
			t.Fatalf("round trip of %s: %v, %v", x, v, err)
		}
	}
	for _, s := range []string{"", "-1", "+1", "1.5", "0x10", " 1"} {
		if _, err := ParseU128(s); !errors.Is(err, ErrSyntax) {
			t.Errorf("ParseU128(%q) error %v, want ErrSyntax", s, err)
		}
	}
	if _, err := ParseU128("340282366920938463463374607431768211456"); !errors.Is(err, ErrRange) {
		t.Errorf("ParseU128(2^128) error %v, want ErrRange", err)
	}
	// JSON uses the decimal text form; a failed decode leaves the value alone.
	b, err := json.Marshal(U128Max())
	if err != nil || string(b) != `"340282366920938463463374607431768211455"` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	x := U128FromUint64(5)
	if err := json.Unmarshal([]byte(`"-3"`), &x); !errors.Is(err, ErrSyntax) || x != U128FromUint64(5) {
		t.Errorf("Unmarshal of -3: %v, x = %v", err, x)
	}
	if err := json.Unmarshal(b, &x); err != nil || x != U128Max() {
		t.Errorf("Unmarshal: %v, x = %v", err, x)
	}
}

// I96F32::saturating_from_num(u128) is exact below 2^95 and I96F32::MAX
// from 2^95 up; saturating_to_num::<u128>() floors and maps negatives to 0.
func TestU128I96F32Conversions(t *testing.T) {
	i96 := kI96F32
	for _, u := range u128Samples() {
		want := i96.clamp(new(big.Int).Lsh(bigU128(u), 32))
		if got := rawOf(I96F32FromU128(u)); got.Cmp(want) != 0 {
			t.Fatalf("I96F32FromU128(%v) raw %v, want %v", u, got, want)
		}
	}
	if got := I96F32FromU128(U128FromBits(1<<31-1, ^uint64(0))); got != I96F32FromBits(1<<63-1, 0xFFFF_FFFF_0000_0000) {
		t.Errorf("I96F32FromU128(2^95-1) = %v, want exact", got)
	}
	for _, u := range []U128{U128FromBits(1<<31, 0), U128FromBits(1<<63, 0), U128Max()} {
		if got := I96F32FromU128(u); got != I96F32Max() {
			t.Errorf("I96F32FromU128(%v) = %v, want I96F32Max", u, got)
		}
	}
	if got := I96F32FromU128(U128FromUint64(^uint64(0))); got != I96F32FromUint64(^uint64(0)) {
		t.Errorf("I96F32FromU128(u64::MAX) = %v", got)
	}

	for _, raw := range edgeRaws(i96) {
		x := fromRaw[I96F32](raw)
		want := new(big.Int).Rsh(raw, 32) // floor
		if want.Sign() < 0 {
			want.SetInt64(0)
		}
		if got := bigU128(x.SaturatingToU128()); got.Cmp(want) != 0 {
			t.Fatalf("%v.SaturatingToU128() = %v, want %v", x, got, want)
		}
	}
	if got := I96F32Max().SaturatingToU128(); got != U128FromBits(1<<31-1, ^uint64(0)) {
		t.Errorf("I96F32Max.SaturatingToU128() = %v, want 2^95-1", got)
	}
	if got := I96F32FromFloat64(-0.5).SaturatingToU128(); !got.IsZero() {
		t.Errorf("-0.5 to u128 = %v, want 0", got)
	}
	if got := I96F32FromFloat64(2.75).SaturatingToU128(); got != U128FromUint64(2) {
		t.Errorf("2.75 to u128 = %v, want 2", got)
	}
}

func TestU128NoAllocs(t *testing.T) {
	x, y := U128FromBits(3, ^uint64(0)), U128FromUint64(7)
	r := I96F32FromFloat64(0.41)
	n := testing.AllocsPerRun(100, func() {
		sinkU128 = x.Add(y).SaturatingAdd(y).SaturatingSub(x)
		sinkU64 = uint64(x.Cmp(y)) + sinkU128.SaturatingToUint64()
		sinkOK = x.IsZero()
		sinkI96F32 = I96F32FromU128(x)
		sinkU128 = r.SaturatingMul(sinkI96F32).SaturatingToU128()
	})
	if n != 0 {
		t.Errorf("%v allocations per run, want 0", n)
	}
}

func TestU128MulQuoRem(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for range 20000 {
		a, b := r.Uint64()>>uint(r.IntN(64)), r.Uint64()>>uint(r.IntN(64))
		y := U128FromBits(r.Uint64()>>uint(r.IntN(64)+(r.IntN(2)*64)%128), r.Uint64())
		if r.IntN(4) == 0 {
			y = U128FromUint64(r.Uint64()>>uint(r.IntN(64)) | 1)
		}
		x := U128Mul64(a, b)
		q, rem, ok := x.QuoRem(y)
		if y.IsZero() {
			if ok {
				t.Fatal("division by zero succeeded")
			}
			continue
		}
		bx := new(big.Int).Mul(new(big.Int).SetUint64(a), new(big.Int).SetUint64(b))
		yh, yl := y.Bits()
		by := new(big.Int).Or(new(big.Int).Lsh(new(big.Int).SetUint64(yh), 64), new(big.Int).SetUint64(yl))
		bq, br := new(big.Int).QuoRem(bx, by, new(big.Int))
		if !ok || q.String() != bq.String() || rem.String() != br.String() {
			t.Fatalf("%d·%d / %s = %s rem %s, want %s rem %s", a, b, y, q, rem, bq, br)
		}
	}
	if _, _, ok := U128FromUint64(5).QuoRem(U128{}); ok {
		t.Fatal("division by zero succeeded")
	}
}

func TestU128WrappingAndFixedPointOps(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	two128 := new(big.Int).Lsh(big.NewInt(1), 128)
	mod := func(x *big.Int) *big.Int { return new(big.Int).Mod(x, two128) }
	for range 20000 {
		x := U128FromBits(r.Uint64()>>uint(r.IntN(64)), r.Uint64())
		y := U128FromBits(r.Uint64()>>uint(r.IntN(64)), r.Uint64())
		n := r.Uint64()>>uint(r.IntN(64)) | 1
		bx, by, bn := bigU128(x), bigU128(y), new(big.Int).SetUint64(n)
		if got, want := x.Sub(y).String(), mod(new(big.Int).Sub(bx, by)).String(); got != want {
			t.Fatalf("%s − %s = %s, want %s", x, y, got, want)
		}
		if got, want := x.MulUint64(n).String(), mod(new(big.Int).Mul(bx, bn)).String(); got != want {
			t.Fatalf("%s · %d = %s, want %s", x, n, got, want)
		}
		if got, want := x.QuoUint64(n).String(), new(big.Int).Quo(bx, bn).String(); got != want {
			t.Fatalf("%s / %d = %s, want %s", x, n, got, want)
		}
		shift := uint(65 + r.IntN(63))
		want := mod(new(big.Int).Rsh(new(big.Int).Mul(bx, by), shift)).String()
		if got := x.MulShr(y, shift).String(); got != want {
			t.Fatalf("%s · %s >> %d = %s, want %s", x, y, shift, got, want)
		}
	}
}
