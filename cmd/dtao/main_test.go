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

// runArgs runs the command with args and stdin.
func runArgs(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

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
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runArgs(c.stdin, c.args...)
			require.Equal(t, c.code, code, "stdout %q stderr %q", stdout, stderr)
			require.Contains(t, stdout, c.contains)
		})
	}
}

// Every usage error is one line naming what is wrong, then a pointer to the
// help, on stderr, with exit 2 and nothing on stdout.
func TestUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string // the first line of stderr
		help string // the help it points to
	}{
		{"no command", nil, "dtao: missing command", "dtao <command>"},
		{"unknown command", []string{"frobnicate"}, `dtao: unknown command "frobnicate" (commands: quote, simulate, vector, version)`, "Run 'dtao -h' for usage."},
		{"flag before the command", []string{"--check"}, `dtao: unknown flag "--check" before the command (commands: quote, simulate, vector, version)`, "Run 'dtao -h' for usage."},
		{"help of an unknown command", []string{"help", "frobnicate"}, `dtao help: unknown command "frobnicate" (commands: quote, simulate, vector, version)`, "Run 'dtao -h' for usage."},
		{"help with two commands", []string{"help", "quote", "vector"}, `dtao help: unexpected argument "vector"`, "Run 'dtao -h' for usage."},
		{"stray argument to -h", []string{"-h", "quote"}, `dtao: unexpected argument "quote" after -h`, "Run 'dtao -h' for usage."},
		{"vector: stray argument after a flag", []string{"vector", "--check", "cases.jsonl"}, `dtao vector: unexpected argument "cases.jsonl" (cases come on stdin)`, "Run 'dtao vector -h' for usage."},
		{"vector: stray argument after --", []string{"vector", "--", "--check"}, `dtao vector: unexpected argument "--check" (cases come on stdin)`, "Run 'dtao vector -h' for usage."},
		{"vector: stray argument", []string{"vector", "cases.jsonl"}, `dtao vector: unexpected argument "cases.jsonl" (cases come on stdin)`, "Run 'dtao vector -h' for usage."},
		{"vector: unknown flag", []string{"vector", "--chek"}, "dtao vector: unknown flag --chek", "Run 'dtao vector -h' for usage."},
		{"vector: bad boolean", []string{"vector", "--check=maybe"}, `dtao vector: invalid boolean value "maybe" for --check: parse error`, "Run 'dtao vector -h' for usage."},
		{"version: stray argument", []string{"version", "now"}, `dtao version: unexpected argument "now"`, "Run 'dtao version -h' for usage."},
		{"version: unknown flag", []string{"version", "--short"}, "dtao version: unknown flag --short", "Run 'dtao version -h' for usage."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runArgs("", c.args...)
			require.Equal(t, 2, code, "stderr %q", stderr)
			require.Empty(t, stdout)
			first, rest, _ := strings.Cut(stderr, "\n")
			require.Equal(t, c.want, first)
			require.Contains(t, rest, c.help)
		})
	}
}

// help, -h and --help, for the tool and for each command, print the usage
// with examples on stdout and exit 0.
func TestHelp(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"help"}, []string{"usage: dtao <command>", "quote", "vector", "version", "examples:", "dtao quote --tao 125000 --alpha 9800000 --buy 10τ"}},
		{[]string{"-h"}, []string{"usage: dtao <command>", "examples:"}},
		{[]string{"--help"}, []string{"usage: dtao <command>", "examples:"}},
		{[]string{"help", "quote"}, []string{"usage: dtao quote", "examples:", "--limit", "--json"}},
		{[]string{"quote", "-h"}, []string{"usage: dtao quote", "examples:", "--tao", "--alpha", "--buy", "--sell", "--limit", "--weight", "--fee", "--json"}},
		{[]string{"quote", "--help"}, []string{"usage: dtao quote", "examples:"}},
		{[]string{"quote", "--tao", "1", "-h"}, []string{"usage: dtao quote"}},
		{[]string{"vector", "-h"}, []string{"usage: dtao vector", "examples:", "--check", "docs/conformance.md"}},
		{[]string{"help", "vector"}, []string{"usage: dtao vector", "docs/conformance.md"}},
		{[]string{"version", "--help"}, []string{"usage: dtao version", "examples:"}},
		{[]string{"help", "version"}, []string{"usage: dtao version"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stdout, stderr := runArgs("", c.args...)
			require.Equal(t, 0, code, "stderr %q", stderr)
			require.Empty(t, stderr)
			for _, w := range c.want {
				require.Contains(t, stdout, w)
			}
		})
	}
}

// `dtao vector -h` states the runner's limits, lists every kind and points
// to the format document.
func TestVectorHelpStatesLimitsAndKinds(t *testing.T) {
	code, stdout, _ := runArgs("", "vector", "-h")
	require.Equal(t, 0, code)
	for _, want := range []string{"16777216 bytes (16 MiB)", "64 bytes", "n <= 4096", "4096 subnets", "1024 junctions", "--check", "docs/conformance.md"} {
		require.Contains(t, stdout, want)
	}
	_, kindsText, ok := strings.Cut(stdout, "kinds:\n")
	require.True(t, ok)
	kindsText, _, _ = strings.Cut(kindsText, "\n\n")
	listed := strings.FieldsFunc(kindsText, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
	// The kinds of docs/conformance.md, in order.
	require.Equal(t, []string{"block_emission", "burn_price", "coinbase", "distribute", "epoch", "inject", "keypair",
		"lock_cost", "pow_ratio_scaled", "price", "prune", "share_pool", "ss58", "swap"}, listed)
	for _, line := range strings.Split(stdout, "\n") {
		require.LessOrEqual(t, len(line), 100, "%q", line)
	}
}

// A runtime error of vector (its input cannot be read) is one line on
// stderr with exit 1.
func TestVectorReadError(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"vector"}, failingReader{}, &stdout, &stderr)
	require.Equal(t, 1, code)
	require.Equal(t, "dtao vector: vector: reading input: read failed\n", stderr.String())
	require.Empty(t, stdout.String())
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errReadFailed }

var errReadFailed = errorString("read failed")

type errorString string

func (e errorString) Error() string { return string(e) }

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

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// Every example the helps show runs as shown and exits 0.
func TestHelpExamplesRun(t *testing.T) {
	var examples []string
	for _, args := range [][]string{{"help"}, {"quote", "-h"}, {"simulate", "-h"}, {"vector", "-h"}, {"version", "-h"}} {
		_, stdout, _ := runArgs("", args...)
		_, ex, ok := strings.Cut(stdout, "\nexamples:\n")
		require.True(t, ok, "%v has no examples", args)
		ex, _, _ = strings.Cut(ex, "\n\n")
		for _, l := range strings.Split(ex, "\n") {
			l = strings.TrimSpace(l)
			if l == "" {
				continue
			}
			if strings.HasPrefix(l, "go run ./cmd/dtao") {
				examples = append(examples, l)
				continue
			}
			before, after, ok := strings.Cut(l, "dtao ")
			require.True(t, ok, "%q", l)
			examples = append(examples, before+"go run ./cmd/dtao "+after)
		}
	}
	require.GreaterOrEqual(t, len(examples), 8)
	cmds, err := readmeCommands("```sh\n"+strings.Join(examples, "\n")+"\n```\n", filepath.Join("..", ".."))
	require.NoError(t, err)
	require.Len(t, cmds, len(examples))
	for i, c := range cmds {
		code, _, stderr := runArgs(c.stdin, c.args...)
		require.Equal(t, 0, code, "%s: %s", examples[i], stderr)
	}
}
