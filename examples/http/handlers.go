package main

import (
	_ "embed"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
)

// Bounds of a statements request, so that one request cannot ask for
// unbounded work: the month range, and accountants times months.
const (
	maxMonths     = 120
	maxStatements = 100_000
)

//go:embed openapi.json
var openAPIDocument []byte

// healthz answers that the process is up; it needs no rules.
func (s *service) healthz(w http.ResponseWriter, _ *http.Request, _ *referralrules.Program) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// openAPI serves the OpenAPI document, embedded from openapi.json.
func (s *service) openAPI(w http.ResponseWriter, _ *http.Request, _ *referralrules.Program) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(openAPIDocument) // an error means the client left: no one is left to tell
	return nil
}

// program answers a summary of the rules serving.
func (s *service) program(w http.ResponseWriter, _ *http.Request, p *referralrules.Program) error {
	return writeJSON(w, http.StatusOK, summarize(p))
}

// countReferrals counts one accountant's active paid referrals on a day
// (D2), client by client, and places the count on a level.
func (s *service) countReferrals(w http.ResponseWriter, r *http.Request,
	p *referralrules.Program) error {
	body, err := readJSON(w, r, s.limits.maxBody)
	if err != nil {
		return err
	}
	obj, errs := fieldsOf(body, "accountant_id", "day", "data")
	id, fe1 := obj.text("accountant_id", true)
	day, fe2 := obj.date("day")
	ds, dataErrs := obj.dataset("data", p)
	if errs = collect(errs, fe1, fe2); len(errs)+len(dataErrs) > 0 {
		return append(errs, dataErrs...)
	}
	if _, err := countryOf(p, ds, id); err != nil {
		return err
	}
	rep, err := p.Referrals(ds, id, day)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

// countryOf returns the program country of the accountant id of ds.
func countryOf(p *referralrules.Program, ds *referral.Dataset,
	id string) (commission.Country, error) {
	acc, ok := ds.Accountant(id)
	if !ok {
		return commission.Country{}, fieldError("accountant_id", id,
			problemf(errUnprocessed, "accountant %q is not in data.accountants", id))
	}
	country, ok := p.Country(acc.Country)
	if !ok {
		return commission.Country{}, fieldError("accountant_id", id,
			problemf(errUnprocessed, "accountant %s is in %s, a country where the program does not run",
				id, acc.Country))
	}
	return country, nil
}

// collect appends the problems that are not nil to errs.
func collect(errs referral.Errors, fes ...*referral.FieldError) referral.Errors {
	for _, fe := range fes {
		if fe != nil {
			errs = append(errs, fe)
		}
	}
	return errs
}

// statementsReport is the answer of POST /v1/statements.
type statementsReport struct {
	From       referral.Month         `json:"from"`
	To         referral.Month         `json:"to"`
	Statements []commission.Statement `json:"statements"`
}

// statements computes the monthly statements of every registered
// accountant of a program country in the data, for months from to to.
func (s *service) statements(w http.ResponseWriter, r *http.Request,
	p *referralrules.Program) error {
	body, err := readJSON(w, r, s.limits.maxBody)
	if err != nil {
		return err
	}
	obj, errs := fieldsOf(body, "from", "to", "data")
	from, fe1 := obj.month("from", true, 0)
	to, fe2 := obj.month("to", false, from)
	ds, dataErrs := obj.dataset("data", p)
	if errs = collect(errs, fe1, fe2); len(errs)+len(dataErrs) > 0 {
		return append(errs, dataErrs...)
	}
	if err := checkRange(p, ds, from, to); err != nil {
		return err
	}

	sts, err := p.Statements(ds, from, to)
	if err != nil {
		return err
	}
	if sts == nil {
		sts = []commission.Statement{}
	}
	return writeJSON(w, http.StatusOK, statementsReport{From: from, To: to, Statements: sts})
}

// checkRange refuses a month range that is reversed, longer than
// maxMonths, or that would make more than maxStatements statements.
func checkRange(p *referralrules.Program, ds *referral.Dataset, from, to referral.Month) error {
	months := int(to-from) + 1
	switch {
	case to < from:
		return fieldError("to", to.String(),
			problemf(commission.ErrMonthRange, "to %s is before from %s", to, from))
	case months > maxMonths:
		return fieldError("to", to.String(),
			problemf(errUnprocessed, "%d months asked for; at most %d at once", months, maxMonths))
	}
	n := 0
	for _, acc := range ds.Accountants() {
		if _, ok := p.Country(acc.Country); ok && acc.Registered {
			n++
		}
	}
	if n*months > maxStatements {
		return fieldError("to", to.String(), fmt.Errorf(
			"%w: %d accountants over %d months make more than %d statements; ask for fewer months",
			errUnprocessed, n, months, maxStatements))
	}
	return nil
}

// programSummary is the answer of GET /v1/program.
type programSummary struct {
	Version    string         `json:"version"`
	Checksum   string         `json:"checksum"`
	Countries  []countryJSON  `json:"countries"`
	Currencies []currencyJSON `json:"currencies"`
	Levels     []levelJSON    `json:"levels"`
	Benefits   []benefitJSON  `json:"benefits"`
	Settings   settingsJSON   `json:"settings"`
}

type countryJSON struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Currency string `json:"currency"`
	TimeZone string `json:"time_zone"`
}

