package vector

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// errBadVector marks a case the runner cannot interpret.
var errBadVector = errors.New("BadVector")

// badVector returns an error that prints as "BadVector: <message>". The
// message is cut to maxMessage bytes; callers quote values with quoteShort.
func badVector(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errBadVector, truncateMessage(fmt.Sprintf(format, args...)))
}

// decodeInput decodes the JSON object raw into dst, a pointer to a struct
// whose fields carry json tags. Fields already set in *dst are the
// defaults; the names in required must be present. Invalid JSON, text after
// the object, a duplicate key at any depth, a key that is not exactly (case
// included) one of dst's json names, a missing required field, null where
// the field cannot hold null, and values of the wrong type or range are
// BadVector errors. dst is left in an unspecified state on error.
func decodeInput(raw json.RawMessage, dst any, required ...string) error {
	if !json.Valid(raw) {
		var v struct{}
		return jsonError(json.Unmarshal(raw, &v))
	}
	ms, ok := objectMembers(raw)
	if !ok {
		return badVector("input must be a JSON object")
	}
	if err := checkDuplicateKeys(raw); err != nil {
		return err
	}
	known := jsonFields(dst)
	present := make(map[string]bool, len(ms))
	for _, m := range ms {
		nullable, ok := known[m.key]
		if !ok {
			return badVector("unknown field %s", quoteShort(m.key))
		}
		if !nullable && bytes.Equal(m.val, []byte("null")) {
			return badVector("field %q must not be null", m.key)
		}
		present[m.key] = true
	}
	for _, name := range required {
		if !present[name] {
			return badVector("missing field %q", name)
		}
	}
	// Every key is now exactly a field's name, so encoding/json's
	// case-insensitive matching cannot pick another field.
	if err := json.Unmarshal(raw, dst); err != nil {
		return jsonError(err)
	}
	return nil
}

// jsonFields maps the json names of the fields of *dst to whether the field
// can hold null (pointers, slices, maps, interfaces).
func jsonFields(dst any) map[string]bool {
	t := reflect.TypeOf(dst)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	out := map[string]bool{}
	if t.Kind() != reflect.Struct {
		return out
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		switch f.Type.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
			out[name] = true
		default:
			out[name] = false
		}
	}
	return out
}
