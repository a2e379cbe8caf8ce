package vector

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtao-go/dtao/consensus"
	"github.com/dtao-go/dtao/units"
)

// answerOf decodes one answer line.
func answerOf(t *testing.T, line string) (id json.RawMessage, output json.RawMessage, errText string) {
	t.Helper()
	var ans struct {
		ID     json.RawMessage `json:"id"`
		Output json.RawMessage `json:"output"`
		Error  string          `json:"error"`
	}
	require.NoError(t, json.Unmarshal([]byte(line), &ans), line)
	return ans.ID, ans.Output, ans.Error
}

// patternReader yields head, then n bytes of fill, then tail, without ever
// holding the n bytes.
type patternReader struct {
	head, tail []byte
	fill       byte
	n          int
}

func (p *patternReader) Read(b []byte) (int, error) {
	k := 0
	for k < len(b) {
		switch {
		case len(p.head) > 0:
			c := copy(b[k:], p.head)
			p.head = p.head[c:]
			k += c
		case p.n > 0:
			c := min(p.n, len(b)-k)
			for i := range c {
				b[k+i] = p.fill
			}
			p.n -= c
			k += c
		case len(p.tail) > 0:
			c := copy(b[k:], p.tail)
			p.tail = p.tail[c:]
			k += c
		default:
			if k == 0 {
				return 0, io.EOF
			}
			return k, nil
		}
	}
	return k, nil
}

// A line over MaxLineBytes is answered with BadVector and its id, without
// being read into memory whole: 100 MiB of line cost far less than the
// line in allocations (the old runner held it, and more, whole).
func TestRunOverLongLineStreams(t *testing.T) {
	const size = 100 << 20
	next := `{"id":"next","kind":"block_emission","input":{"issuance":0}}` + "\n"
	r := &patternReader{
		head: []byte(`{"id":"big","kind":"block_emission","input":{"issuance":0},"pad":"`),
		fill: 'x', n: size,
		tail: []byte("\"}\n" + next),
	}
	var out bytes.Buffer
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	sum, err := Run(r, &out, Options{})
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	require.Equal(t, 2, sum.Cases)
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	require.Len(t, lines, 2)
	id, _, e := answerOf(t, lines[0])
	require.JSONEq(t, `"big"`, string(id))
	require.Equal(t, fmt.Sprintf("BadVector: line longer than %d bytes", MaxLineBytes), e)
	require.Equal(t, `{"id":"next","output":{"emission":1000000000}}`, lines[1])
	allocated := after.TotalAlloc - before.TotalAlloc
	require.Less(t, allocated, uint64(3*MaxLineBytes), "allocated %d bytes for a %d-byte line", allocated, size)
}

// The id of an over-long line is recovered only from its first
// IDPrefixBytes; an over-long comment or blank line gets no answer.
func TestRunOverLongLineID(t *testing.T) {
	pad := strings.Repeat(" ", MaxLineBytes)
	in := `{"kind":"x","pad":"` + strings.Repeat("y", IDPrefixBytes) + `","id":"late"` + pad + "}\n" +
		"#" + pad + "\n" +
		pad + "\n" +
		`{"id":["not","a","string"],` + pad + "}\n"
	_, out := runString(t, in, Options{})
	require.Len(t, out, 2, out)
	id, _, e := answerOf(t, out[0])
	require.Equal(t, "null", string(id))
	require.True(t, strings.HasPrefix(e, "BadVector: line longer"), e)
	id, _, _ = answerOf(t, out[1])
	require.Equal(t, "null", string(id))
}

// A line of exactly MaxLineBytes is read as usual.
func TestRunLineAtLimit(t *testing.T) {
	head := `{"id":"edge","kind":"block_emission","input":{"issuance":0}`
	line := head + strings.Repeat(" ", MaxLineBytes-len(head)-1) + "}"
	require.Len(t, line, MaxLineBytes)
	_, out := runString(t, line+"\n", Options{})
	require.Equal(t, []string{`{"id":"edge","output":{"emission":1000000000}}`}, out)
}

