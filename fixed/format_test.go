package fixed

import (
	"encoding/json"
	"errors"
	"testing"
)

var parseCases = []string{
	"", "-", "0", "-0", "00012", "+1", " 1", "1 ", "1.5", "0x10", "1_000",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
	"18446744073709551616",
	"170141183460469231731687303715884105727", "170141183460469231731687303715884105728",
	"-170141183460469231731687303715884105728", "-170141183460469231731687303715884105729",
	"340282366920938463463374607431768211455", "340282366920938463463374607431768211456",
	"3402823669209384634633746074317682114550", "99999999999999999999999999999999999999999999",
	"-340282366920938463463374607431768211455",
}

func TestParseBits(t *testing.T) {
	for _, s := range parseCases {
		checkParseAll(t, s)
	}
}

func TestStringExamples(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{I32F32FromInt64(-1).String(), "-1"},
		{I32F32FromBits(-1).String(), "-0.00000000023283064365386962890625"},
		{I32F32FromBits(3 << 31).String(), "1.5"},
		{I32F32Min().String(), "-2147483648"},
		{U64F64FromBits(0, 1).String(), "0.0000000000000000000542101086242752217003726400434970855712890625"},
		{U64F64Max().String(), "18446744073709551615.9999999999999999999457898913757247782996273599565029144287109375"},
		{I96F32Min().String(), "-39614081257132168796771975168"},
		{U96F32FromUint64(1e18).String(), "1000000000000000000"},
	} {
		if c.got != c.want {
			t.Errorf("String() = %q, want %q", c.got, c.want)
		}
	}
}

// TestJSON checks the text encoding through encoding/json, and that a
// failed decode leaves the destination unchanged.
func TestJSON(t *testing.T) {
	type rec struct {
		A I32F32
		B U64F64
		C I96F32
	}
	in := rec{I32F32FromFloat64(-2.5), U64F64Max(), I96F32Min()}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"A":"-10737418240","B":"340282366920938463463374607431768211455","C":"-170141183460469231731687303715884105728"}`
	if string(b) != want {
		t.Fatalf("json = %s, want %s", b, want)
	}
	var out rec
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Fatalf("round trip = %+v, %v", out, err)
	}
	keep := U64F64FromUint64(7)
	if err := keep.UnmarshalText([]byte("-1")); !errors.Is(err, ErrSyntax) {
		t.Fatalf("UnmarshalText(-1) err = %v", err)
	}
	if err := keep.UnmarshalText([]byte("340282366920938463463374607431768211456")); !errors.Is(err, ErrRange) {
		t.Fatalf("UnmarshalText(2^128) err = %v", err)
	}
	if keep != U64F64FromUint64(7) {
		t.Fatal("failed UnmarshalText modified the receiver")
	}
	k32 := I32F32FromUint64(3)
	if err := k32.UnmarshalText([]byte("9223372036854775808")); !errors.Is(err, ErrRange) || k32 != I32F32FromUint64(3) {
		t.Fatalf("I32F32 UnmarshalText out of range: %v, %v", err, k32)
	}
}
