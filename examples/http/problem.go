package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/benefits"
	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
)

// problemTypes is where the problem types are explained; a problem's type
// is this URL with the kind's anchor.
const problemTypes = "https://github.com/caba1337/referralrules/blob/main/examples/http/README.md#"

// problem is an error answer in the shape of RFC 9457, sent as
// application/problem+json. Errors lists the bad fields of the request.
type problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail"`
	Instance string         `json:"instance"`
	Errors   []fieldProblem `json:"errors,omitempty"`
}

// fieldProblem is one bad field of a request body.
type fieldProblem struct {
	// Pointer is the field as a JSON Pointer (RFC 6901) into the request
	// body, such as "/data/payments/3/amount" (rows counted from 0).
	Pointer string `json:"pointer"`
	// Path is the same field as the library writes it, such as
	// "data.payments[3].amount".
	Path   string `json:"path"`
	Detail string `json:"detail"`
	Value  string `json:"value,omitempty"` // the offending value, shortened
}

// errorKind is one row of errorTable: the errors it matches and the answer
// they get.
type errorKind struct {
	match  func(error) bool
	status int
	slug   string // the problem type's anchor
	title  string
}

// errorTable is the one place that decides the status of an error, from the
// kinds the library and this service define. The first row that matches
// wins; an error no row matches is a bug of the service, a 500 whose detail
// is logged but not sent.
var errorTable = []errorKind{
	{is[*http.MaxBytesError], http.StatusRequestEntityTooLarge, "body-too-large", "Request body too large"},
	{isErr(errMediaType), http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported media type"},
	{isErr(errMalformed), http.StatusBadRequest, "malformed-json", "Malformed JSON"},
	{isErr(errBodyRead), http.StatusBadRequest, "unreadable-body", "Unreadable body"},
	{isErr(errNotFound), http.StatusNotFound, "not-found", "Not found"},
	{isErr(errMethod), http.StatusMethodNotAllowed, "method-not-allowed", "Method not allowed"},
	{isErr(errBusy), http.StatusServiceUnavailable, "busy", "Service busy"},

	// Valid JSON whose values break a rule of the data: a bad amount, an
	// unknown client, a field of the wrong type (referral.ErrMalformedJSON
	// after scan can only be that), a month range out of bounds.
	{is[*referral.FieldError], http.StatusUnprocessableEntity, "invalid-data", "Invalid data"},
	{isErr(errInvalidField), http.StatusUnprocessableEntity, "invalid-data", "Invalid data"},
	{isErr(errUnprocessed), http.StatusUnprocessableEntity, "invalid-data", "Invalid data"},
	{isErr(commission.ErrMonthRange), http.StatusUnprocessableEntity, "invalid-data", "Invalid data"},
	{isErr(referralrules.ErrBeforeFirstVersion), http.StatusUnprocessableEntity, "invalid-data", "Invalid data"},
	{isErr(commission.ErrUnknownCountry), http.StatusUnprocessableEntity, "invalid-data", "Invalid data"},
	{isErr(commission.ErrUnknownCurrency), http.StatusUnprocessableEntity, "invalid-data", "Invalid data"},
	{is[*benefits.SelectionError], http.StatusUnprocessableEntity, "invalid-data", "Invalid data"},
	{isErr(benefits.ErrRequest), http.StatusUnprocessableEntity, "invalid-data", "Invalid data"},
	{isErr(benefits.ErrLang), http.StatusUnprocessableEntity, "invalid-data", "Invalid data"},
}

// internalKind answers an error errorTable does not know.
var internalKind = errorKind{status: http.StatusInternalServerError, slug: "internal",
	title: "Internal error"}

// kinded is an error of one kind with its own message: errors.Is finds
// the kind, and the message does not repeat it.
type kinded struct {
	kind error
	msg  string
}

func (e *kinded) Error() string { return e.msg }
func (e *kinded) Unwrap() error { return e.kind }

// problemf returns an error of kind with a formatted message.
func problemf(kind error, format string, args ...any) error {
	return &kinded{kind: kind, msg: fmt.Sprintf(format, args...)}
}

func is[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

func isErr(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

// kindOfError returns the row of errorTable that err belongs to.
func kindOfError(err error) errorKind {
	for _, k := range errorTable {
		if k.match(err) {
			return k
		}
	}
	return internalKind
}

// writeError answers err as a problem. An error outside errorTable is
// logged with the request and answered without its text.
func writeError(w http.ResponseWriter, r *http.Request, err error, log *slog.Logger) {
	k := kindOfError(err)
	p := problem{Type: problemTypes + k.slug, Title: k.title, Status: k.status,
		Detail: err.Error(), Instance: r.URL.Path}
	if k.status == http.StatusInternalServerError {
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err.Error())
		p.Detail = "the service failed to answer; the error is in its log"
	}
	p.Errors, p.Detail = fieldProblems(err, p.Detail)
	if k.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", allowed(r.URL.Path))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(k.status)
	json.NewEncoder(w).Encode(p)
}

// fieldProblems lists the bad fields err carries, if any, and a detail
// that sums them up in place of detail.
func fieldProblems(err error, detail string) ([]fieldProblem, string) {
	var list referral.Errors
	if !errors.As(err, &list) {
		var fe *referral.FieldError
		if !errors.As(err, &fe) {
			return nil, detail
		}
		list = referral.Errors{fe}
	}
	out := make([]fieldProblem, len(list))
	for i, fe := range list {
		out[i] = fieldProblem{Pointer: pointerOf(fe), Path: fe.Path, Detail: fe.Err.Error(),
			Value: clip(fe.Value)}
	}
	if len(out) == 1 {
		return out, out[0].Path + ": " + out[0].Detail
	}
	return out, plural(len(out), "field is", "fields are") + " invalid; see errors"
}

// pointerOf writes the path of fe, such as "data.payments[3].amount", as a
// JSON Pointer, "/data/payments/3/amount". The last segment is fe.Column
// taken whole, since an unknown field's name may hold any character.
func pointerOf(fe *referral.FieldError) string {
	path, last := fe.Path, ""
	if fe.Column != "" && strings.HasSuffix(path, fe.Column) {
		path, last = strings.TrimSuffix(path, fe.Column), fe.Column
		path = strings.TrimSuffix(path, ".")
	}
	var b strings.Builder
	isSep := func(r rune) bool { return r == '.' || r == '[' || r == ']' }
	for seg := range strings.FieldsFuncSeq(path, isSep) {
		b.WriteString("/" + escapePointer(seg))
	}
	if last != "" || path == "" {
		b.WriteString("/" + escapePointer(last))
	}
	return b.String()
}

// escapePointer escapes a JSON Pointer segment (RFC 6901).
func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
