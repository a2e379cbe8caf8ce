package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/sim"
)

var hashLine = regexp.MustCompile(`(?m)^state hash: ([0-9a-f]{64})$`)

// Two runs with the same flags print the same state hash; another seed
// prints another.
func TestSimulateDeterministicHash(t *testing.T) {
	hash := func(args ...string) string {
		code, stdout, stderr := runArgs("", append([]string{"simulate", "--blocks", "200", "--subnets", "2"}, args...)...)
		require.Equal(t, 0, code, stderr)
		require.Empty(t, stderr, "no progress bar off a terminal")
		m := hashLine.FindStringSubmatch(stdout)
		require.NotNil(t, m, stdout)
		require.Contains(t, stdout, "dtao simulate: 200 blocks")
		require.Contains(t, stdout, "netuid")
		return m[1]
	}
	h := hash()
	require.Equal(t, h, hash())
	require.Equal(t, h, hash("--seed", "1"))
	require.NotEqual(t, h, hash("--seed", "2"))
}

// --json prints a summary programs can read, with the hash of the text
// run.
func TestSimulateJSON(t *testing.T) {
	code, stdout, stderr := runArgs("", "simulate", "--blocks", "400", "--subnets", "2", "--json")
	require.Equal(t, 0, code, stderr)
	var sum struct {
		BlocksRun             uint64 `json:"blocks_run"`
		FirstBlock, LastBlock uint64
		Subnets               []struct {
			NetUID       uint16 `json:"netuid"`
			PriceStart   string `json:"price_start"`
			TAOInjected  uint64 `json:"tao_injected"`
			AlphaEmitted uint64 `json:"alpha_emitted"`
			Epochs       uint64 `json:"epochs_run"`
			TopMiner     *struct {
				UID   uint16 `json:"uid"`
				Alpha uint64 `json:"alpha"`
			} `json:"top_miner"`
		} `json:"subnets"`
		Totals struct {
			Emission    uint64 `json:"emission"`
			Minted      uint64 `json:"minted"`
			Recycled    uint64 `json:"recycled"`
			IssuanceEnd uint64 `json:"issuance_end"`
		} `json:"totals"`
		StateHash string `json:"state_hash"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &sum), stdout)
	require.Equal(t, uint64(400), sum.BlocksRun)
	require.Len(t, sum.Subnets, 2)
	require.Equal(t, uint16(1), sum.Subnets[0].NetUID)
	require.NotEmpty(t, sum.Subnets[0].PriceStart)
	require.Positive(t, sum.Subnets[0].AlphaEmitted)
	for _, sn := range sum.Subnets {
		require.Positive(t, sn.Epochs)
		require.NotNil(t, sn.TopMiner, "netuid %d: no miner paid", sn.NetUID)
		require.GreaterOrEqual(t, sn.TopMiner.UID, uint16(64), "a miner's uid follows the validators'")
		require.Positive(t, sn.TopMiner.Alpha)
	}
	require.Equal(t, sum.Totals.Emission, sum.Totals.Minted+sum.Totals.Recycled)
	require.Positive(t, sum.Totals.Emission)
	_, text, _ := runArgs("", "simulate", "--blocks", "400", "--subnets", "2")
	require.Equal(t, hashLine.FindStringSubmatch(text)[1], sum.StateHash)
}

// countdown is a context that reports cancellation after n checks.
type countdown struct {
	context.Context
	n int
}

func (c *countdown) Err() error {
	if c.n <= 0 {
		return context.Canceled
	}
	c.n--
	return nil
}

// useContext makes the next simulations run under ctx.
func useContext(t *testing.T, ctx context.Context) {
	old := simulateContext
	simulateContext = func() (context.Context, context.CancelFunc) { return ctx, func() {} }
	t.Cleanup(func() { simulateContext = old })
}

// --out writes a CSV per series with a header and a row per block, and
// non-empty PNG charts.
func TestSimulateOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runArgs("", "simulate", "--blocks", "50", "--subnets", "2", "--out", dir)
	require.Equal(t, 0, code, stderr)
	checkOut(t, dir, 50)
}

func checkOut(t *testing.T, dir string, rows int) {
	t.Helper()
	headers := map[string]string{
		"blocks.csv":       "block,emission,minted,recycled,total_issuance,epochs_run",
		"price.csv":        "block,sn1,sn2",
		"moving_price.csv": "block,sn1,sn2",
		"tao_reserve.csv":  "block,sn1,sn2",
		"tao_in.csv":       "block,sn1,sn2",
	}
	for name, header := range headers {
		f, err := os.Open(filepath.Join(dir, name))
		require.NoError(t, err)
		sc := bufio.NewScanner(f)
		var lines []string
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		require.NoError(t, f.Close())
		require.Len(t, lines, rows+1, name)
		require.Equal(t, header, lines[0], name)
		cols := strings.Count(header, ",")
		for _, l := range lines[1:] {
			require.Equal(t, cols, strings.Count(l, ","), "%s: %q", name, l)
		}
		require.True(t, strings.HasPrefix(lines[1], "7201,"), "%s: %q", name, lines[1])
	}
	for _, name := range []string{"price.png", "moving_price.png", "tao_reserve.png", "emission.png", "issuance.png", "stake.png"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		require.Greater(t, len(b), 1000, name)
		require.Equal(t, "\x89PNG\r\n\x1a\n", string(b[:8]), name)
	}
}

// Ctrl-C stops after the current block: the summary of the blocks run,
// the --out files up to them, a line on stderr and exit 130.
func TestSimulateInterrupted(t *testing.T) {
	useContext(t, &countdown{Context: context.Background(), n: 10})
	dir := t.TempDir()
	code, stdout, stderr := runArgs("", "simulate", "--blocks", "1000", "--subnets", "2", "--out", dir)
	require.Equal(t, 130, code, stderr)
	require.Equal(t, "dtao simulate: interrupted after 10 of 1000 blocks\n", stderr)
	require.Contains(t, stdout, "dtao simulate: 10 blocks, 7201 → 7210 (interrupted: 10 of 1000)")
	require.Regexp(t, hashLine, stdout)
	checkOut(t, dir, 10)

	useContext(t, &countdown{Context: context.Background(), n: 10})
	code, stdout, _ = runArgs("", "simulate", "--blocks", "1000", "--subnets", "2", "--json")
	require.Equal(t, 130, code)
	require.Contains(t, stdout, `"interrupted": true`)
	require.Contains(t, stdout, `"blocks_run": 10`)
}

// Usage errors name what is wrong and exit 2 with the pointer to the help.
func TestSimulateUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--blocks", "many"}, `dtao simulate: invalid value "many" for --blocks: parse error`},
		{[]string{"--blocks", "0"}, "dtao simulate: --blocks 0: want at least 1 block"},
		{[]string{"--subnets", "0"}, "dtao simulate: --subnets 0: want 1 to 128"},
		{[]string{"--subnets", "129"}, "dtao simulate: --subnets 129: want 1 to 128"},
		{[]string{"--seed", "-1"}, `dtao simulate: invalid value "-1" for --seed: parse error`},
		{[]string{"--frobnicate"}, "dtao simulate: unknown flag --frobnicate"},
		{[]string{"--out"}, "dtao simulate: flag --out needs a value"},
		{[]string{"now"}, `dtao simulate: unexpected argument "now"`},
	} {
		code, stdout, stderr := runArgs("", append([]string{"simulate"}, c.args...)...)
		require.Equal(t, 2, code, "%v: %s", c.args, stderr)
		require.Empty(t, stdout)
		first, rest, _ := strings.Cut(stderr, "\n")
		require.Equal(t, c.want, first)
		require.Equal(t, "Run 'dtao simulate -h' for usage.\n", rest)
	}
}

// An --out directory that cannot be made is a runtime error: one line,
// exit 1.
func TestSimulateOutError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	code, stdout, stderr := runArgs("", "simulate", "--blocks", "5", "--subnets", "1", "--out", filepath.Join(file, "dir"))
	require.Equal(t, 1, code)
	require.Empty(t, stdout)
	require.True(t, strings.HasPrefix(stderr, "dtao simulate: "), stderr)
	require.Equal(t, 1, strings.Count(stderr, "\n"), stderr)
}

func TestSimulateHelp(t *testing.T) {
	for _, args := range [][]string{{"simulate", "-h"}, {"help", "simulate"}} {
		code, stdout, stderr := runArgs("", args...)
		require.Equal(t, 0, code)
		require.Empty(t, stderr)
		for _, w := range []string{"usage: dtao simulate", "examples:", "--blocks", "--seed", "--subnets", "--out", "--json", "exits 130", "--genesis"} {
			require.Contains(t, stdout, w)
		}
	}
}

// writeGenesis writes the default network of n subnets as a JSON genesis.
func writeGenesis(t *testing.T, subnets int) string {
	t.Helper()
	cfg := sim.DefaultConfig()
	cfg.Subnets = subnets
	g, err := sim.Genesis(cfg)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "genesis.json")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, dtao.WriteGenesisJSON(f, g))
	require.NoError(t, f.Close())
	return path
}

// --genesis runs the network of a JSON genesis: the default network
// written out runs as the default network does.
func TestSimulateGenesisFile(t *testing.T) {
	path := writeGenesis(t, 2)
	code, stdout, stderr := runArgs("", "simulate", "--genesis", path, "--blocks", "400")
	require.Equal(t, 0, code, stderr)
	_, want, _ := runArgs("", "simulate", "--subnets", "2", "--blocks", "400")
	require.Equal(t, hashLine.FindStringSubmatch(want)[1], hashLine.FindStringSubmatch(stdout)[1])
	require.Contains(t, stdout, "uid ", "miners and validators earned")
}

// A genesis file the parser refuses is one line naming the key, exit 1;
// a missing file likewise.
func TestSimulateBadGenesis(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"Block": 1, "Acount": []}`), 0o644))
	for _, c := range []struct{ path, want string }{
		{bad, "Acount"},
		{filepath.Join(dir, "missing.json"), "missing.json"},
	} {
		code, stdout, stderr := runArgs("", "simulate", "--genesis", c.path, "--blocks", "5")
		require.Equal(t, 1, code, stderr)
		require.Empty(t, stdout)
		require.True(t, strings.HasPrefix(stderr, "dtao simulate: "), stderr)
		require.Contains(t, stderr, c.want)
		require.Equal(t, 1, strings.Count(stderr, "\n"), stderr)
	}
	code, _, stderr := runArgs("", "simulate", "--genesis", bad, "--subnets", "3")
	require.Equal(t, 2, code)
	require.True(t, strings.HasPrefix(stderr, "dtao simulate: --subnets and --genesis both given"), stderr)
}

