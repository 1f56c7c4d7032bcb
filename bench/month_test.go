package bench

import (
	"testing"

	"github.com/caba1337/referralrules/commission"
	"github.com/shopspring/decimal"
)

// One accountant-month: 20 eligible payments of a two-digit currency at
// the level 2 rate of 15%, rounded half up. Every way below computes the
// same commission (TestMonthWaysAgree).

const monthPayments = 20

var (
	benchUnits   int64
	benchDecimal decimal.Decimal
)

func monthAmounts() ([]int64, []decimal.Decimal) {
	units := make([]int64, monthPayments)
	decs := make([]decimal.Decimal, monthPayments)
	for i := range units {
		units[i] = 6990000 + int64(i)*1234567 // 69,900.00 COP and up
		decs[i] = decimal.New(units[i], -2)
	}
	return units, decs
}

var rate15 = decimal.RequireFromString("0.15")

// intCommission is the hand-written int64 loop: sum the minor units, one
// multiply by 15/100, half up. No overflow check and no shares.
func intCommission(units []int64) int64 {
	var sum int64
	for _, u := range units {
		sum += u
	}
	return (sum*15 + 50) / 100
}

// naivePerLine rounds each payment's commission and adds the rounded
// amounts: what D7 forbids, and what naive code does.
func naivePerLine(decs []decimal.Decimal) decimal.Decimal {
	total := decimal.Zero
	for _, d := range decs {
		total = total.Add(rate15.Mul(d).Round(2))
	}
	return total
}

// sumThenRound is decimal done right for D7: sum, multiply, round once.
// It does not compute the shares (D8).
func sumThenRound(decs []decimal.Decimal) decimal.Decimal {
	return rate15.Mul(decimal.Sum(decimal.Zero, decs...)).Round(2)
}

func BenchmarkAccountantMonth(b *testing.B) {
	units, decs := monthAmounts()

	// The library's exact path: base, commission and the 20 shares of D8,
	// with overflow checks, in int64.
	b.Run("library-units", func(b *testing.B) {
		r, _ := commission.NewUnitRate(rate15)
		shares := make([]int64, monthPayments)
		b.ReportAllocs()
		for b.Loop() {
			_, c, _ := commission.SettleUnits(r, units, shares, commission.HalfUp)
			benchUnits = c
		}
	})

	// The same through decimal.Decimal in and out (what a statement
	// stores): conversions to minor units and 22 decimals made at the end.
	b.Run("library-decimal-edges", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, c, _ := commission.Settle(rate15, decs, 2, commission.HalfUp)
			benchDecimal = c
		}
	})

	b.Run("int64-loop", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchUnits = intCommission(units)
		}
	})

	b.Run("decimal-sum-round-once", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchDecimal = sumThenRound(decs)
		}
	})

	b.Run("decimal-round-per-line", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchDecimal = naivePerLine(decs)
		}
	})

	// Decimal with the shares, as the library did before its exact path.
	b.Run("decimal-with-shares", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := sumThenRound(decs)
			benchDecimal = commission.Allocate(rate15, c, decs, 2)[0]
		}
	})
}

// TestMonthWaysAgree checks that the ways of the benchmark compute the
// same commission on its data (per-line rounding happens to agree here; it
// does not in general).
func TestMonthWaysAgree(t *testing.T) {
	units, decs := monthAmounts()
	r, _ := commission.NewUnitRate(rate15)
	_, lib, ok := commission.SettleUnits(r, units, make([]int64, monthPayments), commission.HalfUp)
	_, libDec, _ := commission.Settle(rate15, decs, 2, commission.HalfUp)
	want := sumThenRound(decs)
	if !ok || !decimal.New(lib, -2).Equal(want) || !libDec.Equal(want) ||
		!decimal.New(intCommission(units), -2).Equal(want) {
		t.Errorf("commission: units %d, decimal edges %s, int64 loop %d, decimal %s",
			lib, libDec, intCommission(units), want)
	}
}
