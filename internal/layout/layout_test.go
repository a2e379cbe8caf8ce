package layout

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// row is one package of the module: its directory relative to the module
// root, its floor, and every non-standard import of its non-test files.
// An import of the module's own packages is written as that package's
// directory ("units"); a third-party import as its full path.
type row struct {
	floor   int
	pkg     string
	imports []string
}

// table is the module, floor by floor: a package's floor is one more than
// the highest floor among the module's packages it imports, and 0 when it
// imports none. The table lists exactly the import edges that exist (the
// tests fail on a package missing from it, an import it does not list, and
// an import it lists that no file uses), so a change of the module's shape
// is a change of this table.
var table = []row{
	// Floor 0, the ground: the standard library and third-party modules
	// only.
	{0, "units", []string{"github.com/cockroachdb/apd/v3"}},
	{0, "fixed", []string{"github.com/holiman/uint256"}},
	{0, "internal/layout", nil},

	// Floor 1: on units and fixed.
	{1, "internal/bigpow", []string{"units", "fixed", "github.com/holiman/uint256"}},
	{1, "consensus", []string{"units", "fixed", "golang.org/x/sys/cpu"}}, // cpu: whether the aligned rows' vector kernels run (aligned_amd64.go)
	{1, "wallet", []string{"units",
		"github.com/ChainSafe/go-schnorrkel", "github.com/cosmos/go-bip39",
		"golang.org/x/crypto/argon2", "golang.org/x/crypto/blake2b",
		"golang.org/x/crypto/nacl/secretbox", "golang.org/x/crypto/scrypt"}},

	// Floor 2: the pool, on safe-bigmath's power.
	{2, "amm", []string{"units", "fixed", "internal/bigpow", "github.com/holiman/uint256"}},
	{2, "examples/wallet", []string{"wallet"}},
	{2, "examples/epoch", []string{"units", "consensus"}},

	// Floor 3: emission runs over the pools.
	{3, "emission", []string{"units", "fixed", "amm"}},
	{3, "subnet", []string{"units", "fixed", "consensus", "amm", "golang.org/x/crypto/blake2b", "golang.org/x/sys/cpu"}}, // cpu: whether sameuids_amd64.s runs
	{3, "examples/quote", []string{"units", "amm"}},

	// Floor 4: the ledger ties the chain's packages into one state machine.
	{4, ".", []string{"units", "fixed", "amm", "consensus", "emission", "subnet", "wallet", "golang.org/x/crypto/blake2b"}}, // the root package dtao; wallet for SS58 in the JSON genesis, blake2b for the chain's storage order
	{4, "examples/daily-emission", []string{"units", "fixed", "amm", "emission"}},

	// Floor 5: the conformance runner, which answers with every package.
	{5, "cmd/dtao/internal/vector", []string{".", "units", "fixed", "internal/bigpow", "consensus", "wallet", "amm", "emission", "subnet"}},

	// Floor 5 too: the simulation drives the ledger, as does an example.
	{5, "sim", []string{".", "units", "fixed", "amm", "consensus", "subnet", "golang.org/x/sys/cpu"}}, // cpu: whether perturb_amd64.s runs
	{5, "examples/simulate", []string{".", "units", "amm", "consensus", "subnet"}},
	{5, "dtaotest", []string{".", "units", "fixed", "amm", "consensus", "emission", "subnet", "pgregory.net/rapid"}}, // rapid: the generators are its *rapid.Generator values

	// Floor 6: the command, the only importer of the charts, and the
	// examples on the simulation.
	{6, "examples/forecast", []string{".", "units", "sim"}},
	{6, "examples/backtest", []string{".", "units", "sim"}},
	{6, "cmd/dtao", []string{".", "units", "fixed", "amm", "sim", "cmd/dtao/internal/vector",
		"gonum.org/v1/plot", "gonum.org/v1/plot/plotter", "gonum.org/v1/plot/plotutil", "gonum.org/v1/plot/vg"}},
}

// pure packages: no I/O, no goroutines, no floats on the way to a chain number.
var pure = []string{"amm", "consensus", "emission"}

