package referralrules_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/tier"
)

// badFile is one file of testdata/rules/bad and the first problem loading
// it must report.
type badFile struct {
	name     string // file name without .yaml
	line     int
	column   int
	field    string
	value    string
	err      error    // the sentinel the problem wraps
	says     []string // parts of the message
	problems int      // how many problems in all; 0 means 1
}

var badFiles = []badFile{
	// The file as a whole.
	{name: "empty", err: referralrules.ErrMissing, says: []string{"empty"}},
	{name: "syntax_error", line: 17, err: referralrules.ErrSyntax,
		says: []string{"not valid YAML", "mapping values are not allowed"}},
	{name: "second_document", line: 39, column: 1, err: referralrules.ErrSyntax,
		says: []string{"second YAML document", "---"}},
	{name: "aliases", line: 4, column: 8, err: referralrules.ErrAlias,
		says: []string{"&two", "*two", "not allowed"}},
	{name: "alias_bomb", line: 2, column: 4, err: referralrules.ErrAlias,
		says: []string{"&a", "not allowed"}, problems: 9},

	// Keys and types.
	{name: "unknown_field", line: 47, column: 3, field: "settings.currency_symbol",
		value: "currency_symbol", err: referralrules.ErrUnknownField,
		says: []string{`unknown field "currency_symbol"`, "grace_days, window_months"}},
	{name: "unknown_top_field", line: 39, column: 1, field: "setings", value: "setings",
		err: referralrules.ErrUnknownField, says: []string{`did you mean "settings"?`}},
	{name: "duplicate_key", line: 12, column: 5, field: "levels[1].min", value: "min",
		err: referralrules.ErrDuplicateKey, says: []string{`"min" is written twice`, "line 11"}},
	{name: "duplicate_country", line: 8, column: 3, field: "countries.CO", value: "CO",
		err: referralrules.ErrDuplicateKey, says: []string{`"CO" is written twice`, "line 7"}},
	{name: "missing_required", line: 15, column: 5, field: "levels[2]",
		err: referralrules.ErrMissing, says: []string{`required field "rate" is missing`}},
	{name: "wrong_type_text", line: 16, column: 10, field: "levels[2].min", value: "nine",
		err: referralrules.ErrType, says: []string{"whole number", `the text "nine"`}},
	{name: "float_for_integer", line: 5, column: 22, field: "currencies.USD.minor_units",
		value: "2.0", err: referralrules.ErrType, says: []string{"whole number", "2.0"}},
	{name: "bool_as_text", line: 45, column: 23, field: "settings.require_activation",
		value: "yes", err: referralrules.ErrType, says: []string{"true or false", `"yes"`}},
	{name: "version_not_text", line: 2, column: 10, field: "version", value: "2026.1",
		err: referralrules.ErrType, says: []string{"must be text", "2026.1", "quotes"}},

	// Levels (D1).
	{name: "level_gap", line: 16, column: 10, field: "levels[2].min", value: "10",
		err: tier.ErrGap, says: []string{"starts at 10", "ends at 8", "9 to 9"}},
	{name: "level_overlap", line: 16, column: 10, field: "levels[2].min", value: "8",
		err: tier.ErrOverlap, says: []string{"starts at 8", "ends at 8", "overlap", "start at 9"}},
	{name: "level_number_order", line: 15, column: 13, field: "levels[2].number", value: "3",
		err: tier.ErrLevelNumber, says: []string{"level 3", "place 2"}},
	{name: "last_level_max", line: 22, column: 10, field: "levels[3].max", value: "30",
		err: tier.ErrBounds, says: []string{"last level has no upper bound", "remove max"}},
	{name: "rate_not_increasing", line: 22, column: 11, field: "levels[3].rate", value: "15%",
		err: tier.ErrRateOrder, says: []string{"15% of level 3", "15% of level 2", "rise"}},
	{name: "rate_above_100", line: 22, column: 11, field: "levels[3].rate", value: "120%",
		err: tier.ErrRateRange, says: []string{"120%", "above 100%"}},
	{name: "rate_zero", line: 13, column: 11, field: "levels[1].rate", value: "0",
		err: tier.ErrRateRange, says: []string{"not above 0%"}},
	{name: "rate_text_without_percent", line: 18, column: 11, field: "levels[2].rate",
		value: "0.15", err: referralrules.ErrType, says: []string{`"10%"`, "0.10", `"0.15"`}},

	// Benefits.
	{name: "unknown_benefit", line: 19, column: 34, field: "levels[2].benefits[3]",
		value: "netwrk", err: referralrules.ErrBenefit, says: []string{`unknown benefit "netwrk"`}},
	{name: "benefit_missing_language", line: 33, column: 11, field: "benefits[3].text",
		err: referralrules.ErrBenefitText, says: []string{"English text (en) is missing"}},
	{name: "duplicate_benefit_id", line: 39, column: 9, field: "benefits[5].id", value: "academy",
		err: referralrules.ErrDuplicateKey, says: []string{`"academy" is already used on line 31`}},

	// Currencies and countries.
	{name: "unknown_currency", line: 6, column: 3, field: "currencies.EUX", value: "EUX",
		err: referralrules.ErrCurrency, says: []string{`"EUX"`, "ISO 4217"}},
	{name: "minor_units_out_of_range", line: 4, column: 22, field: "currencies.COP.minor_units",
		value: "5", err: referralrules.ErrMinorUnits, says: []string{"0 to 4", "not 5"}},
	{name: "country_currency_not_listed", line: 8, column: 32, field: "countries.PA.currency",
		value: "EUR", err: referralrules.ErrCountryCurrency, says: []string{"EUR", "not under currencies"}},
	{name: "unknown_time_zone", line: 7, column: 50, field: "countries.CO.time_zone",
		value: "America/Bogata", err: referralrules.ErrTimeZone, says: []string{`"America/Bogata"`, "IANA"}},
	{name: "country_code_lowercase", line: 8, column: 3, field: "countries.pa", value: "pa",
		err: referralrules.ErrInvalid, says: []string{`"pa"`, "upper-case"}},

	// Settings.
	{name: "unknown_rounding", line: 43, column: 13, field: "settings.rounding", value: "half_down",
		err: referralrules.ErrRounding, says: []string{`"half_down"`, "half_up or half_even"}},
	{name: "unknown_payout", line: 46, column: 11, field: "settings.payout", value: "cash",
		err: referralrules.ErrPayout, says: []string{`"cash"`, "service_credit"}},
	{name: "negative_setting", line: 40, column: 15, field: "settings.grace_days", value: "-1",
		err: referralrules.ErrSettingRange, says: []string{"-1 is negative", "0 to 365"}},

	// Versions.
	{name: "versions_same_month", line: 17, column: 21, field: "versions[2].effective_from",
		value: "2026-01", err: referralrules.ErrVersionOverlap,
		says: []string{"versions[1] is already in force from 2026-01 (line 4)"}},
	{name: "versions_out_of_order", line: 17, column: 21, field: "versions[2].effective_from",
		value: "2025-12", err: referralrules.ErrVersionOrder,
		says: []string{"2025-12 is before 2026-01, when versions[1] comes into force (line 4)"}},
	{name: "versions_malformed_month", line: 17, column: 21, field: "versions[2].effective_from",
		value: "2026-06-01", err: referralrules.ErrInvalid,
		says: []string{"YYYY-MM", `"2026-06-01"`}},
	{name: "versions_missing_effective_from", line: 16, column: 5, field: "versions[2]",
		err: referralrules.ErrMissing, says: []string{`required field "effective_from" is missing`}},
	{name: "versions_duplicate_id", line: 16, column: 14, field: "versions[2].version",
		value: "2026.1", err: referralrules.ErrDuplicateKey,
		says: []string{`version "2026.1" is already used on line 3`}},
	{name: "versions_field_beside", line: 29, column: 1, field: "settings", value: "settings",
		err: referralrules.ErrUnknownField, says: []string{`move "settings" into each version`}},

	// Several problems at once, reported in file order.
	{name: "many_problems", line: 8, column: 48, field: "countries.PA.time_zone",
		value: "America/Panam", err: referralrules.ErrTimeZone, says: []string{"time zone"}, problems: 4},
}

