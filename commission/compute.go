package commission

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/caba1337/referralrules/internal/decimals"
	"github.com/caba1337/referralrules/referral"
	"github.com/caba1337/referralrules/tier"
	"github.com/shopspring/decimal"
)

// Errors of Compute and ForAccountant, wrapped with details.
var (
	ErrMonthRange      = errors.New("month range is empty")
	ErrUnknownCountry  = errors.New("country is not in the program")
	ErrUnknownCurrency = errors.New("currency has no minor units in the rules")
)

// Compute returns the statements of months from through to (inclusive) for
// every registered accountant of a program country in ds (D10, F9, F13),
// sorted by accountant ID, month and currency (F11).
func Compute(r *Rules, ds *referral.Dataset, from, to referral.Month) ([]Statement, error) {
	if to < from {
		return nil, fmt.Errorf("%w: %s is after %s", ErrMonthRange, from, to)
	}
	sts, _, err := computeRange(r, ds, 0, len(ds.Accountants()), from, to, nil, nil)
	return sts, err
}

// ComputeParallel is Compute with the accountants shared among workers
// goroutines (runtime.GOMAXPROCS(0) when workers < 1). Its statements are
// those of Compute, in the same order: accountants are independent, and
// each worker's results are put back in accountant order.
func ComputeParallel(r *Rules, ds *referral.Dataset, from, to referral.Month, workers int) ([]Statement, error) {
	return ComputeEach(r, ds, from, to, workers, nil)
}

// ComputeEach is ComputeParallel for the accountants keep accepts (all when
// keep is nil), such as one shard of a run split among processes. keep is
// called once for each registered accountant of a program country, from
// several goroutines at once.
func ComputeEach(r *Rules, ds *referral.Dataset, from, to referral.Month, workers int,
	keep func(referral.Accountant) bool) ([]Statement, error) {
	if to < from {
		return nil, fmt.Errorf("%w: %s is after %s", ErrMonthRange, from, to)
	}
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	accs := ds.Accountants()
	const chunk = 512 // accountants per piece of work
	pieces := (len(accs) + chunk - 1) / chunk
	results := make([][]Statement, pieces)
	errs := make([]error, pieces)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, pieces) {
		wg.Go(func() {
			var l *ledger // one per worker, its buffers reused from piece to piece
			for {
				k := int(next.Add(1) - 1)
				if k >= pieces {
					return
				}
				results[k], l, errs[k] = computeRange(r, ds, k*chunk, min(len(accs), (k+1)*chunk), from, to, keep, l)
			}
		})
	}
	wg.Wait()
	n := 0
	for k := range results {
		if errs[k] != nil {
			return nil, errs[k] // the first error in accountant order
		}
		n += len(results[k])
	}
	out := make([]Statement, 0, n)
	for _, sts := range results {
		out = append(out, sts...)
	}
	return out, nil
}

// computeRange computes the statements of accountants lo to hi-1 of
// ds.Accountants() that take part and that keep accepts, with l's buffers
// when l is not nil, and returns the ledger to reuse.
func computeRange(r *Rules, ds *referral.Dataset, lo, hi int, from, to referral.Month,
	keep func(referral.Accountant) bool, l *ledger) ([]Statement, *ledger, error) {
	if lo >= hi {
		return nil, l, nil
	}
	accs := ds.Accountants()
	out := make([]Statement, 0, (hi-lo)*int(to-from+1))
	for a := lo; a < hi; a++ {
		acc := accs[a]
		if _, ok := r.Countries[acc.Country]; !ok || !acc.Registered || (keep != nil && !keep(acc)) {
			continue
		}
		var err error
		if l, err = newLedger(r, ds, acc, a, l); err != nil { // l's buffers are reused
			return nil, l, err
		}
		for m := from; m <= to; m++ {
			out = l.appendStatements(out, m)
		}
	}
	return out, l, nil
}

