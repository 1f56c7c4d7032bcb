package referral

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The files of a data folder, as finance exports them.
const (
	AccountantsFile = "accountants.csv"
	ClientsFile     = "clients.csv"
	PaymentsFile    = "payments.csv"
)

// ReadDir reads a data folder: AccountantsFile, ClientsFile and
// PaymentsFile in dir, and RedemptionsFile when it is there, as ReadCSV
// does. A file that cannot be opened (other than an absent
// RedemptionsFile) is returned as the error of os.Open.
func ReadDir(dir string, cur Currencies) (*Dataset, error) {
	var files [numTables]io.Reader
	var lines [numTables]int
	for t, name := range [numTables]string{AccountantsFile, ClientsFile, PaymentsFile, RedemptionsFile} {
		f, err := os.Open(filepath.Join(dir, name))
		if table(t) == redemptionsTable && errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if lines[t], err = countLines(f); err != nil {
			return nil, err
		}
		files[t] = f
	}
	return readCSV(files, lines, cur)
}

// countLines counts the line feeds of f and goes back to its start: the
// number of rows, give or take a header, a last line without a line
// feed and quoted line feeds, so that the columns are made the right
// size at once instead of growing. Reading a file twice costs far less
// than copying its columns as they grow.
func countLines(f *os.File) (int, error) {
	buf := make([]byte, 1<<20)
	n := 0
	for {
		k, err := f.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	_, err := f.Seek(0, io.SeekStart)
	return n, err
}

// ReadCSV reads the three tables of a dataset from CSV, checks them as New
// does, and returns the Dataset.
//
// Each file starts with a header of fixed column names (SPEC section 5),
// in any order; every column must be there, once, and no other. A UTF-8
// byte-order mark is skipped, blank lines are skipped, values are taken
// as written (never trimmed), and quoting follows RFC 4180 strictly.
// Empty text is allowed only in activated_on, unlinked_on, promotion and
// refunded_at. Dates are YYYY-MM-DD; timestamps are RFC 3339 with "T"
// and an offset ("Z" or ±hh:mm), fractions of a second beyond the
// nanosecond being cut; amounts are digits with an optional fraction.
//
// Bad input is returned as Errors: each problem names the file
// (AccountantsFile, ClientsFile or PaymentsFile), the line where the
// record starts and the column by its header name, in file order, and
// reading stops after MaxErrors of them. A header without a required
// column, or broken quoting, stops the reading there, since what follows
// cannot be trusted. Other errors of the readers are returned as they are.
func ReadCSV(accountants, clients, payments io.Reader, cur Currencies) (*Dataset, error) {
	return readCSV([numTables]io.Reader{accountants, clients, payments}, [numTables]int{}, cur)
}

// readCSV reads the tables whose reader is not nil; rows[t], when known,
// is about the number of rows of table t.
func readCSV(files [numTables]io.Reader, rows [numTables]int, cur Currencies) (*Dataset, error) {
	return readCSVSplit(files, rows, splitFrom, cur)
}

// readCSVSplit is readCSV with the files of split rows or more (by rows)
// split in a goroutine of their own.
func readCSVSplit(files [numTables]io.Reader, rows [numTables]int, split int, cur Currencies) (*Dataset, error) {
	c := newChecker(cur)
	c.rows, c.splitFrom = rows, split
	c.b.reserve(rows)
	c.files = [numTables]string{AccountantsFile, ClientsFile, PaymentsFile, RedemptionsFile}
	for t, r := range files {
		if r == nil {
			continue
		}
		more, err := c.readTable(table(t), r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.files[t], err)
		}
		if !more {
			break
		}
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return c.dataset(), nil
}

// readTable reads one CSV file of table t into the checker. It returns
// false when reading must stop here, and the error of r, if any.
func (c *checker) readTable(t table, r io.Reader) (more bool, err error) {
	cr := csv.NewReader(skipBOM(r))
	cr.ReuseRecord = true
	order, ok, err := c.readHeader(t, cr)
	if err != nil || !ok {
		return false, err
	}
	var src records = csvRecords{cr}
	if c.rows[t] >= c.splitFrom {
		split := splitRecords(cr)
		defer split.close()
		src = split
	}
	rec := make(record, len(columnNames[t]))
	for !c.full() {
		fields, line, err := src.next()
		if err == nil {
			c.addRecord(t, line, order, fields, &rec)
			continue
		}
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return true, nil
		case errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount):
			c.badRecord(t, pe)
			c.keepID(t, pe.StartLine, order, fields)
			continue
		case errors.As(err, &pe):
			c.badRecord(t, pe)
			return false, nil
		default:
			return false, err
		}
	}
	return false, nil
}

