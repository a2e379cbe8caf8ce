package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

const quoteUsage = `usage: dtao quote [flags] buy|sell AMOUNT

Quotes one swap on a subnet pool in-process, with the chain's integers.
AMOUNT is TAO for a buy and alpha for a sell, in TAO units ("1.5", "τ1.5").

flags:
`

// runQuote prints what a swap on the given pool would pay, without
// changing anything: the swap pallet's result at the given limit.
func runQuote(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("quote", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, quoteUsage); fs.PrintDefaults() }
	taoReserve := fs.String("tao", "", "TAO reserve (SubnetTAO), in TAO")
	alphaReserve := fs.String("alpha", "", "alpha reserve (SubnetAlphaIn), in alpha")
	weight := fs.Uint64("weight", uint64(amm.HalfWeight), "quote weight w2, parts of 1e18")
	fee := fs.Uint("fee", uint(amm.DefaultFeeRate), "FeeRate, parts of 65535")
	limit := fs.Uint64("limit", 0, "price limit in rao per alpha (default: the chain's max for a buy, min for a sell)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 || *taoReserve == "" || *alphaReserve == "" {
		fs.Usage()
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "dtao quote: "+format+"\n", a...)
		return 2
	}
	y, err := units.ParseTAO(*taoReserve)
	if err != nil {
		return fail("--tao: %v", err)
	}
	x, err := units.ParseAlpha(*alphaReserve)
	if err != nil {
		return fail("--alpha: %v", err)
	}
	if *weight > fixed.PerquintillAccuracy {
		return fail("--weight %d exceeds 1e18", *weight)
	}
	if *fee > 65_535 {
		return fail("--fee %d exceeds 65535", *fee)
	}
	pool := amm.NewPool(y, x)
	pool.QuoteWeight = fixed.Perquintill(*weight)
	pool.FeeRate = uint16(*fee)

	var order amm.Order
	switch dir, amount := fs.Arg(0), fs.Arg(1); strings.ToLower(dir) {
	case "buy":
		tao, err := units.ParseTAO(amount)
		if err != nil {
			return fail("amount: %v", err)
		}
		order = amm.BuyOrder(tao)
	case "sell":
		alpha, err := units.ParseAlpha(amount)
		if err != nil {
			return fail("amount: %v", err)
		}
		order = amm.SellOrder(alpha)
	default:
		return fail("direction %q: want buy or sell", dir)
	}
	if *limit != 0 {
		order = order.WithLimit(amm.PriceFromRao(*limit))
	}

	before := pool.PriceRao()
	res, err := pool.Quote(order)
	if err != nil {
		fmt.Fprintf(stdout, "error: %v\n", err)
		return 1
	}
	after := pool
	if _, err := after.Swap(order); err != nil {
		return fail("swap after a successful quote: %v", err)
	}
	in, out := "TAO", "alpha"
	paidIn, feePaid, paidOut := res.TAO.Rao(), res.TAOFee.Rao(), res.Alpha.Rao()
	if order.Direction() == amm.Sell {
		in, out = "alpha", "TAO"
		paidIn, feePaid, paidOut = res.Alpha.Rao(), res.AlphaFee.Rao(), res.TAO.Rao()
	}
	fmt.Fprintf(stdout, "paid in:    %d rao %s (net of fee)\n", paidIn, in)
	fmt.Fprintf(stdout, "fee:        %d rao %s\n", feePaid, in)
	fmt.Fprintf(stdout, "paid out:   %d rao %s\n", paidOut, out)
	fmt.Fprintf(stdout, "price:      %d -> %d rao per alpha\n", before, after.PriceRao())
	return 0
}
