package referralrules_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/tier"
)

// findProblem returns the problem of err at field that is a case of
// sentinel, failing the test when err is not a *LoadError or has none.
func findProblem(t *testing.T, err error, field string, sentinel error) referralrules.Problem {
	t.Helper()
	var le *referralrules.LoadError
	require.ErrorAs(t, err, &le)
	for _, p := range le.Problems {
		if p.Field == field && errors.Is(p, sentinel) {
			return p
		}
	}
	require.Failf(t, "no such problem", "field %q, %v; problems:\n%v", field, sentinel, err)
	return referralrules.Problem{}
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name     string
		src      string // the whole file, or
		old, new string // a change to testdata/rules/good/minimal.yaml
		field    string
		line     int
		column   int
		err      error
		says     string
	}{
		// The shape of the file.
		{name: "top is a list", src: "- 1\n- 2\n", line: 1, column: 1,
			err: referralrules.ErrType, says: "must be a block of fields, not a list"},
		{name: "top is text", src: "rules\n", line: 1, column: 1,
			err: referralrules.ErrType, says: `not the text "rules"`},
		{name: "levels empty", src: "levels: []\n", field: "levels", line: 1, column: 9,
			err: tier.ErrNoLevels, says: "at least one level"},
		{name: "benefits empty", src: "benefits: []\n", field: "benefits", line: 1, column: 11,
			err: referralrules.ErrMissing, says: "at least one benefit"},
		{name: "settings without value", src: "settings:\n", field: "settings", line: 1, column: 10,
			err: referralrules.ErrType, says: "not an empty value"},
		{name: "currencies as a list", src: "currencies: [COP]\n", field: "currencies", line: 1,
			column: 13, err: referralrules.ErrType, says: "block of fields"},
		{name: "key that is a list", src: "? [a]\n: 1\n", line: 1, column: 3,
			err: referralrules.ErrType, says: "a key must be plain text"},
		{name: "depth bomb", src: strings.Repeat("[", 20000), err: referralrules.ErrSyntax,
			says: "max depth"},

		// Settings out of range.
		{name: "window of zero months", old: "window_months: 12", new: "window_months: 0",
			field: "settings.window_months", line: 41, column: 18,
			err: referralrules.ErrSettingRange, says: "1 to 120, not 0"},
		{name: "payout delay over a year", old: "payout_delay_months: 1", new: "payout_delay_months: 13",
			field: "settings.payout_delay_months", line: 42, column: 24,
			err: referralrules.ErrSettingRange, says: "0 to 12, not 13"},
		{name: "grace over a year", old: "grace_days: 0", new: "grace_days: 366",
			field: "settings.grace_days", line: 40, column: 15,
			err: referralrules.ErrSettingRange, says: "0 to 365"},
		{name: "capitalised boolean", old: "exclude_promoted_sales: true", new: "exclude_promoted_sales: True",
			field: "settings.exclude_promoted_sales", line: 44, column: 27,
			err: referralrules.ErrType, says: "true or false"},
		{name: "rounding as a number", old: "rounding: half_up", new: "rounding: 1",
			field: "settings.rounding", line: 43, column: 13,
			err: referralrules.ErrType, says: "must be text, not the number 1"},

		// Currencies and countries.
		{name: "negative minor units", old: "COP: {minor_units: 2}", new: "COP: {minor_units: -1}",
			field: "currencies.COP.minor_units", line: 4, column: 22,
			err: referralrules.ErrMinorUnits, says: "0 to 4, not -1"},
		{name: "minor units twice", old: "COP: {minor_units: 2}", new: "COP: {minor_units: 2, minor_units: 3}",
			field: "currencies.COP.minor_units", line: 4, column: 25,
			err: referralrules.ErrDuplicateKey, says: "written twice"},
		{name: "country currency not ISO", old: "currency: USD,", new: "currency: ZZZ,",
			field: "countries.PA.currency", line: 8, column: 32,
			err: referralrules.ErrCurrency, says: "ISO 4217"},
		{name: "local time zone", old: "America/Panama", new: "Local",
			field: "countries.PA.time_zone", line: 8, column: 48,
			err: referralrules.ErrTimeZone, says: `"Local" is not a time zone`},
		{name: "country without name", old: "{name: Panama, ", new: "{",
			field: "countries.PA", line: 8, column: 7,
			err: referralrules.ErrMissing, says: `"name" is missing`},

		// Levels.
		{name: "min zero", old: "    min: 5\n", new: "    min: 0\n", field: "levels[1].min",
			line: 11, column: 10, err: tier.ErrBounds, says: "1 or more, not 0"},
		{name: "max below min", old: "    max: 8\n", new: "    max: 4\n", field: "levels[1].max",
			line: 12, column: 10, err: tier.ErrBounds, says: "max 4 is below min 5"},
		{name: "middle level open-ended", old: "    max: 12\n", new: "", field: "levels[2]",
			line: 15, column: 5, err: tier.ErrBounds, says: "only the last level may leave max out"},
		{name: "mins out of order", old: "    min: 9\n", new: "    min: 3\n", field: "levels[2].min",
			line: 16, column: 10, err: tier.ErrOverlap, says: "out of order"},
		{name: "huge count", old: "    min: 13\n", new: "    min: 99999999999\n", field: "levels[3].min",
			line: 21, column: 10, err: referralrules.ErrInvalid, says: "too large"},
		{name: "bound above tier.MaxCount", old: "    min: 13\n", new: "    min: 70000\n",
			field: "levels[3].min", line: 21, column: 10, err: tier.ErrBounds,
			says: "min 70000 is above 65535"},
		{name: "number written as text", old: "  - number: 1\n", new: "  - number: \"1\"\n",
			field: "levels[1].number", line: 10, column: 13, err: referralrules.ErrType,
			says: `whole number such as 5, not the text "1"`},
		{name: "explicit string tag", old: "    min: 9\n", new: "    min: !!str 9\n",
			field: "levels[2].min", line: 16, column: 10, err: referralrules.ErrType, says: "whole number"},
		{name: "level without benefits", old: "benefits: [support, academy]\n", new: "benefits: []\n",
			field: "levels[1].benefits", line: 14, column: 15, err: referralrules.ErrMissing,
			says: "at least one benefit"},
		{name: "benefit listed twice in a level", old: "[support, academy]", new: "[support, support]",
			field: "levels[1].benefits[2]", line: 14, column: 25, err: referralrules.ErrDuplicateKey,
			says: `"support" is listed twice in level 1`},
		{name: "misspelt level field", old: "    max: 8\n", new: "    maxx: 8\n",
			field: "levels[1].maxx", line: 12, column: 5, err: referralrules.ErrUnknownField,
			says: `did you mean "max"?`},

		// Benefits.
		{name: "benefit id with capitals", old: "  - id: academy\n", new: "  - id: Academy\n",
			field: "benefits[3].id", line: 31, column: 9, err: referralrules.ErrInvalid,
			says: "lower-case letters"},
		{name: "empty benefit text", old: "en: Academy courses.}", new: `en: ""}`,
			field: "benefits[3].text.en", line: 33, column: 44, err: referralrules.ErrMissing,
			says: "must not be empty"},
		{name: "benefit in a third language", old: "en: Academy courses.}", new: "en: Academy courses., fr: Cours.}",
			field: "benefits[3].text.fr", line: 33, column: 62, err: referralrules.ErrUnknownField,
			says: "the fields here are es, en"},
		{name: "category without value", old: "    category: training\n", new: "    category:\n",
			field: "benefits[3].category", line: 32, column: 14, err: referralrules.ErrType,
			says: "not an empty value"},
		{name: "empty version", old: `version: "2026.1"`, new: `version: ""`, field: "version",
			line: 2, column: 10, err: referralrules.ErrMissing, says: "must not be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			if src == "" {
				src = minimal(t, tt.old, tt.new)
			}
			_, err := referralrules.Parse(strings.NewReader(src), "t.yaml")
			p := findProblem(t, err, tt.field, tt.err)
			assert.Equal(t, tt.line, p.Line, "line")
			assert.Equal(t, tt.column, p.Column, "column")
			assert.ErrorIs(t, p, tt.err)
			assert.Contains(t, p.Msg, tt.says)
		})
	}
}

