package dtaotest_test

import (
	"fmt"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/dtaotest"
	"pgregory.net/rapid"
)

// A property an integrator's test states about the whole chain: whatever
// calls run, each one that fails leaves the state exactly as it was (the
// same StateHash), and after each one every rao and alpha is accounted
// for. In a test this is rapid.Check(t, prop); the example runs it with
// check, which prints the outcome.
func Example_failedCallChangesNothing() {
	prop := func(t *rapid.T) {
		g := dtaotest.Genesis().Draw(t, "genesis")
		l, err := dtao.NewLedger(g)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range dtaotest.Calls(&g).Draw(t, "calls") {
			before := l.StateHash()
			if err := c.Apply(l); err != nil && l.StateHash() != before {
				t.Fatalf("%v failed and changed the state", err)
			}
			dtaotest.CheckLedger(t, l)
		}
	}
	fmt.Println("a failed call changes nothing:", check(prop))
	// Output: a failed call changes nothing: holds
}

// A bot or indexer that replays the chain's blocks and calls must reach
// the chain's state: the ledger is deterministic, so the same genesis and
// calls give the same StateHash on every run and machine.
func Example_replayGivesSameHash() {
	prop := func(t *rapid.T) {
		g := dtaotest.Genesis().Draw(t, "genesis")
		calls := dtaotest.Calls(&g).Draw(t, "calls")
		var hashes [2][32]byte
		for i := range hashes {
			l, err := dtao.NewLedger(g)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range calls {
				_ = c.Apply(l) // the chain's refusals are part of the replay
			}
			hashes[i] = l.StateHash()
		}
		if hashes[0] != hashes[1] {
			t.Fatal("the same calls reached two states")
		}
	}
	fmt.Println("a replay reaches the same hash:", check(prop))
	// Output: a replay reaches the same hash: holds
}

// A staking strategy never gains rao from rounding: staking TAO and
// unstaking everything it bought in the same block returns at most what
// was staked, whatever the pool (the fee and the floors of the chain's
// arithmetic only ever take).
func Example_stakeRoundTripNeverGains() {
	prop := func(t *rapid.T) {
		g := dtaotest.Genesis().Draw(t, "genesis")
		l, err := dtao.NewLedger(g)
		if err != nil {
			t.Fatal(err)
		}
		staker := dtaotest.Key(dtaotest.RoleStaker, 0, 0)
		a := dtaotest.ActorsOf(&g)
		netuid := rapid.SampledFrom(a.NetUIDs[:len(a.NetUIDs)-1]).Draw(t, "netuid")
		hotkey := rapid.SampledFrom(a.Hotkeys[:len(a.Hotkeys)-1]).Draw(t, "hotkey")
		before := l.Balance(staker)
		amount := before >> rapid.UintRange(1, 20).Draw(t, "shift")
		alpha, err := l.AddStake(staker, hotkey, netuid, amount)
		if err != nil {
			return // refused: nothing staked, nothing to return
		}
		if _, err := l.RemoveStake(staker, hotkey, netuid, alpha); err != nil {
			return // below the minimum stake: the alpha stays staked
		}
		if after := l.Balance(staker); after > before {
			t.Fatalf("staked %d rao on netuid %d and got back %d more", amount, netuid, after-before)
		}
	}
	fmt.Println("a stake round trip never gains:", check(prop))
	// Output: a stake round trip never gains: holds
}

// The generators' values outside a property, for a look at what they
// draw: Example(seed) is deterministic, so a fixed seed gives a fixed
// network and call sequence, and replaying it gives the same state.
func ExampleCalls() {
	g := dtaotest.Genesis().Example(5)
	calls := dtaotest.Calls(&g).Example(5)
	for _, c := range calls[:min(3, len(calls))] {
		fmt.Println(c)
	}
	a, _ := dtao.NewLedger(g)
	b, _ := dtao.NewLedger(g)
	for _, c := range calls {
		_ = c.Apply(a)
		_ = c.Apply(b)
	}
	fmt.Println("same state hash:", a.StateHash() == b.StateHash())
	// Output:
	// start_call(coldkey=C1.1, netuid=3)
	// transfer_keep_alive(from=C2.4, to=O1.0, amount=1)
	// remove_stake_limit(coldkey=C1.2, hotkey=o1.0, netuid=0, amount=1375, limit_rao=501000000, partial=false)
	// same state hash: true
}
