package dtao

import (
	"errors"
	"testing"

	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// stepUntilEpoch steps until netuid's epoch has run, checking the
// invariants after each block.
func stepUntilEpoch(t *testing.T, l *Ledger, netuid units.NetUID) {
	t.Helper()
	st, _ := l.Subnet(netuid)
	idx := st.Schedule.EpochIndex
	for i := 0; ; i++ {
		if i > 2*int(st.Schedule.Tempo)+2 {
			t.Fatalf("netuid %d ran no epoch", netuid)
		}
		if _, err := l.Step(); err != nil {
			t.Fatal(err)
		}
		mustInvariants(t, l, "step")
		if s, _ := l.Subnet(netuid); s.Schedule.EpochIndex > idx {
			return
		}
	}
}

// The weight calls reach subnet.Subnet's with the hotkey's stake weight:
// the StakeThreshold check sees alpha + root stake × TaoWeight.
func TestSetWeightsThroughLedger(t *testing.T) {
	l := steppingNetwork(t)
	hk := units.AccountID{0xb0, 1, 0} // uid 1, a validator with alpha and root stake
	miners := []uint16{5, 6, 7}
	vals := []uint16{100, 200, 300}
	if err := l.SetWeights(hk, RootNetUID, 0, miners, vals, 0); !errors.Is(err, subnet.ErrCanNotSetRootNetworkWeights) {
		t.Fatalf("root: %v", err)
	}
	if err := l.SetWeights(hk, 9, 0, miners, vals, 0); !errors.Is(err, subnet.ErrMechanismDoesNotExist) {
		t.Fatalf("missing subnet: %v", err)
	}
	if err := l.SetWeights(acctN(250), 1, 0, miners, vals, 0); !errors.Is(err, subnet.ErrHotKeyNotRegisteredInSubNet) {
		t.Fatalf("unregistered: %v", err)
	}
	// The stake weight: no children or parents here.
	want := subnet.TotalStake(l.TotalHotkeyAlpha(hk, 1), units.TAO(l.TotalHotkeyAlpha(hk, RootNetUID)), l.Params().TaoWeight)
	if got := l.StakeWeight(hk, 1); got != want || want <= uint64(l.TotalHotkeyAlpha(hk, 1)) {
		t.Fatalf("stake weight %d, want %d (above its alpha)", got, want)
	}
	// Validator permits come with the first epoch, and dividends with it.
	stepUntilEpoch(t, l, 1)
	want = l.StakeWeight(hk, 1)
	p := l.Params()
	p.StakeThreshold = want + 1
	if err := l.SetParams(p); err != nil {
		t.Fatal(err)
	}
	if err := l.SetWeights(hk, 1, 0, miners, vals, 0); !errors.Is(err, subnet.ErrNotEnoughStakeToSetWeights) {
		t.Fatalf("below the threshold: %v", err)
	}
	// Root stake counts: at exactly the stake weight the call passes.
	p.StakeThreshold = want
	if err := l.SetParams(p); err != nil {
		t.Fatal(err)
	}
	if err := l.SetWeights(hk, 1, 0, miners, vals, 0); err != nil {
		t.Fatal(err)
	}
	st, err := l.SubnetStorage(1)
	if err != nil {
		t.Fatal(err)
	}
	row := st.Weights[0][1]
	if len(row) != len(miners) || st.LastUpdate[0][1] != l.Block() {
		t.Fatalf("weights %+v, last update %d at block %d", row, st.LastUpdate[0][1], l.Block())
	}
	if err := l.SetWeights(hk, 1, 0, miners, vals, 0); !errors.Is(err, subnet.ErrSettingWeightsTooFast) {
		t.Fatalf("again at once: %v", err)
	}
	mustInvariants(t, l, "set_weights")
}

// Commit, then reveal in the next epoch, through the ledger: the epoch
// the commit is judged by is SubnetEpochIndex.
func TestCommitRevealThroughLedger(t *testing.T) {
	l := steppingNetwork(t)
	if err := l.SetHyperparameter(RootOrigin(), 1, CallSetCommitRevealWeightsEnabled, func(h *subnet.Hyperparameters, o subnet.Origin) error {
		return h.SetCommitRevealWeightsEnabled(o, true)
	}); err != nil {
		t.Fatal(err)
	}
	hk := units.AccountID{0xb0, 1, 1}
	uids, vals, salt := []uint16{5, 6}, []uint16{10, 20}, []uint16{1, 2, 3}
	if err := l.SetWeights(hk, 1, 0, uids, vals, 0); !errors.Is(err, subnet.ErrCommitRevealEnabled) {
		t.Fatalf("set_weights with commit-reveal: %v", err)
	}
	if err := l.CommitWeights(hk, 1, 0, subnet.CommitHash(hk, 1, 0, uids, vals, salt, 0)); err != nil {
		t.Fatal(err)
	}
	if err := l.RevealWeights(hk, 1, 0, uids, vals, salt, 0); !errors.Is(err, subnet.ErrRevealTooEarly) {
		t.Fatalf("reveal in the commit's epoch: %v", err)
	}
	stepUntilEpoch(t, l, 1)
	if err := l.RevealWeights(hk, 1, 0, uids, vals, salt, 0); err != nil {
		t.Fatalf("reveal in the next epoch: %v", err)
	}
	st, err := l.SubnetStorage(1)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Weights[0][2]) != 2 {
		t.Fatalf("revealed weights %+v", st.Weights[0][2])
	}
	err = l.BatchRevealWeights(hk, 1, [][]uint16{uids}, [][]uint16{vals}, [][]uint16{salt, salt}, []uint64{0})
	if !errors.Is(err, subnet.ErrInputLengthsUnequal) {
		t.Fatalf("batch of unequal lists: %v", err)
	}
	mustInvariants(t, l, "reveal")
}