// displayFloats lists, per pure package, the functions (Type.Method or
// Func) that may hold a float: accessors that convert a chain number to a
// float for display and whose result no chain computation reads. Every
// entry must exist; a float anywhere else in a pure package fails.
var displayFloats = map[string][]string{
	"amm": {"Price.Float64"},
}

// forbiddenInPure are standard packages whose use means I/O, clocks,
// randomness or concurrency.
var forbiddenInPure = []string{"os", "io", "net", "net/http", "time", "math/rand", "math/rand/v2", "crypto/rand", "sync", "log"}

// root returns the module's root directory and its module path.
func root(t *testing.T) (dir, module string) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return dir, strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	t.Fatalf("no module line in %s/go.mod", dir)
	return "", ""
}

// pkgFiles is what the tests read of one package: its non-test files.
type pkgFiles struct {
	fset  *token.FileSet
	files []*ast.File
}

// discover walks the module from dir and parses the non-test Go files of
// every package directory, keyed by the directory relative to dir (with
// '/' separators). Like the go command, it skips testdata, directories
// whose name starts with '.' or '_', and nested modules; files that no
// build configuration includes (//go:build ignore) are not part of a
// package.
func discover(t *testing.T, dir string) map[string]pkgFiles {
	t.Helper()
	pkgs := map[string]pkgFiles{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir {
				if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
					return filepath.SkipDir
				}
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") ||
			strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return nil
		}
		rel, err := filepath.Rel(dir, filepath.Dir(path))
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		p, ok := pkgs[rel]
		if !ok {
			p.fset = token.NewFileSet()
		}
		f, err := parser.ParseFile(p.fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if !buildable(f) {
			return nil
		}
		p.files = append(p.files, f)
		pkgs[rel] = p
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

// buildable reports whether some build configuration other than the
// "ignore" tag includes f: its //go:build line, if any, holds for some
// assignment of the tags it names with ignore false.
func buildable(f *ast.File) bool {
	var expr constraint.Expr
	for _, g := range f.Comments {
		if g.Pos() >= f.Package {
			break
		}
		for _, c := range g.List {
			if constraint.IsGoBuild(c.Text) {
				e, err := constraint.Parse(c.Text)
				if err != nil {
					return true // the compiler will say so
				}
				expr = e
			}
		}
	}
	if expr == nil {
		return true
	}
	var tags []string
	expr.Eval(func(tag string) bool {
		if tag != "ignore" && !slices.Contains(tags, tag) {
			tags = append(tags, tag)
		}
		return false
	})
	if len(tags) > 16 {
		return true
	}
	for set := 0; set < 1<<len(tags); set++ {
		if expr.Eval(func(tag string) bool {
			i := slices.Index(tags, tag)
			return i >= 0 && set&(1<<i) != 0
		}) {
			return true
		}
	}
	return false
}

func isStandard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// edges returns the non-standard imports of files, written as the table
// writes them: the module's packages by their directory.
func edges(files []*ast.File, module string) []string {
	var out []string
	for _, f := range files {
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if isStandard(path) {
				continue
			}
			if rel, ok := strings.CutPrefix(path, module+"/"); ok {
				path = rel
			} else if path == module {
				path = "." // the root package
			}
			if !slices.Contains(out, path) {
				out = append(out, path)
			}
		}
	}
	slices.Sort(out)
	return out
}

// isModulePackage reports whether an entry of a row names a package of the
// module (a directory) rather than a third-party import path.
func isModulePackage(imp string) bool { return imp == "." || isStandard(imp) }

// compareLayout returns one message per difference between the table and
// the module's actual imports (package directory to its edges).
func compareLayout(table []row, actual map[string][]string) []string {
	var out []string
	rows := map[string]row{}
	for _, r := range table {
		if _, dup := rows[r.pkg]; dup {
			out = append(out, fmt.Sprintf("%s has two rows in the table", r.pkg))
		}
		rows[r.pkg] = r
	}
	for _, pkg := range slices.Sorted(maps.Keys(actual)) {
		r, ok := rows[pkg]
		if !ok {
			out = append(out, fmt.Sprintf("package %s is missing from the table (it imports %v)", pkg, actual[pkg]))
			continue
		}
		for _, imp := range actual[pkg] {
			if !slices.Contains(r.imports, imp) {
				out = append(out, fmt.Sprintf("%s imports %s, an edge the table does not list", pkg, imp))
			}
		}
		for _, imp := range r.imports {
			if !slices.Contains(actual[pkg], imp) {
				out = append(out, fmt.Sprintf("the table lets %s import %s, but no non-test file of %s does", pkg, imp, pkg))
			}
		}
	}
	for _, r := range table {
		if _, ok := actual[r.pkg]; !ok {
			out = append(out, fmt.Sprintf("the table lists %s, which is not a package of the module", r.pkg))
		}
	}
	return out
}

// checkFloors returns one message per row whose floor is not one more than
// the highest floor among the module packages it imports (0 for none), or
// that comes before a row of a lower floor.
func checkFloors(table []row) []string {
	var out []string
	floor := map[string]int{}
	for _, r := range table {
		floor[r.pkg] = r.floor
	}
	prev := 0
	for _, r := range table {
		want := 0
		for _, imp := range r.imports {
			if !isModulePackage(imp) {
				continue
			}
			f, ok := floor[imp]
			if !ok {
				out = append(out, fmt.Sprintf("%s imports %s, which has no row", r.pkg, imp))
				continue
			}
			want = max(want, f+1)
		}
		if r.floor != want {
			out = append(out, fmt.Sprintf("%s is on floor %d; its imports put it on floor %d", r.pkg, r.floor, want))
		}
		if r.floor < prev {
			out = append(out, fmt.Sprintf("%s (floor %d) comes after a row of floor %d: list the table floor by floor", r.pkg, r.floor, prev))
		}
		prev = max(prev, r.floor)
	}
	return out
}

// funcName names a function declaration as displayFloats does: Func, or
// Type.Method (the receiver's type without pointer or type parameters).
func funcName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + d.Name.Name
	}
	return d.Name.Name
}

