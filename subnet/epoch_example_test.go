package subnet_test

import (
	"fmt"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// A subnet's life in one tempo: three neurons register, an epoch hands
// out validator permits by stake, the validator sets weights on the two
// miners, and the next epoch pays them; the metagraph shows the result.
func Example() {
	account := func(b byte) units.AccountID { return units.AccountID{b} }
	s, err := subnet.New(1, account(1), account(2), amm.NewPool(1_000*units.RaoPerTAO, 1_000*units.RaoPerTAO), 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Root turns commit-reveal off, so weights are set in the clear.
	if err := s.Hyperparameters.SetCommitRevealWeightsEnabled(subnet.OriginRoot, false); err != nil {
		fmt.Println(err)
		return
	}
	s.Step(2)
	for i := range byte(3) {
		req := subnet.RegisterRequest{Coldkey: account(10 + i), Hotkey: account(20 + i),
			Balance: 10 * units.RaoPerTAO, ExistentialDeposit: 500, Block: 2}
		if _, err := s.Register(req); err != nil {
			fmt.Println(err)
			return
		}
	}
	// The ledger's stake per uid: the owner and uid 1 stake, uids 2 and 3 mine.
	stake := subnet.StakeView{Alpha: []units.Alpha{50 * units.RaoPerTAO, 100 * units.RaoPerTAO, 0, 0}}
	var ws subnet.Workspace
	if _, err := s.RunEpoch(subnet.Now{Block: 10}, 0, stake, &ws); err != nil {
		fmt.Println(err)
		return
	}
	validator := subnet.Signer{Hotkey: account(20), Stake: subnet.TotalStake(stake.Alpha[1], 0, s.Globals.TaoWeight)}
	if err := s.SetWeights(subnet.Now{Block: 110}, validator, 0, []uint16{2, 3}, []uint16{1, 3}, 0); err != nil {
		fmt.Println(err)
		return
	}
	paid, err := s.RunEpoch(subnet.Now{Block: 120}, 10*units.RaoPerTAO, stake, &ws)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := s.Metagraph(120, 0, stake)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("uid  hotkey  S              I      D      E              permit")
	for _, uid := range m.UIDs {
		fmt.Printf("%-4d %-7x %-14s %.4f %.4f %-14s %v\n", uid, m.Hotkeys[uid][:1], units.Alpha(m.S[uid]).Decimal(),
			m.IncentiveFloat()[uid], m.DividendsFloat()[uid], m.E[uid].Decimal(), m.ValidatorPermit[uid])
	}
	fmt.Println("W[1] =", m.W[1])
	fmt.Println("emission lines:", len(paid))
	// Output:
	// uid  hotkey  S              I      D      E              permit
	// 0    02      50             0.0000 0.0000 0              true
	// 1    14      100            0.0000 1.0000 5              true
	// 2    15      0              0.2500 0.0000 1.249999997    false
	// 3    16      0              0.7500 0.0000 3.75           false
	// W[1] = [0 0 21845 65535]
	// emission lines: 4
}
