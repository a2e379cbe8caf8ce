package dtaotest

import (
	"context"
	"fmt"
	"strings"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/units"
	"pgregory.net/rapid"
)

// CallKind names the ledger call a Call makes.
type CallKind uint8

// The call kinds, each the dtao.Ledger method of the same name (the
// chain's extrinsic in snake case), and CallStep, which runs blocks.
const (
	CallTransfer CallKind = iota + 1
	CallTransferKeepAlive
	CallAddStake
	CallAddStakeLimit
	CallRemoveStake
	CallRemoveStakeLimit
	CallMoveStake
	CallTransferStake
	CallSwapStake
	CallUnstakeAll
	CallUnstakeAllAlpha
	CallBurnedRegister
	CallRegisterNetwork
	CallStartCall
	CallSetWeights
	CallSetChildren
	CallIncreaseTake
	CallDecreaseTake
	CallSetChildkeyTake
	CallSetRootClaimType
	CallClaimRoot
	CallStep
	// NumCallKinds is one more than the last kind: the kinds are
	// 1 to NumCallKinds−1.
	NumCallKinds
)

var callNames = [NumCallKinds]string{
	CallTransfer: "transfer", CallTransferKeepAlive: "transfer_keep_alive",
	CallAddStake: "add_stake", CallAddStakeLimit: "add_stake_limit",
	CallRemoveStake: "remove_stake", CallRemoveStakeLimit: "remove_stake_limit",
	CallMoveStake: "move_stake", CallTransferStake: "transfer_stake", CallSwapStake: "swap_stake",
	CallUnstakeAll: "unstake_all", CallUnstakeAllAlpha: "unstake_all_alpha",
	CallBurnedRegister: "burned_register", CallRegisterNetwork: "register_network",
	CallStartCall: "start_call", CallSetWeights: "set_weights", CallSetChildren: "set_children",
	CallIncreaseTake: "increase_take", CallDecreaseTake: "decrease_take",
	CallSetChildkeyTake: "set_childkey_take", CallSetRootClaimType: "set_root_claim_type",
	CallClaimRoot: "claim_root", CallStep: "step",
}

// String returns the chain's name of the call ("add_stake"), or "step".
func (k CallKind) String() string {
	if k == 0 || k >= NumCallKinds {
		return fmt.Sprintf("CallKind(%d)", uint8(k))
	}
	return callNames[k]
}

// Call is one ledger call with its arguments: the fields its Kind reads
// (see Apply), the others zero. It is a plain value: a sequence of calls
// replays identically on equal ledgers.
type Call struct {
	Kind CallKind
	// Coldkey signs the call (the hotkey signs SetWeights). Hotkey is the
	// hotkey staked to, registered, or whose children and takes are set.
	Coldkey, Hotkey units.AccountID
	// Dest is the receiving account of Transfer, TransferKeepAlive and
	// TransferStake, and the destination hotkey of MoveStake.
	Dest units.AccountID
	// NetUID is the subnet (the origin of a stake move); DestNetUID the
	// destination of MoveStake, TransferStake and SwapStake.
	NetUID, DestNetUID units.NetUID
	// Amount is the call's amount in rao: TAO for Transfer,
	// TransferKeepAlive, AddStake and AddStakeLimit; alpha for RemoveStake,
	// RemoveStakeLimit, MoveStake, TransferStake and SwapStake. When
	// Relative, Amount is ignored and the amount is, at Apply time, the
	// holding it draws on shifted right by Shift: the coldkey's free
	// balance, or its stake on (Hotkey, NetUID).
	Amount   uint64
	Relative bool
	Shift    uint8
	// Limit is the limit price of AddStakeLimit and RemoveStakeLimit, in
	// rao per alpha (amm.PriceFromRao), with Partial allowing a partial
	// fill.
	Limit   uint64
	Partial bool
	// Take is the take of IncreaseTake, DecreaseTake and SetChildkeyTake,
	// parts of 65535.
	Take uint16
	// Children are SetChildren's children.
	Children []dtao.Link
	// UIDs and Values are SetWeights' weights on mechanism 0 (version key
	// 0).
	UIDs, Values []uint16
	// ClaimKind and Subnets are SetRootClaimType's type; Subnets are also
	// ClaimRoot's netuids.
	ClaimKind emission.RootClaimKind
	Subnets   []units.NetUID
	// Blocks is the number of blocks CallStep runs.
	Blocks uint64
}