// impurities returns one message per use in f of I/O, clocks, randomness,
// locks, goroutines or floats (outside the functions in display), and the
// names of the display functions it found.
func impurities(pkg string, f *ast.File, display []string) (msgs, found []string) {
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if slices.Contains(forbiddenInPure, path) {
			msgs = append(msgs, fmt.Sprintf("%s imports %s: pure packages do no I/O, use no clock, randomness or locks", pkg, path))
		}
	}
	var inspect func(n ast.Node, floatsAllowed bool)
	inspect = func(root ast.Node, floatsAllowed bool) {
		ast.Inspect(root, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if n != root {
					name := funcName(n)
					ok := slices.Contains(display, name)
					if ok {
						found = append(found, name)
					}
					inspect(n, ok)
					return false
				}
			case *ast.GoStmt:
				msgs = append(msgs, fmt.Sprintf("%s starts a goroutine", pkg))
			case *ast.Ident:
				if (n.Name == "float32" || n.Name == "float64") && !floatsAllowed {
					msgs = append(msgs, fmt.Sprintf("%s uses %s in non-test code: chain numbers are fixed-point", pkg, n.Name))
				}
			}
			return true
		})
	}
	inspect(f, false)
	return msgs, found
}

// The table is the module: every package has a row, every import edge is
// listed and every listed edge exists.
func TestLayoutTable(t *testing.T) {
	dir, module := root(t)
	actual := map[string][]string{}
	for pkg, p := range discover(t, dir) {
		actual[pkg] = edges(p.files, module)
	}
	for _, msg := range compareLayout(table, actual) {
		t.Error(msg)
	}
}

// The floors of the table are true: imports point down.
func TestFloors(t *testing.T) {
	for _, msg := range checkFloors(table) {
		t.Error(msg)
	}
}

func TestPurePackages(t *testing.T) {
	dir, _ := root(t)
	pkgs := discover(t, dir)
	for _, pkg := range pure {
		p, ok := pkgs[pkg]
		if !ok || len(p.files) == 0 {
			t.Errorf("pure package %s not found", pkg)
			continue
		}
		var found []string
		for _, f := range p.files {
			msgs, fs := impurities(pkg, f, displayFloats[pkg])
			for _, msg := range msgs {
				t.Error(msg)
			}
			found = append(found, fs...)
		}
		for _, name := range displayFloats[pkg] {
			if !slices.Contains(found, name) {
				t.Errorf("displayFloats lists %s.%s, which does not exist", pkg, name)
			}
		}
	}
}