// ForAccountant returns the statements of one accountant for months from
// through to, sorted by month and currency. The accountant must be
// registered in a program country; its clients and payments come from ds.
func ForAccountant(r *Rules, ds *referral.Dataset, acc referral.Accountant, from, to referral.Month) ([]Statement, error) {
	if to < from {
		return nil, fmt.Errorf("%w: %s is after %s", ErrMonthRange, from, to)
	}
	a, found := ds.AccountantIndex(acc.ID)
	if !found {
		a = -1 // not in ds: no clients
	}
	l, err := newLedger(r, ds, acc, a, nil)
	if err != nil {
		return nil, err
	}
	var out []Statement
	for m := from; m <= to; m++ {
		out = l.appendStatements(out, m)
	}
	return out, nil
}

// ledger holds one accountant's clients and payments, as rows of the
// dataset's columns, and remembers each computed month, so that a refund
// adjustment can look up the share its payment earned (D9). It finds a
// month's payments by comparing instants, in Unix seconds, with the
// month's local start and close (whole seconds), so a run of one month
// does not convert or sort the accountant's whole history.
type ledger struct {
	r       *Rules
	cols    *referral.Columns
	acc     referral.Accountant
	country Country
	grace   int
	lo, hi  int // the accountant's clients: rows lo to hi-1

	// digits of each of cols.Currencies in the rules, and whether the
	// dataset's minor units are those of the rules (else amounts are
	// converted from their decimals).
	digits  []int
	sameMin []bool

	months []*month                  // computed months, few: a slice beats a map
	earned map[int32]decimal.Decimal // the share each refunded payment earned (D9)

	// The span of Unix seconds [fixedFrom, fixedUntil) where the zone's
	// offset is fixedOffset seconds (see dateIn); empty until fixOffset.
	fixedFrom, fixedUntil, fixedOffset int64

	decimals    decimals.Cache // amounts and shares, shared among lines
	paidBuf     []int32        // the payments of the month being computed, reused
	boundsCache []monthBounds  // see bounds
}

// month is what one month of an accountant computes to, before its
// statements are put together.
type month struct {
	m      referral.Month
	active int
	level  tier.Level
	reason Reason
	parts  []*part // by currency code
}

// part is one currency of a month: its payment lines, by payment ID, and
// their shares.
type part struct {
	currency         string
	base, commission decimal.Decimal
	lines            []Line
	refs             []int32 // the payment row of each line
}

// adjustment is a refund adjustment line (D9) in its currency.
type adjustment struct {
	currency string
	line     Line
}

// newLedger gathers the clients of acc, which is ds.Accountants()[a] (a
// is -1 for an accountant not in ds), and checks the currencies of their
// payments. It reuses reuse's buffers when reuse is not nil.
func newLedger(r *Rules, ds *referral.Dataset, acc referral.Accountant, a int, reuse *ledger) (*ledger, error) {
	c, ok := r.Countries[acc.Country]
	if !ok {
		return nil, fmt.Errorf("accountant %s: %w: %s", acc.ID, ErrUnknownCountry, acc.Country)
	}
	if _, ok := r.Currencies[c.Currency]; !ok {
		return nil, fmt.Errorf("country %s: %w: %s", c.Code, ErrUnknownCurrency, c.Currency)
	}
	l := reuse
	if l == nil {
		l = &ledger{}
	}
	cols := ds.Columns()
	fixedFrom, fixedUntil, fixedOffset := l.fixedFrom, l.fixedUntil, l.fixedOffset
	if l.country.Location != c.Location {
		fixedFrom, fixedUntil = 0, 0 // another zone: the span is unknown
	}
	digits, sameMin := l.digits, l.sameMin
	if l.r != r || l.cols != cols {
		digits, sameMin = make([]int, len(cols.Currencies)), make([]bool, len(cols.Currencies))
		for k, code := range cols.Currencies {
			d, known := r.Currencies[code]
			digits[k], sameMin[k] = -1, false
			if known {
				digits[k], sameMin[k] = d, d == int(cols.Digits[k])
			}
		}
	}
	*l = ledger{
		r: r, cols: cols, acc: acc, country: c, grace: r.GraceDays,
		digits: digits, sameMin: sameMin,
		months:  l.months[:0],
		paidBuf: l.paidBuf[:0],
		// Bounds of months by zone, and the span of fixed offset of the
		// same zone, do not change with the accountant.
		boundsCache: l.boundsCache,
		decimals:    l.decimals,
		fixedFrom:   fixedFrom, fixedUntil: fixedUntil, fixedOffset: fixedOffset,
	}
	if a >= 0 {
		l.lo, l.hi = int(cols.AccountantClients[a]), int(cols.AccountantClients[a+1])
	}
	if l.lo < l.hi {
		for j := cols.ClientPayments[l.lo]; j < cols.ClientPayments[l.hi]; j++ {
			if digits[cols.Currency[j]] < 0 {
				return nil, fmt.Errorf("payment %s: %w: %s", cols.PaymentID.At(int(j)), ErrUnknownCurrency,
					cols.Currencies[cols.Currency[j]])
			}
		}
	}
	return l, nil
}

