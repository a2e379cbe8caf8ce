package dtao

import (
	"bytes"
	"crypto/sha256"
	"math/rand/v2"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// StateHash is the SHA-256 of the snapshot's payload, and every change of
// state, in any part of the genesis, changes it.
func TestStateHashCoversTheState(t *testing.T) {
	g := fullGenesis(t)
	l, err := NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	snap := snapshotOf(t, l)
	if sha256.Sum256(payloadOf(snap)) != l.StateHash() {
		t.Fatal("StateHash is not the SHA-256 of the payload")
	}
	base := l.StateHash()
	edits := map[string]func(l *Ledger){
		"block":        func(l *Ledger) { l.block++ },
		"author":       func(l *Ledger) { l.hasAuthor = false },
		"param":        func(l *Ledger) { l.params.TxRateLimit++ },
		"moving price": func(l *Ledger) { l.subnets[1].MovingPrice = l.subnets[1].MovingPrice.Add(l.subnets[1].MovingPrice) },
		"schedule":     func(l *Ledger) { l.subnets[2].Schedule.EpochIndex++ },
		"share": func(l *Ledger) {
			l.stake.pool(l.stakeKeys()[0]).firstEntry().share = l.stake.pool(l.stakeKeys()[1]).firstEntry().share
		},
		"pending child": func(l *Ledger) {
			l.pendingChildren[stakeKey{units.AccountID{0xb0, 1, 2}, 1}] = PendingChildren{CooldownBlock: 1}
		},
		"rate limit":      func(l *Ledger) { l.rateLimits[RateLimitKey{Kind: RateLimitTx}] = 1 },
		"lock cost":       func(l *Ledger) { l.lastLockCost++ },
		"claim threshold": func(l *Ledger) { delete(l.rootClaimThreshold, 1) },
		"neuron":          func(l *Ledger) { l.nets[1].Burn++ },
	}
	for name, edit := range edits {
		c, err := NewLedger(g)
		if err != nil {
			t.Fatal(err)
		}
		if c.StateHash() != base {
			t.Fatal("two ledgers from one genesis hash differently")
		}
		edit(c)
		if c.StateHash() == base {
			t.Errorf("%s: the hash did not change", name)
		}
	}
}

// bigGenesis is the size the issue names: 128 subnets of 256 neurons, 64
// validators each weighting every miner, and stakers spread over them,
// stakers coldkeys in all.
func bigGenesis(tb testing.TB, stakers int) GenesisConfig {
	tb.Helper()
	b := NewBuilder().Root(1_000_000_000_000_000)
	key := func(kind byte, netuid units.NetUID, i int) units.AccountID {
		return units.AccountID{kind, byte(netuid), byte(netuid >> 8), byte(i), byte(i >> 8), byte(i >> 16)}
	}
	for id := units.NetUID(1); id <= 128; id++ {
		owner, ownerHk := key(0xe0, id, 0), key(0xe1, id, 0)
		pool := amm.NewPool(10_000_000_000_000, 100_000_000_000_000)
		sn, err := subnet.New(id, owner, ownerHk, pool, 0)
		if err != nil {
			tb.Fatal(err)
		}
		st := sn.Storage()
		st.Hyperparameters.MaxAllowedUids = 256
		for i := 1; i < 256; i++ {
			st.Keys = append(st.Keys, key(0xb0, id, i))
			st.Owners = append(st.Owners, key(0xc0, id, i))
			st.BlockAtRegistration = append(st.BlockAtRegistration, 0)
			st.Active = append(st.Active, true)
			st.Emission = append(st.Emission, units.Alpha(i))
			st.Consensus = append(st.Consensus, uint16(i))
			st.Dividends = append(st.Dividends, uint16(i))
			st.ValidatorTrust = append(st.ValidatorTrust, uint16(i))
			st.ValidatorPermit = append(st.ValidatorPermit, i <= 64)
		}
		rows := make([][]consensus.Entry, 256)
		for v := 1; v <= 64; v++ {
			for m := 65; m < 256; m++ {
				rows[v] = append(rows[v], consensus.Entry{UID: units.UID(m), Value: uint16(v*m + 1)})
			}
		}
		st.Weights = [][][]consensus.Entry{rows}
		st.Bonds = [][][]consensus.Entry{rows}
		b.SubnetWith(GenesisSubnet{NetUID: id, Owner: owner, OwnerHotkey: ownerHk, Pool: pool, Storage: &st,
			MovingPrice: pool.Price().U64F64().SaturatingToI96F32()})
	}
	for i := range stakers {
		id := units.NetUID(1 + i%128)
		c := key(0xd0, 0, i)
		b.Account(c, 1_000_000_000)
		b.Stake(key(0xb0, id, 1+(i/128)%64), c, id, units.Alpha(1_000_000+i))
	}
	return b.Genesis()
}

func benchLedger(b *testing.B) *Ledger {
	b.Helper()
	l, err := NewLedger(bigGenesis(b, 200_000))
	if err != nil {
		b.Fatal(err)
	}
	return l
}

func BenchmarkWriteSnapshotLarge(b *testing.B) {
	l := benchLedger(b)
	var buf bytes.Buffer
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		if err := l.WriteSnapshot(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}

func BenchmarkReadSnapshotLarge(b *testing.B) {
	l := benchLedger(b)
	var buf bytes.Buffer
	if err := l.WriteSnapshot(&buf); err != nil {
		b.Fatal(err)
	}
	snap := buf.Bytes()
	b.ResetTimer()
	for b.Loop() {
		if _, err := ReadSnapshot(bytes.NewReader(snap)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStateHashLarge(b *testing.B) {
	l := benchLedger(b)
	b.ResetTimer()
	for b.Loop() {
		l.StateHash()
	}
}

func BenchmarkGenesisJSONLarge(b *testing.B) {
	l := benchLedger(b)
	var buf bytes.Buffer
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		if err := WriteGenesisJSON(&buf, l.Genesis()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}

// chunkedLedger is a ledger whose share pools hold several chunks (and
// one a single chunk), stepped a few blocks.
func chunkedLedger(t testing.TB) *Ledger {
	t.Helper()
	owner, ownerHk := units.AccountID{0xe0}, units.AccountID{0xe1}
	hot := [2]units.AccountID{{0xb0, 1}, {0xb0, 2}}
	b := NewBuilder().Root(1_000_000_000_000).Subnet(1, owner, ownerHk, 10_000_000_000_000, 100_000_000_000_000).
		Hotkey(ownerHk, owner).Hotkey(hot[0], owner).Hotkey(hot[1], owner)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 3*chunkMax + 7 {
		c := randomColdkey(r)
		b.Account(c, 1_000_000_000)
		b.Stake(hot[0], c, 1, units.Alpha(1_000_000+i))
		if i%5 == 0 {
			b.Stake(hot[1], c, 1, units.Alpha(2_000_000+i))
		}
	}
	l, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := l.Step(); err != nil {
			t.Fatal(err)
		}
	}
	if l.stake.pool(stakeKey{hot[0], 1}).more == nil || l.stake.pool(stakeKey{hot[1], 1}).more != nil {
		t.Fatal("want a pool of several chunks and one of one")
	}
	return l
}

// pinEntry pins the entry of a middle holder of the pool of several
// chunks of l, a chunkedLedger (SharePool.pin).
func pinEntry(t testing.TB, l *Ledger) {
	t.Helper()
	p := l.stake.pool(stakeKey{units.AccountID{0xb0, 1}, 1})
	var cs []units.AccountID
	for c := range p.Holders() {
		cs = append(cs, c)
	}
	at := -1
	p.pin(&cs[len(cs)/2], &at)
	if !p.more.pinned() || at != pinPos || p.Len() != len(cs) {
		t.Fatal("the pool did not pin the entry")
	}
}

// The state's encoding, which StateHash digests and a snapshot holds,
// writes the share pools' holders from the pools (encodeState): it is
// the encoding of Genesis() whole, for pools of one chunk and of several,
// with a pinned entry and without.
func TestStateEncodingIsGenesis(t *testing.T) {
	full, err := NewLedger(fullGenesis(t))
	if err != nil {
		t.Fatal(err)
	}
	pinned := chunkedLedger(t)
	pinEntry(t, pinned)
	for name, l := range map[string]*Ledger{"full": full, "stepped": steppedNetwork(t, 40), "chunked": chunkedLedger(t), "pinned": pinned} {
		g := l.Genesis()
		var whole bytes.Buffer
		encodeGenesis(&encoder{w: &whole}, &g)
		if sha256.Sum256(whole.Bytes()) != l.StateHash() {
			t.Fatalf("%s: StateHash is not the SHA-256 of Genesis()'s encoding", name)
		}
		snap := snapshotOf(t, l)
		if !bytes.Equal(payloadOf(snap), whole.Bytes()) {
			t.Fatalf("%s: the snapshot's payload is not Genesis()'s encoding", name)
		}
		back, err := ReadSnapshot(bytes.NewReader(snap))
		if err != nil || back.StateHash() != l.StateHash() {
			t.Fatalf("%s: the snapshot reads back as another state (%v)", name, err)
		}
	}
}
