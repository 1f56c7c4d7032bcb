package referral

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/caba1337/referralrules/internal/decimals"
	"github.com/shopspring/decimal"
)

// New checks accountants, clients and payments against the rules of the
// program's data (every row, in and out of the program) and returns them
// as a Dataset. cur tells which currencies exist and their minor digits;
// a nil cur knows none, so any payment is refused.
//
// The rules: ids and countries are never empty and ids are unique within
// their list; a country is two upper-case letters; every client belongs
// to a listed accountant and every payment to a listed client; link
// dates, paid_at, period_start and period_end are set; a period does not
// end before it starts; a refund is not before its payment (the same
// instant is allowed); an amount is positive, in a known currency, with
// no more decimals than the currency's minor digits, counted as written
// (its exponent, so 100.000 has three). A list past what a Dataset holds
// (over 2^31-1 rows, or over 4 GiB of ids) is refused with ErrTooLarge.
//
// On bad input New returns Errors, whose paths look like
// "payments[3].amount" (rows counted from 0), and no Dataset.
func New(accs []Accountant, clients []Client, pays []Payment, cur Currencies) (*Dataset, error) {
	c := newChecker(cur)
	checkRows(c, accountantsTable, accs, (*checker).checkAccountant,
		func(a *Accountant) { c.b.accs = append(c.b.accs, *a) })
	checkRows(c, clientsTable, clients, (*checker).checkClient, func(cl *Client) { c.keepClient(cl, 0) })
	checkRows(c, paymentsTable, pays, (*checker).checkPayment, func(p *Payment) { c.keepPayment(p, 0) })
	if err := c.err(); err != nil {
		return nil, err
	}
	return c.b.build(), nil
}

// startRow forgets what the checks of the last row found out.
func (c *checker) startRow() { c.fresh, c.ref = false, -1 }

// keepClient keeps a checked client, read from line (0 when not from a
// file), and indexes its id when it was new.
func (c *checker) keepClient(cl *Client, line int) {
	row := c.b.cID.len()
	if !c.b.addClient(cl, c.ref, line) {
		c.tooLarge(at{t: clientsTable, p: pos{row: row, line: line}, src: cl}, cID)
		return
	}
	if c.fresh {
		c.b.cIndex.add(cl.ID, row, c.b.clientID)
	}
}

// keepPayment keeps a checked payment as keepClient keeps a client.
func (c *checker) keepPayment(p *Payment, line int) {
	row := c.b.pID.len()
	digits, _ := c.minorUnits(p.Currency)
	if !c.b.addPayment(p, c.ref, digits, line) {
		c.tooLarge(at{t: paymentsTable, p: pos{row: row, line: line}, src: p}, pID)
		return
	}
	if c.fresh {
		c.b.pIndex.add(p.ID, row, c.b.paymentID)
	}
}

// tooLarge reports that row r, and so the whole input, is more than a
// Dataset holds, and stops the checks: every later row would be refused
// for the same reason.
func (c *checker) tooLarge(r at, col int) {
	c.report(r, col, problemf(ErrTooLarge, "%v: a Dataset holds up to %d %s and %d bytes of their ids",
		ErrTooLarge, maxRows, tableNames[r.t], maxStringsText))
	c.flush()
	c.stopped = true
}

// checkRows checks each row of t until the checker has enough problems,
// and gives each checked row to keep, when keep is not nil.
func checkRows[T any, P interface {
	*T
	texter
}](c *checker, t table, rows []T, check func(*checker, at, P, mask), keep func(P)) {
	for i := 0; i < len(rows) && !c.full(); i++ {
		row := P(&rows[i])
		c.startRow()
		check(c, at{t: t, p: pos{row: i}, src: row}, row, 0)
		if keep != nil {
			keep(row)
		}
		c.flush()
	}
}

// checker collects the problems of one input, row by row in file order,
// and remembers the ids seen so far. Readers also keep the rows they
// parsed in it.
type checker struct {
	cur   Currencies
	files [numTables]string // file name of each table read from CSV; "" otherwise
	ranks [numTables][]int  // position of each column in its CSV file; nil: as listed
	seen  [numTables]map[string]pos
	zones zones
	errs  Errors
	row   []ranked // problems of the row being checked

	b     *builder
	reds  []Redemption
	fresh bool // the row's id is new and valid: index it
	ref   int  // the row of the accountant or client the row refers to, or -1

	lastRef [numTables]int // the row the last reference to each table found, or -1

	decimals decimals.Cache // amounts, shared among rows
	lastCur  struct {       // the last currency found in cur
		code   string
		digits int
	}

	stopped bool // the input is more than a Dataset holds: check no further

	rows      [numTables]int // about how many rows each CSV file has, when known
	splitFrom int            // files of this many rows or more are split in a goroutine
}

