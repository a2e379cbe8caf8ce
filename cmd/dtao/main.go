// Command dtao is the command line of the dtao SDK.
//
//	dtao help [command]
//	dtao version
//	dtao vector [--check] < cases.jsonl
//	dtao quote (--tao Y --alpha X [--weight W] [--fee F] | --genesis FILE --netuid N) [--limit P] [--json] --buy T | --sell A
//	dtao simulate [--blocks N] [--seed SEED] [--subnets S | --genesis FILE] [--out DIR] [--json]
//
// Every command answers -h and --help with its usage and examples on stdout
// and exits 0. A usage error (an unknown command or flag, a missing flag,
// a bad value, a stray argument) is one line on stderr naming what is wrong,
// followed by a pointer to the help, and exits 2. A runtime error (a swap
// the chain refuses, unreadable input) is one line on stderr and exits 1;
// stdout then holds nothing of the failed command.
//
// version prints the module version and the subtensor commit whose integers
// the SDK reproduces (ChainCommit, runtime spec_version ChainSpecVersion).
//
// vector is the conformance runner: it reads JSON Lines cases on stdin and
// writes one answer per case on stdout, in order. The format (every kind,
// its fields, errors and limits, and the rules of --check) is documented
// in docs/conformance.md at the root of the module, which ships with every
// copy of it (a clone, or the module cache after go get). It exits 0
// whatever the cases say, and non-zero only when it cannot read its input
// or write its output. With --check it compares each answer with the
// case's "expect", prints one line per mismatch and a closing
// "N passed, M failed" line, and exits 1 if any case failed; a line it
// cannot read as a case (not a JSON object, no string id or kind) fails
// too.
//
// Limits of vector: a line is at most 16 MiB; a longer one is answered with
// BadVector (with its id when a string id ends within its first 4096 bytes,
// else null) without being held in memory. Error messages quote at most
// 64 bytes of a bad value. Kinds whose work grows faster than their input
// are bounded, and answer BadVector beyond: epoch n ≤ 4096 and n times the
// number of staked uids ≤ 2^22; coinbase ≤ 4096 subnets; keypair ≤ 1024
// junctions; ss58 addresses ≤ 4096 bytes; pow_ratio_scaled's fallback
// precision. `dtao vector -h` prints the same, and the list of kinds.
//
// quote prints what one swap on a pool would pay, computed in-process with
// the chain's integers (package amm); it changes nothing. Amounts are
// written and printed as bittensor's tools write them ("10τ", "12.5α",
// "τ1,234.567890123"), prices in TAO per alpha ("0.013"); --json prints
// amounts as integers of rao for programs.
//
// simulate runs the ledger on package sim's default network with seeded
// agents and prints a summary and the final state hash; --out writes CSV
// time series and PNG charts. Ctrl-C stops it after the current block,
// with the summary of what ran, and exits 130.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dtao-go/dtao/cmd/dtao/internal/vector"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK      = 0
	exitRuntime = 1 // the command ran and failed (or --check found a mismatch)
	exitUsage   = 2 // the command line is wrong
)

const usage = `usage: dtao <command> [flags]

commands:
  quote     quote a swap on a subnet pool, with the chain's integers
  simulate  run the ledger on the default network and summarise it
  vector    answer conformance cases (JSON Lines on stdin)
  version   print the module version and the pinned chain commit
  help      print this help, or a command's (dtao help quote)

examples:
  dtao quote --tao 125000 --alpha 9800000 --buy 10τ
  dtao quote --tao 125000 --alpha 9800000 --sell 12.5α --limit 0.0127
  dtao simulate --blocks 100
  cat testdata/*.jsonl | dtao vector --check
  dtao version

Run 'dtao <command> -h' for a command's flags.
`

