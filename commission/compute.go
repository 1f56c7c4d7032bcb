package commission

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

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
	var out []Statement
	for _, acc := range ds.Accountants() {
		if _, ok := r.Countries[acc.Country]; !ok || !acc.Registered {
			continue
		}
		st, err := ForAccountant(r, ds, acc, from, to)
		if err != nil {
			return nil, err
		}
		out = append(out, st...)
	}
	return out, nil
}

// ForAccountant returns the statements of one accountant for months from
// through to, sorted by month and currency. The accountant must be
// registered in a program country; its clients and payments come from ds.
func ForAccountant(r *Rules, ds *referral.Dataset, acc referral.Accountant, from, to referral.Month) ([]Statement, error) {
	if to < from {
		return nil, fmt.Errorf("%w: %s is after %s", ErrMonthRange, from, to)
	}
	l, err := newLedger(r, ds, acc)
	if err != nil {
		return nil, err
	}
	var out []Statement
	for m := from; m <= to; m++ {
		out = append(out, l.statements(m)...)
	}
	return out, nil
}

// ledger holds one accountant's clients and payments, arranged by local
// month, and remembers each computed month so that a refund adjustment can
// look up the share its payment earned (D9).
type ledger struct {
	r       *Rules
	acc     referral.Accountant
	country Country
	cov     referral.Coverage
	clients []referral.Client
	pays    [][]referral.Payment // the payments of clients[i], oldest first

	paidIn     map[referral.Month][]ref // payments by local month of paid_at
	refundedIn map[referral.Month][]ref // refunded payments by local month of refunded_at
	months     map[referral.Month]*month
}

// ref points at one payment of a ledger: pays[client][pay].
type ref struct{ client, pay int }

// month is what one month of an accountant computes to, before its
// statements are put together.
type month struct {
	active int
	level  tier.Level
	reason Reason
	parts  map[string]*part // by currency
}

// part is one currency of a month: its payment lines and their shares.
type part struct {
	base, commission decimal.Decimal
	lines            []Line
	share            map[string]decimal.Decimal // earned share by payment ID
}

func newLedger(r *Rules, ds *referral.Dataset, acc referral.Accountant) (*ledger, error) {
	c, ok := r.Countries[acc.Country]
	if !ok {
		return nil, fmt.Errorf("accountant %s: %w: %s", acc.ID, ErrUnknownCountry, acc.Country)
	}
	if _, ok := r.Currencies[c.Currency]; !ok {
		return nil, fmt.Errorf("country %s: %w: %s", c.Code, ErrUnknownCurrency, c.Currency)
	}
	l := &ledger{
		r: r, acc: acc, country: c,
		cov:        referral.Coverage{Location: c.Location, GraceDays: r.GraceDays},
		clients:    ds.ClientsOf(acc.ID),
		paidIn:     map[referral.Month][]ref{},
		refundedIn: map[referral.Month][]ref{},
		months:     map[referral.Month]*month{},
	}
	l.pays = make([][]referral.Payment, len(l.clients))
	for i := range l.clients {
		l.pays[i] = ds.PaymentsOf(l.clients[i].ID)
		for j, p := range l.pays[i] {
			if _, ok := r.Currencies[p.Currency]; !ok {
				return nil, fmt.Errorf("payment %s: %w: %s", p.ID, ErrUnknownCurrency, p.Currency)
			}
			pm := referral.DateIn(p.PaidAt, c.Location).Month()
			l.paidIn[pm] = append(l.paidIn[pm], ref{i, j})
			if !p.RefundedAt.IsZero() {
				rm := referral.DateIn(p.RefundedAt, c.Location).Month()
				l.refundedIn[rm] = append(l.refundedIn[rm], ref{i, j})
			}
		}
	}
	return l, nil
}

func (l *ledger) payment(x ref) *referral.Payment { return &l.pays[x.client][x.pay] }

