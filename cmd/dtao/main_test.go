package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRunExitCodes(t *testing.T) {
	good := `{"id":"a","kind":"block_emission","input":{"issuance":0},"expect":{"output":{"emission":1000000000}}}`
	bad := `{"id":"b","kind":"block_emission","input":{"issuance":0},"expect":{"output":{"emission":7}}}`

	cases := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		contains string
	}{
		{"answers", []string{"vector"}, good, 0, `{"id":"a","output":{"emission":1000000000}}`},
		{"failing cases still exit 0 without --check", []string{"vector"}, bad, 0, `"emission":1000000000`},
		{"check passes", []string{"vector", "--check"}, good, 0, "1 passed, 0 failed"},
		{"check fails", []string{"vector", "--check"}, good + "\n" + bad, 1, "1 passed, 1 failed"},
		{"check fails on a line that is not a case", []string{"vector", "--check"}, good + "\nnot json at all", 1, "1 passed, 1 failed"},
		{"check fails on a case without a kind", []string{"vector", "--check"}, good + "\n" + `{"id":"c","input":{},"expect":{"error":"BadVector"}}`, 1, "1 passed, 1 failed"},
		{"no command", nil, "", 2, ""},
		{"unknown command", []string{"frobnicate"}, "", 2, ""},
		{"stray argument", []string{"vector", "cases.jsonl"}, "", 2, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(c.args, strings.NewReader(c.stdin), &stdout, &stderr)
			require.Equal(t, c.code, code, "stdout %q stderr %q", stdout.String(), stderr.String())
			require.Contains(t, stdout.String(), c.contains)
		})
	}
}

// Pool S1 of testdata/swap.jsonl (general weights, the pow fallback path;
// pallets/swap/src/pallet/balancer.rs at 14bc6f9f): a buy of 1e14 rao with
// a limit 1% above the spot price fills to the limit.
func TestQuote(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"quote", "--tao", "12345.678901234", "--alpha", "987654.321098765",
		"--weight", "483726152637485912", "--limit", "13474477", "buy", "100000"}, strings.NewReader(""), &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	require.Equal(t, "paid in:    63583772024 rao TAO (net of fee)\n"+
		"fee:        32033594 rao TAO\n"+
		"paid out:   4742365122036 rao alpha\n"+
		"price:      13341067 -> 13474476 rao per alpha\n", stdout.String())
}

func TestQuoteErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"quote", "--tao", "1000", "--alpha", "4000", "sell", "0.000000001"}, 1, "reserves too low"},
		{[]string{"quote", "--tao", "1000", "--alpha", "4000", "hold", "1"}, 2, "want buy or sell"},
		{[]string{"quote", "--tao", "-1", "--alpha", "4000", "buy", "1"}, 2, "--tao"},
		{[]string{"quote", "--tao", "1", "--alpha", "4000", "--weight", "1000000000000000001", "buy", "1"}, 2, "exceeds 1e18"},
		{[]string{"quote", "buy", "1"}, 2, "usage"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		code := run(c.args, strings.NewReader(""), &stdout, &stderr)
		require.Equal(t, c.code, code, "%v", c.args)
		require.Contains(t, stdout.String()+stderr.String(), c.want, "%v", c.args)
	}
}

// `dtao vector -h` states the runner's limits.
func TestVectorHelpStatesLimits(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"vector", "-h"}, strings.NewReader(""), &stdout, &stderr)
	require.Equal(t, 2, code)
	for _, want := range []string{"16777216 bytes (16 MiB)", "64 bytes", "n <= 4096", "4096 subnets", "1024 junctions", "--check", "docs/conformance.md"} {
		require.Contains(t, stderr.String(), want)
	}
}

// An over-long line through the command: BadVector with its id, and the
// next line is still answered.
func TestVectorOverLongLine(t *testing.T) {
	big := `{"id":"big","kind":"block_emission","input":{"issuance":0},"pad":"` + strings.Repeat("x", 17<<20) + `"}`
	next := `{"id":"next","kind":"block_emission","input":{"issuance":0}}`
	var stdout, stderr bytes.Buffer
	code := run([]string{"vector"}, strings.NewReader(big+"\n"+next+"\n"), &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	require.Equal(t, `{"id":"big","error":"BadVector: line longer than 16777216 bytes"}`+"\n"+
		`{"id":"next","output":{"emission":1000000000}}`+"\n", stdout.String())
}

// The command's package doc points at the conformance format, and the file
// it names ships with the module.
func TestDocNamesConformanceFormat(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	require.NoError(t, err)
	require.NotNil(t, f.Doc)
	require.Contains(t, f.Doc.Text(), "docs/conformance.md")
	_, err = os.Stat(filepath.Join("..", "..", "docs", "conformance.md"))
	require.NoError(t, err)
}
