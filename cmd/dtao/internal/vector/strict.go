package vector

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// This file holds the runner's strict reading of JSON. encoding/json matches
// field names without regard to case, keeps the last of duplicate keys and
// (through a Decoder) ignores what follows a value; the runner refuses all
// three. The helpers below work on text json.Valid has accepted, so they
// only walk the structure; they never build a tree of the whole line.

// member is one "key": value pair of a JSON object: the decoded key and the
// value's text (a sub-slice of the object's text, not a copy).
type member struct {
	key string
	val []byte
}

// objectMembers returns the members of the JSON object raw, in order, or
// ok false when raw is not an object. raw must be valid JSON.
func objectMembers(raw []byte) (ms []member, ok bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil, false
	}
	i = skipSpace(raw, i+1)
	if raw[i] == '}' {
		return []member{}, true
	}
	for {
		kEnd := skipString(raw, i)
		key := decodeKey(raw[i:kEnd])
		i = skipSpace(raw, kEnd)
		i = skipSpace(raw, i+1) // ':'
		vEnd := skipValue(raw, i)
		ms = append(ms, member{key, raw[i:vEnd]})
		i = skipSpace(raw, vEnd)
		if raw[i] == '}' {
			return ms, true
		}
		i = skipSpace(raw, i+1) // ','
	}
}

// checkDuplicateKeys reports a BadVector error for the first object, at any
// depth of the valid JSON text raw, that holds the same key twice (compared
// after unescaping, so "a" and "\u0061" are the same key).
func checkDuplicateKeys(raw []byte) error {
	_, err := dupWalk(raw, skipSpace(raw, 0))
	return err
}

// dupWalk checks the value starting at raw[i] and returns the index after
// it. Recursion is bounded by encoding/json's nesting limit (10000), which
// json.Valid enforces before the walk.
func dupWalk(raw []byte, i int) (int, error) {
	switch raw[i] {
	case '{':
		var keys keySet
		i = skipSpace(raw, i+1)
		if raw[i] == '}' {
			return i + 1, nil
		}
		for {
			kEnd := skipString(raw, i)
			key := raw[i:kEnd]
			if !keys.add(key) {
				return 0, badVector("duplicate key %s", quoteShort(decodeKey(key)))
			}
			i = skipSpace(raw, kEnd)
			i = skipSpace(raw, i+1)
			next, err := dupWalk(raw, i)
			if err != nil {
				return 0, err
			}
			i = skipSpace(raw, next)
			if raw[i] == '}' {
				return i + 1, nil
			}
			i = skipSpace(raw, i+1)
		}
	case '[':
		i = skipSpace(raw, i+1)
		if raw[i] == ']' {
			return i + 1, nil
		}
		for {
			next, err := dupWalk(raw, i)
			if err != nil {
				return 0, err
			}
			i = skipSpace(raw, next)
			if raw[i] == ']' {
				return i + 1, nil
			}
			i = skipSpace(raw, i+1)
		}
	default:
		return skipValue(raw, i), nil
	}
}

// keySet holds the keys of one object: a short list compared directly
// (tokens without escapes as bytes, others unescaped), and a map once the
// object has many keys, so a huge object costs linear time.
type keySet struct {
	list [][]byte // raw key tokens, quotes included
	m    map[string]struct{}
}

// add records key (a raw string token) and reports false if it was there.
func (ks *keySet) add(key []byte) bool {
	if ks.m != nil {
		k := decodeKey(key)
		if _, dup := ks.m[k]; dup {
			return false
		}
		ks.m[k] = struct{}{}
		return true
	}
	escaped := bytes.IndexByte(key, '\\') >= 0
	for _, k := range ks.list {
		if !escaped && bytes.IndexByte(k, '\\') < 0 {
			if bytes.Equal(k, key) {
				return false
			}
		} else if decodeKey(k) == decodeKey(key) {
			return false
		}
	}
	ks.list = append(ks.list, key)
	if len(ks.list) == 32 {
		ks.m = make(map[string]struct{}, 64)
		for _, k := range ks.list {
			ks.m[decodeKey(k)] = struct{}{}
		}
		ks.list = nil
	}
	return true
}

// decodeKey unescapes a valid JSON string token.
func decodeKey(tok []byte) string {
	if bytes.IndexByte(tok, '\\') < 0 {
		return string(tok[1 : len(tok)-1])
	}
	var s string
	if json.Unmarshal(tok, &s) != nil {
		return string(tok)
	}
	return s
}

func skipSpace(raw []byte, i int) int {
	for i < len(raw) {
		switch raw[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index after the string token starting at raw[i].
func skipString(raw []byte, i int) int {
	for i++; i < len(raw); i++ {
		switch raw[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(raw)
}

// skipValue returns the index after the valid JSON value at raw[i].
func skipValue(raw []byte, i int) int {
	switch raw[i] {
	case '"':
		return skipString(raw, i)
	case '{', '[':
		depth := 0
		for ; i < len(raw); i++ {
			switch raw[i] {
			case '"':
				i = skipString(raw, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(raw)
	default:
		for ; i < len(raw); i++ {
			switch raw[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
		}
		return len(raw)
	}
}

// MaxQuoteBytes is the most bytes of a bad value an error message quotes.
const MaxQuoteBytes = 64

// maxMessage bounds the text after "BadVector: " (and after "Internal: "),
// whatever a kind's own error says.
const maxMessage = 256

// quoteShort quotes s as Go does (%q), cut to its first MaxQuoteBytes bytes
// (at a rune boundary) with the full length noted when it is longer.
func quoteShort(s string) string {
	if len(s) <= MaxQuoteBytes {
		return strconv.Quote(s)
	}
	return strconv.Quote(cutRunes(s, MaxQuoteBytes)) + fmt.Sprintf("... (%d bytes)", len(s))
}

// cutRunes returns the longest prefix of s of at most n bytes that does not
// split a UTF-8 sequence.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// truncateMessage bounds an error message to maxMessage bytes.
func truncateMessage(s string) string {
	if len(s) <= maxMessage {
		return s
	}
	return cutRunes(s, maxMessage) + "..."
}

// jsonError turns an error of encoding/json (or of a field's UnmarshalJSON)
// into a BadVector error that quotes at most a short prefix of the value.
func jsonError(err error) error {
	if errors.Is(err, errBadVector) {
		return err
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "value"
		} else {
			field = "field " + quoteShort(field)
		}
		return badVector("%s: %s is not a %s", field, cutRunes(te.Value, MaxQuoteBytes), te.Type)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return badVector("invalid JSON at byte %d: %s", se.Offset, se.Error())
	}
	return badVector("%s", err.Error())
}