// Apply makes the call on l and returns its error: a chain error (a
// *units.ChainError, testable with errors.Is) when the chain would refuse
// it, which the ledger promises leaves l unchanged. A step returns the
// first block's error and keeps the blocks run before it. The results
// the calls return besides their error (alpha bought, uids) are
// dropped: read them from l.
func (c Call) Apply(l *dtao.Ledger) error {
	var err error
	switch c.Kind {
	case CallTransfer:
		err = l.Transfer(c.Coldkey, c.Dest, units.TAO(c.amount(l)))
	case CallTransferKeepAlive:
		err = l.TransferKeepAlive(c.Coldkey, c.Dest, units.TAO(c.amount(l)))
	case CallAddStake:
		_, err = l.AddStake(c.Coldkey, c.Hotkey, c.NetUID, units.TAO(c.amount(l)))
	case CallAddStakeLimit:
		_, err = l.AddStakeLimit(c.Coldkey, c.Hotkey, c.NetUID, units.TAO(c.amount(l)), amm.PriceFromRao(c.Limit), c.Partial)
	case CallRemoveStake:
		_, err = l.RemoveStake(c.Coldkey, c.Hotkey, c.NetUID, units.Alpha(c.amount(l)))
	case CallRemoveStakeLimit:
		_, err = l.RemoveStakeLimit(c.Coldkey, c.Hotkey, c.NetUID, units.Alpha(c.amount(l)), amm.PriceFromRao(c.Limit), c.Partial)
	case CallMoveStake:
		_, err = l.MoveStake(c.Coldkey, c.Hotkey, c.Dest, c.NetUID, c.DestNetUID, units.Alpha(c.amount(l)))
	case CallTransferStake:
		_, err = l.TransferStake(c.Coldkey, c.Dest, c.Hotkey, c.NetUID, c.DestNetUID, units.Alpha(c.amount(l)))
	case CallSwapStake:
		_, err = l.SwapStake(c.Coldkey, c.Hotkey, c.NetUID, c.DestNetUID, units.Alpha(c.amount(l)))
	case CallUnstakeAll:
		_, err = l.UnstakeAll(c.Coldkey, c.Hotkey)
	case CallUnstakeAllAlpha:
		_, err = l.UnstakeAllAlpha(c.Coldkey, c.Hotkey)
	case CallBurnedRegister:
		_, err = l.BurnedRegister(c.Coldkey, c.Hotkey, c.NetUID)
	case CallRegisterNetwork:
		_, err = l.RegisterNetwork(c.Coldkey, c.Hotkey)
	case CallStartCall:
		err = l.StartCall(c.Coldkey, c.NetUID)
	case CallSetWeights:
		err = l.SetWeights(c.Hotkey, c.NetUID, 0, c.UIDs, c.Values, 0)
	case CallSetChildren:
		err = l.SetChildren(c.Coldkey, c.Hotkey, c.NetUID, c.Children)
	case CallIncreaseTake:
		err = l.IncreaseTake(c.Coldkey, c.Hotkey, c.Take)
	case CallDecreaseTake:
		err = l.DecreaseTake(c.Coldkey, c.Hotkey, c.Take)
	case CallSetChildkeyTake:
		err = l.SetChildkeyTake(c.Coldkey, c.Hotkey, c.NetUID, c.Take)
	case CallSetRootClaimType:
		err = l.SetRootClaimType(c.Coldkey, emission.RootClaimType{Kind: c.ClaimKind, Subnets: c.Subnets})
	case CallClaimRoot:
		err = l.ClaimRoot(c.Coldkey, c.Subnets)
	case CallStep:
		_, err = l.StepN(context.Background(), c.Blocks)
	default:
		return fmt.Errorf("dtaotest: unknown call kind %d", uint8(c.Kind))
	}
	if err != nil {
		return fmt.Errorf("%v: %w", c, err)
	}
	return nil
}

