package vector

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/units"
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

// In check mode a line that cannot be read as a case fails, whatever it
// holds: garbage must not pass a conformance check as "skipped". A case
// whose input is malformed stays readable and is judged by its expect.
func TestRunCheckUnreadableFails(t *testing.T) {
	for _, line := range []string{
		`this is not json`,
		`{"id":"a","kind":"block_emission","input":{"issuance":0}`,
		`[1,2,3]`,
		`"a string"`,
		`{"kind":"block_emission","input":{"issuance":0},"expect":{"error":"BadVector"}}`,
		`{"id":7,"kind":"block_emission","input":{"issuance":0},"expect":{"error":"BadVector"}}`,
		`{"id":"a","input":{"issuance":0},"expect":{"error":"BadVector"}}`,
		`{"id":"a","kind":null,"input":{"issuance":0},"expect":{"error":"BadVector"}}`,
		`{"id":"a","kind":"block_emission","expect":{"error":"BadVector"}}`,
		`{"id":"a","kind":"block_emission","input":{"issuance":0},"source":1,"expect":{"error":"BadVector"}}`,
		`{"id":"a","id":"b","kind":"block_emission","input":{"issuance":0},"expect":{"error":"BadVector"}}`,
		`{"id":"a","kind":"block_emission","input":{"issuance":0},"expct":{"output":{"emission":1}}}`,
	} {
		sum, out := runString(t, line, Options{Check: true})
		require.Equal(t, Summary{Cases: 1, Failed: 1}, sum, line)
		require.Len(t, out, 2, line)
		require.True(t, strings.HasPrefix(out[0], "FAIL line 1"), "%s -> %s", line, out[0])
		require.Contains(t, out[0], "not a readable case: BadVector", line)
		require.Equal(t, "0 passed, 1 failed", out[1], line)
	}
	// Readable cases whose input is malformed are checked as usual.
	for _, line := range []string{
		`{"id":"a","kind":"block_emission","input":{"issuance":1,"issuance":2},"expect":{"error":"BadVector"}}`,
		`{"id":"a","kind":"no_such_kind","input":{},"expect":{"error":"BadVector"}}`,
		`{"id":"a","kind":"block_emission","input":"text","expect":{"error":"BadVector"}}`,
	} {
		sum, _ := runString(t, line, Options{Check: true})
		require.Equal(t, Summary{Cases: 1, Passed: 1}, sum, line)
	}
	// A line too long to read fails too, and the run goes on.
	next := `{"id":"next","kind":"block_emission","input":{"issuance":0},"expect":{"output":{"emission":1000000000}}}` + "\n"
	r := &patternReader{
		head: []byte(`{"id":"big","kind":"block_emission","input":{"issuance":0},"pad":"`),
		fill: 'x', n: MaxLineBytes, tail: []byte(`"}` + "\n" + next),
	}
	var out bytes.Buffer
	sum, err := Run(r, &out, Options{Check: true})
	require.NoError(t, err)
	require.Equal(t, Summary{Cases: 2, Passed: 1, Failed: 1}, sum)
	require.Equal(t, "FAIL line 1 (\"big\"): not a readable case: BadVector: line longer than 16777216 bytes\n1 passed, 1 failed\n", out.String())
	// Outside check mode nothing changes: each line is answered.
	_, lines := runString(t, "this is not json\n"+next, Options{})
	require.Len(t, lines, 2)
	require.True(t, strings.HasPrefix(lines[0], `{"id":null,"error":"BadVector: `), lines[0])
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

// errorName reads chain names with units.ChainName: a *units.ChainError
// however wrapped, and without the allocation of errors.As into an
// interface.
func TestErrorNameUnitsChainError(t *testing.T) {
	sentinel := units.NewChainError("amm", "ReservesTooLow", "reserves too low for the swap")
	wrapped := fmt.Errorf("case 7: %w", errors.Join(errors.New("context"), fmt.Errorf("quote: %w", sentinel)))
	require.Equal(t, "ReservesTooLow", errorName(wrapped))
	var name string
	allocs := testing.AllocsPerRun(100, func() { name = errorName(wrapped) })
	require.Equal(t, "ReservesTooLow", name)
	require.Zero(t, allocs, "errorName of a chain error allocates")
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

// Kinds lists exactly the handlers' table, sorted.
func TestKindsSorted(t *testing.T) {
	got := Kinds()
	require.Len(t, got, len(kinds))
	require.True(t, slices.IsSorted(got), "%v", got)
	for _, k := range got {
		require.Contains(t, kinds, k)
	}
}