// month computes month m once: the level on its last local day (D4), each
// payment's line and each currency's base, commission and shares.
func (l *ledger) month(m referral.Month) *month {
	if mo, ok := l.months[m]; ok {
		return mo
	}
	last := m.Last()
	mo := &month{parts: map[string]*part{}}
	for i := range l.clients {
		if l.cov.Active(&l.clients[i], l.pays[i], last) {
			mo.active++
		}
	}
	mo.level, _ = l.r.Levels.Lookup(mo.active)
	mo.reason = l.statementReason(m, mo.level)

	// Lines of the payments made in m, each with the first reason it earns
	// nothing, grouped by currency.
	closeOfM := last.Close(l.country.Location)
	for _, x := range l.paidIn[m] {
		p := l.payment(x)
		pt := mo.parts[p.Currency]
		if pt == nil {
			pt = &part{}
			mo.parts[p.Currency] = pt
		}
		pt.lines = append(pt.lines, Line{
			PaymentID: p.ID, ClientID: p.ClientID, Amount: p.Amount,
			Reason: l.lineReason(x, closeOfM),
		})
	}
	for cur, pt := range mo.parts {
		l.settle(pt, mo, l.r.Currencies[cur])
	}
	l.months[m] = mo
	return mo
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

// lineReason is the first reason payment x earns nothing in its own month,
// whose close is closeOfM (D5, F3, F4), or "" when it is eligible.
func (l *ledger) lineReason(x ref, closeOfM time.Time) Reason {
	p, c := l.payment(x), &l.clients[x.client]
	paidOn := referral.DateIn(p.PaidAt, l.country.Location)
	switch {
	case !c.Linked(paidOn):
		return NotLinked
	case p.RefundedBefore(closeOfM):
		return Refunded
	case l.r.ExcludePromotedSales && p.Promotion != "":
		return Promoted
	case paidOn >= l.firstPurchase(x.client, closeOfM).AddMonths(l.r.WindowMonths):
		return OutsideFirstYear
	}
	return ""
}

// firstPurchase is the local date of the client's earliest payment that
// was not refunded by closeOfM, in any currency, promoted or not, linked
// or not (F4).
func (l *ledger) firstPurchase(client int, closeOfM time.Time) referral.Date {
	for i := range l.pays[client] {
		p := &l.pays[client][i]
		if !p.RefundedBefore(closeOfM) {
			return referral.DateIn(p.PaidAt, l.country.Location)
		}
	}
	// Unreachable for an eligible payment, which is itself a candidate.
	return 0
}

// settle sums the base of one currency, rounds the commission once (D7)
// and gives each eligible line its share (D8). When the month earns
// nothing, eligible lines take the month's reason instead (F7).
func (l *ledger) settle(pt *part, mo *month, digits int) {
	slices.SortFunc(pt.lines, func(a, b Line) int { return strings.Compare(a.PaymentID, b.PaymentID) })
	var eligible []int
	for i, ln := range pt.lines {
		if ln.Reason == "" {
			eligible = append(eligible, i)
			pt.base = pt.base.Add(ln.Amount)
		}
	}
	pt.share = make(map[string]decimal.Decimal, len(eligible))
	if mo.reason != "" {
		for _, i := range eligible {
			pt.lines[i].Reason = mo.reason
		}
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
		pt.share[pt.lines[i].PaymentID] = shares[k]
	}
}

// statements puts month m's statements together: one in the country's
// currency, and one for each other currency with a line or a refund
// adjustment (F9), by currency code.
func (l *ledger) statements(m referral.Month) []Statement {
	mo := l.month(m)
	adjustments := l.adjustments(m)
	currencies := []string{l.country.Currency}
	for cur := range mo.parts {
		currencies = append(currencies, cur)
	}
	for cur := range adjustments {
		currencies = append(currencies, cur)
	}
	slices.Sort(currencies)
	currencies = slices.Compact(currencies)

	out := make([]Statement, 0, len(currencies))
	for _, cur := range currencies {
		st := Statement{
			AccountantID: l.acc.ID, Country: l.acc.Country, Month: m, Currency: cur,
			Digits: l.r.Currencies[cur], Level: mo.level.Number, ActivePaidReferrals: mo.active,
			Rate: mo.level.Rate, PayableMonth: m.Add(l.r.PayoutDelayMonths),
			Payout: l.r.Payout, Reason: mo.reason,
		}
		if pt := mo.parts[cur]; pt != nil {
			st.Base, st.Commission = pt.base, pt.commission
			st.Lines = append(st.Lines, pt.lines...)
		}
		for _, ln := range adjustments[cur] {
			st.Adjustments = st.Adjustments.Add(ln.Share)
			st.Lines = append(st.Lines, ln)
		}
		st.Net = st.Commission.Add(st.Adjustments)
		out = append(out, st)
	}
	return out
}

// adjustments returns, by currency, the refund adjustment lines of month m:
// one for each payment refunded in m after its own month closed, that
// earned a non-zero share there (D9, F8), by payment ID.
func (l *ledger) adjustments(m referral.Month) map[string][]Line {
	out := map[string][]Line{}
	for _, x := range l.refundedIn[m] {
		p := l.payment(x)
		pm := referral.DateIn(p.PaidAt, l.country.Location).Month()
		if pm >= m {
			continue // refunded within its own month: a refunded line, not an adjustment
		}
		pt := l.month(pm).parts[p.Currency]
		share := pt.share[p.ID]
		if share.IsZero() {
			continue
		}
		out[p.Currency] = append(out[p.Currency], Line{
			PaymentID: p.ID, ClientID: p.ClientID, Amount: p.Amount,
			Share: share.Neg(), Reason: RefundAdjustment,
		})
	}
	for _, lines := range out {
		slices.SortFunc(lines, func(a, b Line) int { return cmp.Compare(a.PaymentID, b.PaymentID) })
	}
	return out
}