// commands maps each command to its runner and its help text.
var commands = map[string]struct {
	run  func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
	help func(w io.Writer)
}{
	"quote":    {runQuote, func(w io.Writer) { printHelp(w, quoteFlags(new(quoteArgs))) }},
	"simulate": {runSimulate, func(w io.Writer) { printHelp(w, simulateFlags(new(simulateArgs))) }},
	"vector":   {runVector, func(w io.Writer) { printHelp(w, vectorFlags(new(bool))) }},
	"version":  {runVersion, func(w io.Writer) { printHelp(w, versionFlags()) }},
}

// commandList names the commands in the usage errors.
const commandList = "quote, simulate, vector, version"

// run is main without the process: it returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "dtao: missing command\n\n"+usage)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 2 {
			return usageError(stderr, "dtao help", "unexpected argument %q", args[2])
		}
		if len(args) == 2 && name == "help" {
			c, ok := commands[args[1]]
			if !ok {
				return usageError(stderr, "dtao help", "unknown command %q (commands: %s)", args[1], commandList)
			}
			c.help(stdout)
			return exitOK
		}
		if len(args) > 1 {
			return usageError(stderr, "dtao", "unexpected argument %q after %s", args[1], name)
		}
		fmt.Fprint(stdout, usage)
		return exitOK
	case "-version", "--version":
		return runVersion(args[1:], stdin, stdout, stderr)
	}
	c, ok := commands[name]
	if !ok {
		if strings.HasPrefix(name, "-") {
			return usageError(stderr, "dtao", "unknown flag %q before the command (commands: %s)", name, commandList)
		}
		return usageError(stderr, "dtao", "unknown command %q (commands: %s)", name, commandList)
	}
	return c.run(args[1:], stdin, stdout, stderr)
}

// usageError prints one line naming what is wrong with the command line,
// and where to find the help, and returns exitUsage.
func usageError(stderr io.Writer, prefix, format string, a ...any) int {
	fmt.Fprintf(stderr, "%s: %s\n", prefix, fmt.Sprintf(format, a...))
	cmd := strings.TrimPrefix(prefix, "dtao")
	fmt.Fprintf(stderr, "Run 'dtao%s -h' for usage.\n", strings.TrimSuffix(cmd, " help"))
	return exitUsage
}

// runtimeError prints one line on stderr and returns exitRuntime.
func runtimeError(stderr io.Writer, prefix string, err error) int {
	fmt.Fprintf(stderr, "%s: %s\n", prefix, strings.ReplaceAll(err.Error(), "\n", " "))
	return exitRuntime
}

// command is a subcommand's flag set with its help text.
type command struct {
	fs   *flag.FlagSet
	text string // usage line, description and examples; the flags follow
}

// printHelp writes the command's help: its text, then its flags.
func printHelp(w io.Writer, c command) {
	fmt.Fprint(w, c.text)
	if hasFlags(c.fs) {
		fmt.Fprintln(w, "\nflags:")
		c.fs.VisitAll(func(f *flag.Flag) {
			name, usage := flag.UnquoteUsage(f)
			line := "  --" + f.Name
			if name != "" {
				line += " " + strings.ToUpper(name)
			}
			if f.DefValue != "" && f.DefValue != "false" {
				usage += fmt.Sprintf(" (default %s)", f.DefValue)
			}
			fmt.Fprintf(w, "%s\n      %s\n", line, usage)
		})
	}
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parse parses args with c's flags, which may come before, between or
// after the positional arguments (up to a "--", after which everything is
// positional); it returns the positional arguments. It returns done with
// the exit code when the command must stop there: -h or --help (help on
// stdout, exit 0) or a usage error (one line on stderr, exit 2).
func parse(c command, args []string, stdout, stderr io.Writer) (pos []string, code int, done bool) {
	c.fs.SetOutput(io.Discard)
	c.fs.Usage = func() {}
	for {
		err := c.fs.Parse(args)
		switch {
		case errors.Is(err, flag.ErrHelp):
			printHelp(stdout, c)
			return nil, exitOK, true
		case err != nil:
			return nil, usageError(stderr, "dtao "+c.fs.Name(), "%s", flagError(err)), true
		}
		rest := c.fs.Args()
		if len(rest) == 0 {
			return pos, 0, false
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), 0, false
		}
		i := 0
		for i < len(rest) && (rest[i] == "-" || !strings.HasPrefix(rest[i], "-")) {
			i++
		}
		pos = append(pos, rest[:i]...)
		if i == len(rest) {
			return pos, 0, false
		}
		args = rest[i:]
	}
}

