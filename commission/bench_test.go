package commission

import (
	"testing"

	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

// Results of the benchmarks, kept so that the compiler cannot drop the work.
var (
	benchStatements []Statement
	benchUnits      uint64
	benchDecimal    decimal.Decimal
)

// BenchmarkComputeMonthDemo computes one month (2026-11) of statements for
// every accountant of the demo data, with the exact integer path.
func BenchmarkComputeMonthDemo(b *testing.B) {
	benchComputeMonthDemo(b, true)
}

// BenchmarkComputeMonthDemoDecimal is the same month in decimal.Decimal
// only, for comparison.
func BenchmarkComputeMonthDemoDecimal(b *testing.B) {
	benchComputeMonthDemo(b, false)
}

func benchComputeMonthDemo(b *testing.B, fast bool) {
	r := unitsTestRules(&testing.T{}, HalfUp)
	ds, err := referral.ReadDir("../examples/data/demo", r)
	if err != nil {
		b.Fatal(err)
	}
	m, _ := referral.ParseMonth("2026-11")
	defer func(old bool) { useUnits = old }(useUnits)
	useUnits = fast
	b.ReportAllocs()
	for b.Loop() {
		benchStatements, err = Compute(r, ds, m, m)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// twentyPayments is one accountant-month: 20 eligible payments of ordinary
// prices, in minor units and as decimals of a 2-digit currency.
func twentyPayments() ([]uint64, []decimal.Decimal) {
	units := make([]uint64, 20)
	decs := make([]decimal.Decimal, 20)
	for i := range units {
		units[i] = 6990000 + uint64(i)*1234567
		decs[i] = decimal.New(int64(units[i]), -2)
	}
	return units, decs
}

// BenchmarkSettleUnits20 settles one accountant-month of 20 payments (D5,
// D7, D8) in exact minor units.
func BenchmarkSettleUnits20(b *testing.B) {
	units, _ := twentyPayments()
	f, _ := toFraction(decimal.RequireFromString("0.15"))
	var s unitScratch
	b.ReportAllocs()
	for b.Loop() {
		_, total, _, _ := s.settleUnits(f, units, HalfUp)
		benchUnits = total
	}
}

// BenchmarkSettleDecimal20 settles the same month with decimal.Decimal:
// the sum, one rounding and Allocate.
func BenchmarkSettleDecimal20(b *testing.B) {
	_, decs := twentyPayments()
	rate := decimal.RequireFromString("0.15")
	b.ReportAllocs()
	for b.Loop() {
		total := round(rate.Mul(decimal.Sum(decimal.Zero, decs...)), 2, HalfUp)
		benchDecimal = Allocate(rate, total, decs, 2)[0]
	}
}
