package dtao_test

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/dtaotest"
	"github.com/dtao-go/dtao/emission"
	"github.com/dtao-go/dtao/units"
)

// fuzzGenesisSeed picks the fuzz network among dtaotest.Genesis's
// deterministic examples: the root subnet and two dynamic subnets (netuids 1
// and 2, tempos of a few blocks) with validators, miners, nominators and
// root stake, the short rate limits and 1 TAO lock of the fast parameters,
// and a block author. Small, so that 20,000 inputs run in seconds.
const fuzzGenesisSeed = 5

// fuzzRecord is the bytes one call takes in a fuzz input:
//
//	0      kind: CallKind byte%(NumCallKinds−1) + 1
//	1, 2   coldkey, hotkey: indices into the actors' lists (mod their length)
//	3      dest: a coldkey index (transfers) or a hotkey index (move_stake)
//	4, 5   netuid, dest netuid: indices into the actors' netuids
//	6      amount mode, low 2 bits: 0 the holding >> (byte>>2 & 15),
//	       1 dust (bytes 7–8, u16), 2 bytes 7–14 (u64), 3 u64::MAX
//	7–14   amount (little endian); also the list items: children's hotkey
//	       indices and proportions, weights' uids
//	15–18  limit price, rao per alpha: u32 << (byte 19 & 31)
//	19     bit 7: allow partial
//	20–21  take (u16), root claim kind (byte 20 mod 3)
//	22     list length: children 0–6, uids 0–7, subnets 0–6; step blocks 1–8
//	23     spare (weights' values are drawn from bytes 15–22)
const fuzzRecord = 24

// fuzzMaxCalls bounds one input's calls; every fuzzStepEvery calls a block
// runs besides the calls.
const (
	fuzzMaxCalls  = 64
	fuzzStepEvery = 8
)

// decodeCalls turns fuzz bytes into calls on a's actors, one record of
// fuzzRecord bytes each (a short last record reads zeros past the end).
func decodeCalls(a *dtaotest.Actors, data []byte) []dtaotest.Call {
	var calls []dtaotest.Call
	for len(data) > 0 && len(calls) < fuzzMaxCalls {
		var r [fuzzRecord]byte
		n := copy(r[:], data)
		data = data[n:]
		calls = append(calls, decodeCall(a, &r))
	}
	return calls
}

func decodeCall(a *dtaotest.Actors, r *[fuzzRecord]byte) dtaotest.Call {
	cold := func(i byte) units.AccountID { return a.Coldkeys[int(i)%len(a.Coldkeys)] }
	hot := func(i byte) units.AccountID { return a.Hotkeys[int(i)%len(a.Hotkeys)] }
	net := func(i byte) units.NetUID { return a.NetUIDs[int(i)%len(a.NetUIDs)] }
	c := dtaotest.Call{
		Kind:       dtaotest.CallKind(int(r[0])%(int(dtaotest.NumCallKinds)-1) + 1),
		Coldkey:    cold(r[1]),
		Hotkey:     hot(r[2]),
		Dest:       cold(r[3]),
		NetUID:     net(r[4]),
		DestNetUID: net(r[5]),
		Limit:      uint64(binary.LittleEndian.Uint32(r[15:19])) << (r[19] & 31),
		Partial:    r[19]&0x80 != 0,
		Take:       binary.LittleEndian.Uint16(r[20:22]),
	}
	switch r[6] & 3 {
	case 0:
		c.Relative, c.Shift = true, r[6]>>2&15
	case 1:
		c.Amount = uint64(binary.LittleEndian.Uint16(r[7:9]))
	case 2:
		c.Amount = binary.LittleEndian.Uint64(r[7:15])
	default:
		c.Amount = ^uint64(0)
	}
	items := r[7:15]
	switch c.Kind {
	case dtaotest.CallMoveStake:
		c.Dest = hot(r[3])
	case dtaotest.CallSetChildren:
		for i := range int(r[22]) % (dtao.MaxChildren + 2) {
			p := ^uint64(0) >> (items[(i+4)%8] % 4) // all, half, a quarter or an eighth
			c.Children = append(c.Children, dtao.Link{Proportion: p, Hotkey: hot(items[i%8])})
		}
	case dtaotest.CallSetWeights:
		for i := range int(r[22]) % 8 {
			c.UIDs = append(c.UIDs, uint16(items[i])%(a.MaxUID+1))
			c.Values = append(c.Values, uint16(r[15+i])<<8|uint16(r[23]))
		}
	case dtaotest.CallSetRootClaimType:
		c.ClaimKind = emission.RootClaimKind(r[20] % 3)
		if c.ClaimKind == emission.RootClaimKeepSubnets {
			for i := range int(r[22]) % 4 {
				c.Subnets = append(c.Subnets, net(items[i]))
			}
		}
	case dtaotest.CallClaimRoot:
		for i := range int(r[22]) % (emission.MaxSubnetClaims + 2) {
			c.Subnets = append(c.Subnets, net(items[i]))
		}
	case dtaotest.CallStep:
		c.Blocks = uint64(r[22]%8) + 1
	}
	return c
}