// flagError rewords the flag package's errors with the flag written as
// the user would write it (--fee, not -fee).
func flagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return fmt.Sprintf("unknown flag %s", dashed(name))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return fmt.Sprintf("flag %s needs a value", dashed(name))
	}
	if strings.Contains(msg, " for flag -") {
		return strings.Replace(msg, " for flag -", " for --", 1)
	}
	return strings.Replace(msg, " for -", " for --", 1)
}

// dashed writes a flag's name with two dashes, as the help does.
func dashed(name string) string {
	return "--" + strings.TrimLeft(name, "-")
}

// wrap joins words with ", " into lines of at most width bytes, each
// indented by indent.
func wrap(words []string, indent string, width int) string {
	var b strings.Builder
	line := indent
	for i, w := range words {
		if i < len(words)-1 {
			w += ","
		}
		if line != indent && len(line)+1+len(w) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += w
	}
	b.WriteString(line)
	return b.String()
}

// vectorFlags is the flag set of dtao vector, writing --check into check.
func vectorFlags(check *bool) command {
	fs := flag.NewFlagSet("vector", flag.ContinueOnError)
	fs.BoolVar(check, "check", false, "compare answers with each case's expect; exit 1 on any mismatch")
	return command{fs, vectorUsage}
}

// vectorUsage is the text of `dtao vector -h`; the limits and kinds come
// from package vector.
var vectorUsage = fmt.Sprintf(`usage: dtao vector [--check] < cases.jsonl

Answers conformance cases, one JSON object per line on stdin, with one
answer line per case on stdout, in order. Blank lines and lines starting
with '#' get no answer. Keys match exactly (case included); a duplicate key
or text after the object is BadVector. The format, every kind and its
errors: docs/conformance.md at the root of the module.

kinds:
%s

With --check, answers are compared with each case's "expect"; a line that
cannot be read as a case (not a JSON object, no string id or kind, an
unknown top-level field) fails whatever it holds.

Limits (beyond them a case is answered with "BadVector: ..."):
  - a line is at most %d bytes (16 MiB); a longer one is not held in
    memory, and its id is answered only if it ends in the first %d bytes
  - an error message quotes at most %d bytes of a bad value
  - epoch: n <= %d, and n * (uids with non-zero stake) <= %d
  - coinbase: at most %d subnets
  - keypair: at most %d junctions in the derivation path
  - ss58: an address to decode of at most %d bytes
  - pow_ratio_scaled: the fallback (ln/exp) precision is bounded
In --check mode numbers compare by value without being expanded; a number
whose exponent has more than %d digits equals nothing.

examples:
  echo '{"id":"a","kind":"block_emission","input":{"issuance":0}}' | dtao vector
  cat testdata/*.jsonl | dtao vector --check
`, wrap(vector.Kinds(), "  ", 72), vector.MaxLineBytes, vector.IDPrefixBytes, vector.MaxQuoteBytes, vector.MaxEpochN, vector.MaxEpochMedianCells,
	vector.MaxCoinbaseSubnets, vector.MaxKeypairJunctions, vector.MaxSS58Text, vector.MaxExponentDigits)

func runVector(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var check bool
	c := vectorFlags(&check)
	pos, code, done := parse(c, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 0 {
		return usageError(stderr, "dtao vector", "unexpected argument %q (cases come on stdin)", pos[0])
	}
	sum, err := vector.Run(stdin, stdout, vector.Options{Check: check})
	if err != nil {
		return runtimeError(stderr, "dtao vector", err)
	}
	if check && sum.Failed > 0 {
		return exitRuntime
	}
	return exitOK
}
