package dtao

import (
	"errors"
	"fmt"
	"math"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/units"
)

// GenesisConfig is the state a Ledger starts from, named after the chain's
// storage items. NewLedger validates it whole.
type GenesisConfig struct {
	// Block is the current block.
	Block uint64
	// ExistentialDeposit is the balances pallet's; 0 means the runtime's
	// ExistentialDeposit (500 rao). subtensor's test mock uses 1.
	ExistentialDeposit units.TAO
	// MinStake is DefaultMinStake; 0 means 2_000_000 rao.
	MinStake units.TAO
	// BlockAuthor receives the swap fees when HasBlockAuthor; otherwise
	// they are burned.
	BlockAuthor    units.AccountID
	HasBlockAuthor bool
	// Accounts are the free balances (System.Account) of the accounts
	// other than the subnet accounts, each at least the existential
	// deposit.
	Accounts []GenesisAccount
	// Hotkeys are the Owner entries (hotkey → coldkey) besides the subnet
	// owners' hotkeys, which the subnets add.
	Hotkeys []GenesisHotkey
	// Subnets are the subnets, the root subnet (netuid 0, stable pool)
	// included if wanted.
	Subnets []GenesisSubnet
	// Stakes are the coldkeys' alpha on the hotkeys' share pools
	// (TotalHotkeyAlpha, TotalHotkeySharesV2, AlphaV2), staked in list
	// order into empty pools.
	Stakes []GenesisStake
	// TotalStake is TotalStake.
	TotalStake units.TAO
}

// GenesisAccount is one free balance.
type GenesisAccount struct {
	Account units.AccountID
	Balance units.TAO
}

// GenesisHotkey is one Owner entry.
type GenesisHotkey struct {
	Hotkey, Coldkey units.AccountID
}

// GenesisSubnet is one subnet: SubnetOwner, SubnetOwnerHotkey (the zero
// account for none), the pool (SubnetTAO, SubnetAlphaIn, SubnetAlphaOut,
// SubnetMechanism and the swap pallet's state), SubnetLocked (the TAO the
// subnet account holds besides the reserve), SubtokenEnabled, the burned
// alpha and SubnetTaoFlow.
type GenesisSubnet struct {
	NetUID           units.NetUID
	Owner            units.AccountID
	OwnerHotkey      units.AccountID
	Pool             amm.Pool
	Locked           units.TAO
	SubtokenDisabled bool
	AlphaBurned      units.Alpha
	TaoFlow          int64
}

// GenesisStake is one coldkey's alpha on a hotkey's pool.
type GenesisStake struct {
	Hotkey, Coldkey units.AccountID
	NetUID          units.NetUID
	Alpha           units.Alpha
}

func genesisErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidGenesis}, args...)...)
}