// encodeCall is decodeCall's inverse for the seeds: it writes c's kind,
// accounts and netuids as indices into a's lists, and its amount as the
// mode that reproduces it. It handles the calls the seeds use (no lists).
func encodeCall(t testing.TB, a *dtaotest.Actors, c dtaotest.Call) []byte {
	t.Helper()
	idx := func(list []units.AccountID, k units.AccountID) byte {
		if k == (units.AccountID{}) {
			return 0 // a call that does not read it
		}
		i := slices.Index(list, k)
		if i < 0 {
			t.Fatalf("seed: %v names an account the fuzz network lacks", c)
		}
		return byte(i)
	}
	var r [fuzzRecord]byte
	r[0] = byte(c.Kind - 1)
	r[1], r[2] = idx(a.Coldkeys, c.Coldkey), idx(a.Hotkeys, c.Hotkey)
	if c.Kind == dtaotest.CallMoveStake {
		r[3] = idx(a.Hotkeys, c.Dest)
	} else {
		r[3] = idx(a.Coldkeys, c.Dest)
	}
	r[4], r[5] = byte(slices.Index(a.NetUIDs, c.NetUID)), byte(slices.Index(a.NetUIDs, c.DestNetUID))
	switch {
	case c.Relative:
		r[6] = c.Shift << 2
	case c.Amount == ^uint64(0):
		r[6] = 3
	default:
		r[6] = 2
		binary.LittleEndian.PutUint64(r[7:15], c.Amount)
	}
	binary.LittleEndian.PutUint32(r[15:19], uint32(c.Limit))
	if c.Partial {
		r[19] = 0x80
	}
	binary.LittleEndian.PutUint16(r[20:22], c.Take)
	if c.Kind == dtaotest.CallStep {
		r[22] = byte(c.Blocks - 1)
	}
	if got := decodeCall(a, &r); got.String() != c.String() {
		t.Fatalf("seed: %v encodes to %v", c, got)
	}
	return r[:]
}

