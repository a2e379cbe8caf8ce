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
