package subnet_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// The element types agree field for field: a subnet line converts to the
// line emission.Distribute takes.
var _ = emission.HotkeyEmission(subnet.HotkeyEmission{})

// key is the account whose first eight bytes are n, little-endian.
func key(n uint64) units.AccountID {
	var a units.AccountID
	binary.LittleEndian.PutUint64(a[:], n)
	return a
}

// net is a subnet built only through the Subnet's own calls, with the
// consensus Input a reader would assemble by hand from what the calls
// did, to check RunEpoch against consensus.Epoch.
type net struct {
	s    *subnet.Subnet
	hand consensus.Input
}

// newNet creates netuid 1 at block 1 (owner hotkey key(0) at uid 0) with
// commit-reveal off, liquid alpha on and k validator permits, registers
// n−1 more hotkeys at blocks 2, 3, ..., and fills the hand-made Input.
func newNet(tb testing.TB, n int, k uint16) *net {
	tb.Helper()
	s, err := subnet.New(1, key(1<<40), key(0), amm.NewPool(1e15, 1e15), 1)
	if err != nil {
		tb.Fatal(err)
	}
	h := &s.Hyperparameters
	for _, err := range []error{
		h.SetCommitRevealWeightsEnabled(subnet.OriginRoot, false),
		h.SetLiquidAlphaOn(subnet.OriginRoot, true),
		h.SetMaxAllowedValidators(subnet.OriginRoot, k),
	} {
		if err != nil {
			tb.Fatal(err)
		}
	}
	in := consensus.NewInput(uint16(n))
	in.LastUpdate[0], in.BlockAtRegistration[0] = 1, 1
	for i := 1; i < n; i++ {
		block := uint64(1 + i)
		s.Step(block)
		r, err := s.Register(subnet.RegisterRequest{Coldkey: key(1<<40 + uint64(i)), Hotkey: key(uint64(i)),
			Balance: 1e15, ExistentialDeposit: 1, Block: block})
		if err != nil {
			tb.Fatal(err)
		}
		if int(r.UID) != i {
			tb.Fatalf("uid %d, want %d", r.UID, i)
		}
		in.LastUpdate[i], in.BlockAtRegistration[i] = block, block
	}
	in.Tempo = 360
	in.LiquidAlpha = true
	in.MaxAllowedValidators = k
	in.HasOwner, in.OwnerUID = true, 0
	in.CommitBlocks = nil
	return &net{s: s, hand: in}
}

// stake is a fixed stake view: alpha decreasing with the uid, root TAO on
// every third uid.
func stakeView(n int) subnet.StakeView {
	v := subnet.StakeView{Alpha: make([]units.Alpha, n), TAO: make([]units.TAO, n)}
	for i := range n {
		v.Alpha[i] = units.Alpha(uint64(n-i) * 1e12)
		if i%3 == 0 {
			v.TAO[i] = units.TAO(uint64(i+1) * 1e11)
		}
	}
	return v
}

