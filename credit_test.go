package referralrules_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// balanceDay is the day of the demo balances: the first day the credit of
// the last expected month, 2026-11, is usable.
const balanceDay = "2026-12-01"

// TestDemoBalancesMatchExpected checks the demo balance of every
// accountant on 2026-12-01 against numbers computed here, independently of
// package commission: the nets of expected/statements.csv payable by
// 2026-12, minus the rows of redemptions.csv redeemed before the close of
// 2026-12-01 in the accountant's zone.
//
// The expected file covers the months 2026-01 to 2026-11 only, and the
// demo accountants earned before 2026 too (their payments go back to
// 2020). So the balances compared are those counting statements from
// 2026-01 (commission.BalanceSince); the full balances, from each
// accountant's first payment, are then checked to exceed them by exactly
// the nets of the months before 2026.
func TestDemoBalancesMatchExpected(t *testing.T) {
	p := referralrules.Default()
	ds, err := p.ReadData(demoDir)
	require.NoError(t, err)
	require.NotEmpty(t, ds.Redemptions(), "the demo has redemptions")
	require.NoError(t, p.CheckRedemptions(ds), "no demo redemption overdraws")
	day, err := referral.ParseDate(balanceDay)
	require.NoError(t, err)
	rules := p.Rules()

	want := expectedCredit(t, p, day)
	before, err := p.Statements(ds, mustMonth(t, "2020-01"), mustMonth(t, "2025-12"))
	require.NoError(t, err)
	for _, acc := range ds.Accountants() {
		c, ok := p.Country(acc.Country)
		if !ok || !acc.Registered {
			continue
		}
		b, err := commission.BalanceSince(&rules, ds, acc.ID, mustMonth(t, "2026-01"), day)
		require.NoError(t, err)
		got := creditMap(b)
		for cur := range union(got, want[acc.ID]) {
			if g, w := got[cur], want[acc.ID][cur]; !g.Equal(w) {
				t.Errorf("%s (%s) on %s: balance from 2026-01 = %s %s, want %s", acc.ID, c.Code, day,
					g.StringFixed(2), cur, w.StringFixed(2))
			}
		}

		// The full balance adds the nets of the months before 2026, all
		// payable by 2026-01.
		full, err := p.Balance(ds, acc.ID, day)
		require.NoError(t, err)
		extra := map[string]decimal.Decimal{}
		for _, st := range before {
			if st.AccountantID == acc.ID {
				extra[st.Currency] = extra[st.Currency].Add(st.Net)
			}
		}
		fullMap := creditMap(full)
		for cur := range union(fullMap, got) {
			if d := fullMap[cur].Sub(got[cur]); !d.Equal(extra[cur]) {
				t.Errorf("%s: full balance - balance from 2026-01 = %s %s, want the nets before 2026, %s",
					acc.ID, d, cur, extra[cur])
			}
		}
	}
}

// expectedCredit reads expected/statements.csv and redemptions.csv as text
// and returns, by accountant and currency, the nets payable by the month
// of day minus the redemptions before the close of day.
func expectedCredit(t *testing.T, p *referralrules.Program, day referral.Date) map[string]map[string]decimal.Decimal {
	t.Helper()
	out := map[string]map[string]decimal.Decimal{}
	add := func(acc, cur string, amount decimal.Decimal) {
		if out[acc] == nil {
			out[acc] = map[string]decimal.Decimal{}
		}
		out[acc][cur] = out[acc][cur].Add(amount)
	}
	for _, row := range readRows(t, filepath.Join(demoDir, "expected", "statements.csv")) {
		if row["payable_month"] <= day.Month().String() { // YYYY-MM sorts as text
			add(row["accountant_id"], row["currency"], decimal.RequireFromString(row["net"]))
		}
	}

	zone := map[string]*time.Location{}
	for _, row := range readRows(t, filepath.Join(demoDir, "accountants.csv")) {
		if c, ok := p.Country(row["country"]); ok {
			zone[row["accountant_id"]] = c.Location
		}
	}
	for _, row := range readRows(t, filepath.Join(demoDir, "redemptions.csv")) {
		at, err := time.Parse(time.RFC3339, row["redeemed_at"])
		require.NoError(t, err)
		y, m, d := day.Civil()
		closeOfDay := time.Date(y, m, d+1, 0, 0, 0, 0, zone[row["accountant_id"]])
		if at.Before(closeOfDay) {
			add(row["accountant_id"], row["currency"], decimal.RequireFromString(row["amount"]).Neg())
		}
	}
	return out
}

// readRows reads a CSV file with a header into one map per row.
func readRows(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var out []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, name := range recs[0] {
			row[name] = rec[i]
		}
		out = append(out, row)
	}
	return out
}

func creditMap(b *commission.Balance) map[string]decimal.Decimal {
	out := map[string]decimal.Decimal{}
	for _, c := range b.Credits {
		out[c.Currency] = c.Amount
	}
	return out
}

func union(a, b map[string]decimal.Decimal) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// TestProgramRedeem pays a purchase with the demo credit of a-0048 on the
// day of its redemption r-0009.
func TestProgramRedeem(t *testing.T) {
	p := referralrules.Default()
	ds, err := p.ReadData(demoDir)
	require.NoError(t, err)
	day, err := referral.ParseDate(balanceDay)
	require.NoError(t, err)
	b, err := p.Balance(ds, "a-0048", day)
	require.NoError(t, err)
	usd := b.In("USD")
	require.True(t, usd.IsPositive(), "a-0048 has USD credit on %s", day)

	over := usd.Add(decimal.RequireFromString("0.01"))
	s, err := p.Redeem(ds, "a-0048", commission.Purchase{Amount: over, Currency: "USD", Day: day})
	require.NoError(t, err)
	require.True(t, s.Credit.Equal(usd), "credit %s, want the whole balance %s", s.Credit, usd)
	require.Equal(t, "0.01", s.ToPay.StringFixed(2))
}