// The checks themselves must be able to fail.
func TestChecksCatchViolations(t *testing.T) {
	small := []row{
		{0, "units", nil},
		{1, "amm", []string{"units", "github.com/holiman/uint256"}},
	}
	actual := map[string][]string{
		"units": nil,
		"amm":   {"github.com/holiman/uint256", "units"},
	}
	if msgs := compareLayout(small, actual); len(msgs) != 0 {
		t.Fatalf("an exact table fails: %v", msgs)
	}
	if msgs := checkFloors(small); len(msgs) != 0 {
		t.Fatalf("true floors fail: %v", msgs)
	}
	for name, c := range map[string]struct {
		table  []row
		actual map[string][]string
		want   string
	}{
		"package missing from the table": {small, map[string][]string{"units": nil, "amm": actual["amm"], "wallet": {"units"}},
			"package wallet is missing"},
		"edge not in the table": {small, map[string][]string{"units": nil, "amm": {"github.com/holiman/uint256", "units", "wallet"}},
			"amm imports wallet"},
		"table edge no file uses": {small, map[string][]string{"units": nil, "amm": {"units"}},
			"no non-test file of amm"},
		"row for no package": {append(slices.Clone(small), row{2, "emission", []string{"amm"}}), actual,
			"emission, which is not a package"},
	} {
		msgs := compareLayout(c.table, c.actual)
		if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, c.want) }) {
			t.Errorf("%s: got %v, want a message containing %q", name, msgs, c.want)
		}
	}
	for name, c := range map[string]struct {
		table []row
		want  string
	}{
		"floor too low":  {[]row{{0, "units", nil}, {0, "amm", []string{"units"}}}, "amm is on floor 0; its imports put it on floor 1"},
		"floor too high": {[]row{{0, "units", nil}, {2, "amm", []string{"units"}}}, "amm is on floor 2"},
		"out of order":   {[]row{{1, "amm", []string{"units"}}, {0, "units", nil}}, "comes after a row of floor 1"},
		"import no row":  {[]row{{1, "amm", []string{"units"}}}, "which has no row"},
	} {
		msgs := checkFloors(c.table)
		if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, c.want) }) {
			t.Errorf("%s: got %v, want a message containing %q", name, msgs, c.want)
		}
	}

	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", `package x
import (
	"os"
	"github.com/dtao-go/dtao/wallet"
)
var _ = os.Args
var _ = wallet.ErrNoSecret
func f() float64 { go func(){}(); return 0 }
func (p *Price) Float64() float64 { return 0 }
func (p Price) Float32() float32 { go func(){}(); return 0 }`, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := edges([]*ast.File{f}, "github.com/dtao-go/dtao"); !slices.Equal(got, []string{"wallet"}) {
		t.Fatalf("edges = %v, want [wallet]", got)
	}
	msgs, found := impurities("x", f, []string{"Price.Float64", "Price.Float32"})
	if !slices.Equal(found, []string{"Price.Float64", "Price.Float32"}) {
		t.Errorf("display functions found: %v", found)
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{"imports os", "starts a goroutine", "uses float64"} {
		if !strings.Contains(joined, want) {
			t.Errorf("impurities missed %q: %s", want, joined)
		}
	}
	// f's float64 and two goroutines (a display function may hold a float,
	// never a goroutine); nothing from Price.Float64.
	if len(msgs) != 4 {
		t.Errorf("got %d messages, want 4 (os, float64 in f, two goroutines): %v", len(msgs), msgs)
	}
	if msgs, _ := impurities("x", f, nil); strings.Count(strings.Join(msgs, "\n"), "uses float") != 3 {
		t.Errorf("without display functions every float counts: %v", msgs)
	}

	for src, want := range map[string]bool{
		"package x":                               true,
		"//go:build ignore\n\npackage x":          false,
		"//go:build !race\n\npackage x":           true,
		"//go:build race && !race\n\npackage x":   false,
		"//go:build linux || ignore\n\npackage x": true,
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if got := buildable(f); got != want {
			t.Errorf("buildable(%q) = %v, want %v", src, got, want)
		}
	}
}
