package main

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

// creditRequest is what both credit endpoints read: an accountant, a local
// day of its country, and the data (with its redemptions).
type creditRequest struct {
	id   string
	day  referral.Date
	data *referral.Dataset
	obj  object
}

// readCredit reads a credit request whose body may also hold the fields
// of extra.
func readCredit(s *service, w http.ResponseWriter, r *http.Request, p *referralrules.Program,
	extra ...string) (*creditRequest, error) {
	body, err := readJSON(w, r, s.limits.maxBody)
	if err != nil {
		return nil, err
	}
	obj, errs := fieldsOf(body, append([]string{"accountant_id", "day", "data"}, extra...)...)
	req := &creditRequest{obj: obj}
	var fe1, fe2 *referral.FieldError
	req.id, fe1 = obj.text("accountant_id", true)
	req.day, fe2 = obj.date("day")
	var dataErrs referral.Errors
	req.data, dataErrs = obj.dataset("data", p)
	if errs = collect(errs, fe1, fe2); len(errs)+len(dataErrs) > 0 {
		return nil, append(errs, dataErrs...)
	}
	if _, err := countryOf(p, req.data, req.id); err != nil {
		return nil, err
	}
	return req, nil
}

// balance returns the request's balance (Program.Balance: each month's
// statement under the version of the rules in force then).
func (req *creditRequest) balance(p *referralrules.Program) (*commission.Balance, error) {
	b, err := p.Balance(req.data, req.id, req.day)
	return b, overdrawProblem(err)
}

// overdrawProblem makes a redemption of the data that overdraws a problem
// of its row, data.redemptions[i]; it returns any other err as it is.
func overdrawProblem(err error) error {
	var oe *commission.OverdrawError
	if !errors.As(err, &oe) {
		return err
	}
	rd, digits := &oe.Redemption, int32(oe.Digits)
	return &referral.FieldError{Column: "amount", Value: rd.Amount.String(),
		Path: joinPath("data", rd.Where()+".amount"),
		Err: problemf(commission.ErrOverdrawn, "redemption %s of %s %s at %s overdraws the credit balance, %s %s",
			rd.ID, rd.Amount.StringFixed(digits), rd.Currency, rd.RedeemedAt.Format(time.RFC3339),
			oe.Balance.StringFixed(digits), rd.Currency)}
}

// creditBalance answers POST /v1/credit/balance: the accountant's service
// credit at the close of the day, per currency, with its movements oldest
// first, the shape of the CLI's credit --format json.
func (s *service) creditBalance(w http.ResponseWriter, r *http.Request, p *referralrules.Program) error {
	req, err := readCredit(s, w, r, p)
	if err != nil {
		return err
	}
	b, err := req.balance(p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}

// redeemReport is the answer of POST /v1/credit/redeem; amounts are
// strings with the currency's minor digits.
type redeemReport struct {
	AccountantID string        `json:"accountant_id"`
	Day          referral.Date `json:"day"`
	Currency     string        `json:"currency"`
	Amount       string        `json:"amount"`
	Credit       string        `json:"credit"`        // paid with credit
	ToPay        string        `json:"to_pay"`        // left to pay by other means
	Balance      string        `json:"balance"`       // in currency, before the purchase
	BalanceAfter string        `json:"balance_after"` // after it
}

// creditRedeem answers POST /v1/credit/redeem: how much of a purchase
// (amount, currency) on the day the accountant's credit pays, and what
// remains to pay (Program.Redeem). It records nothing.
func (s *service) creditRedeem(w http.ResponseWriter, r *http.Request, p *referralrules.Program) error {
	req, err := readCredit(s, w, r, p, "amount", "currency")
	if err != nil {
		return err
	}
	amount, fe1 := req.obj.amount("amount")
	cur, fe2 := req.obj.text("currency", true)
	if errs := collect(nil, fe1, fe2); len(errs) > 0 {
		return errs
	}
	purchase := commission.Purchase{Amount: amount, Currency: cur, Day: req.day}
	split, err := p.Redeem(req.data, req.id, purchase)
	switch {
	case errors.Is(err, commission.ErrUnknownCurrency):
		return fieldError("currency", cur, err)
	case errors.Is(err, commission.ErrBadPurchase), errors.Is(err, commission.ErrOtherDay):
		return fieldError("amount", amount.String(), err)
	case err != nil:
		return overdrawProblem(err) // of the balance
	}
	money := func(d decimal.Decimal) string { return d.StringFixed(int32(split.Digits)) }
	return writeJSON(w, http.StatusOK, redeemReport{AccountantID: req.id, Day: req.day,
		Currency: split.Currency, Amount: money(split.Amount), Credit: money(split.Credit),
		ToPay: money(split.ToPay), Balance: money(split.Balance), BalanceAfter: money(split.BalanceAfter)})
}

// amount returns the field name, an amount written as a string of digits
// with an optional fraction, as in the data.
func (o object) amount(name string) (decimal.Decimal, *referral.FieldError) {
	s, fe := o.text(name, true)
	if fe != nil {
		return decimal.Decimal{}, fe
	}
	whole, frac, dot := strings.Cut(s, ".")
	if !digitsOnly(whole) || dot && !digitsOnly(frac) {
		return decimal.Decimal{}, fieldError(name, clip(s), problemf(referral.ErrMalformedAmount,
			"malformed amount %q (want digits with an optional fraction, such as 69900.00)", clip(s)))
	}
	return decimal.RequireFromString(s), nil
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
