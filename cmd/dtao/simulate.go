package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/sim"
	"github.com/dtao-go/dtao/units"
)

// exitInterrupted is the exit code of a simulation stopped by Ctrl-C
// (128 + SIGINT, as shells report it).
const exitInterrupted = 130

// simulateArgs holds the flags of dtao simulate.
type simulateArgs struct {
	blocks  uint64
	seed    uint64
	subnets int
	genesis string
	out     string
	json    bool
}

func simulateFlags(a *simulateArgs) command {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	def := sim.DefaultConfig()
	fs.Uint64Var(&a.blocks, "blocks", 7200, "run `N` blocks (7200 is a day of 12-second blocks)")
	fs.Uint64Var(&a.seed, "seed", def.Seed, "the `SEED` of the network's amounts and of its agents")
	fs.IntVar(&a.subnets, "subnets", def.Subnets, "the number of dynamic subnets, `S` from 1 to 128")
	fs.StringVar(&a.genesis, "genesis", "", "run the network of the JSON genesis `FILE` (dtao.ParseGenesisJSON) instead of the default one")
	fs.StringVar(&a.out, "out", "", "write CSV time series and PNG charts into `DIR` (created if missing)")
	fs.BoolVar(&a.json, "json", false, "print the summary as JSON: amounts as integers of rao, prices as decimal strings")
	return command{fs, simulateUsage}
}

const simulateUsage = `usage: dtao simulate [--blocks N] [--seed SEED] [--subnets S | --genesis FILE] [--out DIR] [--json]

Runs the ledger on the default network of package sim: a root subnet and
S dynamic subnets of 256 uids (64 validators, 8 of them on root, the rest
miners), 4096 stakers, prices from 0.003 to 0.1 TAO per alpha. Before each
block a few stakers add or remove stake and the validators due re-set
their weights; then the block runs (emission, injections and chain buys,
epochs, distribution). The same flags give the same network, the same
blocks and the same final state hash, on every run and machine.

--genesis FILE runs the network of a JSON genesis instead (the format of
dtao.ParseGenesisJSON: keys named after the chain's storage items); its
accounts are the stakers, the hotkeys they stake to the targets, and the
uids with a validator permit and weights the validators. A file the
parser refuses is a one-line error naming the key or the entry.

At the end it prints a summary: per subnet the price at the start and the
end, the moving price, the TAO injected, the alpha emitted and the epochs
run; the totals of emission, minted and recycled TAO and the issuance; what
the agents did; and the state hash. A progress bar shows on stderr when it
is a terminal. Ctrl-C stops after the current block, prints the summary of
the blocks run, writes what --out has, and exits 130.

--out DIR (dtao simulate --out sim-out) writes blocks.csv (block, emission, minted, recycled, total
issuance, epochs run; amounts in rao), one CSV per subnet series (price.csv,
moving_price.csv in TAO per alpha, tao_reserve.csv and tao_in.csv in rao:
a row per block, a column per subnet), and the charts price.png,
moving_price.png, tao_reserve.png, emission.png, issuance.png and
stake.png (the validators' stake values, largest first).

examples:
  dtao simulate --blocks 100
  dtao simulate --blocks 720 --seed 7 --subnets 4 --json
`

// simulateContext returns the context a simulation runs under: cancelled
// by Ctrl-C. Tests replace it.
var simulateContext = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

