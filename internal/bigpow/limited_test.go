package bigpow

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

func bigs(t testing.TB, ss ...string) []*big.Int {
	t.Helper()
	out := make([]*big.Int, len(ss))
	for i, s := range ss {
		out[i] = mustBig(t, s)
	}
	return out
}

// TestPowLimitedRefusesLargeExact: the finding's input (a 200-digit base,
// exponent 1024/1), which the crate's bisection takes minutes on, and its
// variants on the other size terms are refused with ErrExactTooLarge.
func TestPowLimitedRefusesLargeExact(t *testing.T) {
	nines := strings.Repeat("9", 200)
	big200 := nines[:199] + "7"
	for _, c := range []struct {
		name                  string
		bn, bd, en, ed, scale string
	}{
		{"200-digit bases, 1024/1", nines, big200, "1024", "1", "1000000000000000000"},
		{"200-digit bases, 2048/2 reduces to 1024/1", nines, big200, "2048", "2", "1000000000000000000"},
		{"200-digit denominator", "1", nines, "1024", "1", "1"},
		{"scale of 600 bits, 1/1024", "2", "3", "1", "1024", new(big.Int).Lsh(bigOne, 600).String()},
	} {
		a := bigs(t, c.bn, c.bd, c.en, c.ed, c.scale)
		r, err := PowLimited(a[0], a[1], a[2], a[3], 256, a[4])
		if !errors.Is(err, ErrExactTooLarge) || r != nil {
			t.Errorf("%s: PowLimited = %v, %v; want ErrExactTooLarge", c.name, r, err)
			continue
		}
		if !strings.Contains(err.Error(), "524288") {
			t.Errorf("%s: error %q does not state the limit", c.name, err)
		}
	}
}

// checkExactRoot requires r to be the exact path's answer by definition:
// r^d·bd^e <= bn^e·scale^d < (r+1)^d·bd^e.
func checkExactRoot(t *testing.T, name string, r, bn, bd, scale *big.Int, e, d uint) {
	t.Helper()
	p := new(big.Int).Mul(bigPow(bn, e), bigPow(scale, d))
	q := bigPow(bd, e)
	lo := new(big.Int).Mul(bigPow(r, d), q)
	hi := new(big.Int).Mul(bigPow(new(big.Int).Add(r, bigOne), d), q)
	if lo.Cmp(p) > 0 || hi.Cmp(p) <= 0 {
		t.Fatalf("%s: %d-bit result is not the floor of the root", name, r.BitLen())
	}
}

