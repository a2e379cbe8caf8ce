package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/amm"
	"github.com/dtao-go/dtao/fixed"
	"github.com/dtao-go/dtao/units"
)

// quoteArgs holds the flags of dtao quote as typed.
type quoteArgs struct {
	tao, alpha, weight, fee, limit, buy, sell string
	genesis, netuid                           string
	json                                      bool
	set                                       map[string]bool // the flags given on the command line
}

func quoteFlags(a *quoteArgs) command {
	fs := flag.NewFlagSet("quote", flag.ContinueOnError)
	fs.StringVar(&a.tao, "tao", "", "the pool's `TAO` reserve (SubnetTAO), in TAO: 125000, τ125,000.5 (required without --genesis)")
	fs.StringVar(&a.alpha, "alpha", "", "the pool's `ALPHA` reserve (SubnetAlphaIn), in alpha: 9800000, 9800000α (required without --genesis)")
	fs.StringVar(&a.buy, "buy", "", "stake: pay this much `TAO`, fee included, for alpha: 10, 10τ, τ0.5")
	fs.StringVar(&a.sell, "sell", "", "unstake: pay this much `ALPHA`, fee included, for TAO: 12.5, 12.5α")
	fs.StringVar(&a.limit, "limit", "", "`PRICE` limit in TAO per alpha: 0.013, τ0.013 (default: the chain's, 1e6 for a buy, 1e-6 for a sell)")
	fs.StringVar(&a.weight, "weight", "0.5", "the pool's quote `WEIGHT` (the TAO side's): a decimal in [0.01, 0.99], or an integer of parts of 1e18")
	fs.StringVar(&a.fee, "fee", strconv.Itoa(int(amm.DefaultFeeRate)), "the pool's FeeRate: the fee is `FEE`/65535 of the input, FEE from 0 to 10000")
	fs.StringVar(&a.genesis, "genesis", "", "quote a subnet of the JSON genesis `FILE` (dtao.ParseGenesisJSON) instead of --tao, --alpha, --weight and --fee; needs --netuid")
	fs.StringVar(&a.netuid, "netuid", "", "with --genesis, the `NETUID` of the subnet whose pool to quote")
	fs.BoolVar(&a.json, "json", false, "print the quote as JSON: amounts as integers of rao, prices as decimal strings")
	return command{fs, quoteUsage}
}

const quoteUsage = `usage: dtao quote --tao Y --alpha X [flags] --buy TAO | --sell ALPHA
       dtao quote --genesis FILE --netuid N [flags] --buy TAO | --sell ALPHA

Quotes one swap on a subnet's pool in-process, with the chain's integers
(the swap pallet at subtensor 14bc6f9f); it changes nothing. It prints what
goes in and out, the fee, the effective price, the slippage against a fill
at the spot price, the price impact, and with --limit the largest amount
that the limit lets through (the chain's get_max_amount_add/remove).

Amounts are written as bittensor's tools print them, with at most 9
decimals and an optional symbol: TAO as 10, 10τ or τ1,234.5; alpha as
12.5 or 12.5α. The older form "buy AMOUNT" / "sell AMOUNT" is accepted
too.

With --genesis FILE --netuid N the pool is subnet N's in a JSON genesis
(the format of dtao.ParseGenesisJSON, which dtao simulate --genesis runs),
its reserves, quote weight and fee rate as the ledger built from the file
holds them; the pool flags are then not given:

  dtao quote --genesis genesis.json --netuid 3 --buy 10τ --limit 0.013

examples:
  dtao quote --tao 125000 --alpha 9800000 --buy 10τ
  dtao quote --tao 125000 --alpha 9800000 --sell 12.5α --limit 0.0127
  dtao quote --tao 125000 --alpha 9800000 --weight 0.4 --fee 100 --buy 10 --json
`

