package dtao

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/dtao-go/dtao/units"
	"github.com/dtao-go/dtao/wallet"
)

// Genesis() → JSON → ParseGenesisJSON → NewLedger gives the same state.
func TestGenesisJSONRoundTrip(t *testing.T) {
	for name, g := range map[string]GenesisConfig{
		"full":    fullGenesis(t),
		"stepped": steppedNetwork(t, 200).Genesis(),
		"small":   testNetwork(t).Genesis(),
	} {
		t.Run(name, func(t *testing.T) {
			want, err := NewLedger(g)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := WriteGenesisJSON(&b, want.Genesis()); err != nil {
				t.Fatal(err)
			}
			text := b.String()
			parsed, err := ParseGenesisJSON(strings.NewReader(text))
			if err != nil {
				t.Fatal(err)
			}
			got, err := NewLedger(parsed)
			if err != nil {
				t.Fatal(err)
			}
			if got.StateHash() != want.StateHash() {
				t.Fatal("the ledger read from JSON has another StateHash")
			}
			// MarshalJSON and UnmarshalJSON through encoding/json agree.
			data, err := json.Marshal(want.Genesis())
			if err != nil {
				t.Fatal(err)
			}
			var again GenesisConfig
			if err := json.Unmarshal(data, &again); err != nil {
				t.Fatal(err)
			}
			if l, err := NewLedger(again); err != nil || l.StateHash() != want.StateHash() {
				t.Fatalf("json.Unmarshal of json.Marshal: %v", err)
			}
			// Chain storage names, SS58 accounts and rao integers.
			for _, key := range []string{`"SubnetTAO"`, `"SubnetAlphaIn"`, `"SubnetAlphaOut"`, `"SubnetMovingPrice"`,
				`"TotalHotkeyAlpha"`, `"TotalHotkeySharesV2"`, `"AlphaV2"`, `"Keys"`, `"Uids"`, `"Tempo"`,
				`"Owner"`, `"Delegates"`, `"ChildKeys"`, `"mantissa"`} {
				if !strings.Contains(text, key) {
					t.Errorf("the JSON has no %s key", key)
				}
			}
			if !strings.Contains(text, `"`+wallet.Address(acctN(0))+`"`) && name == "small" {
				t.Error("accounts are not written as SS58")
			}
		})
	}
}

func TestGenesisJSONAccountForms(t *testing.T) {
	a := acctN(7)
	hex := "0xa007000000000000000000000000000000000000000000000000000000000000"
	ss58 := wallet.Address(a)
	for _, form := range []string{hex, ss58} {
		in := `{"Block":0,"ExistentialDeposit":500,"Account":[{"Account":"` + form + `","Free":1000}]}`
		g, err := ParseGenesisJSON(strings.NewReader(in))
		if err != nil {
			t.Fatalf("%s: %v", form, err)
		}
		if len(g.Accounts) != 1 || g.Accounts[0].Account != a || g.Accounts[0].Balance != 1000 {
			t.Fatalf("%s: %+v", form, g.Accounts)
		}
	}
}

