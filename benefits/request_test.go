package benefits_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/benefits"
	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The day every request of these tests is made on, and the period the
// fixtures' payments cover (November 2026, paid on the 1st).
var (
	requestDay  = referral.NewDate(2026, 11, 20)
	periodStart = referral.NewDate(2026, 11, 1)
	periodEnd   = referral.NewDate(2026, 11, 30)
)

// fixture builds data row by row.
type fixture struct {
	accs    []referral.Accountant
	clients []referral.Client
	pays    []referral.Payment
}

// accountant adds an accountant with active clients paid up for November
// 2026, one lapsed client (its October payment ended on 2026-10-31, so it
// stopped counting on 2026-11-01) and one refunded one (its November
// payment was refunded on 2026-11-15).
func (f *fixture) accountant(id, country string, registered bool, active int, currency string) {
	f.accs = append(f.accs, referral.Accountant{ID: id, Country: country, Registered: registered})
	for i := range active {
		f.client(fmt.Sprintf("%s-c%02d", id, i+1), id, currency, periodStart, periodEnd, time.Time{})
	}
	f.client(id+"-lapsed", id, currency,
		referral.NewDate(2026, 10, 1), referral.NewDate(2026, 10, 31), time.Time{})
	f.client(id+"-refunded", id, currency, periodStart, periodEnd,
		time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC))
}

// client adds a client linked since 2026-01-01 with one payment of 100.00
// covering start to end, paid at noon UTC on start.
func (f *fixture) client(id, acc, currency string, start, end referral.Date, refunded time.Time) {
	f.clients = append(f.clients, referral.Client{ID: id, AccountantID: acc, LinkedOn: referral.NewDate(2026, 1, 1)})
	y, m, d := start.Civil()
	f.pays = append(f.pays, referral.Payment{
		ID: "p-" + id, ClientID: id, PaidAt: time.Date(y, m, d, 12, 0, 0, 0, time.UTC),
		PeriodStart: start, PeriodEnd: end, Amount: decimal.RequireFromString("100.00"),
		Currency: currency, RefundedAt: refunded,
	})
}

func (f *fixture) dataset(t *testing.T) *referral.Dataset {
	t.Helper()
	ds, err := referral.New(f.accs, f.clients, f.pays, referralrules.Default())
	require.NoError(t, err)
	return ds
}

