// Command dtao is the command line of the dtao SDK.
//
//	dtao vector [--check] < cases.jsonl
//	dtao quote --tao Y --alpha X [--weight W] [--fee F] [--limit RAO] buy|sell AMOUNT
//
// vector is the conformance runner of shared/vectors/README.md: it reads
// JSON Lines cases on stdin and writes one answer per case on stdout, in
// order. It exits 0 whatever the cases say, and non-zero only when it
// cannot read its input. With --check it compares each answer with the
// case's "expect", prints one line per mismatch and a closing
// "N passed, M failed" line, and exits 1 if any case failed.
//
// quote prints what one swap on a pool would pay, computed in-process with
// the chain's integers (package amm); it changes nothing.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dtao-go/dtao/internal/vector"
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

func runVector(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("vector", flag.ContinueOnError)
	fs.SetOutput(stderr)
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