// pos is where a row is: its index in its list and, from CSV, the line it
// starts on.
type pos struct{ row, line int }

// at is the row being checked: its table, place, and its text for messages.
type at struct {
	t   table
	p   pos
	src texter
}

// texter gives the text of a row's column, as written or as it would be.
type texter interface{ text(col int) string }

// ranked is a problem with the rank of its column in the row, so that a
// row's problems are reported left to right.
type ranked struct {
	rank int
	err  *FieldError
}

func newChecker(cur Currencies) *checker {
	c := &checker{cur: cur, zones: zones{}, b: newBuilder(), lastRef: [numTables]int{-1, -1, -1, -1}}
	for t := range c.seen {
		c.seen[t] = map[string]pos{}
	}
	return c
}

// full reports whether MaxErrors problems have been found.
func (c *checker) full() bool { return len(c.errs) >= MaxErrors || c.stopped }

// err returns the problems found, or nil.
func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}

// report notes a problem in column col of row r.
func (c *checker) report(r at, col int, err error) {
	fe := &FieldError{Column: columnNames[r.t][col], Value: r.src.text(col), Err: err}
	c.place(fe, r.t, r.p)
	c.row = append(c.row, ranked{rank: c.rank(r.t, col), err: fe})
}

// place sets where fe is: file and line from CSV, a path otherwise.
func (c *checker) place(fe *FieldError, t table, p pos) {
	if c.files[t] != "" {
		fe.File, fe.Line = c.files[t], p.line
		return
	}
	fe.Path = fmt.Sprintf("%s[%d]", tableNames[t], p.row)
	if fe.Column != "" {
		fe.Path += "." + fe.Column
	}
}

func (c *checker) rank(t table, col int) int {
	if c.ranks[t] == nil {
		return col
	}
	return c.ranks[t][col]
}

// flush moves the row's problems, left to right, into the list.
func (c *checker) flush() {
	slices.SortStableFunc(c.row, func(a, b ranked) int { return cmp.Compare(a.rank, b.rank) })
	for _, r := range c.row {
		if !c.full() {
			c.errs = append(c.errs, r.err)
		}
	}
	c.row = c.row[:0]
}

// describe names where a row is, for messages: "line 3" or "at
// payments[1]".
func (c *checker) describe(t table, p pos) string {
	if c.files[t] != "" {
		return "on line " + strconv.Itoa(p.line)
	}
	return fmt.Sprintf("at %s[%d]", tableNames[t], p.row)
}

// The checks of each kind of row. Columns in bad failed to parse and
// were reported already; their checks are skipped.

func (c *checker) checkAccountant(r at, a *Accountant, bad mask) {
	c.checkID(r, aID, a.ID)
	c.checkCountry(r, aCountry, a.Country)
	c.checkDate(r, aActivatedOn, a.ActivatedOn, bad)
}

func (c *checker) checkClient(r at, cl *Client, bad mask) {
	c.checkID(r, cID, cl.ID)
	c.checkRef(r, cAccountant, cl.AccountantID, accountantsTable, ErrUnknownAccountant)
	c.checkDate(r, cLinkedOn, cl.LinkedOn, bad)
	c.checkDate(r, cUnlinkedOn, cl.UnlinkedOn, bad)
}

func (c *checker) checkPayment(r at, p *Payment, bad mask) {
	c.checkID(r, pID, p.ID)
	c.checkRef(r, pClient, p.ClientID, clientsTable, ErrUnknownClient)
	c.checkTime(r, pPaidAt, p.PaidAt, bad)
	c.checkDate(r, pPeriodStart, p.PeriodStart, bad)
	c.checkDate(r, pPeriodEnd, p.PeriodEnd, bad)
	c.checkPeriod(r, p, bad)
	c.checkAmount(r, p, bad)
	c.checkCurrency(r, p.Currency)
	c.checkTime(r, pRefundedAt, p.RefundedAt, bad)
	c.checkRefund(r, p, bad)
	c.checkText(r, pPromotion, p.Promotion)
}

