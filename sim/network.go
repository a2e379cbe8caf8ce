package sim

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// ErrInvalidConfig reports a Config that Genesis cannot build a network
// from; the error names the field.
var ErrInvalidConfig = errors.New("sim: invalid config")

// Config describes a simulated network. Amounts are integers of rao.
type Config struct {
	// Subnets is the number of dynamic subnets, netuids 1..Subnets (1 to
	// 128, the chain's SubnetLimit).
	Subnets int
	// UIDs is the number of neurons per subnet (Validators+1 to 256,
	// MaxAllowedUids).
	UIDs int
	// Validators is the number of validators per subnet, the owner's
	// hotkey at uid 0 included (1 to 64, MaxAllowedValidators).
	Validators int
	// RootValidators is the number of validators that hold root stake and
	// validate on every subnet (uids 1..RootValidators); at most
	// Validators−1.
	RootValidators int
	// Stakers is the number of staking accounts (coldkeys with a free
	// balance that nominate validators and trade stake).
	Stakers int
	// Seed seeds the amounts of the genesis and the agents' behaviour.
	Seed uint64
	// Tempo is each subnet's epoch period in blocks (1 to 65535).
	Tempo uint16
	// Block is the genesis block, at least 2·Tempo: the neurons
	// registered in its first half, the validators set their weights in
	// the last tempo before it.
	Block uint64
	// MinPrice and MaxPrice bound the subnets' pool prices, in rao per
	// alpha (1 ≤ MinPrice ≤ MaxPrice ≤ 10^9·10^3).
	MinPrice, MaxPrice uint64
	// MinReserve and MaxReserve bound the subnets' TAO reserves; the
	// cheaper subnets get the smaller reserves.
	MinReserve, MaxReserve units.TAO
	// RootStake is the largest root stake of a root validator (the others
	// hold down to a fifth of it).
	RootStake units.TAO
	// MaxBalance is the largest free balance of a staker (each holds from
	// a hundredth of it).
	MaxBalance units.TAO
	// WeightsPerValidator is the number of miners each validator weights.
	WeightsPerValidator int
	// ActionsPerBlock is the number of stake calls the stakers make before
	// each block.
	ActionsPerBlock int
}

// TAO is one TAO in rao.
const TAO units.TAO = units.RaoPerTAO

// DefaultConfig returns the network `dtao simulate` runs: 8 subnets of 256
// uids with 64 validators each, 8 of them on root, 4096 stakers.
func DefaultConfig() Config {
	return Config{
		Subnets:             8,
		UIDs:                256,
		Validators:          64,
		RootValidators:      8,
		Stakers:             4096,
		Seed:                1,
		Tempo:               360,
		Block:               7200,
		MinPrice:            3_000_000,   // 0.003 TAO per alpha
		MaxPrice:            100_000_000, // 0.1 TAO per alpha
		MinReserve:          20_000 * TAO,
		MaxReserve:          150_000 * TAO,
		RootStake:           500_000 * TAO,
		MaxBalance:          500 * TAO,
		WeightsPerValidator: 32,
		ActionsPerBlock:     4,
	}
}

// BenchConfig returns the network of BenchmarkStep/subnets=64: 64 subnets
// of 256 uids with 64 validators each at the default tempo (360), prices
// from 0.003 to 0.1 TAO per alpha, 16 root validators holding up to
// 500,000 TAO of root stake each (so that the injection cap, the root
// proportion of the alpha emission, binds and the chain buys alpha on most
// subnets), 16,384 stakers and 4 stake calls per block.
func BenchConfig() Config {
	c := DefaultConfig()
	c.Subnets = 64
	c.RootValidators = 16
	c.Stakers = 16_384
	return c
}

