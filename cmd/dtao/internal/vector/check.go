package vector

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// maxMismatches bounds the mismatch lines one case prints; the rest are
// counted.
const maxMismatches = 20

// MaxExponentDigits bounds the exponent of a number in an expect: a number
// whose exponent has more significant digits never equals an answer (no
// answer holds such a number), and is compared without being expanded.
const MaxExponentDigits = 15

// compare checks an answer against the raw "expect" of its case (valid
// JSON without duplicate keys, as parseCase leaves it) and returns one
// message per mismatch (none when the answer passes). The expectation is
// walked as text, never decoded whole.
func compare(expectRaw json.RawMessage, ans answer) []string {
	ms, ok := objectMembers(expectRaw)
	if !ok {
		return []string{"malformed expect: not a JSON object"}
	}
	var output, errRaw []byte
	for _, m := range ms {
		switch m.key {
		case "output":
			output = m.val
		case "error":
			errRaw = m.val
		default:
			return []string{"malformed expect: unknown field " + quoteShort(m.key)}
		}
	}
	var wantErr string
	if errRaw != nil && (!isJSONString(errRaw) || json.Unmarshal(errRaw, &wantErr) != nil) {
		return []string{"malformed expect: error must be a string"}
	}
	switch {
	case errRaw != nil && output != nil:
		return []string{"malformed expect: both output and error"}
	case errRaw != nil:
		if ans.Error == "" {
			return []string{fmt.Sprintf("expected error %s, got output %s", quoteShort(wantErr), short(ans.Output))}
		}
		if errorKey(ans.Error) != errorKey(wantErr) {
			return []string{fmt.Sprintf("expected error %s, got error %s", quoteShort(wantErr), quoteShort(ans.Error))}
		}
		return nil
	case output != nil:
		if ans.Error != "" {
			return []string{"expected output, got error " + quoteShort(ans.Error)}
		}
		got, err := decodeLoose(mustJSON(ans.Output))
		if err != nil {
			return []string{"cannot re-read answer: " + truncateMessage(err.Error())}
		}
		var d differ
		d.diff("output", output, got)
		if d.more > 0 {
			d.out = append(d.out, fmt.Sprintf("... and %d more mismatches", d.more))
		}
		return d.out
	default:
		return []string{"malformed expect: neither output nor error"}
	}
}

// errorKey is the part of an error string that names it: the text before
// any ':'.
func errorKey(s string) string {
	name, _, _ := strings.Cut(s, ":")
	return strings.TrimSpace(name)
}

func decodeLoose(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte(strconv.Quote(err.Error()))
	}
	return b
}

// differ collects the mismatches of one case, at most maxMismatches of
// them.
type differ struct {
	out  []string
	more int
}

func (d *differ) add(format string, args ...any) {
	if len(d.out) >= maxMismatches {
		d.more++
		return
	}
	d.out = append(d.out, fmt.Sprintf(format, args...))
}

// diff compares the expected value want (valid JSON text) with got (the
// answer, decoded with UseNumber). Objects match when every field of want
// is present in got and matches (extra fields in got are allowed); arrays
// match element by element; a JSON number matches a decimal string of the
// same value.
func (d *differ) diff(path string, want []byte, got any) {
	switch want[0] {
	case '{':
		g, ok := got.(map[string]any)
		if !ok {
			d.add("%s: expected an object, got %s", path, short(got))
			return
		}
		ms, _ := objectMembers(want)
		sort.SliceStable(ms, func(a, b int) bool { return ms[a].key < ms[b].key })
		for _, m := range ms {
			gv, present := g[m.key]
			if !present {
				d.add("%s.%s: missing", path, pathKey(m.key))
				continue
			}
			d.diff(path+"."+pathKey(m.key), m.val, gv)
		}
	case '[':
		g, ok := got.([]any)
		if !ok {
			d.add("%s: expected an array, got %s", path, short(got))
			return
		}
		elems := arrayElements(want)
		if len(elems) != len(g) {
			d.add("%s: expected %d elements, got %d", path, len(elems), len(g))
			return
		}
		for i, e := range elems {
			d.diff(fmt.Sprintf("%s[%d]", path, i), e, g[i])
		}
	default:
		w, err := decodeLoose(want)
		if err != nil || !scalarEqual(w, got) {
			d.add("%s: expected %s, got %s", path, shortRaw(want), short(got))
		}
	}
}

