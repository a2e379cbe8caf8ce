package dtao

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// withNeurons returns the storage of a fresh subnet (subnet.New, the owner
// hotkey at uid 0) with the hotkeys appended as neurons registered at
// block, and each of the first validators' weights set on every other
// neuron.
func withNeurons(t testing.TB, netuid units.NetUID, owner, ownerHotkey units.AccountID, pool amm.Pool,
	hotkeys, coldkeys []units.AccountID, validators int, block uint64) *subnet.Storage {
	t.Helper()
	sn, err := subnet.New(netuid, owner, ownerHotkey, pool, block)
	if err != nil {
		t.Fatal(err)
	}
	st := sn.Storage()
	for i, h := range hotkeys {
		st.AppendNeuron(h, coldkeys[i], block)
	}
	n := len(st.Keys)
	st.Hyperparameters.MinAllowedWeights = 1
	st.Hyperparameters.CommitRevealWeightsEnabled = false
	rows := make([][]consensus.Entry, n)
	last := make([]uint64, n)
	for v := 1; v <= validators && v < n; v++ {
		for m := validators + 1; m < n; m++ {
			rows[v] = append(rows[v], consensus.Entry{UID: units.UID(m), Value: uint16(1000 + 97*m + 13*v)})
		}
		last[v] = block + 1 // after the registrations: older weights are masked
	}
	st.Weights = [][][]consensus.Entry{rows}
	st.LastUpdate = [][]uint64{last}
	return &st
}

