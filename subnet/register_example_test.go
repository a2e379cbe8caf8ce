package subnet_test

import (
	"fmt"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/subnet"
	"github.com/dtao-go/dtao/units"
)

// A new subnet (its owner's hotkey at uid 0) and three burned
// registrations in one block: each pays the current burn, which buys alpha
// on the pool that is then destroyed, and raises the price by
// BurnIncreaseMult; the next block decays it.
func ExampleSubnet_Register() {
	account := func(b byte) units.AccountID { return units.AccountID{b} }
	pool := amm.NewPool(1_000*units.RaoPerTAO, 1_000*units.RaoPerTAO)
	s, err := subnet.New(1, account(1), account(2), pool, 100)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range byte(3) {
		r, err := s.Register(subnet.RegisterRequest{
			Coldkey:            account(10 + i),
			Hotkey:             account(20 + i),
			Balance:            5 * units.RaoPerTAO,
			ExistentialDeposit: 500,
			Block:              101,
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("uid", r.UID, "paid", r.Paid, "alpha burned", r.Swap.Alpha.Decimal(), "burn now", s.Burn)
	}
	s.Step(102)
	fmt.Println("neurons", s.N(), "burn next block", s.Burn)
	// Output:
	// uid 1 paid τ1.000000000 alpha burned 0.998498457 burn now τ1.260000000
	// uid 2 paid τ1.260000000 alpha burned 1.255272567 burn now τ1.587600000
	// uid 3 paid τ1.587600000 alpha burned 1.577159061 burn now τ2.000376000
	// neurons 4 burn next block τ1.996528163
}
