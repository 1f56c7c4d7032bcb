package referral

import (
	"time"

	"github.com/caba1337/referralrules/internal/decimals"
	"github.com/shopspring/decimal"
)

// table is one of the lists of a dataset, in the order they are read and
// checked.
type table int

const (
	accountantsTable table = iota
	clientsTable
	paymentsTable
	redemptionsTable // optional; see redemption.go
	numTables
)

// The columns of each table, in the order the rest of the package indexes
// them (the a…, c… and p… constants). In CSV they may come in any order.
var columnNames = [numTables][]string{
	{"accountant_id", "country", "registered", "activated_on"},
	{"client_id", "accountant_id", "linked_on", "unlinked_on"},
	{"payment_id", "client_id", "paid_at", "period_start", "period_end",
		"amount", "currency", "promotion", "refunded_at"},
	{"redemption_id", "accountant_id", "redeemed_at", "amount", "currency", "reference"},
}

// tableNames names each table in file names and JSON.
var tableNames = [numTables]string{"accountants", "clients", "payments", "redemptions"}

// Columns of accountants.
const (
	aID = iota
	aCountry
	aRegistered
	aActivatedOn
)

// Columns of clients.
const (
	cID = iota
	cAccountant
	cLinkedOn
	cUnlinkedOn
)

// Columns of payments.
const (
	pID = iota
	pClient
	pPaidAt
	pPeriodStart
	pPeriodEnd
	pAmount
	pCurrency
	pPromotion
	pRefundedAt
)

// optional reports whether column col of t may be empty (JSON may also
// leave it out).
func optional(t table, col int) bool {
	switch t {
	case accountantsTable:
		return col == aActivatedOn
	case clientsTable:
		return col == cUnlinkedOn
	case paymentsTable:
		return col == pPromotion || col == pRefundedAt
	default:
		return false
	}
}

// columnIndex returns the index of the column named name in t, or -1.
func columnIndex(t table, name string) int {
	for i, n := range columnNames[t] {
		if n == name {
			return i
		}
	}
	return -1
}

// mask is a set of columns of one row, such as those already found bad.
type mask uint16

func (m mask) has(col int) bool { return m&(1<<col) != 0 }
func (m *mask) add(col int)     { *m |= 1 << col }

// parseAmount reads an amount written as digits with an optional
// fraction ("69900", "69900.00"), as D12 and F14 allow, keeping the
// decimals as written: "100.000" has three. A leading minus is read too,
// so that a negative amount is refused for what it is rather than as
// malformed; signs, exponents, separators and spaces are refused.
func parseAmount(s string) (decimal.Decimal, error) { return parseAmountWith(s, nil) }

// parseAmountWith is parseAmount taking the decimals of small amounts from
// cache, when it is not nil.
func parseAmountWith(s string, cache *decimals.Cache) (decimal.Decimal, error) {
	digits := s
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if !plainDecimal(digits) {
		return decimal.Decimal{}, problemf(ErrMalformedAmount,
			"malformed amount %s (want digits with an optional fraction, such as 69900.00)", show(s))
	}
	if len(digits) <= 19 { // at most 18 digits and a point: the coefficient fits in int64
		var coef int64
		decimals := 0
		for i := 0; i < len(digits); i++ {
			if digits[i] == '.' {
				decimals = len(digits) - i - 1
				continue
			}
			coef = coef*10 + int64(digits[i]-'0')
		}
		if len(digits) < len(s) {
			coef = -coef
		}
		if len(digits) < 19 || decimals > 0 {
			if cache != nil {
				return cache.New(coef, -int32(decimals)), nil
			}
			return decimal.New(coef, -int32(decimals)), nil
		}
	}
	return decimal.NewFromString(s)
}

