// Command simulate drives the ledger from code on a network written in the
// program: a root subnet and two subnets of a few neurons each, built with
// dtao.NewBuilder. It steps three tempos, printing each epoch as the
// ledger reports it, then a miner's incentive from the metagraph and the
// state hash, which is the same on every run and machine.
//
//	go run ./examples/simulate
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

const (
	tao        = units.RaoPerTAO // one TAO in rao; every amount is in rao
	validators = 3               // uids 1..3 validate, the rest mine
	miners     = 5
	genesis    = 1_000 // the genesis block
)

// key makes a readable test account: a role letter, the netuid and an
// index. Real accounts are sr25519 public keys (package wallet).
func key(role byte, netuid units.NetUID, i int) units.AccountID {
	return units.AccountID{role, byte(netuid), byte(i)}
}

func main() {
	b := dtao.NewBuilder().Root(1_000 * tao) // netuid 0, the root subnet
	// Two subnets at different prices: 0.01 and 0.05 TAO per alpha.
	for _, s := range []struct {
		netuid  units.NetUID
		tao     units.TAO
		alphaIn units.Alpha
	}{{1, 10_000 * tao, 1_000_000 * tao}, {2, 20_000 * tao, 400_000 * tao}} {
		owner, ownerHotkey := key('o', s.netuid, 0), key('h', s.netuid, 0)
		pool := amm.NewPool(s.tao, s.alphaIn)
		b.SubnetWith(dtao.GenesisSubnet{
			NetUID: s.netuid, Owner: owner, OwnerHotkey: ownerHotkey, Pool: pool,
			Storage: neurons(s.netuid, owner, ownerHotkey, pool),
			// The coinbase shares the block's TAO by moving price: start
			// it at the spot price.
			MovingPrice: pool.Price().U64F64().SaturatingToI96F32(),
		})
		b.Account(owner, 10*tao)
		// Each validator's own stake: stake decides validator permits and
		// how much each validator's weights count in consensus.
		for v := 1; v <= validators; v++ {
			b.Stake(key('v', s.netuid, v), key('c', s.netuid, v), s.netuid, units.Alpha(uint64(v)*100_000*tao))
		}
	}
	g := b.Genesis()
	g.Block = genesis
	l, err := dtao.NewLedger(g)
	if err != nil {
		log.Fatal(err)
	}

	// Events arrive in order while the ledger steps; the handler must not
	// call the ledger back.
	l.OnEvent(func(e dtao.Event) {
		if e.Kind == dtao.EventEpoch {
			fmt.Printf("block %d: subnet %d ran its epoch and paid %s\n", e.Block, e.NetUID, alpha(e.Alpha))
		}
	})
	tempo := subnet.DefaultHyperparameters().Tempo
	if _, err := l.StepN(context.Background(), 3*uint64(tempo)); err != nil {
		log.Fatal(err)
	}

	// The metagraph is the view bittensor's Python SDK reads: incentive (I)
	// is a u16 share of the subnet's miner emission, 65535 being all of it.
	const netuid = 1
	mg, err := l.Metagraph(netuid, 0)
	if err != nil {
		log.Fatal(err)
	}
	best := validators + 1
	for uid := validators + 1; uid < int(mg.N); uid++ {
		if mg.I[uid] > mg.I[best] {
			best = uid
		}
	}
	earned := l.Stake(mg.Hotkeys[best], mg.Coldkeys[best], netuid)
	fmt.Printf("subnet %d miner uid %d: incentive %d/65535 (%.4f), earned %s as stake\n",
		netuid, best, mg.I[best], mg.IncentiveFloat()[best], alpha(earned))
	if err := l.CheckInvariants(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("block %d, state hash %x\n", l.Block(), l.StateHash())
}

// neurons returns the storage of a subnet as do_register_network creates
// it (the owner's hotkey at uid 0), with validators and miners registered
// and every validator's weights set on the miners, so that the epochs pay
// incentive to the miners and dividends to the validators.
func neurons(netuid units.NetUID, owner, ownerHotkey units.AccountID, pool amm.Pool) *subnet.Storage {
	sn, err := subnet.New(netuid, owner, ownerHotkey, pool, 0)
	if err != nil {
		log.Fatal(err)
	}
	st := sn.Storage()
	for v := 1; v <= validators; v++ {
		st.AppendNeuron(key('v', netuid, v), key('c', netuid, v), 0)
	}
	for m := 1; m <= miners; m++ {
		st.AppendNeuron(key('m', netuid, m), key('k', netuid, m), 0)
	}
	st.Hyperparameters.MinAllowedWeights = 1
	st.Hyperparameters.CommitRevealWeightsEnabled = false // weights are set in the clear
	n := len(st.Keys)
	rows := make([][]consensus.Entry, n) // rows[uid]: the weights uid sets
	last := make([]uint64, n)            // each uid's LastUpdate
	for v := 1; v <= validators; v++ {
		st.ValidatorPermit[v] = true // as an earlier epoch would have given them
		for m := validators + 1; m < n; m++ {
			// Miner m's quality grows with its uid; each validator sees it
			// with a little noise. Values are u16, normalised by the epoch.
			rows[v] = append(rows[v], consensus.Entry{UID: units.UID(m), Value: uint16(1000*m + 37*v)})
		}
		last[v] = 1 // after the registrations at block 0: older weights are masked
	}
	st.Weights = [][][]consensus.Entry{rows} // mechanism 0
	st.LastUpdate = [][]uint64{last}
	return &st
}

// alpha prints an amount of alpha as bittensor's tools do ("12.5α").
func alpha(a units.Alpha) string { return a.Decimal() + units.AlphaSymbol }
