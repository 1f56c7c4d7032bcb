package commission_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/caba1337/referralrules/commission"
	"github.com/shopspring/decimal"
)

// TestAllocate checks the split of a rounded commission into shares (D8,
// F6): exact shares cut toward zero, then one minor unit to each of the
// largest remainders, ties to the earlier amount, until the total is
// reached. Expected shares are worked out by hand.
func TestAllocate(t *testing.T) {
	tests := []struct {
		name    string
		rate    string
		total   string
		amounts []string
		digits  int32
		want    []string
	}{
		// Exact splits need no extra unit.
		{"D8 exact shares", "0.1", "3.00", []string{"10.00", "10.00", "10.00"}, 2,
			[]string{"1.00", "1.00", "1.00"}},
		{"D8 no payments", "0.1", "0", nil, 2, []string{}},

		// Remainders.
		{"D8 one payment takes the rounded total", "0.15", "0.01", []string{"0.07"}, 2,
			[]string{"0.01"}}, // 0.0105 cut to 0.01, nothing left
		{"F6 ties go to the earlier amount", "0.1", "0.03", []string{"0.05", "0.05", "0.05", "0.05", "0.05"}, 2,
			[]string{"0.01", "0.01", "0.01", "0.00", "0.00"}}, // 0.005 each
		{"D8 largest remainder before the earlier amount", "0.1", "0.02", []string{"0.04", "0.04", "0.07"}, 2,
			[]string{"0.01", "0.00", "0.01"}}, // remainders 0.004, 0.004, 0.007
		{"D8 two units at 15%", "0.15", "15.00", []string{"33.33", "33.33", "33.34"}, 2,
			[]string{"5.00", "5.00", "5.00"}}, // 4.9995, 4.9995, 5.001 cut to 4.99, 4.99, 5.00
		{"D8 remainders by size, not by position", "0.25", "0.01", []string{"0.01", "0.03"}, 2,
			[]string{"0.00", "0.01"}}, // 0.0025, 0.0075: the unit to the second
		{"D8 two units: a tie and the largest", "0.25", "0.05", []string{"0.03", "0.09", "0.07"}, 2,
			[]string{"0.01", "0.02", "0.02"}}, // 0.0075, 0.0225, 0.0175 cut to 0.00, 0.02, 0.01
		{"D8 half-down total leaves a remainder unpaid", "0.1", "0.01", []string{"0.07", "0.07"}, 2,
			[]string{"0.01", "0.00"}}, // 0.014 rounds to 0.01; 0.007 each, one unit
		{"D8 whole units (0 minor digits)", "0.25", "2", []string{"3", "3", "3"}, 0,
			[]string{"1", "1", "0"}}, // 0.75 each, 2.25 rounds to 2
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			amounts := make([]decimal.Decimal, len(tc.amounts))
			for i, a := range tc.amounts {
				amounts[i] = mustDec(a)
			}
			got := commission.Allocate(mustDec(tc.rate), mustDec(tc.total), amounts, tc.digits)
			gotS := make([]string, len(got))
			for i, s := range got {
				gotS[i] = s.StringFixed(tc.digits)
			}
			if !slices.Equal(gotS, tc.want) {
				t.Errorf("Allocate(%s, %s, %v, %d) = %v, want %v", tc.rate, tc.total, tc.amounts, tc.digits, gotS, tc.want)
			}
		})
	}
}

// TestAllocateProperties checks D8 on many random inputs: the shares add up
// to the rounded total exactly, and each share is its exact share cut to
// the minor units, or one minor unit more.
func TestAllocateProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	rates := []string{"0.1", "0.15", "0.2", "0.25", "0.125", "0.3333", "1"}
	for iter := 0; iter < 5000; iter++ {
		digits := int32(rng.IntN(4)) // 0 to 3 minor digits
		rate := mustDec(rates[rng.IntN(len(rates))])
		amounts := make([]decimal.Decimal, 1+rng.IntN(20))
		sum := decimal.Zero
		for i := range amounts {
			// 1 minor unit up to 100,000.00 (in units of 10^-digits)
			amounts[i] = decimal.New(1+rng.Int64N(10_000_000), -digits)
			sum = sum.Add(amounts[i])
		}
		total := rate.Mul(sum).Round(digits)
		if rng.IntN(2) == 0 {
			total = rate.Mul(sum).RoundBank(digits)
		}

		shares := commission.Allocate(rate, total, amounts, digits)
		if len(shares) != len(amounts) {
			t.Fatalf("Allocate(%s, %s, %v, %d) gave %d shares, want %d", rate, total, amounts, digits, len(shares), len(amounts))
		}
		unit := decimal.New(1, -digits)
		got := decimal.Zero
		for i, s := range shares {
			got = got.Add(s)
			floor := rate.Mul(amounts[i]).Truncate(digits)
			if s.LessThan(floor) || s.GreaterThan(floor.Add(unit)) {
				t.Fatalf("Allocate(%s, %s, %v, %d) share %d = %s, want %s or %s",
					rate, total, amounts, digits, i, s, floor, floor.Add(unit))
			}
			if !s.Equal(s.Truncate(digits)) {
				t.Fatalf("Allocate(%s, %s, %v, %d) share %d = %s, want %d decimals at most", rate, total, amounts, digits, i, s, digits)
			}
		}
		if !got.Equal(total) {
			t.Fatalf("Allocate(%s, %s, %v, %d) shares add up to %s, want %s", rate, total, amounts, digits, got, total)
		}
	}
}
