package decimals

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// Every value equals decimal.New of the same coefficient and exponent,
// exponent included, whether it came from the table or not.
func TestCacheNew(t *testing.T) {
	var c Cache
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 100000 {
		coef := r.Int64N(2000) - 1000 // many repeats
		if i%3 == 0 {
			coef = r.Int64() - 1<<62
		}
		exp := -int32(r.IntN(4))
		got, want := c.New(coef, exp), decimal.New(coef, exp)
		if !got.Equal(want) || got.Exponent() != want.Exponent() && coef != 0 {
			t.Fatalf("New(%d, %d) = %s (exp %d), want %s", coef, exp, got, got.Exponent(), want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { c.New(6990000, -2) }); n != 0 {
		t.Errorf("a repeated value allocates %.0f times", n)
	}
}
