package referralrules_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/commission"
)

const baseFile = "testdata/diff/base.yaml"

// edit parses the rules of path with each old text replaced by its new
// text, every old text present exactly once.
func edit(t *testing.T, path string, pairs ...string) *referralrules.Program {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	s := string(data)
	for i := 0; i+1 < len(pairs); i += 2 {
		require.Equal(t, 1, strings.Count(s, pairs[i]), "%q in %s", pairs[i], path)
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	p, err := referralrules.Parse(strings.NewReader(s), path+" (edited)")
	require.NoError(t, err)
	return p
}

// rowSummary is the part of a row the hand-worked cases check.
type rowSummary struct {
	acc, month, change   string
	oldLevel, newLevel   int
	oldCommission, newCo string
	difference           string
}

func summarise(r *referralrules.Report) []rowSummary {
	var out []rowSummary
	for _, row := range r.Rows {
		out = append(out, rowSummary{row.AccountantID, row.Month.String(), string(row.Change),
			row.OldLevel, row.NewLevel, row.OldCommission.StringFixed(2),
			row.NewCommission.StringFixed(2), row.Difference.StringFixed(2)})
	}
	return out
}

// A rate change effective mid-range applies only from its month: base.yaml
// against versions.yaml, whose second version raises level 2 from 15% to
// 16% from 2026-06. a1 (3 referrals, level 2, base 600.00 a month) earns
// 90.00 a month before, and 96.00 from June: +6.00 in June and July only.
// June's adjustment of c1's May payment is -15.00 under both, since May is
// under the first version in both files.
func TestDiffRateChangeMidRange(t *testing.T) {
	oldP, newP := mustLoad(t, baseFile), mustLoad(t, versionsFile)
	ds := handData(t, newP)
	r, err := referralrules.Diff(oldP, newP, ds, mustMonth(t, "2026-04"), mustMonth(t, "2026-07"))
	require.NoError(t, err)
	assert.Equal(t, []rowSummary{
		{"a1", "2026-06", "changed", 2, 2, "90.00", "96.00", "6.00"},
		{"a1", "2026-07", "changed", 2, 2, "90.00", "96.00", "6.00"},
	}, summarise(r))
	require.Len(t, r.Rows, 2)
	june := r.Rows[0]
	assert.Equal(t, "2026-06", june.Month.String())
	assert.Equal(t, "90.00", june.OldCommission.StringFixed(2))
	assert.Equal(t, "96.00", june.NewCommission.StringFixed(2))
	assert.Equal(t, "75.00", june.OldNet.StringFixed(2))
	assert.Equal(t, "81.00", june.NewNet.StringFixed(2))
	assert.Equal(t, "6.00", june.Difference.StringFixed(2))

	require.Len(t, r.Totals, 1)
	tot := r.Totals[0]
	assert.Equal(t, [6]string{"CO", "COP", "1", "12.00", "0.00", "12.00"},
		[6]string{tot.Country, tot.Currency, itoa(tot.Accountants), tot.Up.StringFixed(2),
			tot.Down.StringFixed(2), tot.Net.StringFixed(2)})

	require.Len(t, r.Rules, 1)
	assert.Equal(t, "2026-06", r.Rules[0].From.String())
	assert.Equal(t, "2026-07", r.Rules[0].To.String())
	assert.Equal(t, []string{"Version: 2026.1 → 2026.2", "Level 2 rate: 15% → 16%"}, r.Rules[0].Lines)
}

// A level bound moved by one changes exactly the accountants at that
// bound: level 1 becomes 1 to 3 referrals and level 2 starts at 4. Of a1
// (3 referrals), a2 (2) and a3 (4), only a1 moves, to level 1 at 10%: its
// 600.00 a month earns 60.00 instead of 90.00, it loses the network
// benefit, and June's adjustment of c1's May payment is -10.00 instead of
// -15.00 (net 50.00 instead of 75.00).
func TestDiffLevelBoundMovedByOne(t *testing.T) {
	oldP := mustLoad(t, baseFile)
	newP := edit(t, baseFile, "min: 1, max: 2,", "min: 1, max: 3,", "min: 3, rate", "min: 4, rate")
	ds := buildData(t, newP, handAccountant{"a1", "CO", "COP", 3}, handAccountant{"a2", "CO", "COP", 2},
		handAccountant{"a3", "CO", "COP", 4})
	r, err := referralrules.Diff(oldP, newP, ds, mustMonth(t, "2026-04"), mustMonth(t, "2026-07"))
	require.NoError(t, err)
	assert.Equal(t, []rowSummary{
		{"a1", "2026-04", "changed", 2, 1, "90.00", "60.00", "-30.00"},
		{"a1", "2026-05", "changed", 2, 1, "90.00", "60.00", "-30.00"},
		{"a1", "2026-06", "changed", 2, 1, "90.00", "60.00", "-25.00"},
		{"a1", "2026-07", "changed", 2, 1, "90.00", "60.00", "-30.00"},
	}, summarise(r))
	for _, row := range r.Rows {
		assert.Empty(t, row.BenefitsGained)
		assert.Equal(t, []string{"network"}, row.BenefitsLost)
	}
	assert.Equal(t, "50.00", r.Rows[2].NewNet.StringFixed(2))
	require.Len(t, r.Totals, 1)
	assert.Equal(t, 1, r.Totals[0].Accountants)
	assert.Equal(t, "0.00", r.Totals[0].Up.StringFixed(2))
	assert.Equal(t, "-115.00", r.Totals[0].Down.StringFixed(2))
	require.Len(t, r.Rules, 1)
	assert.Equal(t, []string{"Level 1 referrals: 1 to 2 → 1 to 3", "Level 2 referrals: 3 or more → 4 or more"},
		r.Rules[0].Lines)
}

// A new country makes its accountants appear: Panama joins, paid in USD.
// a4 of Panama has 2 referrals (level 1) and a base of 300.00 USD a month:
// four added rows of 30.00 USD. a1 of Colombia does not change.
func TestDiffNewCountry(t *testing.T) {
	oldP := mustLoad(t, baseFile)
	newP := edit(t, baseFile,
		"currencies: {COP: {minor_units: 2}}", "currencies: {COP: {minor_units: 2}, USD: {minor_units: 2}}",
		"  CO: {name: Colombia", "  PA: {name: Panama, currency: USD, time_zone: America/Panama}\n  CO: {name: Colombia")
	ds := buildData(t, newP, handAccountant{"a1", "CO", "COP", 3}, handAccountant{"a4", "PA", "USD", 2})
	r, err := referralrules.Diff(oldP, newP, ds, mustMonth(t, "2026-04"), mustMonth(t, "2026-07"))
	require.NoError(t, err)
	assert.Equal(t, []rowSummary{
		{"a4", "2026-04", "added", 0, 1, "0.00", "30.00", "30.00"},
		{"a4", "2026-05", "added", 0, 1, "0.00", "30.00", "30.00"},
		{"a4", "2026-06", "added", 0, 1, "0.00", "30.00", "30.00"},
		{"a4", "2026-07", "added", 0, 1, "0.00", "30.00", "30.00"},
	}, summarise(r))
	assert.Equal(t, []string{"support"}, r.Rows[0].BenefitsGained)
	require.Len(t, r.Totals, 1)
	assert.Equal(t, "PA USD 1 120.00", strings.Join([]string{r.Totals[0].Country, r.Totals[0].Currency,
		itoa(r.Totals[0].Accountants), r.Totals[0].Net.StringFixed(2)}, " "))
	require.Len(t, r.Rules, 1)
	assert.Equal(t, []string{"Currency USD added, with 2 decimals",
		"Country added: Panama (PA), paid in USD, time zone America/Panama"}, r.Rules[0].Lines)
}

// Identical rule files give an empty diff, whatever their comments.
func TestDiffIdenticalRules(t *testing.T) {
	oldP := mustLoad(t, baseFile)
	newP := edit(t, baseFile, "# The first", "# Another comment.\n# The first")
	ds := handData(t, newP)
	r, err := referralrules.Diff(oldP, newP, ds, mustMonth(t, "2026-01"), mustMonth(t, "2026-12"))
	require.NoError(t, err)
	assert.Empty(t, r.Rows)
	assert.Empty(t, r.Totals)
	assert.Empty(t, r.Rules)
	js, err := json.Marshal(r)
	require.NoError(t, err)
	assert.JSONEq(t, `{"from":"2026-01","to":"2026-12","rules":[],"rows":[],"totals":[]}`, string(js))
}

// A month before the first version of either file is an error.
func TestDiffBeforeFirstVersion(t *testing.T) {
	oldP, newP := mustLoad(t, baseFile), mustLoad(t, versionsFile)
	ds := handData(t, newP)
	_, err := referralrules.Diff(oldP, newP, ds, mustMonth(t, "2025-12"), mustMonth(t, "2026-07"))
	require.ErrorIs(t, err, referralrules.ErrBeforeFirstVersion)
	assert.Contains(t, err.Error(), "new rules: ")
}

func itoa(n int) string { return decimal.NewFromInt(int64(n)).String() }

// level2At16 returns the default rules with level 2 raised from 15% to
// 16%, as a product team would edit a copy of rules.yaml.
func level2At16(t *testing.T) *referralrules.Program {
	t.Helper()
	return edit(t, "rules.yaml", `version: "2026.1"`, `version: "2026.2"`, `rate: "15%"`, `rate: "16%"`)
}

// TestDiffDemoGolden runs the demo data, 2026-01 through 2026-11, under
// the default rules and under level2At16, and compares the report with
// testdata/diff/level2_16.{csv,json}.golden (go test -run TestDiffDemoGolden
// -update rewrites them).
func TestDiffDemoGolden(t *testing.T) {
	oldP := referralrules.Default()
	ds, err := oldP.ReadData(demoDir)
	require.NoError(t, err)
	r, err := referralrules.Diff(oldP, level2At16(t), ds, mustMonth(t, "2026-01"), mustMonth(t, "2026-11"))
	require.NoError(t, err)

	var csvOut, jsonOut bytes.Buffer
	require.NoError(t, r.WriteCSV(&csvOut))
	enc := json.NewEncoder(&jsonOut)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(r))
	diffGolden(t, filepath.Join("testdata", "diff", "level2_16.csv.golden"), csvOut.Bytes())
	diffGolden(t, filepath.Join("testdata", "diff", "level2_16.json.golden"), jsonOut.Bytes())
}

