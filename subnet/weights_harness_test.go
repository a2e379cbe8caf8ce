package subnet

import (
	"encoding/binary"
	"testing"

	"github.com/dtao-go/dtao/units"
)

// hk is the mock runtime's U256::from(n) account: 32 little-endian bytes.
func hk(n uint64) units.AccountID {
	var a units.AccountID
	binary.LittleEndian.PutUint64(a[:], n)
	return a
}

// chain is the slice of subtensor's mock runtime the weight tests use:
// one subnet (netuid 1 unless set), its neurons, permits and stakes, the
// block and the stateful epoch schedule (an epoch fires when tempo blocks
// have passed since the last, run_coinbase.rs should_run_epoch, and
// increments SubnetEpochIndex), and block_step's timelocked reveal before
// the epoch.
type chain struct {
	netuid         units.NetUID
	hyper          Hyperparameters
	block          uint64
	lastEpochBlock uint64
	epochIndex     uint64
	hotkeys        []units.AccountID
	permits        []bool
	stake          map[units.AccountID]uint64
	threshold      uint64
	owner          units.AccountID
	hasOwner       bool
	pulses         map[uint64]bool
	ws             WeightState
}

// newChain is the mock's add_network(netuid 1, tempo, 0) at block:
// init_new_network's hyperparameters (commit-reveal on, MinAllowedWeights
// 1, WeightsSetRateLimit 100), the epoch schedule anchored at block.
func newChain(tempo uint16, block uint64) *chain {
	h := DefaultHyperparameters()
	h.Tempo = tempo
	return &chain{netuid: 1, hyper: h, block: block, lastEpochBlock: block,
		stake: map[units.AccountID]uint64{}, pulses: map[uint64]bool{}}
}

func (c *chain) due() bool {
	return c.hyper.Tempo != 0 && c.block-c.lastEpochBlock >= uint64(c.hyper.Tempo)
}

func (c *chain) env() *WeightEnv {
	e := &WeightEnv{
		NetUID: c.netuid, N: uint16(len(c.hotkeys)), Block: c.block, Epoch: c.epochIndex,
		ValidatorPermit: c.permits, StakeThreshold: c.threshold,
		CommitRevealVersion: DefaultCommitRevealVersion, Hyper: c.hyper,
	}
	if c.due() {
		e.Epoch++
	}
	if uid, ok := c.uid(c.owner); ok && c.hasOwner {
		e.HasOwner, e.OwnerUID = true, uid
	}
	return e
}

func (c *chain) uid(h units.AccountID) (units.UID, bool) {
	for i, k := range c.hotkeys {
		if k == h {
			return units.UID(i), true
		}
	}
	return 0, false
}

func (c *chain) caller(h units.AccountID) WeightCaller {
	uid, ok := c.uid(h)
	return WeightCaller{Hotkey: h, Registered: ok, UID: uid, Stake: c.stake[h]}
}

// register is register_ok_neuron: append_neuron at the current block.
func (c *chain) register(h units.AccountID) units.UID {
	c.hotkeys = append(c.hotkeys, h)
	c.permits = append(c.permits, false)
	c.ws.AppendNeuron(c.env())
	return units.UID(len(c.hotkeys) - 1)
}

// stepBlock is step_block(1): the next block's block_step reveals
// timelocked commits, then runs the epoch if due.
func (c *chain) stepBlock() {
	c.block++
	c.ws.RevealTimelockedCommits(c.env(), c.caller, func(r uint64) bool { return c.pulses[r] })
	if c.due() {
		c.epochIndex++
		c.lastEpochBlock = c.block
	}
}

func (c *chain) stepBlocks(n int) {
	for range n {
		c.stepBlock()
	}
}

// stepEpochs is the mock's step_epochs: blocks until count more epochs ran.
func (c *chain) stepEpochs(count uint64) {
	target := c.epochIndex + count
	for c.epochIndex < target {
		c.stepBlock()
	}
}

func (c *chain) setWeights(h units.AccountID, uids, values []uint16, vk uint64) error {
	return c.ws.SetWeights(c.env(), c.caller(h), 0, uids, values, vk)
}

func (c *chain) hash(h units.AccountID, uids, values, salt []uint16, vk uint64) [32]byte {
	return CommitHash(h, c.netuid, 0, uids, values, salt, vk)
}

func (c *chain) commit(h units.AccountID, hash [32]byte) error {
	return c.ws.CommitWeights(c.env(), c.caller(h), 0, hash)
}

func (c *chain) reveal(h units.AccountID, uids, values, salt []uint16, vk uint64) error {
	return c.ws.RevealWeights(c.env(), c.caller(h), 0, uids, values, salt, vk)
}

func (c *chain) batchReveal(h units.AccountID, uids, values, salts [][]uint16, vks []uint64) error {
	return c.ws.BatchRevealWeights(c.env(), c.caller(h), uids, values, salts, vks)
}

func (c *chain) commitTimelocked(h units.AccountID, w TimelockedWeights, round uint64) error {
	return c.ws.CommitTimelockedWeights(c.env(), c.caller(h), 0, w, round, DefaultCommitRevealVersion)
}

// commitRevealSetWeights is tests/weights.rs commit_reveal_set_weights:
// commit-reveal on, commit, step one epoch, reveal.
func (c *chain) commitRevealSetWeights(h units.AccountID, uids, values, salt []uint16, vk uint64) error {
	c.hyper.CommitRevealWeightsEnabled = true
	if err := c.commit(h, c.hash(h, uids, values, salt, vk)); err != nil {
		return err
	}
	c.stepEpochs(1)
	return c.reveal(h, uids, values, salt, vk)
}

// mustFail runs f and fails unless it returns want and leaves c.ws unchanged.
func (c *chain) mustFail(t *testing.T, want error, f func() error) {
	t.Helper()
	before := c.ws.Clone()
	err := f()
	if err != want {
		t.Fatalf("got error %v, want %v", err, want)
	}
	if !before.Equal(&c.ws) {
		t.Fatalf("a failed call (%v) changed the state", err)
	}
}

func salt8(v uint16) []uint16 { return []uint16{v, v, v, v, v, v, v, v} }
