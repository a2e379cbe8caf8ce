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

// badVector returns an error that prints as "BadVector: <message>".
func badVector(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errBadVector, fmt.Sprintf(format, args...))
}

// decodeInput decodes the JSON object raw into dst, a pointer to a struct
// whose fields carry json tags. Fields already set in *dst are the
// defaults; the names in required must be present. Unknown fields, missing
// required fields, nulls where the field cannot hold null, and values of the
// wrong type or range are BadVector errors. dst is left in an unspecified
// state on error.
func decodeInput(raw json.RawMessage, dst any, required ...string) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return badVector("input must be a JSON object")
	}
	for _, name := range required {
		if _, ok := fields[name]; !ok {
			return badVector("missing field %q", name)
		}
	}
	nullable := nullableFields(dst)
	for name, v := range fields {
		if bytes.Equal(bytes.TrimSpace(v), []byte("null")) && !nullable[name] {
			return badVector("field %q must not be null", name)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return badVector("%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// nullableFields lists the json names of the fields of *dst that can hold
// null (pointers, slices, maps, interfaces).
func nullableFields(dst any) map[string]bool {
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
		}
	}
	return out
}
