package benefits

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/caba1337/referralrules/referral"
	"github.com/caba1337/referralrules/tier"
)

// Sentinel errors of Select. Select returns them inside a *SelectionError
// that names the offending benefit; test them with errors.Is.
var (
	ErrNotApproved    = errors.New("the answer is not an approval")
	ErrEmptySelection = errors.New("no benefit selected")
	ErrOtherLevel     = errors.New("benefit of another level")
	ErrSelectedTwice  = errors.New("benefit selected twice")
	// ErrUnknown, declared with the catalogue, is the error of an id the
	// catalogue does not know.
)

// SelectionError is a refused benefit selection: which benefit, and why.
type SelectionError struct {
	// Err is the reason: ErrNotApproved, ErrEmptySelection, ErrUnknown,
	// ErrOtherLevel or ErrSelectedTwice.
	Err error
	// ID is the offending benefit id; "" for ErrNotApproved and
	// ErrEmptySelection.
	ID string
	// Level is the accountant's level, 0 when it has none.
	Level int
	// Levels are the levels that do give the benefit, for ErrOtherLevel.
	Levels []int
}

// Error describes the refusal, such as `benefit "events_vip" is a benefit
// of level 4, not of level 2`.
func (e *SelectionError) Error() string {
	switch e.Err {
	case ErrNotApproved:
		return "cannot select benefits: the answer is not an approval"
	case ErrEmptySelection:
		return fmt.Sprintf("no benefit selected: choose at least one benefit of level %d", e.Level)
	case ErrUnknown:
		return fmt.Sprintf("unknown benefit %q", e.ID)
	case ErrOtherLevel:
		return fmt.Sprintf("benefit %q is a benefit of %s, not of level %d",
			e.ID, levelList(e.Levels), e.Level)
	case ErrSelectedTwice:
		return fmt.Sprintf("benefit %q is selected twice", e.ID)
	}
	return fmt.Sprintf("benefit %q: %v", e.ID, e.Err)
}

// Unwrap returns the reason, so that errors.Is(err, ErrOtherLevel) works.
func (e *SelectionError) Unwrap() error { return e.Err }

// levelList writes levels as "level 4", "levels 1, 2 and 3" or "no level".
func levelList(levels []int) string {
	switch len(levels) {
	case 0:
		return "no level"
	case 1:
		return "level " + strconv.Itoa(levels[0])
	}
	parts := make([]string, len(levels))
	for i, n := range levels {
		parts[i] = strconv.Itoa(n)
	}
	last := len(parts) - 1
	return "levels " + strings.Join(parts[:last], ", ") + " and " + parts[last]
}

// Activation is an approved accountant's entry into the program with the
// benefits it selected.
type Activation struct {
	AccountantID string
	Country      Country
	// Day is the activation day: the day of the approved request.
	Day          referral.Date
	RulesVersion string
	Level        tier.Level
	// Benefits are the selected benefits, in the order the level lists
	// them (not the order they were selected in).
	Benefits []Benefit
	Terms    Terms
}

// Select checks the benefits an approved accountant selected and returns
// its Activation. The catalogue c names the level a benefit of another
// level belongs to, so pass the one the answer was decided with. It
// refuses, with a *SelectionError: an answer that is not Approved, an
// empty selection, an id the catalogue does not know, a benefit the
// accountant's level does not give, and an id selected twice; with
// several mistakes it names the first, in selection order.
func (c Catalog) Select(a Answer, ids []string) (Activation, error) {
	n := a.Level.Number
	switch {
	case a.Status != Approved:
		return Activation{}, &SelectionError{Err: ErrNotApproved, Level: n}
	case len(ids) == 0:
		return Activation{}, &SelectionError{Err: ErrEmptySelection, Level: n}
	}
	chosen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if err := c.checkChoice(a, id, chosen); err != nil {
			return Activation{}, err
		}
		chosen[id] = true
	}
	act := Activation{
		AccountantID: a.AccountantID, Country: a.Country, Day: a.Day,
		RulesVersion: a.RulesVersion, Level: a.Level, Terms: a.Terms,
	}
	for _, b := range a.Benefits {
		if chosen[b.ID] {
			act.Benefits = append(act.Benefits, b)
		}
	}
	return act, nil
}

// checkChoice refuses id when the accountant of a may not select it, given
// the ids chosen before it.
func (c Catalog) checkChoice(a Answer, id string, chosen map[string]bool) error {
	n := a.Level.Number
	inLevel := false
	for _, b := range a.Benefits {
		inLevel = inLevel || b.ID == id
	}
	switch {
	case chosen[id]:
		return &SelectionError{Err: ErrSelectedTwice, ID: id, Level: n}
	case inLevel:
		return nil
	}
	if _, known := c.Get(id); !known {
		return &SelectionError{Err: ErrUnknown, ID: id, Level: n}
	}
	return &SelectionError{Err: ErrOtherLevel, ID: id, Level: n, Levels: c.LevelsOf(id)}
}

// LevelsOf returns the numbers of the levels that give the benefit with the
// given id, in increasing order; none for an unknown id or a benefit no
// level gives.
func (c Catalog) LevelsOf(id string) []int {
	var out []int
	for n := range c.levels {
		if c.InLevel(n, id) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}
