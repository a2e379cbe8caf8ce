package subnet

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// randomKey is a hash-like hotkey, as the ledger's accounts are: the
// uid order says nothing of the hotkey order.
func randomKey(n uint64) units.AccountID {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], n)
	return units.AccountID(sha256.Sum256(b[:]))
}

// ledgerShape is the subnet of the ledger benchmark (sim.BenchConfig): n
// uids with hash-like hotkeys, commit-reveal off, validator permits on the
// first v uids, and per validator 32 distinct target uids with random
// values.
type ledgerShape struct {
	s      *Subnet
	v      int
	uids   [][]uint16
	values [][]uint16
}

func newLedgerShape(tb testing.TB, n, v int) *ledgerShape {
	tb.Helper()
	s, err := New(1, randomKey(1<<40), randomKey(0), amm.NewPool(1e15, 1e15), 1)
	if err != nil {
		tb.Fatal(err)
	}
	h := &s.Hyperparameters
	for _, err := range []error{
		h.SetCommitRevealWeightsEnabled(OriginRoot, false),
		h.SetMaxAllowedUids(OriginRoot, uint16(n), s.N()),
	} {
		if err != nil {
			tb.Fatal(err)
		}
	}
	for i := 1; i < n; i++ {
		s.appendNeuron(randomKey(uint64(i)), randomKey(1<<40+uint64(i)), uint64(1+i))
	}
	for i := range v {
		s.validatorPermit[i] = true
	}
	r := rand.New(rand.NewPCG(7, uint64(n)))
	ls := &ledgerShape{s: s, v: v}
	for range v {
		perm := r.Perm(n)[:32]
		u, w := make([]uint16, 32), make([]uint16, 32)
		for j, p := range perm {
			u[j], w[j] = uint16(p), uint16(1+r.UintN(65535))
		}
		ls.uids, ls.values = append(ls.uids, u), append(ls.values, w)
	}
	return ls
}

// BenchmarkSetWeights is one set_weights call of the ledger benchmark's
// shape: a permitted validator of a 256-uid subnet re-sets 32 weights
// (its row already stored, so the row's room is reused). The validators
// take turns, two blocks apart, so the rate limit always passes.
func BenchmarkSetWeights(b *testing.B) {
	ls := newLedgerShape(b, 256, 64)
	s := ls.s
	block := uint64(1000)
	call := func(i int) {
		who := Signer{Hotkey: s.hotkeys[i], Stake: 1e12}
		if err := s.SetWeights(Now{Block: block}, who, 0, ls.uids[i], ls.values[i], 0); err != nil {
			b.Fatal(err)
		}
		block += 2
	}
	for i := range ls.v {
		call(i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		call(i)
		if i++; i == ls.v {
			i = 0
		}
	}
}

// BenchmarkHotkeyEmissions is RunEpoch's own work after the consensus
// epoch on the ledger benchmark's shape: the per-hotkey output lines of a
// 256-uid subnet with hash-like hotkeys, in hotkey order.
func BenchmarkHotkeyEmissions(b *testing.B) {
	s := newLedgerShape(b, 256, 64).s
	server, validator := make([]units.Alpha, 256), make([]units.Alpha, 256)
	for i := range server {
		server[i], validator[i] = units.Alpha(i), units.Alpha(2*i)
	}
	dst := s.hotkeyEmissions(nil, server, validator)
	b.ReportAllocs()
	for b.Loop() {
		dst = s.hotkeyEmissions(dst, server, validator)
	}
}

// BenchmarkRunEpochLedgerShape is one epoch of the ledger benchmark's
// subnet (256 uids with hash-like hotkeys, 64 validators with 32 weights
// each): the consensus epoch plus RunEpoch's own overhead (assembling
// the input, storing the outputs, the hotkey-ordered lines).
func BenchmarkRunEpochLedgerShape(b *testing.B) {
	ls := newLedgerShape(b, 256, 64)
	s := ls.s
	stake := StakeView{Alpha: make([]units.Alpha, 256)}
	for i := range ls.v {
		stake.Alpha[i] = units.Alpha(1e12 + uint64(i)*1e10)
		who := Signer{Hotkey: s.hotkeys[i], Stake: uint64(stake.Alpha[i])}
		if err := s.SetWeights(Now{Block: 900}, who, 0, ls.uids[i], ls.values[i], 0); err != nil {
			b.Fatal(err)
		}
	}
	var ws Workspace
	at := Now{Block: 1000}
	if _, err := s.RunEpoch(at, 1e12, stake, &ws); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.RunEpoch(at, 1e12, stake, &ws); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetWeightsMany is BenchmarkSetWeights on many such subnets,
// the calls taking turns across the subnets as the ledger benchmark's
// agents do, so that each call finds little of its subnet's data in the
// cache: with 1024 subnets (some 40 MB) nearly every line a call reads
// comes from memory, as in a simulation whose other work evicts a
// subnet's data between two of its validators' calls. The uid lookup,
// the rate limit, the permit and the row cost their cache misses here.
func BenchmarkSetWeightsMany(b *testing.B) {
	for _, subnets := range []int{64, 1024} {
		b.Run(fmt.Sprintf("subnets=%d", subnets), func(b *testing.B) { benchSetWeightsMany(b, subnets) })
	}
}

func benchSetWeightsMany(b *testing.B, subnets int) {
	shapes := make([]*ledgerShape, subnets)
	for k := range shapes {
		shapes[k] = newLedgerShape(b, 256, 64)
	}
	block := uint64(1000)
	call := func(k, i int) {
		ls := shapes[k]
		who := Signer{Hotkey: ls.s.hotkeys[i], Stake: 1e12}
		if err := ls.s.SetWeights(Now{Block: block}, who, 0, ls.uids[i], ls.values[i], 0); err != nil {
			b.Fatal(err)
		}
	}
	for k := range shapes {
		for i := range 64 {
			call(k, i)
		}
	}
	// A validator calls again 64 rounds of 2 blocks later, beyond the
	// rate limit of 100 blocks.
	block += 128
	b.ReportAllocs()
	k, i := 0, 0
	for b.Loop() {
		call(k, i)
		if k++; k == subnets {
			k, block = 0, block+2
			if i++; i == 64 {
				i = 0
			}
		}
	}
}

// BenchmarkUIDLookup is the caller's uid lookup of a set_weights call on
// the ledger benchmark's shape, across 1024 subnets of 256 uids taking
// turns (so that each lookup finds little in the cache): index is UID
// (the uid index), search the binary search of byHotkey it replaced.
func BenchmarkUIDLookup(b *testing.B) {
	const subnets = 1024
	shapes := make([]*Subnet, subnets)
	keys := make([][]units.AccountID, subnets) // the callers' copies
	for k := range shapes {
		shapes[k] = newLedgerShape(b, 256, 0).s
		keys[k] = shapes[k].Hotkeys()
	}
	for _, c := range []struct {
		name   string
		lookup func(s *Subnet, h *units.AccountID) (units.UID, bool)
	}{
		{"index", func(s *Subnet, h *units.AccountID) (units.UID, bool) { return s.lookupUID(h) }},
		{"search", func(s *Subnet, h *units.AccountID) (units.UID, bool) {
			if pos, ok := s.hotkeyRank(h); ok {
				return s.byHotkey[pos].uid, true
			}
			return 0, false
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			k, i := 0, 0
			for b.Loop() {
				s := shapes[k]
				if _, ok := c.lookup(s, &keys[k][(i*37)&255]); !ok {
					b.Fatal("not found")
				}
				if k++; k == subnets {
					k, i = 0, i+1
				}
			}
		})
	}
}
