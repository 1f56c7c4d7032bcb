package referralrules

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

// DiffHeader is the header of a Report's rows in CSV (Report.WriteCSV).
var DiffHeader = []string{"accountant_id", "country", "month", "currency", "change",
	"old_level", "new_level", "old_commission", "new_commission", "old_net", "new_net",
	"difference", "benefits_gained", "benefits_lost"}

// WriteCSV writes the rows of r, one per line under DiffHeader: amounts
// with exactly their currency's minor digits, benefit ids joined by spaces.
// The totals and the changes of the rules are in the JSON form only.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(DiffHeader); err != nil {
		return err
	}
	for _, row := range r.Rows {
		if err := cw.Write(row.record()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (row DiffRow) record() []string {
	m := func(d decimal.Decimal) string { return d.StringFixed(int32(row.Digits)) }
	return []string{row.AccountantID, row.Country, row.Month.String(), row.Currency,
		string(row.Change), strconv.Itoa(row.OldLevel), strconv.Itoa(row.NewLevel),
		m(row.OldCommission), m(row.NewCommission), m(row.OldNet), m(row.NewNet),
		m(row.Difference), strings.Join(row.BenefitsGained, " "), strings.Join(row.BenefitsLost, " ")}
}

// MarshalJSON writes row with the names of DiffHeader, amounts as strings
// with the currency's minor digits and benefits as lists.
func (row DiffRow) MarshalJSON() ([]byte, error) {
	m := func(d decimal.Decimal) string { return d.StringFixed(int32(row.Digits)) }
	return json.Marshal(struct {
		AccountantID   string         `json:"accountant_id"`
		Country        string         `json:"country"`
		Month          referral.Month `json:"month"`
		Currency       string         `json:"currency"`
		Change         Change         `json:"change"`
		OldLevel       int            `json:"old_level"`
		NewLevel       int            `json:"new_level"`
		OldCommission  string         `json:"old_commission"`
		NewCommission  string         `json:"new_commission"`
		OldNet         string         `json:"old_net"`
		NewNet         string         `json:"new_net"`
		Difference     string         `json:"difference"`
		BenefitsGained []string       `json:"benefits_gained"`
		BenefitsLost   []string       `json:"benefits_lost"`
	}{row.AccountantID, row.Country, row.Month, row.Currency, row.Change, row.OldLevel,
		row.NewLevel, m(row.OldCommission), m(row.NewCommission), m(row.OldNet), m(row.NewNet),
		m(row.Difference), orEmpty(row.BenefitsGained), orEmpty(row.BenefitsLost)})
}

// MarshalJSON writes t with amounts as strings with the currency's minor
// digits.
func (t DiffTotal) MarshalJSON() ([]byte, error) {
	m := func(d decimal.Decimal) string { return d.StringFixed(int32(t.Digits)) }
	return json.Marshal(struct {
		Country     string `json:"country"`
		Currency    string `json:"currency"`
		Accountants int    `json:"accountants"`
		Up          string `json:"up"`
		Down        string `json:"down"`
		Net         string `json:"net"`
	}{t.Country, t.Currency, t.Accountants, m(t.Up), m(t.Down), m(t.Net)})
}

// MarshalJSON writes c as {"from", "to", "changes"}.
func (c RulesChange) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		From    referral.Month `json:"from"`
		To      referral.Month `json:"to"`
		Changes []string       `json:"changes"`
	}{c.From, c.To, orEmpty(c.Lines)})
}

// MarshalJSON writes r as {"from", "to", "rules", "rows", "totals"}, with
// empty lists rather than null.
func (r Report) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		From   referral.Month `json:"from"`
		To     referral.Month `json:"to"`
		Rules  []RulesChange  `json:"rules"`
		Rows   []DiffRow      `json:"rows"`
		Totals []DiffTotal    `json:"totals"`
	}{r.From, r.To, orEmpty(r.Rules), orEmpty(r.Rows), orEmpty(r.Totals)})
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
