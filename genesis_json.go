package dtao

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
	"github.com/dtao-go/dtao/wallet"
)

// The JSON genesis. Its keys are the chain's storage item names
// (pallets/subtensor/src/lib.rs at 14bc6f9f), so that a dump of chain
// storage maps onto it item by item:
//
//   - scalars: Block, ExistentialDeposit, DefaultMinStake, BlockAuthor
//     (absent or null: none), TotalIssuance (absent or 0: the balances'
//     sum, otherwise checked against it), TotalStake, NetworkLastLockCost,
//     NetworkLastRegistered, Params (absent or null: DefaultParams; its
//     keys are the Params field names, themselves storage item names);
//   - Account: the free balances, {"Account", "Free"}; Owner: the hotkeys'
//     coldkeys, {"Hotkey", "Coldkey"};
//   - Subnets: one object per subnet holding the subnet's items: NetUid,
//     SubnetOwner, SubnetOwnerHotkey (absent: none), SubnetTAO,
//     SubnetAlphaIn, SubnetAlphaOut, SubnetMechanism, FeeRate,
//     SwapBalancer (the pool's quote weight, a Perquintill),
//     PalSwapInitialized, SwapMinimumReserve, SubnetLocked,
//     SubtokenEnabled, AlphaBurned, SubnetTaoFlow, NetworkRegisteredAt,
//     FirstEmissionBlockNumber (absent or null: start_call not called),
//     SubnetEmissionEnabled, Tempo, LastEpochBlock, PendingEpochAt,
//     BlocksSinceLastStep, SubnetEpochIndex, SubnetMovingPrice,
//     EMAPriceHalvingBlocks, MinerBurned, PendingServerEmission,
//     PendingValidatorEmission, PendingRootAlphaDivs, PendingOwnerCut,
//     SubnetProtocolAlpha, RootClaimableAlpha, RecycleOrBurn ("Burn" or
//     "Recycle"); for the root subnet its neurons, Keys (the hotkeys by
//     uid), Uids (derived from Keys; checked when present) and
//     BlockAtRegistration, and its RegistrationsThisBlock and
//     RegistrationsThisInterval; and for a non-root subnet its neurons'
//     storage (see subnet.Storage): Hyperparameters (absent or null: a subnet as
//     register_network creates it, and no other neuron item may be
//     given), Globals (absent: the Params' values), Burn,
//     RegistrationsThisBlock, RAORecycledForRegistration,
//     LastMechansimStepBlock, Keys, Uids (derived from Keys; checked when
//     present), Owner (each uid's coldkey), BlockAtRegistration, Active,
//     Emission, Consensus, Dividends, ValidatorTrust, ValidatorPermit,
//     StakeWeight, Incentive, Bonds and Weights (rows of [uid, value]
//     pairs), LastUpdate, WeightCommits, TimelockedWeightCommits;
//   - the share pools as the chain stores them: TotalHotkeyAlpha
//     {"Hotkey", "NetUid", "Value"}, TotalHotkeySharesV2 and AlphaV2
//     (with "Coldkey"), whose SafeFloat values are {"mantissa", "exponent"}
//     as share-pool's SafeFloat holds them (a missing item is the chain's
//     default, zero); Stakes {"Hotkey", "Coldkey", "NetUid", "Alpha"} is
//     the convenient form, staked into empty pools;
//   - Delegates, ChildkeyTake, ChildKeys and PendingChildKeys (children as
//     {"Proportion", "Hotkey"}), RootClaimable, RootClaimed, RootClaimType
//     ("Swap", "Keep" or "KeepSubnets" with "Subnets"),
//     RootClaimableThreshold, LastRateLimitedBlock ({"Kind", "Account",
//     "NetUid", "Block"}, Kind one of LastTxBlock,
//     LastTxBlockDelegateTake, LastTxBlockChildKeyTake, SetChildren,
//     OwnerHyperparamUpdate).
//
// Values. Accounts are SS58 addresses (written with prefix 42, read with
// any prefix) or "0x" and 64 hex digits, except inside WeightCommits and
// TimelockedWeightCommits, which keep subnet's JSON (arrays of 32 bytes).
// Amounts of TAO and alpha are JSON integers of rao, as chain storage
// holds them (units.TAO and units.Alpha's JSON form; their text form,
// decimal TAO, is for people, not for genesis files). Other integers are
// JSON integers; fixed-point values (SubnetMovingPrice, MinerBurned,
// RootClaimable, thresholds, Params' SubnetMovingAlpha) are strings of
// their raw bits, U128 values strings of decimal digits.
//
// Decoding is strict: an unknown key anywhere is an error naming it, as
// is a value of the wrong type, a second JSON value after the genesis, or
// an entry the wire cannot hold (a SafeFloat that is not normalised, an
// item listed twice, Uids disagreeing with Keys), named by its list and
// index.

// ErrInvalidGenesisJSON is wrapped by every error of ParseGenesisJSON and
// GenesisConfig.UnmarshalJSON that is not the validation of the decoded
// genesis (which wraps ErrInvalidGenesis).
var ErrInvalidGenesisJSON = errors.New("dtao: invalid JSON genesis")

func jsonErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidGenesisJSON}, args...)...)
}

// ParseGenesisJSON reads a JSON genesis (see the format above) from r to
// its end, decodes it strictly and validates it with NewLedger, returning
// the config or an error: ErrInvalidGenesisJSON naming the key or entry
// the JSON gets wrong, or NewLedger's error (ErrInvalidGenesis) naming the
// GenesisConfig field and entry (the share pools as SharePools entries,
// in the order of their first appearance in TotalHotkeyAlpha,
// TotalHotkeySharesV2 and AlphaV2).
func ParseGenesisJSON(r io.Reader) (GenesisConfig, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return GenesisConfig{}, fmt.Errorf("dtao: read JSON genesis: %w", err)
	}
	var g GenesisConfig
	if err := g.UnmarshalJSON(data); err != nil {
		return GenesisConfig{}, err
	}
	if _, err := NewLedger(g); err != nil {
		return GenesisConfig{}, err
	}
	return g, nil
}

