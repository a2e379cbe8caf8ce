// Package examples_test builds every program under examples/ and runs it
// as CI does, so that `go test ./...` catches a broken example.
package examples_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// runs lists every example with the arguments CI runs it with (a short
// horizon where it has one), the start of a line its output must hold,
// and the shape of the rest: patterns each matching a line of the output.
var runs = []struct {
	name  string
	args  []string
	want  string
	shape []string
}{
	// Two simulated days of the strategy on subnet 1: it traded, and its
	// P&L is printed against holding its 100 TAO.
	{"backtest", []string{"-blocks", "14400"}, "subnet 1 over 14400 blocks (2.0 days), signal mean: ", []string{
		`^subnet 1 over 14400 blocks \(2\.0 days\), signal mean: [1-9]\d* buys, \d+ sells, \d+ refused$`,
		`^price at the end: τ0\.\d{9} per alpha; the chain's moving price τ0\.\d{9}$`,
		`^holding \d+(\.\d+)?α staked and τ[\d,]+\.\d{9} free$`,
		`^strategy: τ[\d,]+\.\d{9}, P&L [+-]τ[\d,]+\.\d{9} \([+-]\d+\.\d\d%\)$`,
		`^holding TAO: τ100\.000000000, P&L τ0$`,
	}},
	{"daily-emission", nil, "subnet 2: τ1,200.095862670 into the pool", nil},
	{"epoch", nil, "network.json (embedded): 6 uids, emission 147.6α at block 10000", nil},
	// The default network's genesis block is 7200; a day later the stake
	// has earned a non-zero amount of alpha.
	{"forecast", nil, "staked τ1,000.000000000 to the validator at uid ", []string{
		`^staked τ1,000\.000000000 to the validator at uid \d+ of subnet 1 at block 7200$`,
		`^stake before: \d+(\.\d+)?α$`,
		`^stake after:  \d+(\.\d+)?α at block 14400$`,
		`^earned:       (0\.\d*[1-9]\d*|[1-9]\d*(\.\d+)?)α in a day$`,
		`^worth:        τ\d+\.\d{9} at the spot price of τ\d+\.\d{9} per alpha \(τ\d+\.\d{9} if sold now\)$`,
		`^daily yield:  \d+\.\d{4}% of the stake; implied APY \d+\.\d\d% \(compounded daily\)$`,
	}},
	// 125_000 / 9_800_000 TAO per alpha, the U64F64 floor printed exactly.
	{"quote", nil, "spot price: τ0.0127551020408163265 per alpha", nil},
	// Three tempos of 360 blocks from block 1000: each of the two subnets
	// runs three epochs, staggered by netuid; a miner earned incentive.
	{"simulate", nil, "block 1358: subnet 2 ran its epoch and paid ", []string{
		`^block 1359: subnet 1 ran its epoch and paid \d+(\.\d+)?α$`,
		`^block 2078: subnet 2 ran its epoch and paid \d+(\.\d+)?α$`,
		`^block 2079: subnet 1 ran its epoch and paid \d+(\.\d+)?α$`,
		`^subnet 1 miner uid \d+: incentive [1-9]\d*/65535 \(0\.\d{4}\), earned [1-9]\d*(\.\d+)?α as stake$`,
		`^block 2080, state hash [0-9a-f]{64}$`,
	}},
	// //Alice's address is Substrate's well-known development account.
	{"wallet", nil, "address: 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", nil},
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
			for _, pattern := range r.shape {
				re := regexp.MustCompile(pattern)
				if !slices.ContainsFunc(lines, re.MatchString) {
					t.Errorf("output lacks a line matching %s:\n%s", pattern, stdout.String())
				}
			}
		})
	}

	// The simulate example's network and calls are fixed: a second run
	// prints the same epochs, incentive and state hash.
	t.Run("simulate is deterministic", func(t *testing.T) {
		first, err := exec.Command(filepath.Join(bin, "simulate")).Output()
		if err != nil {
			t.Fatal(err)
		}
		second, err := exec.Command(filepath.Join(bin, "simulate")).Output()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("two runs differ:\n%s\n---\n%s", first, second)
		}
	})

	// The backtest's P&L is its final value less the 100 TAO it started
	// with, and a -signal it does not know is an error.
	t.Run("backtest P&L", func(t *testing.T) {
		out, err := exec.Command(filepath.Join(bin, "backtest"), "-blocks", "7200").Output()
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`(?m)^strategy: τ([\d,]+\.\d{9}), P&L ([+-])τ([\d,]+\.\d{9})`).FindSubmatch(out)
		if m == nil {
			t.Fatalf("no strategy line:\n%s", out)
		}
		value, pnl := rao(t, string(m[1])), rao(t, string(m[3]))
		if string(m[2]) == "-" {
			pnl = -pnl
		}
		if value-100_000_000_000 != pnl {
			t.Fatalf("value %d rao, P&L %d rao: want value − 100 TAO", value, pnl)
		}
		var stderr bytes.Buffer
		cmd := exec.Command(filepath.Join(bin, "backtest"), "-signal", "ema")
		cmd.Stderr = &stderr
		if err := cmd.Run(); err == nil || !strings.Contains(stderr.String(), `-signal "ema": want mean or chain`) {
			t.Fatalf("-signal ema: %v, stderr %q", err, stderr.String())
		}
	})

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

// rao reads a printed amount ("1,234.567890123") as an integer of rao.
func rao(t *testing.T, s string) int64 {
	t.Helper()
	whole, frac, _ := strings.Cut(strings.ReplaceAll(s, ",", ""), ".")
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || len(frac) != 9 {
		t.Fatalf("amount %q: %v", s, err)
	}
	return n
}
