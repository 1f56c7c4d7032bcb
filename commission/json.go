package commission

import (
	"encoding/json"

	"github.com/caba1337/referralrules/referral"
)

// statementJSON is the JSON shape of a Statement: amounts are strings with
// the currency's minor digits, never numbers.
type statementJSON struct {
	AccountantID        string         `json:"accountant_id"`
	Country             string         `json:"country"`
	Month               referral.Month `json:"month"`
	Currency            string         `json:"currency"`
	Level               int            `json:"level"`
	ActivePaidReferrals int            `json:"active_paid_referrals"`
	Rate                string         `json:"rate"`
	Base                string         `json:"base"`
	Commission          string         `json:"commission"`
	Adjustments         string         `json:"adjustments"`
	Net                 string         `json:"net"`
	PayableMonth        referral.Month `json:"payable_month"`
	Payout              string         `json:"payout"`
	Reason              Reason         `json:"reason"`
	Lines               []lineJSON     `json:"lines"`
	RulesVersion        string         `json:"rules_version,omitempty"`
	RulesChecksum       string         `json:"rules_checksum,omitempty"`
}

type lineJSON struct {
	PaymentID string `json:"payment_id"`
	ClientID  string `json:"client_id"`
	Amount    string `json:"amount"`
	Share     string `json:"share"`
	Reason    Reason `json:"reason"`
}

// MarshalJSON writes st with snake_case names as in statements.csv, the
// rate as a fraction string and amounts as strings with the currency's
// minor digits, and its lines under "lines"; rules_version and
// rules_checksum only when set.
func (st Statement) MarshalJSON() ([]byte, error) {
	out := statementJSON{
		AccountantID: st.AccountantID, Country: st.Country, Month: st.Month,
		Currency: st.Currency, Level: st.Level, ActivePaidReferrals: st.ActivePaidReferrals,
		Rate: st.Rate.String(), Base: st.money(st.Base), Commission: st.money(st.Commission),
		Adjustments: st.money(st.Adjustments), Net: st.money(st.Net),
		PayableMonth: st.PayableMonth, Payout: st.Payout, Reason: st.Reason,
		Lines:        make([]lineJSON, len(st.Lines)),
		RulesVersion: st.RulesVersion, RulesChecksum: st.RulesChecksum,
	}
	for i, ln := range st.Lines {
		out.Lines[i] = lineJSON{
			PaymentID: ln.PaymentID, ClientID: ln.ClientID,
			Amount: st.money(ln.Amount), Share: st.money(ln.Share), Reason: ln.Reason,
		}
	}
	return json.Marshal(out)
}
