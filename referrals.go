package referralrules

import "github.com/caba1337/referralrules/referral"

// Referrals is an accountant's active paid referrals on a local day, client
// by client, placed on a level: the answer of the command line's
// "referrals --format json" and of the HTTP service's POST
// /v1/referrals/count. Level and NextLevel are 0 where there is none.
type Referrals struct {
	AccountantID        string                  `json:"accountant_id"`
	Day                 referral.Date           `json:"day"`
	ActivePaidReferrals int                     `json:"active_paid_referrals"`
	Level               int                     `json:"level"`
	NextLevel           int                     `json:"next_level"`
	MissingForNextLevel int                     `json:"missing_for_next_level"`
	Clients             []referral.ClientStatus `json:"clients"`
}

// Referrals counts the active paid referrals of an accountant of ds on a
// local day (see CountActive) and places the count on the levels of the
// version of the rules in force that day (D1, D2).
func (p *Program) Referrals(ds *referral.Dataset, accountantID string, day referral.Date) (Referrals, error) {
	count, err := p.CountActive(ds, accountantID, day)
	if err != nil {
		return Referrals{}, err
	}
	v, err := p.on(day)
	if err != nil {
		return Referrals{}, err
	}
	out := Referrals{AccountantID: count.AccountantID, Day: day,
		ActivePaidReferrals: count.Active, Clients: count.Clients}
	if lv, ok := v.levels.Lookup(count.Active); ok {
		out.Level = lv.Number
	}
	if next, missing, ok := v.levels.Next(count.Active); ok {
		out.NextLevel, out.MissingForNextLevel = next.Number, missing
	}
	return out, nil
}