// Validate reports the first field Genesis cannot build from, wrapping
// ErrInvalidConfig.
func (c *Config) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, a...)...)
	}
	switch {
	case c.Subnets < 1 || c.Subnets > 128:
		return bad("Subnets %d: want 1 to 128", c.Subnets)
	case c.Validators < 1 || c.Validators > 64:
		return bad("Validators %d: want 1 to 64", c.Validators)
	case c.UIDs <= c.Validators || c.UIDs > 256:
		return bad("UIDs %d: want Validators+1 = %d to 256", c.UIDs, c.Validators+1)
	case c.RootValidators < 0 || c.RootValidators > c.Validators-1:
		return bad("RootValidators %d: want 0 to Validators−1 = %d", c.RootValidators, c.Validators-1)
	case c.Stakers < 0 || c.Stakers > 1<<22:
		return bad("Stakers %d: want 0 to %d", c.Stakers, 1<<22)
	case c.Tempo == 0:
		return bad("Tempo 0: want 1 to 65535")
	case c.Block < 2*uint64(c.Tempo) || c.Block > 1<<40:
		return bad("Block %d: want 2·Tempo = %d to 2^40", c.Block, 2*uint64(c.Tempo))
	case c.MinPrice == 0 || c.MinPrice > c.MaxPrice || c.MaxPrice > 1_000_000_000_000:
		return bad("MinPrice %d, MaxPrice %d: want 1 ≤ MinPrice ≤ MaxPrice ≤ 10^12 rao per alpha", c.MinPrice, c.MaxPrice)
	case c.MinReserve < 1_000*TAO || c.MinReserve > c.MaxReserve || c.MaxReserve > 10_000_000*TAO:
		return bad("MinReserve %d, MaxReserve %d: want 1000 TAO ≤ MinReserve ≤ MaxReserve ≤ 10^7 TAO", c.MinReserve, c.MaxReserve)
	case c.RootStake > 10_000_000*TAO || (c.RootValidators > 0 && c.RootStake < 5*TAO):
		return bad("RootStake %d: want 5 TAO to 10^7 TAO", c.RootStake)
	case c.Stakers > 0 && (c.MaxBalance < 100*TAO || c.MaxBalance > 1_000_000*TAO):
		return bad("MaxBalance %d: want 100 TAO to 10^6 TAO", c.MaxBalance)
	case c.WeightsPerValidator < 1:
		return bad("WeightsPerValidator %d: want at least 1", c.WeightsPerValidator)
	case c.ActionsPerBlock < 0 || c.ActionsPerBlock > 1<<16:
		return bad("ActionsPerBlock %d: want 0 to 65536", c.ActionsPerBlock)
	}
	return nil
}

// account derives an account from a label: SHA-256("dtao/sim/" + label).
func account(label string) units.AccountID {
	return units.AccountID(sha256.Sum256([]byte("dtao/sim/" + label)))
}

// The network's accounts.
func stakerKey(i int) units.AccountID { return account("staker/" + strconv.Itoa(i)) }
func ownerKey(netuid units.NetUID) units.AccountID {
	return account("owner/" + strconv.Itoa(int(netuid)))
}
func ownerHotkey(netuid units.NetUID) units.AccountID {
	return account("owner-hotkey/" + strconv.Itoa(int(netuid)))
}
func rootValidatorHotkey(k int) units.AccountID {
	return account("root-validator/" + strconv.Itoa(k))
}
func rootValidatorColdkey(k int) units.AccountID {
	return account("root-validator-coldkey/" + strconv.Itoa(k))
}
func validatorHotkey(netuid units.NetUID, k int) units.AccountID {
	return account("validator/" + strconv.Itoa(int(netuid)) + "/" + strconv.Itoa(k))
}
func validatorColdkey(netuid units.NetUID, k int) units.AccountID {
	return account("validator-coldkey/" + strconv.Itoa(int(netuid)) + "/" + strconv.Itoa(k))
}
func minerHotkey(netuid units.NetUID, uid int) units.AccountID {
	return account("miner/" + strconv.Itoa(int(netuid)) + "/" + strconv.Itoa(uid))
}

// minerColdkey: four consecutive miners share a coldkey.
func minerColdkey(netuid units.NetUID, uid int) units.AccountID {
	return account("miner-coldkey/" + strconv.Itoa(int(netuid)) + "/" + strconv.Itoa(uid/4))
}

// StakerAccount returns the coldkey of staker i of a network Genesis built.
func StakerAccount(i int) units.AccountID { return stakerKey(i) }

// slot is the block of each tempo at which a validator sets its weights:
// the blocks b with (b + offset) mod tempo = 0, the offset drawn from its
// hotkey and netuid, so that the validators spread over the tempo.
func slot(hotkey units.AccountID, netuid units.NetUID, tempo uint64) uint64 {
	offset := uint64(hotkey[0])<<16 | uint64(hotkey[1])<<8 | uint64(hotkey[2])
	return (tempo - (offset+uint64(netuid))%tempo) % tempo
}

// lastSlot is the last block at or before block that is the validator's
// slot (block ≥ tempo).
func lastSlot(hotkey units.AccountID, netuid units.NetUID, tempo, block uint64) uint64 {
	s := slot(hotkey, netuid, tempo)
	return block - (block+tempo-s)%tempo
}

// mulDiv is floor(a·b/c), saturating at u64::MAX (c is never 0 here).
func mulDiv(a, b, c uint64) uint64 {
	q, ok := fixed.MulDivUint64(a, b, c)
	if !ok {
		return ^uint64(0)
	}
	return q
}

