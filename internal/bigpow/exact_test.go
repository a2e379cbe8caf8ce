package bigpow

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/holiman/uint256"
)

// TestExactRootBigMatchesBisection checks the Newton root against the
// crate's bisection, around perfect powers where off-by-one errors live.
func TestExactRootBigMatchesBisection(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for range 3_000 {
		e, d := uint(1+r.IntN(6)), uint(1+r.IntN(9))
		bn := new(big.Int).SetUint64(r.Uint64() >> r.IntN(64))
		bd := new(big.Int).SetUint64(1 + r.Uint64()>>r.IntN(64))
		scale := new(big.Int).SetUint64(r.Uint64() >> r.IntN(64))
		if r.IntN(3) == 0 {
			// bn^e·scale^d = (root^d ± 1)·bd^e for some root: make bd = 1 and
			// bn a perfect d-th power (e = 1, scale = 1) plus -1, 0 or +1.
			e, bd, scale = 1, big.NewInt(1), big.NewInt(1)
			root := new(big.Int).SetUint64(r.Uint64() >> r.IntN(64))
			bn = bigPow(root, d)
			bn.Add(bn, big.NewInt(int64(r.IntN(3)-1)))
			if bn.Sign() < 0 {
				bn.SetInt64(0)
			}
		}
		target := new(big.Int).Mul(bigPow(bn, e), bigPow(scale, d))
		want := nthRootRatioFloor(target, bigPow(bd, e), d)
		if got := exactRootBig(bn, bd, scale, e, d); got.Cmp(want) != 0 {
			t.Fatalf("exactRootBig(%v, %v, %v, %d, %d) = %v; want %v", bn, bd, scale, e, d, got, want)
		}
	}
}

// TestPowEdgeCases pins the crate's early returns and the exact/fallback
// boundary.
func TestPowEdgeCases(t *testing.T) {
	u := uint256.NewInt
	cases := []struct {
		name      string
		bn, bd    *uint256.Int
		en, ed    uint64
		precision uint32
		scale     uint64
		want      uint64
		overflow  bool
		ok        bool
	}{
		{"bd zero", u(5), u(0), 1, 1, 256, 1e18, 0, false, false},
		{"ed zero", u(5), u(3), 1, 0, 256, 1e18, 0, false, false},
		{"ed zero is checked before bn zero", u(0), u(3), 1, 0, 256, 1e18, 0, false, false},
		{"bn zero", u(0), u(3), 7, 3, 256, 1e18, 0, false, true},
		{"bn zero, en zero", u(0), u(3), 0, 3, 256, 1e18, 0, false, true},
		{"en zero is scale", u(2), u(3), 0, 5, 256, 12345, 12345, false, true},
		{"1/1", u(2), u(3), 5e17, 5e17, 256, 1e18, 666666666666666666, false, true},
		{"1/2", u(2), u(3), 1, 2, 0, 1000, 816, false, true},
		{"1/1 overflow", u(3), u(1), 1, 1, 256, 1e19, 0, true, true},
		{"1024/1 exact", u(1), u(1), 1024, 1, 256, 7, 7, false, true},
		{"1025/1 fallback", u(1), u(1), 1025, 1, 256, 7, 7, false, true},
		{"scale zero fallback", u(2), u(3), 1025, 1, 256, 0, 0, false, true},
	}
	for _, c := range cases {
		got, of, ok := Pow(c.bn, c.bd, c.en, c.ed, c.precision, c.scale)
		if got != c.want || of != c.overflow || ok != c.ok {
			t.Errorf("%s: Pow = %d, %v, %v; want %d, %v, %v", c.name, got, of, ok, c.want, c.overflow, c.ok)
		}
		checkPowAgainstBig(t, powInput{*c.bn, *c.bd, c.en, c.ed, c.precision, c.scale})
	}
}

// TestPowBigNegativeArguments covers the None cases that Pow's unsigned
// arguments cannot express.
func TestPowBigNegativeArguments(t *testing.T) {
	one, neg := big.NewInt(1), big.NewInt(-1)
	zero := new(big.Int)
	for _, c := range []struct {
		bn, bd, en, ed, scale *big.Int
		ok                    bool
	}{
		{neg, one, one, one, one, false},
		{one, neg, one, one, one, false},
		{one, one, neg, one, one, false},
		{one, one, one, neg, one, false},
		{one, one, one, one, neg, false},
		{zero, one, neg, neg, neg, true}, // bn == 0 returns 0 before the sign checks
		{one, zero, one, one, one, false},
	} {
		if _, ok := PowBig(c.bn, c.bd, c.en, c.ed, 256, c.scale); ok != c.ok {
			t.Errorf("PowBig(%v, %v, %v, %v, 256, %v) ok = %v; want %v", c.bn, c.bd, c.en, c.ed, c.scale, ok, c.ok)
		}
	}
}
