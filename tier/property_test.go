package tier_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/caba1337/referralrules/tier"
)

// randomTable returns a valid table of 1 to 6 levels with random bounds
// and rising rates; the last level is open-ended.
func randomTable(r *rand.Rand) tier.Table {
	n := 1 + r.IntN(6)
	levels := make([]tier.Level, n)
	lo, rate := 1+r.IntN(10), 1+r.IntN(10)
	for i := range levels {
		levels[i] = tier.Level{Number: i + 1, Min: lo, Rate: decimal.New(int64(rate), -2)}
		if i < n-1 {
			levels[i].Max = lo + r.IntN(15)
			lo = levels[i].Max + 1
		}
		rate += 1 + r.IntN(100-rate-(n-i))/(n-i)
	}
	return tier.MustNew(levels)
}

// One more active paid referral never lowers the level, its number or its
// rate, in the program's table and in random valid ones; and the referrals
// still missing for the first level fall by one until there are none.
func TestPropertyLevelNeverFalls(t *testing.T) {
	tables := []tier.Table{program()}
	r := rand.New(rand.NewPCG(6, 6))
	for range 200 {
		tables = append(tables, randomTable(r))
	}
	for i, tb := range tables {
		t.Run(fmt.Sprintf("table=%d", i), func(t *testing.T) {
			prev, _ := tb.Lookup(0)
			for n := 1; n <= 120; n++ {
				got, _ := tb.Lookup(n)
				if got.Number < prev.Number || got.Rate.LessThan(prev.Rate) {
					t.Fatalf("Lookup(%d) = level %d at %s, Lookup(%d) = level %d at %s",
						n, got.Number, got.Rate, n-1, prev.Number, prev.Rate)
				}
				if num := tb.Number(n); num != got.Number {
					t.Fatalf("Number(%d) = %d, Lookup(%d) = level %d", n, num, n, got.Number)
				}
				if m, was := tb.MissingForFirst(n), tb.MissingForFirst(n-1); m != max(was-1, 0) {
					t.Fatalf("MissingForFirst(%d) = %d after %d", n, m, was)
				}
				prev = got
			}
		})
	}
}