// No error message quotes more than a short prefix of a bad value: kinds,
// field names, field values, ids, and expectations in check mode.
func TestRunQuotesShortPrefixes(t *testing.T) {
	huge := strings.Repeat("k", 100_000)
	digits := strings.Repeat("9", 100_000)
	cases := []string{
		`{"id":"a","kind":"` + huge + `","input":{}}`,
		`{"id":"a","kind":"block_emission","input":{"` + huge + `":1}}`,
		`{"id":"a","kind":"block_emission","input":{"issuance":` + digits + `}}`,
		`{"id":"a","kind":"block_emission","input":{"issuance":-` + digits + `}}`,
		`{"id":"a","kind":"block_emission","input":{"issuance":1e` + digits + `}}`,
		`{"id":"a","kind":"swap","input":{"tao_reserve":1,"alpha_reserve":1,"amount":1,"direction":"` + huge + `"}}`,
		`{"id":"a","kind":"keypair","input":{"uri":"//Alice","scheme":"` + huge + `"}}`,
		`{"id":"a","` + huge + `":1,"kind":"block_emission","input":{"issuance":1}}`,
		`{"id":"a","kind":"block_emission","input":{"issuance":1,"issuance":2,"` + huge + `":3,"` + huge + `":4}}`,
		`{"id":"a","kind":"pow_ratio_scaled","input":{"bn":"` + huge + `","bd":"1","en":"1","ed":"1","precision":1,"scale":"1"}}`,
		`{"id":"a","kind":"block_emission","input":{"issuance":"` + huge + `"}}`,
	}
	for _, line := range cases {
		_, out := runString(t, line, Options{})
		require.Len(t, out, 1)
		_, _, e := answerOf(t, out[0])
		require.True(t, strings.HasPrefix(e, "BadVector: "), e[:min(len(e), 200)])
		require.Less(t, len(e), 400, "error of %d bytes for a %d-byte line: %.200s", len(e), len(line), e)
	}
	// Check mode: the id in the label, the expected error and the values
	// of a mismatch are cut too.
	checks := []string{
		`{"id":"` + huge + `","kind":"block_emission","input":{"issuance":0},"expect":{"error":"` + huge + `"}}`,
		`{"id":"a","kind":"block_emission","input":{"issuance":0},"expect":{"output":{"emission":"` + huge + `"}}}`,
		`{"id":"a","kind":"block_emission","input":{"issuance":0},"expect":{"output":{"emission":[` + strings.Repeat("1,", 50_000) + `1]}}}`,
		`{"id":"a","kind":"block_emission","input":{"issuance":0},"expect":{"output":{"` + huge + `":1}}}`,
		`{"id":"a","kind":"block_emission","input":{"issuance":0},"expect":{"` + huge + `":1}}`,
	}
	for _, line := range checks {
		_, out := runString(t, line, Options{Check: true})
		require.Len(t, out, 2, "%.200s", out)
		require.True(t, strings.HasPrefix(out[0], "FAIL line 1"), "%.200s", out[0])
		require.Less(t, len(out[0]), 400, "%.200s", out[0])
	}
}

