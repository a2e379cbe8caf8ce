package dtaotest

import (
	"slices"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// The roles of the accounts Genesis creates, the first byte of each key:
// Key(role, netuid, i) is the account {role, netuid, i, 0, ...}.
const (
	// RoleOwner is a subnet owner's coldkey, Key(RoleOwner, netuid, 0).
	RoleOwner byte = 'O'
	// RoleOwnerHotkey is a subnet owner's hotkey (uid 0),
	// Key(RoleOwnerHotkey, netuid, 0).
	RoleOwnerHotkey byte = 'o'
	// RoleValidator is a validator's hotkey, Key(RoleValidator, netuid, i).
	RoleValidator byte = 'V'
	// RoleMiner is a miner's hotkey, Key(RoleMiner, netuid, i).
	RoleMiner byte = 'M'
	// RoleNeuronColdkey is the coldkey owning the hotkey of uid i,
	// Key(RoleNeuronColdkey, netuid, i).
	RoleNeuronColdkey byte = 'C'
	// RoleStaker is a nominator's coldkey, Key(RoleStaker, 0, i).
	RoleStaker byte = 'S'
	// RoleAuthor is the block author, Key(RoleAuthor, 0, 0).
	RoleAuthor byte = 'A'
	// RoleStranger is an account no genesis holds, Key(RoleStranger, 0, 0):
	// calls signed by it or naming it meet the chain's errors.
	RoleStranger byte = 'X'
)

// Key returns the account {role, netuid, i, 0, ...} (netuid and i below
// 256): the keys Genesis creates, which Call.String prints as role,
// netuid and index ("V1.2").
func Key(role byte, netuid units.NetUID, i int) units.AccountID {
	return units.AccountID{role, byte(netuid), byte(i)}
}

// Genesis generates small networks that dtao.NewLedger always accepts
// and whose blocks pay: a root subnet and one to three dynamic subnets,
// each with neurons that have weights, stake and owners.
//
//   - Block uniform in [1_000, 100_000]; the runtime's existential deposit
//     and minimum stake; a block author (Key(RoleAuthor, 0, 0)) one time
//     in two, else the fees are burned.
//   - Params: DefaultParams one time in two; else with the rate limits,
//     the children's cooldown and the network rate limit cut to a few
//     blocks and NetworkMinLockCost to 1 TAO, so that the rate-limited
//     calls succeed within a short run.
//   - Subnets: distinct netuids in [1, 5], each a pool of amm.NewPool with
//     a TAO reserve bit-length-uniform from 1 to 10^6 TAO and an alpha
//     reserve from 1 to 10^7 alpha (prices from about 1e-7 to 1e6 TAO
//     per alpha), a general quote weight one time in four and a fee rate
//     of 0, the default or uniform one time in three each; a moving price
//     at the pool's price; a tempo uniform in [3, 30], started (subtoken
//     and emission enabled).
//   - Neurons: the owner hotkey at uid 0 (Key(RoleOwnerHotkey, netuid,
//     0), owned by Key(RoleOwner, netuid, 0)), then one to three
//     validators (Key(RoleValidator, netuid, i)) and one to four miners
//     (Key(RoleMiner, netuid, i)), each hotkey owned by its own coldkey
//     Key(RoleNeuronColdkey, netuid, uid), registered 100 blocks before
//     the genesis block. Each validator has weights on every miner (values
//     uniform in [1, 65535]) set at the genesis block, so that the first
//     epoch pays incentive and dividends; MinAllowedWeights is 1, commit
//     reveal off, no weights rate limit.
//   - Stakes: each validator's coldkey stakes on its hotkey (1 to 10^5
//     alpha) and on root (1 to 10^4 TAO); one to three stakers
//     (Key(RoleStaker, 0, i)) nominate validators on random subnets and
//     on root. The root pool holds the root stake.
//   - Balances: every coldkey (owners, neuron coldkeys, stakers) holds 1
//     to 10^4 TAO, bit-length uniform.
//
// The generated configuration is built with dtao.Builder, so
// SubnetAlphaOut is the stakes and TotalStake the reserves. Use
// ActorsOf to list its accounts and Calls to draw calls on it.
func Genesis() *rapid.Generator[dtao.GenesisConfig] {
	return rapid.Custom(drawGenesis)
}

func drawGenesis(t *rapid.T) dtao.GenesisConfig {
	block := rapid.Uint64Range(1_000, 100_000).Draw(t, "block")
	regBlock := block - 100
	b := dtao.NewBuilder()
	if rapid.Bool().Draw(t, "author") {
		b.BlockAuthor(Key(RoleAuthor, 0, 0))
	}
	const tao = units.RaoPerTAO
	balance := func(label string) units.TAO {
		return units.TAO(magnitude(t, label, tao, 10_000*tao))
	}

	netuids := rapid.SliceOfNDistinct(rapid.Uint16Range(1, 5), 1, 3, rapid.ID).Draw(t, "netuids")
	slices.Sort(netuids)
	type validator struct {
		hotkey units.AccountID
		netuid units.NetUID
	}
	var validators []validator
	var rootStake uint64
	rootStakes := map[[2]units.AccountID]units.Alpha{}
	addRoot := func(hotkey, coldkey units.AccountID, label string) {
		a := magnitude(t, label, tao, 10_000*tao)
		rootStake += a
		rootStakes[[2]units.AccountID{hotkey, coldkey}] += units.Alpha(a)
	}
	for _, raw := range netuids {
		netuid := units.NetUID(raw)
		owner, ownerHotkey := Key(RoleOwner, netuid, 0), Key(RoleOwnerHotkey, netuid, 0)
		pool := amm.NewPool(units.TAO(magnitude(t, "subnet_tao", tao, 1_000_000*tao)),
			units.Alpha(magnitude(t, "subnet_alpha_in", tao, 10_000_000*tao)))
		if rapid.IntRange(0, 3).Draw(t, "general_weight") == 0 {
			pool.QuoteWeight = fixed.Perquintill(rapid.Uint64Range(uint64(amm.MinWeight), uint64(amm.MaxWeight)).Draw(t, "quote_weight"))
		}
		switch rapid.IntRange(0, 2).Draw(t, "fee_kind") {
		case 0:
			pool.FeeRate = 0
		case 1:
			pool.FeeRate = rapid.Uint16Range(0, amm.MaxFeeRate).Draw(t, "fee_rate")
		}
		sn, err := subnet.New(netuid, owner, ownerHotkey, pool, regBlock)
		if err != nil {
			t.Fatalf("dtaotest: subnet.New: %v", err)
		}
		st := sn.Storage()
		st.Globals = subnet.Globals{} // the ledger's Params give them
		st.Hyperparameters.Tempo = rapid.Uint16Range(3, 30).Draw(t, "tempo")
		st.Hyperparameters.MinAllowedWeights = 1
		st.Hyperparameters.CommitRevealWeightsEnabled = false
		st.Hyperparameters.WeightsSetRateLimit = 0
		nv := rapid.IntRange(1, 3).Draw(t, "validators")
		nm := rapid.IntRange(1, 4).Draw(t, "miners")
		for i := range nv {
			st.AppendNeuron(Key(RoleValidator, netuid, i), Key(RoleNeuronColdkey, netuid, 1+i), regBlock)
		}
		for i := range nm {
			st.AppendNeuron(Key(RoleMiner, netuid, i), Key(RoleNeuronColdkey, netuid, 1+nv+i), regBlock)
		}
		n := len(st.Keys)
		rows := make([][]consensus.Entry, n)
		last := make([]uint64, n)
		for v := 1; v <= nv; v++ {
			for m := 1 + nv; m < n; m++ {
				rows[v] = append(rows[v], consensus.Entry{UID: units.UID(m), Value: rapid.Uint16Range(1, 65535).Draw(t, "weight")})
			}
			last[v] = block
		}
		st.Weights = [][][]consensus.Entry{rows}
		st.LastUpdate = [][]uint64{last}
		b.SubnetWith(dtao.GenesisSubnet{
			NetUID: netuid, Owner: owner, OwnerHotkey: ownerHotkey, Pool: pool, Storage: &st,
			RegisteredAt: regBlock, FirstEmissionBlock: regBlock,
			MovingPrice: pool.Price().U64F64().SaturatingToI96F32(),
		})
		b.Account(owner, balance("owner_balance"))
		for uid := 1; uid < n; uid++ {
			b.Account(Key(RoleNeuronColdkey, netuid, uid), balance("neuron_balance"))
		}
		for i := range nv {
			hk, ck := Key(RoleValidator, netuid, i), Key(RoleNeuronColdkey, netuid, 1+i)
			b.Stake(hk, ck, netuid, units.Alpha(magnitude(t, "validator_stake", tao, 100_000*tao)))
			addRoot(hk, ck, "validator_root_stake")
			validators = append(validators, validator{hk, netuid})
		}
	}
	stakers := rapid.IntRange(1, 3).Draw(t, "stakers")
	for i := range stakers {
		ck := Key(RoleStaker, 0, i)
		b.Account(ck, balance("staker_balance"))
		for _, v := range rapid.SliceOfNDistinct(rapid.SampledFrom(validators), 1, len(validators),
			func(v validator) units.AccountID { return v.hotkey }).Draw(t, "nominations") {
			b.Stake(v.hotkey, ck, v.netuid, units.Alpha(magnitude(t, "nominator_stake", tao, 10_000*tao)))
			if rapid.Bool().Draw(t, "nominate_root") {
				addRoot(v.hotkey, ck, "nominator_root_stake")
			}
		}
	}
	keys := make([][2]units.AccountID, 0, len(rootStakes))
	for k := range rootStakes {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]units.AccountID) int {
		if c := slices.Compare(a[0][:], b[0][:]); c != 0 {
			return c
		}
		return slices.Compare(a[1][:], b[1][:])
	})
	for _, k := range keys {
		b.Stake(k[0], k[1], dtao.RootNetUID, rootStakes[k])
	}
	b.Root(units.TAO(rootStake))

	g := b.Genesis()
	g.Block = block
	if rapid.Bool().Draw(t, "fast_params") {
		p := dtao.DefaultParams()
		p.TxRateLimit = rapid.Uint64Range(0, 5).Draw(t, "tx_rate_limit")
		p.TxDelegateTakeRateLimit = rapid.Uint64Range(0, 5).Draw(t, "take_rate_limit")
		p.TxChildkeyTakeRateLimit = p.TxDelegateTakeRateLimit
		p.PendingChildKeyCooldown = rapid.Uint64Range(0, 10).Draw(t, "child_cooldown")
		p.NetworkRateLimit = rapid.Uint64Range(0, 10).Draw(t, "network_rate_limit")
		p.NetworkMinLockCost = tao
		g.Params = &p
	}
	return g
}