// currencyOf is the home currency of each program country.
var currencyOf = map[string]string{"CO": "COP", "DO": "DOP", "PA": "USD", "CR": "CRC", "MX": "USD"}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name       string
		id         string
		country    string
		registered bool
		active     int
		// want, worked out by hand from the default levels 5-8 (10%),
		// 9-12 (15%), 13-25 (20%), 26+ (25%).
		status      benefits.Status
		level       int
		rate        string
		benefits    int // how many benefits the level gives
		missingL1   int
		next        int
		missingNext int
	}{
		// Boundary 4/5: below level 1, then level 1.
		{"4 in CO", "co-04", "CO", true, 4, benefits.InsufficientReferrals, 0, "0", 0, 1, 1, 1},
		{"5 in CO", "co-05", "CO", true, 5, benefits.Approved, 1, "0.1", 4, 0, 2, 4},
		{"4 in CR", "cr-04", "CR", true, 4, benefits.InsufficientReferrals, 0, "0", 0, 1, 1, 1},
		{"5 in PA", "pa-05", "PA", true, 5, benefits.Approved, 1, "0.1", 4, 0, 2, 4},
		{"0 in DO", "do-00", "DO", true, 0, benefits.InsufficientReferrals, 0, "0", 0, 5, 1, 5},
		// Boundary 8/9.
		{"8 in DO", "do-08", "DO", true, 8, benefits.Approved, 1, "0.1", 4, 0, 2, 1},
		{"9 in DO", "do-09", "DO", true, 9, benefits.Approved, 2, "0.15", 5, 0, 3, 4},
		// Boundary 12/13.
		{"12 in PA", "pa-12", "PA", true, 12, benefits.Approved, 2, "0.15", 5, 0, 3, 1},
		{"13 in PA", "pa-13", "PA", true, 13, benefits.Approved, 3, "0.2", 5, 0, 4, 13},
		// Boundary 25/26 (D1: level 4 starts at 26).
		{"25 in CR", "cr-25", "CR", true, 25, benefits.Approved, 3, "0.2", 5, 0, 4, 1},
		{"26 in CR", "cr-26", "CR", true, 26, benefits.Approved, 4, "0.25", 7, 0, 0, 0},
		{"26 in CO", "co-26", "CO", true, 26, benefits.Approved, 4, "0.25", 7, 0, 0, 0},
		// Outside the program, and not registered: no count at all.
		{"MX with 30", "mx-30", "MX", true, 30, benefits.CountryNotInProgram, 0, "0", 0, 0, 0, 0},
		{"MX unregistered", "mx-un", "MX", false, 30, benefits.CountryNotInProgram, 0, "0", 0, 0, 0, 0},
		{"CO unregistered with 30", "co-un", "CO", false, 30, benefits.NotRegistered, 0, "0", 0, 0, 0, 0},
	}
	var f fixture
	for _, tt := range tests {
		f.accountant(tt.id, tt.country, tt.registered, tt.active, currencyOf[tt.country])
	}
	ds := f.dataset(t)
	p := referralrules.Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := p.Evaluate(ds, tt.id, requestDay)
			require.NoError(t, err)
			assert.Equal(t, tt.status, a.Status)
			assert.Equal(t, tt.id, a.AccountantID)
			assert.Equal(t, requestDay, a.Day)
			assert.Equal(t, "2026.1", a.RulesVersion)
			assert.True(t, a.Listed)
			assert.Equal(t, tt.registered, a.Registered)
			assert.Equal(t, tt.country, a.CountryCode)
			assert.Equal(t, tt.level, a.Level.Number, "level")
			assert.Equal(t, tt.rate, a.Terms.Rate.String(), "rate")
			assert.Len(t, a.Benefits, tt.benefits)
			assert.Equal(t, tt.missingL1, a.MissingForFirstLevel, "missing for level 1")
			assert.Equal(t, tt.next, a.NextLevel.Number, "next level")
			assert.Equal(t, tt.missingNext, a.MissingForNextLevel, "missing for next level")

			counted := tt.status == benefits.Approved || tt.status == benefits.InsufficientReferrals
			if !counted {
				assert.Zero(t, a.Active)
				assert.Empty(t, a.Recoverable)
				return
			}
			assert.Equal(t, tt.active, a.Active)
			assert.Equal(t, tt.country, a.Country.Code)
			// Every fixture accountant has one lapsed and one refunded client.
			assert.Equal(t, benefits.Summary{Clients: tt.active + 2, Counted: tt.active,
				NotCounted: []benefits.ReasonCount{{Reason: referral.Lapsed, Clients: 1}, {Reason: referral.Refunded, Clients: 1}}},
				a.Clients)
			assert.Equal(t, []referral.ClientStatus{
				{ClientID: tt.id + "-lapsed", Reason: referral.Lapsed, Since: referral.NewDate(2026, 11, 1)},
				{ClientID: tt.id + "-refunded", Reason: referral.Refunded},
			}, a.Recoverable)
		})
	}
}

