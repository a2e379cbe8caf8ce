package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// readmeCommand is one `go run ./cmd/dtao ...` line of a ```sh block of
// the README, as the command would receive it.
type readmeCommand struct {
	line   int
	args   []string
	stdin  string
	output string // the lines after a "$ " command up to the next one; "" when none is shown
	shown  bool   // the README shows the output ("$ " prompt)
}

// shellWords splits a command line as sh does for the README's simple
// commands: words separated by blanks, single and double quotes, "|"
// between commands and "#" starting a comment. Anything else a shell would
// expand ($, backquotes, redirections) is refused, so that the test never
// reads a line differently from the shell.
func shellWords(line string) ([][]string, error) {
	var cmds [][]string
	var words []string
	var word strings.Builder
	inWord := false
	end := func() {
		if inWord {
			words = append(words, word.String())
			word.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			end()
		case c == '#' && !inWord:
			i = len(line)
		case c == '|':
			end()
			cmds = append(cmds, words)
			words = nil
		case c == '\'' || c == '"':
			j := strings.IndexByte(line[i+1:], c)
			if j < 0 {
				return nil, errors.New("unclosed quote")
			}
			q := line[i+1 : i+1+j]
			if c == '"' && strings.ContainsAny(q, "$`\\") {
				return nil, fmt.Errorf("expansion in %q", q)
			}
			word.WriteString(q)
			inWord = true
			i += j + 1
		case strings.IndexByte("$`\\<>;&()", c) >= 0:
			return nil, fmt.Errorf("shell syntax %q", c)
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	end()
	return append(cmds, words), nil
}

// readmeCommands returns the dtao commands of text's ```sh blocks; root is
// the directory the README's commands run in (for cat's files).
func readmeCommands(text, root string) ([]readmeCommand, error) {
	var cmds []readmeCommand
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```sh" {
			continue
		}
		var current *readmeCommand
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			l := lines[i]
			cmdline, prompt := strings.CutPrefix(l, "$ ")
			if !prompt && current != nil && current.shown {
				current.output += l + "\n"
				continue
			}
			current = nil
			if !strings.Contains(cmdline, "go run ./cmd/dtao") {
				continue
			}
			pipeline, err := shellWords(cmdline)
			if err != nil {
				return nil, fmt.Errorf("README.md:%d: %v", i+1, err)
			}
			last := pipeline[len(pipeline)-1]
			if len(last) < 3 || last[0] != "go" || last[1] != "run" || last[2] != "./cmd/dtao" {
				return nil, fmt.Errorf("README.md:%d: go run ./cmd/dtao must be the last command of the line", i+1)
			}
			c := readmeCommand{line: i + 1, args: last[3:], shown: prompt}
			switch {
			case len(pipeline) == 1:
			case len(pipeline) == 2 && len(pipeline[0]) == 2 && pipeline[0][0] == "echo":
				c.stdin = pipeline[0][1] + "\n"
			case len(pipeline) == 2 && len(pipeline[0]) >= 2 && pipeline[0][0] == "cat":
				for _, pattern := range pipeline[0][1:] {
					files, err := filepath.Glob(filepath.Join(root, pattern))
					if err != nil || len(files) == 0 {
						return nil, fmt.Errorf("README.md:%d: cat %s matches no file", i+1, pattern)
					}
					for _, f := range files {
						b, err := os.ReadFile(f)
						if err != nil {
							return nil, err
						}
						c.stdin += string(b)
					}
				}
			default:
				return nil, fmt.Errorf("README.md:%d: only `echo 'ONE ARG' |` or `cat FILES |` may feed the command", i+1)
			}
			cmds = append(cmds, c)
			current = &cmds[len(cmds)-1]
		}
	}
	return cmds, nil
}

// Every `go run ./cmd/dtao ...` line of the README's shell blocks runs as
// written (its args through run, its stdin from the echo or cat before it)
// and exits 0; where the README shows the output after a "$ " prompt, the
// command prints exactly that.
func TestReadmeCommands(t *testing.T) {
	root := filepath.Join("..", "..")
	cmds, err := readmeCommands(readFile(t, filepath.Join(root, "README.md")), root)
	require.NoError(t, err)
	require.NotEmpty(t, cmds)
	for _, c := range cmds {
		t.Run(fmt.Sprintf("README.md:%d", c.line), func(t *testing.T) {
			code, stdout, stderr := runArgs(c.stdin, c.args...)
			require.Equal(t, 0, code, "dtao %s: stderr %q", strings.Join(c.args, " "), stderr)
			if c.shown {
				require.Equal(t, c.output, stdout)
			}
		})
	}
}

func TestReadmeCommandsParse(t *testing.T) {
	text := "```sh\n" +
		"cat testdata/*.jsonl | go run ./cmd/dtao vector --check   # a comment\n" +
		"go test ./...\n" +
		"$ echo '{\"a\": \"b|c # d\"}' | go run ./cmd/dtao vector\n" +
		"out 1\n" +
		"out 2\n" +
		"$ go run ./cmd/dtao quote --tao \"1 000\" --buy 10τ\n" +
		"```\n"
	cmds, err := readmeCommands(text, filepath.Join("..", ".."))
	require.NoError(t, err)
	require.Len(t, cmds, 3)
	require.Equal(t, []string{"vector", "--check"}, cmds[0].args)
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "*.jsonl"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var all strings.Builder
	for _, f := range files {
		all.WriteString(readFile(t, f))
	}
	require.True(t, all.String() == cmds[0].stdin, "cat's stdin is not the files in order")
	require.False(t, cmds[0].shown)
	require.Equal(t, []string{"vector"}, cmds[1].args)
	require.Equal(t, `{"a": "b|c # d"}`+"\n", cmds[1].stdin)
	require.Equal(t, "out 1\nout 2\n", cmds[1].output)
	require.Equal(t, []string{"quote", "--tao", "1 000", "--buy", "10τ"}, cmds[2].args)
	require.True(t, cmds[2].shown)
	require.Empty(t, cmds[2].output)

	for _, bad := range []string{
		"go run ./cmd/dtao quote --tao $TAO\n",
		"go run ./cmd/dtao vector < cases.jsonl\n",
		"go run ./cmd/dtao quote 'unclosed\n",
		"go run ./cmd/dtao vector | head\n",
		"cat nothing/*.none | go run ./cmd/dtao vector\n",
	} {
		_, err := readmeCommands("```sh\n"+bad+"```\n", filepath.Join("..", ".."))
		require.Error(t, err, bad)
	}
}
