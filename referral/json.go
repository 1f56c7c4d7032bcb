package referral

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// ReadJSON reads a dataset written as one JSON object,
//
//	{"accountants": [...], "clients": [...], "payments": [...], "redemptions": [...]}
//
// checks it as New does, and returns the Dataset. Each row is an object
// whose field names are the CSV column names. Values are JSON strings
// written exactly as in CSV: amounts too ("69900.00", never the number
// 69900), so that no amount passes through a binary float. registered
// may be the boolean true or false, or the string "true" or "false". The
// optional fields (activated_on, unlinked_on, promotion, refunded_at) may
// be left out, null or ""; any other field is required, and a field not
// listed here is refused, as is the same field twice. A missing list is
// an empty one.
//
// Bad input is returned as Errors, each with the path of the value, such
// as "payments[3].amount" (rows counted from 0), in the order
// accountants, clients, payments, redemptions whatever the order of the
// lists in the document. Broken JSON syntax is a single problem of kind
// ErrMalformedJSON that gives the byte offset. Errors of r are returned
// as they are. ReadJSON reads r to its end before decoding.
func ReadJSON(r io.Reader, cur Currencies) (*Dataset, error) {
	b, err := io.ReadAll(r)
	if err != nil { // the token walk meets the error where it would have
		return readJSONTokens(io.MultiReader(bytes.NewReader(b), errReader{err}), cur)
	}
	if rows, ok := scanJSON(b); ok {
		return checkJSON(nil, rows, cur)
	}
	return readJSONTokens(bytes.NewReader(b), cur)
}

// readJSONTokens is ReadJSON by the token walk, which places every
// problem. ReadJSON reads a document this way when scanJSON gives up.
func readJSONTokens(r io.Reader, cur Currencies) (*Dataset, error) {
	d := &jsonDecoder{dec: json.NewDecoder(r)}
	d.dec.UseNumber()
	if err := d.document(); err != nil {
		return nil, d.fail(err)
	}
	return checkJSON(d.top, &d.rows, cur)
}

// checkJSON reads and checks the rows of a document as New does, after
// top, the problems of the document's own fields.
func checkJSON(top []ranked, rows *[numTables][]jsonRow, cur Currencies) (*Dataset, error) {
	c := newChecker(cur)
	c.row = append(c.row, top...)
	c.flush()
	for t := range numTables {
		for i := 0; i < len(rows[t]) && !c.full(); i++ {
			row := &rows[t][i]
			c.row = append(c.row, row.errs...)
			c.addRow(t, pos{row: i}, &row.rec, row.bad)
		}
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return c.dataset(), nil
}

// errReader returns err on every read: the error that stopped reading
// the document, given again to the token walk after the bytes read.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// jsonDecoder reads the document token by token, so that it can place
// every problem by its path and refuse numbers where text is wanted.
type jsonDecoder struct {
	dec  *json.Decoder
	top  []ranked             // problems of the document's own fields
	rows [numTables][]jsonRow // the rows of each list, as text
	seen [numTables]bool      // lists already read
}

// jsonRow is one row as text, with the problems found while decoding it
// and the columns they make unusable.
type jsonRow struct {
	rec  record
	bad  mask
	errs []ranked
}

// fail turns an error that stopped the decoding into what ReadJSON
// returns: a syntax error becomes a problem with its byte offset.
func (d *jsonDecoder) fail(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		err = problemf(ErrMalformedJSON, "malformed json: %v (byte %d)", se, se.Offset)
	case err == io.EOF: // only before the first token
		err = problemf(ErrMalformedJSON, "malformed json: empty input")
	case errors.Is(err, io.ErrUnexpectedEOF):
		err = problemf(ErrMalformedJSON, "malformed json: unexpected end of input")
	case !errors.Is(err, ErrMalformedJSON):
		return err
	}
	return Errors{{Err: err}}
}

