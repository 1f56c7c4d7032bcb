package commission

import (
	"math/bits"
	"strconv"

	"github.com/shopspring/decimal"
)

// money writes d with digits decimals.
func money(d decimal.Decimal, digits int) string {
	if s, ok := fixedUnits(d, digits); ok {
		return s
	}
	return d.StringFixed(int32(digits))
}

// fixedUnits writes d with exactly digits decimals when it is a whole
// number of minor units that fits in int64, as every amount of a statement
// does: the same text as decimal.Decimal.StringFixed, without big numbers.
func fixedUnits(d decimal.Decimal, digits int) (string, bool) {
	if digits < 0 || digits > 18 || d.NumDigits() > 18 {
		return "", false
	}
	shift := int(d.Exponent()) + digits
	if shift < 0 || shift >= len(pow10) {
		return "", false // more decimals than the currency's: StringFixed rounds
	}
	c := d.CoefficientInt64()
	neg := c < 0
	u := uint64(c)
	if neg {
		u = uint64(-c)
	}
	hi, u := bits.Mul64(u, pow10[shift])
	if hi != 0 {
		return "", false
	}
	var buf [48]byte
	b := strconv.AppendUint(buf[:0], u, 10)
	if pad := digits + 1 - len(b); pad > 0 { // at least one digit before the point
		b = append(b[:0], "0000000000000000000"[:pad]...)
		b = strconv.AppendUint(b, u, 10)
	}
	var out [50]byte
	o := out[:0]
	if neg && u != 0 {
		o = append(o, '-')
	}
	o = append(o, b[:len(b)-digits]...)
	if digits > 0 {
		o = append(o, '.')
		o = append(o, b[len(b)-digits:]...)
	}
	return string(o), true
}