// amount is the call's amount: Amount, or when Relative the holding it
// draws on shifted right by Shift.
func (c Call) amount(l *dtao.Ledger) uint64 {
	if !c.Relative {
		return c.Amount
	}
	var holding uint64
	switch c.Kind {
	case CallTransfer, CallTransferKeepAlive, CallAddStake, CallAddStakeLimit:
		holding = l.Balance(c.Coldkey).Rao()
	default:
		holding = l.Stake(c.Hotkey, c.Coldkey, c.NetUID).Rao()
	}
	if c.Shift >= 64 {
		return 0
	}
	return holding >> c.Shift
}

// String prints the call as the chain's extrinsic with its arguments,
// accounts made by Key as role, netuid and index ("V1.2"), others as the
// hex of their first four bytes:
//
//	add_stake(coldkey=S0.0, hotkey=V1.0, netuid=1, amount=balance>>1)
func (c Call) String() string {
	var b strings.Builder
	b.WriteString(c.Kind.String())
	b.WriteByte('(')
	first := true
	arg := func(name string, v any) {
		if !first {
			b.WriteString(", ")
		}
		first = false
		fmt.Fprintf(&b, "%s=%v", name, v)
	}
	amount := func() {
		if !c.Relative {
			arg("amount", c.Amount)
			return
		}
		holding := "stake"
		switch c.Kind {
		case CallTransfer, CallTransferKeepAlive, CallAddStake, CallAddStakeLimit:
			holding = "balance"
		}
		arg("amount", fmt.Sprintf("%s>>%d", holding, c.Shift))
	}
	switch c.Kind {
	case CallTransfer, CallTransferKeepAlive:
		arg("from", name(c.Coldkey))
		arg("to", name(c.Dest))
		amount()
	case CallAddStake, CallRemoveStake, CallAddStakeLimit, CallRemoveStakeLimit:
		arg("coldkey", name(c.Coldkey))
		arg("hotkey", name(c.Hotkey))
		arg("netuid", c.NetUID)
		amount()
		if c.Kind == CallAddStakeLimit || c.Kind == CallRemoveStakeLimit {
			arg("limit_rao", c.Limit)
			arg("partial", c.Partial)
		}
	case CallMoveStake:
		arg("coldkey", name(c.Coldkey))
		arg("hotkey", name(c.Hotkey))
		arg("dest_hotkey", name(c.Dest))
		arg("netuid", c.NetUID)
		arg("dest_netuid", c.DestNetUID)
		amount()
	case CallTransferStake:
		arg("coldkey", name(c.Coldkey))
		arg("dest_coldkey", name(c.Dest))
		arg("hotkey", name(c.Hotkey))
		arg("netuid", c.NetUID)
		arg("dest_netuid", c.DestNetUID)
		amount()
	case CallSwapStake:
		arg("coldkey", name(c.Coldkey))
		arg("hotkey", name(c.Hotkey))
		arg("netuid", c.NetUID)
		arg("dest_netuid", c.DestNetUID)
		amount()
	case CallUnstakeAll, CallUnstakeAllAlpha, CallRegisterNetwork:
		arg("coldkey", name(c.Coldkey))
		arg("hotkey", name(c.Hotkey))
	case CallBurnedRegister:
		arg("coldkey", name(c.Coldkey))
		arg("hotkey", name(c.Hotkey))
		arg("netuid", c.NetUID)
	case CallStartCall:
		arg("coldkey", name(c.Coldkey))
		arg("netuid", c.NetUID)
	case CallSetWeights:
		arg("hotkey", name(c.Hotkey))
		arg("netuid", c.NetUID)
		arg("uids", c.UIDs)
		arg("values", c.Values)
	case CallSetChildren:
		arg("coldkey", name(c.Coldkey))
		arg("hotkey", name(c.Hotkey))
		arg("netuid", c.NetUID)
		children := make([]string, len(c.Children))
		for i, ch := range c.Children {
			children[i] = fmt.Sprintf("%d:%s", ch.Proportion, name(ch.Hotkey))
		}
		arg("children", "["+strings.Join(children, " ")+"]")
	case CallIncreaseTake, CallDecreaseTake:
		arg("coldkey", name(c.Coldkey))
		arg("hotkey", name(c.Hotkey))
		arg("take", c.Take)
	case CallSetChildkeyTake:
		arg("coldkey", name(c.Coldkey))
		arg("hotkey", name(c.Hotkey))
		arg("netuid", c.NetUID)
		arg("take", c.Take)
	case CallSetRootClaimType:
		arg("coldkey", name(c.Coldkey))
		arg("kind", c.ClaimKind)
		arg("subnets", c.Subnets)
	case CallClaimRoot:
		arg("coldkey", name(c.Coldkey))
		arg("subnets", c.Subnets)
	case CallStep:
		arg("blocks", c.Blocks)
	}
	b.WriteByte(')')
	return b.String()
}