func runSimulate(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	var a simulateArgs
	c := simulateFlags(&a)
	pos, code, done := parse(c, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 0 {
		return usageError(stderr, "dtao simulate", "unexpected argument %q", pos[0])
	}
	if a.blocks == 0 {
		return usageError(stderr, "dtao simulate", "--blocks 0: want at least 1 block")
	}
	if a.subnets < 1 || a.subnets > 128 {
		return usageError(stderr, "dtao simulate", "--subnets %d: want 1 to 128", a.subnets)
	}
	subnetsSet := false
	c.fs.Visit(func(f *flag.Flag) { subnetsSet = subnetsSet || f.Name == "subnets" })
	if subnetsSet && a.genesis != "" {
		return usageError(stderr, "dtao simulate", "--subnets and --genesis both given: the genesis file has its own subnets")
	}
	cfg := sim.DefaultConfig()
	cfg.Seed, cfg.Subnets = a.seed, a.subnets
	var g dtao.GenesisConfig
	var err error
	if a.genesis != "" {
		g, err = readGenesis(a.genesis)
	} else {
		g, err = sim.Genesis(cfg)
	}
	if err != nil {
		return runtimeError(stderr, "dtao simulate", err)
	}
	s, err := sim.FromGenesis(g, cfg.Seed)
	if err != nil {
		return runtimeError(stderr, "dtao simulate", err)
	}
	if a.genesis == "" {
		s.SetActionsPerBlock(cfg.ActionsPerBlock)
	}
	ctx, stop := simulateContext()
	defer stop()
	sum, err := simulate(ctx, s, &g, &a, stderr)
	if err != nil && !errors.Is(err, context.Canceled) {
		return runtimeError(stderr, "dtao simulate", err)
	}
	if a.json {
		b, jerr := json.MarshalIndent(sum, "", "  ")
		if jerr != nil {
			return runtimeError(stderr, "dtao simulate", jerr)
		}
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		sum.print(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "dtao simulate: interrupted after %d of %d blocks\n", sum.BlocksRun, a.blocks)
		return exitInterrupted
	}
	return exitOK
}

// readGenesis reads a JSON genesis file.
func readGenesis(path string) (dtao.GenesisConfig, error) {
	f, err := os.Open(path)
	if err != nil {
		return dtao.GenesisConfig{}, err
	}
	defer f.Close()
	g, err := dtao.ParseGenesisJSON(f)
	if err != nil {
		return dtao.GenesisConfig{}, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}

// summary is what dtao simulate prints at the end; its JSON is --json's.
type summary struct {
	Seed            uint64          `json:"seed"`
	BlocksRequested uint64          `json:"blocks_requested"`
	BlocksRun       uint64          `json:"blocks_run"`
	Interrupted     bool            `json:"interrupted"`
	FirstBlock      uint64          `json:"first_block"`
	LastBlock       uint64          `json:"last_block"`
	Seconds         float64         `json:"seconds"`
	Subnets         []subnetSummary `json:"subnets"`
	Totals          totals          `json:"totals"`
	Agents          agentSummary    `json:"agents"`
	StateHash       string          `json:"state_hash"`
}

type subnetSummary struct {
	NetUID         units.NetUID `json:"netuid"`
	PriceStart     string       `json:"price_start"`
	PriceEnd       string       `json:"price_end"`
	MovingPriceEnd string       `json:"moving_price_end"`
	TAOReserveEnd  units.TAO    `json:"tao_reserve_end"`
	TAOInjected    units.TAO    `json:"tao_injected"`
	AlphaEmitted   units.Alpha  `json:"alpha_emitted"`
	Epochs         uint64       `json:"epochs_run"`
	TopMiner       *earner      `json:"top_miner"`
	TopValidator   *earner      `json:"top_validator"`
}

// earner is a neuron's earnings over the run: a miner's alpha gained (its
// incentive), a validator's alpha gained on its owner's own stake (its
// take and dividends; the stakers' calls move the rest of its stake).
type earner struct {
	UID    units.UID       `json:"uid"`
	Hotkey units.AccountID `json:"-"`
	Alpha  units.Alpha     `json:"alpha"`
}

type totals struct {
	Emission      units.TAO `json:"emission"`
	Minted        units.TAO `json:"minted"`
	Recycled      units.TAO `json:"recycled"`
	IssuanceStart units.TAO `json:"issuance_start"`
	IssuanceEnd   units.TAO `json:"issuance_end"`
	Epochs        uint64    `json:"epochs_run"`
}

type agentSummary struct {
	StakesAdded   uint64            `json:"stakes_added"`
	StakesRemoved uint64            `json:"stakes_removed"`
	WeightsSet    uint64            `json:"weights_set"`
	Refused       map[string]uint64 `json:"refused"`
}

// simulate runs the simulation a describes, writing --out's files as it
// goes, and returns the summary of the blocks run; the error is ctx's when
// interrupted.
func simulate(ctx context.Context, s *sim.Simulation, g *dtao.GenesisConfig, a *simulateArgs, stderr io.Writer) (*summary, error) {
	l := s.Ledger()
	var netuids []units.NetUID
	for _, id := range l.NetUIDs() {
		if id != dtao.RootNetUID {
			netuids = append(netuids, id)
		}
	}
	index := newSubnetIndex(netuids)
	sum := &summary{Seed: a.seed, BlocksRequested: a.blocks, FirstBlock: l.Block() + 1,
		Subnets: make([]subnetSummary, len(netuids))}
	startEpochs := make([]uint64, len(netuids))
	for i, id := range netuids {
		st, _ := l.Subnet(id)
		sum.Subnets[i] = subnetSummary{NetUID: id, PriceStart: st.Pool.Price().Decimal()}
		startEpochs[i] = st.Schedule.EpochIndex
	}
	sum.Totals.IssuanceStart = l.TotalIssuance()
	neurons := startNeurons(l, g)

	// The block's injections per subnet, from the ledger's events, and
	// the run's sums, each in an array of its own: the summary's records
	// of the subnets lie a line or two apart, so that summing into them
	// read 64 lines a block, misses once the state outgrows the cache
	// (2.6% of a year's run on the benchmark's network, by perf).
	taoIn := make([]units.TAO, len(netuids))
	injected := make([]units.TAO, len(netuids))
	emitted := make([]units.Alpha, len(netuids))
	l.OnEvent(func(e dtao.Event) {
		if e.Kind != dtao.EventEmission {
			return
		}
		if i, ok := index.of(e.NetUID); ok {
			taoIn[i] = taoIn[i].SaturatingAdd(e.TAO)
			emitted[i] = emitted[i].SaturatingAdd(e.Alpha)
		}
	})
	defer l.OnEvent(nil)

	var rec *recorder
	if a.out != "" {
		var err error
		if rec, err = newRecorder(a.out, netuids, a.blocks); err != nil {
			return sum, err
		}
	}
	bar := newProgress(stderr, a.blocks)
	start := time.Now()
	runErr := s.Run(ctx, a.blocks, func(r dtao.BlockReport) {
		sum.BlocksRun++
		sum.LastBlock = r.Block
		t := &sum.Totals
		t.Emission = t.Emission.SaturatingAdd(r.Emission)
		t.Minted = t.Minted.SaturatingAdd(r.Minted)
		t.Recycled = t.Recycled.SaturatingAdd(r.Recycled)
		for i, v := range taoIn {
			injected[i] = injected[i].SaturatingAdd(v)
		}
		if rec != nil {
			rec.block(l, r, taoIn)
		}
		clear(taoIn)
		bar.update(sum.BlocksRun)
	})
	bar.done()
	sum.Seconds = time.Since(start).Seconds()
	for i := range sum.Subnets {
		sum.Subnets[i].TAOInjected, sum.Subnets[i].AlphaEmitted = injected[i], emitted[i]
	}
	sum.Interrupted = errors.Is(runErr, context.Canceled)
	if runErr != nil && !sum.Interrupted {
		if rec != nil {
			rec.close()
		}
		return sum, runErr
	}

	for i, id := range netuids {
		st, _ := l.Subnet(id)
		ss := &sum.Subnets[i]
		ss.PriceEnd = st.Pool.Price().Decimal()
		ss.MovingPriceEnd = st.MovingPrice.String()
		ss.TAOReserveEnd = st.Pool.TAO
		ss.Epochs = st.Schedule.EpochIndex - startEpochs[i]
		sum.Totals.Epochs += ss.Epochs
		ss.TopMiner, ss.TopValidator = topEarners(l, id, neurons[id])
	}
	sum.Totals.IssuanceEnd = l.TotalIssuance()
	st := s.Stats()
	sum.Agents = agentSummary{StakesAdded: st.StakesAdded, StakesRemoved: st.StakesRemoved,
		WeightsSet: st.WeightsSet, Refused: st.Refused}
	h := l.StateHash()
	sum.StateHash = hex.EncodeToString(h[:])
	if rec != nil {
		if err := rec.finish(s); err != nil {
			return sum, err
		}
	}
	return sum, runErr
}

// subnetIndex maps a netuid to its place in the run's list of subnets:
// slot id holds the place plus one, 0 for a netuid not in the list. The
// emission listener looks a subnet up 64 times a block on the benchmark's
// network, and a slice indexed by the netuid costs a load where a map
// lookup hashed the key (5% of a run's time with a map, by perf).
type subnetIndex []int32

func newSubnetIndex(netuids []units.NetUID) subnetIndex {
	var n int
	for _, id := range netuids {
		n = max(n, int(id)+1)
	}
	ix := make(subnetIndex, n)
	for i, id := range netuids {
		ix[id] = int32(i) + 1
	}
	return ix
}

// of returns id's place, and false for a netuid not in the list.
func (ix subnetIndex) of(id units.NetUID) (int, bool) {
	if int(id) >= len(ix) || ix[id] == 0 {
		return 0, false
	}
	return int(ix[id]) - 1, true
}

// print writes the summary as a table.
func (s *summary) print(w io.Writer) {
	status := ""
	if s.Interrupted {
		status = fmt.Sprintf(" (interrupted: %d of %d)", s.BlocksRun, s.BlocksRequested)
	}
	fmt.Fprintf(w, "dtao simulate: %d blocks, %d → %d%s, seed %d, %d subnets, %.1fs\n\n",
		s.BlocksRun, s.FirstBlock, s.LastBlock, status, s.Seed, len(s.Subnets), s.Seconds)
	rows := [][]string{{"netuid", "price start", "price end", "moving price", "TAO injected", "alpha emitted", "epochs", "top miner", "top validator"}}
	for _, n := range s.Subnets {
		rows = append(rows, []string{
			fmt.Sprint(n.NetUID), "τ" + roundDecimal(n.PriceStart, 9), "τ" + roundDecimal(n.PriceEnd, 9),
			"τ" + roundDecimal(n.MovingPriceEnd, 9), n.TAOInjected.String(),
			alphaText(n.AlphaEmitted), fmt.Sprint(n.Epochs), n.TopMiner.text(), n.TopValidator.text(),
		})
	}
	writeTable(w, rows)
	t := s.Totals
	fmt.Fprintf(w, "\nemission %s: minted %s, recycled %s; %d epochs\n", t.Emission, t.Minted, t.Recycled, t.Epochs)
	fmt.Fprintf(w, "issuance %s → %s\n", t.IssuanceStart, t.IssuanceEnd)
	ag := s.Agents
	fmt.Fprintf(w, "agents: %d stakes added, %d removed, %d weights set, %d calls refused%s\n",
		ag.StakesAdded, ag.StakesRemoved, ag.WeightsSet, refusedTotal(ag.Refused), refusedList(ag.Refused))
	fmt.Fprintf(w, "state hash: %s\n", s.StateHash)
}

// alphaText prints alpha as the SDK does, without its direction marks.
func alphaText(a units.Alpha) string {
	return strings.ReplaceAll(a.String(), "\u200e", "")
}

func (e *earner) text() string {
	if e == nil {
		return "-"
	}
	return fmt.Sprintf("uid %d +%s", e.UID, alphaText(e.Alpha))
}

// neuron is one uid of a subnet at the start: what it held.
type neuron struct {
	uid       units.UID
	hotkey    units.AccountID
	coldkey   units.AccountID
	validator bool
	owner     bool        // the owner's hotkey, paid the owner cut
	start     units.Alpha // a miner's total alpha, a validator's own stake
}

// startNeurons reads each subnet's neurons from the genesis, with what
// they hold at the start.
func startNeurons(l *dtao.Ledger, g *dtao.GenesisConfig) map[units.NetUID][]neuron {
	out := make(map[units.NetUID][]neuron)
	for _, sn := range g.Subnets {
		st := sn.Storage
		if st == nil {
			continue
		}
		ns := make([]neuron, len(st.Keys))
		for uid, hk := range st.Keys {
			n := neuron{uid: units.UID(uid), hotkey: hk, coldkey: st.Owners[uid],
				validator: uid < len(st.ValidatorPermit) && st.ValidatorPermit[uid],
				owner:     hk == sn.OwnerHotkey}
			if n.validator {
				n.start = l.Stake(hk, n.coldkey, sn.NetUID)
			} else {
				n.start = l.TotalHotkeyAlpha(hk, sn.NetUID)
			}
			ns[uid] = n
		}
		out[sn.NetUID] = ns
	}
	return out
}

// topEarners returns the miner and the validator of netuid that gained
// the most alpha since the start (nil when none gained), the owner's
// hotkey, which the owner cut pays, left out.
func topEarners(l *dtao.Ledger, netuid units.NetUID, ns []neuron) (miner, validator *earner) {
	for _, n := range ns {
		var now units.Alpha
		if n.validator {
			now = l.Stake(n.hotkey, n.coldkey, netuid)
		} else {
			now = l.TotalHotkeyAlpha(n.hotkey, netuid)
		}
		gain := now.SaturatingSub(n.start)
		if gain == 0 || n.owner {
			continue
		}
		top := &miner
		if n.validator {
			top = &validator
		}
		if *top == nil || gain > (*top).Alpha {
			*top = &earner{UID: n.uid, Hotkey: n.hotkey, Alpha: gain}
		}
	}
	return miner, validator
}

func refusedTotal(m map[string]uint64) uint64 {
	var n uint64
	for _, v := range m {
		n += v
	}
	return n
}

// refusedList lists the refusals by name, most frequent first.
func refusedList(m map[string]uint64) string {
	if len(m) == 0 {
		return ""
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int {
		if m[a] != m[b] {
			if m[a] > m[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %d", n, m[n])
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// roundDecimal cuts a decimal string to at most digits decimals, for
// the table (--json prints every digit).
func roundDecimal(s string, digits int) string {
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) <= digits {
		return s
	}
	return whole + "." + frac[:digits]
}

// writeTable writes rows with right-aligned columns.
func writeTable(w io.Writer, rows [][]string) {
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(strings.Repeat(" ", width[i]-len([]rune(c))))
			b.WriteString(c)
		}
		fmt.Fprintln(w, b.String())
	}
}

// progress draws a bar on a terminal, at most ten times a second and only
// once the run has taken a second.
type progress struct {
	w           io.Writer
	total       uint64
	start, last time.Time
	drawn       bool
}

// newProgress returns a bar on w when w is a terminal, else one that
// draws nothing.
func newProgress(w io.Writer, total uint64) *progress {
	f, ok := w.(*os.File)
	if !ok {
		return &progress{}
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return &progress{}
	}
	return &progress{w: w, total: total, start: time.Now()}
}

func (p *progress) update(n uint64) {
	if p.w == nil {
		return
	}
	now := time.Now()
	if now.Sub(p.start) < time.Second || now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	const width = 40
	fill := int(n * width / p.total)
	elapsed := now.Sub(p.start).Seconds()
	eta := elapsed / float64(n) * float64(p.total-n)
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d blocks  %.0fs left ", strings.Repeat("#", fill), strings.Repeat(".", width-fill), n, p.total, eta)
	p.drawn = true
}

// done clears the bar.
func (p *progress) done() {
	if p.drawn {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 78))
	}
}
