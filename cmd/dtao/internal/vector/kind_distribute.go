package vector

import (
	"bytes"
	"encoding/hex"
	"encoding/json"

	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/units"
)

type distributeEmissionIn struct {
	Hotkey    string `json:"hotkey"`
	Incentive uint64 `json:"incentive"`
	Dividend  uint64 `json:"dividend"`
}

type distributeParentIn struct {
	Hotkey     string `json:"hotkey"`
	Proportion uint64 `json:"proportion"`
}

type distributeStateIn struct {
	Owner            string            `json:"owner"`
	AlphaStake       uint64            `json:"alpha_stake"`
	RootStake        uint64            `json:"root_stake"`
	DelegateTake     uint16            `json:"delegate_take"`
	ChildkeyTake     uint16            `json:"childkey_take"`
	ChildProportions []json.RawMessage `json:"child_proportions"`
	Parents          []json.RawMessage `json:"parents"`
}

type distributePayoutOut struct {
	Hotkey string `json:"hotkey"`
	Amount uint64 `json:"amount"`
}

type distributeDividendOut struct {
	Hotkey string `json:"hotkey"`
	Take   uint64 `json:"take"`
	Rest   uint64 `json:"rest"`
}

// distribute answers kind "distribute": one subnet's payout at its epoch
// (distribute_emission, coinbase/run_coinbase.rs) through
// emission.Distribute. A state field left out reads as the chain's storage
// default, delegate_take as emission.DefaultDelegateTake.
func distribute(raw json.RawMessage) (any, error) {
	var in struct {
		PendingServer    uint64            `json:"pending_server"`
		PendingValidator uint64            `json:"pending_validator"`
		PendingRoot      uint64            `json:"pending_root"`
		PendingOwnerCut  uint64            `json:"pending_owner_cut"`
		TaoWeight        uint64            `json:"tao_weight"`
		CKBurn           uint64            `json:"ck_burn"`
		Emissions        []json.RawMessage `json:"emissions"`
		Hotkeys          json.RawMessage   `json:"hotkeys"`
		OwnerHotkeys     []string          `json:"owner_hotkeys"`
		RecycleWithheld  bool              `json:"recycle_withheld"`
	}
	if err := decodeInput(raw, &in, "pending_server", "pending_validator", "pending_root", "pending_owner_cut",
		"tao_weight", "ck_burn", "emissions", "hotkeys", "owner_hotkeys", "recycle_withheld"); err != nil {
		return nil, err
	}
	if in.Emissions == nil || in.OwnerHotkeys == nil {
		return nil, badVector("fields \"emissions\" and \"owner_hotkeys\" must be lists")
	}
	di := emission.DistributionInput{
		PendingServer:    units.Alpha(in.PendingServer),
		PendingValidator: units.Alpha(in.PendingValidator),
		PendingRoot:      units.Alpha(in.PendingRoot),
		PendingOwnerCut:  units.Alpha(in.PendingOwnerCut),
		TaoWeight:        in.TaoWeight,
		CKBurn:           in.CKBurn,
		Emissions:        make([]emission.HotkeyEmission, len(in.Emissions)),
		Hotkeys:          map[units.AccountID]emission.HotkeyState{},
		OwnerHotkeys:     make([]units.AccountID, len(in.OwnerHotkeys)),
		RecycleWithheld:  in.RecycleWithheld,
	}
	seen := map[units.AccountID]bool{}
	for i, rawEmission := range in.Emissions {
		var e distributeEmissionIn
		if err := decodeInput(rawEmission, &e, "hotkey", "incentive", "dividend"); err != nil {
			return nil, badVector("emissions[%d]: %v", i, err)
		}
		hotkey, err := parseAccount(e.Hotkey)
		if err != nil {
			return nil, badVector("emissions[%d].hotkey: %v", i, err)
		}
		if seen[hotkey] {
			return nil, badVector("emissions[%d]: hotkey %s is repeated", i, e.Hotkey)
		}
		seen[hotkey] = true
		di.Emissions[i] = emission.HotkeyEmission{Hotkey: hotkey, Incentive: units.Alpha(e.Incentive), Dividend: units.Alpha(e.Dividend)}
	}
	for i, s := range in.OwnerHotkeys {
		hotkey, err := parseAccount(s)
		if err != nil {
			return nil, badVector("owner_hotkeys[%d]: %v", i, err)
		}
		di.OwnerHotkeys[i] = hotkey
	}
	entries, err := objectEntries(in.Hotkeys)
	if err != nil {
		return nil, badVector("hotkeys: %v", err)
	}
	for _, entry := range entries {
		hotkey, err := parseAccount(entry.key)
		if err != nil {
			return nil, badVector("hotkeys: key: %v", err)
		}
		state, err := decodeHotkeyState(entry.value)
		if err != nil {
			return nil, badVector("hotkeys[%s]: %v", entry.key, err)
		}
		di.Hotkeys[hotkey] = state
	}

	d, err := emission.Distribute(&di)
	if err != nil {
		return nil, err
	}
	out := struct {
		OwnerCut        uint64                  `json:"owner_cut"`
		ValidatorPool   uint64                  `json:"validator_pool"`
		Incentives      []distributePayoutOut   `json:"incentives"`
		Withheld        uint64                  `json:"withheld"`
		MinerBurnedBits string                  `json:"miner_burned_bits"`
		AlphaDividends  []distributeDividendOut `json:"alpha_dividends"`
		RootDividends   []distributeDividendOut `json:"root_dividends"`
		CKBurned        uint64                  `json:"ck_burned"`
	}{
		OwnerCut:        d.OwnerCut.Rao(),
		ValidatorPool:   d.ValidatorPool.Rao(),
		Incentives:      make([]distributePayoutOut, len(d.Incentives)),
		Withheld:        d.Withheld.Rao(),
		MinerBurnedBits: d.MinerBurned.BitsString(),
		AlphaDividends:  dividendsOut(d.AlphaDividends),
		RootDividends:   dividendsOut(d.RootDividends),
		CKBurned:        d.CKBurned.Rao(),
	}
	for i, p := range d.Incentives {
		out.Incentives[i] = distributePayoutOut{Hotkey: hex.EncodeToString(p.Hotkey[:]), Amount: p.Amount.Rao()}
	}
	return out, nil
}