// weightNow's look-ahead (current_epoch_with_lookahead, subnets/weights.rs):
// one more than SubnetEpochIndex while the epoch is due and has not run.
func TestWeightNowLookahead(t *testing.T) {
	l := setterLedger(t)
	st := &SubnetState{Schedule: emission.Schedule{Tempo: 10, LastEpochBlock: 100, EpochIndex: 4}}
	l.block = 109
	if now := l.weightNow(st); now.Epoch != 4 || now.Block != 109 {
		t.Fatalf("before the epoch: %+v", now)
	}
	l.block = 110
	if now := l.weightNow(st); now.Epoch != 5 {
		t.Fatalf("epoch due: %+v", now)
	}
}

// stakeWeight, which skips the ChildKeys and ParentKeys lookups when the
// ledger holds no links at all, equals the inherited stakes of every
// registered hotkey (and an unregistered one) combined at TaoWeight, as
// inherited computes them: with no links, with links on another subnet
// only, and with the hotkeys' own links.
func TestStakeWeightMatchesInherited(t *testing.T) {
	l := steppingNetwork(t)
	ref := func(h units.AccountID, netuid units.NetUID) uint64 {
		var buf viewBuffers
		a, tao := l.inherited(h, netuid, &buf)
		return subnet.TotalStake(a, tao, l.params.TaoWeight)
	}
	check := func(stage string) {
		t.Helper()
		n := 0
		for netuid, sn := range l.nets {
			for _, h := range append(sn.Hotkeys(), acctN(250)) {
				if got, want := l.stakeWeight(h, netuid), ref(h, netuid); got != want {
					t.Fatalf("%s: netuid %d hotkey %x: stake weight %d, inherited %d", stage, netuid, h[:3], got, want)
				}
				n++
			}
		}
		if n < 8 {
			t.Fatalf("%s: only %d hotkeys checked", stage, n)
		}
	}
	if len(l.children) != 0 || len(l.parents) != 0 {
		t.Fatal("the network already holds links")
	}
	check("no links")
	hk := units.AccountID{0xb0, 1, 0}
	other, child := units.AccountID{0xb0, 2, 0}, units.AccountID{0xb0, 3, 0}
	l.children[stakeKey{hk, 99}] = []Link{{Proportion: ^uint64(0) / 3, Hotkey: child}}
	l.parents[stakeKey{child, 99}] = []Link{{Proportion: ^uint64(0) / 3, Hotkey: hk}}
	check("links on another subnet")
	for netuid := range l.nets {
		l.children[stakeKey{hk, netuid}] = []Link{{Proportion: ^uint64(0) / 3, Hotkey: other}}
		l.parents[stakeKey{other, netuid}] = []Link{{Proportion: ^uint64(0) / 3, Hotkey: hk}}
	}
	check("links")
	if l.stakeWeight(other, 1) == subnet.TotalStake(l.TotalHotkeyAlpha(other, 1), units.TAO(l.TotalHotkeyAlpha(other, RootNetUID)), l.params.TaoWeight) {
		t.Fatal("the parent's link changed nothing: the check proves nothing")
	}
}

