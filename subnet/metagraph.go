package subnet

import (
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Metagraph is a read-only snapshot of one mechanism of a subnet, with the
// fields bittensor's Python Metagraph holds, under its names (the JSON
// keys). Every per-uid slice is indexed by uid and holds N entries; the
// slices are the snapshot's own (changing the subnet afterwards does not
// change them).
//
// Values are the chain's integers: u16 proportions (x/65535) for I, D, C,
// Tv, W and B, rao for stakes and emission. The Float accessors convert
// them for display only, as the Python SDK shows them (a u16 as x/65535,
// rao as tokens); no chain computation reads a float.
type Metagraph struct {
	// NetUID and Mechanism say whose snapshot it is (netuid, mechid).
	NetUID    units.NetUID `json:"netuid"`
	Mechanism uint8        `json:"mechid"`
	// N is the number of neurons (n); Block the block of the snapshot.
	N     uint16 `json:"n"`
	Block uint64 `json:"block"`
	// UIDs are 0..N−1 (uids).
	UIDs []units.UID `json:"uids"`
	// Hotkeys and Coldkeys are each uid's hotkey and its owning coldkey
	// (hotkeys, coldkeys), JSON-encoded as 0x-prefixed hex public keys.
	Hotkeys  []units.AccountID `json:"hotkeys"`
	Coldkeys []units.AccountID `json:"coldkeys"`
	// S is each uid's stake weight (S, total_stake): TotalStake of its
	// alpha and root TAO, a number of no one currency; AlphaStake and
	// TaoStake (alpha_stake, tao_stake) are the stake view's.
	S          []uint64      `json:"S"`
	AlphaStake []units.Alpha `json:"alpha_stake"`
	TaoStake   []units.TAO   `json:"tao_stake"`
	// W and B are the mechanism's weights and bonds as dense N×N
	// matrices of stored u16 values (W[i][j]: what uid i gives uid j).
	W [][]uint16 `json:"W"`
	B [][]uint16 `json:"B"`
	// I is the mechanism's Incentive; D, C and Tv are the subnet's
	// Dividends, Consensus and ValidatorTrust; E is the subnet's Emission
	// per uid in the last epoch, in alpha.
	I  []uint16      `json:"I"`
	D  []uint16      `json:"D"`
	C  []uint16      `json:"C"`
	Tv []uint16      `json:"Tv"`
	E  []units.Alpha `json:"E"`
	// LastUpdate is the mechanism's LastUpdate (last_update).
	LastUpdate []uint64 `json:"last_update"`
	// ValidatorPermit and Active are the subnet's (validator_permit, active).
	ValidatorPermit []bool `json:"validator_permit"`
	Active          []bool `json:"active"`
	// BlockAtRegistration is each uid's registration block (block_at_registration).
	BlockAtRegistration []uint64 `json:"block_at_registration"`
	// Hyperparameters are the subnet's (hparams).
	Hyperparameters Hyperparameters `json:"hparams"`
}

// Metagraph returns a snapshot of mechanism mech at block, with the stake
// of stake (which must hold one alpha stake per uid, and one or no TAO
// stake per uid: else ErrInvalidStakeView). A mechanism at or above the
// mechanism count is ErrMechanismDoesNotExist. Vectors the chain stores
// shorter than N (a mechanism's Incentive or LastUpdate, StakeWeight) are
// padded with zeros, as the chain's metagraph runtime API reads them.
func (s *Subnet) Metagraph(block uint64, mech uint8, stake StakeView) (Metagraph, error) {
	n := int(s.N())
	if len(stake.Alpha) != n || (stake.TAO != nil && len(stake.TAO) != n) {
		return Metagraph{}, fmt.Errorf("%w: %d uids, %d alpha and %d TAO stakes", ErrInvalidStakeView, n, len(stake.Alpha), len(stake.TAO))
	}
	if mech >= s.Hyperparameters.MechanismCount {
		return Metagraph{}, ErrMechanismDoesNotExist
	}
	m := Metagraph{
		NetUID: s.NetUID, Mechanism: mech, N: s.N(), Block: block,
		UIDs:                make([]units.UID, n),
		Hotkeys:             s.Hotkeys(),
		Coldkeys:            s.Coldkeys(),
		S:                   make([]uint64, n),
		AlphaStake:          make([]units.Alpha, n),
		TaoStake:            make([]units.TAO, n),
		W:                   dense(s.Weights.Rows(mech), n),
		B:                   dense(s.bonds[mech], n),
		I:                   paddedTo(s.incentive[mech], n),
		D:                   paddedTo(s.dividends, n),
		C:                   paddedTo(s.consensus, n),
		Tv:                  paddedTo(s.validatorTrust, n),
		E:                   paddedTo(s.emission, n),
		LastUpdate:          s.LastUpdate(mech)[:n],
		ValidatorPermit:     paddedTo(s.validatorPermit, n),
		Active:              paddedTo(s.active, n),
		BlockAtRegistration: s.BlockAtRegistration(),
		Hyperparameters:     s.Hyperparameters,
	}
	copy(m.AlphaStake, stake.Alpha)
	copy(m.TaoStake, stake.TAO)
	for i := range n {
		m.UIDs[i] = units.UID(i)
		m.S[i] = TotalStake(m.AlphaStake[i], m.TaoStake[i], s.Globals.TaoWeight)
	}
	return m, nil
}

// paddedTo returns a copy of v with n entries, zero where v ends.
func paddedTo[T any](v []T, n int) []T {
	out := make([]T, n)
	copy(out, v)
	return out
}

// dense returns sparse rows as an n×n matrix (cells beyond n dropped).
func dense(rows [][]consensus.Entry, n int) [][]uint16 {
	out := make([][]uint16, n)
	cells := make([]uint16, n*n)
	for i := range out {
		out[i] = cells[i*n : (i+1)*n : (i+1)*n]
		if i < len(rows) {
			for _, e := range rows[i] {
				if int(e.UID) < n {
					out[i][e.UID] = e.Value
				}
			}
		}
	}
	return out
}

// MarshalJSON encodes the metagraph with the Python names as keys and the
// hotkeys and coldkeys as 0x-prefixed hex public keys.
func (m Metagraph) MarshalJSON() ([]byte, error) {
	type plain Metagraph
	return json.Marshal(struct {
		plain
		Hotkeys  []string `json:"hotkeys"`
		Coldkeys []string `json:"coldkeys"`
	}{plain(m), hexKeys(m.Hotkeys), hexKeys(m.Coldkeys)})
}

func hexKeys(keys []units.AccountID) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = "0x" + hex.EncodeToString(k[:])
	}
	return out
}