// runQuote prints what a swap on the given pool would pay, without
// changing anything: the swap pallet's result at the given limit.
func runQuote(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	var a quoteArgs
	c := quoteFlags(&a)
	pos, code, done := parse(c, args, stdout, stderr)
	if done {
		return code
	}
	a.set = map[string]bool{}
	c.fs.Visit(func(f *flag.Flag) { a.set[f.Name] = true })
	q, msg := a.validate(pos)
	if msg != "" {
		return usageError(stderr, "dtao quote", "%s", msg)
	}
	if q.genesis != nil {
		pool, err := genesisPool(q.genesis)
		if err != nil {
			return runtimeError(stderr, "dtao quote", err)
		}
		q.pool = pool
	}
	out, err := q.run()
	if err != nil {
		return runtimeError(stderr, "dtao quote", err)
	}
	if a.json {
		b, err := json.Marshal(out)
		if err != nil {
			return runtimeError(stderr, "dtao quote", err)
		}
		fmt.Fprintf(stdout, "%s\n", b)
		return exitOK
	}
	out.print(stdout)
	return exitOK
}

// quote is a validated dtao quote: a pool the chain could hold and an order.
type quote struct {
	pool     amm.Pool
	order    amm.Order
	amount   string // the order's amount as the user wrote it
	limit    amm.Price
	hasLimit bool
	genesis  *quoteGenesis // the pool's genesis subnet, with --genesis
}

// quoteGenesis names the genesis subnet a quote prices; its JSON form is
// the "genesis" object of --json.
type quoteGenesis struct {
	File   string       `json:"file"`
	NetUID units.NetUID `json:"netuid"`
	Block  uint64       `json:"block"` // the genesis block, set when the file is read
}

// genesisPool reads the JSON genesis g names, builds its ledger (so that
// a file NewLedger refuses is refused here too, naming the field) and
// returns the pool of g.NetUID; it sets g.Block. A netuid the genesis does
// not hold is an error naming it and the netuids it holds.
func genesisPool(g *quoteGenesis) (amm.Pool, error) {
	cfg, err := readGenesis(g.File)
	if err != nil {
		return amm.Pool{}, err
	}
	l, err := dtao.NewLedger(cfg)
	if err != nil {
		return amm.Pool{}, fmt.Errorf("%s: %w", g.File, err)
	}
	g.Block = l.Block()
	pool, ok := l.Pool(g.NetUID)
	if !ok {
		return amm.Pool{}, fmt.Errorf("%s: netuid %d is not a subnet of the genesis (its netuids: %s)", g.File, g.NetUID, netuidList(l.NetUIDs()))
	}
	return pool, nil
}

// netuidList writes netuids as "0, 1, 2", or "none".
func netuidList(ns []units.NetUID) string {
	if len(ns) == 0 {
		return "none"
	}
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(int(n))
	}
	return strings.Join(s, ", ")
}

// validate reads the flags and the positional arguments into a quote, or
// returns the message of the first usage error. With --genesis the pool
// is left for genesisPool to read.
func (a *quoteArgs) validate(rest []string) (quote, string) {
	var q quote
	if a.genesis != "" {
		for _, name := range []string{"tao", "alpha", "weight", "fee"} {
			if a.set[name] {
				return q, fmt.Sprintf("--genesis and --%s both given: with --genesis the pool is the genesis subnet's", name)
			}
		}
		if a.netuid == "" {
			return q, "missing flag --netuid: --genesis needs the subnet to quote (e.g. --netuid 3)"
		}
		n, err := strconv.ParseUint(a.netuid, 10, 16)
		if err != nil {
			return q, fmt.Sprintf("--netuid %q: want a subnet's netuid, an integer from 0 to 65535", a.netuid)
		}
		q.genesis = &quoteGenesis{File: a.genesis, NetUID: units.NetUID(n)}
		return a.validateOrder(q, rest)
	}
	if a.set["netuid"] {
		return q, "--netuid without --genesis: a netuid names a subnet of a genesis file (give --genesis FILE)"
	}
	if a.tao == "" {
		return q, "missing required flag --tao (the pool's TAO reserve, e.g. --tao 125000), or quote a subnet of a genesis file with --genesis FILE --netuid N"
	}
	if a.alpha == "" {
		return q, "missing required flag --alpha (the pool's alpha reserve, e.g. --alpha 9800000)"
	}
	y, err := units.ParseTAO(a.tao)
	if err != nil {
		return q, fmt.Sprintf("--tao %q: %v", a.tao, err)
	}
	x, err := units.ParseAlpha(a.alpha)
	if err != nil {
		return q, fmt.Sprintf("--alpha %q: %v", a.alpha, err)
	}
	w, err := parseWeight(a.weight)
	if err != nil {
		return q, fmt.Sprintf("--weight %q: %v", a.weight, err)
	}
	fee, err := strconv.ParseUint(a.fee, 10, 16)
	if err != nil {
		return q, fmt.Sprintf("--fee %q: want an integer from 0 to %d (the fee is FEE/65535 of the input)", a.fee, amm.MaxFeeRate)
	}
	q.pool = amm.NewPool(y, x)
	q.pool.QuoteWeight = w
	q.pool.FeeRate = uint16(fee)
	if err := q.pool.Validate(); err != nil {
		switch {
		case errors.Is(err, amm.ErrInvalidWeight):
			return q, fmt.Sprintf("--weight %s: out of range: the chain keeps a quote weight in [0.01, 0.99] (%s)", a.weight, units.ChainName(err))
		case errors.Is(err, amm.ErrFeeRateTooHigh):
			return q, fmt.Sprintf("--fee %d: above the chain's maximum fee rate: want 0 to %d, parts of 65535 (%s)", fee, amm.MaxFeeRate, units.ChainName(err))
		default:
			return q, err.Error()
		}
	}
	return a.validateOrder(q, rest)
}