// checkID refuses an empty id and the second use of an id in its list.
func (c *checker) checkID(r at, col int, id string) {
	if id == "" {
		c.report(r, col, ErrMissingValue)
		return
	}
	if !c.checkText(r, col, id) {
		return
	}
	if first, dup := c.lookup(r.t, id); dup {
		c.report(r, col, problemf(ErrDuplicateID, "duplicate id %s (first %s)",
			show(id), c.describe(r.t, first)))
		return
	}
	switch r.t {
	case clientsTable, paymentsTable:
		c.fresh = true // indexed once the row is kept
	default:
		c.seen[r.t][id] = r.p
	}
}

// lookup finds the row of t whose id is id.
func (c *checker) lookup(t table, id string) (pos, bool) {
	switch t {
	case clientsTable:
		row, ok := c.b.cIndex.find(id, c.b.clientID)
		if !ok {
			return pos{}, false
		}
		return pos{row: row, line: c.b.cLines.line(row)}, true
	case paymentsTable:
		row, ok := c.b.pIndex.find(id, c.b.paymentID)
		if !ok {
			return pos{}, false
		}
		return pos{row: row, line: c.b.pLines.line(row)}, true
	default:
		p, ok := c.seen[t][id]
		return p, ok
	}
}

// checkRef refuses a reference to an id not seen in the list of.
func (c *checker) checkRef(r at, col int, id string, of table, kind error) {
	if id == "" {
		c.report(r, col, ErrMissingValue)
		return
	}
	if !c.checkText(r, col, id) {
		return
	}
	// Exports list a client's payments, or an accountant's clients,
	// together: the row of the last reference is tried first.
	// together, often in the same order as the list they refer to: the
	// row of the last reference, and the few after it, are tried first.
	if last := c.lastRef[of]; last >= -1 {
		for row := max(last, 0); row <= last+8; row++ {
			if c.idOf(of, row) == id {
				c.ref, c.lastRef[of] = row, row
				return
			}
		}
	}
	p, ok := c.lookup(of, id)
	if !ok {
		c.report(r, col, problemf(kind, "%v %s", kind, show(id)))
		return
	}
	c.ref, c.lastRef[of] = p.row, p.row
}

// idOf returns the id of row of t, a row kept by the builder (or "").
func (c *checker) idOf(t table, row int) string {
	switch t {
	case accountantsTable:
		if row < len(c.b.accs) {
			return c.b.accs[row].ID
		}
	case clientsTable:
		if row < c.b.cID.len() {
			return c.b.clientID(row)
		}
	}
	return ""
}

// checkText refuses text that is not valid UTF-8, which JSON cannot carry
// (an encoder writes U+FFFD in its place): the same row would then come
// back from a statement or a JSON copy of the data with another id. It
// reports whether s is valid.
func (c *checker) checkText(r at, col int, s string) bool {
	if utf8.ValidString(s) {
		return true
	}
	c.report(r, col, problemf(ErrMalformedText, "malformed text %s (not valid UTF-8)", show(s)))
	return false
}

// checkCountry wants an ISO 3166-1 alpha-2 code in upper case; any
// country is valid input (F13).
func (c *checker) checkCountry(r at, col int, code string) {
	switch {
	case code == "":
		c.report(r, col, ErrMissingValue)
	case len(code) != 2 || !upper(code[0]) || !upper(code[1]):
		c.report(r, col, problemf(ErrMalformedCountry,
			"malformed country %s (want two upper-case letters, such as CO)", show(code)))
	}
}

func upper(b byte) bool { return 'A' <= b && b <= 'Z' }

// checkDate wants a required date set, and any date in the calendar.
func (c *checker) checkDate(r at, col int, d Date, bad mask) {
	switch {
	case bad.has(col):
	case d == 0 && !optional(r.t, col):
		c.report(r, col, ErrMissingValue)
	case d < 0:
		c.report(r, col, problemf(ErrMalformedDate, "malformed date (before year 1)"))
	}
}

// checkTime wants a required instant set, and one RFC 3339 can write.
func (c *checker) checkTime(r at, col int, t time.Time, bad mask) {
	switch {
	case bad.has(col):
	case t.IsZero() && !optional(r.t, col):
		c.report(r, col, ErrMissingValue)
	case !t.IsZero() && (t.Year() < 1 || t.Year() > 9999):
		c.report(r, col, problemf(ErrMalformedTime, "malformed timestamp (year outside 1 to 9999)"))
	}
}

