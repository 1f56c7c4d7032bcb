package referralrules

import (
	"errors"
	"fmt"

	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
)

// The service credit of a program whose rules change over time (D11):
// the statement of each month is computed under the version of the rules
// in force in that month, as Statements computes it, and its net becomes
// usable from the first day of the payable month that version gave it
// (its payout_delay_months). A balance therefore credits exactly the nets
// of the statements Statements returns, whatever the version. A file of
// one version gives the same balances as commission.BalanceOn with its
// Rules.

// Balance returns an accountant's service credit at the close of a local
// day of its country (D11): per currency, the nets of its statements
// payable by then, minus its redemptions made by then, with the movements
// that make it up, oldest first. A redemption by then that overdrew the
// balance is an error naming its row (a *commission.OverdrawError).
//
// Each statement is the one Statements gives for its month, under the
// version in force then, and is usable from the first day of its payable
// month as that version set it. The accountant's zone and home currency
// are those of the version in force on day, or, when its country is not
// in that version, of the newest earlier version that has it. Months
// before the first version have no statements: payments made then earn
// no credit. A day before the first version is in force is an error
// wrapping ErrBeforeFirstVersion; see commission.BalanceOn for the other
// errors.
func (p *Program) Balance(ds *referral.Dataset, accountantID string, day referral.Date) (*commission.Balance, error) {
	b, _, err := p.balance(ds, accountantID, day)
	return b, err
}

// Redeem says how much of a purchase an accountant's credit pays on the
// purchase's day (its Balance that day), and what remains to pay. The
// purchase's currency is checked against the version whose country gave
// the balance. See commission.Redeem.
func (p *Program) Redeem(ds *referral.Dataset, accountantID string, purchase commission.Purchase) (commission.Split, error) {
	b, v, err := p.balance(ds, accountantID, purchase.Day)
	if err != nil {
		return commission.Split{}, err
	}
	rules := v.Rules()
	return commission.Redeem(&rules, b, purchase)
}

