package dtao_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// readmeGoBlock is one ```go block of the README: its program and, when the
// README shows it, the output it prints.
type readmeGoBlock struct {
	line   int // the line of the opening fence
	code   string
	output string // the "// " lines after the block's last fmt.Print call; "" when none
}

// readmeGoBlocks returns the ```go blocks of text.
func readmeGoBlocks(text string) ([]readmeGoBlock, error) {
	var blocks []readmeGoBlock
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```go" {
			continue
		}
		start := i
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, lines[i])
		}
		if i == len(lines) {
			return nil, fmt.Errorf("README.md:%d: a ```go block is not closed", start+1)
		}
		b := readmeGoBlock{line: start + 1, code: strings.Join(body, "\n") + "\n"}
		last := -1
		for j, l := range body {
			if strings.Contains(l, "fmt.Print") {
				last = j
			}
		}
		if last >= 0 {
			var out []string
			for _, l := range body[last+1:] {
				t := strings.TrimSpace(l)
				if !strings.HasPrefix(t, "//") {
					break
				}
				out = append(out, strings.TrimPrefix(strings.TrimPrefix(t, "//"), " "))
			}
			if len(out) > 0 {
				b.output = strings.Join(out, "\n") + "\n"
			}
		}
		blocks = append(blocks, b)
	}
	return blocks, nil
}

// Every ```go block of the README is a complete program that compiles
// against this checkout and runs; where the README shows its output (the
// "// " comment lines after its last fmt.Print call), it prints exactly
// that. The programs build together in a workspace holding this module and
// a temporary one, so no go.mod is edited and nothing is downloaded.
func TestReadmeGoBlocks(t *testing.T) {
	text, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := readmeGoBlocks(string(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) == 0 {
		t.Fatal("README.md has no ```go block: the minimal example is missing")
	}
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	mod := filepath.Join(tmp, "readme")
	write := func(path, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(tmp, "go.work"), fmt.Sprintf("go 1.26.0\n\nuse (\n\t%q\n\t./readme\n)\n", root))
	write(filepath.Join(mod, "go.mod"), "module readme.example\n\ngo 1.26.0\n")
	for i, b := range blocks {
		if !strings.HasPrefix(strings.TrimSpace(b.code), "package main\n") {
			t.Errorf("README.md:%d: a ```go block must be a complete program (package main, imports, func main) so that this test can compile and run it", b.line)
			continue
		}
		write(filepath.Join(mod, fmt.Sprintf("block%02d", i), "main.go"), b.code)
	}
	if t.Failed() {
		return
	}
	bin := filepath.Join(tmp, "bin")
	build := exec.Command(gobin, "build", "-o", bin+string(filepath.Separator), "./...")
	build.Dir = mod
	build.Env = append(os.Environ(), "GOWORK="+filepath.Join(tmp, "go.work"), "GOFLAGS=-mod=readonly")
	if out, err := build.CombinedOutput(); err != nil {
		var where []string
		for i, b := range blocks {
			where = append(where, fmt.Sprintf("block%02d/main.go line 1 is README.md:%d", i, b.line+1))
		}
		t.Fatalf("the README's Go blocks do not build (%s): %v\n%s", strings.Join(where, "; "), err, out)
	}
	for i, b := range blocks {
		cmd := exec.Command(filepath.Join(bin, fmt.Sprintf("block%02d", i)))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("README.md:%d: the program fails: %v\n%s", b.line, err, stderr.String())
			continue
		}
		if b.output != "" && stdout.String() != b.output {
			t.Errorf("README.md:%d: the program prints\n%s\nwhere the README shows\n%s", b.line, stdout.String(), b.output)
		}
	}
}

// The block parser finds a program and its shown output, and only the
// comment lines right after the last print.
func TestReadmeGoBlocksParse(t *testing.T) {
	text := "x\n```go\npackage main\n\nfunc main() {\n\t// not output\n\tfmt.Println(1)\n\t// 1\n\tfmt.Println(2)\n\t// 2\n\t//   3\n}\n```\n```sh\nls\n```\n```go\npackage main\n```\n"
	blocks, err := readmeGoBlocks(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 2 || blocks[0].line != 2 || blocks[0].output != "2\n  3\n" || blocks[1].output != "" || blocks[1].code != "package main\n" {
		t.Fatalf("%+v", blocks)
	}
	if _, err := readmeGoBlocks("```go\npackage main\n"); err == nil {
		t.Fatal("an unclosed block is not an error")
	}
}
