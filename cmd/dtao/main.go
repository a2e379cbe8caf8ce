// Command dtao is the command line of the dtao SDK.
//
//	dtao vector [--check] < cases.jsonl
//	dtao quote --tao Y --alpha X [--weight W] [--fee F] [--limit RAO] buy|sell AMOUNT
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
// precision. `dtao vector -h` prints the same.
//
// quote prints what one swap on a pool would pay, computed in-process with
// the chain's integers (package amm); it changes nothing.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dtao-go/dtao/cmd/dtao/internal/vector"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage: dtao <command> [flags]

commands:
  vector [--check]   answer conformance cases (JSON Lines on stdin)
  quote              quote a swap on a subnet pool (dtao quote -h)
`

// run is main without the process: it returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "vector":
		return runVector(args[1:], stdin, stdout, stderr)
	case "quote":
		return runQuote(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "dtao: unknown command %q\n%s", args[0], usage)
		return 2
	}
}

// vectorUsage is the text of `dtao vector -h`; the limits come from
// package vector's constants.
var vectorUsage = fmt.Sprintf(`usage: dtao vector [--check] < cases.jsonl

Answers conformance cases, one JSON object per line on stdin, with one
answer line per case on stdout, in order. Blank lines and lines starting
with '#' get no answer. Keys match exactly (case included); a duplicate key
or text after the object is BadVector. The format, every kind and its
errors: docs/conformance.md at the root of the module.

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

flags:
`, vector.MaxLineBytes, vector.IDPrefixBytes, vector.MaxQuoteBytes, vector.MaxEpochN, vector.MaxEpochMedianCells,
	vector.MaxCoinbaseSubnets, vector.MaxKeypairJunctions, vector.MaxSS58Text, vector.MaxExponentDigits)

func runVector(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("vector", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, vectorUsage); fs.PrintDefaults() }
	check := fs.Bool("check", false, "compare answers with each case's expect; exit 1 on any mismatch")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dtao vector: unexpected argument %q (cases come on stdin)\n", fs.Arg(0))
		return 2
	}
	sum, err := vector.Run(stdin, stdout, vector.Options{Check: *check})
	if err != nil {
		fmt.Fprintln(stderr, "dtao vector:", err)
		return 1
	}
	if *check && sum.Failed > 0 {
		return 1
	}
	return 0
}
