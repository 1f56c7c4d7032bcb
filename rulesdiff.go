package referralrules

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/caba1337/referralrules/referral"
	"github.com/caba1337/referralrules/tier"
	"github.com/shopspring/decimal"
)

// rulesChanges describes what differs between the versions of oldP and
// newP in force over months from through to, per run of months where the
// same two versions are in force, leaving out runs where nothing differs.
func rulesChanges(oldP, newP *Program, from, to referral.Month) ([]RulesChange, error) {
	var out []RulesChange
	var prevO, prevN *Program
	for m := from; m <= to; m++ {
		o, err := oldP.At(m)
		if err != nil {
			return nil, fmt.Errorf("old rules: %w", err)
		}
		n, err := newP.At(m)
		if err != nil {
			return nil, fmt.Errorf("new rules: %w", err)
		}
		if o == prevO && n == prevN {
			if len(out) > 0 && out[len(out)-1].To == m-1 {
				out[len(out)-1].To = m
			}
			continue
		}
		prevO, prevN = o, n
		lines := Describe(o, n)
		if len(lines) == 0 {
			continue
		}
		last := len(out) - 1
		if last >= 0 && out[last].To == m-1 && slices.Equal(out[last].Lines, lines) {
			out[last].To = m
			continue
		}
		out = append(out, RulesChange{From: m, To: m, Lines: lines})
	}
	return out, nil
}

// Describe returns, in plain words, what differs between two versions of
// the program, one sentence per change: the version id, currencies,
// countries, levels (bounds, rates, benefits), the benefit catalogue and
// the settings, in that order. Of a file, it compares the last versions.
// Identical versions give none.
func Describe(oldV, newV *Program) []string {
	var out []string
	if oldV.version != newV.version {
		out = append(out, fmt.Sprintf("Version: %s → %s", oldV.version, newV.version))
	}
	out = append(out, describeCurrencies(oldV, newV)...)
	out = append(out, describeCountries(oldV, newV)...)
	out = append(out, describeLevels(oldV, newV)...)
	out = append(out, describeCatalogue(oldV, newV)...)
	return append(out, describeSettings(oldV.settings, newV.settings)...)
}

// union returns the keys of a and b, sorted.
func union[V any](a, b map[string]V) []string {
	keys := slices.Collect(maps.Keys(a))
	keys = append(keys, slices.Collect(maps.Keys(b))...)
	slices.Sort(keys)
	return slices.Compact(keys)
}

func describeCurrencies(o, n *Program) []string {
	var out []string
	for _, code := range union(o.currencies, n.currencies) {
		om, inO := o.currencies[code]
		nm, inN := n.currencies[code]
		switch {
		case !inO:
			out = append(out, fmt.Sprintf("Currency %s added, with %d decimals", code, nm))
		case !inN:
			out = append(out, fmt.Sprintf("Currency %s removed", code))
		case om != nm:
			out = append(out, fmt.Sprintf("Currency %s decimals: %d → %d", code, om, nm))
		}
	}
	return out
}

func describeCountries(o, n *Program) []string {
	var out []string
	for _, code := range union(o.countries, n.countries) {
		oc, inO := o.countries[code]
		nc, inN := n.countries[code]
		switch {
		case !inO:
			out = append(out, fmt.Sprintf("Country added: %s (%s), paid in %s, time zone %s",
				n.names[code], code, nc.Currency, nc.Location))
			continue
		case !inN:
			out = append(out, fmt.Sprintf("Country removed: %s (%s)", o.names[code], code))
			continue
		}
		name := fmt.Sprintf("%s (%s)", n.names[code], code)
		if o.names[code] != n.names[code] {
			out = append(out, fmt.Sprintf("Country %s name: %s → %s", code, o.names[code], n.names[code]))
		}
		if oc.Currency != nc.Currency {
			out = append(out, fmt.Sprintf("%s currency: %s → %s", name, oc.Currency, nc.Currency))
		}
		if oc.Location.String() != nc.Location.String() {
			out = append(out, fmt.Sprintf("%s time zone: %s → %s", name, oc.Location, nc.Location))
		}
	}
	return out
}