// TestPowLimitedAtBound: inputs whose size estimate is exactly MaxExactBits
// are answered, one bit more is refused.
func TestPowLimitedAtBound(t *testing.T) {
	one := big.NewInt(1)
	b511 := new(big.Int).Sub(new(big.Int).Lsh(one, 511), one) // 511 bits
	for _, c := range []struct {
		name      string
		bn, bd    *big.Int
		e, d      uint
		scale     *big.Int
		refused   bool
		checkRoot bool
	}{
		// 1024·511 + 1·1024 = 524288.
		{"1024/1 at the bound", b511, big.NewInt(3), 1024, 1, new(big.Int).Lsh(one, 1023), false, true},
		{"1024/1 one bit over", b511, big.NewInt(3), 1024, 1, new(big.Int).Lsh(one, 1024), true, false},
		// 1·(524288 - 2·60) + 2·60: a square root of 524288 bits.
		{"1/2 at the bound", new(big.Int).Sub(new(big.Int).Lsh(one, MaxExactBits-120), big.NewInt(12345)), big.NewInt(7), 1, 2, big.NewInt(1e18), false, true},
		// 2·... + 1023·1: the 1023rd root of a large quotient.
		{"2/1023 at the bound", new(big.Int).Sub(new(big.Int).Lsh(one, (MaxExactBits-1023)/2), big.NewInt(5)), big.NewInt(3), 2, 1023, big.NewInt(1), false, true},
	} {
		r, err := PowLimited(c.bn, c.bd, new(big.Int).SetUint64(uint64(c.e)), new(big.Int).SetUint64(uint64(c.d)), 256, c.scale)
		if c.refused {
			if !errors.Is(err, ErrExactTooLarge) {
				t.Errorf("%s: err = %v; want ErrExactTooLarge", c.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		checkExactRoot(t, c.name, r, c.bn, c.bd, c.scale, c.e, c.d)
	}
}

// TestPowLimitedMatchesPowBig compares PowLimited with the reference on
// arguments beyond Pow's range (bases beyond 2^256, scales beyond u64,
// results beyond u64) where the reference stays affordable, and on Pow's
// random inputs.
func TestPowLimitedMatchesPowBig(t *testing.T) {
	n := 400
	if testing.Short() || raceEnabled {
		n = 100
	}
	r := rand.New(rand.NewPCG(31, 32))
	randBig := func(maxBits int) *big.Int {
		v := new(big.Int)
		for range 1 + r.IntN(maxBits)/64 {
			v.Lsh(v, 64)
			v.Or(v, new(big.Int).SetUint64(r.Uint64()))
		}
		return v.Rsh(v, uint(r.IntN(64)))
	}
	for i := range n {
		var bn, bd, en, ed, scale *big.Int
		var precision uint32
		if i%2 == 0 {
			in := randPowInput(r)
			bn, bd, scale = in.bn.ToBig(), in.bd.ToBig(), new(big.Int).SetUint64(in.scale)
			en, ed = new(big.Int).SetUint64(in.en), new(big.Int).SetUint64(in.ed)
			precision = in.precision
		} else {
			bn, bd, scale = randBig(320), randBig(320), randBig(100)
			en, ed = big.NewInt(int64(r.IntN(4))), big.NewInt(int64(r.IntN(4)))
			precision = uint32(r.IntN(300))
			if r.IntN(4) == 0 { // fallback, on a ratio near 1 (the series is cheap)
				en.SetUint64(1025 + uint64(r.IntN(100)))
				ed.SetUint64(1000 + uint64(r.IntN(100)))
				bd.Add(bn, randBig(64))
			}
		}
		want, wok := PowBig(bn, bd, en, ed, precision, scale)
		got, err := PowLimited(bn, bd, en, ed, precision, scale)
		switch {
		case !wok:
			if !errors.Is(err, ErrPowUndefined) {
				t.Fatalf("PowLimited(%v, %v, %v, %v, %d, %v) = %v, %v; want ErrPowUndefined", bn, bd, en, ed, precision, scale, got, err)
			}
		case err != nil || got.Cmp(want) != 0:
			t.Fatalf("PowLimited(%v, %v, %v, %v, %d, %v) = %v, %v; PowBig = %v", bn, bd, en, ed, precision, scale, got, err, want)
		}
	}
}

// TestPowLimitedCrateTests runs the inputs of safe-bigmath's own tests of
// pow_ratio_scaled (src/integer.rs at rev 013c499) and of subtensor's
// (pallets/swap/src/pallet/balancer.rs, test_perquintill_power and
// test_safe_bigmath_pow_ratio_internal_paths_do_not_panic): all are
// answered, with the crate's asserted values where it asserts one and
// PowBig's otherwise.
func TestPowLimitedCrateTests(t *testing.T) {
	for _, c := range []struct {
		bn, bd, en, ed string
		precision      uint32
		scale, want    string
	}{
		{"21000000000000000", "28000000000000000", "600000000000000000", "400000000000000000", 256, "1000000000000000000", "649519052838328985"},
		{"21000000000000000", "28000000000000000", "600000000000000000", "400000000000000000", 4096, "1000000000000000000", "649519052838328985"},
		{"21000000000000000", "21000000000000100", "500000000000000000", "500000000000000000", 256, "1000000000000000000", "999999999999995238"},
		{"21000000000000000", "21000000000000100", "499999999999500000", "500000000000500000", 256, "1000000000000000000", "999999999999995238"},
		{"21000000000000000", "21000000000000100", "500000000000250000", "499999999999750000", 256, "1000000000000000000", "999999999999995238"},
		{"21000000000000000", "21000000000000001", "499999999500000000", "500000000500000000", 256, "1000000000000000000", "999999999999999952"},
		{"2", "3", "1", "2", 0, "1000", "816"},
		{"999999999", "1000000001", "1023", "1", 64, "1000000", ""},
		{"1", "1000000000000", "1", "1099511627776", 32, "1", ""},
		{"123456789", "987654321", "987654321123456789", "123456789987654321", 0, "1000000000000000000", ""},
		{"1", "10", "500000000001", "1000000000000", 128, "1000000000000000000", ""},
		{"400775553", "14446634308441135", "102337248363782924", "897662751636217076", 256, "1000000000000000000", ""},
		{"2100000000000000000000000", "210000000000000000000000", "499", "1538820023", 256, "1000000000000000000", ""},
		{"999999937", "1000000003", "1024", "1", 64, "1000000", ""},
		{"999999937", "1000000003", "999", "1024", 64, "1000000", ""},
		{"999999937", "1000000003", "1025", "1", 64, "1000000", ""},
		{"999999937", "1000000003", "999", "1025", 64, "1000000", ""},
		{"999999937", "1000000003", "2048", "4096", 64, "1000000", ""},
	} {
		a := bigs(t, c.bn, c.bd, c.en, c.ed, c.scale)
		got, err := PowLimited(a[0], a[1], a[2], a[3], c.precision, a[4])
		if err != nil {
			t.Fatalf("PowLimited(%s, %s, %s, %s, %d, %s): %v", c.bn, c.bd, c.en, c.ed, c.precision, c.scale, err)
		}
		want := c.want
		if want == "" {
			w, ok := PowBig(a[0], a[1], a[2], a[3], c.precision, a[4])
			if !ok {
				t.Fatalf("PowBig(%s, %s, %s, %s): undefined", c.bn, c.bd, c.en, c.ed)
			}
			want = w.String()
		}
		if got.String() != want {
			t.Errorf("PowLimited(%s, %s, %s, %s, %d, %s) = %v; want %s", c.bn, c.bd, c.en, c.ed, c.precision, c.scale, got, want)
		}
	}
}