// document reads the top-level object and makes sure nothing follows it.
func (d *jsonDecoder) document() error {
	if err := d.delim('{', "the document"); err != nil {
		return err
	}
	for d.dec.More() {
		if err := d.list(); err != nil {
			return err
		}
	}
	if _, err := d.dec.Token(); err != nil {
		return err
	}
	if _, err := d.dec.Token(); err != io.EOF {
		return problemf(ErrMalformedJSON, "malformed json: data after the document (byte %d)",
			d.dec.InputOffset())
	}
	return nil
}

// list reads one field of the document: a list of rows, or a field to
// refuse.
func (d *jsonDecoder) list() error {
	key, err := d.key()
	if err != nil {
		return err
	}
	t := table(0)
	for t < numTables && tableNames[t] != key {
		t++
	}
	switch {
	case t == numTables:
		d.topProblem(key, problemf(ErrUnknownColumn,
			"unknown field %q (want accountants, clients, payments, redemptions)", key))
		return d.skip()
	case d.seen[t]:
		d.topProblem(key, problemf(ErrDuplicateColumn, "duplicate field %q", key))
		return d.skip()
	}
	d.seen[t] = true
	return d.rowsOf(t)
}

// topProblem notes a problem of the document's field key.
func (d *jsonDecoder) topProblem(key string, err error) {
	d.top = append(d.top, ranked{rank: len(d.top), err: &FieldError{Column: key, Path: key, Err: err}})
}

// rowsOf reads the array of rows of t (null is an empty one).
func (d *jsonDecoder) rowsOf(t table) error {
	tok, err := d.dec.Token()
	if err != nil || tok == nil {
		return err
	}
	if tok != json.Delim('[') {
		return problemf(ErrMalformedJSON, "malformed json: %s must be an array", tableNames[t])
	}
	for d.dec.More() {
		row, err := d.row(t, len(d.rows[t]))
		if err != nil {
			return err
		}
		d.rows[t] = append(d.rows[t], row)
	}
	_, err = d.dec.Token()
	return err
}

// row reads row i of t, an object of text fields.
func (d *jsonDecoder) row(t table, i int) (jsonRow, error) {
	row := jsonRow{rec: make(record, len(columnNames[t]))}
	if err := d.delim('{', fmt.Sprintf("%s[%d]", tableNames[t], i)); err != nil {
		return row, err
	}
	var present mask
	for d.dec.More() {
		if err := d.field(t, i, &row, &present); err != nil {
			return row, err
		}
	}
	if _, err := d.dec.Token(); err != nil {
		return row, err
	}
	for col, name := range columnNames[t] {
		if !present.has(col) && !row.bad.has(col) && !optional(t, col) {
			row.problem(t, i, col, name, "", problemf(ErrMissingColumn, "missing field %q", name))
		}
	}
	return row, nil
}

// field reads one field of row i of t into row.
func (d *jsonDecoder) field(t table, i int, row *jsonRow, present *mask) error {
	key, err := d.key()
	if err != nil {
		return err
	}
	col := columnIndex(t, key)
	switch {
	case col < 0:
		row.problem(t, i, -1, key, "", problemf(ErrUnknownColumn, "unknown field %q", key))
		return d.skip()
	case present.has(col):
		row.problem(t, i, col, key, "", problemf(ErrDuplicateColumn, "duplicate field %q", key))
		return d.skip()
	}
	tok, err := d.dec.Token()
	if err != nil {
		return err
	}
	if tok != nil {
		present.add(col)
	}
	return d.value(t, i, col, tok, row)
}

// value stores the token tok as the text of column col, or notes why it
// cannot be.
func (d *jsonDecoder) value(t table, i, col int, tok json.Token, row *jsonRow) error {
	name := columnNames[t][col]
	switch v := tok.(type) {
	case nil:
	case string:
		row.rec[col] = v
	case bool:
		if t == accountantsTable && col == aRegistered {
			row.rec[col] = strconv.FormatBool(v)
			return nil
		}
		row.problem(t, i, col, name, strconv.FormatBool(v), wrongType(name, "a boolean"))
	case json.Number:
		err := wrongType(name, "a number")
		if (t == paymentsTable && col == pAmount) || (t == redemptionsTable && col == rAmount) {
			err = problemf(ErrMalformedAmount, "amount %s is a JSON number; write it as a string, %q",
				v, v.String())
		}
		row.problem(t, i, col, name, v.String(), err)
	case json.Delim:
		what := "an array"
		if v == '{' {
			what = "an object"
		}
		row.problem(t, i, col, name, "", wrongType(name, what))
		return d.skipFrom(v)
	}
	return nil
}