// NewLedger returns a ledger holding g, or an error wrapping
// ErrInvalidGenesis that names the field and the entry at fault:
//
//   - an account listed twice, with a balance below the existential
//     deposit, or that is a subnet account;
//   - a hotkey listed twice or owned by two coldkeys;
//   - a subnet listed twice, whose pool amm.Pool.Validate refuses, a root
//     subnet whose pool is not stable, a lock below the existential
//     deposit (the lock keeps the subnet account alive), or whose
//     SubnetAlphaOut is not the sum of its stakes and burned alpha;
//   - a stake on a missing subnet, to a hotkey without an owner, of zero
//     or more than 2^63 − 1 rao, or listed twice;
//   - a total issuance above 2^64 − 1 rao.
//
// Each subnet account holds the subnet's reserve plus its lock.
func NewLedger(g GenesisConfig) (*Ledger, error) {
	l := &Ledger{
		block:     g.Block,
		ed:        g.ExistentialDeposit,
		minStake:  g.MinStake,
		author:    g.BlockAuthor,
		hasAuthor: g.HasBlockAuthor,
		balances:  make(map[units.AccountID]units.TAO),
		subnets:   make(map[units.NetUID]*SubnetState),
		owner:     make(map[units.AccountID]units.AccountID),
		stake:     make(map[stakeKey]*SharePool),
	}
	if l.ed == 0 {
		l.ed = ExistentialDeposit
	}
	if l.minStake == 0 {
		l.minStake = DefaultMinStake
	}
	var issuance uint64
	add := func(v units.TAO) bool {
		if issuance > math.MaxUint64-v.Rao() {
			return false
		}
		issuance += v.Rao()
		return true
	}
	for i, s := range g.Subnets {
		if _, dup := l.subnets[s.NetUID]; dup {
			return nil, genesisErr("Subnets[%d]: netuid %d listed twice", i, s.NetUID)
		}
		if err := s.Pool.Validate(); err != nil {
			return nil, genesisErr("Subnets[%d] (netuid %d): Pool: %w", i, s.NetUID, err)
		}
		if s.NetUID == RootNetUID && s.Pool.Mechanism != amm.Stable {
			return nil, genesisErr("Subnets[%d]: the root subnet's pool must be stable", i)
		}
		if s.Locked < l.ed {
			return nil, genesisErr("Subnets[%d] (netuid %d): Locked %d below the existential deposit %d",
				i, s.NetUID, s.Locked.Rao(), l.ed.Rao())
		}
		acct, over := s.Pool.TAO.Add(s.Locked)
		if over || !add(acct) {
			return nil, genesisErr("Subnets[%d] (netuid %d): total issuance overflows", i, s.NetUID)
		}
		l.balances[SubnetAccountID(s.NetUID)] = acct
		l.subnets[s.NetUID] = &SubnetState{
			NetUID: s.NetUID, Owner: s.Owner, OwnerHotkey: s.OwnerHotkey, Pool: s.Pool,
			SubtokenEnabled: !s.SubtokenDisabled, AlphaBurned: s.AlphaBurned, TaoFlow: s.TaoFlow,
		}
		if s.OwnerHotkey != (units.AccountID{}) {
			if c, ok := l.owner[s.OwnerHotkey]; ok && c != s.Owner {
				return nil, genesisErr("Subnets[%d] (netuid %d): OwnerHotkey owned by another coldkey", i, s.NetUID)
			}
			l.owner[s.OwnerHotkey] = s.Owner
		}
	}
	for i, a := range g.Accounts {
		if _, dup := l.balances[a.Account]; dup {
			if l.isSubnetAccount(a.Account) {
				return nil, genesisErr("Accounts[%d]: %x is a subnet account", i, a.Account[:])
			}
			return nil, genesisErr("Accounts[%d]: account %x listed twice", i, a.Account[:])
		}
		if a.Balance < l.ed {
			return nil, genesisErr("Accounts[%d]: balance %d below the existential deposit %d",
				i, a.Balance.Rao(), l.ed.Rao())
		}
		if !add(a.Balance) {
			return nil, genesisErr("Accounts[%d]: total issuance overflows", i)
		}
		l.balances[a.Account] = a.Balance
	}
	for i, h := range g.Hotkeys {
		if c, ok := l.owner[h.Hotkey]; ok && c != h.Coldkey {
			return nil, genesisErr("Hotkeys[%d]: hotkey %x already owned by %x", i, h.Hotkey[:], c[:])
		}
		l.owner[h.Hotkey] = h.Coldkey
	}
	staked := make(map[units.NetUID]uint64)
	for i, s := range g.Stakes {
		if _, ok := l.subnets[s.NetUID]; !ok {
			return nil, genesisErr("Stakes[%d]: netuid %d has no subnet", i, s.NetUID)
		}
		if _, ok := l.owner[s.Hotkey]; !ok {
			return nil, genesisErr("Stakes[%d]: hotkey %x has no owner", i, s.Hotkey[:])
		}
		if s.Alpha == 0 {
			return nil, genesisErr("Stakes[%d]: zero alpha", i)
		}
		k := stakeKey{s.Hotkey, s.NetUID}
		p, ok := l.stake[k]
		if !ok {
			p = &SharePool{}
			l.stake[k] = p
		}
		if _, dup := p.Share(s.Coldkey); dup {
			return nil, genesisErr("Stakes[%d]: coldkey %x listed twice on this hotkey and netuid", i, s.Coldkey[:])
		}
		if err := p.Stake(s.Coldkey, s.Alpha); err != nil {
			return nil, genesisErr("Stakes[%d]: %w", i, err)
		}
		if staked[s.NetUID] > math.MaxUint64-s.Alpha.Rao() {
			return nil, genesisErr("Stakes[%d]: the subnet's stake overflows", i)
		}
		staked[s.NetUID] += s.Alpha.Rao()
	}
	for i, s := range g.Subnets {
		want := staked[s.NetUID]
		if want > math.MaxUint64-s.AlphaBurned.Rao() || want+s.AlphaBurned.Rao() != s.Pool.AlphaOut.Rao() {
			return nil, genesisErr("Subnets[%d] (netuid %d): Pool.AlphaOut %d is not the stakes %d plus AlphaBurned %d",
				i, s.NetUID, s.Pool.AlphaOut.Rao(), want, s.AlphaBurned.Rao())
		}
	}
	l.totalIssuance = units.TAO(issuance)
	l.totalStake = g.TotalStake
	if err := l.checkInvariants(); err != nil {
		return nil, errors.Join(ErrInvalidGenesis, err)
	}
	return l, nil
}

