package subnet

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// fataler is what the round-trip check needs of a *testing.T or a *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// checkStorageRoundTrip checks that s's storage rebuilds a subnet Equal to
// s, directly and through encoding/json.
func checkStorageRoundTrip(t fataler, s *Subnet) {
	t.Helper()
	st := s.Storage()
	got, err := FromStorage(st)
	if err != nil {
		t.Fatalf("FromStorage(s.Storage()): %v", err)
	}
	if !got.Equal(s) {
		t.Fatalf("FromStorage(s.Storage()) is not Equal to s")
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	var back Storage
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("json.Unmarshal: %v", err)
	}
	got, err = FromStorage(back)
	if err != nil {
		t.Fatalf("FromStorage after JSON: %v", err)
	}
	if !got.Equal(s) {
		t.Fatalf("FromStorage after JSON is not Equal to s")
	}
}

func mustOK(t testing.TB, errs ...error) {
	t.Helper()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
}

// richSubnet is a subnet with every storage item filled through the
// subnet's own calls: two mechanisms with an emission split, six neurons
// registered by burn, weights set on both mechanisms, three epochs (so
// that permits, incentive, bonds and stake weights are stored), then
// commit-reveal v2 commits on both mechanisms and timelocked commits, a
// moving price with fractional bits and a negative TAO flow.
func richSubnet(t testing.TB) *Subnet {
	t.Helper()
	s, err := New(3, acct(100), acct(0), amm.NewPool(1e13, 1e13), 1)
	mustOK(t, err)
	h := &s.Hyperparameters
	h.MinAllowedUids = 1
	mustOK(t,
		h.SetMaxAllowedUids(OriginRoot, 16, s.N()),
		s.SetMechanismCount(OriginRoot, 2, 2),
		h.SetEmissionSplit(OriginRoot, []uint16{40_000, 25_535}),
		h.SetCommitRevealWeightsEnabled(OriginRoot, false),
		h.SetWeightsSetRateLimit(OriginRoot, 0),
		h.SetMaxAllowedValidators(OriginRoot, 4),
	)
	for i := uint64(1); i <= 5; i++ {
		s.Step(1 + i)
		_, err := s.Register(RegisterRequest{Coldkey: acct(100 + i), Hotkey: acct(i), Balance: 1e12,
			ExistentialDeposit: 1, Block: 1 + i})
		mustOK(t, err)
	}
	n := int(s.N())
	stake := StakeView{Alpha: make([]units.Alpha, n), TAO: make([]units.TAO, n)}
	for i := range n {
		stake.Alpha[i] = units.Alpha(uint64(n-i) * 1e12)
		stake.TAO[i] = units.TAO(uint64(i) * 1e11)
	}
	var ws Workspace
	_, err = s.RunEpoch(Now{Block: 10}, 1e9, stake, &ws)
	mustOK(t, err)
	setters := 0
	for uid, permit := range s.ValidatorPermit() {
		if !permit && uid != 0 {
			continue
		}
		setters++
		for mech := range uint8(2) {
			uids := []uint16{0, 1, 2, 3, 4, 5}
			values := []uint16{1, uint16(10 * uid), 30, 40 + uint16(mech), 50, 60}
			mustOK(t, s.SetWeights(Now{Block: 11}, Signer{Hotkey: acct(uint64(uid)), Stake: 1e12}, mech, uids, values, 0))
		}
	}
	if setters < 2 {
		t.Fatalf("%d validators set weights", setters)
	}
	for _, b := range []uint64{20, 30} {
		_, err = s.RunEpoch(Now{Block: b}, 1e9, stake, &ws)
		mustOK(t, err)
	}
	mustOK(t, h.SetCommitRevealWeightsEnabled(OriginRoot, true))
	at := Now{Block: 31, Epoch: 5}
	w := TimelockedWeights{Hotkey: acct(3), UIDs: []uint16{0, 1}, Values: []uint16{5, 6}, VersionKey: 2}
	mustOK(t,
		s.CommitWeights(at, Signer{Hotkey: acct(2)}, 0, [32]byte{1, 2, 3}),
		s.CommitWeights(at, Signer{Hotkey: acct(1)}, 0, [32]byte{4}),
		s.CommitWeights(at, Signer{Hotkey: acct(4)}, 1, [32]byte{5}),
		s.CommitTimelockedWeights(at, Signer{Hotkey: acct(3)}, 0, w, 1234, DefaultCommitRevealVersion),
		s.CommitTimelockedWeights(at, Signer{Hotkey: acct(5)}, 1, TimelockedWeights{Legacy: true}, 99, DefaultCommitRevealVersion),
		s.CommitTimelockedWeights(Now{Block: 40, Epoch: 6}, Signer{Hotkey: acct(3)}, 0, w, 1300, DefaultCommitRevealVersion),
	)
	s.MovingPrice = fixed.I96F32FromBits(0, 0x1_2345_6789)
	s.TaoFlow = -12_345
	return s
}

