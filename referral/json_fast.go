package referral

import "encoding/json"

// scanJSON reads a document in the common case, one pass over its bytes,
// into the rows the token walk of readJSONTokens would build from it. It
// takes only what that walk reads without a problem: the document's lists
// by their names, each once; rows as objects of the table's fields, each
// once, every required one there; values as strings, null in an optional
// field, and a boolean in registered. Anything else (a number, a nested
// value, an escape in a name, broken syntax, data after the document) makes
// it give up, ok false, and ReadJSON reads the document again by the token
// walk, so that the problems are reported exactly as that walk reports
// them. The rows it returns have no problems and no bad columns.
func scanJSON(b []byte) (rows *[numTables][]jsonRow, ok bool) {
	s := &jsonScanner{b: b}
	if !s.document() {
		return nil, false
	}
	return &s.rows, true
}

// jsonScanner is the state of scanJSON: the document and how far it has
// been read.
type jsonScanner struct {
	b     []byte
	i     int
	rows  [numTables][]jsonRow
	cells []string // room for the records of the next rows

	// The values of the row being read that are only parsed, never kept:
	// where each is in b, to be cut from one string of the row's text.
	parsed   mask
	parsedAt [maxColumns]span
}

// maxColumns is the number of columns of the widest table.
const maxColumns = 9

// parsedOnly marks, in each table, the columns whose text is only
// parsed (into a date, an instant, an amount, a boolean) and never kept
// in the Dataset; the text of a row's other columns is kept, and gets a
// string of its own so that the Dataset holds no text of the document.
var parsedOnly = [numTables]mask{
	1<<aRegistered | 1<<aActivatedOn,
	1<<cLinkedOn | 1<<cUnlinkedOn,
	1<<pPaidAt | 1<<pPeriodStart | 1<<pPeriodEnd | 1<<pAmount | 1<<pRefundedAt,
	1<<rRedeemedAt | 1<<rAmount,
}

// document reads the top-level object and makes sure nothing follows it.
func (s *jsonScanner) document() bool {
	if !s.next('{') {
		return false
	}
	var seen [numTables]bool
	for more := !s.next('}'); more; {
		t, ok := s.listName(&seen)
		if !ok || !s.next(':') || !s.list(t) {
			return false
		}
		if more = s.next(','); !more && !s.next('}') {
			return false
		}
	}
	s.space()
	return s.i == len(s.b)
}

// listName reads the name of a list not seen before.
func (s *jsonScanner) listName(seen *[numTables]bool) (table, bool) {
	name, ok := s.name()
	if !ok {
		return 0, false
	}
	for t := range numTables {
		if tableNames[t] == string(name) && !seen[t] {
			seen[t] = true
			return t, true
		}
	}
	return 0, false
}

// list reads the rows of t: an array of objects, or null.
func (s *jsonScanner) list(t table) bool {
	if s.literal("null") {
		return true
	}
	if !s.next('[') {
		return false
	}
	if s.next(']') {
		return true
	}
	for {
		if !s.row(t) {
			return false
		}
		if !s.next(',') {
			return s.next(']')
		}
	}
}

// row reads one row of t and keeps it.
func (s *jsonScanner) row(t table) bool {
	if !s.next('{') {
		return false
	}
	rec := s.record(len(columnNames[t]))
	var seen mask
	s.parsed = 0
	for more := !s.next('}'); more; {
		col, ok := s.fieldName(t, seen)
		if !ok || !s.next(':') || !s.value(t, col, rec) {
			return false
		}
		seen.add(col)
		if more = s.next(','); !more && !s.next('}') {
			return false
		}
	}
	for col := range columnNames[t] {
		if !optional(t, col) && !seen.has(col) { // value took no null there
			return false
		}
	}
	s.cutParsed(rec)
	s.rows[t] = append(s.rows[t], jsonRow{rec: rec})
	return true
}

// record returns an empty record of n columns.
func (s *jsonScanner) record(n int) record {
	if len(s.cells) < n {
		s.cells = make([]string, 64*maxColumns)
	}
	rec := record(s.cells[:n:n])
	s.cells = s.cells[n:]
	return rec
}