type currencyJSON struct {
	Code       string `json:"code"`
	MinorUnits int    `json:"minor_units"`
}

type levelJSON struct {
	Number int    `json:"number"`
	Min    int    `json:"min"`
	Max    int    `json:"max,omitempty"` // left out on an open-ended level
	Rate   string `json:"rate"`          // a fraction: "0.1" for 10%
	// Benefits are the ids of the level's benefits, in listed order.
	Benefits []string `json:"benefits"`
}

type benefitJSON struct {
	ID       string            `json:"id"`
	Category string            `json:"category"`
	Text     map[string]string `json:"text"` // by language: es, en
}

type settingsJSON struct {
	GraceDays            int    `json:"grace_days"`
	WindowMonths         int    `json:"window_months"`
	PayoutDelayMonths    int    `json:"payout_delay_months"`
	Rounding             string `json:"rounding"`
	ExcludePromotedSales bool   `json:"exclude_promoted_sales"`
	RequireActivation    bool   `json:"require_activation"`
	Payout               string `json:"payout"`
}

// summarize describes p for GET /v1/program.
func summarize(p *referralrules.Program) programSummary {
	out := programSummary{Version: p.Version(), Checksum: p.Checksum()}
	for _, c := range p.Countries() {
		name, _ := p.CountryName(c.Code)
		out.Countries = append(out.Countries, countryJSON{Code: c.Code, Name: name,
			Currency: c.Currency, TimeZone: c.Location.String()})
	}
	curs := p.Currencies()
	for _, code := range slices.Sorted(maps.Keys(curs)) {
		out.Currencies = append(out.Currencies, currencyJSON{Code: code, MinorUnits: curs[code]})
	}
	cat := p.Benefits()
	for _, l := range p.Levels().Levels() {
		lj := levelJSON{Number: l.Number, Min: l.Min, Max: l.Max, Rate: l.Rate.String(),
			Benefits: []string{}}
		for _, b := range cat.ForLevel(l.Number) {
			lj.Benefits = append(lj.Benefits, b.ID)
		}
		out.Levels = append(out.Levels, lj)
	}
	for _, b := range cat.All() {
		out.Benefits = append(out.Benefits, benefitJSON{ID: b.ID, Category: b.Category,
			Text: map[string]string{"es": b.Spanish, "en": b.English}})
	}
	st := p.Settings()
	out.Settings = settingsJSON{GraceDays: st.GraceDays, WindowMonths: st.WindowMonths,
		PayoutDelayMonths: st.PayoutDelayMonths, Rounding: st.Rounding.String(),
		ExcludePromotedSales: st.ExcludePromotedSales, RequireActivation: st.RequireActivation,
		Payout: st.Payout}
	return out
}