// name prints an account made by Key as role, netuid and index, any other
// as the hex of its first four bytes.
func name(a units.AccountID) string {
	rest := a[3:]
	isKey := a[0] >= 'A' && a[0] <= 'z'
	for _, x := range rest {
		if x != 0 {
			isKey = false
		}
	}
	if isKey {
		return fmt.Sprintf("%c%d.%d", a[0], a[1], a[2])
	}
	return fmt.Sprintf("%x…", a[:4])
}

// MaxStepBlocks is the most blocks one CallStep of Calls runs.
const MaxStepBlocks = 40

// OneCall generates one call on g's actors (ActorsOf): a step one time
// in eight, else a call kind uniform over the others, its arguments drawn
// from the actors so that most calls can succeed and the chain's refusals
// occur too:
//
//   - signers: the hotkey's owner three times in four for takes and
//     children, else any coldkey;
//   - netuids: a subnet of g, or one time in eight the netuid without one
//     (the one register_network takes next);
//   - stake calls: one of g's stakes (coldkey, hotkey, netuid) three times
//     in four, else any;
//   - amounts: three times in four the signer's holding shifted right by
//     0 to 8 (Relative: the whole of it, half, ...), else dust (up to
//     three existential deposits), bit-length uniform up to Supply, or
//     u64::MAX;
//   - limit prices: one time in two 50% to 150% of the subnet's price in
//     g, else bit-length uniform from 1 rao to 10^16 rao per alpha;
//   - weights: three times in four a neuron of the subnet, over its own
//     uids, else any hotkey and uids up to Actors.MaxUID;
//   - new hotkeys for burned_register and register_network one time in
//     two (Key(RoleMiner, 0, 100..109), Key(RoleOwnerHotkey, 0, 100..103));
//   - steps of 1 to MaxStepBlocks blocks.
func OneCall(g *dtao.GenesisConfig) *rapid.Generator[Call] {
	a := ActorsOf(g)
	owners := map[units.AccountID]units.AccountID{}
	for _, h := range g.Hotkeys {
		owners[h.Hotkey] = h.Coldkey
	}
	for _, s := range g.Subnets {
		if s.OwnerHotkey != (units.AccountID{}) {
			owners[s.OwnerHotkey] = s.Owner
		}
		if s.Storage != nil {
			for uid, k := range s.Storage.Keys {
				if uid < len(s.Storage.Owners) {
					owners[k] = s.Storage.Owners[uid]
				}
			}
		}
	}
	// The genesis' stakes: alpha calls draw from them one time in two.
	var held []position
	for _, s := range g.Stakes {
		held = append(held, position{s.Hotkey, s.Coldkey, s.NetUID})
	}
	for _, p := range g.SharePools {
		for _, s := range p.AlphaV2 {
			held = append(held, position{p.Hotkey, s.Coldkey, p.NetUID})
		}
	}
	// The neurons and spot prices of the genesis' subnets: weights are
	// drawn over a subnet's own uids and limits around its price one time
	// in two.
	w := world{actors: a, owners: owners, held: held,
		neurons: map[units.NetUID][]units.AccountID{}, prices: map[units.NetUID]uint64{}}
	for _, s := range g.Subnets {
		w.prices[s.NetUID] = s.Pool.PriceRao()
		if s.Storage != nil && len(s.Storage.Keys) > 0 {
			w.neurons[s.NetUID] = s.Storage.Keys
			w.subnets = append(w.subnets, s.NetUID)
		}
	}
	return rapid.Custom(func(t *rapid.T) Call {
		return drawCall(t, &w)
	})
}

// Calls generates sequences of 1 to 40 calls of OneCall(g).
func Calls(g *dtao.GenesisConfig) *rapid.Generator[[]Call] {
	return rapid.SliceOfN(OneCall(g), 1, 40)
}