// plainDecimal reports whether s is one or more digits, optionally
// followed by a point and one or more digits.
func plainDecimal(s string) bool {
	i := skipDigits(s, 0)
	if i == 0 {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != '.' {
		return false
	}
	j := skipDigits(s, i+1)
	return j > i+1 && j == len(s)
}

// skipDigits returns the index of the first non-digit of s at or after i.
func skipDigits(s string, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// decimalsOf returns how many decimals d was written with.
func decimalsOf(d decimal.Decimal) int { return max(0, -int(d.Exponent())) }

// writtenAmount formats d with the decimals it was written with, so that
// "69900.00" stays "69900.00" (decimal's String would drop the zeros).
func writtenAmount(d decimal.Decimal) string {
	if n := decimalsOf(d); n > 0 {
		return d.StringFixed(int32(n))
	}
	return d.String()
}

// zones keeps one fixed-offset location per offset seen while reading, so
// that timestamps with the same offset share it.
type zones map[int]*time.Location

// parseTime reads an RFC 3339 timestamp as F14 narrows it: "T" between
// date and time (never a space), seconds 00 to 59 (no leap second), any
// number of fraction digits (kept to the nanosecond, the rest cut), and a
// required offset, "Z" or ±hh:mm. Upper case "T" and "Z" only.
func (zs zones) parseTime(s string) (time.Time, error) {
	const n = len("2006-01-02T15:04:05")
	if len(s) < n || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, badTime(s, "want RFC 3339 such as 2026-01-31T22:10:00-05:00")
	}
	if s[10] != 'T' {
		return time.Time{}, badTime(s, `want "T" between date and time`)
	}
	nanos, rest, ok := fraction(s[n:])
	if !ok {
		return time.Time{}, badTime(s, "malformed fraction of a second")
	}
	loc, ok := zs.offset(rest)
	if !ok {
		return time.Time{}, badTime(s, `want an offset, "Z" or ±hh:mm`)
	}
	return clock(s, nanos, loc)
}

// clock checks the date and time fields of s (known to have the
// separators of RFC 3339 in place) and returns the instant.
func clock(s string, nanos int, loc *time.Location) (time.Time, error) {
	y, ok1 := digits(s[0:4])
	mo, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	h, ok4 := digits(s[11:13])
	mi, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 {
		return time.Time{}, badTime(s, "want RFC 3339 such as 2026-01-31T22:10:00-05:00")
	}
	if sec == 60 {
		return time.Time{}, badTime(s, "second 60 is not allowed")
	}
	if y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, time.Month(mo)) ||
		h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, badTime(s, "no such time")
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, nanos, loc), nil
}

// fraction reads an optional fraction of a second at the start of s,
// returning it in nanoseconds and what follows it.
func fraction(s string) (nanos int, rest string, ok bool) {
	if s == "" || s[0] != '.' {
		return 0, s, true
	}
	end := skipDigits(s, 1)
	if end == 1 {
		return 0, s, false
	}
	for i := 1; i <= 9; i++ {
		nanos *= 10
		if i < end {
			nanos += int(s[i] - '0')
		}
	}
	return nanos, s[end:], true
}

// offset reads a whole offset, "Z" or ±hh:mm.
func (zs zones) offset(s string) (*time.Location, bool) {
	if s == "Z" {
		return time.UTC, true
	}
	if len(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' {
		return nil, false
	}
	h, ok1 := digits(s[1:3])
	m, ok2 := digits(s[4:6])
	if !ok1 || !ok2 || h > 23 || m > 59 {
		return nil, false
	}
	secs := (h*60 + m) * 60
	if s[0] == '-' {
		secs = -secs
	}
	return zs.fixed(secs), true
}

// fixed returns the location at secs east of UTC.
func (zs zones) fixed(secs int) *time.Location {
	if secs == 0 {
		return time.UTC
	}
	loc, ok := zs[secs]
	if !ok && zs == nil {
		return time.FixedZone("", secs)
	}
	if !ok {
		loc = time.FixedZone("", secs)
		zs[secs] = loc
	}
	return loc
}

func badTime(s, why string) error {
	return problemf(ErrMalformedTime, "malformed timestamp %s (%s)", show(s), why)
}

// record is one row as text, its values in the order of columnNames.
type record []string

func (rec *record) text(col int) string { return (*rec)[col] }

