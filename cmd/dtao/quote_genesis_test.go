package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/units"
)

// writeGenesisJSON writes g as a JSON genesis file and returns its path.
func writeGenesisJSON(t *testing.T, g dtao.GenesisConfig) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, dtao.WriteGenesisJSON(&b, g))
	path := filepath.Join(t.TempDir(), "genesis.json")
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o600))
	return path
}

// account is a test account whose bytes are all b.
func account(b byte) units.AccountID {
	var a units.AccountID
	for i := range a {
		a[i] = b
	}
	return a
}

// quoteNetwork is a genesis with a root subnet and subnet 3 holding
// TestQuoteForms's pool (τ125,000 and 9,800,000α, weight 0.5, fee 33).
func quoteNetwork(t *testing.T) string {
	t.Helper()
	g := dtao.NewBuilder().
		Root(1_000*units.RaoPerTAO).
		Subnet(3, account(1), account(2), 125_000*units.RaoPerTAO, units.Alpha(9_800_000*units.RaoPerTAO)).
		Genesis()
	g.Block = 1234
	return writeGenesisJSON(t, g)
}

// --genesis --netuid quotes the subnet's pool: the numbers are those of
// the same pool given by flags (TestQuoteForms: 10τ buys 783.542566761α),
// after a line naming the subnet, the file and its block.
func TestQuoteGenesis(t *testing.T) {
	path := quoteNetwork(t)
	code, stdout, stderr := runArgs("", "quote", "--genesis", path, "--netuid", "3", "--buy", "10τ", "--limit", "0.013")
	require.Equal(t, 0, code, stderr)
	require.Empty(t, stderr)
	first, rest, _ := strings.Cut(stdout, "\n")
	require.Equal(t, "subnet:          3 of "+path+" at block 1234", first)
	require.Contains(t, rest, "receive:         \u200e783.542566761α\u200e\n")
	require.Contains(t, rest, "max at limit:    ")
	_, byFlags, _ := runArgs("", "quote", "--tao", "125000", "--alpha", "9800000", "--buy", "10τ", "--limit", "0.013")
	require.Equal(t, byFlags, rest)

	// The positional order and a sell work as without --genesis.
	code, stdout, stderr = runArgs("", "quote", "sell", "12.5", "--genesis", path, "--netuid", "3")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "sell:            \u200e12.493705654α\u200e (net of the fee)\n")
}

// The default network's pools differ per subnet; each netuid's quote is
// the quote of that subnet's pool, weight and fee rate by flags.
func TestQuoteGenesisDefaultNetwork(t *testing.T) {
	path := writeGenesis(t, 2)
	f, err := os.Open(path)
	require.NoError(t, err)
	g, err := dtao.ParseGenesisJSON(f)
	require.NoError(t, f.Close())
	require.NoError(t, err)
	seen := 0
	for _, s := range g.Subnets {
		if s.NetUID == 0 {
			continue
		}
		seen++
		p := s.Pool
		code, stdout, stderr := runArgs("", "quote", "--genesis", path, "--netuid", strconv.Itoa(int(s.NetUID)), "--buy", "1")
		require.Equal(t, 0, code, stderr)
		_, rest, _ := strings.Cut(stdout, "\n")
		_, byFlags, stderr := runArgs("", "quote", "--tao", p.TAO.Decimal(), "--alpha", p.AlphaIn.Decimal(),
			"--weight", strconv.FormatUint(p.QuoteWeight.Parts(), 10), "--fee", strconv.Itoa(int(p.FeeRate)), "--buy", "1")
		require.Empty(t, stderr)
		require.Equal(t, byFlags, rest, "netuid %d", s.NetUID)
	}
	require.Equal(t, 2, seen)
}

// --json carries the genesis subnet in a "genesis" object; the rest is
// the quote of the pool by flags.
func TestQuoteGenesisJSON(t *testing.T) {
	path := quoteNetwork(t)
	code, stdout, stderr := runArgs("", "quote", "--genesis", path, "--netuid", "3", "--buy", "10", "--json")
	require.Equal(t, 0, code, stderr)
	var got map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	var gen struct {
		File   string `json:"file"`
		NetUID int    `json:"netuid"`
		Block  uint64 `json:"block"`
	}
	require.NoError(t, json.Unmarshal(got["genesis"], &gen))
	require.Equal(t, path, gen.File)
	require.Equal(t, 3, gen.NetUID)
	require.Equal(t, uint64(1234), gen.Block)
	require.JSONEq(t, `{"tao":125000000000000,"alpha":9800000000000000,"quote_weight":500000000000000000,"fee_rate":33}`, string(got["pool"]))
	require.Equal(t, "783542566761", string(got["paid_out"]))
}