// position is a stake: a coldkey's alpha on a hotkey's pool on a subnet.
type position struct {
	hotkey, coldkey units.AccountID
	netuid          units.NetUID
}

// world is what OneCall draws from.
type world struct {
	actors  Actors
	owners  map[units.AccountID]units.AccountID
	held    []position
	neurons map[units.NetUID][]units.AccountID
	subnets []units.NetUID // those with neurons, in genesis order
	prices  map[units.NetUID]uint64
}

func drawCall(t *rapid.T, w *world) Call {
	a, owners, held := &w.actors, w.owners, w.held
	cold := rapid.SampledFrom(a.Coldkeys)
	hot := rapid.SampledFrom(a.Hotkeys)
	// netuid draws a subnet of the genesis, and one time in eight the
	// netuid without one.
	netuid := rapid.Custom(func(t *rapid.T) units.NetUID {
		if len(a.NetUIDs) == 1 || rapid.IntRange(0, 7).Draw(t, "missing_netuid") == 0 {
			return a.NetUIDs[len(a.NetUIDs)-1]
		}
		return rapid.SampledFrom(a.NetUIDs[:len(a.NetUIDs)-1]).Draw(t, "netuid")
	})
	var c Call
	if rapid.IntRange(0, 7).Draw(t, "step") == 0 {
		c.Kind = CallStep
	} else {
		c.Kind = CallKind(rapid.IntRange(1, int(CallStep)-1).Draw(t, "kind"))
	}
	// signer draws the hotkey and, mostly, its owner as the signing
	// coldkey.
	signer := func() {
		c.Hotkey = hot.Draw(t, "hotkey")
		if o, ok := owners[c.Hotkey]; ok && rapid.IntRange(0, 3).Draw(t, "owner_signs") != 0 {
			c.Coldkey = o
		} else {
			c.Coldkey = cold.Draw(t, "coldkey")
		}
	}
	amount := func() {
		if rapid.IntRange(0, 3).Draw(t, "relative") != 0 {
			c.Relative = true
			c.Shift = uint8(rapid.IntRange(0, 8).Draw(t, "shift"))
			return
		}
		switch rapid.IntRange(0, 2).Draw(t, "amount_kind") {
		case 0:
			c.Amount = rapid.Uint64Range(0, 3*dtao.ExistentialDeposit.Rao()).Draw(t, "dust")
		case 1:
			c.Amount = magnitude(t, "amount", 1, Supply)
		default:
			c.Amount = ^uint64(0)
		}
	}
	// stake draws the staking coldkey, hotkey and netuid: one time in two
	// a stake of the genesis.
	stake := func() {
		if len(held) > 0 && rapid.IntRange(0, 3).Draw(t, "held") != 0 {
			p := rapid.SampledFrom(held).Draw(t, "position")
			c.Coldkey, c.Hotkey, c.NetUID = p.coldkey, p.hotkey, p.netuid
			return
		}
		c.Coldkey, c.Hotkey, c.NetUID = cold.Draw(t, "coldkey"), hot.Draw(t, "hotkey"), netuid.Draw(t, "netuid")
	}
	limit := func() {
		c.Limit = magnitude(t, "limit_rao", 1, 10_000_000*units.RaoPerTAO)
		if spot := w.prices[c.NetUID]; spot > 0 && spot < 1<<50 && rapid.Bool().Draw(t, "near_spot") {
			c.Limit = spot * rapid.Uint64Range(500, 1500).Draw(t, "spot_permille") / 1000
		}
		c.Partial = rapid.Bool().Draw(t, "partial")
	}
	switch c.Kind {
	case CallTransfer, CallTransferKeepAlive:
		c.Coldkey, c.Dest = cold.Draw(t, "from"), cold.Draw(t, "to")
		amount()
	case CallAddStake, CallRemoveStake:
		stake()
		amount()
	case CallAddStakeLimit, CallRemoveStakeLimit:
		stake()
		amount()
		limit()
	case CallMoveStake:
		stake()
		c.Dest, c.DestNetUID = hot.Draw(t, "dest_hotkey"), netuid.Draw(t, "dest_netuid")
		amount()
	case CallTransferStake:
		stake()
		c.Dest, c.DestNetUID = cold.Draw(t, "dest_coldkey"), netuid.Draw(t, "dest_netuid")
		amount()
	case CallSwapStake:
		stake()
		c.DestNetUID = netuid.Draw(t, "dest_netuid")
		amount()
	case CallUnstakeAll, CallUnstakeAllAlpha:
		stake()
	case CallBurnedRegister:
		c.Coldkey, c.NetUID = cold.Draw(t, "coldkey"), netuid.Draw(t, "netuid")
		// A new hotkey one time in two: Key(RoleMiner, 0, i) for i in [100, 109].
		if rapid.Bool().Draw(t, "new_hotkey") {
			c.Hotkey = Key(RoleMiner, 0, rapid.IntRange(100, 109).Draw(t, "new_hotkey_index"))
		} else {
			c.Hotkey = hot.Draw(t, "hotkey")
		}
	case CallRegisterNetwork:
		c.Coldkey = cold.Draw(t, "coldkey")
		if rapid.Bool().Draw(t, "new_hotkey") {
			c.Hotkey = Key(RoleOwnerHotkey, 0, rapid.IntRange(100, 103).Draw(t, "new_hotkey_index"))
		} else {
			c.Hotkey = hot.Draw(t, "hotkey")
		}
	case CallStartCall:
		// One time in two the netuid a register_network takes next.
		c.Coldkey, c.NetUID = cold.Draw(t, "coldkey"), netuid.Draw(t, "netuid")
		if rapid.Bool().Draw(t, "next_netuid") {
			c.NetUID = a.NetUIDs[len(a.NetUIDs)-1]
		}
	case CallSetWeights:
		c.Hotkey, c.NetUID = hot.Draw(t, "hotkey"), netuid.Draw(t, "netuid")
		maxUID := a.MaxUID
		if len(w.subnets) > 0 && rapid.IntRange(0, 3).Draw(t, "own_subnet") != 0 {
			c.NetUID = rapid.SampledFrom(w.subnets).Draw(t, "weights_netuid")
			c.Hotkey = rapid.SampledFrom(w.neurons[c.NetUID]).Draw(t, "neuron")
			maxUID = uint16(len(w.neurons[c.NetUID]) - 1)
		}
		c.UIDs = rapid.SliceOfNDistinct(rapid.Uint16Range(0, maxUID), 0, 6, rapid.ID).Draw(t, "uids")
		c.Values = make([]uint16, len(c.UIDs))
		for i := range c.Values {
			c.Values[i] = rapid.Uint16().Draw(t, "weight")
		}
	case CallSetChildren:
		signer()
		c.NetUID = netuid.Draw(t, "netuid")
		n := rapid.IntRange(0, dtao.MaxChildren+1).Draw(t, "children")
		for range n {
			c.Children = append(c.Children, dtao.Link{
				Proportion: rapid.OneOf(rapid.Just(^uint64(0)), rapid.Just(^uint64(0)/4), rapid.Uint64()).Draw(t, "proportion"),
				Hotkey:     hot.Draw(t, "child"),
			})
		}
	case CallIncreaseTake, CallDecreaseTake:
		signer()
		c.Take = rapid.Uint16().Draw(t, "take")
		if rapid.Bool().Draw(t, "small_take") {
			c.Take = rapid.Uint16Range(0, 12_000).Draw(t, "take")
		}
	case CallSetChildkeyTake:
		signer()
		c.NetUID = netuid.Draw(t, "netuid")
		c.Take = rapid.Uint16Range(0, 12_000).Draw(t, "take")
	case CallSetRootClaimType:
		c.Coldkey = cold.Draw(t, "coldkey")
		c.ClaimKind = emission.RootClaimKind(rapid.IntRange(0, 2).Draw(t, "claim_kind"))
		if c.ClaimKind == emission.RootClaimKeepSubnets {
			c.Subnets = rapid.SliceOfN(netuid, 0, 3).Draw(t, "keep_subnets")
		}
	case CallClaimRoot:
		c.Coldkey = cold.Draw(t, "coldkey")
		c.Subnets = rapid.SliceOfN(netuid, 0, emission.MaxSubnetClaims+1).Draw(t, "claim_subnets")
	case CallStep:
		c.Blocks = rapid.Uint64Range(1, MaxStepBlocks).Draw(t, "blocks")
	}
	return c
}
