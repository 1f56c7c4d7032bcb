package referral

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The kinds of bad input. Every problem that New, ReadDir, ReadCSV and
// ReadJSON report wraps one of these (or, for broken CSV syntax, one of
// encoding/csv's errors such as csv.ErrFieldCount), so callers can test
// it with errors.Is.
var (
	// Values of rows.
	ErrDuplicateID         = errors.New("duplicate id")  // an id used twice in its list
	ErrMissingValue        = errors.New("missing value") // a required value left empty
	ErrUnknownAccountant   = errors.New("client of an unknown accountant")
	ErrUnknownClient       = errors.New("payment of an unknown client")
	ErrMalformedCountry    = errors.New("malformed country") // not two upper-case letters (F13)
	ErrMalformedBool       = errors.New("malformed boolean") // not exactly true or false (F13)
	ErrMalformedDate       = errors.New("malformed date")    // not YYYY-MM-DD, or no such day
	ErrMalformedTime       = errors.New("malformed timestamp")
	ErrMalformedAmount     = errors.New("malformed amount") // not digits with an optional fraction
	ErrNegativeAmount      = errors.New("negative amount")
	ErrZeroAmount          = errors.New("zero amount")
	ErrTooManyDecimals     = errors.New("more decimals than the currency allows")
	ErrUnknownCurrency     = errors.New("unknown currency") // no minor units in the rules (D12)
	ErrPeriodOrder         = errors.New("period ends before it starts")
	ErrRefundBeforePayment = errors.New("refund before its payment")
	ErrMalformedText       = errors.New("malformed text") // an id or promotion that is not UTF-8
	// More than a Dataset holds: over 4 GiB of ids in one list, or over
	// 2^31-1 rows (its columns index rows and ids in 32 bits).
	ErrTooLarge = errors.New("too much data")

	// Shape of the input: CSV headers and JSON fields.
	ErrUnknownColumn   = errors.New("unknown column")   // a name the format does not have
	ErrMissingColumn   = errors.New("missing column")   // a CSV column or a required JSON field
	ErrDuplicateColumn = errors.New("duplicate column") // the same column or field twice
	ErrMalformedJSON   = errors.New("malformed json")   // broken JSON, or a value of the wrong type
)

// MaxErrors is how many problems a read or New collects before it stops
// looking: the first ones in file order (accountants, clients, payments,
// redemptions).
const MaxErrors = 100

// FieldError is one problem of the input, placed where it was found.
//
// From CSV, File is the file's base name (such as "payments.csv"), Line the
// line where the record starts (the header is line 1) and Column the
// header name; Column is empty for a problem of the whole record, such as a
// wrong number of fields. From JSON and from New, File is empty, Line is
// 0, Column is the field name and Path locates the value, such as
// "payments[3].amount" (rows counted from 0).
type FieldError struct {
	File   string
	Line   int
	Column string
	Path   string
	Value  string // the offending value as written ("" when there is none)
	Err    error  // the problem; it wraps one of the Err… kinds
}

// Error formats e as "file:line: column: what" for CSV and "path: what"
// for JSON and New.
func (e *FieldError) Error() string {
	var b strings.Builder
	switch {
	case e.File != "":
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
		}
		if e.Column != "" {
			b.WriteString(": " + e.Column)
		}
	case e.Path != "":
		b.WriteString(e.Path)
	default:
		b.WriteString(e.Column)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the problem, so that errors.Is finds its kind.
func (e *FieldError) Unwrap() error { return e.Err }

// Errors is every problem found in an input, in file order, at most
// MaxErrors of them. It is never empty when returned as an error.
type Errors []*FieldError

// Error lists the problems one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es), len(es)+1)
	for i, e := range es {
		lines[i] = e.Error()
	}
	if len(es) >= MaxErrors {
		lines = append(lines, fmt.Sprintf("(stopped at %d problems; there may be more)", len(es)))
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns each problem, so that errors.Is and errors.As look at
// all of them (errors.As with a *FieldError finds the first).
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// problem is one occurrence of a kind of bad input, with its own message.
type problem struct {
	kind error
	msg  string
}

func (p *problem) Error() string { return p.msg }
func (p *problem) Unwrap() error { return p.kind }

// problemf returns a problem of kind with a formatted message.
func problemf(kind error, format string, args ...any) error {
	return &problem{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// show writes a value for a message: as it is when it is plain printable
// text without spaces or quotes, quoted otherwise (so that "" and " x"
// stay visible).
func show(s string) string {
	if s == "" {
		return `""`
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '\\' {
			return strconv.Quote(s)
		}
	}
	return s
}
