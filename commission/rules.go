package commission

import (
	"fmt"
	"time"

	"github.com/caba1337/referralrules/tier"
)

// Rounding is how a commission is rounded to its currency's minor units,
// once per statement (D7).
type Rounding int

const (
	// HalfUp rounds halves away from zero: 0.005 becomes 0.01. It is the
	// program's default.
	HalfUp Rounding = iota
	// HalfEven rounds halves to the even neighbour: 0.005 becomes 0.00.
	HalfEven
)

// String returns the name used in rules.yaml: "half_up" or "half_even".
func (r Rounding) String() string {
	switch r {
	case HalfUp:
		return "half_up"
	case HalfEven:
		return "half_even"
	}
	return fmt.Sprintf("Rounding(%d)", int(r))
}

// ParseRounding reads "half_up" or "half_even".
func ParseRounding(s string) (Rounding, error) {
	switch s {
	case "half_up":
		return HalfUp, nil
	case "half_even":
		return HalfEven, nil
	}
	return 0, fmt.Errorf("unknown rounding mode %q (want half_up or half_even)", s)
}

// Country is a country where the program runs.
type Country struct {
	Code     string         // ISO 3166-1 alpha-2, such as "CO"
	Currency string         // ISO 4217 code of the statements' home currency
	Location *time.Location // the zone that decides local dates there (D3)
}

// Rules are the settings a statement depends on. A loaded program
// (referralrules.Program) builds them from rules.yaml; the zero value of
// each setting is not the program default, so build Rules from a program
// or set every field.
type Rules struct {
	Levels tier.Table
	// Countries where the program runs, by code.
	Countries map[string]Country
	// Currencies the program knows, by ISO 4217 code, with the number of
	// minor digits each allows (D12).
	Currencies map[string]int

	GraceDays         int      // days a payment keeps covering after its period ends (D2)
	WindowMonths      int      // commission only within this many months of the first purchase (D5)
	PayoutDelayMonths int      // a month's statement is payable this many months later (D11)
	Rounding          Rounding // how the commission is rounded (D7)
	// ExcludePromotedSales leaves payments that carry a promotion out of
	// the base: promotions do not stack (D5).
	ExcludePromotedSales bool
	// RequireActivation accrues commission only for months whose last day
	// is on or after the accountant's activation date (D10).
	RequireActivation bool
	// Payout is the form the commission is paid in, "service_credit" by
	// default (D11).
	Payout string
}

// MinorUnits reports the minor digits of a currency the program knows;
// with it, *Rules satisfies referral.Currencies.
func (r *Rules) MinorUnits(code string) (int, bool) {
	d, ok := r.Currencies[code]
	return d, ok
}