// A subnet after registrations, weights on two mechanisms, epochs and
// commits rebuilds Equal from its storage, directly and through JSON; the
// storage shares nothing with the subnet it came from or went to.
func TestStorageRoundTrip(t *testing.T) {
	s := richSubnet(t)
	st := s.Storage()
	// The subnet under test holds every kind of item.
	nonEmptyRow := func(rows [][]consensus.Entry) bool {
		return slices.ContainsFunc(rows, func(r []consensus.Entry) bool { return len(r) > 0 })
	}
	if len(st.Keys) != 6 || len(st.StakeWeight) != 6 || len(st.Incentive) != 2 || len(st.Incentive[1]) != 6 ||
		!nonEmptyRow(st.Bonds[0]) || !nonEmptyRow(st.Bonds[1]) || !nonEmptyRow(st.Weights[1]) ||
		len(st.WeightCommits[0]) != 2 || len(st.WeightCommits[1]) != 1 ||
		len(st.TimelockedWeightCommits[0]) != 2 || len(st.TimelockedWeightCommits[1]) != 1 ||
		st.LastMechansimStepBlock != 30 || st.RAORecycledForRegistration == 0 {
		t.Fatalf("the subnet does not hold every item: %+v", st)
	}
	checkStorageRoundTrip(t, s)

	// Storage is a deep copy: changing it leaves s as it was.
	before := s.Clone()
	st.Keys[1] = acct(77)
	st.Bonds[0][1] = append(st.Bonds[0][1][:0], consensus.Entry{UID: 5, Value: 1})
	st.Weights[1][0][0].Value++
	st.LastUpdate[0][0]++
	st.WeightCommits[0][0].Commits[0].Block++
	st.TimelockedWeightCommits[0][0].Commits[0].Weights.UIDs[0]++
	st.Incentive[1][0]++
	if !before.Equal(s) {
		t.Fatal("changing the Storage changed the subnet")
	}

	// FromStorage copies too: changing the storage afterwards leaves the
	// subnet built from it as it was.
	st = s.Storage()
	got, err := FromStorage(st)
	mustOK(t, err)
	st.Keys[2] = acct(78)
	st.Weights[0][0][0].UID = 4
	st.WeightCommits[1][0].Commits[0].Epoch++
	st.TimelockedWeightCommits[1][0].Commits[0].Block++
	st.Bonds[1][0] = nil
	if !got.Equal(s) {
		t.Fatal("changing the Storage changed the subnet FromStorage built")
	}
}

// The JSON form holds integers as JSON integers, fixed-point values as
// strings of their raw bits, and uses the chain's item names.
func TestStorageJSONForm(t *testing.T) {
	s := richSubnet(t)
	b, err := json.Marshal(s.Storage())
	mustOK(t, err)
	var raw map[string]json.RawMessage
	mustOK(t, json.Unmarshal(b, &raw))
	for _, k := range []string{"NetUid", "SubnetOwner", "SubnetOwnerHotkey", "Burn", "RegistrationsThisBlock",
		"RAORecycledForRegistration", "SubnetTaoFlow", "SubnetMovingPrice", "Keys", "Owner",
		"BlockAtRegistration", "Active", "Emission", "Consensus", "Dividends", "ValidatorTrust",
		"ValidatorPermit", "StakeWeight", "Incentive", "Bonds", "Weights", "LastUpdate",
		"LastMechansimStepBlock", "WeightCommits", "TimelockedWeightCommits", "Hyperparameters", "Globals", "Pool"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("no %q in the JSON", k)
		}
	}
	// 0x1_2345_6789 raw bits = 4886718345.
	if got := string(raw["SubnetMovingPrice"]); got != `"4886718345"` {
		t.Errorf("SubnetMovingPrice %s, want the raw bits as a string", got)
	}
	if got := string(raw["SubnetTaoFlow"]); got != "-12345" {
		t.Errorf("SubnetTaoFlow %s", got)
	}
	if got, want := string(raw["Burn"]), strconv.FormatUint(uint64(s.Burn), 10); got != want {
		t.Errorf("Burn %s, want the rao %s", got, want)
	}
}

