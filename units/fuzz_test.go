package units_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/dtao-go/dtao/units"
)

var sentinels = []error{units.ErrSyntax, units.ErrNegative, units.ErrTooManyDecimals, units.ErrOverflow}

// checkOneSentinel fails unless err wraps exactly one of the sentinels.
func checkOneSentinel(t *testing.T, in string, err error) {
	t.Helper()
	n := 0
	for _, s := range sentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%q: error %v wraps %d sentinels", in, err, n)
	}
}

func addSeeds(f *testing.F) {
	for _, s := range []string{
		"0", "1.5", "τ1.5", "1.5τ", "0.000000001", "21000000", "τ1,234.567890123",
		"18446744073.709551615", "18446744073.709551616", "-1", "1.0000000000",
		"\u200e1.500000000α\u200e", "1,23", ".5", "1e9", "", "τ", "ατ1",
	} {
		f.Add(s)
	}
}

// FuzzParseTAO: the parser never panics, agrees with the reference model,
// and whatever it accepts formats (both ways) and parses back unchanged.
func FuzzParseTAO(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		x, err := units.ParseTAO(s)
		want, wantErr := refParse(s, "τ")
		if !sameOutcome(uint64(x), err, want, wantErr) {
			t.Fatalf("%q: got %d, %v; reference %d, %v", s, x, err, want, wantErr)
		}
		if err != nil {
			checkOneSentinel(t, s, err)
			return
		}
		for _, out := range []string{x.String(), x.Decimal()} {
			y, err := units.ParseTAO(out)
			if err != nil || y != x {
				t.Fatalf("%q parsed to %d, formatted %q, re-parsed to %d, %v", s, x, out, y, err)
			}
		}
	})
}

// FuzzParseAlphaFor is FuzzParseTAO for alpha on any subnet.
func FuzzParseAlphaFor(f *testing.F) {
	for _, n := range []uint16{0, 1, 19, 90, 439, 65535} {
		f.Add("\u200e1.500000000"+units.NetUID(n).Symbol()+"\u200e", n)
		f.Add(units.NetUID(n).Symbol()+"1,000.5", n)
	}
	f.Fuzz(func(t *testing.T, s string, n uint16) {
		netuid := units.NetUID(n)
		x, err := units.ParseAlphaFor(s, netuid)
		want, wantErr := refParse(s, netuid.Symbol())
		if !sameOutcome(uint64(x), err, want, wantErr) {
			t.Fatalf("%q on %d: got %d, %v; reference %d, %v", s, n, x, err, want, wantErr)
		}
		if err != nil {
			checkOneSentinel(t, s, err)
			return
		}
		for _, out := range []string{x.StringFor(netuid), x.Decimal()} {
			y, err := units.ParseAlphaFor(out, netuid)
			if err != nil || y != x {
				t.Fatalf("%q on %d parsed to %d, formatted %q, re-parsed to %d, %v", s, n, x, out, y, err)
			}
		}
	})
}

// FuzzUnmarshalJSON: decoding never panics, accepts exactly the canonical
// decimal integers that fit in uint64, and re-encodes to the same bytes.
func FuzzUnmarshalJSON(f *testing.F) {
	for _, s := range []string{"0", "1500000000", "18446744073709551615", "18446744073709551616", "-1", "1.5", "1e9", `"1"`, "null", "007"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var x units.TAO
		err := x.UnmarshalJSON(b)
		s := string(b)
		if s == "null" {
			if err != nil || x != 0 {
				t.Fatalf("null: %d, %v", x, err)
			}
			return
		}
		want, perr := strconv.ParseUint(s, 10, 64)
		canonical := perr == nil && strconv.FormatUint(want, 10) == s
		if canonical != (err == nil) {
			t.Fatalf("%q: canonical %v but error %v", s, canonical, err)
		}
		if err != nil {
			checkOneSentinel(t, s, err)
			return
		}
		out, _ := x.MarshalJSON()
		if x.Rao() != want || string(out) != s {
			t.Fatalf("%q decoded to %d, re-encoded %q", s, x, out)
		}
	})
}
