package vector

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"
)

// expectation is a case's "expect" field.
type expectation struct {
	Output json.RawMessage `json:"output"`
	Error  *string         `json:"error"`
}

// compare checks an answer against the raw "expect" of its case and
// returns one message per mismatch (none when the answer passes).
func compare(expectRaw json.RawMessage, ans answer) []string {
	var exp expectation
	dec := json.NewDecoder(bytes.NewReader(expectRaw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&exp); err != nil {
		return []string{"malformed expect: " + err.Error()}
	}
	switch {
	case exp.Error != nil && len(exp.Output) > 0:
		return []string{"malformed expect: both output and error"}
	case exp.Error != nil:
		if ans.Error == "" {
			return []string{fmt.Sprintf("expected error %s, got output %s", *exp.Error, mustJSON(ans.Output))}
		}
		if errorKey(ans.Error) != errorKey(*exp.Error) {
			return []string{fmt.Sprintf("expected error %s, got error %s", *exp.Error, ans.Error)}
		}
		return nil
	case len(exp.Output) > 0:
		if ans.Error != "" {
			return []string{"expected output, got error " + ans.Error}
		}
		want, err := decodeLoose(exp.Output)
		if err != nil {
			return []string{"malformed expect output: " + err.Error()}
		}
		got, err := decodeLoose(mustJSON(ans.Output))
		if err != nil {
			return []string{"cannot re-read answer: " + err.Error()}
		}
		var out []string
		diff("output", want, got, &out)
		return out
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
		return []byte(fmt.Sprintf("%q", err.Error()))
	}
	return b
}

// diff appends to out a message for every place where got does not match
// want. Objects match when every field of want is present in got and
// matches (extra fields in got are allowed); arrays match element by
// element; a JSON number matches a decimal string of the same value.
func diff(path string, want, got any, out *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: expected an object, got %s", path, short(got)))
			return
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			gv, present := g[k]
			if !present {
				*out = append(*out, fmt.Sprintf("%s.%s: missing", path, k))
				continue
			}
			diff(path+"."+k, w[k], gv, out)
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: expected an array, got %s", path, short(got)))
			return
		}
		if len(g) != len(w) {
			*out = append(*out, fmt.Sprintf("%s: expected %d elements, got %d", path, len(w), len(g)))
			return
		}
		for i := range w {
			diff(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], out)
		}
	default:
		if !scalarEqual(want, got) {
			*out = append(*out, fmt.Sprintf("%s: expected %s, got %s", path, short(want), short(got)))
		}
	}
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
		return wn.Cmp(gn) == 0
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

// numeric reads a JSON number or a decimal string as an exact rational.
func numeric(v any) (*big.Rat, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = string(x)
	case string:
		s = x
		if !isDecimal(s) {
			return nil, false
		}
	default:
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// isDecimal reports whether s is a plain decimal number: an optional '-',
// digits, and optionally '.' and more digits.
func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || (hasDot && frac == "") {
		return false
	}
	for _, part := range []string{intPart, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

func short(v any) string {
	b := mustJSON(v)
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}