// arrayElements returns the elements of the valid JSON array raw as
// sub-slices.
func arrayElements(raw []byte) [][]byte {
	var out [][]byte
	i := skipSpace(raw, 1)
	if raw[i] == ']' {
		return out
	}
	for {
		end := skipValue(raw, i)
		out = append(out, raw[i:end])
		i = skipSpace(raw, end)
		if raw[i] == ']' {
			return out
		}
		i = skipSpace(raw, i+1)
	}
}

// pathKey is a key as a mismatch path shows it: as it is when short and
// plain, quoted (and cut) otherwise.
func pathKey(k string) string {
	if len(k) == 0 || len(k) > MaxQuoteBytes {
		return quoteShort(k)
	}
	for _, c := range k {
		if c != '_' && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return quoteShort(k)
		}
	}
	return k
}

// scalarEqual compares two JSON scalars. Numbers compare by value, and a
// number equals a string holding the same decimal value; two strings that
// are both decimal numbers compare by value too.
func scalarEqual(want, got any) bool {
	wn, wNum := numeric(want)
	gn, gNum := numeric(got)
	_, wIsNumber := want.(json.Number)
	_, gIsNumber := got.(json.Number)
	if wNum && gNum && (wIsNumber || gIsNumber || bothStrings(want, got)) {
		return wn == gn
	}
	if wIsNumber || gIsNumber {
		return false
	}
	return want == got
}

func bothStrings(a, b any) bool {
	_, as := a.(string)
	_, bs := b.(string)
	return as && bs
}

// decimal is a number in canonical form: 0.digits × 10^exp, digits without
// leading or trailing zeros (empty for zero, which has neg false and exp
// 0). Two numbers are equal exactly when their canonical forms are.
type decimal struct {
	neg    bool
	digits string
	exp    int64
}

// numeric reads a JSON number or a decimal string in canonical form,
// without building the number: its cost is linear in the text. A number
// whose exponent has more than MaxExponentDigits significant digits is not
// read (ok false).
func numeric(v any) (decimal, bool) {
	switch x := v.(type) {
	case json.Number:
		return parseDecimal(string(x), true)
	case string:
		return parseDecimal(x, false)
	}
	return decimal{}, false
}

// parseDecimal reads -?D+(.D+)? and, when withExp, an optional exponent
// [eE][+-]?D+ (the JSON grammar, leading zeros allowed).
func parseDecimal(s string, withExp bool) (decimal, bool) {
	var d decimal
	if strings.HasPrefix(s, "-") {
		d.neg, s = true, s[1:]
	}
	mant, expText, hasExp := s, "", false
	if withExp {
		if i := strings.IndexAny(s, "eE"); i >= 0 {
			mant, expText, hasExp = s[:i], s[i+1:], true
		}
	}
	intPart, frac, hasDot := strings.Cut(mant, ".")
	if !allDigits(intPart) || (hasDot && !allDigits(frac)) {
		return d, false
	}
	var exp int64
	if hasExp {
		negExp := false
		switch {
		case strings.HasPrefix(expText, "-"):
			negExp, expText = true, expText[1:]
		case strings.HasPrefix(expText, "+"):
			expText = expText[1:]
		}
		if !allDigits(expText) {
			return d, false
		}
		expText = strings.TrimLeft(expText, "0")
		if len(expText) > MaxExponentDigits {
			return d, false
		}
		if expText != "" {
			e, err := strconv.ParseInt(expText, 10, 64)
			if err != nil {
				return d, false
			}
			exp = e
		}
		if negExp {
			exp = -exp
		}
	}
	// digits = intPart+frac without leading and trailing zeros; the point
	// sits after len(intPart) of them.
	lead := len(intPart) - len(strings.TrimLeft(intPart, "0"))
	all := intPart[lead:] + frac
	point := int64(len(intPart) - lead)
	if len(intPart) == lead { // integer part all zeros: skip the fraction's leading zeros too
		t := strings.TrimLeft(frac, "0")
		point -= int64(len(frac) - len(t))
		all = t
	}
	all = strings.TrimRight(all, "0")
	if all == "" {
		return decimal{}, true
	}
	d.digits, d.exp = all, point+exp
	return d, true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// short renders a decoded value for a message, cut to MaxQuoteBytes bytes.
func short(v any) string {
	return shortRaw(mustJSON(v))
}

// shortRaw renders JSON text for a message, cut to MaxQuoteBytes bytes.
func shortRaw(b []byte) string {
	if len(b) > MaxQuoteBytes {
		return cutRunes(string(b[:MaxQuoteBytes]), MaxQuoteBytes) + fmt.Sprintf("... (%d bytes)", len(b))
	}
	return string(b)
}
