package emission

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// scanSubnet is a subnet for the scan tests: a valid pool, and the fields
// scan reads drawn from rng, the moving price among them from the edges
// (negative, zero, the largest U64F64, past it) as often as not.
func scanSubnet(rng *rand.Rand, netuid units.NetUID) CoinbaseSubnet {
	s := dynamicSubnet(netuid, 1+rng.Uint64N(1e15), 1+rng.Uint64N(1e15), 0)
	s.Emitting = rng.IntN(4) != 0
	s.EmissionDisabled = rng.IntN(6) == 0
	if rng.IntN(8) == 0 {
		s.Pool.Mechanism = amm.Stable
	}
	switch rng.IntN(8) {
	case 0:
		s.MovingPrice = fixed.I96F32FromBits(^uint64(0), rng.Uint64()) // negative: 0
	case 1:
		s.MovingPrice = fixed.I96F32FromBits(1<<32-1, ^uint64(0)) // the largest U64F64
	case 2:
		s.MovingPrice = fixed.I96F32FromBits(1<<32+rng.Uint64N(1<<20), rng.Uint64()) // saturates
	case 3:
		s.MovingPrice = fixed.I96F32{}
	default:
		s.MovingPrice = fixed.I96F32FromBits(rng.Uint64N(1<<33), rng.Uint64())
	}
	if rng.IntN(5) == 0 {
		s.MinerBurned = fixed.U96F32FromBits(0, 1+rng.Uint64N(1<<32))
	}
	return s
}

// checkScanIncreasing compares scanIncreasing with scanChecked (the
// general pass, which accepts any input) on in: when scanIncreasing
// accepts the block, the lines and the sums are scanChecked's, the
// moving prices and their total are scanChecked's scaled by 2^-32
// (exactly: shifted back up they are the same bits), and scanChecked
// leaves seen unmarked; scanIncreasing refuses exactly the blocks whose
// storage-order keys do not strictly increase (netuid 0 among them), that
// hold an invalid pool, an emitting subnet's moving price outside [0,
// 2^64) (negative, or saturating the U64F64) or prices that add up to
// 2^128 or more. scanIncreasingPrev, the loop before the scaled shares,
// accepts all of them but the last two and gives scanChecked's values.
func checkScanIncreasing(t testing.TB, in *CoinbaseInput) {
	t.Helper()
	n := len(in.Subnets)
	var fast, ref, prev coinbaseWork
	fast.grow(n)
	ref.grow(n)
	prev.grow(n)
	sums, ok := fast.scanIncreasing(in.Subnets)
	prevSums, prevOK := prev.scanIncreasingPrev(in.Subnets)
	var seen netuidSet
	wantSums, marked, err := ref.scanChecked(in, &seen)
	increasing := true
	for i := range in.Subnets {
		s := &in.Subnets[i]
		if s.NetUID == 0 || !s.Pool.Valid() || i > 0 && StorageOrder(in.Subnets[i-1].NetUID, s.NetUID) >= 0 {
			increasing = false
		}
	}
	require.Equal(t, increasing, prevOK, "scanIncreasingPrev's verdict")
	inRange := increasing
	total := new(big.Int)
	for i := range in.Subnets {
		s := &in.Subnets[i]
		if !s.Emitting || s.Pool.Mechanism == amm.Stable {
			if s.Emitting {
				total.Add(total, new(big.Int).Lsh(big.NewInt(1), 64))
			}
			continue
		}
		hi, lo := s.MovingPrice.Bits()
		if hi>>32 != 0 {
			inRange = false
		}
		total.Add(total, u128Big(hi<<32|lo>>32, lo<<32))
	}
	if total.BitLen() > 128 {
		inRange = false
	}
	require.Equal(t, inRange, ok, "scanIncreasing's verdict")
	if prevOK {
		require.NoError(t, err)
		require.False(t, marked)
		require.Equal(t, wantSums, prevSums)
		require.Equal(t, ref.lines, prev.lines)
		require.Equal(t, ref.share, prev.share)
	}
	if !ok {
		return
	}
	require.True(t, sums.scaled)
	require.Equal(t, ref.lines, fast.lines)
	require.Equal(t, wantSums.rootSum, sums.rootSum)
	require.Equal(t, wantSums.anyBurned, sums.anyBurned)
	require.Equal(t, wantSums.anyDisabled, sums.anyDisabled)
	require.Equal(t, wantSums.totalPrice, shl32(t, sums.totalPrice), "the scaled total")
	require.Equal(t, len(ref.share), len(fast.share))
	for k := range fast.share {
		require.Equal(t, ref.share[k], shl32(t, fast.share[k]), "the scaled price of line %d", k)
	}
}

// shl32 is x·2^32 for an x below 2^96.
func shl32(t testing.TB, x fixed.U64F64) fixed.U64F64 {
	t.Helper()
	hi, lo := x.Bits()
	require.Zero(t, hi>>32, "a scaled value below 2^96")
	return fixed.U64F64FromBits(hi<<32|lo>>32, lo<<32)
}

