package dtao

import (
	"errors"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

var (
	sOwner  = acctN(81)
	sHotkey = acctN(82)
	sOther  = acctN(83)
)

// setterLedger is a root subnet and subnet 1 owned by sOwner, at block 1000.
func setterLedger(t *testing.T) *Ledger {
	t.Helper()
	g := NewBuilder().Root(1_000_000_000_000).
		Subnet(1, sOwner, sHotkey, 1_000_000_000_000, 1_000_000_000_000).
		Account(sOwner, 1_000_000_000).Account(sOther, 1_000_000_000).
		Genesis()
	g.Block = 1000 // the chain records a rate limit's block; block 0 reads as never
	l, err := NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func setMinAllowedWeights(n uint16) func(*subnet.Hyperparameters, subnet.Origin) error {
	return func(h *subnet.Hyperparameters, o subnet.Origin) error { return h.SetMinAllowedWeights(o, n) }
}

func hyper(t *testing.T, l *Ledger, netuid units.NetUID) subnet.Hyperparameters {
	t.Helper()
	h, err := l.Hyperparameters(netuid)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// stepTo steps the ledger to block b.
func stepTo(t *testing.T, l *Ledger, b uint64) {
	t.Helper()
	for l.Block() < b {
		if _, err := l.Step(); err != nil {
			t.Fatal(err)
		}
	}
	mustInvariants(t, l, "step")
}

// outsideWindow steps to a block at least AdminFreezeWindow blocks before
// the subnet's next automatic epoch.
func outsideWindow(t *testing.T, l *Ledger, netuid units.NetUID) {
	t.Helper()
	for {
		st, _ := l.Subnet(netuid)
		if st.Schedule.BlocksUntilNextAutoEpoch(l.Block()) >= uint64(AdminFreezeWindow) && st.Schedule.PendingEpochAt == 0 {
			return
		}
		stepTo(t, l, l.Block()+1)
	}
}

// The origin rules of ensure_subnet_owner_or_root and ensure_root
// (pallets/subtensor/src/utils/misc.rs, pallets/admin-utils/src/lib.rs).
func TestSetHyperparameterOrigins(t *testing.T) {
	l := setterLedger(t)
	outsideWindow(t, l, 1)
	if err := l.SetHyperparameter(Signed(sOther), 1, CallSetMinAllowedWeights, setMinAllowedWeights(7)); !errors.Is(err, subnet.ErrBadOrigin) {
		t.Fatalf("a stranger: %v", err)
	}
	kappa := func(h *subnet.Hyperparameters, o subnet.Origin) error { return h.SetKappa(o, 100) }
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetKappa, kappa); !errors.Is(err, subnet.ErrBadOrigin) {
		t.Fatalf("the owner on a root-only call: %v", err)
	}
	if hyper(t, l, 1).MinAllowedWeights == 7 || hyper(t, l, 1).Kappa == 100 {
		t.Fatal("a refused call changed the hyperparameters")
	}
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetMinAllowedWeights, setMinAllowedWeights(7)); err != nil {
		t.Fatal(err)
	}
	if err := l.SetHyperparameter(RootOrigin(), 1, CallSetKappa, kappa); err != nil {
		t.Fatal(err)
	}
	if h := hyper(t, l, 1); h.MinAllowedWeights != 7 || h.Kappa != 100 {
		t.Fatalf("hyperparameters %+v", h)
	}
	if err := l.SetHyperparameter(RootOrigin(), 9, CallSetKappa, kappa); !errors.Is(err, ErrSubnetNotExists) {
		t.Fatalf("missing subnet: %v", err)
	}
	if err := l.SetHyperparameter(RootOrigin(), RootNetUID, CallSetKappa, kappa); !errors.Is(err, ErrSubnetNotExists) {
		t.Fatalf("root subnet: %v", err)
	}
	// The setter's own checks pass through.
	bad := func(h *subnet.Hyperparameters, o subnet.Origin) error { return h.SetBondsMovingAverage(o, 999_999) }
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetBondsMovingAverage, bad); !errors.Is(err, subnet.ErrBondsMovingAverageMaxReached) {
		t.Fatalf("owner bonds moving average: %v", err)
	}
	mustInvariants(t, l, "setters")
}

