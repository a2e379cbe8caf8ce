package vector

import (
	"encoding/json"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

type coinbaseSubnetIn struct {
	NetUID          uint16 `json:"netuid"`
	TAOReserve      uint64 `json:"tao_reserve"`
	AlphaReserve    uint64 `json:"alpha_reserve"`
	AlphaOut        uint64 `json:"alpha_out"`
	QuoteWeight     uint64 `json:"quote_weight"`
	MovingPrice     string `json:"moving_price_bits"`
	MinerBurned     string `json:"miner_burned_bits"`
	Emitting        bool   `json:"emitting"`
	EmissionEnabled bool   `json:"emission_enabled"`
	OwnerCut        uint16 `json:"owner_cut"`
	OwnerCutEnabled bool   `json:"owner_cut_enabled"`
}

type coinbaseSubnetOut struct {
	NetUID        uint16 `json:"netuid"`
	TAOIn         uint64 `json:"tao_in"`
	AlphaIn       uint64 `json:"alpha_in"`
	ExcessTAO     uint64 `json:"excess_tao"`
	AlphaOut      uint64 `json:"alpha_out"`
	OwnerCut      uint64 `json:"owner_cut"`
	Server        uint64 `json:"server"`
	Validator     uint64 `json:"validator"`
	RootDivs      uint64 `json:"root_divs"`
	RootRecycled  uint64 `json:"root_recycled"`
	TAOReserve    uint64 `json:"tao_reserve"`
	AlphaReserve  uint64 `json:"alpha_reserve"`
	AlphaOutTotal uint64 `json:"alpha_out_total"`
	QuoteWeight   uint64 `json:"quote_weight"`
}

// MaxCoinbaseSubnets bounds the subnets of one "coinbase" case: emission.Coinbase
// checks the netuids pairwise, so its work grows with the square of the
// list. 32 times the chain's default SubnetLimit of 128
// (pallets/subtensor/src/lib.rs DefaultSubnetLimit).
const MaxCoinbaseSubnets = 4096

// coinbase answers kind "coinbase": one block's emission across subnets
// (the emission steps of run_coinbase and emit_to_subnets,
// pallets/subtensor/src/coinbase/run_coinbase.rs, with get_shares and
// get_subnet_block_emissions of coinbase/subnet_emissions.rs) through
// emission.Coinbase. A field left out reads as the chain's default.
func coinbase(raw json.RawMessage) (any, error) {
	var in struct {
		BlockEmission uint64            `json:"block_emission"`
		TaoWeight     uint64            `json:"tao_weight"`
		RootTAO       uint64            `json:"root_tao"`
		Subnets       []json.RawMessage `json:"subnets"`
	}
	if err := decodeInput(raw, &in, "block_emission", "tao_weight", "root_tao", "subnets"); err != nil {
		return nil, err
	}
	if in.Subnets == nil {
		return nil, badVector("field \"subnets\" must be a list")
	}
	if len(in.Subnets) > MaxCoinbaseSubnets {
		return nil, badVector("%d subnets exceed this runner's bound of %d", len(in.Subnets), MaxCoinbaseSubnets)
	}
	cb := emission.CoinbaseInput{
		BlockEmission: units.TAO(in.BlockEmission),
		TaoWeight:     in.TaoWeight,
		RootTAO:       units.TAO(in.RootTAO),
		Subnets:       make([]emission.CoinbaseSubnet, len(in.Subnets)),
	}
	seen := map[uint16]bool{}
	for i, rawSubnet := range in.Subnets {
		s := coinbaseSubnetIn{
			QuoteWeight:     500_000_000_000_000_000,
			MinerBurned:     "0",
			EmissionEnabled: true,
			OwnerCut:        emission.DefaultOwnerCut,
			OwnerCutEnabled: true,
		}
		if err := decodeInput(rawSubnet, &s, "netuid", "tao_reserve", "alpha_reserve", "alpha_out", "moving_price_bits", "emitting"); err != nil {
			return nil, badVector("subnets[%d]: %v", i, err)
		}
		if s.NetUID == 0 || seen[s.NetUID] {
			return nil, badVector("subnets[%d]: netuid %d is 0 or repeated", i, s.NetUID)
		}
		seen[s.NetUID] = true
		moving, err := fixed.ParseI96F32Bits(s.MovingPrice)
		if err != nil {
			return nil, badVector("subnets[%d]: moving_price_bits: %v", i, err)
		}
		burned, err := fixed.ParseU96F32Bits(s.MinerBurned)
		if err != nil {
			return nil, badVector("subnets[%d]: miner_burned_bits: %v", i, err)
		}
		cb.Subnets[i] = emission.CoinbaseSubnet{
			NetUID: units.NetUID(s.NetUID),
			Pool: amm.Pool{
				TAO:         units.TAO(s.TAOReserve),
				AlphaIn:     units.Alpha(s.AlphaReserve),
				AlphaOut:    units.Alpha(s.AlphaOut),
				QuoteWeight: quoteWeight(s.QuoteWeight),
				FeeRate:     amm.DefaultFeeRate,
				Mechanism:   amm.Dynamic,
				Initialized: true,
			},
			MovingPrice:      moving,
			MinerBurned:      burned,
			Emitting:         s.Emitting,
			EmissionDisabled: !s.EmissionEnabled,
			OwnerCut:         emission.CutOf(s.OwnerCut),
			OwnerCutDisabled: !s.OwnerCutEnabled,
		}
	}

	res, err := emission.Coinbase(&cb)
	if err != nil {
		return nil, badVector("%v", err)
	}

	out := struct {
		RootSell bool                `json:"root_sell"`
		Leftover uint64              `json:"leftover"`
		Subnets  []coinbaseSubnetOut `json:"subnets"`
	}{RootSell: res.RootSell, Leftover: res.Leftover.Rao(), Subnets: make([]coinbaseSubnetOut, len(cb.Subnets))}
	for i, s := range cb.Subnets {
		r := res.Subnets[i]
		o := coinbaseSubnetOut{
			NetUID:        uint16(s.NetUID),
			TAOIn:         r.TAOIn.Rao(),
			AlphaIn:       r.AlphaIn.Rao(),
			ExcessTAO:     r.ExcessTAO.Rao(),
			AlphaOut:      r.AlphaOut.Rao(),
			OwnerCut:      r.Split.OwnerCut.Rao(),
			Server:        r.Split.Server.Rao(),
			Validator:     r.Split.Validator.Rao(),
			TAOReserve:    uint64(s.Pool.TAO),
			AlphaReserve:  uint64(s.Pool.AlphaIn),
			AlphaOutTotal: uint64(s.Pool.AlphaOut),
			QuoteWeight:   uint64(s.Pool.QuoteWeight),
		}
		if r.RootRecycled {
			o.RootRecycled = r.Split.Root.Rao()
		} else {
			o.RootDivs = r.Split.Root.Rao()
		}
		out.Subnets[i] = o
	}
	return out, nil
}
