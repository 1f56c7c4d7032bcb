package commission

import (
	"slices"

	"github.com/shopspring/decimal"
)

// round rounds x to digits decimal places with the program's mode (D7).
func round(x decimal.Decimal, digits int32, mode Rounding) decimal.Decimal {
	if mode == HalfEven {
		return x.RoundBank(digits)
	}
	return x.Round(digits) // half away from zero; x is never negative here
}

// Allocate splits total, the rounded commission of rate x sum(amounts),
// into one share per amount (D8): each share is rate x amount cut toward
// zero to digits decimal places (F6), and the minor units still missing to
// reach total go one each to the largest remainders, ties to the earlier
// index. Callers pass amounts in payment ID order so that ties follow it.
// The shares add up to total exactly.
func Allocate(rate, total decimal.Decimal, amounts []decimal.Decimal, digits int32) []decimal.Decimal {
	shares := make([]decimal.Decimal, len(amounts))
	rems := make([]decimal.Decimal, len(amounts))
	left := total
	for i, a := range amounts {
		exact := rate.Mul(a)
		shares[i] = exact.Truncate(digits)
		rems[i] = exact.Sub(shares[i])
		left = left.Sub(shares[i])
	}
	unit := decimal.New(1, -digits)
	order := make([]int, len(amounts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return -rems[a].Cmp(rems[b]) })
	for k := 0; left.IsPositive() && k < len(order); k++ {
		shares[order[k]] = shares[order[k]].Add(unit)
		left = left.Sub(unit)
	}
	return shares
}
