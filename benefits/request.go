package benefits

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/caba1337/referralrules/referral"
	"github.com/caba1337/referralrules/tier"
	"github.com/shopspring/decimal"
)

// Status is the outcome of an activation request.
type Status string

// The outcomes of an activation request. Evaluate decides them in this
// order: an accountant the data does not list is NotRegistered; one of a
// country where the program does not run is CountryNotInProgram, even when
// it is also unregistered (registering would not let it in); an
// unregistered one of a program country is NotRegistered; and a registered
// one of a program country is Approved or InsufficientReferrals by its
// active paid referrals on the day of the request.
const (
	Approved              Status = "approved"
	InsufficientReferrals Status = "insufficient_referrals"
	CountryNotInProgram   Status = "country_not_in_program"
	NotRegistered         Status = "not_registered"
)

// Statuses returns every status: Approved, InsufficientReferrals,
// CountryNotInProgram and NotRegistered.
func Statuses() []Status {
	return []Status{Approved, InsufficientReferrals, CountryNotInProgram, NotRegistered}
}

// Country is a country where the program runs, as activation needs it.
type Country struct {
	Code       string         // ISO 3166-1 alpha-2, such as "CO"
	Name       string         // such as "Colombia"
	Currency   string         // ISO 4217 code of its home currency, such as "COP"
	MinorUnits int            // decimals of Currency, such as 2
	Location   *time.Location // the zone that decides local days there (D3)
}

// Rules are what an activation request is decided on: one edition of the
// program's rules. A loaded referralrules.Program builds them; the zero
// Rules has no levels and no countries and is refused by Evaluate.
type Rules struct {
	// Version names the edition of the rules, such as "2026.1"; answers
	// carry it so that support can tell which rules answered.
	Version string
	// Levels place a count of active paid referrals on a level (D1).
	Levels tier.Table
	// Catalog holds the benefits of each level.
	Catalog Catalog
	// Countries where the program runs, by code.
	Countries map[string]Country
	// GraceDays is how many days a payment keeps covering its client after
	// its period ends (D2).
	GraceDays int
	// WindowMonths: sales of a client earn commission only within this
	// many months of its first purchase (D5).
	WindowMonths int
	// PayoutDelayMonths: a month's commission is payable this many months
	// later (D11).
	PayoutDelayMonths int
	// Payout is the form the commission is paid in, such as
	// "service_credit" (D11).
	Payout string
	// RequireActivation accrues commission only for months that end on or
	// after the activation day (D10).
	RequireActivation bool
}

// Request is an accountant's request to activate the program on a local
// day of its country.
type Request struct {
	AccountantID string        // as the data names the accountant
	Day          referral.Date // the local day of the request in its country (D3)
}

// Terms are the conditions an approved accountant enters the program on.
type Terms struct {
	// Rate is the commission rate of the level, as a fraction: 0.15 for 15%.
	Rate decimal.Decimal
	// Currency is the home currency of the accountant's country: its
	// statements are in it (other currencies get their own).
	Currency string
	// Payout is the form the commission is paid in, such as
	// "service_credit": credit spent on the vendor's own services.
	Payout string
	// PayoutDelayMonths: a month's commission is payable this many months
	// later.
	PayoutDelayMonths int
	// FirstPayableMonth is when the commission of the month of the request
	// is paid: that month plus PayoutDelayMonths.
	FirstPayableMonth referral.Month
	// WindowMonths: a referred client's sales earn commission only within
	// this many months of its first purchase.
	WindowMonths int
	// GraceDays is how long a client keeps counting after the period it
	// paid for ends.
	GraceDays int
	// RequireActivation: commission accrues only from the month of the
	// activation on.
	RequireActivation bool
}

// ReasonCount is how many of an accountant's clients do not count for one
// reason.
type ReasonCount struct {
	Reason  referral.Reason `json:"reason"`
	Clients int             `json:"clients"`
}

// Summary is what the statuses of an accountant's clients came to on the
// day of a request.
type Summary struct {
	Clients int `json:"clients"` // referred clients in the data
	Counted int `json:"counted"` // of them, active paid referrals
	// NotCounted is how many did not count, by reason, in the order of the
	// reasons' names; reasons with no client are left out.
	NotCounted []ReasonCount `json:"not_counted"`
}

// Answer is the program's answer to an activation request, with the facts
// it was decided on, so that support can explain it without running it
// again. Fields that do not apply to its Status keep their zero value.
type Answer struct {
	Status       Status
	AccountantID string
	Day          referral.Date // the local day of the request
	RulesVersion string        // Rules.Version of the rules that answered

	// Listed reports whether the data lists the accountant at all; an
	// unlisted one is NotRegistered.
	Listed bool
	// Registered is the accountant's registration in the accounting
	// product, as the data has it.
	Registered bool
	// CountryCode is the accountant's country as the data has it, in or
	// out of the program; "" for an unlisted accountant.
	CountryCode string
	// Country is the program country of the accountant; the zero Country
	// for CountryNotInProgram and an unlisted accountant.
	Country Country
	// ActivatedOn is the day the data says the accountant activated the
	// program before; the zero Date when it never did.
	ActivatedOn referral.Date

	// The count, for Approved and InsufficientReferrals only.

	// Active is the number of active paid referrals on Day (D2).
	Active int
	// Clients summarises the status of every referred client on Day.
	Clients Summary
	// Recoverable are the clients that counted before and would count
	// again if they paid: lapsed or refunded on Day, by client ID.
	Recoverable []referral.ClientStatus

	// Level is the level of Active: zero unless Approved.
	Level tier.Level
	// Benefits are the benefits Level gives, in the order the level lists
	// them; the accountant selects among them.
	Benefits []Benefit
	// Terms are the conditions of Level; zero unless Approved.
	Terms Terms
	// MissingForFirstLevel is how many more active paid referrals reach
	// level 1; 0 when Approved.
	MissingForFirstLevel int
	// NextLevel is the level above Level (level 1 for
	// InsufficientReferrals); the zero Level on the last level.
	NextLevel tier.Level
	// MissingForNextLevel is how many more active paid referrals reach
	// NextLevel; 0 on the last level.
	MissingForNextLevel int
}

