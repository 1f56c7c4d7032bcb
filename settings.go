package referralrules

import (
	"github.com/caba1337/referralrules/commission"
	"gopkg.in/yaml.v3"
)

// Settings are the fine points of a program that rules.yaml decides. The
// zero Settings is not the program's default; take them from a Program.
type Settings struct {
	// GraceDays is how many days a payment keeps covering its client after
	// its period ends (D2); 0 to 365, default 0.
	GraceDays int
	// WindowMonths: only payments within this many months of the client's
	// first purchase earn commission (D5); 1 to 120, default 12.
	WindowMonths int
	// PayoutDelayMonths: a month's statement is payable this many months
	// later (D11); 0 to 12, default 1.
	PayoutDelayMonths int
	// Rounding is how a month's commission is rounded to its currency's
	// minor units (D7); default half_up.
	Rounding commission.Rounding
	// ExcludePromotedSales leaves payments that carry a promotion out of
	// the commission base (D5); default true.
	ExcludePromotedSales bool
	// RequireActivation accrues commission only for months that end on or
	// after the accountant's activation (D10); default true.
	RequireActivation bool
	// Payout is the form a commission is paid in (D11); the only kind, and
	// so the default, is PayoutServiceCredit.
	Payout string
}

// settings decodes the settings block; every setting is required.
func (d *decoder) settings(n *yaml.Node) Settings {
	var s Settings
	f := d.fields(n, "settings", []string{
		"grace_days", "window_months", "payout_delay_months", "rounding",
		"exclude_promoted_sales", "require_activation", "payout",
	}, nil)
	if f == nil {
		return s
	}
	s.GraceDays = d.setting(f, "grace_days", 0, maxGraceDays)
	s.WindowMonths = d.setting(f, "window_months", 1, maxWindow)
	s.PayoutDelayMonths = d.setting(f, "payout_delay_months", 0, maxPayoutDelay)
	s.ExcludePromotedSales = d.flag(f, "exclude_promoted_sales")
	s.RequireActivation = d.flag(f, "require_activation")
	if n := f["rounding"]; n != nil {
		s.Rounding = d.rounding(n)
	}
	if n := f["payout"]; n != nil {
		s.Payout = d.payout(n)
	}
	return s
}

// setting decodes the whole-number setting name, between lo and hi.
func (d *decoder) setting(f map[string]*yaml.Node, name string, lo, hi int) int {
	n, path := f[name], join("settings", name)
	if n == nil {
		return 0
	}
	v, ok := d.whole(n, path)
	switch {
	case !ok:
	case v < 0:
		d.report(n, path, ErrSettingRange,
			"%d is negative; write a whole number from %d to %d", v, lo, hi)
	case v < lo || v > hi:
		d.report(n, path, ErrSettingRange, "must be %d to %d, not %d", lo, hi, v)
	}
	return v
}

// flag decodes the true-or-false setting name.
func (d *decoder) flag(f map[string]*yaml.Node, name string) bool {
	n := f[name]
	if n == nil {
		return false
	}
	v, _ := d.boolean(n, join("settings", name))
	return v
}

// rounding decodes the rounding setting.
func (d *decoder) rounding(n *yaml.Node) commission.Rounding {
	s, ok := d.text(n, "settings.rounding")
	if !ok {
		return 0
	}
	r, err := commission.ParseRounding(s)
	if err != nil {
		d.report(n, "settings.rounding", ErrRounding,
			"unknown rounding mode %q; use half_up or half_even", s)
	}
	return r
}

// payout decodes the payout setting.
func (d *decoder) payout(n *yaml.Node) string {
	s, ok := d.text(n, "settings.payout")
	if ok && s != PayoutServiceCredit {
		d.report(n, "settings.payout", ErrPayout,
			"unknown payout kind %q; the only kind is %s", s, PayoutServiceCredit)
	}
	return s
}
