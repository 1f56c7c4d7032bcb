package referralrules_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
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

// Balances under a file of two versions (testdata/rules/good/versions.yaml:
// level 2 at 15% until 2026-05, 16% from 2026-06), on handData, worked out
// by hand. a1 (Colombia, COP, UTC-5) is at level 2 with a base of 600.00
// every month from 2026-04 to 2026-07; c1's May payment of 100.00 is
// refunded on 2026-06-15:
//
//	2026-04  15% x 600.00 = 90.00                     net 90.00
//	2026-05  15% x 600.00 = 90.00 (refund after May)  net 90.00
//	2026-06  16% x 600.00 = 96.00, minus the 15.00
//	         the refunded payment earned in May       net 81.00
//	2026-07  16% x 600.00 = 96.00                     net 96.00
//
// With the last version's rules alone every month would pay 16%: 96.00,
// 96.00, 96.00 - 16.00 = 80.00 and 96.00.

// balanceCase is a day and the COP balance of a1 at its close.
type balanceCase struct {
	day, balance string
	moves        []string // "day month amount balance" of the statements credited
}

// checkBalances checks a1's balance under p on each case's day, and its
// movements.
func checkBalances(t *testing.T, p *referralrules.Program, ds *referral.Dataset, cases []balanceCase) {
	t.Helper()
	for _, tc := range cases {
		b, err := p.Balance(ds, "a1", mustDay(t, tc.day))
		require.NoError(t, err, "Balance(a1, %s)", tc.day)
		if got := b.In("COP").StringFixed(2); got != tc.balance {
			t.Errorf("Balance(a1, %s) = %s COP, want %s", tc.day, got, tc.balance)
		}
		var moves []string
		for _, mv := range b.Movements {
			moves = append(moves, fmt.Sprintf("%s %s %s %s", mv.Day, mv.Month, mv.Amount.StringFixed(2),
				mv.Balance.StringFixed(2)))
		}
		require.Equal(t, tc.moves, moves, "movements of a1 on %s", tc.day)
	}
}

func mustDay(t *testing.T, s string) referral.Date {
	t.Helper()
	d, err := referral.ParseDate(s)
	require.NoError(t, err)
	return d
}

// Each month's net is credited as the version in force in that month
// computed it, a month after (payout_delay_months 1 in both versions).
func TestBalanceCreditsTheNetOfEachVersion(t *testing.T) {
	p := mustLoad(t, versionsFile)
	ds := handData(t, p)
	checkBalances(t, p, ds, []balanceCase{
		{"2026-04-30", "0.00", nil},
		{"2026-05-01", "90.00", []string{"2026-05-01 2026-04 90.00 90.00"}},
		{"2026-06-30", "180.00", []string{"2026-05-01 2026-04 90.00 90.00", "2026-06-01 2026-05 90.00 180.00"}},
		{"2026-08-01", "357.00", []string{"2026-05-01 2026-04 90.00 90.00", "2026-06-01 2026-05 90.00 180.00",
			"2026-07-01 2026-06 81.00 261.00", "2026-08-01 2026-07 96.00 357.00"}},
	})

	// The same as the nets of Statements; not what the last version's rules
	// alone give.
	sts, err := p.Statements(ds, mustMonth(t, "2026-04"), mustMonth(t, "2026-07"))
	require.NoError(t, err)
	var sum decimal.Decimal
	for _, st := range sts {
		sum = sum.Add(st.Net)
	}
	require.Equal(t, "357.00", sum.StringFixed(2))
	rules := p.Rules()
	last, err := commission.BalanceOn(&rules, ds, "a1", mustDay(t, "2026-08-01"))
	require.NoError(t, err)
	require.Equal(t, "368.00", last.In("COP").StringFixed(2), "96 + 96 + 80 + 96 under 2026.2 alone")
}

// The payable month of a statement, and so the day its credit is usable,
// comes from the payout delay of the version in force in its month.
func TestBalancePayoutDelayOfEachVersion(t *testing.T) {
	const delay1, delay3 = "payout_delay_months: 1", "payout_delay_months: 3"

	// Delay 3 until May, 1 from June: April's and June's nets both become
	// usable on 2026-07-01, May's and July's on 2026-08-01.
	p := editVersions(t, []string{delay1, delay3}, nil)
	ds := handData(t, p)
	checkBalances(t, p, ds, []balanceCase{
		{"2026-06-30", "0.00", nil},
		{"2026-07-01", "171.00", []string{"2026-07-01 2026-04 90.00 90.00", "2026-07-01 2026-06 81.00 171.00"}},
		{"2026-08-01", "357.00", []string{"2026-07-01 2026-04 90.00 90.00", "2026-07-01 2026-06 81.00 171.00",
			"2026-08-01 2026-05 90.00 261.00", "2026-08-01 2026-07 96.00 357.00"}},
	})
	b, err := p.Balance(ds, "a1", mustDay(t, "2026-07-01"))
	require.NoError(t, err)
	require.Equal(t, "2026-07", b.Movements[0].PayableMonth.String(), "April + 3")

	// Delay 1 until May, 3 from June: June's net waits until September,
	// July's until October.
	p = editVersions(t, nil, []string{delay1, delay3})
	ds = handData(t, p)
	checkBalances(t, p, ds, []balanceCase{
		{"2026-08-31", "180.00", []string{"2026-05-01 2026-04 90.00 90.00", "2026-06-01 2026-05 90.00 180.00"}},
		{"2026-09-01", "261.00", []string{"2026-05-01 2026-04 90.00 90.00", "2026-06-01 2026-05 90.00 180.00",
			"2026-09-01 2026-06 81.00 261.00"}},
		{"2026-10-01", "357.00", []string{"2026-05-01 2026-04 90.00 90.00", "2026-06-01 2026-05 90.00 180.00",
			"2026-09-01 2026-06 81.00 261.00", "2026-10-01 2026-07 96.00 357.00"}},
	})
}