// cutParsed sets the parsed-only values of the row in rec, cut from one
// string of the part of the row's text that holds them.
func (s *jsonScanner) cutParsed(rec record) {
	if s.parsed == 0 {
		return
	}
	lo, hi := len(s.b), 0
	for col := range rec {
		if s.parsed.has(col) {
			lo, hi = min(lo, s.parsedAt[col].lo), max(hi, s.parsedAt[col].hi)
		}
	}
	text := string(s.b[lo:hi])
	for col := range rec {
		if at := s.parsedAt[col]; s.parsed.has(col) {
			rec[col] = text[at.lo-lo : at.hi-lo]
		}
	}
}

// fieldName reads the name of a field of t not seen in the row, and
// returns its column.
func (s *jsonScanner) fieldName(t table, seen mask) (int, bool) {
	name, ok := s.name()
	if !ok {
		return 0, false
	}
	for col, n := range columnNames[t] {
		if n == string(name) {
			return col, !seen.has(col)
		}
	}
	return 0, false
}

// value reads the value of column col of t into rec: a string, null in
// an optional column, a boolean in registered.
func (s *jsonScanner) value(t table, col int, rec record) bool {
	s.space()
	if s.i == len(s.b) {
		return false
	}
	switch s.b[s.i] {
	case '"':
		if parsedOnly[t].has(col) {
			if lo, hi, ok := s.plainText(); ok {
				s.parsed.add(col)
				s.parsedAt[col] = span{lo, hi}
				return true
			}
		}
		v, ok := s.text()
		rec[col] = v
		return ok
	case 'n':
		return optional(t, col) && s.literal("null")
	case 't', 'f':
		if t != accountantsTable || col != aRegistered {
			return false
		}
		if s.literal("true") {
			rec[col] = "true"
			return true
		}
		rec[col] = "false"
		return s.literal("false")
	}
	return false
}

// plainText reads a string value of plain ASCII, which means what it
// says with no unquoting, and returns where its text is in b. On any
// other string it reads nothing.
func (s *jsonScanner) plainText() (lo, hi int, ok bool) {
	j := s.i + 1 // after the opening quote
	for j < len(s.b) && s.b[j] != '"' && s.b[j] != '\\' && ' ' <= s.b[j] && s.b[j] < 0x80 {
		j++
	}
	if j == len(s.b) || s.b[j] != '"' {
		return 0, 0, false
	}
	lo, hi = s.i+1, j
	s.i = j + 1
	return lo, hi, true
}

// text reads a string value. Plain ASCII is taken as it is; a string
// with escapes or other bytes is unquoted by encoding/json, as the token
// walk unquotes it (invalid UTF-8 becoming U+FFFD).
func (s *jsonScanner) text() (string, bool) {
	if lo, hi, ok := s.plainText(); ok {
		return string(s.b[lo:hi]), true
	}
	start := s.i // the opening quote
	end, ok := s.stringEnd(start)
	if !ok {
		return "", false
	}
	var v string
	if json.Unmarshal(s.b[start:end], &v) != nil {
		return "", false
	}
	s.i = end
	return v, true
}

// stringEnd returns the index just after the closing quote of the string
// that opens at start.
func (s *jsonScanner) stringEnd(start int) (int, bool) {
	for j := start + 1; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			return j + 1, true
		case c == '\\':
			j++
		case c < ' ':
			return 0, false
		}
	}
	return 0, false
}

// name reads the name of a field.
// Names are plain ASCII; one with an escape or any other byte is left to
// the token walk.
func (s *jsonScanner) name() ([]byte, bool) {
	if !s.next('"') {
		return nil, false
	}
	start := s.i
	for s.i < len(s.b) && s.b[s.i] != '"' {
		if c := s.b[s.i]; c == '\\' || c < ' ' || c >= 0x80 {
			return nil, false
		}
		s.i++
	}
	if s.i == len(s.b) {
		return nil, false
	}
	s.i++
	return s.b[start : s.i-1], true
}

// next skips whitespace and reads the byte c if it comes next.
func (s *jsonScanner) next(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// literal skips whitespace and reads lit if it comes next. What follows
// it is checked by the caller, which wants a comma or a closing bracket.
func (s *jsonScanner) literal(lit string) bool {
	s.space()
	if len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit {
		s.i += len(lit)
		return true
	}
	return false
}

// space skips JSON whitespace.
func (s *jsonScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}