// Keys match exactly (case included), a duplicate key at any depth is
// refused, and nothing may follow the object on its line.
func TestRunStrictJSON(t *testing.T) {
	subnet := `{"netuid":1,"tao_reserve":1000000000,"alpha_reserve":1000000000,"alpha_out":0,"moving_price_bits":"0","emitting":true}`
	ok := []string{
		`{"id":"a","kind":"block_emission","input":{"issuance":1}}`,
		`{"id":"a","kind":"coinbase","input":{"block_emission":1000000000,"tao_weight":0,"root_tao":0,"subnets":[` + subnet + `]}}`,
		`{"id":"a","kind":"block_emission","input":{"issuance":1},"expect":{"output":{"emission":1000000000}}}` + " \t\r",
	}
	for _, line := range ok {
		_, out := runString(t, line, Options{})
		require.Len(t, out, 1)
		_, output, e := answerOf(t, out[0])
		require.Empty(t, e, line)
		require.NotEmpty(t, output, line)
	}
	bad := map[string]string{
		`{"id":"a","kind":"block_emission","input":{"issuance":1,"ISSUANCE":2}}`:                                 "unknown field",
		`{"id":"a","kind":"block_emission","input":{"Issuance":1}}`:                                              "unknown field",
		`{"ID":"a","kind":"block_emission","input":{"issuance":1}}`:                                              "unknown field",
		`{"id":"a","Kind":"block_emission","input":{"issuance":1}}`:                                              "unknown field",
		`{"id":"a","kind":"block_emission","input":{"issuance":1},"Expect":{"error":"x"}}`:                       "unknown field",
		`{"id":"a","kind":"block_emission","input":{"issuance":1,"issuance":2}}`:                                 "duplicate key",
		`{"id":"a","kind":"block_emission","input":{"issuance":1,"\u0069ssuance":2}}`:                            "duplicate key",
		`{"id":"a","id":"b","kind":"block_emission","input":{"issuance":1}}`:                                     "duplicate key",
		`{"id":"a","kind":"block_emission","kind":"swap","input":{"issuance":1}}`:                                "duplicate key",
		`{"id":"a","kind":"block_emission","input":{"issuance":1},"source":"x","source":"y"}`:                    "duplicate key",
		`{"id":"a","kind":"block_emission","input":{"issuance":1},"expect":{"output":{"e":1,"e":2}}}`:            "duplicate key",
		`{"id":"a","kind":"block_emission","input":{"issuance":1},"expect":{"output":{"a":[{"b":1,"b":1}]}}}`:    "duplicate key",
		`{"id":"a","kind":"block_emission","input":{"issuance":1},"source":{"x":1}}`:                             "source",
		`{"id":"a","kind":"block_emission","input":{"issuance":1}}{"id":"b","kind":"block_emission","input":{}}`: "after top-level value",
		`{"id":"a","kind":"block_emission","input":{"issuance":1}} x`:                                            "after top-level value",
		`{"id":"a","kind":"coinbase","input":{"block_emission":1,"tao_weight":0,"root_tao":0,"subnets":[` +
			strings.Replace(subnet, `"netuid":1`, `"netuid":1,"NETUID":2`, 1) + `]}}`: "unknown field",
		`{"id":"a","kind":"coinbase","input":{"block_emission":1,"tao_weight":0,"root_tao":0,"subnets":[` +
			strings.Replace(subnet, `"netuid":1`, `"netuid":1,"netuid":2`, 1) + `]}}`: "duplicate key",
	}
	for line, fragment := range bad {
		_, out := runString(t, line, Options{})
		require.Len(t, out, 1, line)
		_, _, e := answerOf(t, out[0])
		require.True(t, strings.HasPrefix(e, "BadVector: "), "%s -> %s", line, out[0])
		require.Contains(t, e, fragment, line)
	}
	// In check mode a case-altered expect field is malformed, not ignored.
	_, out := runString(t, `{"id":"a","kind":"block_emission","input":{"issuance":0},"expect":{"Output":{"emission":1}}}`, Options{Check: true})
	require.Contains(t, out[0], "malformed expect")
}

// 2000 comparisons with 1e999999 are cheap: numbers are compared in
// canonical decimal form, never expanded (the old runner built a
// 415 kB rational for each).
func TestCheckHugeExponents(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 2000 {
		require.False(t, scalarEqual(json.Number("1e999999"), json.Number("1000000000")))
	}
	runtime.ReadMemStats(&after)
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20))

	num := func(s string) any { return json.Number(s) }
	for _, c := range []struct {
		a, b any
		eq   bool
	}{
		{num("1e3"), "1000", true},
		{num("1000"), num("1E+3"), true},
		{num("0.5e1"), num("5"), true},
		{num("50e-1"), "5.0", true},
		{num("-0"), num("0"), true},
		{num("0.000"), "0", true},
		{num("-1e3"), "-1000", true},
		{num("-1e3"), "1000", false},
		{num("1e999999"), num("1e999998"), false},
		{num("1e999999"), num("10e999998"), true},
		{num("12.5"), num("125e-1"), true},
		{num("12.5"), num("12.50001"), false},
		{"007", "7", true},
		{num("1e" + strings.Repeat("9", 20)), num("1e" + strings.Repeat("9", 20)), false},
		{num("18446744073709551615"), "18446744073709551615", true},
		{num("18446744073709551615"), "18446744073709551616", false},
	} {
		require.Equal(t, c.eq, scalarEqual(c.a, c.b), "%v vs %v", c.a, c.b)
	}
}

// A documented consensus error is printed by its chain name, not as
// Internal: errorName asks units.ChainName for the name.
func TestEpochChainErrorName(t *testing.T) {
	want := units.ChainName(consensus.ErrBondsMovingAverageOverflow)
	require.NotEmpty(t, want, "consensus.ErrBondsMovingAverageOverflow has no chain name")
	line := strings.Replace(epochCase("bma", "2", `"last_update":[10,10],"block_at_registration":[0,0],`+
		`"alpha_stake":[1,1],"validator_permit":[true,true],"weights":[[[1,65535]],[[0,65535]]],"bonds":[[],[]]`),
		`"bonds_moving_average":0,"yuma3":false`, `"bonds_moving_average":2147483648000000,"yuma3":true`, 1)
	_, out := runString(t, line, Options{})
	require.Len(t, out, 1)
	_, _, e := answerOf(t, out[0])
	require.Equal(t, want, e)
	require.False(t, strings.HasPrefix(e, "Internal"))
}