// payments returns the rows of the payments of client i: lo to hi-1.
func (l *ledger) payments(i int) (lo, hi int32) {
	return l.cols.ClientPayments[i], l.cols.ClientPayments[i+1]
}

// all returns the rows of every payment of the accountant: lo to hi-1.
func (l *ledger) all() (lo, hi int32) {
	if l.lo >= l.hi {
		return 0, 0
	}
	return l.cols.ClientPayments[l.lo], l.cols.ClientPayments[l.hi]
}

// linked reports whether client i is linked on day d (D2, F3).
func (l *ledger) linked(i int, d referral.Date) bool {
	un := l.cols.UnlinkedOn[i]
	return l.cols.LinkedOn[i] <= d && (un == 0 || d < un)
}

// dateIn is referral.DateIn in the accountant's zone. Within a span of
// time where the zone keeps one UTC offset (all of it, for a zone without
// daylight saving time) the local date is plain arithmetic on Unix seconds;
// outside it, it asks the time package.
func (l *ledger) dateIn(t referral.Instant) referral.Date {
	if u := t.Unix; u >= l.fixedFrom && u < l.fixedUntil {
		days := (u + l.fixedOffset) / 86400
		if (u+l.fixedOffset)%86400 < 0 {
			days-- // floor, for instants before 1970
		}
		return unixEpoch + referral.Date(days)
	}
	return referral.DateIn(t.Time(), l.country.Location)
}

// unixEpoch is the Date of 1970-01-01, day 0 of Unix time.
var unixEpoch = referral.NewDate(1970, time.January, 1)

// fixOffset sets the span around instant t where the accountant's zone
// keeps the offset it has at t, for dateIn.
func (l *ledger) fixOffset(t time.Time) {
	lt := t.In(l.country.Location)
	_, off := lt.Zone()
	start, end := lt.ZoneBounds()
	l.fixedOffset = int64(off)
	l.fixedFrom, l.fixedUntil = math.MinInt64, math.MaxInt64
	if !start.IsZero() {
		l.fixedFrom = start.Unix()
	}
	if !end.IsZero() {
		l.fixedUntil = end.Unix()
	}
}

// bounds returns the instants month m starts and closes in the
// accountant's zone, in Unix seconds (both are whole seconds): an instant
// t is in m when start <= t.Unix < close (D3, F1). Accountants of one
// country share the bounds of a month, so the last few are kept across
// the accountants a ledger is reused for.
func (l *ledger) bounds(m referral.Month) (start, close int64) {
	loc := l.country.Location
	for _, b := range l.boundsCache {
		if b.m == m && b.loc == loc {
			return b.start, b.close
		}
	}
	start, close = m.First().Start(loc).Unix(), m.Last().Close(loc).Unix()
	if len(l.boundsCache) == 16 {
		l.boundsCache = l.boundsCache[:0]
	}
	l.boundsCache = append(l.boundsCache, monthBounds{loc, m, start, close})
	return start, close
}

// monthBounds are the instants month m starts and closes in zone loc.
type monthBounds struct {
	loc          *time.Location
	m            referral.Month
	start, close int64
}

// byCurrencyAndID orders payments by currency, then payment ID in byte
// order (F11); currency indexes sort as their codes.
func (l *ledger) byCurrencyAndID(a, b int32) int {
	c := l.cols
	return cmp.Or(cmp.Compare(c.Currency[a], c.Currency[b]),
		strings.Compare(c.PaymentID.At(int(a)), c.PaymentID.At(int(b))))
}

