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
	if hi != 0 {
		return bits.Div64(hi, lo, f.den)
	}
	// The product fits in 64 bits, as it does for any ordinary amount: the
	// usual denominators are constants the compiler divides by without a
	// division instruction.
	switch f.den {
	case 100:
		return lo / 100, lo % 100
	case 10:
		return lo / 10, lo % 10
	case 1000:
		return lo / 1000, lo % 1000
	case 10000:
		return lo / 10000, lo % 10000
	}
	return lo / f.den, lo % f.den
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

// unitScratch holds the buffers of settleUnits, so that a caller settling
// many months in a row (the tests, the benchmarks) allocates them once.
type unitScratch struct {
	shares, rems []uint64
	order        []int
}

// settleUnits computes D5's base, D7's commission and D8's shares of
// amounts, given in minor units in payment ID order. It returns false,
// leaving nothing to use, when the base does not fit in int64. The shares it
// returns live in s until the next call.
func (s *unitScratch) settleUnits(f fraction, amounts []uint64, mode Rounding) (base, total uint64, shares []uint64, ok bool) {
	n := len(amounts)
	s.shares, s.rems, s.order = grow(s.shares, n), grow(s.rems, n), grow(s.order, n)
	base, total, ok = settle(f, amounts, mode, s.shares, s.rems, s.order)
	return base, total, s.shares, ok
}

// settle is settleUnits with the caller's buffers: shares, rems and order
// must be as long as amounts.
func settle(f fraction, amounts []uint64, mode Rounding, shares, rems []uint64, order []int) (base, total uint64, ok bool) {
	for _, a := range amounts {
		var carry uint64
		base, carry = bits.Add64(base, a, 0)
		if carry != 0 || base > math.MaxInt64 {
			return 0, 0, false
		}
	}
	total = f.round(base, mode)

	// Each share cut toward zero (F6), then one unit to each of the largest
	// remainders, ties to the earlier payment ID, until the total is met.
	left := total
	for i, a := range amounts {
		shares[i], rems[i] = f.mul(a)
		left -= shares[i]
		order[i] = i
	}
	switch {
	case left == 0:
	case len(amounts) <= 64 && f.den < 1<<57:
		giveByKeys(shares, rems, f.den, left)
	default:
		slices.SortFunc(order, func(a, b int) int {
			return cmp.Or(cmp.Compare(rems[b], rems[a]), cmp.Compare(a, b))
		})
		for k := 0; left > 0 && k < len(order); k++ {
			shares[order[k]]++
			left--
		}
	}
	return base, total, true
}

// giveByKeys gives one unit to each of the left largest remainders, ties
// to the lower index, by sorting one integer key per share: the remainder's
// complement above six bits of index, so that ascending keys are remainders
// from the largest down and equal remainders by index. It needs at most 64
// shares and den below 2^57, and does not allocate.
func giveByKeys(shares, rems []uint64, den, left uint64) {
	var kb [64]uint64
	keys := kb[:len(rems)]
	for i, r := range rems {
		keys[i] = (den-1-r)<<6 | uint64(i)
	}
	slices.Sort(keys)
	for _, k := range keys[:min(left, uint64(len(keys)))] {
		shares[k&63]++
	}
}

// UnitRate is a commission rate held as an exact fraction over a power of
// ten (0.15 is 15/100), for SettleUnits. The zero UnitRate is not valid;
// make one with NewUnitRate.
type UnitRate struct{ f fraction }

// NewUnitRate returns rate as a UnitRate, or false when it lies outside
// [0, 1] or has more than 18 decimals.
func NewUnitRate(rate decimal.Decimal) (UnitRate, bool) {
	f, ok := toFraction(rate)
	return UnitRate{f}, ok
}

// SettleUnits is one currency of one month in exact minor units: the base
// is the sum of amounts (D5), the commission is rate x base rounded once
// with mode (D7), and shares[i] receives the share of amounts[i] (D8:
// cut toward zero, then one unit to each of the largest remainders, ties
// to the lower index). Callers pass amounts in payment ID order, all
// positive, and shares at least as long. It returns false when an amount
// is not positive or the base passes 2^63-1; no amount is then computed
// and the caller must use decimals (Settle does). It does not allocate for
// up to 64 amounts.
func SettleUnits(rate UnitRate, amounts, shares []int64, mode Rounding) (base, commission int64, ok bool) {
	n := len(amounts)
	var ab, sb, rb [64]uint64
	var ob [64]int
	as, ss, rs, os := ab[:], sb[:], rb[:], ob[:]
	if n > len(ab) {
		as, ss, rs, os = make([]uint64, n), make([]uint64, n), make([]uint64, n), make([]int, n)
	}
	as, ss, rs, os = as[:n], ss[:n], rs[:n], os[:n]
	for i, a := range amounts {
		if a <= 0 {
			return 0, 0, false
		}
		as[i] = uint64(a)
	}
	b, c, ok := settle(rate.f, as, mode, ss, rs, os)
	if !ok {
		return 0, 0, false
	}
	for i := range ss {
		shares[i] = int64(ss[i])
	}
	return int64(b), int64(c), true
}

// Settle is SettleUnits for decimal amounts of a currency with digits
// minor digits: it works in exact minor units where every number fits in
// int64, and in decimals (Allocate) where one does not; both give the same
// amounts.
func Settle(rate decimal.Decimal, amounts []decimal.Decimal, digits int, mode Rounding) (base, commission decimal.Decimal, shares []decimal.Decimal) {
	shares = make([]decimal.Decimal, len(amounts))
	if f, ok := toFraction(rate); ok && len(amounts) <= 64 {
		var ub, sb [64]int64
		us, ss := ub[:len(amounts)], sb[:len(amounts)]
		fits := true
		for i, a := range amounts {
			if us[i], ok = toUnits(a, digits); !ok {
				fits = false
				break
			}
		}
		if b, c, ok := SettleUnits(UnitRate{f}, us, ss, mode); fits && ok {
			for i := range ss {
				shares[i] = units(uint64(ss[i]), digits)
			}
			return units(uint64(b), digits), units(uint64(c), digits), shares
		}
	}
	base = decimal.Sum(decimal.Zero, amounts...)
	commission = round(rate.Mul(base), int32(digits), mode)
	copy(shares, Allocate(rate, commission, amounts, int32(digits)))
	return base, commission, shares
}

// grow returns b with length n, reusing its array when it is big enough.
func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}