// Redemptions are checked against the balance of the versions: with delay
// 3 until May and 1 from June, 171.00 is usable from 2026-07-01.
func TestRedemptionsAcrossVersions(t *testing.T) {
	p := editVersions(t, []string{"payout_delay_months: 1", "payout_delay_months: 3"}, nil)
	redeem := func(t *testing.T, at, amount string) *referral.Dataset {
		t.Helper()
		ts, err := time.Parse(time.RFC3339, at)
		require.NoError(t, err)
		ds, err := handData(t, p).WithRedemptions([]referral.Redemption{{ID: "r1", AccountantID: "a1",
			RedeemedAt: ts, Amount: decimal.RequireFromString(amount), Currency: "COP", Reference: "INV-1"}}, p)
		require.NoError(t, err)
		return ds
	}
	tests := []struct {
		name, at, amount string
		balance          string // the balance an overdrawing redemption found, "" when none overdraws
	}{
		{"the whole balance at its first instant", "2026-07-01T00:00:00-05:00", "171.00", ""},
		{"one cent over it", "2026-07-01T00:00:00-05:00", "171.01", "171.00"},
		{"one second before it is usable", "2026-06-30T23:59:59-05:00", "1.00", "0.00"},
		{"before the first version", "2025-12-20T10:00:00-05:00", "1.00", "0.00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := p.CheckRedemptions(redeem(t, tc.at, tc.amount))
			if tc.balance == "" {
				require.NoError(t, err)
				return
			}
			var oe *commission.OverdrawError
			require.ErrorAs(t, err, &oe)
			require.Equal(t, tc.balance, oe.Balance.StringFixed(2))
		})
	}

	// A purchase on 2026-07-01 of 200.00: 171.00 in credit, 29.00 to pay.
	ds := handData(t, p)
	s, err := p.Redeem(ds, "a1", commission.Purchase{Amount: decimal.RequireFromString("200.00"),
		Currency: "COP", Day: mustDay(t, "2026-07-01")})
	require.NoError(t, err)
	require.Equal(t, []string{"171.00", "29.00"}, []string{s.Credit.StringFixed(2), s.ToPay.StringFixed(2)})
}

// A balance on a day before the first version is in force is an error
// naming both months, as a statement of such a month is.
func TestBalanceBeforeFirstVersion(t *testing.T) {
	p := mustLoad(t, versionsFile)
	_, err := p.Balance(handData(t, p), "a1", mustDay(t, "2025-12-31"))
	require.ErrorIs(t, err, referralrules.ErrBeforeFirstVersion)
	require.Contains(t, err.Error(), "2025-12 is before 2026-01")
}

// With one version, Program.Balance gives what commission.BalanceOn gives
// with its rules, movement by movement, for every demo accountant.
func TestBalanceOneVersionIsBalanceOn(t *testing.T) {
	p := referralrules.Default()
	ds, err := p.ReadData(demoDir)
	require.NoError(t, err)
	rules := p.Rules()
	for _, day := range []string{"2026-03-15", balanceDay} {
		for _, acc := range ds.Accountants() {
			want, werr := commission.BalanceOn(&rules, ds, acc.ID, mustDay(t, day))
			got, gerr := p.Balance(ds, acc.ID, mustDay(t, day))
			require.Equal(t, werr, gerr, "%s on %s", acc.ID, day)
			if werr != nil {
				continue
			}
			wj, err := json.Marshal(want)
			require.NoError(t, err)
			gj, err := json.Marshal(got)
			require.NoError(t, err)
			require.JSONEq(t, string(wj), string(gj), "%s on %s", acc.ID, day)
		}
	}
}

// A country that a later version leaves out keeps the credit it earned:
// with the second version running in Panama only, a1 (Colombia) has the
// statements of April and May under the first version, and no statement
// (nor the June adjustment of May's refund) from June. Its balance keeps
// Colombia's zone and currency from the first version.
func TestBalanceOfCountryLeftOutLater(t *testing.T) {
	p := editVersions(t, nil, []string{
		`currencies: {COP: {minor_units: 2}}`, `currencies: {COP: {minor_units: 2}, USD: {minor_units: 2}}`,
		`CO: {name: Colombia, currency: COP, time_zone: America/Bogota}`,
		`PA: {name: Panama, currency: USD, time_zone: America/Panama}`,
	})
	_, ok := p.Country("CO")
	require.False(t, ok, "Colombia is not in the last version")
	checkBalances(t, p, handData(t, p), []balanceCase{
		{"2026-08-01", "180.00", []string{"2026-05-01 2026-04 90.00 90.00", "2026-06-01 2026-05 90.00 180.00"}},
	})
}
