package dtao

import (
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// benchPool is a pool of n holders whose coldkeys are hashes (so that
// they spread over the key space as real accounts do), each staked
// 1,000 + i alpha, with a dividend paid so that V and the denominator
// differ.
func benchPool(b *testing.B, n int) (*SharePool, []units.AccountID) {
	var p SharePool
	keys := make([]units.AccountID, n)
	for i := range keys {
		keys[i] = sha256.Sum256([]byte{byte(i), byte(i >> 8)})
		if err := p.Stake(keys[i], units.Alpha(1_000_000_000+uint64(i))); err != nil {
			b.Fatal(err)
		}
	}
	if err := p.Dividend(123_456_789); err != nil {
		b.Fatal(err)
	}
	return &p, keys
}

// BenchmarkSharePool measures the pool's operations on a pool of 64
// holders, cycling through them: Stake (the distribution's payouts),
// Stake then Unstake of the same amount (a stake call's pool work), Value.
func BenchmarkSharePool(b *testing.B) {
	b.Run("Stake", func(b *testing.B) {
		p, keys := benchPool(b, 64)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_ = p.Stake(keys[i&63], 1_234_567)
			i++
		}
	})
	b.Run("StakeUnstake", func(b *testing.B) {
		p, keys := benchPool(b, 64)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_ = p.Stake(keys[i&63], 1_234_567)
			_, _ = p.Unstake(keys[i&63], 1_000_000)
			i++
		}
	})
	b.Run("Value", func(b *testing.B) {
		p, keys := benchPool(b, 64)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_ = p.Value(keys[i&63])
			i++
		}
	})
}

// BenchmarkSharePoolCold reads a holder's value (Value, a search of the
// holder's entry) in one of 8192 pools of 48 holders taken at random,
// ~20 MB of entries: as the ledger's stake calls meet the pools, out of
// the processor's caches.
func BenchmarkSharePoolCold(b *testing.B) {
	const pools, holders = 8192, 48
	ps := make([]*SharePool, pools)
	keys := make([]units.AccountID, pools*holders)
	for i := range ps {
		ps[i] = &SharePool{}
		for j := range holders {
			k := sha256.Sum256([]byte{byte(i), byte(i >> 8), byte(j)})
			keys[i*holders+j] = k
			if err := ps[i].Stake(k, units.Alpha(1_000_000_000+uint64(j))); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("prefixes", func(b *testing.B) {
		b.ReportAllocs()
		x := uint64(88172645463325252)
		var sum units.Alpha
		for b.Loop() {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			i := int(x % pools)
			sum += ps[i].Value(keys[i*holders+int(x>>32)%holders])
		}
		if sum == 0 {
			b.Fatal("no value read")
		}
	})
}

// BenchmarkSharePoolInsert sets a share of a new coldkey in a pool of n
// holders and clears it (an entry inserted, then deleted), cycling
// through n coldkeys that fall between the holders'.
func BenchmarkSharePoolInsert(b *testing.B) {
	for _, n := range []int{48, 1024, 8192} {
		p, _ := benchPool(b, n)
		fresh := make([]units.AccountID, n)
		for i := range fresh {
			fresh[i] = sha256.Sum256([]byte{byte(i), byte(i >> 8), 1})
		}
		one := fixed.SafeFloatFromUint64(1)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				c := fresh[i%n]
				p.SetShare(c, one)
				p.SetShare(c, fixed.SafeFloat{})
				i++
			}
			if p.Len() != n {
				b.Fatalf("%d holders, want %d", p.Len(), n)
			}
		})
	}
}
