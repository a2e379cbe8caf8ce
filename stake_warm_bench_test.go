package dtao

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// BenchmarkWarmStakesChunked reads the stake of four coldkeys, each in a
// pool taken at random among 4096 pools of 320 holders (seven chunks
// each, 115 MB, beyond the processor's caches): pools of several chunks
// out of the cache, as the stake calls of sim.BenchConfig find its 4,112
// validators' pools from a simulated year's first months on (they hold
// about 600 entries each after half a year, BenchmarkStepGrown's
// network). With WarmStakes first (warm), as package sim's agents do, or
// without (cold). One op is the four reads.
func BenchmarkWarmStakesChunked(b *testing.B) {
	const pools, holders, calls = 4096, 320, 4
	l := testNetwork(b)
	hotkeys := make([]units.AccountID, pools)
	keys := make([]units.AccountID, pools*holders)
	var seed [8]byte
	for i := range hotkeys {
		binary.LittleEndian.PutUint64(seed[:], uint64(i))
		hotkeys[i] = sha256.Sum256(append([]byte("hotkey"), seed[:]...))
		es := make([]shareEntry, holders)
		for j := range es {
			binary.LittleEndian.PutUint64(seed[:], uint64(i*holders+j))
			es[j] = shareEntry{sha256.Sum256(seed[:]), fixed.SafeFloatFromUint64(uint64(1_000 + j))}
			keys[i*holders+j] = es[j].coldkey
		}
		slices.SortFunc(es, func(a, b shareEntry) int { return bytes.Compare(a.coldkey[:], b.coldkey[:]) })
		p := NewSharePool(units.Alpha(holders*1_000_000), fixed.SafeFloatFromUint64(holders*1_000))
		p.fill(es)
		if p.more == nil || len(p.more.chunks) < 6 {
			b.Fatalf("pool %d: not in several chunks", i)
		}
		l.stake.set(stakeKey{hotkeys[i], 1}, p)
	}
	for _, warm := range []bool{true, false} {
		name := "cold"
		if warm {
			name = "warm"
		}
		b.Run(name, func(b *testing.B) {
			x := uint64(88172645463325252)
			var refs [calls]StakeRef
			var sum units.Alpha
			b.ReportAllocs()
			for b.Loop() {
				for m := range refs {
					x ^= x << 13
					x ^= x >> 7
					x ^= x << 17
					i := int(x % pools)
					refs[m] = StakeRef{Coldkey: keys[i*holders+int(x>>32)%holders], Hotkey: hotkeys[i], NetUID: 1}
				}
				if warm {
					l.WarmStakes(refs[:])
				}
				for _, r := range refs {
					sum += l.Stake(r.Hotkey, r.Coldkey, r.NetUID)
				}
			}
			if sum == 0 {
				b.Fatal("no stake read")
			}
		})
	}
}