// A Subnet from New, and the zero-neuron storage, round-trip too.
func TestStorageRoundTripNew(t *testing.T) {
	s, err := New(1, acct(1), acct(2), amm.NewPool(1e9, 1e9), 7)
	mustOK(t, err)
	checkStorageRoundTrip(t, s)
	st := s.Storage()
	if len(st.Keys) != 1 || st.Keys[0] != acct(2) || st.Owners[0] != acct(1) || st.BlockAtRegistration[0] != 7 ||
		len(st.LastUpdate) != 1 || st.LastUpdate[0][0] != 7 {
		t.Fatalf("storage of a new subnet: %+v", st)
	}
	empty := Storage{Hyperparameters: DefaultHyperparameters(), Pool: amm.NewPool(1e9, 1e9), Globals: DefaultGlobals()}
	got, err := FromStorage(empty)
	mustOK(t, err)
	if got.N() != 0 {
		t.Fatalf("N %d", got.N())
	}
	checkStorageRoundTrip(t, got)
}

// Storage a genesis writes by hand may list commit queues in any order,
// leave out mechanisms and hold shorter Incentive, StakeWeight and
// LastUpdate vectors; the subnet holds the queues sorted, and its own
// storage lists them so.
func TestFromStorageLenient(t *testing.T) {
	s := richSubnet(t)
	st := s.Storage()
	slices.Reverse(st.WeightCommits[0])
	slices.Reverse(st.TimelockedWeightCommits[0])
	got, err := FromStorage(st)
	mustOK(t, err)
	if !got.Equal(s) {
		t.Fatal("reordered commit queues built another subnet")
	}
	st2 := got.Storage()
	if st2.WeightCommits[0][0].Hotkey != acct(1) || st2.TimelockedWeightCommits[0][0].Epoch != 5 {
		t.Fatalf("queues not sorted: %x, epoch %d", st2.WeightCommits[0][0].Hotkey[:1], st2.TimelockedWeightCommits[0][0].Epoch)
	}

	st = s.Storage()
	st.Incentive = st.Incentive[:1]
	st.Incentive[0] = st.Incentive[0][:3]
	st.StakeWeight = st.StakeWeight[:2]
	st.LastUpdate = [][]uint64{st.LastUpdate[0][:4]}
	st.Bonds, st.Weights, st.WeightCommits, st.TimelockedWeightCommits = nil, nil, nil, nil
	got, err = FromStorage(st)
	mustOK(t, err)
	if len(got.Incentive(0)) != 3 || len(got.Incentive(1)) != 0 || len(got.StakeWeight()) != 2 ||
		len(got.LastUpdate(0)) != 6 || got.LastUpdate(0)[5] != 0 || len(got.Weights.Rows(1)) != 0 {
		t.Fatal("the short vectors were not taken as stored")
	}
	checkStorageRoundTrip(t, got)
}