// records gives the records of a CSV file in order: the fields, the line
// the record starts on, and the error of csv.Reader.Read.
type records interface {
	next() (fields []string, line int, err error)
}

// csvRecords reads the records as they are asked for.
type csvRecords struct{ cr *csv.Reader }

func (x csvRecords) next() ([]string, int, error) {
	fields, err := x.cr.Read()
	line := 0
	if err == nil {
		line, _ = x.cr.FieldPos(0)
	}
	return fields, line, err
}

// splitFrom is the number of rows from which a file's records are split
// in a goroutine of their own (see splitRecords): below it, a goroutine
// costs more than it saves.
const splitFrom = 100_000

// csvBatch is a run of records split by encoding/csv: the fields of each,
// end to end, with where each record starts and its error.
type csvBatch struct {
	fields []string
	recs   []csvRecord
}

type csvRecord struct {
	lo, hi int   // the record's fields are fields[lo:hi]
	line   int   // the line the record starts on
	err    error // the error of csv.Reader.Read, io.EOF at the end
}

const batchRecords = 1024

// splitRecords splits the records of cr in a goroutine of its own, ahead
// of the parsing and checking of the rows, so that a large file keeps two
// cores busy; it hands them over in batches, in file order. The last
// record it sends has the error that ended the reading (io.EOF at the end
// of the file). close stops the goroutine and waits for it, so that the
// file is not read after readTable returns.
func splitRecords(cr *csv.Reader) *splitter {
	s := &splitter{
		batches: make(chan *csvBatch, 4), free: make(chan *csvBatch, 4), stop: make(chan struct{}),
	}
	go s.run(cr)
	return s
}

type splitter struct {
	batches chan *csvBatch // filled batches, in order; closed when the goroutine ends
	free    chan *csvBatch // read batches, to fill again
	stop    chan struct{}  // closed to make the goroutine return
	cur     *csvBatch      // the batch being read
	at      int            // the next record of cur
}

func (s *splitter) run(cr *csv.Reader) {
	defer close(s.batches)
	b := &csvBatch{}
	for {
		fields, line, err := csvRecords{cr}.next()
		// The strings of a record are its own (ReuseRecord reuses only the
		// slice), so keeping them is safe.
		lo := len(b.fields)
		b.fields = append(b.fields, fields...)
		b.recs = append(b.recs, csvRecord{lo: lo, hi: len(b.fields), line: line, err: err})
		last := err != nil && !errors.Is(err, csv.ErrFieldCount)
		if len(b.recs) < batchRecords && !last {
			continue
		}
		select {
		case s.batches <- b:
		case <-s.stop:
			return
		}
		if last {
			return
		}
		select {
		case b = <-s.free:
			b.fields, b.recs = b.fields[:0], b.recs[:0]
		default:
			b = &csvBatch{}
		}
	}
}

func (s *splitter) next() ([]string, int, error) {
	for s.cur == nil || s.at == len(s.cur.recs) {
		if s.cur != nil {
			select {
			case s.free <- s.cur:
			default:
			}
		}
		b, ok := <-s.batches
		if !ok {
			return nil, 0, io.ErrUnexpectedEOF // not reached: the last batch ends with an error
		}
		s.cur, s.at = b, 0
	}
	x := s.cur.recs[s.at]
	s.at++
	return s.cur.fields[x.lo:x.hi:x.hi], x.line, x.err
}

func (s *splitter) close() {
	close(s.stop)
	for range s.batches {
	}
}

// addRecord puts the fields of a record in column order into rec (a
// buffer reused from record to record) and adds the row.
func (c *checker) addRecord(t table, line int, order []int, fields []string, rec *record) {
	for i, col := range order {
		if col >= 0 {
			(*rec)[col] = fields[i]
		}
	}
	c.addRow(t, pos{row: c.count(t), line: line}, rec, 0)
}