// validateOrder reads the order and the limit into q.
func (a *quoteArgs) validateOrder(q quote, rest []string) (quote, string) {
	dir, amount := "", ""
	switch {
	case a.buy != "" && a.sell != "":
		return q, "--buy and --sell both given: a quote is one swap"
	case a.buy != "":
		dir, amount = "buy", a.buy
	case a.sell != "":
		dir, amount = "sell", a.sell
	}
	switch {
	case len(rest) == 0 && dir == "":
		return q, "missing the order: give --buy TAO or --sell ALPHA"
	case len(rest) > 0 && dir != "":
		return q, fmt.Sprintf("unexpected argument %q: the order is already given by --%s", rest[0], dir)
	case len(rest) > 0:
		d := strings.ToLower(rest[0])
		if d != "buy" && d != "sell" {
			return q, fmt.Sprintf("unexpected argument %q: give the order as --buy TAO or --sell ALPHA", rest[0])
		}
		if len(rest) != 2 {
			if len(rest) < 2 {
				return q, fmt.Sprintf("missing the amount after %q", rest[0])
			}
			return q, fmt.Sprintf("unexpected argument %q after the amount", rest[2])
		}
		dir, amount = d, rest[1]
	}
	q.amount = amount
	if dir == "buy" {
		t, err := units.ParseTAO(amount)
		if err != nil {
			return q, fmt.Sprintf("--buy %q: %v", amount, err)
		}
		q.order = amm.BuyOrder(t)
	} else {
		al, err := units.ParseAlpha(amount)
		if err != nil {
			return q, fmt.Sprintf("--sell %q: %v", amount, err)
		}
		q.order = amm.SellOrder(al)
	}
	if a.limit != "" {
		p, err := amm.ParsePrice(a.limit)
		if err != nil {
			return q, fmt.Sprintf("--limit %q: %v (want TAO per alpha, e.g. 0.013)", a.limit, err)
		}
		q.limit, q.hasLimit = p, true
		q.order = q.order.WithLimit(p)
	}
	return q, ""
}

