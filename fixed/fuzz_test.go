package fixed

import (
	"errors"
	"math"
	"math/big"
	"regexp"
	"testing"

	"github.com/holiman/uint256"
)

// The fuzz targets take raw limbs, so the fuzzer mutates the bit patterns
// directly, and check every operation against the math/big reference.

func FuzzI32F32(f *testing.F) {
	for _, s := range [][2]int64{{0, 0}, {1 << 32, 1 << 32}, {math.MinInt64, -1}, {math.MaxInt64, 1 << 31}, {-3 << 31, 5 << 31}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b int64) {
		x, y := I32F32{a}, I32F32{b}
		checkUnary(t, x)
		checkBinary(t, x, y)
		checkExp(t, x)
	})
}

func addLimbSeeds(f *testing.F) {
	for _, s := range [][4]uint64{
		{0, 0, 0, 0},
		{1, 0, 1, 0},
		{0, 1 << 32, 0, 1 << 32},
		{1 << 63, 0, math.MaxUint64, math.MaxUint64},
		{1<<63 - 1, math.MaxUint64, 0, 1 << 63},
		{math.MaxUint64, math.MaxUint64, 0, 2},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
}

func FuzzI64F64(f *testing.F) {
	addLimbSeeds(f)
	f.Fuzz(func(t *testing.T, ahi, alo, bhi, blo uint64) {
		x, y := I64F64{ahi, alo}, I64F64{bhi, blo}
		checkUnary(t, x)
		checkBinary(t, x, y)
	})
}

func FuzzU64F64(f *testing.F) {
	addLimbSeeds(f)
	f.Fuzz(func(t *testing.T, ahi, alo, bhi, blo uint64) {
		x, y := U64F64{ahi, alo}, U64F64{bhi, blo}
		checkUnary(t, x)
		checkBinary(t, x, y)
	})
}

func FuzzI96F32(f *testing.F) {
	addLimbSeeds(f)
	f.Fuzz(func(t *testing.T, ahi, alo, bhi, blo uint64) {
		x, y := I96F32{ahi, alo}, I96F32{bhi, blo}
		checkUnary(t, x)
		checkBinary(t, x, y)
	})
}

func FuzzU96F32(f *testing.F) {
	addLimbSeeds(f)
	f.Fuzz(func(t *testing.T, ahi, alo, bhi, blo uint64) {
		x, y := U96F32{ahi, alo}, U96F32{bhi, blo}
		checkUnary(t, x)
		checkBinary(t, x, y)
	})
}

func FuzzFromNumbers(f *testing.F) {
	f.Add(0.5, uint64(1), int64(-1))
	f.Add(0x3p-33, uint64(math.MaxUint64), int64(math.MinInt64))
	f.Fuzz(func(t *testing.T, fl float64, u uint64, i int64) {
		checkFromFloat(t, I32F32FromFloat64, fl)
		checkFromFloat(t, I64F64FromFloat64, fl)
		checkFromFloat(t, U64F64FromFloat64, fl)
		checkFromFloat(t, I96F32FromFloat64, fl)
		checkFromFloat(t, U96F32FromFloat64, fl)
		checkFromInts(t, I32F32FromUint64, I32F32FromInt64, u, i)
		checkFromInts(t, I64F64FromUint64, I64F64FromInt64, u, i)
		checkFromInts(t, U64F64FromUint64, U64F64FromInt64, u, i)
		checkFromInts(t, I96F32FromUint64, I96F32FromInt64, u, i)
		checkFromInts(t, U96F32FromUint64, U96F32FromInt64, u, i)
	})
}

func FuzzPerquintill(f *testing.F) {
	f.Add(uint64(1), uint64(2), uint64(3), uint64(0))
	f.Add(uint64(math.MaxUint64), uint64(math.MaxUint64-1), uint64(1e18), uint64(7))
	f.Fuzz(func(t *testing.T, p, q, v, hi uint64) {
		checkFromRational(t, p, q)
		checkMulFloor(t, p, v)
		wp := uint256.Int{p, hi, 0, 0}
		wq := uint256.Int{q, v, 0, 0}
		checkFromRational256(t, &wp, &wq)
		checkIsqrt(t, hi, v)
	})
}

var (
	signedDigits   = regexp.MustCompile(`^-?[0-9]+$`)
	unsignedDigits = regexp.MustCompile(`^[0-9]+$`)
)

// checkParse requires the parser and math/big to agree on which strings
// are valid and on their values.
func checkParse[T fx[T]](t testing.TB, s string) {
	t.Helper()
	var zero T
	k := kindOf(zero)
	got, err := parseAs[T](s)
	re := unsignedDigits
	if k.signed {
		re = signedDigits
	}
	if !re.MatchString(s) {
		if !errors.Is(err, ErrSyntax) {
			t.Fatalf("Parse%sBits(%q) err = %v, want ErrSyntax", k.name, s, err)
		}
		return
	}
	v, _ := new(big.Int).SetString(s, 10)
	if !k.inRange(v) {
		if !errors.Is(err, ErrRange) {
			t.Fatalf("Parse%sBits(%q) err = %v, want ErrRange", k.name, s, err)
		}
		return
	}
	if err != nil || rawOf(got).Cmp(v) != 0 {
		t.Fatalf("Parse%sBits(%q) = %s, %v", k.name, s, rawOf(got), err)
	}
}

func checkParseAll(t testing.TB, s string) {
	t.Helper()
	checkParse[I32F32](t, s)
	checkParse[I64F64](t, s)
	checkParse[U64F64](t, s)
	checkParse[I96F32](t, s)
	checkParse[U96F32](t, s)
}

func FuzzParseBits(f *testing.F) {
	for _, s := range parseCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkParseAll(t, s) })
}