// Each storage FromStorage refuses: the error wraps ErrInvalidStorage
// (and the underlying error where there is one) and names the field.
func TestFromStorageInvalid(t *testing.T) {
	base := richSubnet(t).Storage()
	poolErr := func() error {
		p := base.Pool
		p.Mechanism = 7
		return p.Validate()
	}()
	if poolErr == nil {
		t.Fatal("mechanism 7 is a valid pool")
	}
	tooMany := make([]WeightCommit, MaxUnrevealedCommits+1)
	manyTimelocked := make([]TimelockedCommit, MaxUnrevealedCommits+1)
	for i := range manyTimelocked {
		manyTimelocked[i].Hotkey = acct(3)
	}
	type tc struct {
		name   string
		field  string
		also   error
		mutate func(st *Storage)
	}
	cases := []tc{
		{"hyperparameters", "Hyperparameters", ErrAlphaHighTooLow, func(st *Storage) { st.Hyperparameters.AlphaHigh = 0 }},
		{"pool", "Pool", poolErr, func(st *Storage) { st.Pool.Mechanism = 7 }},
		{"owner hotkey subnet account", "SubnetOwnerHotkey", ErrCannotUseSystemAccount,
			func(st *Storage) { st.SubnetOwnerHotkey = SubnetAccountID(9) }},
		{"N above MaxAllowedUids", "Keys", nil, func(st *Storage) { st.Hyperparameters.MaxAllowedUids = 5 }},
		{"hotkey subnet account", "Keys[2]", ErrCannotUseSystemAccount, func(st *Storage) { st.Keys[2] = SubnetAccountID(3) }},
		{"duplicate hotkey", "Keys[3]", nil, func(st *Storage) { st.Keys[3] = st.Keys[1] }},
		{"long StakeWeight", "StakeWeight", nil, func(st *Storage) { st.StakeWeight = append(st.StakeWeight, 0) }},
		{"long Incentive", "Incentive[1]", nil, func(st *Storage) { st.Incentive[1] = append(st.Incentive[1], 0) }},
		{"long LastUpdate", "LastUpdate[0]", nil, func(st *Storage) { st.LastUpdate[0] = append(st.LastUpdate[0], 0) }},
		{"too many bond rows", "Bonds[0]", nil, func(st *Storage) { st.Bonds[0] = append(st.Bonds[0], make([][]consensus.Entry, 7)...) }},
		{"bond uid out of range", "Bonds[1][0][0]", nil,
			func(st *Storage) { st.Bonds[1][0] = []consensus.Entry{{UID: 6, Value: 1}} }},
		{"bond uid twice", "Bonds[1][0][1]", nil,
			func(st *Storage) { st.Bonds[1][0] = []consensus.Entry{{UID: 2, Value: 1}, {UID: 2, Value: 3}} }},
		{"too many weight rows", "Weights[1]", nil,
			func(st *Storage) { st.Weights[1] = append(st.Weights[1], make([][]consensus.Entry, 7)...) }},
		{"weight uid out of range", "Weights[0][0][1]", nil, func(st *Storage) { st.Weights[0][0][1].UID = 600 }},
		{"weight uid twice", "Weights[0][0][2]", nil, func(st *Storage) { st.Weights[0][0][2].UID = st.Weights[0][0][0].UID }},
		{"commit hotkey twice", "WeightCommits[0][1]", nil,
			func(st *Storage) { st.WeightCommits[0][1].Hotkey = st.WeightCommits[0][0].Hotkey }},
		{"empty commit queue", "WeightCommits[1][0]", nil, func(st *Storage) { st.WeightCommits[1][0].Commits = nil }},
		{"too many commits", "WeightCommits[1][0]", nil, func(st *Storage) { st.WeightCommits[1][0].Commits = tooMany }},
		{"epoch twice", "TimelockedWeightCommits[0][1]", nil, func(st *Storage) {
			st.TimelockedWeightCommits[0][1].Epoch = st.TimelockedWeightCommits[0][0].Epoch
		}},
		{"empty timelocked queue", "TimelockedWeightCommits[1][0]", nil,
			func(st *Storage) { st.TimelockedWeightCommits[1][0].Commits = []TimelockedCommit{} }},
		{"too many timelocked commits", "TimelockedWeightCommits[0][0]", nil,
			func(st *Storage) { st.TimelockedWeightCommits[0][0].Commits = manyTimelocked }},
	}
	// Every vector of N entries, one short.
	for _, f := range []struct {
		field string
		cut   func(st *Storage)
	}{
		{"Owners", func(st *Storage) { st.Owners = st.Owners[1:] }},
		{"BlockAtRegistration", func(st *Storage) { st.BlockAtRegistration = st.BlockAtRegistration[1:] }},
		{"Active", func(st *Storage) { st.Active = st.Active[1:] }},
		{"Emission", func(st *Storage) { st.Emission = st.Emission[1:] }},
		{"Consensus", func(st *Storage) { st.Consensus = st.Consensus[1:] }},
		{"Dividends", func(st *Storage) { st.Dividends = st.Dividends[1:] }},
		{"ValidatorTrust", func(st *Storage) { st.ValidatorTrust = st.ValidatorTrust[1:] }},
		{"ValidatorPermit", func(st *Storage) { st.ValidatorPermit = nil }},
	} {
		cases = append(cases, tc{"short " + f.field, f.field, nil, f.cut})
	}
	// Every per-mechanism item, one mechanism beyond MechanismCount.
	for _, f := range []struct {
		field string
		grow  func(st *Storage)
	}{
		{"Incentive", func(st *Storage) { st.Incentive = append(st.Incentive, nil) }},
		{"Bonds", func(st *Storage) { st.Bonds = append(st.Bonds, nil) }},
		{"Weights", func(st *Storage) { st.Weights = append(st.Weights, nil) }},
		{"LastUpdate", func(st *Storage) { st.LastUpdate = append(st.LastUpdate, nil) }},
		{"WeightCommits", func(st *Storage) { st.WeightCommits = append(st.WeightCommits, nil) }},
		{"TimelockedWeightCommits", func(st *Storage) { st.TimelockedWeightCommits = append(st.TimelockedWeightCommits, nil) }},
	} {
		cases = append(cases, tc{"extra mechanism " + f.field, f.field + ": 3 mechanisms", nil, f.grow})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// A fresh deep copy of base for each case.
			st := mustSubnet(t, base).Storage()
			c.mutate(&st)
			s, err := FromStorage(st)
			if !errors.Is(err, ErrInvalidStorage) {
				t.Fatalf("FromStorage = %v, want ErrInvalidStorage", err)
			}
			if s != nil {
				t.Fatal("a subnet returned with the error")
			}
			if !strings.Contains(err.Error(), c.field) {
				t.Fatalf("error %q does not name %s", err, c.field)
			}
			if c.also != nil && !errors.Is(err, c.also) {
				t.Fatalf("error %v does not wrap %v", err, c.also)
			}
		})
	}
}

