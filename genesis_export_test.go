package dtao

import (
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// steppedNetwork is steppingNetwork after n blocks, with some stake calls
// between them: pending buckets, moving prices, dividends and root
// claimable rates all hold values.
func steppedNetwork(t testing.TB, n int) *Ledger {
	t.Helper()
	l := steppingNetwork(t)
	for i := range n {
		if _, err := l.Step(); err != nil {
			t.Fatal(err)
		}
		if i%37 == 0 {
			hk := units.AccountID{0xb0, byte(1 + i%2), byte(i % 3)}
			if _, err := l.AddStake(acctN(200), hk, units.NetUID(1+i%2), 1_000_000_000); err != nil {
				t.Fatal(err)
			}
		}
	}
	return l
}

// fullGenesis is a genesis in which every field of GenesisConfig, and of
// each type it holds, is set in at least one entry (Stakes aside: the
// exact form SharePools replaces it in an export).
func fullGenesis(t testing.TB) GenesisConfig {
	t.Helper()
	fullOnce.Do(func() { full = buildFullGenesis(t) })
	return cloneGenesis(t, full)
}

var (
	fullOnce sync.Once
	full     GenesisConfig
)

// cloneGenesis returns a deep copy of g, through the canonical encoding.
func cloneGenesis(t testing.TB, g GenesisConfig) GenesisConfig {
	t.Helper()
	var e encoder
	encodeGenesis(&e, &g)
	c, err := decodeGenesis(e.buf)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func buildFullGenesis(t testing.TB) GenesisConfig {
	g := steppedNetwork(t, 400).Genesis()
	g.BlockAuthor, g.HasBlockAuthor = acctN(200), true
	hk1, hk2 := units.AccountID{0xb0, 1, 1}, units.AccountID{0xb0, 1, 2}
	g.Delegates = []GenesisTake{{Hotkey: hk1, Take: 1000}}
	g.ChildkeyTakes = []GenesisChildkeyTake{{Hotkey: hk1, NetUID: 1, Take: 500}}
	g.ChildKeys = []GenesisChildren{{Parent: hk1, NetUID: 1, Children: []Link{{Proportion: 1 << 62, Hotkey: hk2}}}}
	g.PendingChildKeys = []GenesisPendingChildren{{Parent: hk2, NetUID: 1,
		Children: []Link{{Proportion: 1 << 61, Hotkey: hk1}}, CooldownBlock: g.Block + 7200}}
	g.RootClaimable = append(g.RootClaimable, GenesisRootClaimable{Hotkey: hk2, NetUID: 2, Rate: fixed.I96F32FromUint64(3)})
	g.RootClaimed = []GenesisRootClaimed{{NetUID: 1, Hotkey: hk1, Coldkey: units.AccountID{0xc0, 1, 1}, Claimed: fixed.U128FromUint64(77)}}
	g.RootClaimTypes = []GenesisRootClaimType{{Coldkey: units.AccountID{0xc0, 1, 1},
		Type: emission.RootClaimType{Kind: emission.RootClaimKeepSubnets, Subnets: []units.NetUID{2, 1}}}}
	g.RootClaimableThresholds = []GenesisRootClaimThreshold{{NetUID: 1, Threshold: fixed.I96F32FromUint64(500_000)}}
	g.NetworkLastLockCost, g.NetworkLastRegistered = 2_000_000_000_000, 900
	g.RateLimits = []GenesisRateLimit{{Key: RateLimitKey{Kind: RateLimitSetChildren, Account: hk1, NetUID: 1}, Block: 990}}
	p := *g.Params
	p.CKBurn, p.MinChildkeyTake, p.MinDelegateTake, p.StakeThreshold, p.StartCallDelay = 1<<60, 1, 2, 1000, 5
	g.Params = &p
	for i := range g.Subnets {
		if st := g.Subnets[i].Storage; st != nil {
			st.Globals.StakeThreshold = p.StakeThreshold
		}
	}
	r := &g.Subnets[0] // the root
	r.RootNeurons = []RootNeuron{{Hotkey: units.AccountID{0xb0, 1, 0}, BlockAtRegistration: 3},
		{Hotkey: units.AccountID{0xb0, 2, 1}, BlockAtRegistration: 9}}
	r.RegistrationsThisBlock, r.RegistrationsThisInterval = 1, 2
	s := &g.Subnets[2] // netuid 2
	s.Pool.MinReserve = 100
	g.Subnets[1].FirstEmissionBlock = 5
	s.NotStarted, s.SubtokenDisabled, s.EmissionDisabled, s.RecycleIncentive = true, true, true, true
	s.RegisteredAt, s.EMAPriceHalvingBlocks, s.MinerBurned = 7, 1000, fixed.U96F32FromUint64(1)
	g.TotalIssuance += 1_000_000_000 - s.Locked
	s.TaoFlow, s.Locked = -5, 1_000_000_000
	s.AccountBalance = s.Pool.TAO + s.Locked + 1000 // a registration's fee, say
	g.TotalIssuance += 1000
	s.ProtocolAlpha, s.RootClaimableAlpha, s.AlphaBurned = s.ProtocolAlpha+11, s.RootClaimableAlpha+12, s.AlphaBurned+13
	s.AlphaOutShortfall = 14
	s.PendingServer, s.PendingValidator, s.PendingRoot, s.PendingOwnerCut = s.PendingServer+1, s.PendingValidator+2, s.PendingRoot+3, s.PendingOwnerCut+4
	s.Pool.AlphaOut += 11 + 12 + 13 + 1 + 2 + 3 + 4 - 14
	s.Schedule.PendingEpochAt = g.Block + 3
	return g
}

// leafPaths records the path of every leaf of v that is not its zero
// value (into set) or, with set nil and v invalid, of every leaf of t
// (into all). Leaves are the non-composite kinds, the fixed-point types,
// arrays and subnet.Storage (whose own round trip subnet tests).
func leafPaths(t reflect.Type, v reflect.Value, path string, out map[string]bool) {
	leaf := func() {
		if !v.IsValid() || !v.IsZero() {
			out[path] = true
		}
	}
	if _, ok := leafCodecs[t]; ok || t == reflect.TypeFor[subnet.Storage]() {
		leaf()
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			var f reflect.Value
			if v.IsValid() {
				f = v.Field(i)
			}
			leafPaths(t.Field(i).Type, f, path+"."+t.Field(i).Name, out)
		}
	case reflect.Slice:
		if !v.IsValid() {
			leafPaths(t.Elem(), reflect.Value{}, path+"[]", out)
			return
		}
		for i := range v.Len() {
			leafPaths(t.Elem(), v.Index(i), path+"[]", out)
		}
	case reflect.Pointer:
		if !v.IsValid() {
			leafPaths(t.Elem(), reflect.Value{}, path, out)
		} else if !v.IsNil() {
			leafPaths(t.Elem(), v.Elem(), path, out)
		}
	default:
		leaf()
	}
}

// Genesis exports every field of GenesisConfig: a ledger built from a
// genesis that sets them all exports a config setting them all, and that
// config builds a ledger exporting it again unchanged.
func TestGenesisExportsEveryField(t *testing.T) {
	g := fullGenesis(t)
	l, err := NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	out := l.Genesis()
	typ := reflect.TypeFor[GenesisConfig]()
	all, set := map[string]bool{}, map[string]bool{}
	leafPaths(typ, reflect.Value{}, "", all)
	leafPaths(typ, reflect.ValueOf(out), "", set)
	in := map[string]bool{}
	leafPaths(typ, reflect.ValueOf(g), "", in)
	var missing []string
	for p := range all {
		if strings.HasPrefix(p, ".Stakes[]") {
			continue
		}
		if !in[p] {
			t.Errorf("the test's genesis does not set %s: extend fullGenesis", p)
		}
		if !set[p] {
			missing = append(missing, p)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Fatalf("Genesis does not export %v", missing)
	}
	if len(out.Stakes) != 0 {
		t.Fatal("the export holds Stakes, not only SharePools")
	}
	again, err := NewLedger(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Genesis(), out) {
		t.Fatal("NewLedger(Genesis()).Genesis() differs")
	}
	if again.StateHash() != l.StateHash() {
		t.Fatal("the rebuilt ledger has another StateHash")
	}
	// Every map of the ledger came back equal.
	for name, pair := range map[string][2]any{
		"delegateTake":       {l.delegateTake, again.delegateTake},
		"childkeyTake":       {l.childkeyTake, again.childkeyTake},
		"children":           {l.children, again.children},
		"parents":            {l.parents, again.parents},
		"pendingChildren":    {l.pendingChildren, again.pendingChildren},
		"rootClaimable":      {l.rootClaimable, again.rootClaimable},
		"claimIndex":         {l.claimIndex, again.claimIndex},
		"rootClaimed":        {l.rootClaimed, again.rootClaimed},
		"rootClaimType":      {l.rootClaimType, again.rootClaimType},
		"rootClaimThreshold": {l.rootClaimThreshold, again.rootClaimThreshold},
		"rateLimits":         {l.rateLimits, again.rateLimits},
		"rootNeurons":        {l.rootNeurons, again.rootNeurons},
		"balances":           {maps.Collect(l.balances.all()), maps.Collect(again.balances.all())},
		"owner":              {l.owner, again.owner},
		"stake":              {maps.Collect(l.stake.all()), maps.Collect(again.stake.all())},
		"subnets":            {l.subnets, again.subnets},
		"params":             {l.params, again.params},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s differs after the round trip", name)
		}
	}
	for id, sn := range l.nets {
		if !reflect.DeepEqual(sn.Storage(), again.nets[id].Storage()) {
			t.Errorf("netuid %d: the subnet's storage differs after the round trip", id)
		}
	}
	if l.lastLockCost != again.lastLockCost || l.lastNetworkRegistered != again.lastNetworkRegistered ||
		l.author != again.author || l.hasAuthor != again.hasAuthor || l.totalIssuance != again.totalIssuance ||
		l.totalStake != again.totalStake || l.block != again.block || l.ed != again.ed || l.minStake != again.minStake {
		t.Fatal("a scalar differs after the round trip")
	}
}

// The export is sorted whatever order the genesis listed things in.
func TestGenesisExportCanonical(t *testing.T) {
	g := fullGenesis(t)
	want, err := NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	r := g
	r.Accounts = slices.Clone(g.Accounts)
	slices.Reverse(r.Accounts)
	r.Hotkeys = slices.Clone(g.Hotkeys)
	slices.Reverse(r.Hotkeys)
	r.Subnets = slices.Clone(g.Subnets)
	slices.Reverse(r.Subnets)
	r.SharePools = slices.Clone(g.SharePools)
	slices.Reverse(r.SharePools)
	for i := range r.SharePools {
		r.SharePools[i].AlphaV2 = slices.Clone(r.SharePools[i].AlphaV2)
		slices.Reverse(r.SharePools[i].AlphaV2)
	}
	got, err := NewLedger(r)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Genesis(), want.Genesis()) || got.StateHash() != want.StateHash() {
		t.Fatal("the order of the genesis lists reached the export")
	}
}

