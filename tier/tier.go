// Package tier places an accountant on a level of the referral program by
// its number of active paid referrals, and says how far the next level is.
//
// A Table holds the levels of one program. Level bounds are inclusive and
// the last level is open-ended (decision D1: with levels 5–8, 9–12, 13–25
// and 26+, a count of 25 is level 3 and 26 is level 4). Below the first
// level there is no level and no commission. Lookups do not allocate.
package tier

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// Level is one step of the program.
type Level struct {
	// Number is the level's number, 1 for the first level. The zero Level
	// (Number 0) stands for "no level".
	Number int
	// Min is the least count of active paid referrals on this level.
	Min int
	// Max is the greatest count on this level, inclusive; 0 means the level
	// has no upper bound (only the last level may have none).
	Max int
	// Rate is the commission rate as a fraction: 0.1 for 10%.
	Rate decimal.Decimal
}

// Contains reports whether a count of n active paid referrals is on l.
func (l Level) Contains(n int) bool {
	return n >= l.Min && (l.Max == 0 || n <= l.Max)
}

// Table is the ordered list of a program's levels. The zero Table has no
// levels: every lookup answers "no level". A Table is immutable and safe
// for concurrent use.
type Table struct {
	levels []Level
}

// Sentinel errors of New, wrapped with the level they concern.
var (
	ErrNoLevels    = errors.New("no levels")
	ErrBounds      = errors.New("level bounds are invalid")
	ErrGap         = errors.New("levels leave a gap")
	ErrOverlap     = errors.New("levels overlap")
	ErrRateRange   = errors.New("rate outside (0, 100%]")
	ErrRateOrder   = errors.New("rate does not increase with the level")
	ErrLevelNumber = errors.New("level numbers must be 1, 2, 3, ... in order")
)

// New checks levels and returns them as a Table (D1): numbered 1, 2, ... in
// order, Min >= 1 and Min <= Max, each level starting the day after the one
// before ends (no gap, no overlap), only the last one open-ended, and rates
// in (0, 1] that strictly increase.
func New(levels []Level) (Table, error) {
	if len(levels) == 0 {
		return Table{}, ErrNoLevels
	}
	one := decimal.NewFromInt(1)
	for i, l := range levels {
		last := i == len(levels)-1
		switch {
		case l.Number != i+1:
			return Table{}, fmt.Errorf("level %d at position %d: %w", l.Number, i+1, ErrLevelNumber)
		case l.Min < 1:
			return Table{}, fmt.Errorf("level %d: min %d is below 1: %w", l.Number, l.Min, ErrBounds)
		case l.Max != 0 && l.Max < l.Min:
			return Table{}, fmt.Errorf("level %d: max %d is below min %d: %w", l.Number, l.Max, l.Min, ErrBounds)
		case l.Max == 0 && !last:
			return Table{}, fmt.Errorf("level %d: only the last level may be open-ended: %w", l.Number, ErrBounds)
		case !l.Rate.IsPositive() || l.Rate.GreaterThan(one):
			return Table{}, fmt.Errorf("level %d: rate %s: %w", l.Number, l.Rate, ErrRateRange)
		}
		if i == 0 {
			continue
		}
		prev := levels[i-1]
		switch {
		case l.Min > prev.Max+1:
			return Table{}, fmt.Errorf("level %d starts at %d but level %d ends at %d: %w",
				l.Number, l.Min, prev.Number, prev.Max, ErrGap)
		case l.Min <= prev.Max:
			return Table{}, fmt.Errorf("level %d starts at %d but level %d ends at %d: %w",
				l.Number, l.Min, prev.Number, prev.Max, ErrOverlap)
		case !l.Rate.GreaterThan(prev.Rate):
			return Table{}, fmt.Errorf("level %d rate %s is not above level %d rate %s: %w",
				l.Number, l.Rate, prev.Number, prev.Rate, ErrRateOrder)
		}
	}
	return Table{levels: append([]Level(nil), levels...)}, nil
}

// MustNew is like New but panics on an error. It is meant for fixed levels
// in tests and examples.
func MustNew(levels []Level) Table {
	t, err := New(levels)
	if err != nil {
		panic(err)
	}
	return t
}

// Len returns the number of levels.
func (t Table) Len() int { return len(t.levels) }

// Levels returns a copy of the levels, first level first.
func (t Table) Levels() []Level { return append([]Level(nil), t.levels...) }

// Level returns the level numbered n (1-based).
func (t Table) Level(n int) (Level, bool) {
	if n < 1 || n > len(t.levels) {
		return Level{}, false
	}
	return t.levels[n-1], true
}

// Lookup returns the level of a count of n active paid referrals, or the
// zero Level and false when n is below the first level (or above the last
// one, in a table whose last level has a Max).
func (t Table) Lookup(n int) (Level, bool) {
	for i := len(t.levels) - 1; i >= 0; i-- {
		if l := t.levels[i]; n >= l.Min {
			if !l.Contains(n) {
				return Level{}, false
			}
			return l, true
		}
	}
	return Level{}, false
}

// Next returns the level above the one of n (the first level when n has
// none) and how many more active paid referrals reach it. It returns false
// when n is already on the last level.
func (t Table) Next(n int) (next Level, missing int, ok bool) {
	for _, l := range t.levels {
		if n < l.Min {
			return l, l.Min - n, true
		}
	}
	return Level{}, 0, false
}

// MissingForFirst returns how many more active paid referrals a count of n
// needs to reach the first level, 0 when it is already on a level.
func (t Table) MissingForFirst(n int) int {
	if len(t.levels) == 0 || n >= t.levels[0].Min {
		return 0
	}
	return t.levels[0].Min - n
}
