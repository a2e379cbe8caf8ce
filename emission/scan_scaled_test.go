package emission

import (
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// scanIncreasingPrev is scanIncreasing as it was before the scaled
// shares: the same pass, with the U64F64 moving prices (movingPrice) as
// the shares and their sums taken with a carry flag (the wrapping sum is
// rootSum, the saturating one is it unless a word carried out). It is the
// reference of checkScanIncreasing and of the scaled shares' tests.
func (w *coinbaseWork) scanIncreasingPrev(subs []CoinbaseSubnet) (sums shareSums, ok bool) {
	lines := w.lines[:len(subs)]
	shares := w.share[:len(lines)]
	var hi, lo, carried uint64
	var all cbLine
	m := 0
	prev := uint16(0)
	for i := range subs {
		s := &subs[i]
		k := bits.ReverseBytes16(uint16(s.NetUID))
		if k <= prev || !s.Pool.Valid() {
			return sums, false
		}
		prev = k
		if !s.Emitting {
			continue
		}
		p := movingPrice(s)
		ph, pl := p.Bits()
		var c uint64
		lo, c = bits.Add64(lo, pl, 0)
		hi, c = bits.Add64(hi, ph, c)
		carried |= c
		mh, ml := s.MinerBurned.Bits()
		l := newLine(i, k, mh, ml, s.EmissionDisabled)
		all |= l
		lines[m] = l
		shares[m] = p
		m++
	}
	w.lines, w.share = w.lines[:m], w.share[:m]
	sums.rootSum = fixed.U64F64FromBits(hi, lo)
	sums.totalPrice = sums.rootSum
	if carried != 0 {
		sums.totalPrice = fixed.U64F64Max()
	}
	sums.anyBurned, sums.anyDisabled = all.burned(), all.disabled()
	return sums, true
}

// checkSharesScaled runs the coinbase's shares on in through scan (the
// scaled shares when scanIncreasing accepts the block) and through
// scanIncreasingPrev's unscaled prices (scanChecked's where it refuses),
// and requires the same lines, root sum and shares of the TAO emission.
func checkSharesScaled(t testing.TB, in *CoinbaseInput) {
	t.Helper()
	n := len(in.Subnets)
	var fast, ref coinbaseWork
	fast.grow(n)
	ref.grow(n)
	var seen netuidSet
	sums, err := fast.scan(in, &seen)
	wantSums, ok := ref.scanIncreasingPrev(in.Subnets)
	if !ok {
		var seen2 netuidSet
		var marked bool
		var werr error
		wantSums, marked, werr = ref.scanChecked(in, &seen2)
		if marked {
			for i := range in.Subnets {
				seen2[in.Subnets[i].NetUID/64] = 0
			}
		}
		if werr != nil {
			require.Error(t, err)
			return
		}
	}
	require.NoError(t, err)
	require.False(t, wantSums.scaled)
	require.Equal(t, ref.lines, fast.lines)
	require.Equal(t, wantSums.rootSum, sums.rootSum)
	fast.shares(in, sums)
	ref.shares(in, wantSums)
	require.Equal(t, ref.share, fast.share)
}

// The shares of the TAO emission from the scaled prices (numerator and
// divisor each 2^-32 of the U64F64 prices, the divisor one word) are
// those from the U64F64 prices: random blocks in storage order with
// prices from 0 to 2^64 and their edges, stable subnets, burning and
// disabled subnets, every weight 0 (every subnet burning wholly), and
// sums of the prices that end just below, at and past 2^32 TAO per alpha
// (the divisor's second word) and 2^64.
func TestCoinbaseSharesScaledMatchPrev(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 11))
	for range 20_000 {
		n := rng.IntN(24)
		in := CoinbaseInput{BlockEmission: 1_000_000_000}
		key := uint16(rng.IntN(3))
		for range n {
			key += uint16(1 + rng.IntN(2000))
			s := scanSubnet(rng, units.NetUID(key>>8|key<<8))
			switch rng.IntN(6) {
			case 0:
				s.MovingPrice = fixed.I96F32FromBits(0, rng.Uint64()) // below 1
			case 1:
				s.MovingPrice = fixed.I96F32FromBits(rng.Uint64N(64), rng.Uint64())
			case 2:
				s.MinerBurned = fixed.U96F32FromUint64(1) // weight 0
			}
			in.Subnets = append(in.Subnets, s)
		}
		checkSharesScaled(t, &in)
	}
	// Two subnets whose prices (I96F32 raw bits a and b) add up to each
	// edge of the divisor's words: 2^64 raw (2^32 TAO per alpha) and 2^96
	// raw (2^64), one below, at and past.
	for _, c := range []struct{ ah, al, bh, bl uint64 }{
		{0, 1<<63 - 1, 0, 1 << 63}, {0, 1 << 63, 0, 1 << 63}, {0, 1 << 63, 0, 1<<63 + 1},
		{0, ^uint64(0), 0, 0}, {0, ^uint64(0), 0, 1},
		{1<<31 - 1, ^uint64(0), 1 << 31, 0}, {1 << 31, 0, 1 << 31, 0}, {1<<32 - 1, ^uint64(0), 0, 1},
		{0, 1, 0, 1}, {0, 0, 0, 1}, {0, 0, 0, 0},
	} {
		in := CoinbaseInput{BlockEmission: 1_000_000_000,
			Subnets: []CoinbaseSubnet{dynamicSubnet(1, 1e12, 1e12, 0), dynamicSubnet(2, 1e12, 1e12, 0)}}
		in.Subnets[0].MovingPrice = fixed.I96F32FromBits(c.ah, c.al)
		in.Subnets[1].MovingPrice = fixed.I96F32FromBits(c.bh, c.bl)
		checkSharesScaled(t, &in)
		in.Subnets[1].Pool.Mechanism = amm.Stable
		checkSharesScaled(t, &in)
		in.Subnets[0].MinerBurned = fixed.U96F32FromUint64(1)
		in.Subnets[1].MinerBurned = fixed.U96F32FromUint64(1)
		checkSharesScaled(t, &in)
	}
}

func FuzzCoinbaseSharesScaled(f *testing.F) {
	f.Add(uint64(3), uint8(5), uint64(0), uint64(1<<40))
	f.Add(uint64(9), uint8(2), uint64(1<<31), uint64(0))
	f.Fuzz(func(t *testing.T, seed uint64, n uint8, hi, lo uint64) {
		rng := rand.New(rand.NewPCG(seed, 18))
		in := CoinbaseInput{BlockEmission: 1_000_000_000}
		key := uint16(0)
		for k := range int(n % 24) {
			key += uint16(1 + rng.IntN(2000))
			s := scanSubnet(rng, units.NetUID(key>>8|key<<8))
			if k%2 == 0 {
				s.MovingPrice = fixed.I96F32FromBits(hi>>(k%40), lo)
			}
			in.Subnets = append(in.Subnets, s)
		}
		checkSharesScaled(t, &in)
	})
}