// count returns how many rows of t were kept so far.
func (c *checker) count(t table) int {
	switch t {
	case accountantsTable:
		return len(c.b.accs)
	case clientsTable:
		return c.b.cID.len()
	case paymentsTable:
		return c.b.pID.len()
	default:
		return len(c.reds)
	}
}

// readHeader reads the header of t and returns, for each of its columns,
// the index of the column in columnNames (-1 for one to ignore). It
// reports unknown, duplicate and missing columns at the header's line;
// ok is false when a column is missing or the header cannot be read.
func (c *checker) readHeader(t table, cr *csv.Reader) (order []int, ok bool, err error) {
	header, err := cr.Read()
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		c.badRecord(t, pe)
		return nil, false, nil
	case err != nil && err != io.EOF:
		return nil, false, err
	}
	line := 1
	if err == nil {
		line, _ = cr.FieldPos(0)
	}
	order, ranks := c.matchHeader(t, header, line)
	c.ranks[t] = ranks
	missing := c.missingColumns(t, ranks, line)
	c.flush()
	return order, !missing, nil
}

// matchHeader maps each header name to its column, reporting unknown and
// repeated names, and returns the rank of each column in the file (-1
// for a missing one).
func (c *checker) matchHeader(t table, header []string, line int) (order, ranks []int) {
	order = make([]int, len(header))
	ranks = make([]int, len(columnNames[t]))
	for i := range ranks {
		ranks[i] = -1
	}
	for i, name := range header {
		col := columnIndex(t, name)
		order[i] = col
		switch {
		case col < 0:
			c.headerProblem(t, line, i, name, problemf(ErrUnknownColumn,
				"unknown column %q in the header", name))
		case ranks[col] >= 0:
			order[i] = -1
			c.headerProblem(t, line, i, name, problemf(ErrDuplicateColumn,
				"duplicate column %q in the header", name))
		default:
			ranks[col] = i
		}
	}
	return order, ranks
}

// missingColumns reports each column absent from the header and tells
// whether there was one.
func (c *checker) missingColumns(t table, ranks []int, line int) bool {
	missing := false
	for col, rank := range ranks {
		if rank < 0 {
			missing = true
			name := columnNames[t][col]
			c.headerProblem(t, line, len(ranks)+col, name, problemf(ErrMissingColumn,
				"missing column %q in the header", name))
		}
	}
	return missing
}

// headerProblem notes a problem of the header, ranked by its place.
func (c *checker) headerProblem(t table, line, rank int, column string, err error) {
	fe := &FieldError{File: c.files[t], Line: line, Column: column, Value: column, Err: err}
	c.row = append(c.row, ranked{rank: rank, err: fe})
}

// badRecord notes a record that encoding/csv could not read.
func (c *checker) badRecord(t table, pe *csv.ParseError) {
	msg := pe.Err.Error()
	if pe.Line != pe.StartLine || !errors.Is(pe.Err, csv.ErrFieldCount) {
		msg = fmt.Sprintf("%s (line %d, byte %d)", msg, pe.Line, pe.Column)
	}
	fe := &FieldError{File: c.files[t], Line: pe.StartLine, Err: &problem{kind: pe.Err, msg: msg}}
	c.row = append(c.row, ranked{err: fe})
	c.flush()
}

// keepID remembers the id of a record with the wrong number of fields,
// when it has one, so that rows referring to it are not refused too.
func (c *checker) keepID(t table, line int, order []int, fields []string) {
	for i, col := range order {
		if col == 0 && i < len(fields) && fields[i] != "" {
			id := fields[i]
			if _, dup := c.lookup(t, id); dup {
				continue
			}
			c.startRow()
			c.fresh = true
			switch t {
			case clientsTable:
				c.keepClient(&Client{ID: id}, line)
			case paymentsTable:
				c.keepPayment(&Payment{ID: id}, line)
			default:
				c.seen[t][strings.Clone(id)] = pos{line: line}
			}
		}
	}
}

// skipBOM returns r without a leading UTF-8 byte-order mark.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	return br
}
