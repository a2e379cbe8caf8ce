package vector

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRun feeds arbitrary bytes (any number of lines) to Run and checks the
// runner's contract: one answer line per line that is not blank or a
// comment, each a JSON object with an id and exactly one of output and
// error, never an Internal error, and no panic. Check mode must not fail
// either. The seeds are the first cases of every testdata/*.jsonl, one by
// one and together.
func FuzzRun(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "..", "testdata", "*.jsonl"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no testdata: %v", err)
	}
	var all []string
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		taken := 0
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, MaxLineBytes)
		for sc.Scan() && taken < 3 {
			line := sc.Text()
			if skipLine([]byte(line)) {
				continue
			}
			f.Add([]byte(line))
			all = append(all, line)
			taken++
		}
	}
	f.Add([]byte("# header\n\n" + strings.Join(all, "\n") + "\n  \n"))
	f.Add([]byte(`{"id":"a","kind":"block_emission","input":{"issuance":1}}{"x":1}` + "\n" + `{"id":"b","ID":"c"}`))

	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		sum, err := Run(bytes.NewReader(in), &out, Options{})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		want := 0
		for _, line := range strings.Split(strings.TrimSuffix(string(in), "\n"), "\n") {
			trimmed := strings.TrimLeft(line, " \t\r")
			if trimmed != "" && trimmed[0] != '#' {
				want++
			}
		}
		if len(in) == 0 {
			want = 0
		}
		answers := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if out.Len() == 0 {
			answers = nil
		}
		if len(answers) != want || sum.Cases != want {
			t.Fatalf("%d answers (%d cases) for %d case lines:\n%q\n%s", len(answers), sum.Cases, want, in, out.String())
		}
		for _, a := range answers {
			var ans map[string]json.RawMessage
			if err := json.Unmarshal([]byte(a), &ans); err != nil {
				t.Fatalf("answer is not a JSON object: %v: %s", err, a)
			}
			if _, ok := ans["id"]; !ok {
				t.Fatalf("answer without id: %s", a)
			}
			_, hasOut := ans["output"]
			errRaw, hasErr := ans["error"]
			if hasOut == hasErr || len(ans) != 2 {
				t.Fatalf("answer needs exactly one of output and error: %s", a)
			}
			if hasErr {
				var e string
				if err := json.Unmarshal(errRaw, &e); err != nil || e == "" {
					t.Fatalf("error is not a non-empty string: %s", a)
				}
				if strings.HasPrefix(e, "Internal") {
					t.Fatalf("Internal error for %q: %s", in, a)
				}
			}
		}
		if _, err := Run(bytes.NewReader(in), &out, Options{Check: true}); err != nil {
			t.Fatalf("Run in check mode: %v", err)
		}
	})
}