// A file that is not a genesis, or one NewLedger refuses, is one line on
// stderr naming the file and the field, exit 1; so is a netuid the
// genesis does not hold, named with the netuids it does.
func TestQuoteGenesisRuntimeErrors(t *testing.T) {
	dir := t.TempDir()
	unknownKey := filepath.Join(dir, "unknown.json")
	require.NoError(t, os.WriteFile(unknownKey, []byte(`{"Block": 1, "Acount": []}`), 0o600))
	notJSON := filepath.Join(dir, "text.json")
	require.NoError(t, os.WriteFile(notJSON, []byte("block = 1\n"), 0o600))
	// An account below the existential deposit (500 rao): NewLedger names
	// the field and the entry.
	dust := dtao.NewBuilder().Root(1_000*units.RaoPerTAO).Account(account(9), 1).Genesis()
	dustPath := writeGenesisJSON(t, dust)
	network := quoteNetwork(t)

	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown key", []string{"--genesis", unknownKey, "--netuid", "1"}, []string{"dtao quote: " + unknownKey + ": ", "Acount"}},
		{"not JSON", []string{"--genesis", notJSON, "--netuid", "1"}, []string{"dtao quote: " + notJSON + ": "}},
		{"missing file", []string{"--genesis", filepath.Join(dir, "missing.json"), "--netuid", "1"}, []string{"dtao quote: ", "missing.json"}},
		{"genesis NewLedger refuses", []string{"--genesis", dustPath, "--netuid", "0"}, []string{"dtao quote: " + dustPath + ": ", "invalid genesis", "Accounts[0]", "existential deposit"}},
		{"netuid not in the genesis", []string{"--genesis", network, "--netuid", "7"}, []string{
			"dtao quote: " + network + ": netuid 7 is not a subnet of the genesis (its netuids: 0, 3)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runArgs("", append(append([]string{"quote"}, c.args...), "--buy", "1")...)
			require.Equal(t, 1, code, stderr)
			require.Empty(t, stdout)
			require.Equal(t, 1, strings.Count(stderr, "\n"), stderr)
			require.True(t, strings.HasPrefix(stderr, c.want[0]), "stderr %q, want prefix %q", stderr, c.want[0])
			for _, w := range c.want[1:] {
				require.Contains(t, stderr, w)
			}
		})
	}
}

// --genesis with a pool flag, --netuid without --genesis or missing, and
// a netuid that is not one are usage errors: one line naming the flag,
// exit 2, and the file is not read (it does not exist).
func TestQuoteGenesisUsageErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.json")
	gen := []string{"--genesis", missing, "--netuid", "3"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"with --tao", append(gen, "--tao", "1000", "--buy", "1"), "--genesis and --tao both given: with --genesis the pool is the genesis subnet's"},
		{"with --alpha", append(gen, "--alpha", "1000", "--buy", "1"), "--genesis and --alpha both given: with --genesis the pool is the genesis subnet's"},
		{"with --weight", append(gen, "--weight", "0.5", "--buy", "1"), "--genesis and --weight both given: with --genesis the pool is the genesis subnet's"},
		{"with --fee", append(gen, "--fee", "33", "--buy", "1"), "--genesis and --fee both given: with --genesis the pool is the genesis subnet's"},
		{"without --netuid", []string{"--genesis", missing, "--buy", "1"}, "missing flag --netuid: --genesis needs the subnet to quote (e.g. --netuid 3)"},
		{"netuid not a number", []string{"--genesis", missing, "--netuid", "three", "--buy", "1"}, `--netuid "three": want a subnet's netuid, an integer from 0 to 65535`},
		{"netuid beyond u16", []string{"--genesis", missing, "--netuid", "65536", "--buy", "1"}, `--netuid "65536": want a subnet's netuid, an integer from 0 to 65535`},
		{"netuid without --genesis", []string{"--tao", "1000", "--alpha", "4000", "--netuid", "3", "--buy", "1"}, "--netuid without --genesis: a netuid names a subnet of a genesis file (give --genesis FILE)"},
		{"missing order", gen, "missing the order: give --buy TAO or --sell ALPHA"},
		{"bad amount", append(gen, "--buy", "1α"), `--buy "1α": units: invalid amount syntax`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runArgs("", append([]string{"quote"}, c.args...)...)
			require.Equal(t, 2, code, "stderr %q", stderr)
			require.Empty(t, stdout)
			first, rest, _ := strings.Cut(stderr, "\n")
			require.True(t, strings.HasPrefix(first, "dtao quote: "+c.want), "got %q\nwant prefix %q", first, "dtao quote: "+c.want)
			require.Equal(t, "Run 'dtao quote -h' for usage.\n", rest)
		})
	}
}

// The help names the flags and shows a --genesis example.
func TestQuoteGenesisHelp(t *testing.T) {
	code, stdout, _ := runArgs("", "quote", "-h")
	require.Equal(t, 0, code)
	for _, w := range []string{"dtao quote --genesis FILE --netuid N", "--genesis FILE", "--netuid NETUID", "dtao quote --genesis genesis.json --netuid 3"} {
		require.Contains(t, stdout, w)
	}
}