// Sentinel errors of Evaluate. They mean a mistake of the caller, never an
// answer: every answer, even a refusal, comes back with a nil error.
var (
	ErrRequest = errors.New("invalid activation request")
	ErrRules   = errors.New("invalid activation rules")
)

// Evaluate answers an activation request (SPEC section 4) against the
// rules r and the data ds. It checks, in order: that ds lists the
// accountant, that its country is in r.Countries, that it is registered,
// and then its active paid referrals on req.Day in its country's zone
// (D2, D10). It returns an error, wrapping ErrRequest or ErrRules, only
// for a request with no accountant or day, a nil ds, or rules with no
// levels or a country with no time zone.
func Evaluate(r Rules, ds *referral.Dataset, req Request) (Answer, error) {
	if err := checkRequest(r, ds, req); err != nil {
		return Answer{}, err
	}
	a := Answer{AccountantID: req.AccountantID, Day: req.Day, RulesVersion: r.Version}
	acc, ok := ds.Accountant(req.AccountantID)
	if !ok {
		a.Status = NotRegistered
		return a, nil
	}
	a.Listed, a.Registered = true, acc.Registered
	a.CountryCode, a.ActivatedOn = acc.Country, acc.ActivatedOn

	// The program's reach comes before registration: registering would not
	// let an accountant of another country in.
	country, ok := r.Countries[acc.Country]
	switch {
	case !ok:
		a.Status = CountryNotInProgram
		return a, nil
	case !acc.Registered:
		a.Country, a.Status = country, NotRegistered
		return a, nil
	}
	a.Country = country

	// Registered in a program country: the level of the day decides.
	cv := referral.Coverage{Location: country.Location, GraceDays: r.GraceDays}
	count := ds.CountActive(acc.ID, req.Day, cv)
	a.Active, a.Clients = count.Active, summarize(count.Clients)
	a.Recoverable = recoverable(count.Clients)
	a.NextLevel, a.MissingForNextLevel, _ = r.Levels.Next(count.Active)
	level, ok := r.Levels.Lookup(count.Active)
	if !ok {
		a.Status = InsufficientReferrals
		a.MissingForFirstLevel = r.Levels.MissingForFirst(count.Active)
		return a, nil
	}
	a.Status, a.Level, a.Benefits = Approved, level, r.Catalog.ForLevel(level.Number)
	a.Terms = Terms{
		Rate:              level.Rate,
		Currency:          country.Currency,
		Payout:            r.Payout,
		PayoutDelayMonths: r.PayoutDelayMonths,
		FirstPayableMonth: req.Day.Month().Add(r.PayoutDelayMonths),
		WindowMonths:      r.WindowMonths,
		GraceDays:         r.GraceDays,
		RequireActivation: r.RequireActivation,
	}
	return a, nil
}

// checkRequest refuses what no answer can be given for.
func checkRequest(r Rules, ds *referral.Dataset, req Request) error {
	switch {
	case req.AccountantID == "":
		return fmt.Errorf("no accountant id: %w", ErrRequest)
	case req.Day.IsZero():
		return fmt.Errorf("no day: %w", ErrRequest)
	case ds == nil:
		return fmt.Errorf("no data: %w", ErrRequest)
	case r.Levels.Len() == 0:
		return fmt.Errorf("no levels: %w", ErrRules)
	}
	for code, c := range r.Countries {
		if c.Location == nil {
			return fmt.Errorf("country %s has no time zone: %w", code, ErrRules)
		}
	}
	return nil
}

// summarize counts the clients by status.
func summarize(statuses []referral.ClientStatus) Summary {
	s := Summary{Clients: len(statuses)}
	by := map[referral.Reason]int{}
	for _, st := range statuses {
		if st.Counted {
			s.Counted++
			continue
		}
		by[st.Reason]++
	}
	for reason, n := range by {
		s.NotCounted = append(s.NotCounted, ReasonCount{Reason: reason, Clients: n})
	}
	slices.SortFunc(s.NotCounted, func(a, b ReasonCount) int {
		return strings.Compare(string(a.Reason), string(b.Reason))
	})
	return s
}

// recoverable returns the clients that a new payment would make count
// again: those whose coverage lapsed or was refunded.
func recoverable(statuses []referral.ClientStatus) []referral.ClientStatus {
	var out []referral.ClientStatus
	for _, st := range statuses {
		if st.Reason == referral.Lapsed || st.Reason == referral.Refunded {
			out = append(out, st)
		}
	}
	return out
}
