package vector

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func runString(t *testing.T, in string, opts Options) (Summary, []string) {
	t.Helper()
	var out bytes.Buffer
	sum, err := Run(strings.NewReader(in), &out, opts)
	require.NoError(t, err)
	text := strings.TrimRight(out.String(), "\n")
	if text == "" {
		return sum, nil
	}
	return sum, strings.Split(text, "\n")
}

func TestRunAnswersInOrderAndSkipsComments(t *testing.T) {
	in := strings.Join([]string{
		"# header naming a source",
		"",
		`{"id":"one","kind":"block_emission","input":{"issuance":0}}`,
		"   ",
		`{"id":"two","kind":"block_emission","input":{"issuance":10500000000000000}}`,
	}, "\n") // no trailing newline: the last line still counts
	sum, lines := runString(t, in, Options{})
	require.Equal(t, 2, sum.Cases)
	require.Equal(t, []string{
		`{"id":"one","output":{"emission":1000000000}}`,
		`{"id":"two","output":{"emission":500000000}}`,
	}, lines)
}

func TestRunBadVectors(t *testing.T) {
	cases := map[string]string{
		`{"id":"a","kind":"nope","input":{}}`:                                          "unknown kind",
		`{"id":"a","kind":"block_emission","input":{"issuance":1,"x":1}}`:              "unknown field",
		`{"id":"a","kind":"block_emission","input":{}}`:                                "missing field",
		`{"id":"a","kind":"block_emission","input":{"issuance":-1}}`:                   "-1",
		`{"id":"a","kind":"block_emission","input":{"issuance":1e3}}`:                  "1e3",
		`{"id":"a","kind":"block_emission","input":{"issuance":"5"}}`:                  "string",
		`{"id":"a","kind":"block_emission","input":{"issuance":null}}`:                 "null",
		`{"id":"a","kind":"block_emission","input":{"issuance":18446744073709551616}}`: "18446744073709551616",
		`{"id":"a","kind":"block_emission","input":[1]}`:                               "object",
		`{"id":"a","kind":"block_emission","input":{"issuance":1},"extra":1}`:          "unknown field",
		`{"id":7,"kind":"block_emission","input":{"issuance":1}}`:                      "id",
		`{"id":"a","input":{"issuance":1}}`:                                            "kind",
		`{"id":"a","kind":"block_emission"}`:                                           "input",
		`not json`:                                                                     "invalid character",
	}
	for line, fragment := range cases {
		_, out := runString(t, line, Options{})
		require.Len(t, out, 1, line)
		var ans struct {
			ID    json.RawMessage `json:"id"`
			Error string          `json:"error"`
		}
		require.NoError(t, json.Unmarshal([]byte(out[0]), &ans), out[0])
		require.True(t, strings.HasPrefix(ans.Error, "BadVector: "), "%s -> %s", line, out[0])
		require.Contains(t, ans.Error, fragment, line)
	}
}

func TestRunCheck(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"ok","kind":"block_emission","input":{"issuance":0},"expect":{"output":{"emission":1000000000}}}`,
		`{"id":"as-string","kind":"block_emission","input":{"issuance":0},"expect":{"output":{"emission":"1000000000"}}}`,
		`{"id":"wrong","kind":"block_emission","input":{"issuance":0},"expect":{"output":{"emission":1}}}`,
		`{"id":"missing","kind":"block_emission","input":{"issuance":0},"expect":{"output":{"other":1}}}`,
		`{"id":"bad-ok","kind":"block_emission","input":{},"expect":{"error":"BadVector"}}`,
		`{"id":"bad-wrong","kind":"block_emission","input":{"issuance":0},"expect":{"error":"BadVector"}}`,
		`{"id":"unchecked","kind":"block_emission","input":{"issuance":0}}`,
	}, "\n")
	sum, lines := runString(t, in, Options{Check: true})
	require.Equal(t, Summary{Cases: 7, Passed: 3, Failed: 3, Unchecked: 1}, sum)
	require.Len(t, lines, 4, lines)
	require.Contains(t, lines[0], `"wrong"`)
	require.Contains(t, lines[1], `"missing"`)
	require.Contains(t, lines[2], `"bad-wrong"`)
	require.Equal(t, "3 passed, 3 failed, 1 skipped", lines[3])
}

func TestScalarEqual(t *testing.T) {
	num := func(s string) any { return json.Number(s) }
	require.True(t, scalarEqual(num("5"), "5"))
	require.True(t, scalarEqual("5", num("5")))
	require.True(t, scalarEqual(num("5"), num("5.0")))
	require.True(t, scalarEqual("123456789012345678901234567890", "123456789012345678901234567890"))
	require.False(t, scalarEqual(num("5"), "five"))
	require.False(t, scalarEqual(num("5"), "6"))
	require.False(t, scalarEqual("ab", "ba"))
	require.True(t, scalarEqual("ab", "ab"))
	require.True(t, scalarEqual(true, true))
	require.False(t, scalarEqual(true, false))
	require.False(t, scalarEqual(nil, num("0")))
}

type namedErr struct{}

func (namedErr) Error() string     { return "pkg: something the chain refuses" }
func (namedErr) ChainName() string { return "SomethingRefused" }

func TestErrorName(t *testing.T) {
	wrapped := errors.Join(errors.New("context"), namedErr{})
	require.Equal(t, "SomethingRefused", errorName(wrapped))
	require.Equal(t, "BadVector: x", errorName(badVector("x")))
	require.Equal(t, "Internal: boom", errorName(errors.New("boom")))
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestRunReadError(t *testing.T) {
	_, err := Run(failingReader{}, &bytes.Buffer{}, Options{})
	require.ErrorContains(t, err, "disk on fire")
}

func TestRunLongLine(t *testing.T) {
	// Epoch cases can be megabytes long; the reader must not cap lines.
	pad := strings.Repeat(" ", 1<<20)
	line := `{"id":"long","kind":"block_emission",` + pad + `"input":{"issuance":0}}`
	_, out := runString(t, line, Options{})
	require.Equal(t, []string{`{"id":"long","output":{"emission":1000000000}}`}, out)
}
