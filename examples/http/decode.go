package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/caba1337/referralrules/referral"
)

// Limits on the shape of a request body, checked by a cheap pass over its
// bytes before anything is decoded. The requests of this service nest four
// levels deep and carry no JSON numbers at all.
const (
	maxDepth     = 16 // objects and arrays open at once
	maxNumberLen = 32 // characters of one JSON number
)

// Kinds of bad requests the service finds itself. Each maps to a status in
// errorTable.
var (
	errMediaType    = errors.New("unsupported media type")
	errBodyRead     = errors.New("the body could not be read")
	errMalformed    = errors.New("malformed json")
	errInvalidField = errors.New("invalid field")
	errUnprocessed  = errors.New("request breaks a rule of the data")
	errNotFound     = errors.New("no such resource")
	errMethod       = errors.New("method not allowed")
	errBusy         = errors.New("service busy")
)

// readJSON reads the body of r as JSON: the content type must be JSON, the
// body at most limit bytes, and the document well formed, within maxDepth
// and maxNumberLen, and one object with nothing after it. A body that
// limited has read already is returned as it is.
func readJSON(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if body, ok := r.Context().Value(bodyKey{}).([]byte); ok {
		return body, nil
	}
	if err := checkMediaType(r.Header.Get("Content-Type")); err != nil {
		return nil, err
	}
	if r.ContentLength > limit {
		return nil, tooLarge(&http.MaxBytesError{Limit: limit})
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, tooLarge(err)
	}
	return data, scan(data)
}

// tooLarge explains a body over the limit; any other error of reading the
// body (the client left, or was too slow) is errBodyRead.
func tooLarge(err error) error {
	var mb *http.MaxBytesError
	if !errors.As(err, &mb) {
		return fmt.Errorf("%w: %w", errBodyRead, err)
	}
	return fmt.Errorf("the body is larger than the limit of %d bytes: %w", mb.Limit, err)
}

// checkMediaType accepts application/json, with an optional UTF-8 charset.
func checkMediaType(header string) error {
	if header == "" {
		return problemf(errMediaType, "Content-Type is missing; send application/json")
	}
	mt, params, err := mime.ParseMediaType(header)
	if err != nil || mt != "application/json" {
		return problemf(errMediaType, "Content-Type %q; send application/json", header)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return problemf(errMediaType, "charset %q; send UTF-8", cs)
	}
	return nil
}

// scan refuses, in one pass over the bytes and before anything is
// decoded, nesting deeper than maxDepth and a number longer than
// maxNumberLen; then json.Valid checks the syntax, which also refuses
// anything after the document. Only a body that fails is parsed again, to
// explain where. The document must be an object.
func scan(data []byte) error {
	if err := checkShape(data); err != nil {
		return err
	}
	if !json.Valid(data) {
		var raw json.RawMessage
		err := json.Unmarshal(data, &raw)
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return problemf(errMalformed, "%v (byte %d)", se, se.Offset)
		}
		return problemf(errMalformed, "not valid JSON")
	}
	if data[firstByte(data)] != '{' {
		return problemf(errMalformed, "the body must be a JSON object")
	}
	return nil
}

// checkShape counts the depth and the length of every number of data
// outside its strings.
func checkShape(data []byte) error {
	if firstByte(data) == len(data) {
		return problemf(errMalformed, "the body is empty")
	}
	depth, run := 0, 0 // run: characters of the number being read
	inString, escaped := false, false
	for i, c := range data {
		switch {
		case inString:
			inString = escaped || c != '"'
			escaped = !escaped && c == '\\'
			continue
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			if depth++; depth > maxDepth {
				return problemf(errMalformed, "nested deeper than %d levels at byte %d", maxDepth, i)
			}
		case c == '}' || c == ']':
			depth--
		}
		if strings.IndexByte("0123456789+-.eE", c) < 0 {
			run = 0
		} else if run++; run > maxNumberLen {
			return problemf(errMalformed, "a number longer than %d characters at byte %d",
				maxNumberLen, i-run+1)
		}
	}
	return nil
}

// firstByte returns the index of the first byte of data that is not JSON
// white space, len(data) when there is none.
func firstByte(data []byte) int {
	for i, c := range data {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return i
		}
	}
	return len(data)
}

