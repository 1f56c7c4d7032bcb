package commission

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

// The program pays each statement's net as service credit (D11): credit
// that can be spent only on the vendor's services, in the statement's
// currency, and never beyond the balance. This file keeps that account:
// the balance of an accountant on a day, the movements that make it up,
// and how much of a purchase the balance pays.

// Errors of the credit account, wrapped with details.
var (
	ErrUnknownAccountant = errors.New("accountant is not in the data")
	// ErrOverdrawn: a redemption in the data spent more than the balance
	// held at its instant. The error is an *OverdrawError.
	ErrOverdrawn = errors.New("redemption overdraws the credit balance")
	// ErrBadPurchase: a purchase with an amount that is not positive, or
	// with more decimals than its currency allows.
	ErrBadPurchase = errors.New("bad purchase")
	// ErrOtherDay: a purchase on another day than the balance's.
	ErrOtherDay = errors.New("purchase is not on the balance's day")
)

// MovementKind says what moved a credit balance.
type MovementKind string

// The kinds of movement.
const (
	Credited MovementKind = "statement"  // a statement's net became usable
	Redeemed MovementKind = "redemption" // credit paid a purchase
)

// Movement is one change of an accountant's credit balance in one
// currency.
type Movement struct {
	Kind MovementKind
	// At is the instant the movement counts from: for a statement, the
	// start of its credit day (see CreditDay) in the accountant's zone;
	// for a redemption, its redeemed_at.
	At time.Time
	// Day is the local day of At in the accountant's zone.
	Day      referral.Date
	Currency string
	Digits   int // the currency's minor units
	// Amount is signed: a statement's net (negative for a month whose
	// refund adjustments outweigh its commission, D9), or minus the amount
	// of a redemption.
	Amount decimal.Decimal
	// Balance is the balance in Currency just after this movement.
	Balance decimal.Decimal

	// Month and PayableMonth are the statement's; zero for a redemption.
	Month, PayableMonth referral.Month
	// RedemptionID and Reference are the redemption's; "" for a statement.
	RedemptionID, Reference string

	redemption *referral.Redemption // the row behind a redemption, for errors
}

// Credit is a balance in one currency.
type Credit struct {
	Currency string
	Digits   int // the currency's minor units
	Amount   decimal.Decimal
}

// Balance is an accountant's service credit at the close of a local day:
// per currency, the nets of its statements usable by then, minus its
// redemptions made by then.
type Balance struct {
	AccountantID string
	Day          referral.Date
	// Credits holds one balance per currency, by currency code: the
	// country's currency always, and every other currency with a movement.
	Credits []Credit
	// Movements are the statements credited (those with a non-zero net)
	// and the redemptions, oldest first: by At, a statement before a
	// redemption at the same instant, then by currency, month and
	// redemption ID.
	Movements []Movement
}

// In returns the balance in currency, 0 for a currency with no credit.
func (b *Balance) In(currency string) decimal.Decimal {
	for _, c := range b.Credits {
		if c.Currency == currency {
			return c.Amount
		}
	}
	return decimal.Decimal{}
}

// OverdrawError is a redemption of the data that spent more than the
// balance held at its instant, or spent while the balance was zero or
// negative. It wraps ErrOverdrawn.
type OverdrawError struct {
	Redemption referral.Redemption
	// Balance is the balance in the redemption's currency just before it.
	Balance decimal.Decimal
	Digits  int // the currency's minor units
}

// Error names the row (such as "redemptions.csv:4"), the redemption and
// the balance it found.
func (e *OverdrawError) Error() string {
	r := &e.Redemption
	where := r.Where()
	if where == "" {
		where = "redemption " + r.ID
	}
	return fmt.Sprintf("%s: %v: %s %s at %s with a balance of %s %s", where, ErrOverdrawn,
		r.Amount.StringFixed(int32(e.Digits)), r.Currency, r.RedeemedAt.Format(time.RFC3339Nano),
		e.Balance.StringFixed(int32(e.Digits)), r.Currency)
}

// Unwrap returns ErrOverdrawn.
func (e *OverdrawError) Unwrap() error { return ErrOverdrawn }

// CreditDay is the first local day on which the net of month m's
// statement can be spent: the first day of its payable month (D11),
// m + r.PayoutDelayMonths. With a delay of 0 it is the first day of m+1
// instead, since a statement is only known once its month has closed (D9).
// For a statement computed with r it is the statement's own CreditDay.
func (r *Rules) CreditDay(m referral.Month) referral.Date {
	return m.Add(max(r.PayoutDelayMonths, 1)).First()
}

// CreditDay is the first local day on which the statement's net can be
// spent: the first day of its PayableMonth (D11), or of the month after
// its Month when that is later, since a statement is only known once its
// month has closed (D9). The payable month is the one the rules of the
// statement's month gave it, so statements computed under several
// versions of the rules each keep the payout delay of their own version.
func (st *Statement) CreditDay() referral.Date {
	return max(st.PayableMonth, st.Month.Add(1)).First()
}