// ProportionFloat is a stored u16 proportion as the Python SDK shows it:
// x/65535, in [0, 1]. For display only.
func ProportionFloat(x uint16) float64 { return float64(x) / 65535 }

func proportions(v []uint16) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = ProportionFloat(x)
	}
	return out
}

func proportionRows(v [][]uint16) [][]float64 {
	out := make([][]float64, len(v))
	for i, r := range v {
		out[i] = proportions(r)
	}
	return out
}

// IncentiveFloat returns I as x/65535, for display only.
func (m *Metagraph) IncentiveFloat() []float64 { return proportions(m.I) }

// DividendsFloat returns D as x/65535, for display only.
func (m *Metagraph) DividendsFloat() []float64 { return proportions(m.D) }

// ConsensusFloat returns C as x/65535, for display only.
func (m *Metagraph) ConsensusFloat() []float64 { return proportions(m.C) }

// ValidatorTrustFloat returns Tv as x/65535, for display only.
func (m *Metagraph) ValidatorTrustFloat() []float64 { return proportions(m.Tv) }

// WeightsFloat returns W with every cell as x/65535, for display only.
func (m *Metagraph) WeightsFloat() [][]float64 { return proportionRows(m.W) }

// BondsFloat returns B with every cell as x/65535, for display only.
func (m *Metagraph) BondsFloat() [][]float64 { return proportionRows(m.B) }

// StakeFloat returns S in whole tokens (rao/1e9), for display only.
func (m *Metagraph) StakeFloat() []float64 {
	out := make([]float64, len(m.S))
	for i, x := range m.S {
		out[i] = float64(x) / 1e9
	}
	return out
}