// line returns the line of payment j, with no share yet.
func (l *ledger) line(j int32) Line {
	c := l.cols
	ln := Line{PaymentID: c.PaymentID.At(int(j)), ClientID: c.ClientID.At(int(c.PaymentClient[j]))}
	if coef, exp, ok := c.Coefficient(int(j)); ok {
		ln.Amount = l.decimals.New(coef, exp)
	} else {
		ln.Amount = c.Amount(int(j))
	}
	return ln
}

// month computes month m once: the level on its last local day (D4), each
// payment's line and each currency's base, commission and shares.
func (l *ledger) month(m referral.Month) *month {
	for _, mo := range l.months {
		if mo.m == m {
			return mo
		}
	}
	last := m.Last()
	startOfM, closeOfM := l.bounds(m)
	if startOfM < l.fixedFrom || startOfM >= l.fixedUntil {
		l.fixOffset(time.Unix(startOfM, 0))
	}
	mo := &month{m: m, active: l.countActive(last, closeOfM)}
	mo.level, _ = l.r.Levels.Lookup(mo.active)
	mo.reason = l.statementReason(m, mo.level)

	// The payments made in m, by currency and payment ID; each becomes a
	// line with the first reason it earns nothing.
	paid := l.paidBuf[:0]
	lo, hi := l.all()
	for j := lo; j < hi; j++ {
		if at := l.cols.PaidAt[j].Unix; at >= startOfM && at < closeOfM {
			paid = append(paid, j)
		}
	}
	slices.SortFunc(paid, l.byCurrencyAndID)
	lines := make([]Line, 0, len(paid))
	for k, j := range paid {
		cur := l.cols.Currencies[l.cols.Currency[j]]
		if len(mo.parts) == 0 || mo.parts[len(mo.parts)-1].currency != cur {
			mo.parts = append(mo.parts, &part{currency: cur, refs: paid[k:k], lines: lines[k:k]})
		}
		pt := mo.parts[len(mo.parts)-1]
		ln := l.line(j)
		ln.Reason = l.lineReason(j, closeOfM)
		pt.lines = append(pt.lines, ln)
		pt.refs = pt.refs[:len(pt.refs)+1] // paid[k], already in place
	}
	for _, pt := range mo.parts {
		pt.lines, pt.refs = pt.lines[:len(pt.lines):len(pt.lines)], pt.refs[:len(pt.refs):len(pt.refs)]
	}
	for _, pt := range mo.parts {
		l.settle(pt, mo)
		pt.refs = nil // they point into paidBuf, which the next month reuses
	}
	l.paidBuf = paid
	l.months = append(l.months, mo)
	return mo
}

// countActive counts the active paid referrals on local day d, whose close
// is closeOfD in Unix seconds (D2, F2): referral.Coverage.Active for every
// client, on the columns.
func (l *ledger) countActive(d referral.Date, closeOfD int64) int {
	c := l.cols
	n := 0
	for i := l.lo; i < l.hi; i++ {
		if !l.linked(i, d) {
			continue
		}
		lo, hi := l.payments(i)
		for j := lo; j < hi; j++ {
			if c.PaidAt[j].Unix >= closeOfD {
				break // oldest first: the rest were paid later still
			}
			if c.PeriodStart[j] <= d && d <= c.PeriodEnd[j].AddDays(l.grace) && c.Refunds[c.Refund[j]].Unix >= closeOfD {
				n++
				break
			}
		}
	}
	return n
}

// statementReason is why month m earns nothing as a whole: activation
// first, then level (D10, F5, F10).
func (l *ledger) statementReason(m referral.Month, lv tier.Level) Reason {
	if l.r.RequireActivation && (l.acc.ActivatedOn.IsZero() || l.acc.ActivatedOn > m.Last()) {
		return NotActivated
	}
	if lv.Number == 0 {
		return NoLevel
	}
	return ""
}

