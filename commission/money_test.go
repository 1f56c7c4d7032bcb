package commission

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

// money writes the text StringFixed writes, on hand-picked edges and on
// random amounts of every scale a currency can have.
func TestMoneyIsStringFixed(t *testing.T) {
	cases := []struct {
		d      string
		digits int
		want   string
	}{
		{"0", 2, "0.00"},
		{"-0.00", 2, "0.00"}, // never -0.00 (F12)
		{"0.05", 2, "0.05"},
		{"-0.05", 2, "-0.05"},
		{"69900", 2, "69900.00"},
		{"69900.5", 2, "69900.50"},
		{"1234.5678", 4, "1234.5678"},
		{"7", 0, "7"},
		{"-7", 0, "-7"},
		{"0.001", 3, "0.001"},
		{"999999999999999999", 0, "999999999999999999"},
		{"99999999999999999.99", 2, "99999999999999999.99"},
		{"123456789012345678901234567890.12", 2, "123456789012345678901234567890.12"}, // past int64: decimal's way
		{"0.125", 2, "0.13"},   // more decimals than the currency: StringFixed rounds
		{"-0.125", 2, "-0.13"}, // half away from zero
	}
	for _, c := range cases {
		assert.Equal(t, c.want, money(decimal.RequireFromString(c.d), c.digits), "%s with %d digits", c.d, c.digits)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		digits := r.IntN(5)
		d := decimal.New(r.Int64N(1<<62)-1<<61, -int32(r.IntN(digits+1)))
		if r.IntN(4) == 0 {
			d = decimal.New(r.Int64N(2000)-1000, -int32(r.IntN(digits+1)))
		}
		if got, want := money(d, digits), d.StringFixed(int32(digits)); got != want {
			t.Fatalf("money(%s, %d) = %s, want %s", d, digits, got, want)
		}
	}
}
