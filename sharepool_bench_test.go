package dtao

import (
	"crypto/sha256"
	"testing"

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
