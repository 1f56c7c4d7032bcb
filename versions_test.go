package referralrules_test

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
)

const versionsFile = "testdata/rules/good/versions.yaml"

// handData is a hand-worked data set for the small programs of
// testdata/rules/good (levels 1: 1-2 referrals at 10%, 2: 3 or more at 15%,
// 16% from 2026-06 in versions.yaml). Accountant a1 (Colombia, activated
// 2026-01-01) has three clients that pay 100.00, 200.00 and 300.00 on the
// 10th of every month from 2026-04 to 2026-07, each payment covering its
// month: 3 active paid referrals (level 2) and a base of 600.00 every
// month. Client c1's May payment is refunded on 2026-06-15, after May
// closed: an adjustment in June of minus the share it earned in May.
func handData(t *testing.T, p *referralrules.Program) *referral.Dataset {
	t.Helper()
	return buildData(t, p, handAccountant{"a1", "CO", "COP", 3})
}

// handAccountant is an accountant of buildData: its country and currency,
// and how many clients it has.
type handAccountant struct {
	id, country, currency string
	clients               int
}

// buildData makes a data set where each accountant, activated 2026-01-01,
// has clients c1, c2, ... that pay 100.00, 200.00, ... in its currency on
// the 10th of every month from 2026-04 to 2026-07, each payment covering
// its month. a1's c1 has its May payment refunded on 2026-06-15.
func buildData(t *testing.T, p *referralrules.Program, accs ...handAccountant) *referral.Dataset {
	t.Helper()
	last := map[int]int{4: 30, 5: 31, 6: 30, 7: 31}
	a := "accountant_id,country,registered,activated_on\n"
	clients := "client_id,accountant_id,linked_on,unlinked_on\n"
	pays := "payment_id,client_id,paid_at,period_start,period_end,amount,currency,promotion,refunded_at\n"
	for _, acc := range accs {
		a += fmt.Sprintf("%s,%s,true,2026-01-01\n", acc.id, acc.country)
		for i := 1; i <= acc.clients; i++ {
			client := fmt.Sprintf("c%d", i)
			if acc.id != "a1" {
				client = acc.id + "-" + client
			}
			clients += fmt.Sprintf("%s,%s,2026-01-01,\n", client, acc.id)
			for m := 4; m <= 7; m++ {
				refund := ""
				if acc.id == "a1" && i == 1 && m == 5 {
					refund = "2026-06-15T12:00:00-05:00"
				}
				pays += fmt.Sprintf("p-%s-%02d,%s,2026-%02d-10T12:00:00-05:00,2026-%02d-01,2026-%02d-%d,%d.00,%s,,%s\n",
					strings.TrimPrefix(client, "c"), m, client, m, m, m, last[m], 100*i, acc.currency, refund)
			}
		}
	}
	ds, err := referral.ReadCSV(strings.NewReader(a), strings.NewReader(clients),
		strings.NewReader(pays), p)
	require.NoError(t, err)
	return ds
}

func mustLoad(t *testing.T, path string) *referralrules.Program {
	t.Helper()
	p, err := referralrules.Load(path)
	require.NoError(t, err)
	return p
}

func TestVersionsAndAt(t *testing.T) {
	p := mustLoad(t, versionsFile)
	vs := p.Versions()
	require.Len(t, vs, 2)
	assert.Equal(t, "2026.1", vs[0].Version())
	assert.Equal(t, "2026.2", vs[1].Version())
	assert.Equal(t, "2026.2", p.Version(), "a file answers with its last version")
	from, ok := vs[1].EffectiveFrom()
	assert.True(t, ok)
	assert.Equal(t, "2026-06", from.String())
	assert.NotEqual(t, vs[0].Checksum(), vs[1].Checksum())
	assert.NotEqual(t, p.Checksum(), vs[1].Checksum(), "a file's checksum is of its bytes")

	for _, tt := range []struct{ month, want string }{
		{"2026-01", "2026.1"}, {"2026-05", "2026.1"}, {"2026-06", "2026.2"}, {"2031-12", "2026.2"},
	} {
		v, err := p.At(mustMonth(t, tt.month))
		require.NoError(t, err)
		assert.Equal(t, tt.want, v.Version(), "At(%s)", tt.month)
	}

	_, err := p.At(mustMonth(t, "2025-12"))
	require.ErrorIs(t, err, referralrules.ErrBeforeFirstVersion)
	assert.Contains(t, err.Error(), "2025-12 is before 2026-01")
	assert.Contains(t, err.Error(), `"2026.1"`)
}