// The owner's rate limit (OwnerHyperparamUpdate per hyperparameter, Tempo
// × OwnerHyperparamRateLimit blocks, utils/rate_limiting.rs); root is not
// limited.
func TestSetHyperparameterOwnerRateLimit(t *testing.T) {
	l := setterLedger(t)
	outsideWindow(t, l, 1)
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetMinAllowedWeights, setMinAllowedWeights(3)); err != nil {
		t.Fatal(err)
	}
	set := l.Block()
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetMinAllowedWeights, setMinAllowedWeights(4)); !errors.Is(err, ErrTxRateLimitExceeded) {
		t.Fatalf("second owner call: %v", err)
	}
	// Another hyperparameter has its own limit; root has none.
	immunity := func(h *subnet.Hyperparameters, o subnet.Origin) error { return h.SetImmunityPeriod(o, 77) }
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetImmunityPeriod, immunity); err != nil {
		t.Fatal(err)
	}
	if err := l.SetHyperparameter(RootOrigin(), 1, CallSetMinAllowedWeights, setMinAllowedWeights(5)); err != nil {
		t.Fatal(err)
	}
	if hyper(t, l, 1).MinAllowedWeights != 5 {
		t.Fatal("root's call was not applied")
	}
	st, _ := l.Subnet(1)
	limit := uint64(st.Schedule.Tempo) * OwnerHyperparamRateLimit
	// One block early the rate limit refuses, checked before the window.
	stepTo(t, l, set+limit-1)
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetMinAllowedWeights, setMinAllowedWeights(6)); !errors.Is(err, ErrTxRateLimitExceeded) {
		t.Fatalf("one block early: %v", err)
	}
	stepTo(t, l, set+limit)
	outsideWindow(t, l, 1)
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetMinAllowedWeights, setMinAllowedWeights(6)); err != nil {
		t.Fatalf("after the limit: %v", err)
	}
	if got := l.rateLimits[OwnerHyperparamKey(1, HyperparamMinAllowedWeights)]; got != l.Block() {
		t.Fatalf("last call recorded at %d, want %d", got, l.Block())
	}
}

// The admin freeze window (is_in_admin_freeze_window, utils/misc.rs):
// most calls are refused to root and owner alike in the last
// AdminFreezeWindow blocks before the epoch; set_activity_cutoff_factor
// only to the owner; sudo_set_kappa to neither.
func TestSetHyperparameterFreezeWindow(t *testing.T) {
	l := setterLedger(t)
	outsideWindow(t, l, 1)
	st, _ := l.Subnet(1)
	next := l.Block() + st.Schedule.BlocksUntilNextAutoEpoch(l.Block())
	stepTo(t, l, next-uint64(AdminFreezeWindow))
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetMinAllowedWeights, setMinAllowedWeights(2)); err != nil {
		t.Fatalf("%d blocks before the epoch: %v", AdminFreezeWindow, err)
	}
	stepTo(t, l, next-uint64(AdminFreezeWindow)+1)
	for _, o := range []Origin{Signed(sOwner), RootOrigin()} {
		err := l.SetHyperparameter(o, 1, CallSetWeightsVersionKey, func(h *subnet.Hyperparameters, so subnet.Origin) error {
			return h.SetWeightsVersionKey(so, 9)
		})
		if !errors.Is(err, ErrAdminActionProhibitedDuringWeightsWindow) {
			t.Fatalf("%+v in the window: %v", o, err)
		}
	}
	cutoff := func(h *subnet.Hyperparameters, o subnet.Origin) error {
		return h.SetActivityCutoffFactorMilli(o, 5_000)
	}
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetActivityCutoffFactorMilli, cutoff); !errors.Is(err, ErrAdminActionProhibitedDuringWeightsWindow) {
		t.Fatalf("owner cutoff factor in the window: %v", err)
	}
	if err := l.SetHyperparameter(RootOrigin(), 1, CallSetActivityCutoffFactorMilli, cutoff); err != nil {
		t.Fatalf("root cutoff factor in the window: %v", err)
	}
	if err := l.SetHyperparameter(RootOrigin(), 1, CallSetKappa, func(h *subnet.Hyperparameters, o subnet.Origin) error {
		return h.SetKappa(o, 1)
	}); err != nil {
		t.Fatalf("kappa in the window: %v", err)
	}
	if h := hyper(t, l, 1); h.WeightsVersionKey == 9 || h.ActivityCutoffFactorMilli != 5_000 || h.Kappa != 1 {
		t.Fatalf("hyperparameters %+v", h)
	}
}

