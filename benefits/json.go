package benefits

import (
	"encoding/json"

	"github.com/caba1337/referralrules/referral"
)

// answerJSON is the JSON form of an Answer: flat, snake_case, amounts and
// rates as strings, benefits by id.
type answerJSON struct {
	AccountantID        string                  `json:"accountant_id"`
	Day                 referral.Date           `json:"day"`
	Status              Status                  `json:"status"`
	RulesVersion        string                  `json:"rules_version"`
	Listed              bool                    `json:"listed"`
	Registered          bool                    `json:"registered"`
	Country             string                  `json:"country"`
	ActivatedOn         referral.Date           `json:"activated_on,omitzero"`
	Level               int                     `json:"level"`
	ActivePaidReferrals int                     `json:"active_paid_referrals"`
	MissingForLevel1    int                     `json:"missing_for_level_1"`
	NextLevel           int                     `json:"next_level"`
	MissingForNextLevel int                     `json:"missing_for_next_level"`
	Benefits            []string                `json:"benefits"`
	Terms               *termsJSON              `json:"terms,omitempty"`
	Clients             Summary                 `json:"clients"`
	Recoverable         []referral.ClientStatus `json:"recoverable_clients"`
}

// termsJSON is the JSON form of Terms.
type termsJSON struct {
	Rate              string         `json:"rate"`
	Currency          string         `json:"currency"`
	Payout            string         `json:"payout"`
	PayoutDelayMonths int            `json:"payout_delay_months"`
	FirstPayableMonth referral.Month `json:"first_payable_month"`
	WindowMonths      int            `json:"window_months"`
	GraceDays         int            `json:"grace_days"`
	RequireActivation bool           `json:"require_activation"`
}

// MarshalJSON writes a as one flat object whose first fields are those of
// the CLI's evaluate command (accountant_id, day, status, level,
// active_paid_referrals, missing_for_level_1, next_level,
// missing_for_next_level, benefits as ids), followed by the facts the
// answer was decided on: rules_version, listed, registered, country,
// activated_on, terms (approved only; the rate as a decimal string such as
// "0.15"), clients (the summary) and recoverable_clients. Lists are never
// null.
func (a Answer) MarshalJSON() ([]byte, error) {
	out := answerJSON{
		AccountantID: a.AccountantID, Day: a.Day, Status: a.Status, RulesVersion: a.RulesVersion,
		Listed: a.Listed, Registered: a.Registered, Country: a.CountryCode, ActivatedOn: a.ActivatedOn,
		Level: a.Level.Number, ActivePaidReferrals: a.Active, MissingForLevel1: a.MissingForFirstLevel,
		NextLevel: a.NextLevel.Number, MissingForNextLevel: a.MissingForNextLevel,
		Benefits: IDs(a.Benefits), Clients: a.Clients, Recoverable: a.Recoverable,
	}
	if out.Clients.NotCounted == nil {
		out.Clients.NotCounted = []ReasonCount{}
	}
	if out.Recoverable == nil {
		out.Recoverable = []referral.ClientStatus{}
	}
	if a.Status == Approved {
		t := a.Terms
		out.Terms = &termsJSON{
			Rate: t.Rate.String(), Currency: t.Currency, Payout: t.Payout,
			PayoutDelayMonths: t.PayoutDelayMonths, FirstPayableMonth: t.FirstPayableMonth,
			WindowMonths: t.WindowMonths, GraceDays: t.GraceDays, RequireActivation: t.RequireActivation,
		}
	}
	return json.Marshal(out)
}

// IDs returns the ids of bs, in order; an empty list, never nil.
func IDs(bs []Benefit) []string {
	ids := make([]string, len(bs))
	for i, b := range bs {
		ids[i] = b.ID
	}
	return ids
}

// Reply is the short form of an answer and its email, the fields a caller
// of the program's command line (evaluate --format json) or HTTP service
// (POST /v1/activation-requests) reads. Level, NextLevel are numbers, 0 for
// none; Benefits are the ids of the level's benefits.
type Reply struct {
	AccountantID        string        `json:"accountant_id"`
	Day                 referral.Date `json:"day"`
	Status              Status        `json:"status"`
	Level               int           `json:"level"`
	ActivePaidReferrals int           `json:"active_paid_referrals"`
	MissingForLevel1    int           `json:"missing_for_level_1"`
	NextLevel           int           `json:"next_level"`
	MissingForNextLevel int           `json:"missing_for_next_level"`
	Benefits            []string      `json:"benefits"`
	Email               Email         `json:"email"`
}

// NewReply returns the short form of answer a with its email e.
func NewReply(a Answer, e Email) Reply {
	return Reply{
		AccountantID: a.AccountantID, Day: a.Day, Status: a.Status, Level: a.Level.Number,
		ActivePaidReferrals: a.Active, MissingForLevel1: a.MissingForFirstLevel,
		NextLevel: a.NextLevel.Number, MissingForNextLevel: a.MissingForNextLevel,
		Benefits: IDs(a.Benefits), Email: e,
	}
}