// A file of one version, today's layout, is in force for every month, and
// is its own only version.
func TestOneVersionFile(t *testing.T) {
	p := referralrules.Default()
	vs := p.Versions()
	require.Len(t, vs, 1)
	_, ok := p.EffectiveFrom()
	assert.False(t, ok)
	v, err := p.At(referral.MonthOf(1990, 1))
	require.NoError(t, err)
	assert.Same(t, vs[0], v)
	assert.Equal(t, "2026.1", v.Version())
	assert.Len(t, v.Checksum(), 64)
}

// A version's checksum is of its content: comments and the other versions
// of the file do not change it.
func TestVersionChecksumIsOfContent(t *testing.T) {
	data, err := os.ReadFile(versionsFile)
	require.NoError(t, err)
	base := mustLoad(t, versionsFile).Versions()

	commented := strings.Replace(string(data), "    currencies:", "    # a comment\n    currencies:", 1)
	p, err := referralrules.Parse(strings.NewReader(commented), "commented.yaml")
	require.NoError(t, err)
	assert.Equal(t, base[0].Checksum(), p.Versions()[0].Checksum())
	assert.Equal(t, base[1].Checksum(), p.Versions()[1].Checksum())

	// Raise level 2 of the second version to 17%: only its checksum moves.
	edited := strings.Replace(string(data), `rate: "16%"`, `rate: "17%"`, 1)
	p, err = referralrules.Parse(strings.NewReader(edited), "edited.yaml")
	require.NoError(t, err)
	assert.Equal(t, base[0].Checksum(), p.Versions()[0].Checksum())
	assert.NotEqual(t, base[1].Checksum(), p.Versions()[1].Checksum())
}

// A rate change effective mid-range applies only from its month: April and
// May pay 15% of 600.00 = 90.00, June and July 16% = 96.00. June's refund
// adjustment is minus the 15.00 (15% of 100.00) c1's May payment earned
// under the first version, not the 16.00 the second would have paid.
func TestStatementsUseTheVersionOfEachMonth(t *testing.T) {
	p := mustLoad(t, versionsFile)
	vs := p.Versions()
	ds := handData(t, p)
	sts, err := p.Statements(ds, mustMonth(t, "2026-04"), mustMonth(t, "2026-07"))
	require.NoError(t, err)
	require.Len(t, sts, 4)

	want := []struct {
		month, rate, commission, adjustments, net string
		version                                   *referralrules.Program
	}{
		{"2026-04", "0.15", "90", "0", "90", vs[0]},
		{"2026-05", "0.15", "90", "0", "90", vs[0]}, // the refund came after May closed (D9)
		{"2026-06", "0.16", "96", "-15", "81", vs[1]},
		{"2026-07", "0.16", "96", "0", "96", vs[1]},
	}
	for i, w := range want {
		st := sts[i]
		assert.Equal(t, w.month, st.Month.String())
		assert.Equal(t, w.rate, st.Rate.String(), "%s rate", w.month)
		assert.Equal(t, w.commission, st.Commission.String(), "%s commission", w.month)
		assert.Equal(t, w.adjustments, st.Adjustments.String(), "%s adjustments", w.month)
		assert.Equal(t, w.net, st.Net.String(), "%s net", w.month)
		assert.Equal(t, w.version.Version(), st.RulesVersion, "%s version", w.month)
		assert.Equal(t, w.version.Checksum(), st.RulesChecksum, "%s checksum", w.month)
	}
	adj := sts[2].Lines[3]
	assert.Equal(t, commission.Line{PaymentID: "p-1-05", ClientID: "c1", Amount: adj.Amount,
		Share: adj.Share, Reason: commission.RefundAdjustment}, adj)
	assert.Equal(t, "-15", adj.Share.String())

	// The engine alone, given June under the second version, recomputes May
	// with it too: 16.00, which is not what the payment earned.
	rules := vs[1].Rules()
	june, err := commission.Compute(&rules, ds, mustMonth(t, "2026-06"), mustMonth(t, "2026-06"))
	require.NoError(t, err)
	assert.Equal(t, "-16", june[0].Adjustments.String())
}