func describeLevels(o, n *Program) []string {
	var out []string
	for num := 1; num <= max(o.levels.Len(), n.levels.Len()); num++ {
		ol, inO := o.levels.Level(num)
		nl, inN := n.levels.Level(num)
		switch {
		case !inO:
			out = append(out, fmt.Sprintf("Level %d added: %s referrals, %s, benefits %s",
				num, bounds(nl), percent100(nl.Rate), strings.Join(n.levelIDs(num), ", ")))
			continue
		case !inN:
			out = append(out, fmt.Sprintf("Level %d removed (was %s referrals, %s)",
				num, bounds(ol), percent100(ol.Rate)))
			continue
		}
		if ol.Min != nl.Min || ol.Max != nl.Max {
			out = append(out, fmt.Sprintf("Level %d referrals: %s → %s", num, bounds(ol), bounds(nl)))
		}
		if !ol.Rate.Equal(nl.Rate) {
			out = append(out, fmt.Sprintf("Level %d rate: %s → %s",
				num, percent100(ol.Rate), percent100(nl.Rate)))
		}
		oldIDs, newIDs := o.levelIDs(num), n.levelIDs(num)
		gained, lost := without(newIDs, oldIDs), without(oldIDs, newIDs)
		var parts []string
		if len(gained) > 0 {
			parts = append(parts, "gains "+strings.Join(gained, ", "))
		}
		if len(lost) > 0 {
			parts = append(parts, "loses "+strings.Join(lost, ", "))
		}
		if len(parts) > 0 {
			out = append(out, fmt.Sprintf("Level %d benefits: %s", num, strings.Join(parts, "; ")))
		}
	}
	return out
}

// levelIDs returns the ids of the benefits of level num.
func (p *Program) levelIDs(num int) []string {
	var ids []string
	for _, b := range p.benefits.ForLevel(num) {
		ids = append(ids, b.ID)
	}
	return ids
}

// bounds writes the referrals of a level: "9 to 12", "26 or more".
func bounds(l tier.Level) string {
	if l.Max == 0 {
		return fmt.Sprintf("%d or more", l.Min)
	}
	return fmt.Sprintf("%d to %d", l.Min, l.Max)
}

// percent100 writes a rate as a percentage: "15%".
func percent100(r decimal.Decimal) string { return r.Shift(2).String() + "%" }

func describeCatalogue(o, n *Program) []string {
	var out []string
	oldB, newB := o.benefits.All(), n.benefits.All()
	for _, b := range newB {
		ob, ok := o.benefits.Get(b.ID)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("Benefit %s added (%s): %s", b.ID, b.Category, b.English))
		case ob.Category != b.Category:
			out = append(out, fmt.Sprintf("Benefit %s category: %s → %s", b.ID, ob.Category, b.Category))
		}
		if ok && ob.English != b.English {
			out = append(out, fmt.Sprintf("Benefit %s English text: %q → %q", b.ID, ob.English, b.English))
		}
		if ok && ob.Spanish != b.Spanish {
			out = append(out, fmt.Sprintf("Benefit %s Spanish text: %q → %q", b.ID, ob.Spanish, b.Spanish))
		}
	}
	for _, b := range oldB {
		if _, ok := n.benefits.Get(b.ID); !ok {
			out = append(out, fmt.Sprintf("Benefit %s removed", b.ID))
		}
	}
	return out
}

func describeSettings(o, n Settings) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if o.GraceDays != n.GraceDays {
		add("Grace days after a paid period: %d → %d", o.GraceDays, n.GraceDays)
	}
	if o.WindowMonths != n.WindowMonths {
		add("Months after a client's first purchase that earn commission: %d → %d",
			o.WindowMonths, n.WindowMonths)
	}
	if o.PayoutDelayMonths != n.PayoutDelayMonths {
		add("Months until a statement is paid: %d → %d", o.PayoutDelayMonths, n.PayoutDelayMonths)
	}
	if o.Rounding != n.Rounding {
		add("Rounding: %s → %s", o.Rounding, n.Rounding)
	}
	if o.ExcludePromotedSales != n.ExcludePromotedSales {
		add("Sales with another promotion: %s → %s",
			yesNo(o.ExcludePromotedSales, "excluded", "counted"),
			yesNo(n.ExcludePromotedSales, "excluded", "counted"))
	}
	if o.RequireActivation != n.RequireActivation {
		add("Commission before activation: %s → %s",
			yesNo(o.RequireActivation, "not paid", "paid"), yesNo(n.RequireActivation, "not paid", "paid"))
	}
	if o.Payout != n.Payout {
		add("Payout: %s → %s", o.Payout, n.Payout)
	}
	return out
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