func wrongType(name, what string) error {
	return problemf(ErrMalformedJSON, "%s must be a string, not %s", name, what)
}

// problem notes a problem of column col (-1 for an unknown field, which
// comes first) and marks the column unusable.
func (row *jsonRow) problem(t table, i, col int, name, value string, err error) {
	fe := &FieldError{Column: name, Path: fmt.Sprintf("%s[%d].%s", tableNames[t], i, name),
		Value: value, Err: err}
	row.errs = append(row.errs, ranked{rank: col, err: fe})
	if col >= 0 {
		row.bad.add(col)
	}
}

// key reads the name of the next field of an object.
func (d *jsonDecoder) key() (string, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return "", err
	}
	key, ok := tok.(string)
	if !ok { // the decoder yields only names here; this is a guard
		return "", problemf(ErrMalformedJSON, "malformed json: want a field name")
	}
	return key, nil
}

// delim reads the token want, which opens what.
func (d *jsonDecoder) delim(want json.Delim, what string) error {
	tok, err := d.dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return problemf(ErrMalformedJSON, "malformed json: %s must be an object", what)
	}
	return nil
}

// skip reads and drops the next value.
func (d *jsonDecoder) skip() error {
	tok, err := d.dec.Token()
	if err != nil {
		return err
	}
	if open, ok := tok.(json.Delim); ok {
		return d.skipFrom(open)
	}
	return nil
}

// skipFrom drops the rest of an object or array whose opening was read.
func (d *jsonDecoder) skipFrom(open json.Delim) error {
	for depth := 1; depth > 0; {
		tok, err := d.dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// WriteJSON writes ds in the form ReadJSON reads, one row per line:
// dates as YYYY-MM-DD, timestamps in RFC 3339 with their offset, amounts
// as strings with the decimals they were written with, registered as a
// boolean, empty optional values as "". Rows come in the order of the
// Dataset's methods.
func (ds *Dataset) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("{")
	writeList(bw, accountantsTable, ds.accountants)
	bw.WriteString(",\n")
	writeList(bw, clientsTable, ds.Clients())
	bw.WriteString(",\n")
	writeList(bw, paymentsTable, ds.Payments())
	if len(ds.redemptions) > 0 {
		bw.WriteString(",\n")
		writeList(bw, redemptionsTable, ds.redemptions)
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// MarshalJSON returns ds as WriteJSON writes it. There is no
// UnmarshalJSON: reading needs the currencies, so use ReadJSON.
func (ds *Dataset) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	err := ds.WriteJSON(&b)
	return b.Bytes(), err
}

// writeList writes the list of table t, named, with one row per line.
func writeList[T any, P interface {
	*T
	texter
}](w *bufio.Writer, t table, rows []T) {
	w.WriteString(strconv.Quote(tableNames[t]) + ": [")
	for i := range rows {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n  ")
		writeRow(w, t, P(&rows[i]))
	}
	w.WriteString("\n]")
}

// writeRow writes one row as an object of text fields.
func writeRow(w *bufio.Writer, t table, row texter) {
	w.WriteByte('{')
	for col, name := range columnNames[t] {
		if col > 0 {
			w.WriteByte(',')
		}
		writeString(w, name)
		w.WriteByte(':')
		if t == accountantsTable && col == aRegistered {
			w.WriteString(row.text(col))
			continue
		}
		writeString(w, row.text(col))
	}
	w.WriteByte('}')
}

// writeString writes s as a JSON string.
func writeString(w *bufio.Writer, s string) {
	b, _ := json.Marshal(s) // a string always marshals
	w.Write(b)
}
