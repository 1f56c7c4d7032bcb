package referralrules

import (
	"github.com/caba1337/referralrules/benefits"
	"github.com/caba1337/referralrules/referral"
)

// ActivationRules returns what package benefits decides activation
// requests on with this program: its version, levels, benefit catalogue,
// countries (with their names, currencies and zones) and settings. Each
// call returns a fresh copy.
func (p *Program) ActivationRules() benefits.Rules {
	countries := make(map[string]benefits.Country, len(p.countries))
	for code, c := range p.countries {
		countries[code] = benefits.Country{
			Code: code, Name: p.names[code], Currency: c.Currency,
			MinorUnits: p.currencies[c.Currency], Location: c.Location,
		}
	}
	s := p.settings
	return benefits.Rules{
		Version:           p.version,
		Levels:            p.levels,
		Catalog:           p.benefits,
		Countries:         countries,
		GraceDays:         s.GraceDays,
		WindowMonths:      s.WindowMonths,
		PayoutDelayMonths: s.PayoutDelayMonths,
		Payout:            s.Payout,
		RequireActivation: s.RequireActivation,
	}
}

// Evaluate answers the activation request of the accountant with the given
// id on local day day of its country, against the version of this program
// in force in day's month and the data ds (SPEC section 4): approved at a
// level, insufficient referrals, country not in the program, or not
// registered. See benefits.Evaluate; an error means a mistake of the caller
// (an empty id, a zero day, a nil ds, a day before the first version of
// the rules), never a refusal.
func (p *Program) Evaluate(ds *referral.Dataset, accountantID string,
	day referral.Date) (benefits.Answer, error) {
	v, err := p.on(day)
	if err != nil {
		return benefits.Answer{}, err
	}
	req := benefits.Request{AccountantID: accountantID, Day: day}
	return benefits.Evaluate(v.ActivationRules(), ds, req)
}

// Select checks the benefits an approved accountant selected, against the
// catalogue of the version that answered (the one in force on the answer's
// day), and returns its activation. See benefits.Catalog.Select for the
// refusals and their errors.
func (p *Program) Select(a benefits.Answer, ids []string) (benefits.Activation, error) {
	v, err := p.on(a.Day)
	if err != nil {
		v = p // the answer's own checks refuse it
	}
	return v.benefits.Select(a, ids)
}

// on returns the version in force on day, or p itself for the zero day,
// which the callers' own checks refuse.
func (p *Program) on(day referral.Date) (*Program, error) {
	if day.IsZero() {
		return p, nil
	}
	return p.At(day.Month())
}