// object is the top-level fields of a request body that scan accepted,
// each kept as raw JSON for its own decoding.
type object map[string]json.RawMessage

// fieldsOf splits data, an object that scan accepted, into its fields. A
// field not in allowed and a field given twice are problems of the
// request, each with its path.
func fieldsOf(data []byte, allowed ...string) (object, referral.Errors) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.Token() // the opening brace, checked by scan
	obj := object{}
	var errs referral.Errors
	for dec.More() {
		tok, _ := dec.Token()
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil { // scan checked the syntax
			return nil, referral.Errors{fieldError(key, "", problemf(errMalformed, "%v", err))}
		}
		_, dup := obj[key]
		switch {
		case !contains(allowed, key):
			errs = append(errs, fieldError(key, "", problemf(errInvalidField,
				"unknown field %q (want %s)", key, strings.Join(allowed, ", "))))
		case dup:
			errs = append(errs, fieldError(key, "", problemf(errInvalidField, "field %q given twice", key)))
		}
		obj[key] = raw
	}
	return obj, errs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// text returns the string field name; a missing or null field is "" and,
// when required, a problem, as is an empty string.
func (o object) text(name string, required bool) (string, *referral.FieldError) {
	raw, ok := o[name]
	if !ok || string(raw) == "null" {
		if required {
			return "", fieldError(name, "", problemf(errInvalidField, "missing field %q", name))
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fieldError(name, clip(string(raw)), problemf(errInvalidField,
			"%s must be a string, not %s", name, kindOf(raw)))
	}
	if s == "" && required {
		return "", fieldError(name, "", problemf(errInvalidField, "%s must not be empty", name))
	}
	return s, nil
}

// date returns the date field name, written YYYY-MM-DD.
func (o object) date(name string) (referral.Date, *referral.FieldError) {
	s, fe := o.text(name, true)
	if fe != nil {
		return 0, fe
	}
	d, err := referral.ParseDate(s)
	if err != nil {
		return 0, fieldError(name, s, problemf(referral.ErrMalformedDate, "%v", err))
	}
	return d, nil
}

// month returns the month field name, written YYYY-MM; an optional field
// left out is def.
func (o object) month(name string, required bool,
	def referral.Month) (referral.Month, *referral.FieldError) {
	s, fe := o.text(name, required)
	if fe != nil || s == "" && !required {
		return def, fe
	}
	m, err := referral.ParseMonth(s)
	if err != nil {
		return 0, fieldError(name, s, problemf(referral.ErrMalformedDate, "%v", err))
	}
	return m, nil
}

// dataset reads the field name, a data set in the shape referral.ReadJSON
// reads, checked against the currencies of cur. Its problems are placed
// under name: "data.payments[3].amount".
func (o object) dataset(name string, cur referral.Currencies) (*referral.Dataset, referral.Errors) {
	raw, ok := o[name]
	if !ok || string(raw) == "null" {
		return nil, referral.Errors{fieldError(name, "",
			problemf(errInvalidField, "missing field %q", name))}
	}
	if raw[0] != '{' {
		return nil, referral.Errors{fieldError(name, "", problemf(errInvalidField,
			"%s must be an object, not %s", name, kindOf(raw)))}
	}
	ds, err := referral.ReadJSON(bytes.NewReader(raw), cur)
	if err == nil {
		return ds, nil
	}
	var errs referral.Errors
	if !errors.As(err, &errs) {
		return nil, referral.Errors{fieldError(name, "", err)}
	}
	out := make(referral.Errors, len(errs))
	for i, fe := range errs {
		moved := *fe
		moved.Path = joinPath(name, fe.Path)
		out[i] = &moved
	}
	return nil, out
}

// fieldError places err at the top-level field name.
func fieldError(name, value string, err error) *referral.FieldError {
	return &referral.FieldError{Column: name, Path: name, Value: value, Err: err}
}

// joinPath places the path p, as ReadJSON writes it, under field name.
func joinPath(name, p string) string {
	if p == "" {
		return name
	}
	return name + "." + p
}

// kindOf names the JSON type of raw for a message.
func kindOf(raw json.RawMessage) string {
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// clip shortens a value quoted in a problem, so that an answer never echoes
// a large part of the request.
func clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…(" + strconv.Itoa(len(s)) + " bytes)"
}
