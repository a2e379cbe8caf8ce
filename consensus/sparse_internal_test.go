package consensus

import (
	"testing"

	"github.com/dtao-go/dtao/fixed"
)

func TestU16ProportionToFixed(t *testing.T) {
	for x := range 65536 {
		want := fixed.I32F32FromUint64(uint64(x)).SafeDiv(u16m)
		if got := u16ProportionToFixed(uint16(x)); got != want {
			t.Fatalf("u16ProportionToFixed(%d) = %d, SafeDiv %d", x, got.Bits(), want.Bits())
		}
	}
	// yuma.md §2: AlphaValues (6553, 19660) → 429463961 / 1288457420.
	if a, b := u16ProportionToFixed(6553).Bits(), u16ProportionToFixed(19660).Bits(); a != 429463961 || b != 1288457420 {
		t.Fatalf("alpha values %d %d", a, b)
	}
}

func TestFixedProportionToU16(t *testing.T) {
	check := func(b int64) {
		x := fixed.I32F32FromBits(b)
		if got, want := fixedProportionToU16(x), x.SaturatingMul(u16m).SaturatingToUint16(); got != want {
			t.Fatalf("fixedProportionToU16(%d) = %d, want %d", b, got, want)
		}
	}
	for _, b := range []int64{0, 1, -1, 1 << 32, 1<<32 - 1, 1<<32 + 1, 1 << 47, 1<<47 - 1, 1<<63 - 1, -1 << 63, 65536 << 16} {
		check(b)
	}
	for b := int64(0); b < 1<<34; b += 1<<34/100003 + 7 {
		check(b)
	}
}
