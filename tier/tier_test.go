package tier_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caba1337/referralrules/tier"
)

// program returns the levels of the default program: 5-8 at 10%, 9-12 at
// 15%, 13-25 at 20% and 26 or more at 25% (SPEC section 2, D1).
func program() tier.Table {
	return tier.MustNew([]tier.Level{
		{Number: 1, Min: 5, Max: 8, Rate: decimal.RequireFromString("0.1")},
		{Number: 2, Min: 9, Max: 12, Rate: decimal.RequireFromString("0.15")},
		{Number: 3, Min: 13, Max: 25, Rate: decimal.RequireFromString("0.2")},
		{Number: 4, Min: 26, Rate: decimal.RequireFromString("0.25")},
	})
}

func TestLookupOnEveryBound(t *testing.T) {
	tests := []struct {
		name  string
		count int
		level int // 0: no level
		rate  string
		// next is the next level's number and missing how many more
		// referrals reach it; next 0 means n is on the last level.
		next, missing int
		missingFirst  int
	}{
		{"no referrals", 0, 0, "0", 1, 5, 5},
		{"one", 1, 0, "0", 1, 4, 4},
		{"one below level 1", 4, 0, "0", 1, 1, 1},
		{"level 1 starts", 5, 1, "0.1", 2, 4, 0},
		{"level 1 ends", 8, 1, "0.1", 2, 1, 0},
		{"level 2 starts", 9, 2, "0.15", 3, 4, 0},
		{"level 2 ends", 12, 2, "0.15", 3, 1, 0},
		{"level 3 starts", 13, 3, "0.2", 4, 13, 0},
		{"level 3 ends at 25 (D1)", 25, 3, "0.2", 4, 1, 0},
		{"level 4 starts at 26 (D1)", 26, 4, "0.25", 0, 0, 0},
		{"far above", 1000, 4, "0.25", 0, 0, 0},
		{"negative count", -3, 0, "0", 1, 8, 8},
	}
	table := program()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, ok := table.Lookup(tt.count)
			assert.Equal(t, tt.level != 0, ok, "Lookup(%d) ok", tt.count)
			assert.Equal(t, tt.level, l.Number, "Lookup(%d) level", tt.count)
			assert.Equal(t, tt.level, table.Number(tt.count), "Number(%d)", tt.count)
			assert.Equal(t, tt.rate, l.Rate.String(), "Lookup(%d) rate", tt.count)
			if ok {
				assert.True(t, l.Contains(tt.count), "level %d contains %d", l.Number, tt.count)
			}

			next, missing, ok := table.Next(tt.count)
			assert.Equal(t, tt.next != 0, ok, "Next(%d) ok", tt.count)
			assert.Equal(t, tt.next, next.Number, "Next(%d) level", tt.count)
			assert.Equal(t, tt.missing, missing, "Next(%d) missing", tt.count)

			assert.Equal(t, tt.missingFirst, table.MissingForFirst(tt.count), "MissingForFirst(%d)", tt.count)
		})
	}
}

func TestZeroTable(t *testing.T) {
	var table tier.Table
	_, ok := table.Lookup(10)
	assert.False(t, ok)
	_, _, ok = table.Next(10)
	assert.False(t, ok)
	assert.Equal(t, 0, table.MissingForFirst(0))
	assert.Equal(t, 0, table.Len())
	assert.Equal(t, 0, table.Number(10))
}

// A table whose last level has a Max places no count above it.
func TestLookupAboveBoundedLastLevel(t *testing.T) {
	table := tier.MustNew([]tier.Level{
		{Number: 1, Min: 1, Max: 3, Rate: decimal.RequireFromString("0.1")},
		{Number: 2, Min: 4, Max: 6, Rate: decimal.RequireFromString("0.2")},
	})
	l, ok := table.Lookup(6)
	assert.True(t, ok)
	assert.Equal(t, 2, l.Number)
	l, ok = table.Lookup(7)
	assert.False(t, ok, "Lookup(7) = level %d", l.Number)
	assert.Equal(t, 0, l.Number)
	assert.Equal(t, 2, table.Number(6))
	assert.Equal(t, 0, table.Number(7))
	assert.Equal(t, 0, table.Number(1<<40))
}

func TestLevelsAndLevel(t *testing.T) {
	table := program()
	assert.Equal(t, 4, table.Len())
	levels := table.Levels()
	levels[0].Min = 99
	l, ok := table.Level(1)
	require.True(t, ok)
	assert.Equal(t, 5, l.Min, "changing Levels() changed the table")
	for _, n := range []int{0, 5, -1} {
		_, ok := table.Level(n)
		assert.False(t, ok, "Level(%d)", n)
	}
}

