package main

import (
	"flag"
	"fmt"
	"io"
	"runtime/debug"
)

// The chain whose integers the SDK reproduces: subtensor at this commit,
// whose runtime is spec_version ChainSpecVersion (runtime/src/lib.rs,
// VERSION). Every chain function the packages cite is read at this commit.
const (
	ChainCommit      = "14bc6f9f964b9cc362e9635dd110a487fa5d15a0"
	ChainSpecVersion = 425
)

// modulePath is the module the command belongs to.
const modulePath = "github.com/dtao-go/dtao"

func versionFlags() command {
	return command{flag.NewFlagSet("version", flag.ContinueOnError), `usage: dtao version

Prints the module version of this build ("(devel)" when built from a
clone rather than installed at a tagged version) and the subtensor commit,
with its runtime spec_version, whose integers the SDK reproduces.

examples:
  dtao version
  go run ./cmd/dtao version
`}
}

// moduleVersion returns the version of the dtao module in this binary's
// build information, "(devel)" when it has none (a build from a clone or
// a test binary).
func moduleVersion(info *debug.BuildInfo, ok bool) string {
	if !ok {
		return "(devel)"
	}
	if info.Main.Path == modulePath && info.Main.Version != "" {
		return info.Main.Version
	}
	for _, d := range info.Deps {
		if d.Path == modulePath && d.Version != "" {
			return d.Version
		}
	}
	return "(devel)"
}

func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	c := versionFlags()
	pos, code, done := parse(c, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 0 {
		return usageError(stderr, "dtao version", "unexpected argument %q", pos[0])
	}
	fmt.Fprintf(stdout, "dtao %s %s\n", modulePath, moduleVersion(debug.ReadBuildInfo()))
	fmt.Fprintf(stdout, "chain: subtensor %s (spec_version %d)\n", ChainCommit, ChainSpecVersion)
	return exitOK
}