// lineReason is the first reason payment j earns nothing in its own month,
// whose close is closeOfM in Unix seconds (D5, F3, F4), or "" when it is
// eligible.
func (l *ledger) lineReason(j int32, closeOfM int64) Reason {
	c := l.cols
	client := int(c.PaymentClient[j])
	paidOn := l.dateIn(c.PaidAt[j])
	switch {
	case !l.linked(client, paidOn):
		return NotLinked
	case c.Refunds[c.Refund[j]].Unix < closeOfM:
		return Refunded
	case l.r.ExcludePromotedSales && c.Promotion[j] != 0:
		return Promoted
	case paidOn >= l.firstPurchase(client, closeOfM).AddMonths(l.r.WindowMonths):
		return OutsideFirstYear
	}
	return ""
}

// firstPurchase is the local date of the client's earliest payment that
// was not refunded by closeOfM, in any currency, promoted or not, linked
// or not (F4).
func (l *ledger) firstPurchase(client int, closeOfM int64) referral.Date {
	lo, hi := l.payments(client)
	for j := lo; j < hi; j++ {
		if l.cols.Refunds[l.cols.Refund[j]].Unix >= closeOfM {
			return l.dateIn(l.cols.PaidAt[j])
		}
	}
	// Unreachable for an eligible payment, which is itself a candidate.
	return 0
}

// settle sums the base of one currency, rounds the commission once (D7)
// and gives each eligible line its share (D8), in exact minor units where
// every number fits in int64 and in decimals otherwise: both give the same
// amounts. When the month earns nothing, eligible lines take the month's
// reason instead (F7).
func (l *ledger) settle(pt *part, mo *month) {
	digits := l.r.Currencies[pt.currency]
	if !useUnits || !l.settleUnits(pt, mo, digits) {
		l.settleDecimal(pt, mo, digits)
	}
	if mo.reason != "" {
		for i := range pt.lines {
			if pt.lines[i].Reason == "" {
				pt.lines[i].Reason = mo.reason
			}
		}
	}
}

// useUnits turns the exact integer path on; tests turn it off to compare
// it with the decimal path.
var useUnits = true

// settleUnits is settle in minor units (see fast.go). It returns false,
// having changed nothing, when an amount or the base does not fit.
func (l *ledger) settleUnits(pt *part, mo *month, digits int) bool {
	f := fraction{num: 0, den: 1} // a month that earns nothing still shows its base (F7)
	if mo.reason == "" {
		var ok bool
		if f, ok = toFraction(mo.level.Rate); !ok {
			return false
		}
	}
	var ab, sb, rb [64]uint64
	var ob [64]int
	amounts := ab[:0]
	for i := range pt.lines {
		if pt.lines[i].Reason != "" {
			continue
		}
		j := pt.refs[i]
		u := l.cols.Units[j]
		if u == referral.OverflowUnits || !l.sameMin[l.cols.Currency[j]] {
			var ok bool
			if u, ok = toUnits(pt.lines[i].Amount, digits); !ok {
				return false
			}
		}
		amounts = append(amounts, uint64(u))
	}
	n := len(amounts)
	shares, rems, order := sb[:], rb[:], ob[:]
	if n > len(sb) {
		shares, rems, order = make([]uint64, n), make([]uint64, n), make([]int, n)
	}
	base, total, ok := settle(f, amounts, l.r.Rounding, shares[:n], rems[:n], order[:n])
	if !ok {
		return false
	}
	pt.base = l.decimals.New(int64(base), -int32(digits))
	if mo.reason != "" {
		return true
	}
	pt.commission = l.decimals.New(int64(total), -int32(digits))
	k := 0
	for i := range pt.lines {
		if pt.lines[i].Reason != "" {
			continue
		}
		pt.lines[i].Share = l.decimals.New(int64(shares[k]), -int32(digits))
		l.remember(pt.refs[i], pt.lines[i].Share)
		k++
	}
	return true
}

// units returns u minor units of a currency with digits decimals.
func units(u uint64, digits int) decimal.Decimal {
	if u == 0 {
		return decimal.Decimal{} // 0 without an allocation
	}
	return decimal.New(int64(u), -int32(digits))
}

