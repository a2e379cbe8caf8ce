package main

import (
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// dtao version prints the module version and the pinned chain commit; a
// test binary has no module version, so it is "(devel)".
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, stdout, stderr := runArgs("", args...)
		require.Equal(t, 0, code, stderr)
		require.Empty(t, stderr)
		require.Equal(t, "dtao github.com/dtao-go/dtao (devel)\n"+
			"chain: subtensor 14bc6f9f964b9cc362e9635dd110a487fa5d15a0 (spec_version 425)\n", stdout)
	}
}

// The pinned commit is the one the README promises.
func TestChainCommitMatchesReadme(t *testing.T) {
	readme := readFile(t, filepath.Join("..", "..", "README.md"))
	require.Contains(t, readme, "`"+ChainCommit+"`")
	require.Contains(t, readme, "spec_version 425")
	require.Equal(t, 425, ChainSpecVersion)
}

func TestModuleVersion(t *testing.T) {
	require.Equal(t, "(devel)", moduleVersion(nil, false))
	installed := &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v0.3.1"}}
	require.Equal(t, "v0.3.1", moduleVersion(installed, true))
	clone := &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"}}
	require.Equal(t, "(devel)", moduleVersion(clone, true))
	dep := &debug.BuildInfo{Main: debug.Module{Path: "example.com/tool"},
		Deps: []*debug.Module{{Path: "golang.org/x/crypto", Version: "v0.59.0"}, {Path: modulePath, Version: "v0.4.0"}}}
	require.Equal(t, "v0.4.0", moduleVersion(dep, true))
	require.Equal(t, "(devel)", moduleVersion(&debug.BuildInfo{}, true))
}

// A binary built from the clone reports "(devel)" from its build
// information, or the pseudo-version the go command stamps from the VCS
// (Go 1.24+ stamps the main module's version when the checkout is clean).
func TestVersionOfBuiltBinary(t *testing.T) {
	gobin, err := exec.LookPath("go")
	require.NoError(t, err)
	bin := filepath.Join(t.TempDir(), "dtao")
	build := exec.Command(gobin, "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(bin, "version").Output()
	require.NoError(t, err)
	first, second, _ := strings.Cut(string(out), "\n")
	version, ok := strings.CutPrefix(first, "dtao github.com/dtao-go/dtao ")
	require.True(t, ok, "%q", first)
	require.True(t, version == "(devel)" || strings.HasPrefix(version, "v"), "%q", version)
	require.Equal(t, "chain: subtensor "+ChainCommit+" (spec_version 425)\n", second)
}
