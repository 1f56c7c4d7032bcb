package benefits_test

import (
	"errors"
	"testing"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/benefits"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// approvedAt returns the answer to an accountant of country with n active
// paid referrals under the default rules.
func approvedAt(t *testing.T, country string, n int) benefits.Answer {
	t.Helper()
	var f fixture
	f.accountant("acc", country, true, n, currencyOf[country])
	a, err := referralrules.Default().Evaluate(f.dataset(t), "acc", requestDay)
	require.NoError(t, err)
	return a
}

func TestSelectRefusals(t *testing.T) {
	level2 := approvedAt(t, "CO", 9) // support_basic, academy, workspace, network_access, network_enrolment
	tests := []struct {
		name   string
		answer benefits.Answer
		ids    []string
		want   error
		id     string
		levels []int
		msg    string
	}{
		{"empty", level2, nil, benefits.ErrEmptySelection, "", nil,
			"no benefit selected: choose at least one benefit of level 2"},
		{"empty list", level2, []string{}, benefits.ErrEmptySelection, "", nil,
			"no benefit selected: choose at least one benefit of level 2"},
		{"unknown", level2, []string{"academy", "free_lunch"}, benefits.ErrUnknown, "free_lunch", nil,
			`unknown benefit "free_lunch"`},
		{"of level 4 only", level2, []string{"events_vip"}, benefits.ErrOtherLevel, "events_vip", []int{4},
			`benefit "events_vip" is a benefit of level 4, not of level 2`},
		{"of level 3 only", level2, []string{"workspace", "network_workshops"}, benefits.ErrOtherLevel,
			"network_workshops", []int{3}, `benefit "network_workshops" is a benefit of level 3, not of level 2`},
		{"of levels 1 to 3, asked on 4", approvedAt(t, "PA", 26), []string{"academy"}, benefits.ErrOtherLevel,
			"academy", []int{1, 2, 3}, `benefit "academy" is a benefit of levels 1, 2 and 3, not of level 4`},
		{"duplicate", level2, []string{"academy", "workspace", "academy"}, benefits.ErrSelectedTwice, "academy", nil,
			`benefit "academy" is selected twice`},
		{"first mistake wins", level2, []string{"events_vip", "nope"}, benefits.ErrOtherLevel, "events_vip", []int{4},
			`benefit "events_vip" is a benefit of level 4, not of level 2`},
		{"not approved", approvedAt(t, "CO", 4), []string{"academy"}, benefits.ErrNotApproved, "", nil,
			"cannot select benefits: the answer is not an approval"},
	}
	catalog := referralrules.Default().Benefits()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := catalog.Select(tt.answer, tt.ids)
			require.Error(t, err)
			assert.True(t, errors.Is(err, tt.want), "Select(%q) = %v, want %v", tt.ids, err, tt.want)
			var se *benefits.SelectionError
			require.True(t, errors.As(err, &se))
			assert.Equal(t, tt.id, se.ID)
			assert.Equal(t, tt.levels, se.Levels)
			assert.Equal(t, tt.msg, err.Error())
		})
	}
}

func TestSelectValid(t *testing.T) {
	a := approvedAt(t, "DO", 13)
	act, err := referralrules.Default().Select(a, []string{"network_workshops", "support_dedicated"})
	require.NoError(t, err)
	assert.Equal(t, "acc", act.AccountantID)
	assert.Equal(t, requestDay, act.Day)
	assert.Equal(t, 3, act.Level.Number)
	assert.Equal(t, "0.2", act.Terms.Rate.String())
	assert.Equal(t, "DO", act.Country.Code)
	assert.Equal(t, "2026.1", act.RulesVersion)
	require.Len(t, act.Benefits, 2)
	// In the order the level lists them, not the order selected.
	assert.Equal(t, "support_dedicated", act.Benefits[0].ID)
	assert.Equal(t, "network_workshops", act.Benefits[1].ID)
}

func TestLevelsOf(t *testing.T) {
	c := referralrules.Default().Benefits()
	assert.Equal(t, []int{1, 2, 3, 4}, c.LevelsOf("workspace"))
	assert.Equal(t, []int{2, 3}, c.LevelsOf("network_enrolment"))
	assert.Nil(t, c.LevelsOf("nope"))
}

// TestSelectBenefitOfNoLevel uses a catalogue with a benefit that no level
// gives: selecting it names no level.
func TestSelectBenefitOfNoLevel(t *testing.T) {
	c, err := benefits.New([]benefits.Benefit{
		{ID: "a", Category: "x", Spanish: "a", English: "a"},
		{ID: "spare", Category: "x", Spanish: "s", English: "s"},
	}, map[int][]string{1: {"a"}})
	require.NoError(t, err)
	b, _ := c.Get("a")
	answer := benefits.Answer{Status: benefits.Approved, Benefits: []benefits.Benefit{b}}
	answer.Level.Number = 1
	_, err = c.Select(answer, []string{"spare"})
	assert.True(t, errors.Is(err, benefits.ErrOtherLevel))
	assert.EqualError(t, err, `benefit "spare" is a benefit of no level, not of level 1`)
}
