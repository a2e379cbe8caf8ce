package emission

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// scanErrRef is the check of Coinbase's input as first written, the
// reference of scan's errors: each subnet in order is refused when it is
// root, when an earlier subnet has its netuid (naming the first), or when
// its pool is invalid.
func scanErrRef(in *CoinbaseInput) error {
	for i := range in.Subnets {
		s := &in.Subnets[i]
		if s.NetUID == 0 {
			return fmt.Errorf("%w: Subnets[%d]", ErrRootSubnet, i)
		}
		for j := range i {
			if in.Subnets[j].NetUID == s.NetUID {
				return fmt.Errorf("%w: netuid %d at Subnets[%d] and [%d]", ErrDuplicateSubnet, s.NetUID, j, i)
			}
		}
		if err := s.Pool.Validate(); err != nil {
			return fmt.Errorf("emission: Coinbase: pool of netuid %d (Subnets[%d]): %w", s.NetUID, i, err)
		}
	}
	return nil
}

// scan refuses what the reference refuses, with the same error, whether
// the netuids' storage-order keys increase throughout (no bit set is
// used), stop increasing somewhere (a repeated netuid, one above 255, a
// smaller one), or never do; and the Coinbaser's netuid set is clear
// after every block, refused or not.
func TestScanErrorsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 94))
	var z Coinbaser
	for range 3000 {
		n := 1 + rng.IntN(12)
		in := CoinbaseInput{BlockEmission: 1_000_000_000, TaoWeight: ^uint64(0), RootTAO: fullRootTAO}
		id := units.NetUID(rng.IntN(4))
		for range n {
			s := dynamicSubnet(id, 1_000_000_000_000, 1_000_000_000_000, 1)
			s.Emitting = rng.IntN(4) != 0
			in.Subnets = append(in.Subnets, s)
			id += units.NetUID(1 + rng.IntN(3))
		}
		for range rng.IntN(3) {
			i := rng.IntN(n)
			switch rng.IntN(5) {
			case 0: // a repeat of an earlier netuid
				in.Subnets[i].NetUID = in.Subnets[rng.IntN(i+1)].NetUID
			case 1: // above 255: stored before the small ones
				in.Subnets[i].NetUID = units.NetUID(256 + rng.IntN(600))
			case 2:
				in.Subnets[i].NetUID = 0
			case 3:
				in.Subnets[i].Pool.QuoteWeight = 0
			default:
				in.Subnets[i].NetUID = units.NetUID(rng.IntN(40))
			}
		}
		want := scanErrRef(&in)
		ref := in
		ref.Subnets = append([]CoinbaseSubnet(nil), in.Subnets...)
		_, err := Coinbase(&ref)
		_, zerr := z.Coinbase(&in)
		if want == nil {
			require.NoError(t, err)
			require.NoError(t, zerr)
		} else {
			require.Error(t, err)
			require.Error(t, zerr)
			require.Equal(t, want.Error(), err.Error())
			require.Equal(t, want.Error(), zerr.Error())
		}
		require.True(t, z.seen == netuidSet{}, "the netuid set is not cleared")
	}
}

// SubnetTAOEmission's one-word product for shares below 1 is the chain's
// U96F32(U64F64(blockEmission) ·sat share): random and edge emissions
// and shares, below and above 1.
func TestSubnetTAOEmissionMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 95))
	ref := func(e units.TAO, share fixed.U64F64) fixed.U96F32 {
		return fixed.U64F64FromUint64(uint64(e)).SaturatingMul(share).SaturatingToU96F32()
	}
	edges := []uint64{0, 1, 2, 1e9, 1 << 63, math.MaxUint64 - 1, math.MaxUint64}
	for _, e := range edges {
		for _, hi := range []uint64{0, 1, 2, math.MaxUint64} {
			for _, lo := range edges {
				share := fixed.U64F64FromBits(hi, lo)
				require.Equal(t, ref(units.TAO(e), share), SubnetTAOEmission(units.TAO(e), share), "emission %d, share %v", e, share)
			}
		}
	}
	for range 100_000 {
		e := units.TAO(rng.Uint64() >> rng.IntN(64))
		share := fixed.U64F64FromBits(0, rng.Uint64()>>rng.IntN(64))
		if rng.IntN(8) == 0 {
			share = fixed.U64F64FromBits(rng.Uint64()>>rng.IntN(64), rng.Uint64())
		}
		require.Equal(t, ref(e, share), SubnetTAOEmission(e, share), "emission %d, share %v", e, share)
	}
}

func FuzzSubnetTAOEmission(f *testing.F) {
	f.Add(uint64(1e9), uint64(0), uint64(1<<62))
	f.Add(uint64(math.MaxUint64), uint64(1), uint64(0))
	f.Fuzz(func(t *testing.T, e, hi, lo uint64) {
		share := fixed.U64F64FromBits(hi, lo)
		want := fixed.U64F64FromUint64(e).SaturatingMul(share).SaturatingToU96F32()
		if got := SubnetTAOEmission(units.TAO(e), share); got != want {
			t.Fatalf("emission %d, share %v: %v, want %v", e, share, got, want)
		}
	})
}