func TestNewErrors(t *testing.T) {
	rate := decimal.RequireFromString
	tests := []struct {
		name   string
		levels []tier.Level
		err    error
	}{
		{"no levels", nil, tier.ErrNoLevels},
		{"numbered from 2", []tier.Level{{Number: 2, Min: 1, Rate: rate("0.1")}}, tier.ErrLevelNumber},
		{"numbers out of order", []tier.Level{
			{Number: 1, Min: 1, Max: 2, Rate: rate("0.1")},
			{Number: 3, Min: 3, Rate: rate("0.2")},
		}, tier.ErrLevelNumber},
		{"min zero", []tier.Level{{Number: 1, Min: 0, Rate: rate("0.1")}}, tier.ErrBounds},
		{"max below min", []tier.Level{
			{Number: 1, Min: 5, Max: 4, Rate: rate("0.1")},
			{Number: 2, Min: 6, Rate: rate("0.2")},
		}, tier.ErrBounds},
		{"open level before the last", []tier.Level{
			{Number: 1, Min: 5, Rate: rate("0.1")},
			{Number: 2, Min: 9, Rate: rate("0.2")},
		}, tier.ErrBounds},
		{"zero rate", []tier.Level{{Number: 1, Min: 1, Rate: rate("0")}}, tier.ErrRateRange},
		{"negative rate", []tier.Level{{Number: 1, Min: 1, Rate: rate("-0.1")}}, tier.ErrRateRange},
		{"rate above one", []tier.Level{{Number: 1, Min: 1, Rate: rate("1.0001")}}, tier.ErrRateRange},
		{"gap", []tier.Level{
			{Number: 1, Min: 5, Max: 8, Rate: rate("0.1")},
			{Number: 2, Min: 10, Rate: rate("0.2")},
		}, tier.ErrGap},
		{"overlap", []tier.Level{
			{Number: 1, Min: 5, Max: 8, Rate: rate("0.1")},
			{Number: 2, Min: 8, Rate: rate("0.2")},
		}, tier.ErrOverlap},
		{"same rate", []tier.Level{
			{Number: 1, Min: 5, Max: 8, Rate: rate("0.1")},
			{Number: 2, Min: 9, Rate: rate("0.10")},
		}, tier.ErrRateOrder},
		{"falling rate", []tier.Level{
			{Number: 1, Min: 5, Max: 8, Rate: rate("0.2")},
			{Number: 2, Min: 9, Rate: rate("0.1")},
		}, tier.ErrRateOrder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tier.New(tt.levels)
			assert.ErrorIs(t, err, tt.err)
		})
	}
}

func TestNewAcceptsOneHundredPercent(t *testing.T) {
	_, err := tier.New([]tier.Level{{Number: 1, Min: 1, Rate: decimal.RequireFromString("1")}})
	assert.NoError(t, err)
}

func TestNewCopiesItsInput(t *testing.T) {
	levels := []tier.Level{{Number: 1, Min: 5, Rate: decimal.RequireFromString("0.1")}}
	table := tier.MustNew(levels)
	levels[0].Min = 1
	_, ok := table.Lookup(3)
	assert.False(t, ok, "changing New's input changed the table")
}

func TestMustNewPanics(t *testing.T) {
	assert.Panics(t, func() { tier.MustNew(nil) })
}

func TestLookupDoesNotAllocate(t *testing.T) {
	table := program()
	allocs := testing.AllocsPerRun(100, func() {
		for _, n := range []int{0, 5, 13, 26, 1000} {
			lookupLevel, _ = table.Lookup(n)
			lookupNumber += table.Number(n)
			_, _, _ = table.Next(n)
			_ = table.MissingForFirst(n)
		}
	})
	assert.Zero(t, allocs)
}

// lookupLevel and lookupNumber keep benchmark results alive.
var (
	lookupLevel  tier.Level
	lookupNumber int
)

func BenchmarkLookup(b *testing.B) {
	table := program()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		lookupLevel, _ = table.Lookup(n % 40)
		n++
	}
}

func BenchmarkNumber(b *testing.B) {
	table := program()
	b.ReportAllocs()
	n, sum := 0, 0
	for b.Loop() {
		sum += table.Number(n % 40)
		n++
	}
	lookupNumber = sum
}

// TestNewRefusesBoundsAboveMaxCount: the lookup table of a Table has one
// entry per count up to the last level's start, so bounds are capped.
func TestNewRefusesBoundsAboveMaxCount(t *testing.T) {
	rate := decimal.RequireFromString("0.1")
	_, err := tier.New([]tier.Level{{Number: 1, Min: tier.MaxCount + 1, Rate: rate}})
	assert.ErrorIs(t, err, tier.ErrBounds)

	tb, err := tier.New([]tier.Level{{Number: 1, Min: 5, Max: tier.MaxCount, Rate: rate}})
	require.NoError(t, err)
	for _, tt := range []struct{ n, want int }{{4, 0}, {5, 1}, {tier.MaxCount, 1}, {tier.MaxCount + 1, 0}, {1 << 40, 0}} {
		if lv, _ := tb.Lookup(tt.n); lv.Number != tt.want {
			t.Errorf("Lookup(%d) = level %d, want %d", tt.n, lv.Number, tt.want)
		}
	}
}