// between returns a uniform integer in [lo, hi].
func between(r *rand.Rand, lo, hi uint64) uint64 {
	if hi <= lo {
		return lo
	}
	return lo + r.Uint64N(hi-lo+1)
}

// genesis streams: the second word of the PCG seed for the genesis and
// for the agents.
const (
	genesisStream   = 0x6765_6e65_7369_7331 // "genesis1"
	behaviourStream = 0x6167_656e_7473_3031 // "agents01"
)

// Genesis returns the network cfg describes (see the package doc). The
// same Config gives the same genesis; NewLedger accepts it.
func Genesis(cfg Config) (dtao.GenesisConfig, error) {
	if err := cfg.Validate(); err != nil {
		return dtao.GenesisConfig{}, err
	}
	r := rand.New(rand.NewPCG(cfg.Seed, genesisStream))
	b := dtao.NewBuilder()
	for i := range cfg.Stakers {
		b.Account(stakerKey(i), units.TAO(between(r, cfg.MaxBalance.Rao()/100, cfg.MaxBalance.Rao())))
	}
	// nominate splits amount between the validator's own coldkey (10 to
	// 40%) and up to five distinct stakers.
	nominate := func(hotkey, own units.AccountID, netuid units.NetUID, amount uint64) {
		ownPart := mulDiv(amount, between(r, 10, 40), 100)
		n := 0
		if cfg.Stakers > 0 {
			n = min(int(between(r, 1, 5)), cfg.Stakers)
		}
		var picked [5]int
		var w [5]uint64
		var sum uint64
		for k := range n {
			p := r.IntN(cfg.Stakers)
			for slices.Contains(picked[:k], p) {
				p = r.IntN(cfg.Stakers)
			}
			picked[k] = p
			w[k] = between(r, 1, 100)
			sum += w[k]
		}
		if n == 0 {
			ownPart = amount
		}
		rest := amount - ownPart
		given := uint64(0)
		for k := range n {
			part := mulDiv(rest, w[k], sum)
			if k == n-1 {
				part = rest - given
			}
			given += part
			if part > 0 {
				b.Stake(hotkey, stakerKey(picked[k]), netuid, units.Alpha(part))
			}
		}
		if ownPart > 0 {
			b.Stake(hotkey, own, netuid, units.Alpha(ownPart))
		}
	}

	// Root: the root validators' stake.
	var rootTAO uint64
	type rootEntry struct {
		hk, ck units.AccountID
		amount uint64
	}
	roots := make([]rootEntry, cfg.RootValidators)
	for k := range roots {
		amount := between(r, cfg.RootStake.Rao()/5, cfg.RootStake.Rao())
		roots[k] = rootEntry{rootValidatorHotkey(k), rootValidatorColdkey(k), amount}
		rootTAO += amount
		b.Hotkey(roots[k].hk, roots[k].ck)
	}
	b.Root(units.TAO(rootTAO))
	for _, e := range roots {
		nominate(e.hk, e.ck, dtao.RootNetUID, e.amount)
	}

	for i := range cfg.Subnets {
		netuid := units.NetUID(i + 1)
		if err := addSubnet(b, r, &cfg, netuid, nominate); err != nil {
			return dtao.GenesisConfig{}, fmt.Errorf("sim: subnet %d: %w", netuid, err)
		}
	}
	g := b.Genesis()
	g.Block = cfg.Block
	return g, nil
}

