package referralrules_test

import (
	"errors"
	"fmt"
	"os"
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