// parseWeight reads a quote weight written as a decimal below 1 ("0.5",
// up to 18 decimals, exact) or as an integer of parts of 1e18
// ("500000000000000000"). The two forms cannot be confused: an integer
// read as a decimal would be at least 1, which no weight is. The range the
// chain accepts is checked by the pool's Validate.
func parseWeight(s string) (fixed.Perquintill, error) {
	whole, frac, isDecimal := strings.Cut(s, ".")
	if !isDigits(whole) || (isDecimal && !isDigits(frac)) {
		return 0, errors.New("want a decimal such as 0.5, or an integer of parts of 1e18")
	}
	if !isDecimal {
		parts, err := strconv.ParseUint(whole, 10, 64)
		if err != nil || parts > fixed.PerquintillAccuracy {
			return 0, errors.New("out of range: as an integer it is parts of 1e18, at most 1e18")
		}
		return fixed.PerquintillFromParts(parts), nil
	}
	if len(frac) > 18 {
		return 0, errors.New("more than 18 decimals (a weight is parts of 1e18)")
	}
	if strings.TrimLeft(whole, "0") != "" {
		return 0, errors.New("out of range: a quote weight lies in [0.01, 0.99]")
	}
	parts, err := strconv.ParseUint(frac+strings.Repeat("0", 18-len(frac)), 10, 64)
	if err != nil {
		return 0, errors.New("want a decimal such as 0.5")
	}
	return fixed.PerquintillFromParts(parts), nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// quoteOutput is the answer of dtao quote; its JSON form is --json's.
type quoteOutput struct {
	Direction string        `json:"direction"`
	Genesis   *quoteGenesis `json:"genesis,omitempty"`
	Pool      struct {
		TAO         units.TAO   `json:"tao"`
		Alpha       units.Alpha `json:"alpha"`
		QuoteWeight uint64      `json:"quote_weight"`
		FeeRate     uint16      `json:"fee_rate"`
	} `json:"pool"`
	Limit *amm.Price `json:"limit,omitempty"`
	// PaidIn is the net input (the fee excluded), Fee the fee in the input
	// token, PaidOut the output: rao of TAO or alpha as Direction says.
	PaidIn  uint64 `json:"paid_in"`
	Fee     uint64 `json:"fee"`
	PaidOut uint64 `json:"paid_out"`
	// EffectivePrice is TAO per alpha of the whole swap, the fee included:
	// the input and fee over the output for a buy, the output over the
	// input and fee for a sell.
	EffectivePrice     amm.Price `json:"effective_price"`
	PriceBefore        amm.Price `json:"price_before"`
	PriceAfter         amm.Price `json:"price_after"`
	FeePercent         *float64  `json:"fee_percent"`
	SlippagePercent    *float64  `json:"slippage_percent"`
	PriceImpactPercent *float64  `json:"price_impact_percent"`
	// MaxAmount is, with a limit, the largest gross input the limit lets
	// through (get_max_amount_add for a buy, get_max_amount_remove for a
	// sell), in rao of the input token.
	MaxAmount *uint64 `json:"max_amount,omitempty"`

	pool, after amm.Pool
}

// run quotes the swap and the limit's max amount.
func (q quote) run() (quoteOutput, error) {
	var out quoteOutput
	out.pool = q.pool
	out.Direction = q.order.Direction().String()
	out.Genesis = q.genesis
	out.Pool.TAO, out.Pool.Alpha = q.pool.TAO, q.pool.AlphaIn
	out.Pool.QuoteWeight, out.Pool.FeeRate = q.pool.QuoteWeight.Parts(), q.pool.FeeRate
	if q.hasLimit {
		out.Limit = &q.limit
	}
	res, err := q.pool.Quote(q.order)
	if err != nil {
		return out, refused(err)
	}
	after := q.pool
	if _, err := after.Swap(q.order); err != nil {
		return out, refused(err)
	}
	out.after = after
	out.PriceBefore, out.PriceAfter = q.pool.Price(), after.Price()
	var gross, output uint64
	spot := priceRat(out.PriceBefore)
	var ideal *big.Rat // the output of the net input at the spot price
	if q.order.Direction() == amm.Buy {
		out.PaidIn, out.Fee, out.PaidOut = res.TAO.Rao(), res.TAOFee.Rao(), res.Alpha.Rao()
		gross, output = res.TAO.SaturatingAdd(res.TAOFee).Rao(), out.PaidOut
		out.EffectivePrice = amm.PriceFromU64F64(fixed.U64F64FromRatio(gross, output))
		if spot.Sign() != 0 {
			ideal = new(big.Rat).Quo(new(big.Rat).SetUint64(out.PaidIn), spot)
		}
	} else {
		out.PaidIn, out.Fee, out.PaidOut = res.Alpha.Rao(), res.AlphaFee.Rao(), res.TAO.Rao()
		gross, output = res.Alpha.SaturatingAdd(res.AlphaFee).Rao(), out.PaidOut
		out.EffectivePrice = amm.PriceFromU64F64(fixed.U64F64FromRatio(output, gross))
		ideal = new(big.Rat).Mul(new(big.Rat).SetUint64(out.PaidIn), spot)
	}
	if gross != 0 {
		out.FeePercent = percent(new(big.Rat).SetFrac(new(big.Int).SetUint64(out.Fee), new(big.Int).SetUint64(gross)))
	}
	if ideal != nil && ideal.Sign() != 0 {
		short := new(big.Rat).Sub(ideal, new(big.Rat).SetUint64(output))
		out.SlippagePercent = percent(short.Quo(short, ideal))
	}
	if spot.Sign() != 0 {
		move := new(big.Rat).Sub(priceRat(out.PriceAfter), spot)
		out.PriceImpactPercent = percent(move.Quo(move, spot))
	}
	if q.hasLimit {
		var m uint64
		if q.order.Direction() == amm.Buy {
			t, err := q.pool.MaxAmountAdd(q.limit)
			if err != nil {
				return out, refused(err)
			}
			m = t.Rao()
		} else {
			al, err := q.pool.MaxAmountRemove(q.limit)
			if err != nil {
				return out, refused(err)
			}
			m = al.Rao()
		}
		out.MaxAmount = &m
	}
	return out, nil
}

// refused words a chain error of the swap with the chain's name first.
func refused(err error) error {
	if name := units.ChainName(err); name != "" {
		return fmt.Errorf("the chain refuses the swap: %s (%w)", name, err)
	}
	return err
}

// priceRat is the exact value of p.
func priceRat(p amm.Price) *big.Rat {
	hi, lo := p.U64F64().Bits()
	num := new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
	num.Or(num, new(big.Int).SetUint64(lo))
	return new(big.Rat).SetFrac(num, new(big.Int).Lsh(big.NewInt(1), 64))
}

// percent is 100·r as a float64, for display only.
func percent(r *big.Rat) *float64 {
	f, _ := new(big.Rat).Mul(r, big.NewRat(100, 1)).Float64()
	return &f
}

// print writes the quote for people. Prices are rao per alpha as the chain
// shows them: the spot prices as its current_alpha_price (floored), the
// effective price rounded to the nearest rao; --json has them exactly.
func (o *quoteOutput) print(w io.Writer) {
	p := &o.pool
	in, fee, out := fmt.Sprint(units.TAO(o.PaidIn)), fmt.Sprint(units.TAO(o.Fee)), fmt.Sprint(units.Alpha(o.PaidOut))
	if o.Direction == "sell" {
		in, fee, out = fmt.Sprint(units.Alpha(o.PaidIn)), fmt.Sprint(units.Alpha(o.Fee)), fmt.Sprint(units.TAO(o.PaidOut))
	}
	if g := o.Genesis; g != nil {
		fmt.Fprintf(w, "subnet:          %d of %s at block %d\n", g.NetUID, g.File, g.Block)
	}
	fmt.Fprintf(w, "pool:            %v and %v, quote weight %s, fee rate %d/65535\n",
		p.TAO, p.AlphaIn, weightString(p.QuoteWeight), p.FeeRate)
	fmt.Fprintf(w, "%-17s%s (net of the fee)\n", o.Direction+":", in)
	fmt.Fprintf(w, "fee:             %s (%s of the input)\n", fee, percentString(o.FeePercent, false))
	fmt.Fprintf(w, "receive:         %s\n", out)
	fmt.Fprintf(w, "effective price: %v per alpha, the fee included\n", amm.PriceFromRao(o.EffectivePrice.Rao()))
	fmt.Fprintf(w, "slippage:        %s against a fill at the spot price\n", percentString(o.SlippagePercent, false))
	fmt.Fprintf(w, "price impact:    %s (%v -> %v per alpha)\n", percentString(o.PriceImpactPercent, true),
		amm.PriceFromRao(p.PriceRao()), amm.PriceFromRao(o.after.PriceRao()))
	if o.MaxAmount != nil {
		if o.Direction == "buy" {
			fmt.Fprintf(w, "max at limit:    %v (the largest stake before the price reaches %v)\n", units.TAO(*o.MaxAmount), o.Limit)
		} else {
			fmt.Fprintf(w, "max at limit:    %v (the largest unstake before the price falls to %v)\n", units.Alpha(*o.MaxAmount), o.Limit)
		}
	}
}

// weightString prints a quote weight as a decimal without trailing zeros.
func weightString(w fixed.Perquintill) string {
	s := fmt.Sprintf("%019d", w.Parts())
	whole, frac := s[:len(s)-18], strings.TrimRight(s[len(s)-18:], "0")
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}

func percentString(p *float64, signed bool) string {
	if p == nil {
		return "n/a"
	}
	if signed {
		return fmt.Sprintf("%+.4f%%", *p)
	}
	return fmt.Sprintf("%.4f%%", *p)
}
