package bigpow

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/holiman/uint256"
)

// TestExactBigMatchesBisection checks the Newton root against the crate's
// bisection, around perfect powers where off-by-one errors live.
func TestExactBigMatchesBisection(t *testing.T) {
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
		if got := exactBig(bn, bd, scale, e, d); got.Cmp(want) != 0 {
			t.Fatalf("exactBig(%v, %v, %v, %d, %d) = %v; want %v", bn, bd, scale, e, d, got, want)
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

// randPoolExponent draws a reduced exact exponent as a pool passes one: a
// quote weight of k/q (q <= 1024) gives w1/w2 = (q-k)/k for a swap and
// k/q or (q-k)/q for a limit.
func randPoolExponent(r *rand.Rand) (uint64, uint64) {
	q := uint64(2 + r.IntN(1023))
	k := 1 + r.Uint64N(q-1)
	switch r.IntN(4) {
	case 0:
		return q - k, k
	case 1:
		return k, q - k
	case 2:
		return k, q
	}
	return q - k, q
}

// TestExactPoolMatchesBisection checks Pow's exact path on pool-sized
// arguments (u64 reserves, U64F64-sized limit prices, scale 1e18) against
// the crate's bisection (PowBig), which costs tens of milliseconds each.
func TestExactPoolMatchesBisection(t *testing.T) {
	n := 60
	if testing.Short() || raceEnabled {
		n = 15
	}
	r := rand.New(rand.NewPCG(21, 22))
	for range n {
		en, ed := randPoolExponent(r)
		var in powInput
		in.en, in.ed, in.precision, in.scale = en, ed, 256, 1e18
		if r.IntN(2) == 0 { // swap: x/(x+dx)
			x := 1 + r.Uint64()>>r.IntN(40)
			dx := 1 + r.Uint64()>>r.IntN(64)
			in.bn.SetUint64(x)
			in.bd.AddUint64(&in.bn, dx)
			if in.bd.Lt(&in.bn) {
				in.bd.SetUint64(x) // never, as bd is 256-bit; keeps bd > 0
			}
		} else { // limit: price ratio of two U64F64 values
			in.precision = 1024
			in.bn = randBits(r, 1+r.IntN(128))
			d := randBits(r, 1+r.IntN(100))
			in.bd.Add(&in.bn, &d)
			if r.IntN(2) == 0 {
				in.bn, in.bd = in.bd, in.bn
			}
		}
		checkPowAgainstBig(t, in)
	}
}

// TestExactFastMatchesNewton compares the xfloat path with the math/big
// Newton root on a wide random range: bases up to 256 bits, any scale, any
// exact exponent. Whenever exactFast answers, it must equal exactBig.
func TestExactFastMatchesNewton(t *testing.T) {
	n := 3_000
	if testing.Short() || raceEnabled {
		n = 600
	}
	r := rand.New(rand.NewPCG(23, 24))
	answered := 0
	for range n {
		e, d := uint(1+r.IntN(1024)), uint(1+r.IntN(1024))
		if r.IntN(3) == 0 {
			e, d = uint(1+r.IntN(16)), uint(1+r.IntN(16))
		}
		bn := randBits(r, 1+r.IntN(256))
		bd := randBits(r, 1+r.IntN(256))
		if r.IntN(2) == 0 {
			delta := randBits(r, 1+r.IntN(64))
			bd.Add(&bn, &delta)
			if bd.Lt(&bn) {
				bd.SetOne()
			}
		}
		scale := randScale(r)
		got, class, ok := exactFast(&bn, &bd, scale, e, d)
		if !ok {
			continue
		}
		answered++
		want := exactBig(bn.ToBig(), bd.ToBig(), new(big.Int).SetUint64(scale), e, d)
		wantR, wantOver, _ := classifyBig(want)
		if (class == exceedsU64) != wantOver || (!wantOver && got != wantR) {
			t.Fatalf("exactFast(%s, %s, %d, %d, %d) = %d, class %d; exactBig = %v", bn.Dec(), bd.Dec(), scale, e, d, got, class, want)
		}
	}
	t.Logf("exactFast answered %d of %d", answered, n)
	if answered < n*9/10 {
		t.Fatalf("exactFast answered only %d of %d random inputs", answered, n)
	}
}

// TestExactHardCases builds inputs whose root is an integer or lies within
// a relative 2^-200 of one, where the xfloat bounds cannot decide and the
// exact computation must take over, and results at the u64 boundary.
func TestExactHardCases(t *testing.T) {
	u := func(v *big.Int) uint256.Int {
		var z uint256.Int
		if z.SetFromBig(v) {
			t.Fatalf("%v does not fit 256 bits", v)
		}
		return z
	}
	c := big.NewInt(1<<20 + 1)
	c12 := bigPow(c, 12) // 241 bits
	type hard struct {
		name      string
		bn, bd    uint256.Int
		e, d      uint
		scale     uint64
		undecided bool // exactFast must hand over to exactBig
	}
	var cases []hard
	for _, delta := range []int64{-1, 0, 1} {
		bn := new(big.Int).Add(c12, big.NewInt(delta))
		// root = 3^10·c^2·(1 + delta/c^12)^(1/6): integer for delta 0,
		// within 2^-230 of it otherwise.
		cases = append(cases, hard{fmt.Sprintf("c^12%+d, 2/12", delta), u(bn), *uint256.NewInt(1), 2, 12, 59049, false})
	}
	// S^d·A - N^d·B = ±1 with A, B of about 200 to 250 bits: the root of
	// S^d·A/B is N·(1 ± 1/(N^d·B))^(1/d), a relative 2^-300 or so from N,
	// far below the bounds' resolution. The answer is N for +1, N-1 for -1.
	for _, h := range []struct {
		n, s   *big.Int
		d      uint
		aShift uint
	}{
		{big.NewInt(1<<59 + 1), bigPow(big.NewInt(5), 26), 2, 246},
		{big.NewInt(1<<50 + 3), bigPow(big.NewInt(5), 17), 3, 200},
	} {
		nd := bigPow(h.n, h.d)
		sd := bigPow(h.s, h.d)
		for _, sign := range []int64{1, -1} {
			// A ≡ sign·(S^d)^-1 (mod N^d), raised to about 2^aShift.
			a := new(big.Int).ModInverse(sd, nd)
			if a == nil {
				t.Fatalf("S and N are not coprime")
			}
			if sign < 0 {
				a.Sub(nd, a)
			}
			k := new(big.Int).Lsh(bigOne, h.aShift)
			k.Quo(k, nd)
			a.Add(a, k.Mul(k, nd))
			b := new(big.Int).Mul(sd, a)
			b.Sub(b, big.NewInt(sign))
			if new(big.Int).Mod(b, nd).Sign() != 0 {
				t.Fatalf("construction: N^d does not divide S^d·A ∓ 1")
			}
			b.Quo(b, nd)
			cases = append(cases, hard{fmt.Sprintf("S^%d·A - N^%d·B = %+d", h.d, h.d, sign), u(a), u(b), 1, h.d, h.s.Uint64(), true})
		}
	}
	two64 := new(big.Int).Lsh(bigOne, 64)
	for _, k := range []uint{3, 4} { // r = 2^64 exactly, and 2^64-1 just below
		p := bigPow(two64, k-1) // (2^64)^(k-1) < 2^256
		for _, delta := range []int64{-1, 0} {
			bn := new(big.Int).Add(p, big.NewInt(delta))
			cases = append(cases, hard{fmt.Sprintf("(2^64)^%d%+d, 1/%d", k-1, delta, k-1), u(bn), *uint256.NewInt(1), 1, k - 1, 1 << 63, false})
			cases = append(cases, hard{fmt.Sprintf("(2^64)^%d%+d, 1/%d, scale 1", k-1, delta, k-1), u(bn), *uint256.NewInt(1), 1, k - 1, 1, false})
		}
	}
	cases = append(cases,
		hard{"exact rational 1/8 of the scale", *uint256.NewInt(1), *uint256.NewInt(2), 3, 1, 1e18, false},
		hard{"equal bases", *uint256.NewInt(12345), *uint256.NewInt(12345), 511, 1024, 1e18, false},
		hard{"equal large bases", u(c12), u(c12), 1023, 7, math.MaxUint64, false},
		hard{"scale zero", *uint256.NewInt(3), *uint256.NewInt(2), 511, 1024, 0, false},
		hard{"tiny ratio", *uint256.NewInt(1), *uint256.NewInt(math.MaxUint64), 1024, 1, 1e18, false},
		hard{"huge ratio", *uint256.NewInt(math.MaxUint64), *uint256.NewInt(1), 1024, 1023, 1e18, false},
		hard{"root of 2^d", *uint256.NewInt(2), *uint256.NewInt(1), 1, 1024, 1 << 40, false},
	)
	for _, h := range cases {
		if _, _, ok := exactFast(&h.bn, &h.bd, h.scale, h.e, h.d); h.undecided && ok {
			t.Errorf("%s: exactFast decided an input within its bounds' width of an integer", h.name)
		}
		checkPowAgainstBig(t, powInput{h.bn, h.bd, uint64(h.e), uint64(h.d), 256, h.scale})
	}
}