// endless is a reader that never runs out of comment lines.
type endless struct{}

func (endless) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = '#'
		if i%80 == 79 {
			b[i] = '\n'
		}
	}
	return len(b), nil
}

func TestParseRefusesLargeFiles(t *testing.T) {
	_, err := referralrules.Parse(io.LimitReader(endless{}, referralrules.MaxFileSize+1), "big.yaml")
	assert.ErrorIs(t, err, referralrules.ErrTooLarge)
	assert.EqualError(t, err, "big.yaml: the file is larger than 1024 KiB; rules files are small")

	// An endless stream is cut at the limit, not read to the end.
	_, err = referralrules.Parse(endless{}, "stream.yaml")
	assert.ErrorIs(t, err, referralrules.ErrTooLarge)

	// A file of exactly the limit is read, and here found empty.
	_, err = referralrules.Parse(io.LimitReader(endless{}, referralrules.MaxFileSize), "max.yaml")
	assert.ErrorIs(t, err, referralrules.ErrMissing)
}

// An alias bomb as large as a rules file may be is refused without
// expanding it: memory stays within a small multiple of the file.
func TestParseRefusesAliasBomb(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("a: &a [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 0; b.Len() < referralrules.MaxFileSize-100; i++ {
		b.WriteString("b" + strings.Repeat("b", i%5) + ": [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n")
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := referralrules.Parse(&b, "bomb.yaml")
	runtime.ReadMemStats(&after)

	assert.ErrorIs(t, err, referralrules.ErrAlias)
	const limit = 256 << 20
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(limit), "bytes allocated")
}