// diffGolden compares got with the file at path, or rewrites the file with
// -update.
func diffGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -run %s -update to create it", t.Name())
	assert.Equal(t, string(want), string(got), "%s differs; run with -update if the change is right", path)
}

// TestDiffDemoAgainstExpected checks the demo diff independently of the
// library's computation, from expected/statements.csv and lines.csv (made
// by an independent implementation): the rows are exactly the statements
// at level 2 that earn (activated, base above 0), whose new commission is
// 16% of the base rounded half up, and the statements holding a refund
// adjustment of a payment that earned at level 2 (15% of its amount, to
// the cent), whose adjustment becomes about 16% of the amount (within a
// cent, the largest-remainder share of D8). Nothing else changes.
func TestDiffDemoAgainstExpected(t *testing.T) {
	oldP := referralrules.Default()
	ds, err := oldP.ReadData(demoDir)
	require.NoError(t, err)
	r, err := referralrules.Diff(oldP, level2At16(t), ds, mustMonth(t, "2026-01"), mustMonth(t, "2026-11"))
	require.NoError(t, err)

	type key struct{ acc, month, currency string }
	type want struct {
		commission, oldCommission decimal.Decimal
		adjustDelta               decimal.Decimal // the change of the adjustments, within a cent per line
		adjustLines               int
		oldNet                    decimal.Decimal
		level                     int
	}
	wants := map[key]*want{}
	statements := readCSV(t, filepath.Join(demoDir, "expected", "statements.csv"))
	byKey := map[key][]string{}
	for _, s := range statements[1:] {
		k := key{s[0], s[1], s[2]}
		byKey[k] = s
		if s[3] != "2" || s[11] != "" || dec(t, s[6]).IsZero() {
			continue
		}
		newC := dec(t, s[6]).Mul(decimal.RequireFromString("0.16")).Round(2) // half up (D7)
		wants[k] = &want{commission: newC, oldCommission: dec(t, s[7]), oldNet: dec(t, s[9]), level: 2}
	}
	for _, ln := range readCSV(t, filepath.Join(demoDir, "expected", "lines.csv"))[1:] {
		if ln[7] != "refund_adjustment" {
			continue
		}
		amount, share := dec(t, ln[5]), dec(t, ln[6]).Neg()
		at15 := amount.Mul(decimal.RequireFromString("0.15"))
		if at15.Sub(share).Abs().GreaterThan(decimal.RequireFromString("0.01")) {
			continue // earned at another level
		}
		k := key{ln[0], ln[1], ln[2]}
		w := wants[k]
		if w == nil {
			s := byKey[k]
			w = &want{commission: dec(t, s[7]), oldCommission: dec(t, s[7]), oldNet: dec(t, s[9]),
				level: int(dec(t, s[3]).IntPart())}
			wants[k] = w
		}
		w.adjustDelta = w.adjustDelta.Sub(amount.Mul(decimal.RequireFromString("0.16")).Sub(share))
		w.adjustLines++
	}

	got := map[key]referralrules.DiffRow{}
	for _, row := range r.Rows {
		got[key{row.AccountantID, row.Month.String(), row.Currency}] = row
	}
	for k, w := range wants {
		row, ok := got[k]
		if !assert.True(t, ok, "%v: no row", k) {
			continue
		}
		assert.Equal(t, w.level, row.OldLevel, "%v", k)
		assert.Equal(t, w.level, row.NewLevel, "%v", k)
		assert.True(t, row.OldCommission.Equal(w.oldCommission), "%v old commission %s", k, row.OldCommission)
		assert.True(t, row.NewCommission.Equal(w.commission), "%v commission %s, want %s", k, row.NewCommission, w.commission)
		assert.True(t, row.OldNet.Equal(w.oldNet), "%v old net", k)
		wantNet := w.oldNet.Add(w.commission.Sub(w.oldCommission)).Add(w.adjustDelta)
		slack := decimal.New(int64(w.adjustLines), -2)
		assert.True(t, row.NewNet.Sub(wantNet).Abs().LessThanOrEqual(slack),
			"%v net %s, want %s within %s", k, row.NewNet, wantNet, slack)
	}
	for k := range got {
		_, ok := wants[k]
		assert.True(t, ok, "%v: a row for a statement that should not change", k)
	}
	assert.Len(t, r.Rules, 1)
	assert.Equal(t, []string{"Version: 2026.1 → 2026.2", "Level 2 rate: 15% → 16%"}, r.Rules[0].Lines)
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return rows
}

