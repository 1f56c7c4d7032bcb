package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/benefits"
	"github.com/caba1337/referralrules/referral"
)

// selectionReport is the answer of POST /v1/benefit-selections, the shape
// of the CLI's select --format json.
type selectionReport struct {
	AccountantID string         `json:"accountant_id"`
	Day          referral.Date  `json:"day"`
	Level        int            `json:"level"`
	Benefits     []string       `json:"benefits"`
	Email        benefits.Email `json:"email"`
}

// activationRequest is what both activation endpoints read: an accountant,
// the day of its request, the language of the email, the data and, for a
// selection, the benefits selected.
type activationRequest struct {
	id   string
	day  referral.Date
	lang benefits.Lang
	data *referral.Dataset
	ids  []string
}

// readActivation reads an activation request, with the selected benefits
// when selection is set, and reports every bad field at once.
func readActivation(s *service, w http.ResponseWriter, r *http.Request, p *referralrules.Program,
	selection bool) (*activationRequest, error) {
	body, err := readJSON(w, r, s.limits.maxBody)
	if err != nil {
		return nil, err
	}
	fields := []string{"accountant_id", "day", "lang", "data"}
	if selection {
		fields = append(fields, "benefits")
	}
	obj, errs := fieldsOf(body, fields...)
	req := &activationRequest{}
	var fe1, fe2, fe3, fe4 *referral.FieldError
	req.id, fe1 = obj.text("accountant_id", true)
	req.day, fe2 = obj.date("day")
	req.lang, fe3 = obj.lang("lang")
	if selection {
		req.ids, fe4 = obj.ids("benefits")
	}
	var dataErrs referral.Errors
	req.data, dataErrs = obj.dataset("data", p)
	if errs = collect(errs, fe1, fe2, fe3, fe4); len(errs)+len(dataErrs) > 0 {
		return nil, append(errs, dataErrs...)
	}
	return req, nil
}

// lang returns the language field name, "es" when left out.
func (o object) lang(name string) (benefits.Lang, *referral.FieldError) {
	s, fe := o.text(name, false)
	if fe != nil || s == "" {
		return benefits.Spanish, fe
	}
	l, err := benefits.ParseLang(s)
	if err != nil {
		return "", fieldError(name, s, err)
	}
	return l, nil
}

// ids returns the field name, a list of benefit ids.
func (o object) ids(name string) ([]string, *referral.FieldError) {
	raw, ok := o[name]
	if !ok || string(raw) == "null" {
		return nil, fieldError(name, "", problemf(errInvalidField, "missing field %q", name))
	}
	var ids []string
	if err := json.Unmarshal(raw, &ids); err != nil {
		return nil, fieldError(name, clip(string(raw)), problemf(errInvalidField,
			"%s must be an array of benefit ids (strings)", name))
	}
	return ids, nil
}

// activationRequests answers an accountant's activation request on a day
// (SPEC section 4), with its email.
func (s *service) activationRequests(w http.ResponseWriter, r *http.Request,
	p *referralrules.Program) error {
	req, err := readActivation(s, w, r, p, false)
	if err != nil {
		return err
	}
	a, err := p.Evaluate(req.data, req.id, req.day)
	if err != nil {
		return err
	}
	email, err := s.emails.Answer(a, req.lang)
	if err != nil {
		return err
	}
	// The shape of the CLI's evaluate --format json.
	return writeJSON(w, http.StatusOK, benefits.NewReply(a, email))
}

// benefitSelections evaluates the request as activationRequests does and,
// when it is approved, checks the benefits selected and answers the
// activation with its confirmation email.
func (s *service) benefitSelections(w http.ResponseWriter, r *http.Request,
	p *referralrules.Program) error {
	req, err := readActivation(s, w, r, p, true)
	if err != nil {
		return err
	}
	a, err := p.Evaluate(req.data, req.id, req.day)
	if err != nil {
		return err
	}
	act, err := p.Select(a, req.ids)
	if err != nil {
		return selectionProblem(err, a, req.ids)
	}
	email, err := s.emails.Activation(act, req.lang)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, selectionReport{
		AccountantID: act.AccountantID, Day: act.Day, Level: act.Level.Number,
		Benefits: benefits.IDs(act.Benefits), Email: email,
	})
}

// selectionProblem places a refused selection at the field at fault: the
// offending id in benefits, the list itself when it is empty, or the
// accountant when it was not approved.
func selectionProblem(err error, a benefits.Answer, ids []string) error {
	var se *benefits.SelectionError
	if !errors.As(err, &se) {
		return err
	}
	switch {
	case errors.Is(se, benefits.ErrNotApproved):
		return fieldError("accountant_id", a.AccountantID, problemf(se,
			"accountant %s on %s is not approved (%s); it cannot select benefits",
			a.AccountantID, a.Day, a.Status))
	case errors.Is(se, benefits.ErrEmptySelection):
		return fieldError("benefits", "", se)
	}
	i := offending(ids, se.ID, errors.Is(se, benefits.ErrSelectedTwice))
	return &referral.FieldError{Column: "benefits", Path: "benefits[" + strconv.Itoa(i) + "]",
		Value: se.ID, Err: se}
}

// offending returns the index of id in ids: its second occurrence when
// twice is set, its first otherwise.
func offending(ids []string, id string, twice bool) int {
	seen := false
	for i, x := range ids {
		if x != id {
			continue
		}
		if !twice || seen {
			return i
		}
		seen = true
	}
	return 0
}
