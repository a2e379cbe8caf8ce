package amm

import (
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// Market is what the pools of every era share, so that a ledger can run
// any of them: the spot price, a quote that changes nothing, a swap that
// executes and updates the pool, and an emission injection.
type Market interface {
	// Price is the spot price, TAO per alpha.
	Price() fixed.U64F64
	// Quote returns what Swap would return, without changing the pool.
	Quote(o Order) (Result, error)
	// Swap executes o; on error the pool is unchanged.
	Swap(o Order) (Result, error)
	// Inject adds emission to the pool; on error nothing is added.
	Inject(tao units.TAO, alpha units.Alpha) error
}

var (
	_ Market = (*Pool)(nil)
	_ Market = (*ConstantProductPool)(nil)
)