// decodeHotkeyState decodes one state of "hotkeys"; every field is
// optional and reads as the chain's storage default when left out.
func decodeHotkeyState(raw json.RawMessage) (emission.HotkeyState, error) {
	if err := refuseNulls(raw); err != nil {
		return emission.HotkeyState{}, err
	}
	s := distributeStateIn{Owner: hex.EncodeToString(make([]byte, 32)), DelegateTake: emission.DefaultDelegateTake}
	if err := decodeInput(raw, &s); err != nil {
		return emission.HotkeyState{}, err
	}
	owner, err := parseAccount(s.Owner)
	if err != nil {
		return emission.HotkeyState{}, badVector("owner: %v", err)
	}
	state := emission.HotkeyState{
		Owner:            owner,
		AlphaStake:       units.Alpha(s.AlphaStake),
		RootStake:        units.Alpha(s.RootStake),
		DelegateTake:     emission.TakeOf(s.DelegateTake),
		ChildkeyTake:     s.ChildkeyTake,
		ChildProportions: make([]uint64, len(s.ChildProportions)),
		Parents:          make([]emission.ParentLink, len(s.Parents)),
	}
	for i, v := range s.ChildProportions {
		if bytes.Equal(bytes.TrimSpace(v), []byte("null")) || json.Unmarshal(v, &state.ChildProportions[i]) != nil {
			return emission.HotkeyState{}, badVector("child_proportions[%d] must be a u64", i)
		}
	}
	for i, rawParent := range s.Parents {
		var p distributeParentIn
		if err := decodeInput(rawParent, &p, "hotkey", "proportion"); err != nil {
			return emission.HotkeyState{}, badVector("parents[%d]: %v", i, err)
		}
		parent, err := parseAccount(p.Hotkey)
		if err != nil {
			return emission.HotkeyState{}, badVector("parents[%d].hotkey: %v", i, err)
		}
		state.Parents[i] = emission.ParentLink{Hotkey: parent, Proportion: p.Proportion}
	}
	return state, nil
}

// refuseNulls rejects a null value of any field of the object raw: the
// optional lists of a hotkey state default to empty, but null is not a list.
func refuseNulls(raw json.RawMessage) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return badVector("input must be a JSON object")
	}
	for name, v := range fields {
		if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			return badVector("field %q must not be null", name)
		}
	}
	return nil
}

func dividendsOut(ds []emission.DividendPayout) []distributeDividendOut {
	out := make([]distributeDividendOut, len(ds))
	for i, d := range ds {
		out[i] = distributeDividendOut{Hotkey: hex.EncodeToString(d.Hotkey[:]), Take: d.Take.Rao(), Rest: d.Rest.Rao()}
	}
	return out
}

// parseAccount reads an account as 64 lower-case hex characters.
func parseAccount(s string) (units.AccountID, error) {
	var id units.AccountID
	if len(s) != 2*len(id) {
		return id, badVector("an account is 64 lower-case hex characters, got %d characters", len(s))
	}
	for i := range len(s) {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return id, badVector("an account is 64 lower-case hex characters, got %q at %d", c, i)
		}
	}
	_, _ = hex.Decode(id[:], []byte(s))
	return id, nil
}

type objectEntry struct {
	key   string
	value json.RawMessage
}

// objectEntries reads the JSON object raw as its entries in order,
// refusing a repeated key (which encoding/json would silently overwrite).
func objectEntries(raw json.RawMessage) ([]objectEntry, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, badVector("must be a JSON object")
	}
	var entries []objectEntry
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, badVector("%v", err)
		}
		key, _ := tok.(string)
		if seen[key] {
			return nil, badVector("key %q is repeated", key)
		}
		seen[key] = true
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, badVector("%v", err)
		}
		entries = append(entries, objectEntry{key, value})
	}
	return entries, nil
}
