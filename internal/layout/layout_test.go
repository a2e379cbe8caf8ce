package layout

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/dtao-go/dtao/"

// allowed lists, per package directory, the non-standard imports its
// non-test files may use (the layout table of DESIGN.md).
var allowed = map[string][]string{
	"units":           {"github.com/cockroachdb/apd/v3"},
	"fixed":           {"github.com/holiman/uint256"},
	"internal/bigpow": {"github.com/holiman/uint256", module + "fixed"},
	"amm":             {module + "units", module + "fixed", module + "internal/bigpow", "github.com/holiman/uint256"},
	"consensus":       {module + "units", module + "fixed"},
	"emission":        {module + "units", module + "fixed", module + "amm", module + "consensus"},
	"wallet": {module + "units", "golang.org/x/crypto/", "github.com/ChainSafe/go-schnorrkel",
		"github.com/cosmos/go-bip39"},
}

// pure packages: no I/O, no goroutines, no floats on the way to a chain number.
var pure = []string{"amm", "consensus", "emission"}

// forbiddenInPure are standard packages whose use means I/O, clocks,
// randomness or concurrency.
var forbiddenInPure = []string{"os", "io", "net", "net/http", "time", "math/rand", "math/rand/v2", "crypto/rand", "sync", "log"}

func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// parseDir parses the package's non-test Go files.
func parseDir(t *testing.T, dir string) []*ast.File {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		t.Fatalf("no Go files in %s", dir)
	}
	return files
}

func isStandard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func TestImportEdges(t *testing.T) {
	for pkg, ok := range allowed {
		for _, f := range parseDir(t, filepath.Join(root(t), pkg)) {
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if isStandard(path) {
					continue
				}
				permitted := slices.ContainsFunc(ok, func(prefix string) bool {
					return path == prefix || (strings.HasSuffix(prefix, "/") && strings.HasPrefix(path, prefix))
				})
				if !permitted {
					t.Errorf("%s imports %s, which its row of the layout does not allow", pkg, path)
				}
			}
		}
	}
}

func TestPurePackages(t *testing.T) {
	for _, pkg := range pure {
		for _, f := range parseDir(t, filepath.Join(root(t), pkg)) {
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if slices.Contains(forbiddenInPure, path) {
					t.Errorf("%s imports %s: pure packages do no I/O, use no clock, randomness or locks", pkg, path)
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.GoStmt:
					t.Errorf("%s starts a goroutine", pkg)
				case *ast.Ident:
					if n.Name == "float32" || n.Name == "float64" {
						t.Errorf("%s uses %s in non-test code: chain numbers are fixed-point", pkg, n.Name)
					}
				}
				return true
			})
		}
	}
}

// The checks themselves must be able to fail.
func TestChecksCatchViolations(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", `package x
import "github.com/dtao-go/dtao/wallet"
func f() float64 { go func(){}(); return 0 }`, 0)
	if err != nil {
		t.Fatal(err)
	}
	path, _ := strconv.Unquote(f.Imports[0].Path.Value)
	if isStandard(path) || slices.Contains(allowed["amm"], path) {
		t.Fatal("a wallet import in amm would pass the edge check")
	}
	var floats, goroutines int
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			goroutines++
		case *ast.Ident:
			if n.Name == "float64" {
				floats++
			}
		}
		return true
	})
	if floats != 1 || goroutines != 1 {
		t.Fatalf("found %d floats and %d goroutines, want 1 and 1", floats, goroutines)
	}
}