func TestEvaluateTerms(t *testing.T) {
	var f fixture
	f.accountant("pa-13", "PA", true, 13, "USD")
	a, err := referralrules.Default().Evaluate(f.dataset(t), "pa-13", requestDay)
	require.NoError(t, err)
	require.Equal(t, benefits.Approved, a.Status)
	assert.Equal(t, benefits.Country{Code: "PA", Name: "Panama", Currency: "USD", MinorUnits: 2,
		Location: a.Country.Location}, a.Country)
	assert.Equal(t, "America/Panama", a.Country.Location.String())
	assert.Equal(t, "USD", a.Terms.Currency)
	assert.Equal(t, "service_credit", a.Terms.Payout)
	assert.Equal(t, 1, a.Terms.PayoutDelayMonths)
	assert.Equal(t, "2026-12", a.Terms.FirstPayableMonth.String(), "November's commission is paid in December")
	assert.Equal(t, 12, a.Terms.WindowMonths)
	assert.Equal(t, 0, a.Terms.GraceDays)
	assert.True(t, a.Terms.RequireActivation)
	ids := make([]string, len(a.Benefits))
	for i, b := range a.Benefits {
		ids[i] = b.ID
	}
	assert.Equal(t, []string{"support_dedicated", "academy", "workspace", "network_enrolment", "network_workshops"}, ids)
}

func TestEvaluateUnlistedAccountant(t *testing.T) {
	var f fixture
	f.accountant("co-05", "CO", true, 5, "COP")
	a, err := referralrules.Default().Evaluate(f.dataset(t), "nobody", requestDay)
	require.NoError(t, err)
	assert.Equal(t, benefits.NotRegistered, a.Status)
	assert.False(t, a.Listed)
	assert.Empty(t, a.CountryCode)
}

// TestEvaluateLocalDay checks that the day is the accountant's local day
// (D3): a payment made at 2026-11-20T04:00Z is on the 19th in Bogotá (UTC-5)
// and counts on the 19th's evening, but one made at 2026-11-20T06:00Z is
// on the 20th there and does not count on the 19th.
func TestEvaluateLocalDay(t *testing.T) {
	var f fixture
	f.accountant("co-04", "CO", true, 4, "COP")
	start := referral.NewDate(2026, 11, 19)
	f.clients = append(f.clients,
		referral.Client{ID: "early", AccountantID: "co-04", LinkedOn: referral.NewDate(2026, 1, 1)},
		referral.Client{ID: "late", AccountantID: "co-04", LinkedOn: referral.NewDate(2026, 1, 1)})
	for id, at := range map[string]time.Time{
		"early": time.Date(2026, 11, 20, 4, 0, 0, 0, time.UTC),
		"late":  time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC),
	} {
		f.pays = append(f.pays, referral.Payment{ID: "p-" + id, ClientID: id, PaidAt: at,
			PeriodStart: start, PeriodEnd: periodEnd, Amount: decimal.RequireFromString("100"), Currency: "COP"})
	}
	a, err := referralrules.Default().Evaluate(f.dataset(t), "co-04", start)
	require.NoError(t, err)
	assert.Equal(t, benefits.Approved, a.Status)
	assert.Equal(t, 5, a.Active, "4 paid for November plus the early payment")
}

func TestEvaluateErrors(t *testing.T) {
	var f fixture
	f.accountant("co-05", "CO", true, 5, "COP")
	ds := f.dataset(t)
	rules := referralrules.Default().ActivationRules()
	tests := []struct {
		name  string
		rules benefits.Rules
		ds    *referral.Dataset
		req   benefits.Request
		want  error
	}{
		{"no accountant", rules, ds, benefits.Request{Day: requestDay}, benefits.ErrRequest},
		{"no day", rules, ds, benefits.Request{AccountantID: "co-05"}, benefits.ErrRequest},
		{"no data", rules, nil, benefits.Request{AccountantID: "co-05", Day: requestDay}, benefits.ErrRequest},
		{"zero rules", benefits.Rules{}, ds, benefits.Request{AccountantID: "co-05", Day: requestDay}, benefits.ErrRules},
		{"country without zone", benefits.Rules{Levels: rules.Levels,
			Countries: map[string]benefits.Country{"CO": {Code: "CO"}}}, ds,
			benefits.Request{AccountantID: "co-05", Day: requestDay}, benefits.ErrRules},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := benefits.Evaluate(tt.rules, tt.ds, tt.req)
			assert.True(t, errors.Is(err, tt.want), "Evaluate() = %v, want %v", err, tt.want)
		})
	}
}