// Actors are the accounts, subnets and uids of a genesis that Calls draws
// from, each list in a fixed order.
type Actors struct {
	// Coldkeys are the accounts of the genesis (Accounts, then the subnet
	// owners not among them) and a stranger, Key(RoleStranger, 0, 0).
	Coldkeys []units.AccountID
	// Hotkeys are the hotkeys with an owner (Hotkeys, the subnet owners'
	// hotkeys, the neurons' hotkeys) and the stranger.
	Hotkeys []units.AccountID
	// NetUIDs are the genesis' subnets in ascending order, then the
	// lowest netuid from 1 without a subnet: the one a register_network
	// takes, until then a missing subnet.
	NetUIDs []units.NetUID
	// MaxUID is the largest number of neurons of a subnet: uids drawn in
	// [0, MaxUID] include one past every subnet's last.
	MaxUID uint16
}

// ActorsOf lists g's actors.
func ActorsOf(g *dtao.GenesisConfig) Actors {
	var a Actors
	seen := map[units.AccountID]bool{}
	addCold := func(k units.AccountID) {
		if !seen[k] {
			seen[k] = true
			a.Coldkeys = append(a.Coldkeys, k)
		}
	}
	for _, acc := range g.Accounts {
		addCold(acc.Account)
	}
	hot := map[units.AccountID]bool{}
	addHot := func(k units.AccountID) {
		if !hot[k] {
			hot[k] = true
			a.Hotkeys = append(a.Hotkeys, k)
		}
	}
	for _, h := range g.Hotkeys {
		addHot(h.Hotkey)
	}
	for _, s := range g.Subnets {
		a.NetUIDs = append(a.NetUIDs, s.NetUID)
		if s.NetUID == dtao.RootNetUID {
			continue
		}
		addCold(s.Owner)
		if s.OwnerHotkey != (units.AccountID{}) {
			addHot(s.OwnerHotkey)
		}
		if s.Storage != nil {
			for _, k := range s.Storage.Keys {
				addHot(k)
			}
			a.MaxUID = max(a.MaxUID, uint16(len(s.Storage.Keys)))
		}
	}
	slices.Sort(a.NetUIDs)
	free := units.NetUID(1)
	for slices.Contains(a.NetUIDs, free) {
		free++
	}
	a.NetUIDs = append(a.NetUIDs, free)
	stranger := Key(RoleStranger, 0, 0)
	a.Coldkeys = append(a.Coldkeys, stranger)
	a.Hotkeys = append(a.Hotkeys, stranger)
	return a
}

// CheckLedger fails t, naming the broken rule and the block, unless l
// passes dtao.Ledger.CheckInvariants: every rao and every alpha accounted
// for. t is a rapid.TB, which both *testing.T and *rapid.T satisfy, so
// that it serves in a plain test and inside rapid.Check alike.
func CheckLedger(t rapid.TB, l *dtao.Ledger) {
	t.Helper()
	if err := l.CheckInvariants(); err != nil {
		t.Fatalf("ledger at block %d: %v", l.Block(), err)
	}
}