// u128Big is the 128-bit integer of words hi, lo.
func u128Big(hi, lo uint64) *big.Int {
	v := new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
	return v.Or(v, new(big.Int).SetUint64(lo))
}

// scanIncreasing against scanChecked on random blocks in storage order
// (netuids ascending below 256, and past it in key order), on blocks that
// break the order or hold netuid 0 or an invalid pool, and on moving
// prices whose sum ends just below, at and past 2^128 (the saturating sum
// against the wrapping one).
func TestScanIncreasingMatchesChecked(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 96))
	for range 5000 {
		n := rng.IntN(20)
		in := CoinbaseInput{BlockEmission: 1_000_000_000, TaoWeight: ^uint64(0), RootTAO: fullRootTAO}
		key := uint16(rng.IntN(3))
		for range n {
			key += uint16(1 + rng.IntN(4000))
			in.Subnets = append(in.Subnets, scanSubnet(rng, units.NetUID(key>>8|key<<8)))
		}
		if n > 0 && rng.IntN(3) == 0 {
			i := rng.IntN(n)
			switch rng.IntN(4) {
			case 0:
				in.Subnets[i].NetUID = 0
			case 1:
				in.Subnets[i].NetUID = in.Subnets[rng.IntN(n)].NetUID
			case 2:
				in.Subnets[i].Pool.QuoteWeight = amm.MaxWeight + 1
			default:
				in.Subnets[i].Pool.FeeRate = amm.MaxFeeRate + 1
			}
		}
		checkScanIncreasing(t, &in)
	}
	// Sums at 2^128 − 1, 2^128 and past it: two emitting subnets whose
	// moving prices (raw U64F64 bits a and b) add to each.
	maxHi, maxLo := fixed.U64F64Max().Bits()
	for _, c := range []struct{ ah, al, bh, bl uint64 }{
		{maxHi, maxLo - 1, 0, 1},    // 2^128 − 1: no carry
		{maxHi, maxLo, 0, 1},        // 2^128: carries into nothing
		{maxHi, maxLo, maxHi, 0},    // past it
		{1 << 63, 0, 1 << 63, 0},    // the top words carry
		{0, maxLo, 0, 1},            // the low words carry, the top does not
		{maxHi >> 1, 0, 1 << 63, 0}, // 2^128 − 2^64: no carry
	} {
		in := CoinbaseInput{Subnets: []CoinbaseSubnet{dynamicSubnet(1, 1e12, 1e12, 0), dynamicSubnet(2, 1e12, 1e12, 0)}}
		in.Subnets[0].MovingPrice = i96OfU64F64(c.ah, c.al)
		in.Subnets[1].MovingPrice = i96OfU64F64(c.bh, c.bl)
		checkScanIncreasing(t, &in)
	}
}

// i96OfU64F64 is the I96F32 whose SaturatingToU64F64 is the U64F64 of raw
// bits (hi, lo) when lo's low 32 bits are 0, and otherwise those bits
// floored to 2^-32: the scan's moving prices are I96F32.
func i96OfU64F64(hi, lo uint64) fixed.I96F32 {
	return fixed.I96F32FromBits(hi>>32, hi<<32|lo>>32)
}

func FuzzScanIncreasing(f *testing.F) {
	f.Add(uint64(1), uint8(5), uint64(0), uint64(1<<32))
	f.Add(uint64(7), uint8(2), ^uint64(0), ^uint64(0))
	f.Fuzz(func(t *testing.T, seed uint64, n uint8, hi, lo uint64) {
		rng := rand.New(rand.NewPCG(seed, 14))
		in := CoinbaseInput{}
		key := uint16(0)
		for k := range int(n % 24) {
			key += uint16(1 + rng.IntN(3000))
			s := scanSubnet(rng, units.NetUID(key>>8|key<<8))
			if k%2 == 0 {
				// The fuzzed words as the moving price, through every
				// saturation of the conversion and the sums.
				s.MovingPrice = fixed.I96F32FromBits(hi, lo)
			}
			in.Subnets = append(in.Subnets, s)
		}
		checkScanIncreasing(t, &in)
	})
}

// A packed line gives back its index, key and flags, on the edges of
// each field (MinerBurned non-zero in either word or both).
func TestNewLineFields(t *testing.T) {
	words := [][2]uint64{{0, 0}, {0, 1}, {1, 0}, {1 << 63, 0}, {0, 1 << 63}, {math.MaxUint64, math.MaxUint64}}
	for _, i := range []int{0, 1, 127, 1<<16 - 1, 1<<32 - 1} {
		for _, k := range []uint16{0, 1, 1 << 8, 1<<16 - 1} {
			for _, mw := range words {
				for _, disabled := range []bool{false, true} {
					l := newLine(i, k, mw[0], mw[1], disabled)
					burned := mw[0]|mw[1] != 0
					if l.index() != i || l.key() != k || l.burned() != burned || l.disabled() != disabled {
						t.Fatalf("newLine(%d, %d, %#x, %#x, %v): index %d, key %d, burned %v, disabled %v",
							i, k, mw[0], mw[1], disabled, l.index(), l.key(), l.burned(), l.disabled())
					}
				}
			}
		}
	}
}
