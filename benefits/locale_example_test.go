package benefits_test

import (
	"fmt"

	"github.com/caba1337/referralrules/benefits"
	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

// Each program country writes money its own way; dates follow the
// email's language.
func ExampleLocale_Money() {
	amount := decimal.RequireFromString("1234567.89")
	for _, c := range []struct{ country, currency string }{{"CO", "COP"}, {"DO", "DOP"}, {"PA", "USD"}, {"MX", "MXN"}} {
		fmt.Println(c.country, benefits.LocaleOf(c.country).Money(amount, c.currency, 2))
	}
	day := referral.NewDate(2026, 12, 3)
	fmt.Println(benefits.FormatDate(day, benefits.Spanish))
	fmt.Println(benefits.FormatDate(day, benefits.English))
	// Output:
	// CO $ 1.234.567,89
	// DO RD$1,234,567.89
	// PA B/. 1,234,567.89
	// MX MXN 1,234,567.89
	// 3 de diciembre de 2026
	// December 3, 2026
}