// A set function must change only what its call sets.
func TestSetHyperparameterMismatch(t *testing.T) {
	l := setterLedger(t)
	outsideWindow(t, l, 1)
	before := hyper(t, l, 1)
	err := l.SetHyperparameter(Signed(sOwner), 1, CallSetMinAllowedWeights, func(h *subnet.Hyperparameters, o subnet.Origin) error {
		h.MinAllowedWeights, h.Kappa = 9, 9
		return nil
	})
	if !errors.Is(err, ErrHyperparameterCall) {
		t.Fatalf("mismatch: %v", err)
	}
	if err := l.SetHyperparameter(RootOrigin(), 1, AdminCall(200), setMinAllowedWeights(1)); !errors.Is(err, ErrHyperparameterCall) {
		t.Fatalf("unknown call: %v", err)
	}
	if hyper(t, l, 1) != before || l.rateLimits[OwnerHyperparamKey(1, HyperparamMinAllowedWeights)] != 0 {
		t.Fatal("a refused call changed the subnet or its rate limit")
	}
}

// sudo_set_tempo (root) and set_tempo (owner, do_set_tempo in
// coinbase/tempo_control.rs) keep Hyperparameters.Tempo and the schedule
// equal and restart the cycle.
func TestSetTempo(t *testing.T) {
	l := setterLedger(t)
	outsideWindow(t, l, 1)
	if err := l.SetTempo(sOther, 1, 400); !errors.Is(err, subnet.ErrBadOrigin) {
		t.Fatalf("stranger: %v", err)
	}
	if err := l.SetTempo(sOwner, 1, 100); !errors.Is(err, emission.ErrTempoOutOfBounds) {
		t.Fatalf("tempo 100: %v", err)
	}
	if err := l.SetTempo(sOwner, 1, 400); err != nil {
		t.Fatal(err)
	}
	st, _ := l.Subnet(1)
	if st.Schedule.Tempo != 400 || st.Schedule.LastEpochBlock != l.Block() || hyper(t, l, 1).Tempo != 400 {
		t.Fatalf("schedule %+v, hyper tempo %d", st.Schedule, hyper(t, l, 1).Tempo)
	}
	if err := l.SetTempo(sOwner, 1, 500); !errors.Is(err, ErrTxRateLimitExceeded) {
		t.Fatalf("second set_tempo: %v", err)
	}
	// Root sets any tempo, here below the owner's bound.
	stepTo(t, l, l.Block()+1)
	if err := l.SetHyperparameter(RootOrigin(), 1, CallSetTempo, func(h *subnet.Hyperparameters, o subnet.Origin) error {
		return h.SetTempo(o, 50)
	}); err != nil {
		t.Fatal(err)
	}
	st, _ = l.Subnet(1)
	if st.Schedule.Tempo != 50 || st.Schedule.LastEpochBlock != l.Block() || hyper(t, l, 1).Tempo != 50 {
		t.Fatalf("schedule %+v after sudo_set_tempo", st.Schedule)
	}
	mustInvariants(t, l, "tempo")
}

// trigger_epoch (do_trigger_epoch, coinbase/tempo_control.rs).
func TestTriggerEpoch(t *testing.T) {
	l := setterLedger(t)
	outsideWindow(t, l, 1)
	if err := l.TriggerEpoch(sOther, 1); !errors.Is(err, subnet.ErrBadOrigin) {
		t.Fatalf("stranger: %v", err)
	}
	if err := l.TriggerEpoch(sOwner, 1); !errors.Is(err, emission.ErrDynamicTempoBlockedByCommitReveal) {
		t.Fatalf("with commit-reveal: %v", err)
	}
	if err := l.SetHyperparameter(RootOrigin(), 1, CallSetCommitRevealWeightsEnabled, func(h *subnet.Hyperparameters, o subnet.Origin) error {
		return h.SetCommitRevealWeightsEnabled(o, false)
	}); err != nil {
		t.Fatal(err)
	}
	if err := l.TriggerEpoch(sOwner, 1); err != nil {
		t.Fatal(err)
	}
	st, _ := l.Subnet(1)
	if st.Schedule.PendingEpochAt != l.Block()+uint64(AdminFreezeWindow) {
		t.Fatalf("pending at %d", st.Schedule.PendingEpochAt)
	}
	if err := l.TriggerEpoch(sOwner, 1); !errors.Is(err, emission.ErrEpochTriggerAlreadyPending) {
		t.Fatalf("second trigger: %v", err)
	}
	// The countdown freezes admin calls.
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetMinAllowedWeights, setMinAllowedWeights(2)); !errors.Is(err, ErrAdminActionProhibitedDuringWeightsWindow) {
		t.Fatalf("during the countdown: %v", err)
	}
	idx := st.Schedule.EpochIndex
	stepTo(t, l, st.Schedule.PendingEpochAt)
	st, _ = l.Subnet(1)
	if st.Schedule.EpochIndex != idx+1 || st.Schedule.PendingEpochAt != 0 {
		t.Fatalf("schedule %+v after the triggered epoch", st.Schedule)
	}
	outsideWindow(t, l, 1)
	if err := l.TriggerEpoch(sOwner, 1); !errors.Is(err, ErrTxRateLimitExceeded) {
		t.Fatalf("trigger within the rate limit: %v", err)
	}
}

