// Command epoch runs one Yuma consensus epoch of a subnet read from a JSON
// file and prints what each uid earns: its incentive (miner share) and
// dividends (validator share) as fractions of 1, and the alpha the epoch
// pays it.
//
//	go run ./examples/epoch                 # the embedded network.json
//	go run ./examples/epoch my-subnet.json  # your own
//
// The file is one JSON object whose fields are those of the conformance
// runner's epoch kind (docs/conformance.md) and of consensus.Input:
//
//	n                      number of uids (SubnetworkN); required
//	current_block          the block the epoch runs at
//	tempo                  the tempo in blocks (default 360)
//	last_update            per uid, the block it last set weights
//	block_at_registration  per uid, the block it registered
//	alpha_stake            per uid, alpha stake in rao (1 alpha = 1e9 rao)
//	tao_stake              per uid, root TAO stake in rao (optional)
//	tao_weight             TaoWeight, parts of 2^64−1 (default the chain's)
//	validator_permit       per uid, the permit of the previous epoch
//	max_allowed_validators default 64
//	kappa                  u16 proportion, default 32767
//	bonds_penalty          u16 proportion, default 65535
//	bonds_moving_average   parts of 1e6, default 900000
//	yuma3, liquid_alpha    bond path (default Yuma 3, no liquid alpha)
//	owner_uid              the subnet owner's uid, or absent
//	weights, bonds         per uid, a row of [uid, u16 value] pairs
//	emission               the alpha the epoch distributes, in rao
//
// A field left out keeps consensus.NewInput's default (the chain's for a
// new subnet); an unknown field is an error. Incentive and dividends are
// the chain's u16 proportions x/65535, printed as floats for display only;
// the amounts are exact.
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"log"
	"os"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
)

//go:embed network.json
var defaultNetwork []byte

// network is the file format above. Hyperparameters are pre-set to
// NewInput's defaults before decoding, so a field left out keeps its
// default.
type network struct {
	N                    *uint16       `json:"n"`
	CurrentBlock         uint64        `json:"current_block"`
	Tempo                uint16        `json:"tempo"`
	LastUpdate           []uint64      `json:"last_update"`
	BlockAtRegistration  []uint64      `json:"block_at_registration"`
	AlphaStake           []units.Alpha `json:"alpha_stake"`
	TaoStake             []units.TAO   `json:"tao_stake"`
	TaoWeight            uint64        `json:"tao_weight"`
	ValidatorPermit      []bool        `json:"validator_permit"`
	MaxAllowedValidators uint16        `json:"max_allowed_validators"`
	Kappa                uint16        `json:"kappa"`
	BondsPenalty         uint16        `json:"bonds_penalty"`
	BondsMovingAverage   uint64        `json:"bonds_moving_average"`
	Yuma3                bool          `json:"yuma3"`
	LiquidAlpha          bool          `json:"liquid_alpha"`
	OwnerUID             *uint16       `json:"owner_uid"`
	Weights              [][][2]uint16 `json:"weights"`
	Bonds                [][][2]uint16 `json:"bonds"`
	Emission             units.Alpha   `json:"emission"`
}

// load decodes a network file into the epoch's input.
func load(data []byte) (consensus.Input, error) {
	d := consensus.NewInput(0)
	f := network{
		Tempo: d.Tempo, TaoWeight: d.TaoWeight, MaxAllowedValidators: d.MaxAllowedValidators,
		Kappa: d.Kappa, BondsPenalty: d.BondsPenalty, BondsMovingAverage: d.BondsMovingAverage,
		Yuma3: d.Yuma3, LiquidAlpha: d.LiquidAlpha,
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return consensus.Input{}, err
	}
	if f.N == nil {
		return consensus.Input{}, fmt.Errorf("field n is missing")
	}
	in := consensus.NewInput(*f.N)
	in.CurrentBlock, in.Tempo, in.TaoWeight = f.CurrentBlock, f.Tempo, f.TaoWeight
	in.MaxAllowedValidators, in.Kappa = f.MaxAllowedValidators, f.Kappa
	in.BondsPenalty, in.BondsMovingAverage = f.BondsPenalty, f.BondsMovingAverage
	in.Yuma3, in.LiquidAlpha, in.Emission = f.Yuma3, f.LiquidAlpha, f.Emission
	in.LastUpdate, in.BlockAtRegistration, in.ValidatorPermit = f.LastUpdate, f.BlockAtRegistration, f.ValidatorPermit
	in.AlphaStake, in.TaoStake = f.AlphaStake, f.TaoStake
	in.Weights, in.Bonds = rows(f.Weights), rows(f.Bonds)
	if f.OwnerUID != nil {
		in.HasOwner, in.OwnerUID = true, units.UID(*f.OwnerUID)
	}
	// Validate names the field of a state the chain could not hold.
	return in, in.Validate()
}

// rows turns [uid, value] pairs into the epoch's sparse rows.
func rows(pairs [][][2]uint16) [][]consensus.Entry {
	out := make([][]consensus.Entry, len(pairs))
	for i, row := range pairs {
		for _, p := range row {
			out[i] = append(out[i], consensus.Entry{UID: units.UID(p[0]), Value: p[1]})
		}
	}
	return out
}

func main() {
	log.SetFlags(0)
	data, name := defaultNetwork, "network.json (embedded)"
	switch len(os.Args) {
	case 1:
	case 2:
		var err error
		if data, err = os.ReadFile(os.Args[1]); err != nil {
			log.Fatal(err)
		}
		name = os.Args[1]
	default:
		log.Fatal("usage: epoch [network.json]")
	}
	in, err := load(data)
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	out, err := consensus.Epoch(in)
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	fmt.Printf("%s: %d uids, emission %s%s at block %d\n", name, in.N, in.Emission.Decimal(), units.AlphaSymbol, in.CurrentBlock)
	fmt.Println("uid  incentive  dividends  emission")
	var paid units.Alpha
	for uid := range int(in.N) {
		fmt.Printf("%3d  %9.4f  %9.4f  %s%s\n", uid,
			float64(out.Incentive[uid])/65535, float64(out.Dividends[uid])/65535, // display only
			out.Emission[uid].Decimal(), units.AlphaSymbol)
		paid += out.Emission[uid]
	}
	fmt.Printf("paid %s%s of %s%s\n", paid.Decimal(), units.AlphaSymbol, in.Emission.Decimal(), units.AlphaSymbol)
}