type wrapsNamed struct{ err error }

func (w wrapsNamed) Error() string { return "outer: " + w.err.Error() }
func (w wrapsNamed) Unwrap() error { return w.err }

func TestErrorNameGeneral(t *testing.T) {
	require.Equal(t, "SomethingRefused", errorName(fmt.Errorf("a: %w", wrapsNamed{fmt.Errorf("b: %w", namedErr{})})))
	// The runner's own verdict wins over a chain name it wraps.
	require.True(t, strings.HasPrefix(errorName(fmt.Errorf("%w: %w", errBadVector, namedErr{})), "BadVector"))
	long := errorName(errors.New(strings.Repeat("z", 10_000)))
	require.True(t, strings.HasPrefix(long, "Internal: "))
	require.Less(t, len(long), 400)
}

// epochStake builds an epoch case of n uids whose first staked uids hold
// stake.
func epochStake(n, staked int) string {
	stake, zeros := make([]string, n), make([]string, n)
	for i := range stake {
		stake[i], zeros[i] = "0", "0"
		if i < staked {
			stake[i] = "1"
		}
	}
	return epochCase("bound", fmt.Sprint(n), `"last_update":[],"block_at_registration":[`+strings.Join(zeros, ",")+
		`],"alpha_stake":[`+strings.Join(stake, ",")+`],"validator_permit":[],"weights":[],"bonds":[]`)
}

// The epoch's median table is n × (staked uids): both n and the product
// are bounded, so a small line cannot ask for gigabytes.
func TestEpochBounds(t *testing.T) {
	for _, c := range []struct {
		n, staked int
		bad       bool
	}{
		{MaxEpochN + 1, 0, true},
		{65535, 1, true},
		{MaxEpochN, 0, false},
		{MaxEpochN, MaxEpochMedianCells / MaxEpochN, false},
		{MaxEpochN, MaxEpochMedianCells/MaxEpochN + 1, true},
	} {
		_, out := runString(t, epochStake(c.n, c.staked), Options{})
		require.Len(t, out, 1)
		_, output, e := answerOf(t, out[0])
		if c.bad {
			require.True(t, strings.HasPrefix(e, "BadVector: "), "n=%d staked=%d: %.200s", c.n, c.staked, out[0])
			require.Contains(t, e, "bound")
		} else {
			require.Empty(t, e, "n=%d staked=%d", c.n, c.staked)
			require.NotEmpty(t, output)
		}
	}
}

// Weight and bond rows are read cell by cell: every cell a [u16, u16].
func TestEpochRows(t *testing.T) {
	base := `"last_update":[1],"block_at_registration":[0],"alpha_stake":[1],"validator_permit":[true],"bonds":[[]],`
	good := []string{`"weights":[[[0,65535]]]`, `"weights":[ [ [ 0 , 1 ] , [0,2] ] ]`, `"weights":[[]]`, `"weights":[]`}
	for _, w := range good {
		_, out := runString(t, epochCase("rows", "1", base+w), Options{})
		_, output, e := answerOf(t, out[0])
		require.Empty(t, e, w)
		require.NotEmpty(t, output)
	}
	for _, w := range []string{
		`"weights":[[[0,65536]]]`, `"weights":[[[0]]]`, `"weights":[[[0,1,2]]]`, `"weights":[[[-1,1]]]`,
		`"weights":[[[0,1.0]]]`, `"weights":[[[0,1e0]]]`, `"weights":[[["0",1]]]`, `"weights":[[{"0":1}]]`,
		`"weights":[[null]]`, `"weights":[null]`, `"weights":[7]`, `"weights":{}`, `"weights":"x"`, `"weights":[[[0,null]]]`,
	} {
		_, out := runString(t, epochCase("rows", "1", base+w), Options{})
		_, _, e := answerOf(t, out[0])
		require.True(t, strings.HasPrefix(e, "BadVector: "), "%s -> %s", w, out[0])
	}
}