// addSubnet adds subnet netuid with its neurons, weights and stake.
func addSubnet(b *dtao.Builder, r *rand.Rand, cfg *Config, netuid units.NetUID,
	nominate func(hotkey, own units.AccountID, netuid units.NetUID, amount uint64)) error {
	// The price: the square of a uniform u in [0, 1] spreads it towards
	// the cheap end, as on the live network.
	u := between(r, 0, 1000)
	price := cfg.MinPrice + mulDiv(cfg.MaxPrice-cfg.MinPrice, u*u, 1_000_000)
	reserve := cfg.MinReserve.Rao() + mulDiv(cfg.MaxReserve.Rao()-cfg.MinReserve.Rao(), u, 1000)
	reserve = min(mulDiv(reserve, between(r, 80, 120), 100), cfg.MaxReserve.Rao())
	alphaIn := mulDiv(reserve, units.RaoPerTAO, price)
	staked := mulDiv(alphaIn, between(r, 50, 150), 100)

	owner, ohk := ownerKey(netuid), ownerHotkey(netuid)
	pool := amm.NewPool(units.TAO(reserve), units.Alpha(alphaIn))
	sn, err := subnet.New(netuid, owner, ohk, pool, cfg.Block)
	if err != nil {
		return err
	}
	st := sn.Storage()
	st.Hyperparameters.Tempo = cfg.Tempo
	st.Hyperparameters.CommitRevealWeightsEnabled = false

	n, v := cfg.UIDs, cfg.Validators
	hotkeys := make([]units.AccountID, n)
	coldkeys := make([]units.AccountID, n)
	hotkeys[0], coldkeys[0] = ohk, owner
	for k := 1; k < v; k++ {
		if k <= cfg.RootValidators {
			hotkeys[k], coldkeys[k] = rootValidatorHotkey(k-1), rootValidatorColdkey(k-1)
		} else {
			hotkeys[k], coldkeys[k] = validatorHotkey(netuid, k), validatorColdkey(netuid, k)
		}
	}
	for uid := v; uid < n; uid++ {
		hotkeys[uid], coldkeys[uid] = minerHotkey(netuid, uid), minerColdkey(netuid, uid)
	}
	st.Keys, st.Owners = hotkeys, coldkeys
	st.BlockAtRegistration = make([]uint64, n)
	for uid := range n {
		st.BlockAtRegistration[uid] = between(r, 0, cfg.Block/2)
	}
	st.Active = make([]bool, n)
	st.Emission = make([]units.Alpha, n)
	st.Consensus = make([]uint16, n)
	st.Dividends = make([]uint16, n)
	st.ValidatorTrust = make([]uint16, n)
	st.ValidatorPermit = make([]bool, n)
	st.StakeWeight = nil
	st.Incentive = [][]uint16{make([]uint16, n)}
	st.Bonds = [][][]consensus.Entry{nil}
	st.LastUpdate = [][]uint64{make([]uint64, n)}
	weights := make([][]consensus.Entry, v)
	miners := make([]units.UID, n-v)
	for i := range miners {
		miners[i] = units.UID(v + i)
	}
	// The miners the validators weight: the same m miners for all (a
	// partial Fisher–Yates shuffle picks them), each with a quality that
	// every validator sees through ±20% of noise, so that the validators
	// mostly agree and consensus (Kappa) lets the incentive through.
	m := min(cfg.WeightsPerValidator, len(miners))
	quality := make([]uint64, m)
	for j := range m {
		s := j + r.IntN(len(miners)-j)
		miners[j], miners[s] = miners[s], miners[j]
		quality[j] = between(r, 1000, 50_000)
	}
	for k := range v {
		st.Active[k] = true
		st.ValidatorPermit[k] = true
		// The validator last set its weights at its slot of the last
		// tempo, after every registration.
		st.LastUpdate[0][k] = lastSlot(hotkeys[k], netuid, uint64(cfg.Tempo), cfg.Block)
		row := make([]consensus.Entry, m)
		var top uint64
		for j := range m {
			row[j] = consensus.Entry{UID: miners[j], Value: uint16(mulDiv(quality[j], between(r, 80, 120), 100))}
			top = max(top, uint64(row[j].Value))
		}
		// set_weights stores the weights max-upscaled to 65535
		// (vec_u16_max_upscale, subnets/weights.rs).
		for j := range row {
			row[j].Value = uint16(mulDiv(uint64(row[j].Value), 65535, top))
		}
		slices.SortFunc(row, func(a, b consensus.Entry) int { return int(a.UID) - int(b.UID) })
		weights[k] = row
	}
	st.Weights = [][][]consensus.Entry{weights}
	st.WeightCommits = nil
	st.TimelockedWeightCommits = nil

	// The validators' stake: a few large, a long tail.
	ws := make([]uint64, v)
	var sum uint64
	for k := range v {
		rank := uint64(k + 1)
		if k == 0 {
			rank = 4 // the owner holds less than the largest validators
		}
		ws[k] = mulDiv(1_000_000, between(r, 50, 150), 100*rank)
		sum += ws[k]
	}
	mp := fixed.I96F32FromUint64(mulDiv(reserve, between(r, 90, 99), 100)).Div(fixed.I96F32FromUint64(alphaIn))
	b.SubnetWith(dtao.GenesisSubnet{
		NetUID: netuid, Owner: owner, OwnerHotkey: ohk, Pool: pool,
		Storage: &st, RegisteredAt: between(r, 0, cfg.Block-1), MovingPrice: mp,
	})
	given := uint64(0)
	for k := range v {
		part := mulDiv(staked, ws[k], sum)
		if k == v-1 {
			part = staked - given
		}
		given += part
		if part > 0 {
			nominate(hotkeys[k], coldkeys[k], netuid, part)
		}
	}
	return nil
}
