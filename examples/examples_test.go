// Package examples_test builds every program under examples/ and runs it
// as CI does, so that `go test ./...` catches a broken example.
package examples_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// runs lists every example with the arguments CI runs it with (a short
// horizon where it has one) and the start of a line its output must hold.
var runs = []struct {
	name string
	args []string
	want string
}{
	{"daily-emission", nil, "subnet 2: τ1,200.095862670 into the pool"},
	{"epoch", nil, "network.json (embedded): 6 uids, emission 147.6α at block 10000"},
	// 125_000 / 9_800_000 TAO per alpha, the U64F64 floor printed exactly.
	{"quote", nil, "spot price: τ0.0127551020408163265 per alpha"},
	// //Alice's address is Substrate's well-known development account.
	{"wallet", nil, "address: 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"},
}

// Every directory under examples/ has a run, and every run a directory.
func TestEveryExampleIsRun(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "testdata" {
			dirs = append(dirs, e.Name())
		}
	}
	var names []string
	for _, r := range runs {
		names = append(names, r.name)
	}
	if !slices.Equal(dirs, names) {
		t.Fatalf("examples/ holds %v; the runs cover %v", dirs, names)
	}
}

// Each example builds, exits 0 and prints its expected line; the epoch
// example also reads a file given as its argument and names a bad one.
func TestExamplesRun(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	build := exec.Command(gobin, "build", "-o", bin+string(filepath.Separator), "./...")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./examples/...: %v\n%s", err, out)
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(filepath.Join(bin, r.name), r.args...)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("%v\nstderr: %s", err, stderr.String())
			}
			lines := strings.Split(stdout.String(), "\n")
			if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, r.want) }) {
				t.Fatalf("output lacks a line starting %q:\n%s", r.want, stdout.String())
			}
		})
	}

	t.Run("epoch file", func(t *testing.T) {
		dir := t.TempDir()
		good, err := os.ReadFile(filepath.Join("epoch", "network.json"))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "net.json")
		if err := os.WriteFile(path, good, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(filepath.Join(bin, "epoch"), path).Output()
		if err != nil || !strings.HasPrefix(string(out), path+": 6 uids") {
			t.Fatalf("epoch %s: %v\n%s", path, err, out)
		}
		bad := bytes.Replace(good, []byte(`"alpha_stake"`), []byte(`"alpha_stakes"`), 1)
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd := exec.Command(filepath.Join(bin, "epoch"), path)
		cmd.Stderr = &stderr
		err = cmd.Run()
		if code := cmd.ProcessState.ExitCode(); err == nil || code != 1 || !strings.Contains(stderr.String(), `unknown field "alpha_stakes"`) {
			t.Fatalf("a file with an unknown field: exit %d, stderr %q", code, stderr.String())
		}
	})
}
