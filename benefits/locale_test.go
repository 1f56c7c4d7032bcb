package benefits

import (
	"testing"

	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

func TestMoney(t *testing.T) {
	const nnbsp = NarrowNoBreakSpace
	tests := []struct {
		name     string
		country  string
		amount   string
		currency string
		digits   int
		want     string
	}{
		// The four program countries, as the program's page writes them.
		{"Colombia", "CO", "1234567.89", "COP", 2, "$ 1.234.567,89"},
		{"Costa Rica", "CR", "1234567.89", "CRC", 2, "₡1" + nnbsp + "234" + nnbsp + "567,89"},
		{"Dominican Republic", "DO", "1234567.89", "DOP", 2, "RD$1,234,567.89"},
		{"Panama", "PA", "1234567.89", "USD", 2, "B/. 1,234,567.89"},

		// Zero, small, negative.
		{"zero", "CO", "0", "COP", 2, "$ 0,00"},
		{"below a thousand", "DO", "999.5", "DOP", 2, "RD$999.50"},
		{"exactly a thousand", "PA", "1000", "USD", 2, "B/. 1,000.00"},
		{"negative", "CO", "-1234.5", "COP", 2, "-$ 1.234,50"},
		{"negative Costa Rica", "CR", "-5", "CRC", 2, "-₡5,00"},
		{"rounds to zero: no minus", "PA", "-0.004", "USD", 2, "B/. 0.00"},

		// Large, and 0 and 4 minor digits.
		{"large", "CO", "123456789012345678.9", "COP", 2, "$ 123.456.789.012.345.678,90"},
		{"0 digits", "CO", "1234567", "COP", 0, "$ 1.234.567"},
		{"0 digits rounds half up", "DO", "1234.5", "DOP", 0, "RD$1,235"},
		{"4 digits", "PA", "1234.5678", "USD", 4, "B/. 1,234.5678"},
		{"4 digits padded", "CR", "12.3", "CRC", 4, "₡12,3000"},

		// Another currency than the country's, and another country.
		{"dollars in Colombia", "CO", "1234", "USD", 2, "USD 1.234,00"},
		{"Mexico falls back to the code", "MX", "1234567.89", "MXN", 2, "MXN 1,234,567.89"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LocaleOf(tt.country).Money(decimal.RequireFromString(tt.amount), tt.currency, tt.digits)
			if got != tt.want {
				t.Errorf("LocaleOf(%s).Money(%s, %s, %d) = %q, want %q",
					tt.country, tt.amount, tt.currency, tt.digits, got, tt.want)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		country, rate, want string
	}{
		{"CO", "0.1", "10%"},
		{"CO", "0.15", "15%"},
		{"CO", "0.125", "12,5%"},
		{"PA", "0.125", "12.5%"},
		{"CR", "1", "100%"},
		{"DO", "0.2500", "25%"},
	}
	for _, tt := range tests {
		if got := LocaleOf(tt.country).Percent(decimal.RequireFromString(tt.rate)); got != tt.want {
			t.Errorf("LocaleOf(%s).Percent(%s) = %q, want %q", tt.country, tt.rate, got, tt.want)
		}
	}
}

func TestFormatDate(t *testing.T) {
	tests := []struct {
		date referral.Date
		lang Lang
		want string
	}{
		{referral.NewDate(2026, 12, 3), Spanish, "3 de diciembre de 2026"},
		{referral.NewDate(2026, 12, 3), English, "December 3, 2026"},
		{referral.NewDate(2027, 1, 1), Spanish, "1 de enero de 2027"},
		{referral.NewDate(2028, 2, 29), English, "February 29, 2028"},
		{referral.NewDate(2026, 9, 30), Spanish, "30 de septiembre de 2026"},
		{0, Spanish, ""},
	}
	for _, tt := range tests {
		if got := FormatDate(tt.date, tt.lang); got != tt.want {
			t.Errorf("FormatDate(%s, %s) = %q, want %q", tt.date, tt.lang, got, tt.want)
		}
	}
	if got := FormatMonth(referral.MonthOf(2027, 1), Spanish); got != "enero de 2027" {
		t.Errorf("FormatMonth(2027-01, es) = %q, want %q", got, "enero de 2027")
	}
	if got := FormatMonth(referral.MonthOf(2027, 1), English); got != "January 2027" {
		t.Errorf("FormatMonth(2027-01, en) = %q, want %q", got, "January 2027")
	}
}