func TestLoadBadFiles(t *testing.T) {
	for _, tt := range badFiles {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join("testdata", "rules", "bad", tt.name+".yaml")
			p, err := referralrules.Load(path)
			require.Error(t, err)
			assert.Nil(t, p)

			var le *referralrules.LoadError
			require.ErrorAs(t, err, &le)
			want := max(tt.problems, 1)
			require.Len(t, le.Problems, want, "Load(%s) problems:\n%v", path, err)
			first := le.Problems[0]
			assert.Equal(t, path, first.File)
			assert.Equal(t, tt.line, first.Line, "line")
			assert.Equal(t, tt.column, first.Column, "column")
			assert.Equal(t, tt.field, first.Field, "field")
			assert.Equal(t, tt.value, first.Value, "value")
			assert.ErrorIs(t, err, tt.err)
			assert.ErrorIs(t, first, tt.err)
			for _, s := range tt.says {
				assert.Contains(t, first.Msg, s)
			}
			assert.True(t, strings.HasPrefix(err.Error(), first.Error()))
		})
	}
}

// Every file in testdata/rules/bad has a row in badFiles, so that no
// fixture goes unchecked.
func TestBadFilesAllListed(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "rules", "bad", "*.yaml"))
	require.NoError(t, err)
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".yaml")
		found := slices.ContainsFunc(badFiles, func(b badFile) bool { return b.name == name })
		assert.True(t, found, "%s has no row in badFiles", p)
	}
}

func TestManyProblemsInFileOrder(t *testing.T) {
	_, err := referralrules.Load(filepath.Join("testdata", "rules", "bad", "many_problems.yaml"))
	var le *referralrules.LoadError
	require.ErrorAs(t, err, &le)
	var got []string
	for _, p := range le.Problems {
		got = append(got, p.Field)
	}
	want := []string{"countries.PA.time_zone", "levels[2].min", "settings.grace_days", "settings.rounding"}
	assert.Equal(t, want, got)
	assert.ErrorIs(t, err, tier.ErrGap)
	assert.ErrorIs(t, err, referralrules.ErrRounding)
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, "testdata/rules/bad/many_problems.yaml:16:10: levels[2].min: "+
		"level 2 starts at 10 but level 1 ends at 8: counts 9 to 9 would have no level", lines[1])
}

func TestLoadGoodFile(t *testing.T) {
	p, err := referralrules.Load(filepath.Join("testdata", "rules", "good", "minimal.yaml"))
	require.NoError(t, err)
	assert.Equal(t, 3, p.Levels().Len())
	assert.Equal(t, 4, p.Benefits().Len())
}

func TestLoadMissingFile(t *testing.T) {
	_, err := referralrules.Load(filepath.Join("testdata", "rules", "no_such_file.yaml"))
	assert.ErrorIs(t, err, os.ErrNotExist)
	var le *referralrules.LoadError
	assert.False(t, errors.As(err, &le), "a missing file is not a problem of the rules")
}