// FuzzLedgerCalls applies arbitrary call sequences to a small network and
// checks the ledger's promises after every call: no panic, CheckInvariants
// holds (every rao and alpha accounted for), and a call that fails leaves
// the StateHash unchanged. Every fuzzStepEvery calls a block runs. At the
// end, a snapshot of the ledger reads back to a ledger with its hash.
func FuzzLedgerCalls(f *testing.F) {
	g := dtaotest.Genesis().Example(fuzzGenesisSeed)
	a := dtaotest.ActorsOf(&g)
	if _, err := dtao.NewLedger(g); err != nil {
		f.Fatal(err)
	}
	// The seeds, on accounts of the fuzz network named by role
	// (dtaotest.Key): netuid 1's pool is shallow (1 TAO), netuid 2's deep.
	key := dtaotest.Key
	v10, c11 := key(dtaotest.RoleValidator, 1, 0), key(dtaotest.RoleNeuronColdkey, 1, 1)
	v20, c21 := key(dtaotest.RoleValidator, 2, 0), key(dtaotest.RoleNeuronColdkey, 2, 1)
	c13, m10 := key(dtaotest.RoleNeuronColdkey, 1, 3), key(dtaotest.RoleMiner, 1, 0)
	s0, o1 := key(dtaotest.RoleStaker, 0, 0), key(dtaotest.RoleOwner, 1, 0)
	oh1, stranger := key(dtaotest.RoleOwnerHotkey, 1, 0), key(dtaotest.RoleStranger, 0, 0)
	seeds := [][]dtaotest.Call{
		// Stake half a balance, run blocks, sell it all, move and swap
		// stake across subnets.
		{
			{Kind: dtaotest.CallAddStake, Coldkey: s0, Hotkey: v20, NetUID: 2, Relative: true, Shift: 1},
			{Kind: dtaotest.CallStep, Blocks: 8},
			{Kind: dtaotest.CallRemoveStake, Coldkey: s0, Hotkey: v20, NetUID: 2, Relative: true},
			{Kind: dtaotest.CallMoveStake, Coldkey: c21, Hotkey: v20, Dest: oh1, NetUID: 2, DestNetUID: 1, Relative: true, Shift: 3},
			{Kind: dtaotest.CallSwapStake, Coldkey: c21, Hotkey: v20, NetUID: 2, DestNetUID: 0, Relative: true, Shift: 2},
		},
		// Limit orders at a low and a high price, partial and not; a
		// transfer of a whole balance and an overdraft.
		{
			{Kind: dtaotest.CallAddStakeLimit, Coldkey: s0, Hotkey: v20, NetUID: 2, Relative: true, Shift: 2, Limit: 1_100_000_000, Partial: true},
			{Kind: dtaotest.CallRemoveStakeLimit, Coldkey: c11, Hotkey: v10, NetUID: 1, Relative: true, Limit: 4_000_000_000},
			{Kind: dtaotest.CallUnstakeAllAlpha, Coldkey: c11, Hotkey: v10},
			{Kind: dtaotest.CallTransfer, Coldkey: o1, Dest: s0, Relative: true},
			{Kind: dtaotest.CallTransfer, Coldkey: s0, Dest: o1, Amount: ^uint64(0)},
			{Kind: dtaotest.CallStep, Blocks: 3},
		},
		// burned_register of a new hotkey: the swap fee stays in the
		// subnet account, which then holds less than SubnetTAO plus
		// SubnetLocked.
		{{Kind: dtaotest.CallBurnedRegister, Coldkey: c13, Hotkey: stranger, NetUID: 1}},
		// register_network on the 1 TAO lock: the subnet account holds the
		// lock, SubnetTAO is NetworkMinLockCost besides it.
		{{Kind: dtaotest.CallRegisterNetwork, Coldkey: c13, Hotkey: m10}, {Kind: dtaotest.CallStep, Blocks: 2}},
		// decrease_take of a hotkey without a stored take accepts any take
		// from the minimum up, as the chain's does.
		{{Kind: dtaotest.CallDecreaseTake, Coldkey: c11, Hotkey: v10, Take: 60_000}},
	}
	for _, s := range seeds {
		var in []byte
		for _, c := range s {
			in = append(in, encodeCall(f, &a, c)...)
		}
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := dtao.NewLedger(g)
		if err != nil {
			t.Fatal(err)
		}
		step := dtaotest.Call{Kind: dtaotest.CallStep, Blocks: 1}
		for i, c := range decodeCalls(&a, data) {
			apply(t, l, i, c)
			if (i+1)%fuzzStepEvery == 0 {
				apply(t, l, i, step)
			}
		}
		var buf bytes.Buffer
		if err := l.WriteSnapshot(&buf); err != nil {
			t.Fatal(err)
		}
		r, err := dtao.ReadSnapshot(&buf)
		if err != nil {
			t.Fatalf("snapshot at block %d does not read back: %v", l.Block(), err)
		}
		if r.StateHash() != l.StateHash() {
			t.Fatal("the snapshot read back has another state hash")
		}
	})
}

// apply makes call i on l and checks the invariants, and that a failed
// call changed nothing.
func apply(t *testing.T, l *dtao.Ledger, i int, c dtaotest.Call) {
	t.Helper()
	h := l.StateHash()
	err := c.Apply(l)
	if err != nil && l.StateHash() != h {
		t.Fatalf("call %d failed (%v) and changed the state", i, err)
	}
	if err := l.CheckInvariants(); err != nil {
		t.Fatalf("after call %d, %v: %v", i, c, err)
	}
	if err := dtao.UIDCachesCurrent(l); err != nil {
		t.Fatalf("after call %d, %v: %v", i, c, err)
	}
	if err := dtao.StakeKeptCurrent(l); err != nil {
		t.Fatalf("after call %d, %v: %v", i, c, err)
	}
}