// steppingNetwork is a root subnet and two dynamic subnets of 12 neurons
// (uid 0 the owner hotkey, uids 1–3 validators with stake from two
// nominators each and root stake, the rest miners), one of whose pools is
// priced so that the injection cap binds and the chain buys.
func steppingNetwork(t testing.TB) *Ledger {
	t.Helper()
	b := NewBuilder().Root(2_000_000_000_000)
	for _, sub := range []struct {
		netuid   units.NetUID
		tao      units.TAO
		alphaIn  units.Alpha
		tempo    uint16
		schedule uint64
	}{
		{1, 10_000_000_000_000, 1_000_000_000_000_000, 360, 0}, // 0.01 τ/α
		{2, 40_000_000_000_000, 400_000_000_000_000, 360, 0},   // 0.1 τ/α
	} {
		id := byte(sub.netuid)
		owner, ownerHk := acctN(10*id), acctN(10*id+1)
		var hks, cks []units.AccountID
		for i := range byte(11) {
			hks = append(hks, units.AccountID{0xb0, id, i})
			cks = append(cks, units.AccountID{0xc0, id, i})
		}
		pool := amm.NewPool(sub.tao, sub.alphaIn)
		st := withNeurons(t, sub.netuid, owner, ownerHk, pool, hks, cks, 3, 0)
		gs := GenesisSubnet{NetUID: sub.netuid, Owner: owner, OwnerHotkey: ownerHk, Pool: pool, Storage: st,
			MovingPrice: pool.Price().U64F64().SaturatingToI96F32()}
		b.SubnetWith(gs)
		b.Account(owner, 1_000_000_000_000)
		for v := range 3 {
			b.Stake(hks[v], cks[v], sub.netuid, units.Alpha(100_000_000_000_000*(v+1)))
			b.Stake(hks[v], acctN(200), sub.netuid, 50_000_000_000_000)
			b.Stake(hks[v], cks[v], RootNetUID, units.Alpha(1_000_000_000_000*(v+1)))
		}
		for _, c := range cks {
			b.Account(c, 10_000_000_000)
		}
	}
	b.Account(acctN(200), 10_000_000_000_000)
	g := b.Genesis()
	g.Block = 1000
	l, err := NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestStepRunsBlocksAndEpochs(t *testing.T) {
	l := steppingNetwork(t)
	var epochs []Event
	l.OnEvent(func(e Event) {
		if e.Kind == EventEpoch {
			epochs = append(epochs, e)
		}
	})
	start := l.Block()
	for range 2*360 + 2 {
		before := l.TotalIssuance()
		r, err := l.Step()
		if err != nil {
			t.Fatal(err)
		}
		if r.Block != l.Block() {
			t.Fatalf("report block %d, ledger at %d", r.Block, l.Block())
		}
		if r.Minted+r.Recycled != r.Emission {
			t.Fatalf("block %d: minted %d + recycled %d != emission %d", r.Block, r.Minted, r.Recycled, r.Emission)
		}
		if got := l.TotalIssuance(); got != before+r.Minted {
			t.Fatalf("block %d: issuance %d, want %d + %d", r.Block, got, before, r.Minted)
		}
		if err := l.CheckInvariants(); err != nil {
			t.Fatalf("block %d: %v", r.Block, err)
		}
	}
	if l.Block() != start+2*360+2 {
		t.Fatalf("block %d", l.Block())
	}
	// Each subnet ran an epoch per tempo, staggered by its netuid: its
	// LastEpochBlock starts at the genesis block 1000 less the netuid.
	if len(epochs) != 4 {
		t.Fatalf("%d epochs, want 4: %+v", len(epochs), epochs)
	}
	for _, e := range epochs {
		if (e.Block+uint64(e.NetUID))%360 != 1000%360 {
			t.Errorf("netuid %d ran at block %d", e.NetUID, e.Block)
		}
		if e.Alpha == 0 {
			t.Errorf("netuid %d paid nothing at block %d", e.NetUID, e.Block)
		}
	}
	// Miners earned incentive, validators dividends, the owner its cut.
	for _, id := range []units.NetUID{1, 2} {
		miner := units.AccountID{0xb0, byte(id), 7}
		if l.Stake(miner, units.AccountID{0xc0, byte(id), 7}, id) == 0 {
			t.Errorf("netuid %d: the miner earned nothing", id)
		}
		owner, ownerHk := acctN(10*byte(id)), acctN(10*byte(id)+1)
		if l.Stake(ownerHk, owner, id) == 0 {
			t.Errorf("netuid %d: the owner cut was not paid", id)
		}
		if l.Stake(units.AccountID{0xb0, byte(id), 0}, acctN(200), id) <= 50_000_000_000_000 {
			t.Errorf("netuid %d: the nominator received no dividend", id)
		}
	}
}

// TestStepMatchesCoinbase checks one block against emission.Coinbase run
// on the same input: the pools, the pending buckets and the TAO minted.
func TestStepMatchesCoinbase(t *testing.T) {
	l := steppingNetwork(t)
	in := emission.CoinbaseInput{
		BlockEmission: emission.Mint(l.TotalIssuance(), emission.BlockEmission(l.TotalIssuance())),
		TaoWeight:     l.Params().TaoWeight,
		RootTAO:       l.subnets[RootNetUID].Pool.TAO,
	}
	for _, id := range []units.NetUID{1, 2} {
		st := l.subnets[id]
		in.Subnets = append(in.Subnets, emission.CoinbaseSubnet{NetUID: id, Pool: st.Pool,
			MovingPrice: st.MovingPrice, Emitting: true, OwnerCut: emission.CutOf(l.Params().SubnetOwnerCut)})
	}
	res, err := emission.Coinbase(&in)
	if err != nil {
		t.Fatal(err)
	}
	acct1 := l.Balance(SubnetAccountID(1))
	r, err := l.Step()
	if err != nil {
		t.Fatal(err)
	}
	var minted units.TAO
	for i, id := range []units.NetUID{1, 2} {
		st, want := l.subnets[id], res.Subnets[i]
		if st.Pool != in.Subnets[i].Pool {
			t.Errorf("netuid %d: pool %+v, want %+v", id, st.Pool, in.Subnets[i].Pool)
		}
		if st.PendingServer != want.Split.Server || st.PendingValidator != want.Split.Validator ||
			st.PendingOwnerCut != want.Split.OwnerCut {
			t.Errorf("netuid %d: pending %d/%d/%d, want %+v", id, st.PendingServer, st.PendingValidator, st.PendingOwnerCut, want.Split)
		}
		if st.ProtocolAlpha != want.BoughtAlpha {
			t.Errorf("netuid %d: protocol alpha %d, want %d", id, st.ProtocolAlpha, want.BoughtAlpha)
		}
		minted += want.TAOIn + want.ChainBuyTAO
	}
	if res.Subnets[0].ChainBuyTAO == 0 {
		t.Error("netuid 1 was meant to exercise the chain buy")
	}
	if r.Minted != minted || r.Recycled != res.Leftover {
		t.Errorf("minted %d recycled %d, want %d and %d", r.Minted, r.Recycled, minted, res.Leftover)
	}
	if got := l.Balance(SubnetAccountID(1)) - acct1; got != res.Subnets[0].TAOIn+res.Subnets[0].ChainBuyTAO {
		t.Errorf("subnet account 1 grew by %d", got)
	}
}

// TestStepEmitsOnlyToStartedSubnets: a subnet without start_call gets no
// emission and keeps its moving price; its epoch still runs.
func TestStepEmitsOnlyToStartedSubnets(t *testing.T) {
	l := steppingNetwork(t)
	l.subnets[2].Started = false
	pool, price := l.subnets[2].Pool, l.subnets[2].MovingPrice
	if _, err := l.Step(); err != nil {
		t.Fatal(err)
	}
	if st := l.subnets[2]; st.Pool != pool || st.MovingPrice != price || st.pending() != 0 {
		t.Errorf("netuid 2 changed: %+v", st)
	}
	if st := l.subnets[1]; st.MovingPrice == pool.Price().U64F64().SaturatingToI96F32() || st.pending() == 0 {
		t.Errorf("netuid 1 did not emit")
	}
}

// TestMaxEpochsPerBlock defers the third epoch due in one block.
func TestMaxEpochsPerBlock(t *testing.T) {
	l := steppingNetwork(t)
	for _, id := range []units.NetUID{1, 2} {
		l.subnets[id].Schedule.PendingEpochAt = l.Block() + 1
	}
	p := l.Params()
	p.MaxEpochsPerBlock = 1
	l.params = p
	r, err := l.Step()
	if err != nil {
		t.Fatal(err)
	}
	if r.EpochsRun != 1 || r.EpochsDeferred != 1 {
		t.Fatalf("run %d deferred %d", r.EpochsRun, r.EpochsDeferred)
	}
	if r, _ = l.Step(); r.EpochsRun != 1 {
		t.Fatalf("the deferred epoch did not run next block: %+v", r)
	}
}

func TestStepNCancels(t *testing.T) {
	l := steppingNetwork(t)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	l.OnEvent(func(e Event) {
		if e.Kind == EventEmission && e.NetUID == 1 {
			if n++; n == 5 {
				cancel()
			}
		}
	})
	start := l.Block()
	r, err := l.StepN(ctx, 100)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if l.Block() != start+5 || r.Block != start+5 {
		t.Fatalf("stopped at %d (report %d), want %d", l.Block(), r.Block, start+5)
	}
	if _, err := l.StepN(context.Background(), 3); err != nil || l.Block() != start+8 {
		t.Fatalf("%v at %d", err, l.Block())
	}
}

func TestStepDeterministic(t *testing.T) {
	a, b := steppingNetwork(t), steppingNetwork(t)
	for range 400 {
		if _, err := a.Step(); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Step(); err != nil {
			t.Fatal(err)
		}
	}
	if a.StateHash() != b.StateHash() {
		t.Fatal("two runs of one genesis differ")
	}
}

// TestLedgerReaders reads a subnet after two epochs through the ledger:
// the metagraph carries the stake the epoch weighs (with the ledger's share
// pools) and the incentive it wrote; DynamicInfo carries the ledger's pool.
func TestLedgerReaders(t *testing.T) {
	l := steppingNetwork(t)
	if _, err := l.StepN(context.Background(), 2*360); err != nil {
		t.Fatal(err)
	}
	m, err := l.Metagraph(1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if m.N != 12 || len(m.AlphaStake) != 12 {
		t.Fatalf("N %d, %d stakes", m.N, len(m.AlphaStake))
	}
	for uid := range m.N {
		h := m.Hotkeys[uid]
		if m.AlphaStake[uid] != l.TotalHotkeyAlpha(h, 1) {
			t.Errorf("uid %d: metagraph stake %d, ledger %d", uid, m.AlphaStake[uid], l.TotalHotkeyAlpha(h, 1))
		}
	}
	if m.I[7] == 0 || m.D[1] == 0 {
		t.Errorf("incentive %v dividends %v", m.I, m.D)
	}
	d, err := l.DynamicInfo(1)
	if err != nil {
		t.Fatal(err)
	}
	pool, _ := l.Pool(1)
	if d.TaoIn != pool.TAO || d.AlphaIn != pool.AlphaIn || d.AlphaOut != pool.AlphaOut || d.MovingPrice != l.subnets[1].MovingPrice {
		t.Errorf("dynamic info %+v, pool %+v", d, pool)
	}
	if _, err := l.Metagraph(RootNetUID, 0); !errors.Is(err, ErrSubnetNotExists) {
		t.Errorf("root metagraph: %v", err)
	}
	if _, err := l.DynamicInfo(9); !errors.Is(err, ErrSubnetNotExists) {
		t.Errorf("missing subnet: %v", err)
	}
}

// TestStepConcurrentWithCalls steps blocks while other goroutines stake,
// unstake and read: under -race this proves the lock covers the block, and
// the invariants hold at the end.
func TestStepConcurrentWithCalls(t *testing.T) {
	l := steppingNetwork(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hk := units.AccountID{0xb0, 1, byte(w)}
			ck := units.AccountID{0xc0, 1, byte(w)}
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := l.AddStake(ck, hk, 1, 10_000_000); err != nil && !errors.Is(err, ErrNotEnoughBalanceToStake) {
					t.Error(err)
					return
				}
				if a := l.Stake(hk, ck, 1); a > 1_000_000 {
					_, _ = l.RemoveStake(ck, hk, 1, 1_000_000)
				}
				if _, err := l.Metagraph(1, 0); err != nil {
					t.Error(err)
					return
				}
				_ = l.StateHash()
			}
		}()
	}
	for range 400 {
		if _, err := l.Step(); err != nil {
			t.Error(err)
			break
		}
	}
	close(stop)
	wg.Wait()
	if err := l.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// TestCallEvents: the calls a user watches each emit their event, with
// the block and what changed.
func TestCallEvents(t *testing.T) {
	l := steppingNetwork(t)
	// An epoch gives the validators their permits.
	if _, err := l.StepN(context.Background(), 360); err != nil {
		t.Fatal(err)
	}
	var got []Event
	l.OnEvent(func(e Event) { got = append(got, e) })
	v, vc := units.AccountID{0xb0, 1, 1}, units.AccountID{0xc0, 1, 1}
	if err := l.DecreaseTake(vc, v, 1000); err != nil {
		t.Fatal(err)
	}
	if err := l.SetChildkeyTake(vc, v, 1, 500); err != nil {
		t.Fatal(err)
	}
	if err := l.SetWeights(v, 1, 0, []uint16{5, 6}, []uint16{1, 2}, 0); err != nil {
		t.Fatal(err)
	}
	want := []Event{
		{Kind: EventTakeDecreased, Block: l.Block(), Hotkey: v, Coldkey: vc, Value: 1000},
		{Kind: EventChildkeyTakeSet, Block: l.Block(), NetUID: 1, Hotkey: v, Coldkey: vc, Value: 500},
		{Kind: EventWeightsSet, Block: l.Block(), NetUID: 1, Hotkey: v},
	}
	if len(got) != len(want) {
		t.Fatalf("events %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestCoinbaseInputFieldsAllWritten guards step's input to the coinbase,
// whose elements it reuses block after block and writes field by field
// (not as a composite literal, which would zero a field it does not
// name): the fields it writes must be all of emission.CoinbaseSubnet's,
// else a new field would keep the last block's value.
func TestCoinbaseInputFieldsAllWritten(t *testing.T) {
	written := []string{"NetUID", "Pool", "MovingPrice", "MinerBurned", "Emitting", "EmissionDisabled", "OwnerCut", "OwnerCutDisabled"}
	typ := reflect.TypeFor[emission.CoinbaseSubnet]()
	if typ.NumField() != len(written) {
		t.Fatalf("emission.CoinbaseSubnet has %d fields, step writes %d: %v", typ.NumField(), len(written), written)
	}
	for _, name := range written {
		if _, ok := typ.FieldByName(name); !ok {
			t.Errorf("emission.CoinbaseSubnet has no field %s", name)
		}
	}
}