// A month the first version is not yet in force for is an error naming
// both months.
func TestStatementsBeforeFirstVersion(t *testing.T) {
	p := mustLoad(t, versionsFile)
	ds := handData(t, p)
	_, err := p.Statements(ds, mustMonth(t, "2025-11"), mustMonth(t, "2026-02"))
	require.ErrorIs(t, err, referralrules.ErrBeforeFirstVersion)
	assert.Contains(t, err.Error(), "2025-11 is before 2026-01")
	assert.False(t, errors.Is(err, commission.ErrMonthRange))
}

// editVersions parses versions.yaml with, in its first version, each old
// text of first replaced by the new text after it, and likewise second in
// its second version.
func editVersions(t *testing.T, first, second []string) *referralrules.Program {
	t.Helper()
	data, err := os.ReadFile(versionsFile)
	require.NoError(t, err)
	v1, v2, ok := strings.Cut(string(data), `version: "2026.2"`)
	require.True(t, ok)
	replace := func(s string, pairs []string) string {
		for i := 0; i+1 < len(pairs); i += 2 {
			require.Equal(t, 1, strings.Count(s, pairs[i]), "%q", pairs[i])
			s = strings.Replace(s, pairs[i], pairs[i+1], 1)
		}
		return s
	}
	s := replace(v1, first) + `version: "2026.2"` + replace(v2, second)
	p, err := referralrules.Parse(strings.NewReader(s), "edited.yaml")
	require.NoError(t, err)
	return p
}

// noLevelBelow6 moves level 1 to 4-5 referrals and level 2 to 6 or more:
// a1, with 3, has no level.
var noLevelBelow6 = []string{
	`{number: 1, min: 1, max: 2,`, `{number: 1, min: 4, max: 5,`,
	`{number: 2, min: 3,`, `{number: 2, min: 6,`,
}

// The refund of c1's May payment is adjusted in June by the share it
// earned in May, under the first version, even when the second version,
// in force in June, would have paid it nothing: a1 has no level under it,
// and the engine alone, recomputing May with June's rules, makes no
// adjustment (F8: the adjustment is made whatever the level of June).
func TestAdjustmentEarnedUnderEarlierVersionIsKept(t *testing.T) {
	p := editVersions(t, nil, noLevelBelow6)
	ds := handData(t, p)
	sts, err := p.Statements(ds, mustMonth(t, "2026-06"), mustMonth(t, "2026-06"))
	require.NoError(t, err)
	require.Len(t, sts, 1)
	st := sts[0]
	assert.Equal(t, commission.NoLevel, st.Reason)
	assert.Equal(t, "0", st.Commission.String())
	assert.Equal(t, "-15", st.Adjustments.String(), "15% of 100.00, earned in May")
	assert.Equal(t, "-15", st.Net.String())
	require.Len(t, st.Lines, 4)
	assert.Equal(t, commission.RefundAdjustment, st.Lines[3].Reason)
	assert.Equal(t, "p-1-05", st.Lines[3].PaymentID)
	assert.Equal(t, "-15", st.Lines[3].Share.String())
}

// And the other way round: a payment that earned nothing in May, when a1
// had no level under the first version, is not adjusted in June, although
// June's version would have paid it.
func TestAdjustmentOfPaymentThatEarnedNothingIsDropped(t *testing.T) {
	p := editVersions(t, noLevelBelow6, nil)
	ds := handData(t, p)
	sts, err := p.Statements(ds, mustMonth(t, "2026-05"), mustMonth(t, "2026-06"))
	require.NoError(t, err)
	require.Len(t, sts, 2)
	assert.Equal(t, commission.NoLevel, sts[0].Reason, "May")
	june := sts[1]
	assert.Equal(t, "96", june.Commission.String())
	assert.True(t, june.Adjustments.IsZero(), "adjustments %s", june.Adjustments)
	assert.Equal(t, "96", june.Net.String())
	assert.Len(t, june.Lines, 3)
}

