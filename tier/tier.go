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
	// p is shared by the copies of a Table, which is passed by value: a
	// lookup then copies one pointer, not the slices.
	p *table
}

type table struct {
	levels []Level
	// slots is the zero Level ("no level") followed by levels, so that a
	// level number indexes it directly.
	slots []Level
	// byCount[n] is the level number of a count of n, 0 for none. Its last
	// entry answers for every count from there up: the open-ended last
	// level, or no level past a capped one. A lookup is then one index.
	byCount []uint8
}

// MaxCount is the highest bound a level may have: New refuses a Min or a
// Max above it. It keeps the lookup table of a Table small (one byte per
// count up to the last level's start) while leaving room far beyond any
// real program.
const MaxCount = 1<<16 - 1

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
// before ends (no gap, no overlap), only the last one open-ended, bounds at
// most MaxCount, at most 255 levels, and rates in (0, 1] that strictly
// increase.
func New(levels []Level) (Table, error) {
	if len(levels) == 0 {
		return Table{}, ErrNoLevels
	}
	if len(levels) > 255 {
		return Table{}, fmt.Errorf("%d levels, more than 255: %w", len(levels), ErrBounds)
	}
	one := decimal.NewFromInt(1)
	for i, l := range levels {
		last := i == len(levels)-1
		switch {
		case l.Number != i+1:
			return Table{}, fmt.Errorf("level %d at position %d: %w", l.Number, i+1, ErrLevelNumber)
		case l.Min < 1:
			return Table{}, fmt.Errorf("level %d: min %d is below 1: %w", l.Number, l.Min, ErrBounds)
		case l.Min > MaxCount || l.Max > MaxCount:
			return Table{}, fmt.Errorf("level %d: bounds above %d: %w", l.Number, MaxCount, ErrBounds)
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
	return Table{p: build(levels)}, nil
}

// build lays out checked levels for lookups by index.
func build(levels []Level) *table {
	slots := append([]Level{{}}, levels...)
	t := &table{levels: slots[1:], slots: slots}
	last := levels[len(levels)-1]
	top := last.Min // open-ended: the last level from its Min up
	if last.Max != 0 {
		top = last.Max + 1 // capped: no level past its Max
	}
	t.byCount = make([]uint8, top+1)
	for _, l := range levels {
		hi := l.Max
		if hi == 0 {
			hi = l.Min // the open-ended last level: its Min is the last entry
		}
		for n := l.Min; n <= hi; n++ {
			t.byCount[n] = uint8(l.Number)
		}
	}
	return t
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

// levels returns the levels, none for the zero Table.
func (t Table) levels() []Level {
	if t.p == nil {
		return nil
	}
	return t.p.levels
}

// Len returns the number of levels.
func (t Table) Len() int { return len(t.levels()) }

// Levels returns a copy of the levels, first level first.
func (t Table) Levels() []Level { return append([]Level(nil), t.levels()...) }

// Level returns the level numbered n (1-based).
func (t Table) Level(n int) (Level, bool) {
	if n < 1 || n > t.Len() {
		return Level{}, false
	}
	return t.p.levels[n-1], true
}

// Lookup returns the level of a count of n active paid referrals, or the
// zero Level and false when n is below the first level (or above the last
// one, in a table whose last level has a Max).
func (t Table) Lookup(n int) (Level, bool) {
	if t.p == nil || n < 0 {
		return Level{}, false
	}
	k := t.p.byCount[min(n, len(t.p.byCount)-1)]
	return t.p.slots[k], k != 0
}

// Number returns the number of the level of a count of n active paid
// referrals, 0 for no level: Lookup(n) without the rest of the Level. A
// page that shows "level 3" on every view needs only this, and it copies
// one integer where Lookup copies a whole Level (bounds and rate, five
// words); Level gives the rest when it is needed.
func (t Table) Number(n int) int {
	if t.p == nil || n < 0 {
		return 0
	}
	return int(t.p.byCount[min(n, len(t.p.byCount)-1)])
}

// Next returns the level above the one of n (the first level when n has
// none) and how many more active paid referrals reach it. It returns false
// when n is already on the last level.
func (t Table) Next(n int) (next Level, missing int, ok bool) {
	for _, l := range t.levels() {
		if n < l.Min {
			return l, l.Min - n, true
		}
	}
	return Level{}, 0, false
}

// MissingForFirst returns how many more active paid referrals a count of n
// needs to reach the first level, 0 when it is already on a level.
func (t Table) MissingForFirst(n int) int {
	levels := t.levels()
	if len(levels) == 0 || n >= levels[0].Min {
		return 0
	}
	return levels[0].Min - n
}