// A hand-written genesis in the chain's terms: a root subnet, a subnet as
// register_network creates it, stakes in the convenient form.
func TestGenesisJSONHandWritten(t *testing.T) {
	owner, hk, nominator := wallet.Address(acctN(1)), wallet.Address(acctN(101)), wallet.Address(acctN(2))
	in := `{
	"Block": 10,
	"Account": [{"Account": "` + owner + `", "Free": 5000000000}, {"Account": "` + nominator + `", "Free": 7000000000}],
	"Subnets": [
		{"NetUid": 0, "SubnetOwner": "` + owner + `", "SubnetTAO": 1000000000, "SubnetMechanism": 0,
		 "SwapBalancer": 500000000000000000, "SubnetLocked": 500, "SubtokenEnabled": true, "SubnetEmissionEnabled": true,
		 "FirstEmissionBlockNumber": 0, "RecycleOrBurn": "Burn"},
		{"NetUid": 1, "SubnetOwner": "` + owner + `", "SubnetOwnerHotkey": "` + hk + `",
		 "SubnetTAO": 2000000000, "SubnetAlphaIn": 2000000000, "SubnetAlphaOut": 3000000,
		 "SubnetMechanism": 1, "SwapBalancer": 500000000000000000, "FeeRate": 33, "SubnetLocked": 1000000000,
		 "SubtokenEnabled": true, "SubnetEmissionEnabled": true, "FirstEmissionBlockNumber": 10}
	],
	"Stakes": [{"Hotkey": "` + hk + `", "Coldkey": "` + nominator + `", "NetUid": 1, "Alpha": 3000000}],
	"TotalStake": 3000000000
}`
	g, err := ParseGenesisJSON(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLedger(g)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Stake(acctN(101), acctN(2), 1); got != 3_000_000 {
		t.Fatalf("stake %d", got)
	}
	if s, _ := l.Subnet(1); s.Schedule.Tempo == 0 || s.FirstEmissionBlock != 10 || !s.Started {
		t.Fatalf("subnet 1: %+v", s)
	}
	if o, ok := l.Owner(acctN(101)); !ok || o != acctN(1) {
		t.Fatal("the owner hotkey is not owned by the subnet owner")
	}
}

func TestGenesisJSONStrict(t *testing.T) {
	var full bytes.Buffer
	if err := WriteGenesisJSON(&full, fullGenesis(t)); err != nil {
		t.Fatal(err)
	}
	base := full.String()
	replace := func(old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("the full genesis holds no %q", old)
		}
		return strings.Replace(base, old, new, 1)
	}
	hk := wallet.Address(units.AccountID{0xb0, 1, 1})
	cases := []struct {
		name, in string
		want     string
		sentinel error
	}{
		{"unknown top-level key", `{"Block":1,"Blocks":2}`, `unknown field "Blocks"`, ErrInvalidGenesisJSON},
		{"unknown subnet key", replace(`"SubnetTAO"`, `"SubnetTao"`), `unknown field "SubnetTao"`, ErrInvalidGenesisJSON},
		{"unknown Params key", replace(`"TaoWeight"`, `"TaoWeigth"`), `unknown field "TaoWeigth"`, ErrInvalidGenesisJSON},
		{"unknown hyperparameter", replace(`"tempo"`, `"tempoo"`), `unknown field "tempoo"`, ErrInvalidGenesisJSON},
		{"amount as a string", `{"TotalStake":"5"}`, "TotalStake", ErrInvalidGenesisJSON},
		{"amount in decimal TAO", `{"TotalStake":1.5}`, "TotalStake", ErrInvalidGenesisJSON},
		{"negative amount", `{"Account":[{"Account":"` + hk + `","Free":-1}]}`, "Free", ErrInvalidGenesisJSON},
		{"bad account", `{"Account":[{"Account":"5notanaddress","Free":1000}]}`, `account "5notanaddress"`, ErrInvalidGenesisJSON},
		{"second value", `{"Block":1} {"Block":2}`, "data after the genesis", ErrInvalidGenesisJSON},
		{"not normalised SafeFloat", `{"AlphaV2":[{"Hotkey":"` + hk + `","Coldkey":"` + hk + `","NetUid":1,"Value":{"mantissa":"5","exponent":0}}]}`,
			"AlphaV2[0].Value", ErrInvalidGenesisJSON},
		{"TotalHotkeyAlpha twice", `{"TotalHotkeyAlpha":[{"Hotkey":"` + hk + `","NetUid":1,"Value":5},{"Hotkey":"` + hk + `","NetUid":1,"Value":6}]}`,
			"TotalHotkeyAlpha[1]: hotkey", ErrInvalidGenesisJSON},
		{"uid disagrees", replace(`"Uid": 1`, `"Uid": 2`), "Uids[1]", ErrInvalidGenesisJSON},
		{"recycle or burn", replace(`"RecycleOrBurn": "Burn"`, `"RecycleOrBurn": "Keep"`), "RecycleOrBurn", ErrInvalidGenesisJSON},
		{"claim type", replace(`"KeepSubnets"`, `"KeepSome"`), "RootClaimType[0].Type", ErrInvalidGenesisJSON},
		{"rate limit kind", replace(`"SetChildren"`, `"SetChild"`), "LastRateLimitedBlock[0].Kind", ErrInvalidGenesisJSON},
		{"neuron items without hyperparameters", `{"Subnets":[{"NetUid":3,"Keys":[]}]}`, "Subnets[0]: neuron storage items", ErrInvalidGenesisJSON},
		{"invalid state", regexp.MustCompile(`"SubnetAccountBalance": [0-9]+`).ReplaceAllString(base, `"SubnetAccountBalance": 1`),
			"the subnet account would hold 1 rao, below the existential deposit", ErrInvalidGenesis},
		{"alpha out", `{"Subnets":[{"NetUid":0,"SubnetTAO":1,"SwapBalancer":500000000000000000,"SubnetLocked":500,"SubnetAlphaOut":4}]}`,
			"Pool.AlphaOut 4", ErrInvalidGenesis},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseGenesisJSON(strings.NewReader(c.in))
			if !errors.Is(err, c.sentinel) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %v naming %q", err, c.sentinel, c.want)
			}
		})
	}
}