// epochBoth runs the subnet's epoch and consensus.Epoch on the hand-made
// input and checks that every stored output and the emission list agree
// bit for bit; it then carries the outputs into the hand-made input as
// the chain's storage would (permits, bonds, last step).
func (nt *net) epochBoth(t *testing.T, block uint64, e units.Alpha, stake subnet.StakeView, ws *subnet.Workspace) consensus.Output {
	t.Helper()
	in := nt.hand
	in.CurrentBlock, in.Emission = block, e
	in.AlphaStake, in.TaoStake = stake.Alpha, stake.TAO
	want, err := consensus.Epoch(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := nt.s.RunEpoch(subnet.Now{Block: block}, e, stake, ws)
	if err != nil {
		t.Fatal(err)
	}
	s := nt.s
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"consensus", s.Consensus(), want.Consensus},
		{"incentive", s.Incentive(0), want.Incentive},
		{"dividends", s.Dividends(), want.Dividends},
		{"validator trust", s.ValidatorTrust(), want.ValidatorTrust},
		{"stake weight", s.StakeWeight(), want.StakeWeight},
		{"emission", s.Emission(), want.Emission},
		{"permits", s.ValidatorPermit(), want.ValidatorPermit},
		{"active", s.Active(), want.Active},
	} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	bonds := s.Bonds(0)
	for i := range want.Bonds {
		var row []consensus.Entry
		if i < len(bonds) {
			row = bonds[i]
		}
		if !slices.Equal(row, want.Bonds[i]) {
			t.Errorf("bonds row %d = %v, want %v", i, row, want.Bonds[i])
		}
	}
	if s.LastMechanismStepBlock() != block {
		t.Errorf("last mechanism step %d, want %d", s.LastMechanismStepBlock(), block)
	}
	// The emission list: every hotkey once, in hotkey byte order.
	if len(got) != int(s.N()) {
		t.Fatalf("%d emission lines for %d uids", len(got), s.N())
	}
	for k, line := range got {
		uid, ok := s.UID(line.Hotkey)
		if !ok || line.Incentive != want.ServerEmission[uid] || line.Dividend != want.ValidatorEmission[uid] {
			t.Errorf("line %d = %+v, want uid %d's %d, %d", k, line, uid, want.ServerEmission[uid], want.ValidatorEmission[uid])
		}
		if k > 0 && string(got[k-1].Hotkey[:]) >= string(line.Hotkey[:]) {
			t.Errorf("lines %d and %d out of hotkey order", k-1, k)
		}
	}
	nt.hand.ValidatorPermit = want.ValidatorPermit
	nt.hand.Bonds = want.Bonds
	nt.hand.LastMechanismStepBlock = block
	return want
}

// setWeights has every permitted uid (and no other) set weights on every
// uid through Subnet.SetWeights, recording the max-upscaled rows and the
// LastUpdate in the hand-made input.
func (nt *net) setWeights(t testing.TB, block uint64, stake subnet.StakeView, r *rand.Rand) {
	t.Helper()
	n := int(nt.s.N())
	uids := make([]uint16, n)
	for j := range uids {
		uids[j] = uint16(j)
	}
	for i, permit := range nt.s.ValidatorPermit() {
		if !permit {
			continue
		}
		values := make([]uint16, n)
		for j := range values {
			values[j] = uint16(r.UintN(65536))
		}
		who := subnet.Signer{Hotkey: key(uint64(i)), Stake: subnet.TotalStake(stake.Alpha[i], stake.TAO[i], nt.s.Globals.TaoWeight)}
		if err := nt.s.SetWeights(subnet.Now{Block: block}, who, 0, uids, values, 0); err != nil {
			t.Fatalf("uid %d: %v", i, err)
		}
		row := make([]consensus.Entry, n)
		for j, v := range subnet.MaxUpscaleWeights(nil, values) {
			row[j] = consensus.Entry{UID: units.UID(j), Value: v}
		}
		nt.hand.Weights[i] = row
		nt.hand.LastUpdate[i] = block
	}
}

// The epoch from state is consensus.Epoch on the Input a reader assembles
// by hand from the calls that built the subnet: the same bits in every
// stored output, three epochs running (no weights; weights set by the
// permitted validators; bonds carried).
func TestRunEpochMatchesConsensus(t *testing.T) {
	const n = 12
	nt := newNet(t, n, 5)
	stake := stakeView(n)
	var ws subnet.Workspace
	nt.epochBoth(t, 50, 1e12, stake, &ws)
	nt.setWeights(t, 200, stake, rand.New(rand.NewPCG(1, 2)))
	out := nt.epochBoth(t, 300, 7e11, stake, &ws)
	if slices.Max(out.Dividends) == 0 || slices.Max(out.Incentive) == 0 {
		t.Fatalf("a degenerate network: dividends %v incentive %v", out.Dividends, out.Incentive)
	}
	nt.epochBoth(t, 700, 5e11, stake, &ws)
}