// CheckRedemptions checks every redemption of ds against the balance its
// accountant held at its instant, that balance being the one Balance
// gives. It returns a *commission.OverdrawError for the first redemption
// of each accountant that overdraws (joined with errors.Join, by
// accountant ID), or nil. An accountant outside the program, or a
// redemption before the first version of the rules is in force, has no
// credit to spend, so such a redemption overdraws.
//
// The statements of all the accountants with redemptions are computed in
// one run. The day each accountant is checked on is the local day of its
// last redemption, in the zone of the newest version that has its country.
func (p *Program) CheckRedemptions(ds *referral.Dataset) error {
	var checks []creditCheck
	for _, acc := range ds.Accountants() {
		rs := ds.RedemptionsOf(acc.ID)
		if len(rs) == 0 {
			continue
		}
		ch := creditCheck{acc: acc}
		if c, ok := p.newestCountry(acc.Country); ok {
			ch.day = referral.DateIn(rs[len(rs)-1].RedeemedAt, c.Location)
			ch.v, _ = p.creditVersion(acc.Country, ch.day.Month())
		}
		checks = append(checks, ch)
	}

	sts, err := p.creditStatements(ds, checks)
	if err != nil {
		return err
	}
	var errs []error
	for _, ch := range checks {
		rs := ds.RedemptionsOf(ch.acc.ID)
		if ch.v == nil { // no credit at all: the first redemption overdraws
			digits, _ := p.MinorUnits(rs[0].Currency)
			errs = append(errs, &commission.OverdrawError{Redemption: rs[0], Digits: digits})
			continue
		}
		rules := ch.v.Rules()
		if _, err := commission.BalanceFrom(&rules, ch.acc, sts[ch.acc.ID], rs, ch.day); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// creditCheck is one balance to build: an accountant, the version that
// gives its zone and home currency (nil when none has its country by
// then), and the day.
type creditCheck struct {
	acc referral.Accountant
	v   *Program
	day referral.Date
}

// balance returns the balance of Balance and the version that gave the
// accountant's zone and home currency.
func (p *Program) balance(ds *referral.Dataset, accountantID string,
	day referral.Date) (*commission.Balance, *Program, error) {
	acc, ok := ds.Accountant(accountantID)
	if !ok {
		return nil, nil, fmt.Errorf("%w: %q", commission.ErrUnknownAccountant, accountantID)
	}
	if _, err := p.At(day.Month()); err != nil {
		return nil, nil, err
	}
	v, ok := p.creditVersion(acc.Country, day.Month())
	if !ok {
		return nil, nil, fmt.Errorf("accountant %s: %w: %s", acc.ID, commission.ErrUnknownCountry, acc.Country)
	}
	sts, err := p.creditStatements(ds, []creditCheck{{acc: acc, v: v, day: day}})
	if err != nil {
		return nil, nil, err
	}
	rules := v.Rules()
	b, err := commission.BalanceFrom(&rules, acc, sts[acc.ID], ds.RedemptionsOf(acc.ID), day)
	return b, v, err
}

// creditStatements computes, in one run of StatementsWith, the statements
// whose credit may be usable on the day of each check, by accountant:
// from the earliest first payment of the registered accountants checked
// (no version earlier than the first) through the last month that the
// shortest payout delay of any version makes payable on the latest day.
// commission.BalanceFrom leaves out those not yet usable on a day.
func (p *Program) creditStatements(ds *referral.Dataset,
	checks []creditCheck) (map[string][]commission.Statement, error) {
	first, _ := p.EffectiveFrom()
	from, to := referral.Month(0), referral.Month(0)
	keep := map[string]bool{}
	for _, ch := range checks {
		if ch.v == nil {
			continue
		}
		c, _ := ch.v.Country(ch.acc.Country)
		m, ok := commission.FirstPaymentMonth(ds, ch.acc.ID, c.Location)
		if !ch.acc.Registered || !ok {
			continue // no statement, or every net 0 (D10)
		}
		last := ch.day.Month().Add(-p.shortestCreditDelay())
		m = max(m, first)
		if last < m {
			continue
		}
		if len(keep) == 0 {
			from, to = m, last
		}
		from, to = min(from, m), max(to, last)
		keep[ch.acc.ID] = true
	}
	if len(keep) == 0 {
		return nil, nil
	}
	sts, err := p.StatementsWith(ds, from, to,
		RunOptions{Keep: func(a referral.Accountant) bool { return keep[a.ID] }})
	if err != nil {
		return nil, err
	}
	out := map[string][]commission.Statement{}
	for _, st := range sts {
		out[st.AccountantID] = append(out[st.AccountantID], st)
	}
	return out, nil
}

// shortestCreditDelay is the fewest months between a statement's month and
// the month its credit is usable, over every version: its
// payout_delay_months, and at least 1 (see commission.Statement.CreditDay).
func (p *Program) shortestCreditDelay() int {
	d := 0
	for i, v := range p.Versions() {
		if dv := max(v.settings.PayoutDelayMonths, 1); i == 0 || dv < d {
			d = dv
		}
	}
	return d
}

// creditVersion returns the version whose country code gives the zone and
// home currency of a balance on a day of month m: the version in force in
// m, or the newest earlier one with the country; false when there is none.
func (p *Program) creditVersion(code string, m referral.Month) (*Program, bool) {
	vs := p.Versions()
	for i := len(vs) - 1; i >= 0; i-- {
		if _, ok := vs[i].countries[code]; ok && vs[i].effective <= m {
			return vs[i], true
		}
	}
	return nil, false
}

// newestCountry returns the country of code in the newest version that
// has it.
func (p *Program) newestCountry(code string) (commission.Country, bool) {
	vs := p.Versions()
	for i := len(vs) - 1; i >= 0; i-- {
		if c, ok := vs[i].countries[code]; ok {
			return c, true
		}
	}
	return commission.Country{}, false
}
