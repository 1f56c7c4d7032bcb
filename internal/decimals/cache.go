// Package decimals hands out decimal.Decimal values of small coefficients
// from a cache, for the hot loops of the readers and of the statements.
package decimals

import "github.com/shopspring/decimal"

// Cache hands out decimal.Decimal values of small coefficients from a
// direct-mapped table of recent ones, so that the many rows and lines of
// a run that carry the same amount (a plan's price, its commission) share
// one value instead of allocating a big.Int each. A decimal.Decimal is
// immutable, so sharing one is safe. The zero Cache is ready to use; it
// is not safe for concurrent use (give each goroutine its own).
type Cache struct {
	slots *[1 << 10]slot
}

type slot struct {
	coef int64
	exp  int32
	d    decimal.Decimal
}

// New returns decimal.New(coef, exp), the zero decimal for coef 0.
func (c *Cache) New(coef int64, exp int32) decimal.Decimal {
	if coef == 0 {
		return decimal.Decimal{} // 0 without an allocation
	}
	if c.slots == nil {
		c.slots = new([1 << 10]slot)
	}
	h := (uint64(coef)*0x9E3779B97F4A7C15 + uint64(uint32(exp))) >> 54
	e := &c.slots[h]
	if e.coef != coef || e.exp != exp {
		*e = slot{coef, exp, decimal.New(coef, exp)}
	}
	return e.d
}