// With commit-reveal on, the epoch masks the weights of a validator whose
// live commit is older than a target's registration: validator v commits
// twice, a registration replaces uid p, v reveals its first commit (with a
// weight on p) and keeps the later two live. RunEpoch equals consensus.Epoch
// on the subnet's state with CommitBlocks[v] = the second commit's block,
// and differs from the unmasked epoch.
func TestRunEpochCommitMask(t *testing.T) {
	const n = 6
	nt := newNet(t, n, 3)
	s := nt.s
	stake := stakeView(n)
	var ws subnet.Workspace
	nt.epochBoth(t, 50, 1e12, stake, &ws)
	nt.setWeights(t, 200, stake, rand.New(rand.NewPCG(3, 4)))
	nt.epochBoth(t, 250, 1e12, stake, &ws)
	h := &s.Hyperparameters
	for _, err := range []error{
		h.SetMinAllowedUids(subnet.OriginRoot, 2, s.N()),
		h.SetMaxAllowedUids(subnet.OriginRoot, n, s.N()),
		h.SetImmunityPeriod(subnet.OriginRoot, 0),
		h.SetMinNonImmuneUids(subnet.OriginRoot, 0),
		h.SetCommitRevealWeightsEnabled(subnet.OriginRoot, true),
		h.SetKappa(subnet.OriginRoot, 10000),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	p, err := s.NeuronToPrune(500)
	if err != nil {
		t.Fatal(err)
	}
	v := -1
	for i, ok := range s.ValidatorPermit() {
		if ok && i != 0 && i != int(p) {
			v = i
			break
		}
	}
	if v < 0 {
		t.Fatal("no validator besides the owner and the pruned uid")
	}
	who := subnet.Signer{Hotkey: key(uint64(v)), Stake: subnet.TotalStake(stake.Alpha[v], stake.TAO[v], s.Globals.TaoWeight)}
	uids, values := []uint16{0, 1, 2, 3, 4, 5}, []uint16{100, 200, 300, 400, 500, 600}
	values[p] = 60000
	hashA := subnet.CommitHash(who.Hotkey, 1, 0, uids, values, []uint16{1}, 0)
	if err := s.CommitWeights(subnet.Now{Block: 300, Epoch: 1}, who, 0, hashA); err != nil {
		t.Fatal(err)
	}
	if err := s.CommitWeights(subnet.Now{Block: 400, Epoch: 1}, who, 0, [32]byte{7}); err != nil {
		t.Fatal(err)
	}
	r, err := s.Register(subnet.RegisterRequest{Coldkey: key(99), Hotkey: key(99), Balance: 1e15, ExistentialDeposit: 1, Block: 500})
	if err != nil || !r.Replaced || r.UID != p {
		t.Fatalf("registration %+v, %v", r, err)
	}
	// A third commit after the registration moves LastUpdate[v] past it,
	// so that only the commit mask (not the outdated-weights mask) can
	// drop v's weight on p.
	if err := s.CommitWeights(subnet.Now{Block: 600, Epoch: 1}, who, 0, [32]byte{8}); err != nil {
		t.Fatal(err)
	}
	if err := s.RevealWeights(subnet.Now{Block: 800, Epoch: 2}, who, 0, uids, values, []uint16{1}, 0); err != nil {
		t.Fatal(err)
	}
	in := consensus.NewInput(n)
	in.Tempo, in.LiquidAlpha, in.MaxAllowedValidators, in.HasOwner, in.Kappa = 360, true, 3, true, 10000
	in.CurrentBlock, in.Emission, in.AlphaStake, in.TaoStake = 810, 1e12, stake.Alpha, stake.TAO
	in.LastUpdate, in.BlockAtRegistration, in.ValidatorPermit = s.LastUpdate(0), s.BlockAtRegistration(), s.ValidatorPermit()
	in.Weights, in.Bonds, in.LastMechanismStepBlock = s.Weights.Rows(0), s.Bonds(0), 250
	in.CommitBlocks = []uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
	in.CommitBlocks[v] = 400
	want, err := consensus.Epoch(in)
	if err != nil {
		t.Fatal(err)
	}
	in.CommitBlocks = nil
	unmasked, err := consensus.Epoch(in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RunEpoch(subnet.Now{Block: 810, Epoch: 2}, 1e12, stake, &ws); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(s.Incentive(0), s.Dividends(), s.Emission())
	if got != fmt.Sprint(want.Incentive, want.Dividends, want.Emission) {
		t.Errorf("got %s, want %v %v %v", got, want.Incentive, want.Dividends, want.Emission)
	}
	if got == fmt.Sprint(unmasked.Incentive, unmasked.Dividends, unmasked.Emission) {
		t.Errorf("the epoch did not mask v's weight on the replaced uid: %s", got)
	}
}

// With two mechanisms the epoch is consensus.EpochWithMechanisms with the
// stored split: the per-subnet aggregate and each mechanism's incentive
// and bonds are stored.
func TestRunEpochMechanisms(t *testing.T) {
	const n = 8
	nt := newNet(t, n, 4)
	s := nt.s
	if err := s.Hyperparameters.SetMaxAllowedUids(subnet.OriginRoot, 128, s.N()); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMechanismCount(subnet.OriginRoot, 2, subnet.DefaultMaxMechanismCount); err != nil {
		t.Fatal(err)
	}
	if err := s.Hyperparameters.SetEmissionSplit(subnet.OriginRoot, []uint16{40000, 25535}); err != nil {
		t.Fatal(err)
	}
	stake := stakeView(n)
	var ws subnet.Workspace
	if _, err := s.RunEpoch(subnet.Now{Block: 50}, 1e12, stake, &ws); err != nil {
		t.Fatal(err)
	}
	permits := s.ValidatorPermit()
	r := rand.New(rand.NewPCG(5, 6))
	mechs := make([]consensus.Mechanism, 2)
	uids := []uint16{0, 1, 2, 3, 4, 5, 6, 7}
	for m := range mechs {
		mechs[m].Weights = make([][]consensus.Entry, n)
		mechs[m].LastUpdate = s.LastUpdate(uint8(m))
		mechs[m].Bonds = s.Bonds(uint8(m))
		for i, p := range permits {
			if !p {
				continue
			}
			values := make([]uint16, n)
			for j := range values {
				values[j] = uint16(r.UintN(65536))
			}
			who := subnet.Signer{Hotkey: key(uint64(i)), Stake: subnet.TotalStake(stake.Alpha[i], stake.TAO[i], s.Globals.TaoWeight)}
			if err := s.SetWeights(subnet.Now{Block: 300}, who, uint8(m), uids, values, 0); err != nil {
				t.Fatal(err)
			}
			row := make([]consensus.Entry, n)
			for j, v := range subnet.MaxUpscaleWeights(nil, values) {
				row[j] = consensus.Entry{UID: units.UID(j), Value: v}
			}
			mechs[m].Weights[i] = row
			mechs[m].LastUpdate[i] = 300
		}
	}
	in := nt.hand
	in.CurrentBlock, in.Emission, in.AlphaStake, in.TaoStake = 400, 9e11, stake.Alpha, stake.TAO
	in.ValidatorPermit, in.LastMechanismStepBlock = permits, 50
	agg, outs, err := consensus.EpochWithMechanisms(in, mechs, []uint16{40000, 25535})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.RunEpoch(subnet.Now{Block: 400}, 9e11, stake, &ws)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(s.Emission(), s.Dividends(), s.Consensus(), s.ValidatorTrust(), s.StakeWeight(), s.ValidatorPermit(), s.Active()) !=
		fmt.Sprint(agg.Emission, agg.Dividends, agg.Consensus, agg.ValidatorTrust, agg.StakeWeight, agg.ValidatorPermit, agg.Active) {
		t.Error("the per-subnet vectors are not the aggregate")
	}
	for m := range outs {
		if fmt.Sprint(s.Incentive(uint8(m))) != fmt.Sprint(outs[m].Incentive) {
			t.Errorf("mechanism %d incentive %v, want %v", m, s.Incentive(uint8(m)), outs[m].Incentive)
		}
		b := s.Bonds(uint8(m))
		for i := range outs[m].Bonds {
			if !slices.Equal(b[i], outs[m].Bonds[i]) {
				t.Errorf("mechanism %d bonds row %d differ", m, i)
			}
		}
	}
	var sum units.Alpha
	for _, line := range got {
		uid, _ := s.UID(line.Hotkey)
		if line.Incentive != agg.ServerEmission[uid] || line.Dividend != agg.ValidatorEmission[uid] {
			t.Errorf("uid %d line %+v", uid, line)
		}
		sum += line.Incentive + line.Dividend
	}
	if sum > 9e11 {
		t.Errorf("emission lines sum to %d of 9e11", sum)
	}
}

// A stake view that does not match the neurons is refused, and the
// subnet is unchanged.
func TestRunEpochBadStakeView(t *testing.T) {
	nt := newNet(t, 4, 2)
	before := nt.s.Clone()
	var ws subnet.Workspace
	for _, v := range []subnet.StakeView{
		{Alpha: make([]units.Alpha, 3)},
		{Alpha: make([]units.Alpha, 4), TAO: make([]units.TAO, 5)},
	} {
		if _, err := nt.s.RunEpoch(subnet.Now{Block: 9}, 1e9, v, &ws); !errors.Is(err, subnet.ErrInvalidStakeView) {
			t.Errorf("err = %v", err)
		}
		if !before.Equal(nt.s) {
			t.Error("a refused epoch changed the subnet")
		}
	}
	// An input consensus refuses (the chain's Yuma 3 panics on it) also
	// changes nothing.
	nt.s.Hyperparameters.BondsMovingAverage = 1 << 62
	before = nt.s.Clone()
	if _, err := nt.s.RunEpoch(subnet.Now{Block: 9}, 1e9, stakeView(4), &ws); !errors.Is(err, consensus.ErrBondsMovingAverageOverflow) {
		t.Errorf("err = %v", err)
	}
	if !before.Equal(nt.s) {
		t.Error("a failed epoch changed the subnet")
	}
}

// The steady-state epoch allocates nothing: assembling the input, the
// epoch and storing the outputs reuse the subnet's and the workspace's
// buffers (commit-reveal off and on).
func TestRunEpochAllocs(t *testing.T) {
	for _, cr := range []bool{false, true} {
		s, stake := benchSubnet(t, 256)
		if cr {
			if err := s.Hyperparameters.SetCommitRevealWeightsEnabled(subnet.OriginRoot, true); err != nil {
				t.Fatal(err)
			}
			who := subnet.Signer{Hotkey: key(3), Stake: subnet.TotalStake(stake.Alpha[3], 0, s.Globals.TaoWeight)}
			if err := s.CommitWeights(subnet.Now{Block: 1100, Epoch: 3}, who, 0, [32]byte{9}); err != nil {
				t.Fatal(err)
			}
		}
		var ws subnet.Workspace
		at := subnet.Now{Block: 1100, Epoch: 4}
		if _, err := s.RunEpoch(at, 1e12, stake, &ws); err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(10, func() {
			if _, err := s.RunEpoch(at, 1e12, stake, &ws); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("commit-reveal %v: RunEpoch allocates %v times per run after warm-up, want 0", cr, allocs)
		}
	}
}

// benchSubnet is consensus's BenchmarkEpoch network built through the
// Subnet's calls: n uids, 64 validators (the top stakes) setting weights
// on every uid, Yuma 3 with liquid alpha, bonds from one previous epoch.
func benchSubnet(tb testing.TB, n int) (*subnet.Subnet, subnet.StakeView) {
	tb.Helper()
	const v = 64
	r := rand.New(rand.NewPCG(1, uint64(n)))
	nt := newNet(tb, n, v)
	s := nt.s
	stake := subnet.StakeView{Alpha: make([]units.Alpha, n)}
	for i := range v {
		stake.Alpha[i] = units.Alpha(1e12 + r.Uint64N(1e13))
	}
	var ws subnet.Workspace
	if _, err := s.RunEpoch(subnet.Now{Block: 300}, 1e12, stake, &ws); err != nil {
		tb.Fatal(err)
	}
	uids := make([]uint16, n)
	for j := range uids {
		uids[j] = uint16(j)
	}
	values := make([]uint16, n)
	for i := range v {
		for j := range values {
			values[j] = uint16(r.UintN(65536))
		}
		who := subnet.Signer{Hotkey: key(uint64(i)), Stake: uint64(stake.Alpha[i])}
		if err := s.SetWeights(subnet.Now{Block: 990}, who, 0, uids, values, 0); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := s.RunEpoch(subnet.Now{Block: 995}, 1e12, stake, &ws); err != nil {
		tb.Fatal(err)
	}
	return s, stake
}

// BenchmarkEpochFromState is one epoch of a 256-uid subnet from its
// state: assembling the consensus input, the epoch (Yuma 3, liquid alpha,
// 64 validators with full weight rows) and storing the outputs. Compare
// with consensus's BenchmarkEpoch/n=256, the same network as an Input.
func BenchmarkEpochFromState(b *testing.B) {
	for _, n := range []int{256} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			s, stake := benchSubnet(b, n)
			var ws subnet.Workspace
			at := subnet.Now{Block: 1000}
			if _, err := s.RunEpoch(at, 1e12, stake, &ws); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.RunEpoch(at, 1e12, stake, &ws); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The Subnet's weight calls take the environment from the subnet: its
// permits, its owner (exempt from permit and stake threshold) and
// Globals' stake threshold; a refused call changes nothing.
func TestSubnetWeightCalls(t *testing.T) {
	nt := newNet(t, 4, 2)
	s := nt.s
	s.Globals.StakeThreshold = 1e12
	at := subnet.Now{Block: 200}
	uids, values := []uint16{1, 2, 3}, []uint16{1, 2, 3}
	for _, c := range []struct {
		who  subnet.Signer
		want error
	}{
		{subnet.Signer{Hotkey: key(77), Stake: 1e15}, subnet.ErrHotKeyNotRegisteredInSubNet},
		{subnet.Signer{Hotkey: key(1), Stake: 1e12 - 1}, subnet.ErrNotEnoughStakeToSetWeights},
		{subnet.Signer{Hotkey: key(1), Stake: 1e12}, subnet.ErrNeuronNoValidatorPermit},
	} {
		before := s.Clone()
		if err := s.SetWeights(at, c.who, 0, uids, values, 0); !errors.Is(err, c.want) {
			t.Errorf("%x: err = %v, want %v", c.who.Hotkey[:1], err, c.want)
		}
		if !before.Equal(s) {
			t.Errorf("a refused call changed the subnet")
		}
	}
	// The owner needs neither permit nor stake.
	before := s.Clone()
	if err := s.SetWeights(at, subnet.Signer{Hotkey: key(0)}, 0, uids, values, 0); err != nil {
		t.Fatal(err)
	}
	if before.Equal(s) || len(s.Weights.Row(0, 0)) != 3 || s.LastUpdate(0)[0] != 200 {
		t.Errorf("owner's weights not stored: %v %v", s.Weights.Row(0, 0), s.LastUpdate(0))
	}
	// A permit from an epoch lets uid 1 set weights.
	var ws subnet.Workspace
	stake := stakeView(4)
	if _, err := s.RunEpoch(subnet.Now{Block: 210}, 0, stake, &ws); err != nil {
		t.Fatal(err)
	}
	if !s.ValidatorPermit()[1] {
		t.Fatalf("permits %v", s.ValidatorPermit())
	}
	if err := s.SetWeights(subnet.Now{Block: 220}, subnet.Signer{Hotkey: key(1), Stake: 1e12}, 0, uids, values, 0); err != nil {
		t.Fatal(err)
	}
}