func mustSubnet(t testing.TB, st Storage) *Subnet {
	t.Helper()
	s, err := FromStorage(st)
	mustOK(t, err)
	return s
}

// The lifecycle machine (lifecycle_rapid_test.go), with timelocked
// commits and their reveals added: after every action the subnet's
// storage rebuilds it, directly and through JSON.
func TestPropertyStorageRoundTrip(t *testing.T) {
	if lcStats.errs == nil {
		lcStats.errs, lcStats.oks = map[string]int{}, map[string]int{}
	}
	rapid.Check(t, func(t *rapid.T) {
		m := newLifecycle(t)
		actions := m.actions()
		actions["timelocked commit"] = m.timelockedCommit
		actions["timelocked reveal"] = m.timelockedReveal
		actions[""] = func(t *rapid.T) {
			m.check(t)
			checkStorageRoundTrip(t, m.s)
		}
		t.Repeat(actions)
	})
}

// timelockedCommit commits drawn timelocked weights on mechanism 0 (the
// lifecycle's subnet has one), whatever the outcome.
func (m *lifecycle) timelockedCommit(t *rapid.T) {
	hot := m.drawSigner(t)
	uids, values := m.drawWeights(t, 0)
	w := TimelockedWeights{Hotkey: hot, Legacy: rapid.Bool().Draw(t, "legacy"), UIDs: uids, Values: values}
	round := rapid.Uint64Range(0, 3).Draw(t, "round")
	_ = m.s.CommitTimelockedWeights(m.now(), Signer{Hotkey: hot, Stake: 1}, 0, w, round, DefaultCommitRevealVersion)
}

// timelockedReveal runs the block's timelocked reveal with drand's rounds
// published up to a drawn one.
func (m *lifecycle) timelockedReveal(t *rapid.T) {
	published := rapid.Uint64Range(0, 3).Draw(t, "published")
	m.s.RevealTimelockedCommits(m.now(), func(units.AccountID) uint64 { return 1 },
		func(r uint64) bool { return r <= published })
}