// Stakes (the convenient form) become SharePools in the export, with the
// shares the chain would hold after staking into empty pools.
func TestGenesisStakesExportAsSharePools(t *testing.T) {
	l := testNetwork(t)
	g := l.Genesis()
	if len(g.SharePools) != 3 {
		t.Fatalf("%d share pools, want 3", len(g.SharePools))
	}
	for _, sp := range g.SharePools {
		want := l.stake.pool(stakeKey{sp.Hotkey, sp.NetUID})
		if sp.TotalHotkeyAlpha != want.Total() || sp.TotalHotkeySharesV2 != want.Denominator() || len(sp.AlphaV2) != want.Len() {
			t.Fatalf("pool %x/%d exported as %+v", sp.Hotkey[:2], sp.NetUID, sp)
		}
		for _, e := range sp.AlphaV2 {
			if s, _ := want.Share(e.Coldkey); s != e.Share {
				t.Fatal("a share differs")
			}
		}
	}
}

// A share pool's exact form keeps a representation staking cannot
// produce: value and denominator apart after dividends.
func TestGenesisSharePoolExact(t *testing.T) {
	l := testNetwork(t)
	k := stakeKey{acctN(100), 1}
	if err := l.stake.pool(k).Dividend(123_456_789); err != nil {
		t.Fatal(err)
	}
	l.subnets[1].Pool.AlphaOut += 123_456_789
	got, err := NewLedger(l.Genesis())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.stake.pool(k), l.stake.pool(k)) || got.StateHash() != l.StateHash() {
		t.Fatal("the share pool changed in the round trip")
	}
}