// settleDecimal is settle in decimal.Decimal, for amounts too large for
// int64.
func (l *ledger) settleDecimal(pt *part, mo *month, digits int) {
	var eligible []int
	pt.base = decimal.Decimal{}
	for i, ln := range pt.lines {
		if ln.Reason == "" {
			eligible = append(eligible, i)
			pt.base = pt.base.Add(ln.Amount)
		}
	}
	if mo.reason != "" {
		return
	}
	pt.commission = round(mo.level.Rate.Mul(pt.base), int32(digits), l.r.Rounding)
	amounts := make([]decimal.Decimal, len(eligible))
	for k, i := range eligible {
		amounts[k] = pt.lines[i].Amount
	}
	shares := Allocate(mo.level.Rate, pt.commission, amounts, int32(digits))
	for k, i := range eligible {
		pt.lines[i].Share = shares[k]
		l.remember(pt.refs[i], shares[k])
	}
}

// remember keeps the share a payment earned when a later refund may need
// it for an adjustment (D9).
func (l *ledger) remember(j int32, share decimal.Decimal) {
	if l.cols.Refund[j] == 0 {
		return
	}
	if l.earned == nil {
		l.earned = map[int32]decimal.Decimal{}
	}
	l.earned[j] = share
}

// appendStatements appends month m's statements to out: one in the
// country's currency, and one for each other currency with a line or a
// refund adjustment (F9), by currency code.
func (l *ledger) appendStatements(out []Statement, m referral.Month) []Statement {
	mo := l.month(m)
	adjustments := l.adjustments(m)
	var buf [4]string
	currencies := append(buf[:0], l.country.Currency)
	for _, pt := range mo.parts {
		currencies = append(currencies, pt.currency)
	}
	for _, a := range adjustments {
		currencies = append(currencies, a.currency)
	}
	slices.Sort(currencies)
	currencies = slices.Compact(currencies)

	for _, cur := range currencies {
		st := Statement{
			AccountantID: l.acc.ID, Country: l.acc.Country, Month: m, Currency: cur,
			Digits: l.r.Currencies[cur], Level: mo.level.Number, ActivePaidReferrals: mo.active,
			Rate: mo.level.Rate, PayableMonth: m.Add(l.r.PayoutDelayMonths),
			Payout: l.r.Payout, Reason: mo.reason,
		}
		for _, pt := range mo.parts {
			if pt.currency == cur {
				st.Base, st.Commission = pt.base, pt.commission
				st.Lines = pt.lines[:len(pt.lines):len(pt.lines)] // a month's lines go to one statement
			}
		}
		for _, a := range adjustments {
			if a.currency == cur {
				st.Adjustments = st.Adjustments.Add(a.line.Share)
				st.Lines = append(st.Lines, a.line)
			}
		}
		st.Net = st.Commission
		if !st.Adjustments.IsZero() {
			st.Net = st.Commission.Add(st.Adjustments)
		}
		out = append(out, st)
	}
	return out
}

// adjustments returns the refund adjustment lines of month m, by currency
// and payment ID: one for each payment refunded in m after its own month
// closed, that earned a non-zero share there (D9, F8).
func (l *ledger) adjustments(m referral.Month) []adjustment {
	startOfM, closeOfM := l.bounds(m)
	c := l.cols
	var refunded []int32
	lo, hi := l.all()
	for j := lo; j < hi; j++ {
		// Refunded in m, and paid before m: a payment refunded within its
		// own month is a refunded line, not an adjustment.
		if r := c.Refunds[c.Refund[j]].Unix; r >= startOfM && r < closeOfM && c.PaidAt[j].Unix < startOfM {
			refunded = append(refunded, j)
		}
	}
	slices.SortFunc(refunded, l.byCurrencyAndID)
	var out []adjustment
	for _, j := range refunded {
		l.month(referral.DateIn(c.PaidAt[j].Time(), l.country.Location).Month()) // remembers the share it earned
		share := l.earned[j]
		if share.IsZero() {
			continue
		}
		ln := l.line(j)
		ln.Share, ln.Reason = share.Neg(), RefundAdjustment
		out = append(out, adjustment{c.Currencies[c.Currency[j]], ln})
	}
	return out
}
