package referralrules

import (
	"fmt"

	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
)

// ReadData reads a data folder (accountants.csv, clients.csv and
// payments.csv, SPEC section 5), checking amounts against this program's
// currencies (D12). See referral.ReadDir for the errors.
func (p *Program) ReadData(dir string) (*referral.Dataset, error) {
	return referral.ReadDir(dir, p)
}

// Statements computes the commission statements of months from through to
// for every registered accountant of a program country in ds, under this
// program (D4–D11), sorted by accountant, month and currency. See
// commission.Compute.
func (p *Program) Statements(ds *referral.Dataset, from, to referral.Month) ([]commission.Statement, error) {
	rules := p.Rules()
	return commission.Compute(&rules, ds, from, to)
}

// CountActive counts the active paid referrals of an accountant of ds on a
// local day of its country (D2, D3), client by client. It fails when the
// accountant is not in ds or its country is not in the program, since the
// country's zone decides the day.
func (p *Program) CountActive(ds *referral.Dataset, accountantID string, day referral.Date) (referral.Count, error) {
	acc, ok := ds.Accountant(accountantID)
	if !ok {
		return referral.Count{}, fmt.Errorf("accountant %q is not in the data", accountantID)
	}
	c, ok := p.Country(acc.Country)
	if !ok {
		return referral.Count{}, fmt.Errorf("accountant %s: %w: %s", acc.ID, commission.ErrUnknownCountry, acc.Country)
	}
	cv := referral.Coverage{Location: c.Location, GraceDays: p.settings.GraceDays}
	return ds.CountActive(acc.ID, day, cv), nil
}