// checkPeriod refuses a period that ends before it starts.
func (c *checker) checkPeriod(r at, p *Payment, bad mask) {
	if bad.has(pPeriodStart) || bad.has(pPeriodEnd) || p.PeriodStart == 0 || p.PeriodEnd == 0 {
		return
	}
	if p.PeriodEnd < p.PeriodStart {
		c.report(r, pPeriodEnd, problemf(ErrPeriodOrder, "period_end %s < period_start %s",
			r.src.text(pPeriodEnd), r.src.text(pPeriodStart)))
	}
}

// checkAmount wants a positive amount with no more decimals than its
// currency's minor digits (D12). An unknown currency is reported on its
// own column.
func (c *checker) checkAmount(r at, p *Payment, bad mask) {
	c.checkMoney(r, pAmount, p.Amount, p.Currency, bad)
}

// checkMoney is checkAmount for the amount in column col of any row.
func (c *checker) checkMoney(r at, col int, amount decimal.Decimal, currency string, bad mask) {
	if bad.has(col) {
		return
	}
	text := r.src.text(col)
	switch amount.Sign() {
	case -1:
		c.report(r, col, problemf(ErrNegativeAmount, "negative amount %s (D12)", show(text)))
		return
	case 0:
		c.report(r, col, problemf(ErrZeroAmount, "zero amount %s (D12)", show(text)))
		return
	}
	minor, ok := c.minorUnits(currency)
	if n := decimalsOf(amount); ok && n > minor {
		c.report(r, col, problemf(ErrTooManyDecimals, "amount %s has %d decimals; %s allows %d (D12)",
			show(text), n, currency, minor))
	}
}

// checkCurrency wants a currency with minor units in the rules (D12).
func (c *checker) checkCurrency(r at, code string) { c.checkCurrencyAt(r, pCurrency, code) }

// checkCurrencyAt is checkCurrency for the currency in column col.
func (c *checker) checkCurrencyAt(r at, col int, code string) {
	if code == "" {
		c.report(r, col, ErrMissingValue)
		return
	}
	if _, ok := c.minorUnits(code); !ok {
		c.report(r, col, problemf(ErrUnknownCurrency,
			"unknown currency %s (no minor units in the rules, D12)", show(code)))
	}
}

func (c *checker) minorUnits(code string) (int, bool) {
	if c.cur == nil {
		return 0, false
	}
	if code == c.lastCur.code && code != "" { // rows are nearly all in one currency
		return c.lastCur.digits, true
	}
	d, ok := c.cur.MinorUnits(code)
	if ok {
		c.lastCur.code, c.lastCur.digits = strings.Clone(code), d
	}
	return d, ok
}

// checkRefund refuses a refund before its payment; at the same instant
// is allowed (F14).
func (c *checker) checkRefund(r at, p *Payment, bad mask) {
	if bad.has(pPaidAt) || bad.has(pRefundedAt) || p.PaidAt.IsZero() || p.RefundedAt.IsZero() {
		return
	}
	if p.RefundedAt.Before(p.PaidAt) {
		c.report(r, pRefundedAt, problemf(ErrRefundBeforePayment,
			"refunded_at %s is before paid_at %s", r.src.text(pRefundedAt), r.src.text(pPaidAt)))
	}
}

// The text of each column of a typed row, as ReadCSV would read it back.

func (a *Accountant) text(col int) string {
	switch col {
	case aID:
		return a.ID
	case aCountry:
		return a.Country
	case aRegistered:
		return strconv.FormatBool(a.Registered)
	default:
		return a.ActivatedOn.String()
	}
}

func (cl *Client) text(col int) string {
	switch col {
	case cID:
		return cl.ID
	case cAccountant:
		return cl.AccountantID
	case cLinkedOn:
		return cl.LinkedOn.String()
	default:
		return cl.UnlinkedOn.String()
	}
}

func (p *Payment) text(col int) string {
	switch col {
	case pID:
		return p.ID
	case pClient:
		return p.ClientID
	case pPaidAt:
		return formatTime(p.PaidAt)
	case pPeriodStart:
		return p.PeriodStart.String()
	case pPeriodEnd:
		return p.PeriodEnd.String()
	case pAmount:
		return writtenAmount(p.Amount)
	case pCurrency:
		return p.Currency
	case pPromotion:
		return p.Promotion
	default:
		return formatTime(p.RefundedAt)
	}
}

// formatTime writes t in RFC 3339 with its offset and as many fraction
// digits as it needs; the zero time is "".
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}