// An adjustment in another currency than the country's lives in a
// statement of its own, which exists only for it (F9): correcting the
// adjustment across versions adds that statement, or drops it. a1 has 3
// clients paying 100.00 COP in May, and c1 pays 50.00 USD in May, refunded
// on 2026-06-20. Under the unedited first version, May is level 2 (15%):
// the USD payment earns 7.50.
func TestAdjustmentInAnotherCurrency(t *testing.T) {
	usd := []string{"currencies: {COP: {minor_units: 2}}",
		"currencies: {COP: {minor_units: 2}, USD: {minor_units: 2}}"}
	accs := "accountant_id,country,registered,activated_on\na1,CO,true,2026-01-01\n"
	clients := "client_id,accountant_id,linked_on,unlinked_on\n" +
		"c1,a1,2026-01-01,\nc2,a1,2026-01-01,\nc3,a1,2026-01-01,\n"
	pays := "payment_id,client_id,paid_at,period_start,period_end,amount,currency,promotion,refunded_at\n" +
		"p1,c1,2026-05-10T12:00:00-05:00,2026-05-01,2026-05-31,100.00,COP,,\n" +
		"p2,c2,2026-05-10T12:00:00-05:00,2026-05-01,2026-05-31,100.00,COP,,\n" +
		"p3,c3,2026-05-10T12:00:00-05:00,2026-05-01,2026-05-31,100.00,COP,,\n" +
		"p4,c1,2026-05-12T12:00:00-05:00,2026-05-01,2026-05-31,50.00,USD,,2026-06-20T12:00:00-05:00\n"
	tests := []struct {
		name          string
		first, second []string
		want          []string // June's statements: currency, level, adjustments
	}{
		{"earned in May, nothing under June's version", usd, append(slices.Clone(usd), noLevelBelow6...),
			[]string{"COP 0 0", "USD 0 -7.5"}},
		{"nothing earned in May, earning under June's version", append(slices.Clone(usd), noLevelBelow6...), usd,
			[]string{"COP 0 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := editVersions(t, tt.first, tt.second)
			ds, err := referral.ReadCSV(strings.NewReader(accs), strings.NewReader(clients),
				strings.NewReader(pays), p)
			require.NoError(t, err)
			sts, err := p.Statements(ds, mustMonth(t, "2026-06"), mustMonth(t, "2026-06"))
			require.NoError(t, err)
			var got []string
			for _, st := range sts {
				got = append(got, fmt.Sprintf("%s %d %s", st.Currency, st.Level, st.Adjustments))
				assert.Equal(t, "2026-07", st.PayableMonth.String())
				assert.Equal(t, "2026.2", st.RulesVersion)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// Activation requests and counts are answered by the version in force on
// their day.
func TestEvaluateUsesTheVersionOfTheDay(t *testing.T) {
	p := mustLoad(t, versionsFile)
	ds := handData(t, p)
	for _, tt := range []struct{ day, version string }{
		{"2026-05-20", "2026.1"}, {"2026-06-20", "2026.2"},
	} {
		day, err := referral.ParseDate(tt.day)
		require.NoError(t, err)
		a, err := p.Evaluate(ds, "a1", day)
		require.NoError(t, err)
		assert.Equal(t, tt.version, a.RulesVersion, tt.day)
		n, err := p.CountActive(ds, "a1", day)
		require.NoError(t, err)
		assert.Equal(t, 3, n.Active, tt.day)
	}
	_, err := p.Evaluate(ds, "a1", referral.NewDate(2025, 12, 31))
	assert.ErrorIs(t, err, referralrules.ErrBeforeFirstVersion)
	_, err = p.CountActive(ds, "a1", referral.NewDate(2025, 12, 31))
	assert.ErrorIs(t, err, referralrules.ErrBeforeFirstVersion)
}