// BalanceOn returns the credit balance of an accountant at the close of
// local day day in its country's zone (D3, D11): every statement whose
// CreditDay is on or before day adds its net, and every redemption made
// before the close of day subtracts its amount. Every statement is
// computed with r; for rules that change over time, compute the
// statements month by month under the rules in force and build the
// balance with BalanceFrom.
//
// The statements are computed with ForAccountant from the month of the
// accountant's first payment (no earlier month can earn or adjust)
// through the last month whose credit is usable on day; nothing later is
// looked at, so later data never changes the balance of a past day.
//
// It fails with ErrUnknownAccountant for an id not in ds, ErrUnknownCountry
// for an accountant of a country outside the program, and an
// *OverdrawError for the first redemption by day that spent more than the
// balance held at its instant. An accountant that is not registered has
// no statements (D10): its balance is 0 and any redemption overdraws it.
func BalanceOn(r *Rules, ds *referral.Dataset, accountantID string, day referral.Date) (*Balance, error) {
	return BalanceSince(r, ds, accountantID, 0, day)
}

// BalanceSince is BalanceOn counting only the statements of months from
// since onwards, as for a program whose credit started in month since.
// Redemptions are all counted. The zero Month counts every statement.
func BalanceSince(r *Rules, ds *referral.Dataset, accountantID string, since referral.Month,
	day referral.Date) (*Balance, error) {
	acc, ok := ds.Accountant(accountantID)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownAccountant, accountantID)
	}
	c, ok := r.Countries[acc.Country]
	if !ok {
		return nil, fmt.Errorf("accountant %s: %w: %s", acc.ID, ErrUnknownCountry, acc.Country)
	}
	sts, err := creditedStatements(r, ds, acc, c.Location, since, day)
	if err != nil {
		return nil, err
	}
	return BalanceFrom(r, acc, sts, ds.RedemptionsOf(acc.ID), day)
}

// BalanceFrom builds the credit balance of accountant acc at the close of
// local day day in its country's zone from statements and redemptions
// already at hand: every statement of acc whose CreditDay is on or before
// day adds its net, and every redemption of acc made before the close of
// day subtracts its amount. Statements and redemptions of other
// accountants, and later ones, are left out, so sts may be a whole run of
// statements. The statements may have been computed under different
// rules, each month under its own (each carries its payable month); r
// gives only the accountant's country (its zone and home currency, always
// in the balance) and the minor units of the redemptions' currencies.
//
// Months missing from sts count as nets of 0: the caller decides which
// months credit, as BalanceSince does. It fails with ErrUnknownCountry for
// an accountant of a country outside r, and an *OverdrawError for the
// first redemption that spent more than the balance held at its instant.
func BalanceFrom(r *Rules, acc referral.Accountant, sts []Statement, rs []referral.Redemption,
	day referral.Date) (*Balance, error) {
	c, ok := r.Countries[acc.Country]
	if !ok {
		return nil, fmt.Errorf("accountant %s: %w: %s", acc.ID, ErrUnknownCountry, acc.Country)
	}
	b := &Balance{AccountantID: acc.ID, Day: day}
	moves := statementMovements(acc.ID, sts, c.Location, day)
	moves = append(moves, redemptionMovements(r, acc.ID, rs, c.Location, day)...)
	slices.SortStableFunc(moves, byInstant)
	if err := b.run(r, c.Currency, moves); err != nil {
		return nil, err
	}
	return b, nil
}

// creditedStatements computes the statements of acc whose credit is usable
// on day, from since or the month of its first payment, whichever is
// later.
func creditedStatements(r *Rules, ds *referral.Dataset, acc referral.Accountant,
	loc *time.Location, since referral.Month, day referral.Date) ([]Statement, error) {
	if !acc.Registered {
		return nil, nil // only registered accountants take part (D10)
	}
	first, ok := FirstPaymentMonth(ds, acc.ID, loc)
	if !ok {
		return nil, nil
	}
	from := max(first, since)
	to := day.Month().Add(-max(r.PayoutDelayMonths, 1))
	if to < from {
		return nil, nil
	}
	return ForAccountant(r, ds, acc, from, to)
}