// EmissionFloat returns E in whole alpha (rao/1e9), for display only.
func (m *Metagraph) EmissionFloat() []float64 {
	out := make([]float64, len(m.E))
	for i, x := range m.E {
		out[i] = float64(x) / 1e9
	}
	return out
}

// DynamicInfo is the subnet's pool view, the runtime API's DynamicInfo
// (rpc_info/dynamic_info.rs get_dynamic_info) that bittensor's Python
// DynamicInfo reads, for the fields a Subnet holds. It is a snapshot: its
// conversions price against the pool as it was.
type DynamicInfo struct {
	NetUID units.NetUID `json:"netuid"`
	// Symbol is the subnet's token symbol (units.NetUID.Symbol).
	Symbol string `json:"symbol"`
	// OwnerHotkey and OwnerColdkey are SubnetOwnerHotkey and SubnetOwner.
	OwnerHotkey  units.AccountID `json:"-"`
	OwnerColdkey units.AccountID `json:"-"`
	// Tempo is the subnet's tempo.
	Tempo uint16 `json:"tempo"`
	// LastStep is LastMechansimStepBlock; BlocksSinceLastStep is the
	// snapshot's block minus it, saturating (as get_dynamic_info computes it).
	LastStep            uint64 `json:"last_step"`
	BlocksSinceLastStep uint64 `json:"blocks_since_last_step"`
	// Price is the pool's spot price (amm.Pool.Price); MovingPrice is
	// SubnetMovingPrice.
	Price       amm.Price    `json:"price"`
	MovingPrice fixed.I96F32 `json:"moving_price"`
	// TaoIn, AlphaIn and AlphaOut are SubnetTAO, SubnetAlphaIn and
	// SubnetAlphaOut.
	TaoIn    units.TAO   `json:"tao_in"`
	AlphaIn  units.Alpha `json:"alpha_in"`
	AlphaOut units.Alpha `json:"alpha_out"`

	pool amm.Pool
}

// MarshalJSON encodes the view with the Python names as keys
// (owner_hotkey and owner_coldkey as 0x-prefixed hex public keys).
func (d DynamicInfo) MarshalJSON() ([]byte, error) {
	type plain DynamicInfo
	return json.Marshal(struct {
		plain
		OwnerHotkey  string `json:"owner_hotkey"`
		OwnerColdkey string `json:"owner_coldkey"`
	}{plain(d), hexKeys([]units.AccountID{d.OwnerHotkey})[0], hexKeys([]units.AccountID{d.OwnerColdkey})[0]})
}

// DynamicInfo returns the subnet's pool view at block.
func (s *Subnet) DynamicInfo(block uint64) DynamicInfo {
	since := uint64(0)
	if block > s.lastMechanismStepBlock {
		since = block - s.lastMechanismStepBlock
	}
	return DynamicInfo{
		NetUID: s.NetUID, Symbol: s.NetUID.Symbol(),
		OwnerHotkey: s.OwnerHotkey, OwnerColdkey: s.Owner,
		Tempo: s.Hyperparameters.Tempo, LastStep: s.lastMechanismStepBlock, BlocksSinceLastStep: since,
		Price: s.Pool.Price(), MovingPrice: s.MovingPrice,
		TaoIn: s.Pool.TAO, AlphaIn: s.Pool.AlphaIn, AlphaOut: s.Pool.AlphaOut,
		pool: s.Pool,
	}
}

// TaoToAlpha is bittensor's DynamicInfo.tao_to_alpha_with_slippage as the
// chain computes it: the runtime API's sim_swap_tao_for_alpha
// (amm.Pool.SimulateBuy) — the alpha tao buys after the fee, the fee and
// the slippage against a fill at the spot price. A pool the chain cannot
// hold is amm.Pool.Validate's error, with the zero result.
func (d *DynamicInfo) TaoToAlpha(tao units.TAO) (amm.SimSwapResult, error) {
	return d.pool.SimulateBuy(tao)
}

// AlphaToTao is bittensor's DynamicInfo.alpha_to_tao_with_slippage as the
// chain computes it: sim_swap_alpha_for_tao (amm.Pool.SimulateSell).
func (d *DynamicInfo) AlphaToTao(alpha units.Alpha) (amm.SimSwapResult, error) {
	return d.pool.SimulateSell(alpha)
}
