package subnet_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// The metagraph is the subnet's state as Python users read it: dense W
// and B from the stored rows, the per-uid vectors, the stake view, JSON
// under the Python names, and a snapshot the subnet's later changes do not
// reach.
func TestMetagraph(t *testing.T) {
	const n = 6
	nt := newNet(t, n, 3)
	s := nt.s
	stake := stakeView(n)
	var ws subnet.Workspace
	nt.epochBoth(t, 50, 1e12, stake, &ws)
	nt.setWeights(t, 200, stake, rand.New(rand.NewPCG(9, 9)))
	nt.epochBoth(t, 300, 1e12, stake, &ws)
	m, err := s.Metagraph(301, 0, stake)
	if err != nil {
		t.Fatal(err)
	}
	if m.N != n || m.Block != 301 || m.NetUID != 1 || len(m.UIDs) != n || m.UIDs[5] != 5 {
		t.Fatalf("header %d %d %d %v", m.N, m.Block, m.NetUID, m.UIDs)
	}
	for i := range n {
		for _, e := range nt.hand.Weights[i] {
			if m.W[i][e.UID] != e.Value {
				t.Errorf("W[%d][%d] = %d, want %d", i, e.UID, m.W[i][e.UID], e.Value)
			}
		}
		for _, e := range nt.hand.Bonds[i] {
			if m.B[i][e.UID] != e.Value {
				t.Errorf("B[%d][%d] = %d, want %d", i, e.UID, m.B[i][e.UID], e.Value)
			}
		}
		if want := subnet.TotalStake(stake.Alpha[i], stake.TAO[i], s.Globals.TaoWeight); m.S[i] != want || m.S[i] < uint64(stake.Alpha[i]) {
			t.Errorf("S[%d] = %d, want %d", i, m.S[i], want)
		}
	}
	if !slices.Equal(m.I, s.Incentive(0)) || !slices.Equal(m.D, s.Dividends()) || !slices.Equal(m.C, s.Consensus()) ||
		!slices.Equal(m.Tv, s.ValidatorTrust()) || !slices.Equal(m.E, s.Emission()) || !slices.Equal(m.LastUpdate, s.LastUpdate(0)) ||
		!slices.Equal(m.ValidatorPermit, s.ValidatorPermit()) || !slices.Equal(m.Active, s.Active()) ||
		!slices.Equal(m.BlockAtRegistration, s.BlockAtRegistration()) || !slices.Equal(m.Hotkeys, s.Hotkeys()) ||
		m.Hyperparameters != s.Hyperparameters {
		t.Error("a vector differs from the subnet's")
	}
	// Display floats: x/65535.
	for i, f := range m.IncentiveFloat() {
		if f != float64(m.I[i])/65535 || f < 0 || f > 1 {
			t.Errorf("I float %d = %v", i, f)
		}
	}
	if subnet.ProportionFloat(65535) != 1 || subnet.ProportionFloat(0) != 0 {
		t.Error("ProportionFloat ends")
	}
	// A snapshot: later epochs do not change it.
	i0 := slices.Clone(m.I)
	w0 := slices.Clone(m.W[1])
	nt.setWeights(t, 400, stake, rand.New(rand.NewPCG(1, 1)))
	nt.epochBoth(t, 500, 1e12, stake, &ws)
	if !slices.Equal(i0, m.I) || !slices.Equal(w0, m.W[1]) {
		t.Error("the snapshot changed with the subnet")
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"n", "block", "netuid", "uids", "hotkeys", "coldkeys", "S", "alpha_stake", "tao_stake",
		"W", "B", "I", "D", "C", "Tv", "E", "last_update", "validator_permit", "active", "block_at_registration", "hparams"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	var hot []string
	if err := json.Unmarshal(keys["hotkeys"], &hot); err != nil || len(hot) != n || hot[0] != "0x"+strings.Repeat("00", 32) {
		t.Errorf("hotkeys %v %v", hot, err)
	}
	if !strings.Contains(string(keys["hparams"]), `"max_n":256`) {
		t.Errorf("hparams %s", keys["hparams"])
	}
	if _, err := s.Metagraph(1, 1, stake); !errors.Is(err, subnet.ErrMechanismDoesNotExist) {
		t.Errorf("mechanism 1: %v", err)
	}
	if _, err := s.Metagraph(1, 0, subnet.StakeView{}); !errors.Is(err, subnet.ErrInvalidStakeView) {
		t.Errorf("empty stake: %v", err)
	}
}

// DynamicInfo is the pool as the runtime API's get_dynamic_info reports
// it, and its conversions are sim_swap in both directions, slippage
// included.
func TestDynamicInfo(t *testing.T) {
	pool := amm.NewPool(2_000*units.RaoPerTAO, 1_000*units.RaoPerTAO)
	s, err := subnet.New(7, key(1), key(2), pool, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ws subnet.Workspace
	if _, err := s.RunEpoch(subnet.Now{Block: 30}, 0, subnet.StakeView{Alpha: []units.Alpha{0}}, &ws); err != nil {
		t.Fatal(err)
	}
	d := s.DynamicInfo(100)
	if d.NetUID != 7 || d.Symbol != units.NetUID(7).Symbol() || d.OwnerHotkey != key(2) || d.OwnerColdkey != key(1) ||
		d.Tempo != 360 || d.LastStep != 30 || d.BlocksSinceLastStep != 70 || d.Price != pool.Price() ||
		d.TaoIn != pool.TAO || d.AlphaIn != pool.AlphaIn || d.AlphaOut != pool.AlphaOut {
		t.Errorf("%+v", d)
	}
	if s.DynamicInfo(20).BlocksSinceLastStep != 0 {
		t.Error("blocks since last step does not saturate")
	}
	buy, err := d.TaoToAlpha(100 * units.RaoPerTAO)
	want, _ := pool.SimulateBuy(100 * units.RaoPerTAO)
	if err != nil || buy != want || buy.AlphaSlippage == 0 || buy.AlphaAmount == 0 {
		t.Errorf("buy %+v, want %+v (%v)", buy, want, err)
	}
	sell, err := d.AlphaToTao(100 * units.RaoPerTAO)
	wantSell, _ := pool.SimulateSell(100 * units.RaoPerTAO)
	if err != nil || sell != wantSell || sell.TAOSlippage == 0 || sell.TAOAmount == 0 {
		t.Errorf("sell %+v, want %+v (%v)", sell, wantSell, err)
	}
	b, err := json.Marshal(d)
	if err != nil || !strings.Contains(string(b), `"owner_hotkey":"0x02`) || !strings.Contains(string(b), `"blocks_since_last_step":70`) {
		t.Errorf("%s %v", b, err)
	}
}