func dec(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	require.NoError(t, err)
	return d
}

// versionsOf writes the rules texts as the versions of one file, each in
// force from its month, and parses it.
func versionsOf(t *testing.T, texts []string, months []string) *referralrules.Program {
	t.Helper()
	var b strings.Builder
	b.WriteString("versions:\n")
	for i, text := range texts {
		fmt.Fprintf(&b, "  - effective_from: %q\n", months[i])
		for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			b.WriteString("    " + line + "\n")
		}
	}
	p, err := referralrules.Parse(strings.NewReader(b.String()), "versions.yaml")
	require.NoError(t, err)
	return p
}

// The demo data under the default rules from 2026-01 and level 2 at 16%
// from 2026-06, all in one file: months before June are the default
// rules' to the byte, and from June every commission is that of the rules
// with 16% throughout. Nets from June differ from those only by refund
// adjustments of payments made before June, which keep the 15% share they
// earned.
func TestDemoRateChangeFromJune(t *testing.T) {
	data, err := os.ReadFile("rules.yaml")
	require.NoError(t, err)
	raised := strings.Replace(strings.Replace(string(data), `version: "2026.1"`, `version: "2026.2"`, 1),
		`rate: "15%"`, `rate: "16%"`, 1)
	p := versionsOf(t, []string{string(data), raised}, []string{"2026-01", "2026-06"})
	oldP := referralrules.Default()
	ds, err := oldP.ReadData(demoDir)
	require.NoError(t, err)
	from, to := mustMonth(t, "2026-01"), mustMonth(t, "2026-11")

	midRange, err := referralrules.Diff(oldP, p, ds, from, to)
	require.NoError(t, err)
	throughout, err := referralrules.Diff(oldP, level2At16(t), ds, from, to)
	require.NoError(t, err)
	type key struct{ acc, month, currency string }
	all := map[key]referralrules.DiffRow{}
	for _, row := range throughout.Rows {
		all[key{row.AccountantID, row.Month.String(), row.Currency}] = row
	}
	june := mustMonth(t, "2026-06")
	fromJune := 0
	for _, row := range throughout.Rows {
		if row.Month >= june && !row.NewCommission.Equal(row.OldCommission) {
			fromJune++
		}
	}
	changedCommissions := 0
	for _, row := range midRange.Rows {
		k := key{row.AccountantID, row.Month.String(), row.Currency}
		require.GreaterOrEqual(t, row.Month, june, "%v changes before the new version", k)
		other, ok := all[k]
		require.True(t, ok, "%v", k)
		assert.True(t, row.NewCommission.Equal(other.NewCommission), "%v commission", k)
		if !row.NewCommission.Equal(row.OldCommission) {
			changedCommissions++
		}
	}
	assert.Equal(t, fromJune, changedCommissions, "every commission from June changes as with 16% throughout")

	// a-0007's 2026-09 refund of p-001558, paid in February at level 2,
	// takes back 19065.00 (15%) under both files: no row. With 16%
	// throughout it took back 20336.00.
	sept := key{"a-0007", "2026-09", "COP"}
	assert.Equal(t, "-1271.00", all[sept].Difference.StringFixed(2))
	for _, row := range midRange.Rows {
		assert.False(t, key{row.AccountantID, row.Month.String(), row.Currency} == sept, "%v", sept)
	}

	require.Len(t, midRange.Rules, 1)
	assert.Equal(t, referralrules.RulesChange{From: june, To: to,
		Lines: []string{"Version: 2026.1 → 2026.2", "Level 2 rate: 15% → 16%"}}, midRange.Rules[0])

	// Months before June are the default rules' statements, stamped with
	// the first version.
	sts, err := p.Statements(ds, from, to)
	require.NoError(t, err)
	def, err := oldP.Statements(ds, from, june-1)
	require.NoError(t, err)
	var before []commission.Statement
	for _, st := range sts {
		if st.Month < june {
			assert.Equal(t, "2026.1", st.RulesVersion)
			before = append(before, st)
		} else {
			assert.Equal(t, "2026.2", st.RulesVersion)
		}
	}
	var a, b, la, lb bytes.Buffer
	require.NoError(t, commission.WriteCSV(&a, &la, before))
	require.NoError(t, commission.WriteCSV(&b, &lb, def))
	assert.Equal(t, b.String(), a.String())
	assert.Equal(t, lb.String(), la.String())
}