// fuzzSeedEmpty and fuzzSeedFull are valid storage in compact JSON (an
// account or hash as a short array is its leading bytes): the seeds are
// kept small because the fuzzer's minimisation of an input is quadratic
// in its length.
const (
	fuzzSeedEmpty = `{"NetUid":2,"Hyperparameters":{"activity_cutoff_factor_milli":1000,"max_n":4,` +
		`"min_allowed_uids":1,"alpha_low":2000,"alpha_high":2000,"commit_reveal_period":1,` +
		`"immune_owner_uids_limit":1,"burn_half_life":1,"burn_increase_mult":"18446744073709551616",` +
		`"max_burn":100000001,"mechanism_count":1},"Pool":{"QuoteWeight":500000000000000000,"Mechanism":1}}`
	fuzzSeedFull = `{"NetUid":2,"Hyperparameters":{"activity_cutoff_factor_milli":1000,"max_n":4,` +
		`"min_allowed_uids":1,"alpha_low":2000,"alpha_high":2000,"commit_reveal_period":1,` +
		`"immune_owner_uids_limit":1,"burn_half_life":1,"burn_increase_mult":"18446744073709551616",` +
		`"max_burn":100000001,"mechanism_count":2},"Pool":{"QuoteWeight":500000000000000000,"Mechanism":1},` +
		`"SubnetOwnerHotkey":[2],"HasSubnetOwnerHotkey":true,"SubnetMovingPrice":"-5",` +
		`"Keys":[[2],[3],[4]],"Owner":[[1],[1],[1]],"BlockAtRegistration":[3,3,4],"Active":[true,true,false],` +
		`"Emission":[0,5,0],"Consensus":[0,0,1],"Dividends":[1,0,0],"ValidatorTrust":[0,0,0],` +
		`"ValidatorPermit":[true,false,false],"StakeWeight":[1,2],"Incentive":[[0,0,0],[1]],` +
		`"Bonds":[[null,[{"UID":2,"Value":9}]]],` +
		`"Weights":[[[{"UID":1,"Value":65535}],null,[{"UID":0,"Value":1},{"UID":2,"Value":2}]]],` +
		`"LastUpdate":[[3,3,4],[4]],"WeightCommits":[[{"Hotkey":[3],"Commits":[{"Hash":[7],"Epoch":1,"Block":4}]}]],` +
		`"TimelockedWeightCommits":[[],[{"Epoch":2,"Commits":[{"Hotkey":[4],"Block":5,` +
		`"Weights":{"Hotkey":[4],"UIDs":[0],"Values":[1]},"RevealRound":8}]}]]}`
)

// FromStorage never panics; what it accepts rebuilds Equal from its own
// storage, directly and through JSON; what it refuses is ErrInvalidStorage.
func FuzzFromStorage(f *testing.F) {
	for _, seed := range []string{fuzzSeedEmpty, fuzzSeedFull} {
		var st Storage
		if err := json.Unmarshal([]byte(seed), &st); err != nil {
			f.Fatal(err)
		}
		if _, err := FromStorage(st); err != nil {
			f.Fatalf("seed refused: %v", err)
		}
		f.Add([]byte(seed))
	}
	f.Add([]byte(strings.Replace(fuzzSeedFull, `"Keys":[[2],[3],`, `"Keys":[[2],[2],`, 1)))
	f.Add([]byte(`{"Keys":[[1],[1]],"Hyperparameters":{"mechanism_count":17}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var st Storage
		if json.Unmarshal(data, &st) != nil {
			return
		}
		s, err := FromStorage(st)
		if err != nil {
			if !errors.Is(err, ErrInvalidStorage) || s != nil {
				t.Fatalf("FromStorage = %v, %v", s, err)
			}
			return
		}
		checkStorageRoundTrip(t, s)
	})
}

// TestStorageAppendAndClearNeurons builds a storage by hand: the appended
// neurons are the ones Register would append (but for the payment), and a
// cleared storage is a subnet without neurons; FromStorage accepts both.
func TestStorageAppendAndClearNeurons(t *testing.T) {
	owner, ohk := units.AccountID{1}, units.AccountID{2}
	s, err := New(3, owner, ohk, amm.NewPool(1_000_000_000_000, 1_000_000_000_000), 10)
	if err != nil {
		t.Fatal(err)
	}
	st := s.Storage()
	st.AppendNeuron(units.AccountID{3}, units.AccountID{4}, 20)
	st.AppendNeuron(units.AccountID{5}, units.AccountID{6}, 21)
	got, err := FromStorage(st)
	if err != nil {
		t.Fatal(err)
	}
	if got.N() != 3 {
		t.Fatalf("N = %d", got.N())
	}
	if h, _ := got.Hotkey(2); h != (units.AccountID{5}) {
		t.Errorf("uid 2 is %x", h[:1])
	}
	if c, _ := got.Coldkey(1); c != (units.AccountID{4}) {
		t.Errorf("uid 1 owned by %x", c[:1])
	}
	if b := got.BlockAtRegistration(); b[1] != 20 || b[2] != 21 {
		t.Errorf("registration blocks %v", b)
	}
	if lu := got.LastUpdate(0); len(lu) != 3 || lu[2] != 21 {
		t.Errorf("LastUpdate %v", lu)
	}
	st.ClearNeurons()
	empty, err := FromStorage(st)
	if err != nil {
		t.Fatal(err)
	}
	if empty.N() != 0 || empty.HasOwnerHotkey {
		t.Errorf("N = %d, owner hotkey %v", empty.N(), empty.HasOwnerHotkey)
	}
}
