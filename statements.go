package referralrules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
)

// ReadData reads a data folder (accountants.csv, clients.csv and
// payments.csv, SPEC section 5, and redemptions.csv when it is there),
// checking amounts against this program's currencies (D12). See
// referral.ReadDir for the errors.
func (p *Program) ReadData(dir string) (*referral.Dataset, error) {
	return referral.ReadDir(dir, p)
}

// Statements computes the commission statements of months from through to
// for every registered accountant of a program country in ds (D4–D11),
// each month under the version of the rules in force in it (see At), and
// stamps each statement with that version's id and checksum. They are
// sorted by accountant, month and currency. A month before the first
// version is in force is an error wrapping ErrBeforeFirstVersion.
//
// The months are computed in runs under one version each, with
// commission.Compute. Within a run, a refund adjustment (D9) is minus the
// share its payment earned, as the engine recomputes it with the run's
// rules. When the payment's own month lies under another version, the
// engine would recompute that share with the refund month's rules, which
// is not what the payment earned; Statements replaces it with the share the
// payment earned under the version in force in its own month, adding or
// dropping the line (and an extra-currency statement that only it made)
// where one of the two shares is zero. A payment paid before the first
// version keeps the engine's answer: no version decided what it earned.
func (p *Program) Statements(ds *referral.Dataset,
	from, to referral.Month) ([]commission.Statement, error) {
	return p.StatementsWith(ds, from, to, RunOptions{})
}

// RunOptions tune how StatementsWith runs. The zero value computes every
// accountant on one goroutine, as Statements does.
type RunOptions struct {
	// Workers is how many goroutines share the accountants; 0 or 1 means
	// one. The statements are the same, in the same order, for any number.
	Workers int
	// Keep, when set, limits the run to the accountants it accepts, such as
	// one shard of a run split among processes. It may be called more than
	// once for an accountant (once per run of months under one version,
	// and again for a refund across versions), from several goroutines.
	Keep func(referral.Accountant) bool
}

// StatementsWith is Statements with the work shared among goroutines or
// limited to some accountants (see RunOptions).
func (p *Program) StatementsWith(ds *referral.Dataset, from, to referral.Month,
	opt RunOptions) ([]commission.Statement, error) {
	if to < from {
		return nil, fmt.Errorf("%w: %s is after %s", commission.ErrMonthRange, from, to)
	}
	runs, err := p.runs(from, to)
	if err != nil {
		return nil, err
	}
	var out []commission.Statement
	for _, r := range runs {
		rules := r.v.Rules()
		sts, err := commission.ComputeEach(&rules, ds, r.from, r.to, max(opt.Workers, 1), opt.Keep)
		if err != nil {
			return nil, err
		}
		if sts, err = p.adjustAcrossVersions(ds, r, sts, opt.Keep); err != nil {
			return nil, err
		}
		for i := range sts {
			sts[i].RulesVersion, sts[i].RulesChecksum = r.v.version, r.v.checksum
		}
		out = append(out, sts...)
	}
	if len(runs) > 1 {
		slices.SortStableFunc(out, byAccountantMonthCurrency)
	}
	return out, nil
}

// byAccountantMonthCurrency is the order of statements (F11).
func byAccountantMonthCurrency(a, b commission.Statement) int {
	return cmp.Or(strings.Compare(a.AccountantID, b.AccountantID),
		cmp.Compare(a.Month, b.Month), strings.Compare(a.Currency, b.Currency))
}

// CountActive counts the active paid referrals of an accountant of ds on a
// local day of its country (D2, D3), client by client, under the version
// of the rules in force that day. It fails when the accountant is not in
// ds or its country is not in the program, since the country's zone
// decides the day, and for a day before the first version.
func (p *Program) CountActive(ds *referral.Dataset, accountantID string, day referral.Date) (referral.Count, error) {
	acc, ok := ds.Accountant(accountantID)
	if !ok {
		return referral.Count{}, fmt.Errorf("accountant %q is not in the data", accountantID)
	}
	v, err := p.on(day)
	if err != nil {
		return referral.Count{}, err
	}
	c, ok := v.Country(acc.Country)
	if !ok {
		return referral.Count{}, fmt.Errorf("accountant %s: %w: %s", acc.ID, commission.ErrUnknownCountry, acc.Country)
	}
	cv := referral.Coverage{Location: c.Location, GraceDays: v.settings.GraceDays}
	return ds.CountActive(acc.ID, day, cv), nil
}