// Describe names every kind of change in words.
func TestDescribe(t *testing.T) {
	oldP := mustLoad(t, baseFile)
	tests := []struct {
		name  string
		edits []string
		want  []string
	}{
		{"settings", []string{
			"grace_days: 0", "grace_days: 3",
			"window_months: 12", "window_months: 6",
			"payout_delay_months: 1", "payout_delay_months: 2",
			"rounding: half_up", "rounding: half_even",
			"exclude_promoted_sales: true", "exclude_promoted_sales: false",
			"require_activation: true", "require_activation: false",
		}, []string{
			"Grace days after a paid period: 0 → 3",
			"Months after a client's first purchase that earn commission: 12 → 6",
			"Months until a statement is paid: 1 → 2",
			"Rounding: half_up → half_even",
			"Sales with another promotion: excluded → counted",
			"Commission before activation: not paid → paid",
		}},
		{"benefits", []string{
			"{es: La red., en: The network.}", "{es: La red., en: The professionals' network.}",
			"benefits: [support, network]}", "benefits: [support, network, events]}",
			"  - {id: network,", "  - {id: events, category: events, text: {es: Eventos., en: Events.}}\n  - {id: network,",
		}, []string{
			"Level 2 benefits: gains events",
			"Benefit events added (events): Events.", // in the new catalogue's order
			`Benefit network English text: "The network." → "The professionals' network."`,
		}},
		{"levels and countries", []string{
			`{number: 2, min: 3, rate: "15%", benefits: [support, network]}`,
			`{number: 2, min: 3, max: 9, rate: "15%", benefits: [support, network]}` + "\n" +
				`  - {number: 3, min: 10, rate: "20%", benefits: [network]}`,
			"{COP: {minor_units: 2}}", "{COP: {minor_units: 0}}",
			"America/Bogota", "America/Panama",
		}, []string{
			"Currency COP decimals: 2 → 0",
			"Colombia (CO) time zone: America/Bogota → America/Panama",
			"Level 2 referrals: 3 or more → 3 to 9",
			"Level 3 added: 10 or more referrals, 20%, benefits network",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			newP := edit(t, baseFile, tt.edits...)
			assert.Equal(t, tt.want, referralrules.Describe(oldP, newP))
			assert.Empty(t, referralrules.Describe(newP, newP))
		})
	}
	// And back: a level and a country removed.
	two := edit(t, baseFile, "  CO: {name: Colombia", "  PA: {name: Panama, currency: COP, time_zone: America/Panama}\n  CO: {name: Colombia")
	assert.Equal(t, []string{"Country removed: Panama (PA)"}, referralrules.Describe(two, oldP))
}