// FirstPaymentMonth returns the local month, in zone loc, of the earliest
// payment of the accountant's clients, and false when they have none.
// Before it no statement has a line or an adjustment (a refund is never
// before its payment), so every net is 0: a balance need not compute the
// statements of earlier months.
func FirstPaymentMonth(ds *referral.Dataset, accountantID string,
	loc *time.Location) (referral.Month, bool) {
	a, found := ds.AccountantIndex(accountantID)
	if !found {
		return 0, false
	}
	c := ds.Columns()
	var first referral.Instant
	seen := false
	for i := c.AccountantClients[a]; i < c.AccountantClients[a+1]; i++ {
		j := c.ClientPayments[i] // a client's payments are oldest first
		if j < c.ClientPayments[i+1] && (!seen || c.PaidAt[j].Before(first)) {
			first, seen = c.PaidAt[j], true
		}
	}
	if !seen {
		return 0, false
	}
	return referral.DateIn(first.Time(), loc).Month(), true
}

// statementMovements turns the statements of the accountant with a
// non-zero net that are usable on day into movements.
func statementMovements(accountantID string, sts []Statement, loc *time.Location,
	day referral.Date) []Movement {
	var out []Movement
	for i := range sts {
		st := &sts[i]
		credit := st.CreditDay()
		if st.AccountantID != accountantID || st.Net.IsZero() || credit > day {
			continue
		}
		out = append(out, Movement{
			Kind: Credited, At: credit.Start(loc), Day: credit, Currency: st.Currency, Digits: st.Digits,
			Amount: st.Net, Month: st.Month, PayableMonth: st.PayableMonth,
		})
	}
	return out
}

// redemptionMovements turns the accountant's redemptions made before the
// close of day into movements.
func redemptionMovements(r *Rules, accountantID string, rs []referral.Redemption,
	loc *time.Location, day referral.Date) []Movement {
	closeOfDay := day.Close(loc)
	var out []Movement
	for i := range rs {
		rd := &rs[i]
		if rd.AccountantID != accountantID || !rd.RedeemedAt.Before(closeOfDay) {
			continue
		}
		out = append(out, Movement{
			Kind: Redeemed, At: rd.RedeemedAt, Day: referral.DateIn(rd.RedeemedAt, loc),
			Currency: rd.Currency, Digits: r.Currencies[rd.Currency], Amount: rd.Amount.Neg(),
			RedemptionID: rd.ID, Reference: rd.Reference, redemption: rd,
		})
	}
	return out
}

// byInstant orders movements oldest first; at the same instant a
// statement's credit comes before a redemption, since credit is usable
// from the very start of its day.
func byInstant(a, b Movement) int {
	return cmp.Or(a.At.Compare(b.At), cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)),
		strings.Compare(a.Currency, b.Currency), cmp.Compare(a.Month, b.Month),
		strings.Compare(a.RedemptionID, b.RedemptionID))
}

func kindRank(k MovementKind) int {
	if k == Credited {
		return 0
	}
	return 1
}

// run applies the movements in order, keeping the running balance of each
// currency, and refuses the first redemption that spends more than the
// balance before it.
func (b *Balance) run(r *Rules, home string, moves []Movement) error {
	balances := map[string]decimal.Decimal{home: {}}
	for i := range moves {
		mv := &moves[i]
		before := balances[mv.Currency]
		if mv.Kind == Redeemed && before.LessThan(mv.Amount.Neg()) {
			return &OverdrawError{Redemption: *mv.redemption, Balance: before, Digits: mv.Digits}
		}
		mv.Balance = before.Add(mv.Amount)
		balances[mv.Currency] = mv.Balance
	}
	b.Movements = moves
	for cur, amount := range balances {
		b.Credits = append(b.Credits, Credit{Currency: cur, Digits: r.Currencies[cur], Amount: amount})
	}
	slices.SortFunc(b.Credits, func(x, y Credit) int { return strings.Compare(x.Currency, y.Currency) })
	return nil
}

