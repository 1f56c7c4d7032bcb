package commission

import (
	"cmp"
	"math"
	"math/bits"
	"slices"

	"github.com/shopspring/decimal"
)

// The exact integer path of D7 and D8.
//
// A currency with d minor digits holds every valid amount as a whole number
// of minor units (10^-d), and a rate such as 0.15 is the exact fraction
// 15/100. The base is then a sum of integers, the commission is
// rate.num x base / rate.den rounded once, and each share is
// rate.num x amount / rate.den cut toward zero, with the remainders
// rate.num x amount mod rate.den compared as integers: the same numbers the
// decimal path computes, without its allocations. Products are formed in
// 128 bits (math/bits), so they never overflow; anything that still does not
// fit in int64 (an amount with too many digits, a base past 2^63-1, a rate
// whose denominator passes 10^18) makes the caller use the decimal path, so
// an amount is never wrong, only slower.

// pow10 holds 10^0 through 10^19, every power of ten a uint64 can hold.
var pow10 = func() [20]uint64 {
	var p [20]uint64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// toUnits returns a, a positive amount, as a whole number of minor units of
// a currency with digits decimals, or false when it is not one (more
// decimals than the currency allows, zero or negative) or has more than 18
// significant digits, which may not fit in int64.
func toUnits(a decimal.Decimal, digits int) (int64, bool) {
	// NumDigits does not allocate for a coefficient below 2^53 and is exact
	// beyond it, so 18 digits or fewer guarantees CoefficientInt64 is exact.
	if digits < 0 || digits > 18 || a.Sign() <= 0 || a.NumDigits() > 18 {
		return 0, false
	}
	c := uint64(a.CoefficientInt64())
	shift := int(a.Exponent()) + digits
	switch {
	case shift >= 0:
		if shift >= len(pow10) {
			return 0, false
		}
		hi, lo := bits.Mul64(c, pow10[shift])
		if hi != 0 || lo > math.MaxInt64 {
			return 0, false
		}
		return int64(lo), true
	case -shift >= len(pow10):
		return 0, false
	default:
		// More decimals written than the currency has: whole units only if
		// the extra digits are zeros ("100.000" is refused by the reader, but
		// a Dataset built in code may carry it).
		q, r := c/pow10[-shift], c%pow10[-shift]
		if r != 0 {
			return 0, false
		}
		return int64(q), true
	}
}

// fraction is a rate held exactly as num / den, den a power of ten.
type fraction struct{ num, den uint64 }

// toFraction returns rate, a fraction in [0, 1], as num / 10^k, or false
// when it is outside [0, 1] or its denominator would pass 10^18.
func toFraction(rate decimal.Decimal) (fraction, bool) {
	if rate.Sign() < 0 || rate.NumDigits() > 18 {
		return fraction{}, false
	}
	c, e := uint64(rate.CoefficientInt64()), int(rate.Exponent())
	var f fraction
	switch {
	case e >= 0:
		if e > 18 {
			return fraction{}, false
		}
		f = fraction{num: c * pow10[e], den: 1}
	case -e > 18:
		return fraction{}, false
	default:
		f = fraction{num: c, den: pow10[-e]}
	}
	if f.num > f.den {
		return fraction{}, false // above 100%: a product could pass 64 bits
	}
	return f, true
}

// mul returns rate x a as a quotient and a remainder over f.den: the share
// cut toward zero, and what the cut left. With num <= den the quotient is at
// most a, so it always fits.
func (f fraction) mul(a uint64) (q, r uint64) {
	hi, lo := bits.Mul64(a, f.num)
	return bits.Div64(hi, lo, f.den)
}

// round returns rate x base rounded once to whole minor units (D7).
func (f fraction) round(base uint64, mode Rounding) uint64 {
	q, r := f.mul(base)
	half := f.den - r // r compared with den/2 without overflow: r >= den-r
	switch {
	case r > half:
		return q + 1
	case r == half && r != 0 && (mode == HalfUp || q%2 == 1):
		return q + 1
	}
	return q
}

// unitScratch holds the buffers of one settlement so that a ledger reuses
// them month after month.
type unitScratch struct {
	amounts, shares, rems []uint64
	order                 []int
}

// settleUnits computes D5's base, D7's commission and D8's shares of
// amounts, given in minor units in payment ID order. It returns false,
// leaving nothing to use, when the base does not fit in int64. The shares it
// returns live in s until the next call.
func (s *unitScratch) settleUnits(f fraction, amounts []uint64, mode Rounding) (base, total uint64, shares []uint64, ok bool) {
	for _, a := range amounts {
		var carry uint64
		base, carry = bits.Add64(base, a, 0)
		if carry != 0 || base > math.MaxInt64 {
			return 0, 0, nil, false
		}
	}
	total = f.round(base, mode)

	// Each share cut toward zero (F6), then one unit to each of the largest
	// remainders, ties to the earlier payment ID, until the total is met.
	n := len(amounts)
	s.shares, s.rems, s.order = grow(s.shares, n), grow(s.rems, n), grow(s.order, n)
	left := total
	for i, a := range amounts {
		s.shares[i], s.rems[i] = f.mul(a)
		left -= s.shares[i]
		s.order[i] = i
	}
	if left > 0 {
		rems := s.rems
		slices.SortFunc(s.order, func(a, b int) int {
			return cmp.Or(cmp.Compare(rems[b], rems[a]), cmp.Compare(a, b))
		})
		for k := 0; left > 0 && k < n; k++ {
			s.shares[s.order[k]]++
			left--
		}
	}
	return base, total, s.shares, true
}

// grow returns b with length n, reusing its array when it is big enough.
func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}