// failing is a reader that fails.
type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestParseReadError(t *testing.T) {
	_, err := referralrules.Parse(failing{}, "r.yaml")
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	var le *referralrules.LoadError
	assert.NotErrorAs(t, err, &le, "a failing reader is not a problem of the rules")
}

func TestProblemError(t *testing.T) {
	tests := []struct {
		name string
		p    referralrules.Problem
		want string
	}{
		{"full", referralrules.Problem{File: "r.yaml", Line: 3, Column: 7, Field: "a.b", Msg: "bad"},
			"r.yaml:3:7: a.b: bad"},
		{"no column", referralrules.Problem{File: "r.yaml", Line: 3, Msg: "bad"}, "r.yaml:3: bad"},
		{"whole file", referralrules.Problem{File: "r.yaml", Msg: "bad"}, "r.yaml: bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.p.Error())
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(string(mustRead(f, "rules.yaml")))
	f.Add(string(mustRead(f, "testdata/rules/good/minimal.yaml")))
	f.Add(string(mustRead(f, "testdata/rules/bad/many_problems.yaml")))
	f.Add(string(mustRead(f, "testdata/rules/bad/alias_bomb.yaml")))
	f.Add("levels: [{number: 1, min: 1, rate: 1, benefits: [a]}]\n")
	f.Fuzz(func(t *testing.T, src string) {
		p, err := referralrules.Parse(strings.NewReader(src), "f.yaml")
		if err == nil {
			require.NotNil(t, p)
			_, ok := p.Levels().Level(1)
			require.True(t, ok, "a loaded program has a level 1")
			return
		}
		var le *referralrules.LoadError
		require.ErrorAs(t, err, &le)
		require.NotEmpty(t, le.Problems)
		for _, pr := range le.Problems {
			require.NotEmpty(t, pr.Msg)
			require.Error(t, pr.Err)
		}
	})
}

// mustRead returns the bytes of the file at path.
func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	require.NoError(tb, err)
	return data
}