// The coinbase's pairwise netuid check makes its work quadratic in the
// subnets: more than MaxCoinbaseSubnets is BadVector.
func TestCoinbaseBound(t *testing.T) {
	line := func(k int) string {
		subs := make([]string, k)
		for i := range subs {
			subs[i] = fmt.Sprintf(`{"netuid":%d,"tao_reserve":1000000000,"alpha_reserve":1000000000,"alpha_out":0,"moving_price_bits":"4294967296","emitting":true}`, i+1)
		}
		return `{"id":"cb","kind":"coinbase","input":{"block_emission":1000000000,"tao_weight":0,"root_tao":0,"subnets":[` + strings.Join(subs, ",") + `]}}`
	}
	_, out := runString(t, line(MaxCoinbaseSubnets), Options{})
	_, output, e := answerOf(t, out[0])
	require.Empty(t, e)
	require.NotEmpty(t, output)
	_, out = runString(t, line(MaxCoinbaseSubnets+1), Options{})
	_, _, e = answerOf(t, out[0])
	require.True(t, strings.HasPrefix(e, "BadVector: "), e)
	require.Contains(t, e, "bound")
}

// Each junction of a keypair URI costs a derivation: more than
// MaxKeypairJunctions is BadVector.
func TestKeypairJunctionBound(t *testing.T) {
	uri := func(k int) string { return "//Alice" + strings.Repeat("/a", k-1) + "///pass/with/slashes" }
	require.Equal(t, MaxKeypairJunctions, uriJunctions(uri(MaxKeypairJunctions)))
	_, out := runString(t, `{"id":"k","kind":"keypair","input":{"uri":"`+uri(MaxKeypairJunctions)+`"}}`, Options{})
	_, output, e := answerOf(t, out[0])
	require.Empty(t, e)
	require.NotEmpty(t, output)
	_, out = runString(t, `{"id":"k","kind":"keypair","input":{"uri":"`+uri(MaxKeypairJunctions+1)+`"}}`, Options{})
	_, _, e = answerOf(t, out[0])
	require.True(t, strings.HasPrefix(e, "BadVector: "), e)
	require.Contains(t, e, "bound")
}

// Decoding base58 grows faster than linearly: an address over MaxSS58Text
// bytes is BadVector; one at the bound still gets the chain's answer.
func TestSS58Bound(t *testing.T) {
	line := func(k int) string {
		return `{"id":"s","kind":"ss58","input":{"address":"` + strings.Repeat("5", k) + `"}}`
	}
	_, out := runString(t, line(MaxSS58Text), Options{})
	_, _, e := answerOf(t, out[0])
	require.Equal(t, "BadLength", e)
	_, out = runString(t, line(MaxSS58Text+1), Options{})
	_, _, e = answerOf(t, out[0])
	require.True(t, strings.HasPrefix(e, "BadVector: "), e)
	require.Contains(t, e, "bound")
}

// End to end: an expect holding 2000 copies of 1e999999 is checked against
// an epoch's 2000 emissions without expanding a number, and prints at most
// maxMismatches lines.
func TestCheckHugeExponentsEndToEnd(t *testing.T) {
	const n = 2000
	zeros, huge := make([]string, n), make([]string, n)
	for i := range zeros {
		zeros[i], huge[i] = "0", "1e999999"
	}
	z := strings.Join(zeros, ",")
	line := strings.TrimSuffix(epochCase("huge", fmt.Sprint(n), `"last_update":[],"block_at_registration":[`+z+
		`],"alpha_stake":[`+z+`],"validator_permit":[],"weights":[],"bonds":[]`), "}") +
		`,"expect":{"output":{"emission":[` + strings.Join(huge, ",") + `]}}}`
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	sum, out := runString(t, line, Options{Check: true})
	runtime.ReadMemStats(&after)
	require.Equal(t, 1, sum.Failed)
	require.Len(t, out, maxMismatches+2)
	require.Equal(t, fmt.Sprintf("FAIL line 1 (\"huge\"): ... and %d more mismatches", n-maxMismatches), out[maxMismatches])
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20))
}

// id, kind and source must be strings: null is a value of the wrong type
// (encoding/json would decode it into a string as "").
func TestRunNullTopLevelStrings(t *testing.T) {
	for line, fragment := range map[string]string{
		`{"id":"a","kind":"block_emission","input":{"issuance":1},"source":null}`: "source",
		`{"id":null,"kind":"block_emission","input":{"issuance":1}}`:              "id",
		`{"id":"a","kind":null,"input":{"issuance":1}}`:                           "kind",
	} {
		_, out := runString(t, line, Options{})
		_, _, e := answerOf(t, out[0])
		require.True(t, strings.HasPrefix(e, "BadVector: "), "%s -> %s", line, e)
		require.Contains(t, e, fragment)
	}
	_, out := runString(t, `{"id":"a","kind":"block_emission","input":{"issuance":0},"expect":{"error":null}}`, Options{Check: true})
	require.Contains(t, out[0], "malformed expect")
}