func TestSetSubnetEmissionEnabled(t *testing.T) {
	l := setterLedger(t)
	if err := l.SetSubnetEmissionEnabled(Signed(sOwner), 1, false); !errors.Is(err, subnet.ErrBadOrigin) {
		t.Fatalf("owner: %v", err)
	}
	if err := l.SetSubnetEmissionEnabled(RootOrigin(), 9, false); !errors.Is(err, ErrSubnetNotExists) {
		t.Fatalf("missing: %v", err)
	}
	if err := l.SetSubnetEmissionEnabled(RootOrigin(), RootNetUID, false); !errors.Is(err, ErrNotPermittedOnRootSubnet) {
		t.Fatalf("root subnet: %v", err)
	}
	if err := l.SetSubnetEmissionEnabled(RootOrigin(), 1, false); err != nil {
		t.Fatal(err)
	}
	if st, _ := l.Subnet(1); !st.EmissionDisabled {
		t.Fatal("emission still enabled")
	}
	if err := l.SetSubnetEmissionEnabled(RootOrigin(), 1, true); err != nil {
		t.Fatal(err)
	}
	if st, _ := l.Subnet(1); st.EmissionDisabled {
		t.Fatal("emission still disabled")
	}
}

func TestSetParams(t *testing.T) {
	l := setterLedger(t)
	p := l.Params()
	for _, bad := range []func(*Params){
		func(p *Params) { p.MaxEpochsPerBlock = 0 },
		func(p *Params) { p.MinDelegateTake = p.MaxDelegateTake + 1 },
		func(p *Params) { p.MinChildkeyTake = p.MaxChildkeyTake + 1 },
		func(p *Params) { p.SubnetMovingAlpha = amm.DefaultMovingAlpha().Neg() },
	} {
		q := p
		bad(&q)
		if err := l.SetParams(q); !errors.Is(err, subnet.ErrValueNotInBounds) {
			t.Fatalf("%+v: %v", q, err)
		}
		if l.Params() != p {
			t.Fatal("a refused SetParams changed the parameters")
		}
	}
	p.TaoWeight, p.StakeThreshold = 12345, 678
	if err := l.SetParams(p); err != nil {
		t.Fatal(err)
	}
	if l.Params() != p {
		t.Fatal("parameters not set")
	}
	g := l.nets[1].Globals
	if g.TaoWeight != 12345 || g.StakeThreshold != 678 || g.CommitRevealVersion != subnet.DefaultGlobals().CommitRevealVersion {
		t.Fatalf("subnet globals %+v", g)
	}
}

// Owner calls with their own TransactionKeyLastBlock limits: the mechanism
// count (subnet.Subnet.SetMechanismCount) and the weights version key.
func TestSetHyperparameterMechanismCount(t *testing.T) {
	l := setterLedger(t)
	outsideWindow(t, l, 1)
	both := func(h *subnet.Hyperparameters, o subnet.Origin) error {
		if err := h.SetMaxAllowedUids(o, 128, 1); err != nil {
			return err
		}
		return h.SetMechanismCount(o, 2, subnet.DefaultMaxMechanismCount)
	}
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetMechanismCount, both); !errors.Is(err, ErrHyperparameterCall) {
		t.Fatalf("a set function changing MaxAllowedUids too: %v", err)
	}
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetMaxAllowedUids, func(h *subnet.Hyperparameters, o subnet.Origin) error {
		return h.SetMaxAllowedUids(o, 128, 1)
	}); err != nil {
		t.Fatal(err)
	}
	mech := func(h *subnet.Hyperparameters, o subnet.Origin) error {
		return h.SetMechanismCount(o, 2, subnet.DefaultMaxMechanismCount)
	}
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetMechanismCount, mech); err != nil {
		t.Fatal(err)
	}
	if hyper(t, l, 1).MechanismCount != 2 {
		t.Fatal("mechanism count not set")
	}
	if l.rateLimits[RateLimitKey{Kind: RateLimitMechanismCount, Account: sOwner, NetUID: 1}] != l.Block() {
		t.Fatal("mechanism count rate limit not recorded")
	}
	if err := l.SetHyperparameter(Signed(sOwner), 1, CallSetMechanismCount, mech); !errors.Is(err, ErrTxRateLimitExceeded) {
		t.Fatalf("second mechanism count: %v", err)
	}
}
