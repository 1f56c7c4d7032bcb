package benefits

import (
	"strconv"
	"strings"
	"time"

	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

// This file writes amounts, rates and dates the way the program's
// countries and languages write them. It is a small table written by hand
// rather than CLDR data: golang.org/x/text is not a dependency this module
// may take, and the program needs four countries and two languages.

// NarrowNoBreakSpace (U+202F) separates groups of digits in Costa Rica. It
// is the thin space of ISO 80000-1 digit grouping and, unlike a plain
// space, never lets an email client break an amount across two lines.
const NarrowNoBreakSpace = "\u202f"

// Locale is how a country writes money: its currency's symbol, the space
// between symbol and digits, and its group and decimal separators.
type Locale struct {
	Currency string // ISO 4217 code the Symbol stands for, such as "COP"
	Symbol   string // such as "$" or "RD$"; "" writes the currency code
	Space    string // between the symbol (or code) and the digits
	Group    string // between groups of three integer digits
	Decimal  string // before the minor digits
}

// LocaleOf returns how the country with the given ISO 3166 code writes
// money:
//
//	CO  $ 1.234.567,89
//	CR  ₡1 234 567,89   (groups split by NarrowNoBreakSpace)
//	DO  RD$1,234,567.89
//	PA  B/. 1,234,567.89 (US dollars, at par with the balboa)
//
// Any other country gets the ISO 4217 code, a space, "," for groups and
// "." for decimals: "MXN 1,234,567.89".
func LocaleOf(country string) Locale {
	switch country {
	case "CO":
		return Locale{Currency: "COP", Symbol: "$", Space: " ", Group: ".", Decimal: ","}
	case "CR":
		return Locale{Currency: "CRC", Symbol: "₡", Group: NarrowNoBreakSpace, Decimal: ","}
	case "DO":
		return Locale{Currency: "DOP", Symbol: "RD$", Group: ",", Decimal: "."}
	case "PA":
		return Locale{Currency: "USD", Symbol: "B/.", Space: " ", Group: ",", Decimal: "."}
	}
	return Locale{Space: " ", Group: ",", Decimal: "."}
}

// Money writes amount in currency with exactly digits minor digits (0 to
// write none), such as "$ 1.234.567,89" for 1234567.89 COP in Colombia. A
// currency other than the locale's own is written by its code: "USD
// 1.234,00". A negative amount takes a leading minus, "-$ 5,00"; one that
// rounds to zero takes none. An amount with more decimals than digits is
// rounded half away from zero; amounts of the program never have more.
func (l Locale) Money(amount decimal.Decimal, currency string, digits int) string {
	symbol, space := l.Symbol, l.Space
	if symbol == "" || currency != l.Currency {
		symbol, space = currency, " "
	}
	amount = amount.Round(int32(digits))
	sign := ""
	if amount.IsNegative() {
		sign = "-"
	}
	return sign + symbol + space + l.Number(amount.Abs(), digits)
}

// Number writes a non-negative n with exactly digits minor digits and the
// locale's separators, such as "1.234.567,89". The sign of a negative n
// is left out; Money writes it.
func (l Locale) Number(n decimal.Decimal, digits int) string {
	whole, frac, _ := strings.Cut(n.Abs().StringFixed(int32(digits)), ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(l.Group)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(l.Decimal + frac)
	}
	return b.String()
}

// Percent writes a rate given as a fraction as a percentage with as many
// decimals as it needs and the locale's decimal separator: 0.15 is "15%"
// everywhere, 0.125 is "12,5%" in Colombia and "12.5%" in Panama.
func (l Locale) Percent(rate decimal.Decimal) string {
	return strings.Replace(rate.Shift(2).String(), ".", l.Decimal, 1) + "%"
}

// spanishMonth names m in Spanish, in lower case as Spanish writes it.
func spanishMonth(m time.Month) string {
	return [...]string{
		"enero", "febrero", "marzo", "abril", "mayo", "junio",
		"julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
	}[m-1]
}

// FormatDate writes d in lang: "3 de diciembre de 2026" in Spanish,
// "December 3, 2026" in English; "" for the zero Date.
func FormatDate(d referral.Date, lang Lang) string {
	if d.IsZero() {
		return ""
	}
	y, m, day := d.Civil()
	if lang == Spanish {
		return strconv.Itoa(day) + " de " + spanishMonth(m) + " de " + strconv.Itoa(y)
	}
	return m.String() + " " + strconv.Itoa(day) + ", " + strconv.Itoa(y)
}

// FormatMonth writes m in lang: "enero de 2027" in Spanish, "January 2027"
// in English.
func FormatMonth(m referral.Month, lang Lang) string {
	y, mm := m.Civil()
	if lang == Spanish {
		return spanishMonth(mm) + " de " + strconv.Itoa(y)
	}
	return mm.String() + " " + strconv.Itoa(y)
}

// CountryName returns the name of c in lang. rules.yaml names countries
// once, in English; the program's countries have their Spanish names here
// ("Panamá", "República Dominicana"), and any other country keeps c.Name.
func CountryName(c Country, lang Lang) string {
	if lang != Spanish {
		return c.Name
	}
	switch c.Code {
	case "CO":
		return "Colombia"
	case "CR":
		return "Costa Rica"
	case "DO":
		return "República Dominicana"
	case "PA":
		return "Panamá"
	}
	return c.Name
}
