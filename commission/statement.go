// Package commission computes the monthly commission statements of the
// accountants' referral program.
//
// A statement is what one accountant earned in one month in one currency.
// Its level comes from the active paid referrals on the last local day of
// the month (D4); its base is the sum of the month's eligible payments of
// the accountant's referred clients (D5); its commission is the level's
// rate times the base, rounded once to the currency's minor units (D7); and
// every payment line shows the share of that commission it earned, the
// shares adding up to the commission exactly (D8), or the reason it earned
// nothing. A refund that arrives after its payment's month was closed
// becomes a negative adjustment in the month of the refund (D9). A closed
// month uses only what was known at its close, so its statement never
// changes when later data arrives.
//
// The decisions D1–D12 and fine points F1–F16 named in the comments are
// those of the program definition (SPEC.md).
package commission

import (
	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

// Reason says why a statement or a line earns nothing.
type Reason string

// Statement reasons, checked in this order (F10).
const (
	NotActivated Reason = "not_activated" // activation after the month's last day (D10)
	NoLevel      Reason = "no_level"      // fewer active paid referrals than the first level
)

// Line reasons, checked in this order after NotLinked..OutsideFirstYear,
// then the statement's own reason (F7).
const (
	NotLinked        Reason = "not_linked"         // the client was not linked at paid_at (F3)
	Refunded         Reason = "refunded"           // refunded by the close of the month (D5)
	Promoted         Reason = "promoted"           // carries another promotion (D5)
	OutsideFirstYear Reason = "outside_first_year" // after the first-purchase window (D5, F4)
	RefundAdjustment Reason = "refund_adjustment"  // a later refund of an earning payment (D9)
)

// Statement is one accountant's commission for one month in one currency.
type Statement struct {
	AccountantID string
	Country      string
	Month        referral.Month
	Currency     string
	// Digits is the currency's minor units: amounts are written with this
	// many decimals.
	Digits int
	// Level is the level number at the month's last local day, 0 for none.
	Level int
	// ActivePaidReferrals is the count that decided Level (D2, D4).
	ActivePaidReferrals int
	// Rate is the level's rate as a fraction (0.1 for 10%), shown even when
	// the statement earns nothing; 0 at level 0 (F7).
	Rate decimal.Decimal
	// Base is the sum of the eligible payments (D5), even when the statement
	// earns nothing (F7).
	Base decimal.Decimal
	// Commission is Rate x Base rounded once to the currency's minor units
	// (D7), or 0 when the statement has a Reason.
	Commission decimal.Decimal
	// Adjustments is the sum of the refund adjustment lines (D9), 0 or less.
	Adjustments decimal.Decimal
	// Net is Commission plus Adjustments; it can be negative.
	Net decimal.Decimal
	// PayableMonth is the month the net is paid in (D11).
	PayableMonth referral.Month
	// Payout is how it is paid: "service_credit" by default (D11).
	Payout string
	// Reason is why the statement earns nothing, empty when it earns.
	Reason Reason
	// Lines are the month's payments of the accountant's clients in this
	// currency by payment ID, then the refund adjustments by payment ID.
	Lines []Line
	// RulesVersion and RulesChecksum name the version of the rules the
	// statement was computed with: its id and the checksum of its content
	// (see referralrules.Program.Versions). Compute leaves them empty; a
	// program's Statements fills them in. They are not columns of the flat
	// CSV form.
	RulesVersion  string
	RulesChecksum string
}

// Line is one payment in a statement: its share of the commission, or the
// reason it earned nothing. A refund adjustment line carries the refunded
// payment's original amount and minus the share it earned.
type Line struct {
	PaymentID string
	ClientID  string
	Amount    decimal.Decimal
	Share     decimal.Decimal
	// Reason is empty for a line that earns (even a share of 0).
	Reason Reason
}