// CheckRedemptions checks every redemption of ds against the balance its
// accountant held at its instant, and returns an *OverdrawError for the
// first redemption of each accountant that overdraws (joined with
// errors.Join, by accountant ID), or nil. An accountant outside the
// program has no credit, so any redemption of its overdraws.
func CheckRedemptions(r *Rules, ds *referral.Dataset) error {
	var errs []error
	for _, acc := range ds.Accountants() {
		rs := ds.RedemptionsOf(acc.ID)
		if len(rs) == 0 {
			continue
		}
		c, ok := r.Countries[acc.Country]
		if !ok {
			errs = append(errs, &OverdrawError{Redemption: rs[0], Digits: r.Currencies[rs[0].Currency]})
			continue
		}
		last := referral.DateIn(rs[len(rs)-1].RedeemedAt, c.Location)
		if _, err := BalanceOn(r, ds, acc.ID, last); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Purchase is a purchase of the vendor's services that service credit may
// pay (D11).
type Purchase struct {
	// Amount is positive, with no more decimals than Currency allows.
	Amount   decimal.Decimal
	Currency string
	// Day is the local day of the purchase in the accountant's zone; the
	// balance must be the one of that day.
	Day referral.Date
}

// Split is how a purchase is paid: Credit from the balance in its
// currency, and ToPay by other means. Credit + ToPay = Amount.
type Split struct {
	Currency string
	Digits   int // the currency's minor units
	Amount   decimal.Decimal
	Credit   decimal.Decimal
	ToPay    decimal.Decimal
	// Balance and BalanceAfter are the balance in Currency before and
	// after the credit is applied.
	Balance, BalanceAfter decimal.Decimal
}

// Redeem says how much of purchase p the balance b pays: the whole
// purchase when the balance in p's currency covers it, the whole balance
// when it does not, and nothing when that balance is zero or negative.
// Credit never pays in another currency (D11). b is not changed; the
// redemption becomes part of the data only when the billing system
// records it.
//
// It fails with ErrOtherDay when p.Day is not b.Day, ErrUnknownCurrency
// for a currency without minor units in r, and ErrBadPurchase for an
// amount that is not positive or has too many decimals (D12).
func Redeem(r *Rules, b *Balance, p Purchase) (Split, error) {
	digits, ok := r.Currencies[p.Currency]
	switch {
	case p.Day != b.Day:
		return Split{}, fmt.Errorf("%w: purchase on %s, balance on %s", ErrOtherDay, p.Day, b.Day)
	case !ok:
		return Split{}, fmt.Errorf("%w: %q", ErrUnknownCurrency, p.Currency)
	case p.Amount.Sign() <= 0:
		return Split{}, fmt.Errorf("%w: amount %s is not positive", ErrBadPurchase, p.Amount)
	case -p.Amount.Exponent() > int32(digits) && !p.Amount.Equal(p.Amount.Truncate(int32(digits))):
		return Split{}, fmt.Errorf("%w: amount %s has more decimals than %s allows (%d)",
			ErrBadPurchase, p.Amount, p.Currency, digits)
	}
	s := Split{Currency: p.Currency, Digits: digits, Amount: p.Amount, Balance: b.In(p.Currency)}
	if s.Balance.Sign() > 0 {
		s.Credit = decimal.Min(s.Balance, p.Amount)
	}
	s.ToPay = p.Amount.Sub(s.Credit)
	s.BalanceAfter = s.Balance.Sub(s.Credit)
	return s, nil
}

// The JSON shapes: amounts are strings with the currency's minor digits.

type balanceJSON struct {
	AccountantID string         `json:"accountant_id"`
	Day          referral.Date  `json:"day"`
	Balances     []creditJSON   `json:"balances"`
	Movements    []movementJSON `json:"movements"`
}

type creditJSON struct {
	Currency string `json:"currency"`
	Amount   string `json:"amount"`
}

type movementJSON struct {
	Kind         MovementKind   `json:"kind"`
	At           string         `json:"at"`
	Day          referral.Date  `json:"day"`
	Currency     string         `json:"currency"`
	Amount       string         `json:"amount"`
	Balance      string         `json:"balance"`
	Month        referral.Month `json:"month,omitempty"`
	PayableMonth referral.Month `json:"payable_month,omitempty"`
	RedemptionID string         `json:"redemption_id,omitempty"`
	Reference    string         `json:"reference,omitempty"`
}

// MarshalJSON writes b with snake_case names, its credits under
// "balances", instants in RFC 3339 with the accountant's offset, and
// amounts as strings with the currency's minor digits.
func (b Balance) MarshalJSON() ([]byte, error) {
	out := balanceJSON{AccountantID: b.AccountantID, Day: b.Day,
		Balances: make([]creditJSON, len(b.Credits)), Movements: make([]movementJSON, len(b.Movements))}
	for i, c := range b.Credits {
		out.Balances[i] = creditJSON{Currency: c.Currency, Amount: money(c.Amount, c.Digits)}
	}
	for i, mv := range b.Movements {
		out.Movements[i] = movementJSON{
			Kind: mv.Kind, At: mv.At.Format(time.RFC3339Nano), Day: mv.Day, Currency: mv.Currency,
			Amount: money(mv.Amount, mv.Digits), Balance: money(mv.Balance, mv.Digits),
			Month: mv.Month, PayableMonth: mv.PayableMonth,
			RedemptionID: mv.RedemptionID, Reference: mv.Reference,
		}
	}
	return json.Marshal(out)
}

// MarshalJSON writes s with snake_case names and amounts as strings with
// the currency's minor digits.
func (s Split) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Currency     string `json:"currency"`
		Amount       string `json:"amount"`
		Credit       string `json:"credit"`
		ToPay        string `json:"to_pay"`
		Balance      string `json:"balance"`
		BalanceAfter string `json:"balance_after"`
	}{s.Currency, money(s.Amount, s.Digits), money(s.Credit, s.Digits), money(s.ToPay, s.Digits),
		money(s.Balance, s.Digits), money(s.BalanceAfter, s.Digits)})
}