// addRow parses one row of text, checks it and keeps it. Columns in bad
// were reported already (by the JSON decoder) and are left empty.
func (c *checker) addRow(t table, p pos, rec *record, bad mask) {
	r := at{t: t, p: p, src: rec}
	c.startRow()
	switch t {
	case accountantsTable:
		c.b.accs = append(c.b.accs, c.parseAccountant(r, *rec, bad))
	case clientsTable:
		cl := c.parseClient(r, *rec, bad)
		c.keepClient(&cl, p.line)
	case paymentsTable:
		pay := c.parsePayment(r, *rec, bad)
		c.keepPayment(&pay, p.line)
	default:
		c.reds = append(c.reds, c.parseRedemption(r, *rec, bad))
	}
	c.flush()
}

func (c *checker) parseAccountant(r at, rec record, bad mask) Accountant {
	a := Accountant{ID: rec[aID], Country: rec[aCountry]}
	a.Registered = c.parseBool(r, aRegistered, rec, &bad)
	a.ActivatedOn = c.parseDate(r, aActivatedOn, rec, &bad)
	c.checkAccountant(r, &a, bad)
	return a
}

func (c *checker) parseClient(r at, rec record, bad mask) Client {
	cl := Client{ID: rec[cID], AccountantID: rec[cAccountant]}
	cl.LinkedOn = c.parseDate(r, cLinkedOn, rec, &bad)
	cl.UnlinkedOn = c.parseDate(r, cUnlinkedOn, rec, &bad)
	c.checkClient(r, &cl, bad)
	return cl
}

func (c *checker) parsePayment(r at, rec record, bad mask) Payment {
	p := Payment{ID: rec[pID], ClientID: rec[pClient], Currency: rec[pCurrency],
		Promotion: rec[pPromotion]}
	p.PaidAt = c.parseTime(r, pPaidAt, rec, &bad)
	p.PeriodStart = c.parseDate(r, pPeriodStart, rec, &bad)
	p.PeriodEnd = c.parseDate(r, pPeriodEnd, rec, &bad)
	p.Amount = c.parseAmount(r, pAmount, rec, &bad)
	p.RefundedAt = c.parseTime(r, pRefundedAt, rec, &bad)
	c.checkPayment(r, &p, bad)
	return p
}

// parseBool reads exactly "true" or "false" (F13).
func (c *checker) parseBool(r at, col int, rec record, bad *mask) bool {
	switch s := rec[col]; {
	case bad.has(col), s == "false":
	case s == "true":
		return true
	case s == "":
		c.report(r, col, ErrMissingValue)
		bad.add(col)
	default:
		c.report(r, col, problemf(ErrMalformedBool, "malformed %s %s (want true or false)",
			columnNames[r.t][col], show(s)))
		bad.add(col)
	}
	return false
}

// parseDate reads YYYY-MM-DD; empty text is the zero Date, which the
// checks refuse where a date is required.
func (c *checker) parseDate(r at, col int, rec record, bad *mask) Date {
	if bad.has(col) || rec[col] == "" {
		return 0
	}
	d, err := ParseDate(rec[col])
	if err != nil {
		c.report(r, col, &problem{kind: ErrMalformedDate, msg: err.Error()})
		bad.add(col)
	}
	return d
}

// parseTime reads a timestamp (F14); empty text is the zero time, which
// the checks refuse where a timestamp is required.
func (c *checker) parseTime(r at, col int, rec record, bad *mask) time.Time {
	if bad.has(col) || rec[col] == "" {
		return time.Time{}
	}
	t, err := c.zones.parseTime(rec[col])
	if err == nil && t.IsZero() {
		// 0001-01-01T00:00:00Z, however written, is the zero time.Time,
		// which stands for "none" in a Payment: kept, a refund there
		// would silently become no refund at all.
		err = badTime(rec[col], "the first instant of year 1 stands for no time")
	}
	if err != nil {
		c.report(r, col, err)
		bad.add(col)
	}
	return t
}

// parseAmount reads an amount (D12, F14); an empty one is missing.
func (c *checker) parseAmount(r at, col int, rec record, bad *mask) decimal.Decimal {
	if bad.has(col) {
		return decimal.Decimal{}
	}
	if rec[col] == "" {
		c.report(r, col, ErrMissingValue)
		bad.add(col)
		return decimal.Decimal{}
	}
	d, err := parseAmountWith(rec[col], &c.decimals)
	if err != nil {
		c.report(r, col, err)
		bad.add(col)
	}
	return d
}