func TestGenesisValidationErrors(t *testing.T) {
	base := fullGenesis(t)
	if _, err := NewLedger(base); err != nil {
		t.Fatal(err)
	}
	hk1 := units.AccountID{0xb0, 1, 1}
	cases := []struct {
		name string
		edit func(g *GenesisConfig)
		want string
		also error
	}{
		{"share pool also in Stakes", func(g *GenesisConfig) {
			sp := g.SharePools[0]
			g.Stakes = []GenesisStake{{Hotkey: sp.Hotkey, Coldkey: acctN(9), NetUID: sp.NetUID, Alpha: 5}}
		}, "Stakes[0]: hotkey", nil},
		{"share pool twice", func(g *GenesisConfig) { g.SharePools = append(g.SharePools, g.SharePools[0]) },
			"already listed at [0]", nil},
		{"empty share pool", func(g *GenesisConfig) {
			g.SharePools = append(g.SharePools, GenesisSharePool{Hotkey: hk1, NetUID: 2})
		}, "an empty pool", nil},
		{"zero share", func(g *GenesisConfig) {
			g.SharePools[0].AlphaV2 = append(slices.Clone(g.SharePools[0].AlphaV2), GenesisShare{Coldkey: acctN(9)})
		}, "SharePools[0].AlphaV2[", nil},
		{"coldkey twice", func(g *GenesisConfig) {
			g.SharePools[0].AlphaV2 = append(slices.Clone(g.SharePools[0].AlphaV2), g.SharePools[0].AlphaV2[0])
		}, "SharePools[0].AlphaV2: coldkey", nil},
		{"share pool of a missing subnet", func(g *GenesisConfig) { g.SharePools[0].NetUID = 9 },
			"SharePools[0]: netuid 9 has no subnet", nil},
		{"share pool of an unowned hotkey", func(g *GenesisConfig) { g.SharePools[0].Hotkey = acctN(250) },
			"SharePools[0]: hotkey", nil},
		{"pending children on root", func(g *GenesisConfig) { g.PendingChildKeys[0].NetUID = 0 },
			"PendingChildKeys[0]: netuid 0", nil},
		{"pending parent its own child", func(g *GenesisConfig) {
			g.PendingChildKeys[0].Children = []Link{{Proportion: 1, Hotkey: g.PendingChildKeys[0].Parent}}
		}, "PendingChildKeys[0].Children[0]", nil},
		{"pending twice", func(g *GenesisConfig) { g.PendingChildKeys = append(g.PendingChildKeys, g.PendingChildKeys[0]) },
			"PendingChildKeys[1]", nil},
		{"child twice", func(g *GenesisConfig) {
			c := g.ChildKeys[0].Children[0]
			g.ChildKeys[0].Children = []Link{c, c}
		}, "ChildKeys[0].Children[1]", nil},
		{"claim type", func(g *GenesisConfig) { g.RootClaimTypes[0].Type.Kind = 9 }, "RootClaimTypes[0]", emission.ErrUnknownRootClaimKind},
		{"claim type twice", func(g *GenesisConfig) { g.RootClaimTypes = append(g.RootClaimTypes, g.RootClaimTypes[0]) },
			"RootClaimTypes[1]", nil},
		{"threshold negative", func(g *GenesisConfig) { g.RootClaimableThresholds[0].Threshold = fixed.I96F32FromInt64(-1) },
			"RootClaimableThresholds[0]", nil},
		{"threshold twice", func(g *GenesisConfig) {
			g.RootClaimableThresholds = append(g.RootClaimableThresholds, g.RootClaimableThresholds[0])
		}, "RootClaimableThresholds[1]", nil},
		{"rate limit kind", func(g *GenesisConfig) { g.RateLimits[0].Key.Kind = 0 }, "RateLimits[0]: unknown kind", nil},
		{"rate limit twice", func(g *GenesisConfig) { g.RateLimits = append(g.RateLimits, g.RateLimits[0]) },
			"RateLimits[1]", nil},
		{"hotkey twice", func(g *GenesisConfig) { g.Hotkeys = append(g.Hotkeys, g.Hotkeys[0]) }, "already listed at [0]", nil},
		{"storage on root", func(g *GenesisConfig) { g.Subnets[0].Storage = g.Subnets[1].Storage }, "Subnets[0]: the root subnet has no Storage", nil},
		{"storage of another netuid", func(g *GenesisConfig) { g.Subnets[1].Storage = g.Subnets[2].Storage },
			"Subnets[1] (netuid 1): Storage: the NetUid 2", nil},
		{"storage globals", func(g *GenesisConfig) {
			st := *g.Subnets[1].Storage
			st.Globals.TaoWeight++
			g.Subnets[1].Storage = &st
		}, "Subnets[1] (netuid 1): Storage: the Globals", nil},
		{"bad storage", func(g *GenesisConfig) {
			st := *g.Subnets[1].Storage
			st.Owners = st.Owners[:1]
			g.Subnets[1].Storage = &st
		}, "Subnets[1] (netuid 1): Storage:", subnet.ErrInvalidStorage},
		{"alpha out", func(g *GenesisConfig) { g.Subnets[1].Pool.AlphaOut++ }, "Subnets[1] (netuid 1): Pool.AlphaOut", ErrInvariant},
		{"issuance", func(g *GenesisConfig) { g.TotalIssuance++ }, "TotalIssuance", ErrInvariant},
		{"first emission block of a subnet not started", func(g *GenesisConfig) { g.Subnets[2].FirstEmissionBlock = 3 },
			"Subnets[2] (netuid 2): FirstEmissionBlock 3 on a subnet not started", nil},
		{"params takes", func(g *GenesisConfig) {
			p := *g.Params
			p.MinDelegateTake = p.MaxDelegateTake + 1
			g.Params = &p
		}, "Params.MinDelegateTake", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := fullGenesis(t)
			c.edit(&g)
			l, err := NewLedger(g)
			if l != nil || !errors.Is(err, ErrInvalidGenesis) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want ErrInvalidGenesis naming %q", err, c.want)
			}
			if c.also != nil && !errors.Is(err, c.also) {
				t.Fatalf("err = %v, want it to wrap %v", err, c.also)
			}
		})
	}
}
