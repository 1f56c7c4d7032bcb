package referralrules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

// Report is what changes when rules old are replaced by rules new over a
// range of months of a data set: the statements that change, their totals
// per country and currency, and what changed in the rules themselves. An
// empty Report (no Rows, no Rules) means the two give the same answers.
type Report struct {
	From, To referral.Month
	// Rows are the statements whose level, commission, net or benefits
	// change, by accountant, month and currency.
	Rows []DiffRow
	// Totals are the rows summed per country and currency, by country
	// then currency.
	Totals []DiffTotal
	// Rules are the changes of the rules themselves, in plain words, per
	// run of months where the same two versions are in force; runs with no
	// change are left out.
	Rules []RulesChange
}

// Change says whether a statement exists under the old rules, the new ones
// or both.
type Change string

// The kinds of DiffRow.
const (
	Changed Change = "changed" // a statement under both rules, that differs
	Added   Change = "added"   // only under the new rules (a country joined, a new currency)
	Removed Change = "removed" // only under the old rules
)

// DiffRow is one statement (accountant, month, currency) that differs
// between the old and the new rules. A side where the statement does not
// exist has level 0, zero amounts and no benefits.
type DiffRow struct {
	AccountantID string
	Country      string
	Month        referral.Month
	Currency     string
	Digits       int // the currency's minor units
	Change       Change
	OldLevel     int
	NewLevel     int
	// OldCommission and NewCommission are the month's commission (D7).
	OldCommission decimal.Decimal
	NewCommission decimal.Decimal
	// OldNet and NewNet add the refund adjustments (D9): what is paid.
	OldNet decimal.Decimal
	NewNet decimal.Decimal
	// Difference is NewNet minus OldNet.
	Difference decimal.Decimal
	// BenefitsGained and BenefitsLost are the benefit ids of the new level
	// under the new rules that the old level did not give under the old
	// rules, and the other way round, in catalogue order.
	BenefitsGained []string
	BenefitsLost   []string
}

// DiffTotal sums the rows of one country and currency.
type DiffTotal struct {
	Country  string
	Currency string
	Digits   int
	// Accountants is how many accountants have at least one row here.
	Accountants int
	// Up is the sum of the positive differences, Down of the negative ones
	// (0 or less), and Net their sum.
	Up, Down, Net decimal.Decimal
}

// RulesChange is what differs between the old and the new version in
// force over months From through To, one sentence per change, such as
// "Level 2 rate: 15% → 16%".
type RulesChange struct {
	From, To referral.Month
	Lines    []string
}

// Diff compares the statements of ds over months from through to under
// rules old and new, each month under the version of each in force then,
// and describes what changed in the rules. The data must suit both rules
// (read it with either program; an amount in a currency one of them does
// not know is an error of Statements).
func Diff(oldP, newP *Program, ds *referral.Dataset, from, to referral.Month) (*Report, error) {
	before, err := oldP.Statements(ds, from, to)
	if err != nil {
		return nil, fmt.Errorf("old rules: %w", err)
	}
	after, err := newP.Statements(ds, from, to)
	if err != nil {
		return nil, fmt.Errorf("new rules: %w", err)
	}
	r := &Report{From: from, To: to}
	if r.Rules, err = rulesChanges(oldP, newP, from, to); err != nil {
		return nil, err
	}
	i, j := 0, 0
	for i < len(before) || j < len(after) {
		var o, n *commission.Statement
		switch c := compareStatements(before, after, i, j); {
		case c < 0:
			o, i = &before[i], i+1
		case c > 0:
			n, j = &after[j], j+1
		default:
			o, n, i, j = &before[i], &after[j], i+1, j+1
		}
		row, err := diffRow(oldP, newP, o, n)
		if err != nil {
			return nil, err
		}
		if row != nil {
			r.Rows = append(r.Rows, *row)
		}
	}
	r.Totals = totals(r.Rows)
	return r, nil
}

// compareStatements orders before[i] against after[j] by accountant, month
// and currency, a missing one last.
func compareStatements(before, after []commission.Statement, i, j int) int {
	switch {
	case i == len(before):
		return 1
	case j == len(after):
		return -1
	}
	return byAccountantMonthCurrency(before[i], after[j])
}

// diffRow compares statement o under old with n under new (either nil when
// missing), and returns their row, or nil when they agree.
func diffRow(oldP, newP *Program, o, n *commission.Statement) (*DiffRow, error) {
	some := cmp.Or(o, n)
	row := &DiffRow{AccountantID: some.AccountantID, Country: some.Country, Month: some.Month,
		Currency: some.Currency, Digits: some.Digits, Change: Changed}
	var oldB, newB []string
	var err error
	if o != nil {
		row.OldLevel, row.OldCommission, row.OldNet = o.Level, o.Commission, o.Net
		if oldB, err = levelBenefits(oldP, o.Month, o.Level); err != nil {
			return nil, err
		}
	} else {
		row.Change = Added
	}
	if n != nil {
		row.NewLevel, row.NewCommission, row.NewNet = n.Level, n.Commission, n.Net
		row.Digits = n.Digits
		if newB, err = levelBenefits(newP, n.Month, n.Level); err != nil {
			return nil, err
		}
	} else {
		row.Change = Removed
	}
	row.Difference = row.NewNet.Sub(row.OldNet)
	row.BenefitsGained = without(newB, oldB)
	row.BenefitsLost = without(oldB, newB)
	same := row.Change == Changed && row.OldLevel == row.NewLevel &&
		row.OldCommission.Equal(row.NewCommission) && row.OldNet.Equal(row.NewNet) &&
		len(row.BenefitsGained) == 0 && len(row.BenefitsLost) == 0
	if same {
		return nil, nil
	}
	return row, nil
}

// levelBenefits returns the ids of the benefits of level n under the
// version of p in force in month m.
func levelBenefits(p *Program, m referral.Month, n int) ([]string, error) {
	v, err := p.At(m)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, b := range v.benefits.ForLevel(n) {
		ids = append(ids, b.ID)
	}
	return ids, nil
}

// without returns the items of a that are not in b, in a's order.
func without(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// totals sums rows per country and currency.
func totals(rows []DiffRow) []DiffTotal {
	type key struct{ country, currency string }
	byKey := map[key]*DiffTotal{}
	seen := map[key]map[string]bool{}
	for _, r := range rows {
		k := key{r.Country, r.Currency}
		t := byKey[k]
		if t == nil {
			t = &DiffTotal{Country: r.Country, Currency: r.Currency, Digits: r.Digits}
			byKey[k], seen[k] = t, map[string]bool{}
		}
		if !seen[k][r.AccountantID] {
			seen[k][r.AccountantID] = true
			t.Accountants++
		}
		if r.Difference.IsPositive() {
			t.Up = t.Up.Add(r.Difference)
		} else {
			t.Down = t.Down.Add(r.Difference)
		}
		t.Net = t.Net.Add(r.Difference)
	}
	out := make([]DiffTotal, 0, len(byKey))
	for _, t := range byKey {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b DiffTotal) int {
		return cmp.Or(strings.Compare(a.Country, b.Country), strings.Compare(a.Currency, b.Currency))
	})
	return out
}
