package referralrules

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors of loading rules. Each Problem wraps one, so callers can
// test a load error with errors.Is; the level checks wrap the sentinels of
// package tier (tier.ErrGap, tier.ErrOverlap, tier.ErrRateOrder, ...).
var (
	ErrTooLarge        = errors.New("file too large")
	ErrSyntax          = errors.New("not valid YAML")
	ErrAlias           = errors.New("anchors and aliases are not allowed")
	ErrUnknownField    = errors.New("unknown field")
	ErrDuplicateKey    = errors.New("duplicate key")
	ErrType            = errors.New("wrong type")
	ErrMissing         = errors.New("missing field")
	ErrInvalid         = errors.New("invalid value")
	ErrCurrency        = errors.New("unknown currency")
	ErrMinorUnits      = errors.New("minor units outside 0..4")
	ErrTimeZone        = errors.New("unknown time zone")
	ErrCountryCurrency = errors.New("country currency not in currencies")
	ErrBenefit         = errors.New("unknown benefit")
	ErrBenefitText     = errors.New("benefit text missing")
	ErrRounding        = errors.New("unknown rounding mode")
	ErrPayout          = errors.New("unknown payout kind")
	ErrSettingRange    = errors.New("setting out of range")
)

// Problem is one thing wrong in a rules file, at the place it was found.
type Problem struct {
	File string // the file's name, as given to Load or Parse
	Line int    // 1-based line; 0 when the problem concerns the whole file
	// Column is the 1-based column; 0 when unknown, as for a YAML syntax
	// error, where the parser names only the line.
	Column int
	// Field is the path of the field, such as "levels[2].rate"; list items
	// are counted from 1. Empty when the problem is not about one field.
	Field string
	Value string // the offending value as written, if any
	Msg   string // what is wrong, for the person editing the file
	Err   error  // the sentinel error this problem is a case of
}

// Error returns the problem as "file:line:column: field: what is wrong".
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Column > 0 {
			fmt.Fprintf(&b, ":%d", p.Column)
		}
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Unwrap returns the sentinel error p is a case of.
func (p Problem) Unwrap() error { return p.Err }

// LoadError is every problem found in a rules file, in file order. Load and
// Parse return it as a *LoadError whenever the file itself is at fault.
type LoadError struct {
	Problems []Problem
}

// Error returns the problems one per line.
func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, so that errors.Is and errors.As look into
// every one of them.
func (e *LoadError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}