// Builder assembles a GenesisConfig in code: a ready network in a few
// calls. Its methods record; Build validates everything at once.
type Builder struct {
	g GenesisConfig
}

// NewBuilder returns a builder with the runtime's existential deposit and
// minimum stake.
func NewBuilder() *Builder { return &Builder{} }

// ExistentialDeposit sets the existential deposit (subtensor's test mock uses 1).
func (b *Builder) ExistentialDeposit(ed units.TAO) *Builder {
	b.g.ExistentialDeposit = ed
	return b
}

// BlockAuthor sets the block author that receives the fees.
func (b *Builder) BlockAuthor(a units.AccountID) *Builder {
	b.g.BlockAuthor, b.g.HasBlockAuthor = a, true
	return b
}

// Account adds an account with a free balance.
func (b *Builder) Account(a units.AccountID, balance units.TAO) *Builder {
	b.g.Accounts = append(b.g.Accounts, GenesisAccount{a, balance})
	return b
}

// Hotkey records coldkey as the hotkey's owner.
func (b *Builder) Hotkey(hotkey, coldkey units.AccountID) *Builder {
	b.g.Hotkeys = append(b.g.Hotkeys, GenesisHotkey{hotkey, coldkey})
	return b
}

// Root adds the root subnet with a stable pool holding tao, its lock the
// existential deposit.
func (b *Builder) Root(tao units.TAO) *Builder {
	b.g.Subnets = append(b.g.Subnets, GenesisSubnet{NetUID: RootNetUID, Pool: amm.NewStablePool(tao, 0)})
	return b
}

// Subnet adds a dynamic subnet owned by owner with ownerHotkey and a pool
// of the given reserves (amm.NewPool), its lock the existential deposit.
func (b *Builder) Subnet(netuid units.NetUID, owner, ownerHotkey units.AccountID, tao units.TAO, alphaIn units.Alpha) *Builder {
	b.g.Subnets = append(b.g.Subnets, GenesisSubnet{
		NetUID: netuid, Owner: owner, OwnerHotkey: ownerHotkey, Pool: amm.NewPool(tao, alphaIn),
	})
	return b
}

// SubnetWith adds a subnet given whole.
func (b *Builder) SubnetWith(s GenesisSubnet) *Builder {
	b.g.Subnets = append(b.g.Subnets, s)
	return b
}

// Stake gives coldkey alpha staked to hotkey on netuid; Build adds it to
// the subnet's SubnetAlphaOut.
func (b *Builder) Stake(hotkey, coldkey units.AccountID, netuid units.NetUID, alpha units.Alpha) *Builder {
	b.g.Stakes = append(b.g.Stakes, GenesisStake{hotkey, coldkey, netuid, alpha})
	return b
}

// Genesis returns the configuration: each subnet's lock defaults to the
// existential deposit, SubnetAlphaOut is its stakes plus burned alpha
// (saturating), and TotalStake is the sum of the TAO reserves.
func (b *Builder) Genesis() GenesisConfig {
	g := b.g
	g.Subnets = append([]GenesisSubnet(nil), b.g.Subnets...)
	ed := g.ExistentialDeposit
	if ed == 0 {
		ed = ExistentialDeposit
	}
	g.TotalStake = 0
	for i := range g.Subnets {
		s := &g.Subnets[i]
		if s.Locked == 0 {
			s.Locked = ed
		}
		out := s.AlphaBurned
		for _, st := range g.Stakes {
			if st.NetUID == s.NetUID {
				out = out.SaturatingAdd(st.Alpha)
			}
		}
		s.Pool.AlphaOut = out
		g.TotalStake = g.TotalStake.SaturatingAdd(s.Pool.TAO)
	}
	return g
}

// Build returns NewLedger(b.Genesis()).
func (b *Builder) Build() (*Ledger, error) { return NewLedger(b.Genesis()) }