// WriteGenesisJSON writes g as an indented JSON genesis to w.
func WriteGenesisJSON(w io.Writer, g GenesisConfig) error {
	wire, err := g.toJSON()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(wire); err != nil {
		return fmt.Errorf("dtao: write JSON genesis: %w", err)
	}
	return nil
}

// MarshalJSON encodes g as a JSON genesis. A GenesisSubnet's Storage with
// a NetUID other than the subnet's is an error (the format keys the
// storage by the subnet's netuid).
func (g GenesisConfig) MarshalJSON() ([]byte, error) {
	wire, err := g.toJSON()
	if err != nil {
		return nil, err
	}
	return json.Marshal(wire)
}

// UnmarshalJSON decodes a JSON genesis strictly (see the format) into g,
// without validating the state: NewLedger does that. On error g is
// unchanged.
func (g *GenesisConfig) UnmarshalJSON(data []byte) error {
	// First the keys and the leaves, against the wire's types: errors
	// that name their path.
	pre := json.NewDecoder(bytes.NewReader(data))
	pre.UseNumber()
	var generic any
	if err := pre.Decode(&generic); err != nil {
		return jsonErr("%w", err)
	}
	if _, err := pre.Token(); err != io.EOF {
		return jsonErr("data after the genesis object")
	}
	if err := checkJSON(generic, reflect.TypeFor[genesisJSON](), ""); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var wire genesisJSON
	if err := dec.Decode(&wire); err != nil {
		return jsonErr("%w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return jsonErr("data after the genesis object")
	}
	out, err := wire.toGenesis()
	if err != nil {
		return err
	}
	*g = out
	return nil
}

// jsonAccount is an account in a JSON genesis: SS58 out, SS58 or 0x hex in.
type jsonAccount units.AccountID

func (a jsonAccount) MarshalText() ([]byte, error) {
	return []byte(wallet.Address(units.AccountID(a))), nil
}

func (a *jsonAccount) UnmarshalText(b []byte) error {
	id, err := wallet.ParseAccountID(string(b))
	if err != nil {
		return fmt.Errorf("account %q: %w", b, err)
	}
	*a = jsonAccount(id)
	return nil
}

func accountsToJSON(as []units.AccountID) []jsonAccount {
	if as == nil {
		return nil
	}
	out := make([]jsonAccount, len(as))
	for i, a := range as {
		out[i] = jsonAccount(a)
	}
	return out
}

func accountsFromJSON(as []jsonAccount) []units.AccountID {
	if as == nil {
		return nil
	}
	out := make([]units.AccountID, len(as))
	for i, a := range as {
		out[i] = units.AccountID(a)
	}
	return out
}

// jsonSafeFloat is share-pool's SafeFloat {mantissa: u128, exponent: i64}.
type jsonSafeFloat struct {
	Mantissa fixed.U128 `json:"mantissa"`
	Exponent int64      `json:"exponent"`
}

func safeFloatToJSON(x fixed.SafeFloat) jsonSafeFloat {
	hi, lo, exp := x.Parts()
	return jsonSafeFloat{Mantissa: fixed.U128FromBits(hi, lo), Exponent: exp}
}

func (j jsonSafeFloat) safeFloat(field string, i int) (fixed.SafeFloat, error) {
	hi, lo := j.Mantissa.Bits()
	x, ok := fixed.SafeFloatFromParts(hi, lo, j.Exponent)
	if !ok {
		return x, jsonErr("%s[%d].Value: mantissa %s, exponent %d is not a normalised SafeFloat", field, i, j.Mantissa, j.Exponent)
	}
	return x, nil
}

type genesisJSON struct {
	Block                  uint64                `json:"Block"`
	ExistentialDeposit     units.TAO             `json:"ExistentialDeposit"`
	DefaultMinStake        units.TAO             `json:"DefaultMinStake"`
	BlockAuthor            *jsonAccount          `json:"BlockAuthor,omitempty"`
	TotalIssuance          units.TAO             `json:"TotalIssuance,omitempty"`
	TotalStake             units.TAO             `json:"TotalStake"`
	NetworkLastLockCost    units.TAO             `json:"NetworkLastLockCost"`
	NetworkLastRegistered  uint64                `json:"NetworkLastRegistered"`
	Params                 *Params               `json:"Params,omitempty"`
	Account                []jsonBalance         `json:"Account"`
	Owner                  []jsonOwner           `json:"Owner"`
	Subnets                []jsonSubnet          `json:"Subnets"`
	TotalHotkeyAlpha       []jsonHotkeyAlpha     `json:"TotalHotkeyAlpha"`
	TotalHotkeySharesV2    []jsonHotkeyShares    `json:"TotalHotkeySharesV2"`
	AlphaV2                []jsonAlphaV2         `json:"AlphaV2"`
	Stakes                 []jsonStake           `json:"Stakes,omitempty"`
	Delegates              []jsonTake            `json:"Delegates"`
	ChildkeyTake           []jsonChildkeyTake    `json:"ChildkeyTake"`
	ChildKeys              []jsonChildren        `json:"ChildKeys"`
	PendingChildKeys       []jsonPendingChildren `json:"PendingChildKeys"`
	RootClaimable          []jsonRootClaimable   `json:"RootClaimable"`
	RootClaimed            []jsonRootClaimed     `json:"RootClaimed"`
	RootClaimType          []jsonRootClaimType   `json:"RootClaimType"`
	RootClaimableThreshold []jsonRootClaimThresh `json:"RootClaimableThreshold"`
	LastRateLimitedBlock   []jsonRateLimit       `json:"LastRateLimitedBlock"`
}

type jsonBalance struct {
	Account jsonAccount `json:"Account"`
	Free    units.TAO   `json:"Free"`
}

type jsonOwner struct {
	Hotkey  jsonAccount `json:"Hotkey"`
	Coldkey jsonAccount `json:"Coldkey"`
}

type jsonHotkeyAlpha struct {
	Hotkey jsonAccount  `json:"Hotkey"`
	NetUID units.NetUID `json:"NetUid"`
	Value  units.Alpha  `json:"Value"`
}

type jsonHotkeyShares struct {
	Hotkey jsonAccount   `json:"Hotkey"`
	NetUID units.NetUID  `json:"NetUid"`
	Value  jsonSafeFloat `json:"Value"`
}

type jsonAlphaV2 struct {
	Hotkey  jsonAccount   `json:"Hotkey"`
	Coldkey jsonAccount   `json:"Coldkey"`
	NetUID  units.NetUID  `json:"NetUid"`
	Value   jsonSafeFloat `json:"Value"`
}

type jsonStake struct {
	Hotkey  jsonAccount  `json:"Hotkey"`
	Coldkey jsonAccount  `json:"Coldkey"`
	NetUID  units.NetUID `json:"NetUid"`
	Alpha   units.Alpha  `json:"Alpha"`
}

type jsonTake struct {
	Hotkey jsonAccount `json:"Hotkey"`
	Take   uint16      `json:"Take"`
}

type jsonChildkeyTake struct {
	Hotkey jsonAccount  `json:"Hotkey"`
	NetUID units.NetUID `json:"NetUid"`
	Take   uint16       `json:"Take"`
}

type jsonLink struct {
	Proportion uint64      `json:"Proportion"`
	Hotkey     jsonAccount `json:"Hotkey"`
}

func linksToJSON(ls []Link) []jsonLink {
	out := make([]jsonLink, len(ls))
	for i, l := range ls {
		out[i] = jsonLink{l.Proportion, jsonAccount(l.Hotkey)}
	}
	return out
}

func linksFromJSON(ls []jsonLink) []Link {
	if ls == nil {
		return nil
	}
	out := make([]Link, len(ls))
	for i, l := range ls {
		out[i] = Link{Proportion: l.Proportion, Hotkey: units.AccountID(l.Hotkey)}
	}
	return out
}

type jsonChildren struct {
	Parent   jsonAccount  `json:"Parent"`
	NetUID   units.NetUID `json:"NetUid"`
	Children []jsonLink   `json:"Children"`
}

type jsonPendingChildren struct {
	Parent        jsonAccount  `json:"Parent"`
	NetUID        units.NetUID `json:"NetUid"`
	Children      []jsonLink   `json:"Children"`
	CooldownBlock uint64       `json:"CooldownBlock"`
}

type jsonRootClaimable struct {
	Hotkey jsonAccount  `json:"Hotkey"`
	NetUID units.NetUID `json:"NetUid"`
	Rate   fixed.I96F32 `json:"Rate"`
}

type jsonRootClaimed struct {
	NetUID  units.NetUID `json:"NetUid"`
	Hotkey  jsonAccount  `json:"Hotkey"`
	Coldkey jsonAccount  `json:"Coldkey"`
	Claimed fixed.U128   `json:"Claimed"`
}

type jsonRootClaimType struct {
	Coldkey jsonAccount    `json:"Coldkey"`
	Type    string         `json:"Type"`
	Subnets []units.NetUID `json:"Subnets,omitempty"`
}

var rootClaimKinds = []string{
	emission.RootClaimSwap:        "Swap",
	emission.RootClaimKeep:        "Keep",
	emission.RootClaimKeepSubnets: "KeepSubnets",
}

type jsonRootClaimThresh struct {
	NetUID    units.NetUID `json:"NetUid"`
	Threshold fixed.I96F32 `json:"Threshold"`
}

type jsonRateLimit struct {
	Kind    string       `json:"Kind"`
	Account jsonAccount  `json:"Account"`
	NetUID  units.NetUID `json:"NetUid"`
	Block   uint64       `json:"Block"`
}

var rateLimitKinds = map[RateLimitKind]string{
	RateLimitTx:              "LastTxBlock",
	RateLimitDelegateTake:    "LastTxBlockDelegateTake",
	RateLimitChildkeyTake:    "LastTxBlockChildKeyTake",
	RateLimitSetChildren:     "SetChildren",
	RateLimitOwnerHyperparam: "OwnerHyperparamUpdate",
}

// jsonEntry is one cell of a Weights or Bonds row: [uid, value].
type jsonEntry [2]uint16

type jsonUid struct {
	Hotkey jsonAccount `json:"Hotkey"`
	UID    units.UID   `json:"Uid"`
}

type jsonSubnet struct {
	NetUID                   units.NetUID  `json:"NetUid"`
	SubnetOwner              jsonAccount   `json:"SubnetOwner"`
	SubnetOwnerHotkey        *jsonAccount  `json:"SubnetOwnerHotkey,omitempty"`
	SubnetTAO                units.TAO     `json:"SubnetTAO"`
	SubnetAlphaIn            units.Alpha   `json:"SubnetAlphaIn"`
	SubnetAlphaOut           units.Alpha   `json:"SubnetAlphaOut"`
	SubnetMechanism          amm.Mechanism `json:"SubnetMechanism"`
	FeeRate                  uint16        `json:"FeeRate"`
	SwapBalancer             uint64        `json:"SwapBalancer"`
	PalSwapInitialized       bool          `json:"PalSwapInitialized"`
	SwapMinimumReserve       uint64        `json:"SwapMinimumReserve"`
	SubnetLocked             units.TAO     `json:"SubnetLocked"`
	SubnetAccountBalance     units.TAO     `json:"SubnetAccountBalance"`
	SubtokenEnabled          bool          `json:"SubtokenEnabled"`
	AlphaBurned              units.Alpha   `json:"AlphaBurned"`
	SubnetTaoFlow            int64         `json:"SubnetTaoFlow"`
	NetworkRegisteredAt      uint64        `json:"NetworkRegisteredAt"`
	FirstEmissionBlockNumber *uint64       `json:"FirstEmissionBlockNumber,omitempty"`
	SubnetEmissionEnabled    bool          `json:"SubnetEmissionEnabled"`
	Tempo                    uint16        `json:"Tempo"`
	LastEpochBlock           uint64        `json:"LastEpochBlock"`
	PendingEpochAt           uint64        `json:"PendingEpochAt"`
	BlocksSinceLastStep      uint64        `json:"BlocksSinceLastStep"`
	SubnetEpochIndex         uint64        `json:"SubnetEpochIndex"`
	SubnetMovingPrice        fixed.I96F32  `json:"SubnetMovingPrice"`
	EMAPriceHalvingBlocks    uint64        `json:"EMAPriceHalvingBlocks"`
	MinerBurned              fixed.U96F32  `json:"MinerBurned"`
	PendingServerEmission    units.Alpha   `json:"PendingServerEmission"`
	PendingValidatorEmission units.Alpha   `json:"PendingValidatorEmission"`
	PendingRootAlphaDivs     units.Alpha   `json:"PendingRootAlphaDivs"`
	PendingOwnerCut          units.Alpha   `json:"PendingOwnerCut"`
	SubnetProtocolAlpha      units.Alpha   `json:"SubnetProtocolAlpha"`
	RootClaimableAlpha       units.Alpha   `json:"RootClaimableAlpha"`
	AlphaOutShortfall        units.Alpha   `json:"AlphaOutShortfall"`
	RecycleOrBurn            string        `json:"RecycleOrBurn"`

	// The neurons' storage (subnet.Storage), for a non-root subnet.
	Hyperparameters            *subnet.Hyperparameters           `json:"Hyperparameters,omitempty"`
	Globals                    *subnet.Globals                   `json:"Globals,omitempty"`
	Burn                       units.TAO                         `json:"Burn,omitempty"`
	RegistrationsThisBlock     uint16                            `json:"RegistrationsThisBlock,omitempty"`
	RegistrationsThisInterval  uint16                            `json:"RegistrationsThisInterval,omitempty"`
	RAORecycledForRegistration units.TAO                         `json:"RAORecycledForRegistration,omitempty"`
	LastMechansimStepBlock     uint64                            `json:"LastMechansimStepBlock,omitempty"`
	Keys                       []jsonAccount                     `json:"Keys,omitempty"`
	Uids                       []jsonUid                         `json:"Uids,omitempty"`
	Owner                      []jsonAccount                     `json:"Owner,omitempty"`
	BlockAtRegistration        []uint64                          `json:"BlockAtRegistration,omitempty"`
	Active                     []bool                            `json:"Active,omitempty"`
	Emission                   []units.Alpha                     `json:"Emission,omitempty"`
	Consensus                  []uint16                          `json:"Consensus,omitempty"`
	Dividends                  []uint16                          `json:"Dividends,omitempty"`
	ValidatorTrust             []uint16                          `json:"ValidatorTrust,omitempty"`
	ValidatorPermit            []bool                            `json:"ValidatorPermit,omitempty"`
	StakeWeight                []uint16                          `json:"StakeWeight,omitempty"`
	Incentive                  [][]uint16                        `json:"Incentive,omitempty"`
	Bonds                      [][][]jsonEntry                   `json:"Bonds,omitempty"`
	Weights                    [][][]jsonEntry                   `json:"Weights,omitempty"`
	LastUpdate                 [][]uint64                        `json:"LastUpdate,omitempty"`
	WeightCommits              [][]subnet.HotkeyWeightCommits    `json:"WeightCommits,omitempty"`
	TimelockedWeightCommits    [][]subnet.EpochTimelockedCommits `json:"TimelockedWeightCommits,omitempty"`
}

// hasNeuronItems reports whether any neuron storage item is given besides
// the root's (Keys, Uids, BlockAtRegistration, RegistrationsThisBlock and
// RegistrationsThisInterval).
func (s *jsonSubnet) hasNeuronItems() bool {
	return s.Globals != nil || s.Burn != 0 || s.RAORecycledForRegistration != 0 ||
		s.LastMechansimStepBlock != 0 || s.Owner != nil || s.Active != nil || s.Emission != nil || s.Consensus != nil ||
		s.Dividends != nil || s.ValidatorTrust != nil || s.ValidatorPermit != nil || s.StakeWeight != nil ||
		s.Incentive != nil || s.Bonds != nil || s.Weights != nil || s.LastUpdate != nil ||
		s.WeightCommits != nil || s.TimelockedWeightCommits != nil
}

func rowsToJSON(m [][][]consensus.Entry) [][][]jsonEntry {
	if m == nil {
		return nil
	}
	out := make([][][]jsonEntry, len(m))
	for i, rows := range m {
		if rows == nil {
			continue
		}
		out[i] = make([][]jsonEntry, len(rows))
		for j, row := range rows {
			if row == nil {
				continue
			}
			out[i][j] = make([]jsonEntry, len(row))
			for k, e := range row {
				out[i][j][k] = jsonEntry{uint16(e.UID), e.Value}
			}
		}
	}
	return out
}

func rowsFromJSON(m [][][]jsonEntry) [][][]consensus.Entry {
	if m == nil {
		return nil
	}
	out := make([][][]consensus.Entry, len(m))
	for i, rows := range m {
		if rows == nil {
			continue
		}
		out[i] = make([][]consensus.Entry, len(rows))
		for j, row := range rows {
			if row == nil {
				continue
			}
			out[i][j] = make([]consensus.Entry, len(row))
			for k, e := range row {
				out[i][j][k] = consensus.Entry{UID: units.UID(e[0]), Value: e[1]}
			}
		}
	}
	return out
}

// toJSON converts g to its wire form.
func (g *GenesisConfig) toJSON() (*genesisJSON, error) {
	w := &genesisJSON{
		Block: g.Block, ExistentialDeposit: g.ExistentialDeposit, DefaultMinStake: g.MinStake,
		TotalIssuance: g.TotalIssuance, TotalStake: g.TotalStake, Params: g.Params,
		NetworkLastLockCost: g.NetworkLastLockCost, NetworkLastRegistered: g.NetworkLastRegistered,
	}
	if g.HasBlockAuthor {
		a := jsonAccount(g.BlockAuthor)
		w.BlockAuthor = &a
	}
	w.Account = make([]jsonBalance, len(g.Accounts))
	for i, a := range g.Accounts {
		w.Account[i] = jsonBalance{jsonAccount(a.Account), a.Balance}
	}
	w.Owner = make([]jsonOwner, len(g.Hotkeys))
	for i, h := range g.Hotkeys {
		w.Owner[i] = jsonOwner{jsonAccount(h.Hotkey), jsonAccount(h.Coldkey)}
	}
	w.Subnets = make([]jsonSubnet, len(g.Subnets))
	for i := range g.Subnets {
		if err := subnetToJSON(&g.Subnets[i], &w.Subnets[i]); err != nil {
			return nil, fmt.Errorf("%w: Subnets[%d]: %w", ErrInvalidGenesisJSON, i, err)
		}
	}
	w.TotalHotkeyAlpha, w.TotalHotkeySharesV2, w.AlphaV2 = []jsonHotkeyAlpha{}, []jsonHotkeyShares{}, []jsonAlphaV2{}
	for _, p := range g.SharePools {
		hk := jsonAccount(p.Hotkey)
		if p.TotalHotkeyAlpha != 0 {
			w.TotalHotkeyAlpha = append(w.TotalHotkeyAlpha, jsonHotkeyAlpha{hk, p.NetUID, p.TotalHotkeyAlpha})
		}
		if !p.TotalHotkeySharesV2.IsZero() {
			w.TotalHotkeySharesV2 = append(w.TotalHotkeySharesV2, jsonHotkeyShares{hk, p.NetUID, safeFloatToJSON(p.TotalHotkeySharesV2)})
		}
		for _, e := range p.AlphaV2 {
			w.AlphaV2 = append(w.AlphaV2, jsonAlphaV2{hk, jsonAccount(e.Coldkey), p.NetUID, safeFloatToJSON(e.Share)})
		}
	}
	for _, s := range g.Stakes {
		w.Stakes = append(w.Stakes, jsonStake{jsonAccount(s.Hotkey), jsonAccount(s.Coldkey), s.NetUID, s.Alpha})
	}
	w.Delegates = make([]jsonTake, len(g.Delegates))
	for i, t := range g.Delegates {
		w.Delegates[i] = jsonTake{jsonAccount(t.Hotkey), t.Take}
	}
	w.ChildkeyTake = make([]jsonChildkeyTake, len(g.ChildkeyTakes))
	for i, t := range g.ChildkeyTakes {
		w.ChildkeyTake[i] = jsonChildkeyTake{jsonAccount(t.Hotkey), t.NetUID, t.Take}
	}
	w.ChildKeys = make([]jsonChildren, len(g.ChildKeys))
	for i, c := range g.ChildKeys {
		w.ChildKeys[i] = jsonChildren{jsonAccount(c.Parent), c.NetUID, linksToJSON(c.Children)}
	}
	w.PendingChildKeys = make([]jsonPendingChildren, len(g.PendingChildKeys))
	for i, c := range g.PendingChildKeys {
		w.PendingChildKeys[i] = jsonPendingChildren{jsonAccount(c.Parent), c.NetUID, linksToJSON(c.Children), c.CooldownBlock}
	}
	w.RootClaimable = make([]jsonRootClaimable, len(g.RootClaimable))
	for i, r := range g.RootClaimable {
		w.RootClaimable[i] = jsonRootClaimable{jsonAccount(r.Hotkey), r.NetUID, r.Rate}
	}
	w.RootClaimed = make([]jsonRootClaimed, len(g.RootClaimed))
	for i, r := range g.RootClaimed {
		w.RootClaimed[i] = jsonRootClaimed{r.NetUID, jsonAccount(r.Hotkey), jsonAccount(r.Coldkey), r.Claimed}
	}
	w.RootClaimType = make([]jsonRootClaimType, len(g.RootClaimTypes))
	for i, t := range g.RootClaimTypes {
		if int(t.Type.Kind) >= len(rootClaimKinds) {
			return nil, jsonErr("RootClaimTypes[%d]: %v", i, emission.ErrUnknownRootClaimKind)
		}
		w.RootClaimType[i] = jsonRootClaimType{jsonAccount(t.Coldkey), rootClaimKinds[t.Type.Kind], t.Type.Subnets}
	}
	w.RootClaimableThreshold = make([]jsonRootClaimThresh, len(g.RootClaimableThresholds))
	for i, t := range g.RootClaimableThresholds {
		w.RootClaimableThreshold[i] = jsonRootClaimThresh(t)
	}
	w.LastRateLimitedBlock = make([]jsonRateLimit, len(g.RateLimits))
	for i, r := range g.RateLimits {
		kind, ok := rateLimitKinds[r.Key.Kind]
		if !ok {
			return nil, jsonErr("RateLimits[%d]: unknown kind %d", i, r.Key.Kind)
		}
		w.LastRateLimitedBlock[i] = jsonRateLimit{kind, jsonAccount(r.Key.Account), r.Key.NetUID, r.Block}
	}
	return w, nil
}

func subnetToJSON(s *GenesisSubnet, w *jsonSubnet) error {
	*w = jsonSubnet{
		NetUID: s.NetUID, SubnetOwner: jsonAccount(s.Owner),
		SubnetTAO: s.Pool.TAO, SubnetAlphaIn: s.Pool.AlphaIn, SubnetAlphaOut: s.Pool.AlphaOut,
		SubnetMechanism: s.Pool.Mechanism, FeeRate: s.Pool.FeeRate, SwapBalancer: uint64(s.Pool.QuoteWeight),
		PalSwapInitialized: s.Pool.Initialized, SwapMinimumReserve: s.Pool.MinReserve,
		SubnetLocked: s.Locked, SubnetAccountBalance: s.AccountBalance, SubtokenEnabled: !s.SubtokenDisabled, AlphaBurned: s.AlphaBurned,
		SubnetTaoFlow: s.TaoFlow, NetworkRegisteredAt: s.RegisteredAt, SubnetEmissionEnabled: !s.EmissionDisabled,
		Tempo: s.Schedule.Tempo, LastEpochBlock: s.Schedule.LastEpochBlock, PendingEpochAt: s.Schedule.PendingEpochAt,
		BlocksSinceLastStep: s.Schedule.BlocksSinceLastStep, SubnetEpochIndex: s.Schedule.EpochIndex,
		SubnetMovingPrice: s.MovingPrice, EMAPriceHalvingBlocks: s.EMAPriceHalvingBlocks, MinerBurned: s.MinerBurned,
		PendingServerEmission: s.PendingServer, PendingValidatorEmission: s.PendingValidator,
		PendingRootAlphaDivs: s.PendingRoot, PendingOwnerCut: s.PendingOwnerCut,
		SubnetProtocolAlpha: s.ProtocolAlpha, RootClaimableAlpha: s.RootClaimableAlpha, RecycleOrBurn: "Burn",
		AlphaOutShortfall: s.AlphaOutShortfall,
	}
	if s.RecycleIncentive {
		w.RecycleOrBurn = "Recycle"
	}
	if s.NetUID == RootNetUID {
		for uid, n := range s.RootNeurons {
			w.Keys = append(w.Keys, jsonAccount(n.Hotkey))
			w.Uids = append(w.Uids, jsonUid{jsonAccount(n.Hotkey), units.UID(uid)})
			w.BlockAtRegistration = append(w.BlockAtRegistration, n.BlockAtRegistration)
		}
		w.RegistrationsThisBlock, w.RegistrationsThisInterval = s.RegistrationsThisBlock, s.RegistrationsThisInterval
	} else if len(s.RootNeurons) > 0 || s.RegistrationsThisBlock != 0 || s.RegistrationsThisInterval != 0 {
		return fmt.Errorf("RootNeurons and the root's registration counters on netuid %d", s.NetUID)
	}
	hasHotkey := s.OwnerHotkey != (units.AccountID{}) || (s.Storage != nil && s.Storage.HasSubnetOwnerHotkey)
	if hasHotkey {
		h := jsonAccount(s.OwnerHotkey)
		w.SubnetOwnerHotkey = &h
	}
	if !s.NotStarted {
		b := s.FirstEmissionBlock
		w.FirstEmissionBlockNumber = &b
	}
	st := s.Storage
	if st == nil {
		return nil
	}
	if st.NetUID != s.NetUID {
		return fmt.Errorf("Storage.NetUid %d is not the subnet's %d", st.NetUID, s.NetUID)
	}
	h, gl := st.Hyperparameters, st.Globals
	w.Hyperparameters = &h
	if gl != (subnet.Globals{}) {
		w.Globals = &gl
	}
	w.Burn, w.RegistrationsThisBlock, w.RAORecycledForRegistration = st.Burn, st.RegistrationsThisBlock, st.RAORecycledForRegistration
	w.LastMechansimStepBlock = st.LastMechansimStepBlock
	w.Keys, w.Owner = accountsToJSON(st.Keys), accountsToJSON(st.Owners)
	for uid, k := range st.Keys {
		w.Uids = append(w.Uids, jsonUid{jsonAccount(k), units.UID(uid)})
	}
	w.BlockAtRegistration, w.Active, w.Emission = st.BlockAtRegistration, st.Active, st.Emission
	w.Consensus, w.Dividends, w.ValidatorTrust = st.Consensus, st.Dividends, st.ValidatorTrust
	w.ValidatorPermit, w.StakeWeight, w.Incentive = st.ValidatorPermit, st.StakeWeight, st.Incentive
	w.Bonds, w.Weights, w.LastUpdate = rowsToJSON(st.Bonds), rowsToJSON(st.Weights), st.LastUpdate
	w.WeightCommits, w.TimelockedWeightCommits = st.WeightCommits, st.TimelockedWeightCommits
	return nil
}

func (w *jsonSubnet) toGenesis(i int) (GenesisSubnet, error) {
	s := GenesisSubnet{
		NetUID: w.NetUID, Owner: units.AccountID(w.SubnetOwner),
		Pool: amm.Pool{
			TAO: w.SubnetTAO, AlphaIn: w.SubnetAlphaIn, AlphaOut: w.SubnetAlphaOut, QuoteWeight: fixed.Perquintill(w.SwapBalancer),
			FeeRate: w.FeeRate, Mechanism: w.SubnetMechanism, Initialized: w.PalSwapInitialized, MinReserve: w.SwapMinimumReserve,
		},
		Locked: w.SubnetLocked, AccountBalance: w.SubnetAccountBalance, SubtokenDisabled: !w.SubtokenEnabled, AlphaBurned: w.AlphaBurned, TaoFlow: w.SubnetTaoFlow,
		RegisteredAt: w.NetworkRegisteredAt, NotStarted: w.FirstEmissionBlockNumber == nil,
		EmissionDisabled: !w.SubnetEmissionEnabled,
		Schedule: emission.Schedule{Tempo: w.Tempo, LastEpochBlock: w.LastEpochBlock, PendingEpochAt: w.PendingEpochAt,
			BlocksSinceLastStep: w.BlocksSinceLastStep, EpochIndex: w.SubnetEpochIndex},
		MovingPrice: w.SubnetMovingPrice, EMAPriceHalvingBlocks: w.EMAPriceHalvingBlocks, MinerBurned: w.MinerBurned,
		PendingServer: w.PendingServerEmission, PendingValidator: w.PendingValidatorEmission,
		PendingRoot: w.PendingRootAlphaDivs, PendingOwnerCut: w.PendingOwnerCut,
		ProtocolAlpha: w.SubnetProtocolAlpha, RootClaimableAlpha: w.RootClaimableAlpha,
		AlphaOutShortfall: w.AlphaOutShortfall,
	}
	switch w.RecycleOrBurn {
	case "Burn", "":
	case "Recycle":
		s.RecycleIncentive = true
	default:
		return s, jsonErr("Subnets[%d].RecycleOrBurn: %q, want \"Burn\" or \"Recycle\"", i, w.RecycleOrBurn)
	}
	if w.SubnetOwnerHotkey != nil {
		s.OwnerHotkey = units.AccountID(*w.SubnetOwnerHotkey)
	}
	if w.FirstEmissionBlockNumber != nil {
		s.FirstEmissionBlock = *w.FirstEmissionBlockNumber
	}
	if w.Hyperparameters == nil {
		if w.hasNeuronItems() || (w.NetUID != RootNetUID && (w.Keys != nil || w.Uids != nil ||
			w.BlockAtRegistration != nil || w.RegistrationsThisBlock != 0 || w.RegistrationsThisInterval != 0)) {
			return s, jsonErr("Subnets[%d]: neuron storage items without Hyperparameters", i)
		}
		return s, w.rootToGenesis(i, &s)
	}
	if w.NetUID == RootNetUID {
		return s, jsonErr("Subnets[%d]: the root subnet has no Hyperparameters", i)
	}
	if w.RegistrationsThisInterval != 0 {
		return s, jsonErr("Subnets[%d].RegistrationsThisInterval: kept for the root subnet only", i)
	}
	st := &subnet.Storage{
		NetUID: w.NetUID, SubnetOwner: s.Owner, SubnetOwnerHotkey: s.OwnerHotkey,
		HasSubnetOwnerHotkey: w.SubnetOwnerHotkey != nil, Hyperparameters: *w.Hyperparameters,
		Pool: s.Pool, SubnetMovingPrice: s.MovingPrice, Burn: w.Burn, RegistrationsThisBlock: w.RegistrationsThisBlock,
		RAORecycledForRegistration: w.RAORecycledForRegistration, SubnetTaoFlow: s.TaoFlow,
		LastMechansimStepBlock: w.LastMechansimStepBlock,
		Keys:                   accountsFromJSON(w.Keys), Owners: accountsFromJSON(w.Owner),
		BlockAtRegistration: w.BlockAtRegistration, Active: w.Active, Emission: w.Emission,
		Consensus: w.Consensus, Dividends: w.Dividends, ValidatorTrust: w.ValidatorTrust,
		ValidatorPermit: w.ValidatorPermit, StakeWeight: w.StakeWeight, Incentive: w.Incentive,
		Bonds: rowsFromJSON(w.Bonds), Weights: rowsFromJSON(w.Weights), LastUpdate: w.LastUpdate,
		WeightCommits: w.WeightCommits, TimelockedWeightCommits: w.TimelockedWeightCommits,
	}
	if w.Globals != nil {
		st.Globals = *w.Globals
	}
	if err := checkUids(i, w.Uids, st.Keys); err != nil {
		return s, err
	}
	s.Storage = st
	return s, nil
}

// checkUids checks Subnets[i].Uids, when given, against the Keys.
func checkUids(i int, uids []jsonUid, keys []units.AccountID) error {
	if uids == nil {
		return nil
	}
	if len(uids) != len(keys) {
		return jsonErr("Subnets[%d].Uids: %d entries, Keys holds %d", i, len(uids), len(keys))
	}
	seen := make(map[units.AccountID]bool, len(uids))
	for j, u := range uids {
		h := units.AccountID(u.Hotkey)
		if int(u.UID) >= len(keys) || keys[u.UID] != h {
			return jsonErr("Subnets[%d].Uids[%d]: hotkey %s at uid %d disagrees with Keys", i, j, wallet.Address(h), u.UID)
		}
		if seen[h] {
			return jsonErr("Subnets[%d].Uids[%d]: hotkey %s listed twice", i, j, wallet.Address(h))
		}
		seen[h] = true
	}
	return nil
}

// rootToGenesis reads the root subnet's neurons (Keys, Uids,
// BlockAtRegistration of netuid 0) and registration counters into s.
func (w *jsonSubnet) rootToGenesis(i int, s *GenesisSubnet) error {
	if w.NetUID != RootNetUID {
		return nil
	}
	if len(w.BlockAtRegistration) != len(w.Keys) {
		return jsonErr("Subnets[%d].BlockAtRegistration: %d entries, Keys holds %d", i, len(w.BlockAtRegistration), len(w.Keys))
	}
	keys := accountsFromJSON(w.Keys)
	if err := checkUids(i, w.Uids, keys); err != nil {
		return err
	}
	for uid, k := range keys {
		s.RootNeurons = append(s.RootNeurons, RootNeuron{Hotkey: k, BlockAtRegistration: w.BlockAtRegistration[uid]})
	}
	s.RegistrationsThisBlock, s.RegistrationsThisInterval = w.RegistrationsThisBlock, w.RegistrationsThisInterval
	return nil
}

// toGenesis converts the wire form, refusing what it cannot hold.
func (w *genesisJSON) toGenesis() (GenesisConfig, error) {
	g := GenesisConfig{
		Block: w.Block, ExistentialDeposit: w.ExistentialDeposit, MinStake: w.DefaultMinStake,
		TotalIssuance: w.TotalIssuance, TotalStake: w.TotalStake, Params: w.Params,
		NetworkLastLockCost: w.NetworkLastLockCost, NetworkLastRegistered: w.NetworkLastRegistered,
	}
	if w.BlockAuthor != nil {
		g.BlockAuthor, g.HasBlockAuthor = units.AccountID(*w.BlockAuthor), true
	}
	for _, a := range w.Account {
		g.Accounts = append(g.Accounts, GenesisAccount{units.AccountID(a.Account), a.Free})
	}
	for _, o := range w.Owner {
		g.Hotkeys = append(g.Hotkeys, GenesisHotkey{units.AccountID(o.Hotkey), units.AccountID(o.Coldkey)})
	}
	for i := range w.Subnets {
		s, err := w.Subnets[i].toGenesis(i)
		if err != nil {
			return GenesisConfig{}, err
		}
		g.Subnets = append(g.Subnets, s)
	}
	if err := w.sharePools(&g); err != nil {
		return GenesisConfig{}, err
	}
	for _, s := range w.Stakes {
		g.Stakes = append(g.Stakes, GenesisStake{units.AccountID(s.Hotkey), units.AccountID(s.Coldkey), s.NetUID, s.Alpha})
	}
	for _, t := range w.Delegates {
		g.Delegates = append(g.Delegates, GenesisTake{units.AccountID(t.Hotkey), t.Take})
	}
	for _, t := range w.ChildkeyTake {
		g.ChildkeyTakes = append(g.ChildkeyTakes, GenesisChildkeyTake{units.AccountID(t.Hotkey), t.NetUID, t.Take})
	}
	for _, c := range w.ChildKeys {
		g.ChildKeys = append(g.ChildKeys, GenesisChildren{units.AccountID(c.Parent), c.NetUID, linksFromJSON(c.Children)})
	}
	for _, c := range w.PendingChildKeys {
		g.PendingChildKeys = append(g.PendingChildKeys, GenesisPendingChildren{units.AccountID(c.Parent), c.NetUID,
			linksFromJSON(c.Children), c.CooldownBlock})
	}
	for _, r := range w.RootClaimable {
		g.RootClaimable = append(g.RootClaimable, GenesisRootClaimable{units.AccountID(r.Hotkey), r.NetUID, r.Rate})
	}
	for _, r := range w.RootClaimed {
		g.RootClaimed = append(g.RootClaimed, GenesisRootClaimed{r.NetUID, units.AccountID(r.Hotkey), units.AccountID(r.Coldkey), r.Claimed})
	}
	for i, t := range w.RootClaimType {
		k := -1
		for kind, name := range rootClaimKinds {
			if name == t.Type {
				k = kind
			}
		}
		if k < 0 {
			return GenesisConfig{}, jsonErr("RootClaimType[%d].Type: %q, want \"Swap\", \"Keep\" or \"KeepSubnets\"", i, t.Type)
		}
		g.RootClaimTypes = append(g.RootClaimTypes, GenesisRootClaimType{units.AccountID(t.Coldkey),
			emission.RootClaimType{Kind: emission.RootClaimKind(k), Subnets: t.Subnets}})
	}
	for _, t := range w.RootClaimableThreshold {
		g.RootClaimableThresholds = append(g.RootClaimableThresholds, GenesisRootClaimThreshold(t))
	}
	for i, r := range w.LastRateLimitedBlock {
		var kind RateLimitKind
		for k, name := range rateLimitKinds {
			if name == r.Kind {
				kind = k
			}
		}
		if kind == 0 {
			return GenesisConfig{}, jsonErr("LastRateLimitedBlock[%d].Kind: unknown kind %q", i, r.Kind)
		}
		g.RateLimits = append(g.RateLimits, GenesisRateLimit{RateLimitKey{kind, units.AccountID(r.Account), r.NetUID}, r.Block})
	}
	return g, nil
}

// sharePools gathers TotalHotkeyAlpha, TotalHotkeySharesV2 and AlphaV2
// into g.SharePools, a pool per (hotkey, netuid) in order of first
// appearance; an item missing is zero, as the chain reads it.
func (w *genesisJSON) sharePools(g *GenesisConfig) error {
	at := make(map[stakeKey]int)
	pool := func(h jsonAccount, netuid units.NetUID) *GenesisSharePool {
		k := stakeKey{units.AccountID(h), netuid}
		i, ok := at[k]
		if !ok {
			i = len(g.SharePools)
			at[k] = i
			g.SharePools = append(g.SharePools, GenesisSharePool{Hotkey: k.hotkey, NetUID: netuid})
		}
		return &g.SharePools[i]
	}
	seen := make(map[stakeKey]int)
	for i, e := range w.TotalHotkeyAlpha {
		k := stakeKey{units.AccountID(e.Hotkey), e.NetUID}
		if first, dup := seen[k]; dup {
			return jsonErr("TotalHotkeyAlpha[%d]: hotkey %s on netuid %d already listed at [%d]", i, wallet.Address(k.hotkey), e.NetUID, first)
		}
		seen[k] = i
		pool(e.Hotkey, e.NetUID).TotalHotkeyAlpha = e.Value
	}
	clear(seen)
	for i, e := range w.TotalHotkeySharesV2 {
		k := stakeKey{units.AccountID(e.Hotkey), e.NetUID}
		if first, dup := seen[k]; dup {
			return jsonErr("TotalHotkeySharesV2[%d]: hotkey %s on netuid %d already listed at [%d]", i, wallet.Address(k.hotkey), e.NetUID, first)
		}
		seen[k] = i
		x, err := e.Value.safeFloat("TotalHotkeySharesV2", i)
		if err != nil {
			return err
		}
		pool(e.Hotkey, e.NetUID).TotalHotkeySharesV2 = x
	}
	for i, e := range w.AlphaV2 {
		x, err := e.Value.safeFloat("AlphaV2", i)
		if err != nil {
			return err
		}
		p := pool(e.Hotkey, e.NetUID)
		p.AlphaV2 = append(p.AlphaV2, GenesisShare{Coldkey: units.AccountID(e.Coldkey), Share: x})
	}
	return nil
}

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// checkJSON walks v, a JSON value decoded with UseNumber, against the wire
// type t: every object key must be a field's JSON name exactly
// (encoding/json alone would match keys without regard to case), and each
// value of a type with its own decoding (amounts, accounts, fixed-point
// values) is decoded alone, so that its error names its path. A value of
// the wrong JSON type is left to the decoding, which names its field.
func checkJSON(v any, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil {
		return nil
	}
	if pt := reflect.PointerTo(t); pt.Implements(jsonUnmarshalerType) || pt.Implements(textUnmarshalerType) {
		raw, err := json.Marshal(v)
		if err != nil {
			return jsonErr("%s: %w", path, err)
		}
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			return jsonErr("%s: %w", path, err)
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		fields := make(map[string]reflect.Type, t.NumField())
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			fields[name] = f.Type
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			at := k
			if path != "" {
				at = path + "." + k
			}
			ft, ok := fields[k]
			if !ok {
				return jsonErr("unknown field %q at %s", k, at)
			}
			if err := checkJSON(obj[k], ft, at); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		arr, ok := v.([]any)
		if !ok {
			return nil
		}
		for i, e := range arr {
			if err := checkJSON(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}