// A set_weights call through the ledger allocates nothing once the row
// exists: the stake weight, the uid lookup, the checks and the stored
// row reuse what is there.
func TestLedgerSetWeightsAllocs(t *testing.T) {
	l := steppingNetwork(t)
	stepUntilEpoch(t, l, 1) // validator permits come with the first epoch
	hk := units.AccountID{0xb0, 1, 0}
	miners, vals := []uint16{5, 6, 7}, []uint16{100, 200, 300}
	l.nets[1].Hyperparameters.WeightsSetRateLimit = 0
	if err := l.SetWeights(hk, 1, 0, miners, vals, 0); err != nil {
		t.Fatal(err)
	}
	var err error
	if a := testing.AllocsPerRun(100, func() { err = l.SetWeights(hk, 1, 0, miners, vals, 0) }); a != 0 {
		t.Fatalf("SetWeights allocates %v times per call", a)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// With StakeThreshold 0 a weight call's signer carries no stake weight
// (weightSigner skips the lookups), and every set_weights call ends as it
// does with the signer's stake weight: the same error or none, and the
// same subnet after. With a threshold above 0 the signer carries its
// stake weight.
func TestWeightSignerAtZeroThreshold(t *testing.T) {
	l := steppingNetwork(t)
	stepUntilEpoch(t, l, 1) // validator permits come with the first epoch
	if l.params.StakeThreshold != 0 {
		t.Fatal("the network's StakeThreshold is not 0")
	}
	sn := l.nets[1]
	sn.Hyperparameters.WeightsSetRateLimit = 0
	miners, vals := []uint16{5, 6, 7}, []uint16{100, 200, 300}
	calls, passed := 0, 0
	for _, h := range append(sn.Hotkeys(), acctN(250)) {
		who := l.weightSigner(sn, h, 1)
		if who.Hotkey != h || who.Stake != 0 {
			t.Fatalf("hotkey %x: signer %+v at threshold 0", h[:3], who)
		}
		now := l.weightNow(l.subnets[1])
		a, b := sn.Clone(), sn.Clone()
		errA := a.SetWeights(now, who, 0, miners, vals, 0)
		errB := b.SetWeights(now, subnet.Signer{Hotkey: h, Stake: l.stakeWeight(h, 1)}, 0, miners, vals, 0)
		if !errors.Is(errA, errB) || !errors.Is(errB, errA) || !a.Equal(b) {
			t.Fatalf("hotkey %x: %v without the stake weight, %v with it", h[:3], errA, errB)
		}
		calls++
		if errA == nil {
			passed++
		}
	}
	if passed == 0 || passed == calls {
		t.Fatalf("%d of %d calls passed: both outcomes must be compared", passed, calls)
	}
	p := l.Params()
	p.StakeThreshold = 1
	if err := l.SetParams(p); err != nil {
		t.Fatal(err)
	}
	staked := 0
	for _, h := range sn.Hotkeys() {
		got, want := l.weightSigner(sn, h, 1).Stake, l.stakeWeight(h, 1)
		if got != want {
			t.Fatalf("hotkey %x: signer's stake %d, stake weight %d", h[:3], got, want)
		}
		if want > 0 {
			staked++
		}
	}
	if staked == 0 {
		t.Fatal("no hotkey has a stake weight: the check proves nothing")
	}
}