// The summary's sums by subnet are the run's: TAO injected is the sum of
// tao_in.csv's column, alpha emitted the sum of the emission events of
// the same run made through the library.
func TestSimulateSums(t *testing.T) {
	const blocks = 120
	dir := t.TempDir()
	code, stdout, stderr := runArgs("", "simulate", "--blocks", "120", "--subnets", "3", "--seed", "4", "--json", "--out", dir)
	require.Equal(t, 0, code, stderr)
	var sum struct {
		Subnets []struct {
			NetUID       uint16 `json:"netuid"`
			TAOInjected  uint64 `json:"tao_injected"`
			AlphaEmitted uint64 `json:"alpha_emitted"`
		} `json:"subnets"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &sum), stdout)
	require.Len(t, sum.Subnets, 3)

	b, err := os.ReadFile(filepath.Join(dir, "tao_in.csv"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	require.Len(t, lines, blocks+1)
	injected := make([]uint64, 3)
	for _, l := range lines[1:] {
		cols := strings.Split(l, ",")
		require.Len(t, cols, 4)
		for i := range injected {
			v, err := strconv.ParseUint(cols[i+1], 10, 64)
			require.NoError(t, err)
			injected[i] += v
		}
	}

	cfg := sim.DefaultConfig()
	cfg.Subnets, cfg.Seed = 3, 4
	s, err := sim.New(cfg)
	require.NoError(t, err)
	emitted := map[uint16]uint64{}
	s.Ledger().OnEvent(func(e dtao.Event) {
		if e.Kind == dtao.EventEmission {
			emitted[uint16(e.NetUID)] += e.Alpha.Rao()
		}
	})
	require.NoError(t, s.Run(context.Background(), blocks, nil))

	for i, sn := range sum.Subnets {
		require.Positive(t, sn.TAOInjected, "netuid %d", sn.NetUID)
		require.Equal(t, injected[i], sn.TAOInjected, "netuid %d: TAO injected", sn.NetUID)
		require.Positive(t, sn.AlphaEmitted, "netuid %d", sn.NetUID)
		require.Equal(t, emitted[sn.NetUID], sn.AlphaEmitted, "netuid %d: alpha emitted", sn.NetUID)
	}
}
