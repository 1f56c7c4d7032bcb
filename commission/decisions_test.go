package commission_test

// Table tests of the program decisions D4-D11 and fine points F1-F16 on
// small datasets. Every expected value was worked out by hand from SPEC.md,
// not copied from the code's output; the comment or the name of each case
// says how.
//
// Unless a case says otherwise, the accountant is "a" of Panama (USD, zone
// America/Panama, UTC-5 all year) and the rules are the defaults. Its
// "fillers" are clients linked in 2024 that paid once, in December 2024,
// for a period running to the end of 2027: each counts as an active paid
// referral on every day of 2025-2027 and has no payment in those years. Five
// fillers put the accountant on level 1 (10%) by themselves.

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the four program zones, whatever the host has

	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
	"github.com/caba1337/referralrules/tier"
	"github.com/shopspring/decimal"
)

// longAgo is an activation date before every month the tests compute.
const longAgo = "2025-01-01"

// zone loads a time zone by its IANA name.
func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time.LoadLocation(%q): %v", name, err)
	}
	return loc
}

// testRules returns the default rules of the program (SPEC section 2),
// built by hand: a new value each time, so that a case may change it.
func testRules(t *testing.T) *commission.Rules {
	t.Helper()
	levels, err := tier.New([]tier.Level{
		{Number: 1, Min: 5, Max: 8, Rate: mustDec("0.10")},
		{Number: 2, Min: 9, Max: 12, Rate: mustDec("0.15")},
		{Number: 3, Min: 13, Max: 25, Rate: mustDec("0.20")},
		{Number: 4, Min: 26, Rate: mustDec("0.25")},
	})
	if err != nil {
		t.Fatalf("tier.New: %v", err)
	}
	return &commission.Rules{
		Levels: levels,
		Countries: map[string]commission.Country{
			"CO": {Code: "CO", Currency: "COP", Location: zone(t, "America/Bogota")},
			"DO": {Code: "DO", Currency: "DOP", Location: zone(t, "America/Santo_Domingo")},
			"PA": {Code: "PA", Currency: "USD", Location: zone(t, "America/Panama")},
			"CR": {Code: "CR", Currency: "CRC", Location: zone(t, "America/Costa_Rica")},
		},
		Currencies:           map[string]int{"COP": 2, "DOP": 2, "USD": 2, "CRC": 2},
		GraceDays:            0,
		WindowMonths:         12,
		PayoutDelayMonths:    1,
		Rounding:             commission.HalfUp,
		ExcludePromotedSales: true,
		RequireActivation:    true,
		Payout:               "service_credit",
	}
}

// mustDate, mustTime, mustMonth and mustDec read fixed literals of the
// tests; "" gives the zero Date or time.
func mustDate(s string) referral.Date {
	if s == "" {
		return 0
	}
	d, err := referral.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func mustTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustMonth(s string) referral.Month {
	m, err := referral.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}

func mustDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// accountant is a registered accountant; activated "" means never.
func accountant(id, country, activated string) referral.Accountant {
	return referral.Accountant{ID: id, Country: country, Registered: true, ActivatedOn: mustDate(activated)}
}

// linked is a client of accountant "a" linked on day on, never unlinked.
func linked(id, on string) referral.Client {
	return referral.Client{ID: id, AccountantID: "a", LinkedOn: mustDate(on)}
}

// linkedUntil is a client of accountant "a" linked from on until until
// (exclusive).
func linkedUntil(id, on, until string) referral.Client {
	c := linked(id, on)
	c.UnlinkedOn = mustDate(until)
	return c
}

// pay is a USD payment paid at paidAt (RFC 3339) for the days start to end.
func pay(id, client, paidAt, start, end, amount string) referral.Payment {
	return referral.Payment{
		ID: id, ClientID: client, PaidAt: mustTime(paidAt),
		PeriodStart: mustDate(start), PeriodEnd: mustDate(end),
		Amount: mustDec(amount), Currency: "USD",
	}
}

func inCurrency(p referral.Payment, cur string) referral.Payment { p.Currency = cur; return p }

func refundedAt(p referral.Payment, at string) referral.Payment {
	p.RefundedAt = mustTime(at)
	return p
}

func promoted(p referral.Payment, promotion string) referral.Payment {
	p.Promotion = promotion
	return p
}

// data is the raw input of a dataset.
type data struct {
	accs    []referral.Accountant
	clients []referral.Client
	pays    []referral.Payment
}

// withFillers adds n filler clients of accountant acc, paying in cur (see
// the file comment).
func (d data) withFillers(acc, cur string, n int) data {
	d.clients, d.pays = slices.Clone(d.clients), slices.Clone(d.pays)
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("%s-f%02d", acc, i)
		d.clients = append(d.clients, referral.Client{ID: id, AccountantID: acc, LinkedOn: mustDate("2024-01-01")})
		p := pay(fmt.Sprintf("%s-fp%02d", acc, i), id, "2024-12-15T17:00:00Z", "2024-12-15", "2027-12-31", "100.00")
		d.pays = append(d.pays, inCurrency(p, cur))
	}
	return d
}

// build validates d with referral.New, as every user of the library does.
func (d data) build(t *testing.T, r *commission.Rules) *referral.Dataset {
	t.Helper()
	ds, err := referral.New(d.accs, d.clients, d.pays, r)
	if err != nil {
		t.Fatalf("referral.New: %v", err)
	}
	return ds
}

// compute runs commission.Compute for months from to to (YYYY-MM).
func compute(t *testing.T, r *commission.Rules, ds *referral.Dataset, from, to string) []commission.Statement {
	t.Helper()
	sts, err := commission.Compute(r, ds, mustMonth(from), mustMonth(to))
	if err != nil {
		t.Fatalf("Compute(%s, %s): %v", from, to, err)
	}
	return sts
}

// statementOf finds the statement of acc, month and currency in sts.
func statementOf(t *testing.T, sts []commission.Statement, acc, month, cur string) commission.Statement {
	t.Helper()
	for _, st := range sts {
		if st.AccountantID == acc && st.Month.String() == month && st.Currency == cur {
			return st
		}
	}
	t.Fatalf("no statement %s %s %s among %v", acc, month, cur, keys(sts))
	return commission.Statement{}
}

// keys names each statement "accountant month currency", in order.
func keys(sts []commission.Statement) []string {
	out := make([]string, len(sts))
	for i, st := range sts {
		out[i] = fmt.Sprintf("%s %s %s", st.AccountantID, st.Month, st.Currency)
	}
	return out
}

// summary is a statement without its lines, with amounts as strings of two
// decimals and the rate as its normalised string. Tables write it in field
// order: level, active paid referrals, rate, base, commission,
// adjustments, net, reason.
type summary struct {
	level, active                            int
	rate, base, commission, adjustments, net string
	reason                                   string
}

func summarize(st commission.Statement) summary {
	return summary{
		level: st.Level, active: st.ActivePaidReferrals, rate: st.Rate.String(),
		base: st.Base.StringFixed(2), commission: st.Commission.StringFixed(2),
		adjustments: st.Adjustments.StringFixed(2), net: st.Net.StringFixed(2),
		reason: string(st.Reason),
	}
}

// lineStrings writes each line "payment_id amount share reason".
func lineStrings(st commission.Statement) []string {
	var out []string
	for _, ln := range st.Lines {
		s := fmt.Sprintf("%s %s %s %s", ln.PaymentID, ln.Amount.StringFixed(2), ln.Share.StringFixed(2), ln.Reason)
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

// monthCase is one statement of accountant "a" of Panama.
type monthCase struct {
	name      string
	fillers   int
	activated string // "" means never
	clients   []referral.Client
	pays      []referral.Payment
	rules     func(*commission.Rules) // changes to the default rules, or nil
	from, to  string                  // the months computed, month when empty
	month     string                  // the statement checked
	currency  string                  // its currency, USD when empty
	want      summary
	lines     []string
}

func runMonthCases(t *testing.T, cases []monthCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := testRules(t)
			if tc.rules != nil {
				tc.rules(r)
			}
			d := data{accs: []referral.Accountant{accountant("a", "PA", tc.activated)}}.withFillers("a", "USD", tc.fillers)
			d.clients = append(d.clients, tc.clients...)
			d.pays = append(d.pays, tc.pays...)
			from, to := cmp.Or(tc.from, tc.month), cmp.Or(tc.to, tc.month)
			cur := cmp.Or(tc.currency, "USD")

			st := statementOf(t, compute(t, r, d.build(t, r), from, to), "a", tc.month, cur)
			if got := summarize(st); got != tc.want {
				t.Errorf("Compute(%s..%s) a %s %s = %+v, want %+v", from, to, tc.month, cur, got, tc.want)
			}
			if got := lineStrings(st); !slices.Equal(got, tc.lines) {
				t.Errorf("Compute(%s..%s) a %s %s lines = %q, want %q", from, to, tc.month, cur, got, tc.lines)
			}
		})
	}
}

// TestLevelAtMonthEnd checks the level bounds (D1) on the count of the last
// local day of the month (D4). Each of n clients pays 10.00 USD on March 1st
// for March 1-31, so all n count on March 31 and the base is n x 10.00.
func TestLevelAtMonthEnd(t *testing.T) {
	tests := []struct {
		name string
		n    int
		want summary
	}{
		{"D1 4 referrals: no level", 4, summary{0, 4, "0", "40.00", "0.00", "0.00", "0.00", "no_level"}},
		{"D1 5 referrals: level 1", 5, summary{1, 5, "0.1", "50.00", "5.00", "0.00", "5.00", ""}},
		{"D1 8 referrals: level 1", 8, summary{1, 8, "0.1", "80.00", "8.00", "0.00", "8.00", ""}},
		{"D1 9 referrals: level 2", 9, summary{2, 9, "0.15", "90.00", "13.50", "0.00", "13.50", ""}},
		{"D1 12 referrals: level 2", 12, summary{2, 12, "0.15", "120.00", "18.00", "0.00", "18.00", ""}},
		{"D1 13 referrals: level 3", 13, summary{3, 13, "0.2", "130.00", "26.00", "0.00", "26.00", ""}},
		{"D1 25 referrals: level 3", 25, summary{3, 25, "0.2", "250.00", "50.00", "0.00", "50.00", ""}},
		{"D1 26 referrals: level 4", 26, summary{4, 26, "0.25", "260.00", "65.00", "0.00", "65.00", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := testRules(t)
			d := data{accs: []referral.Accountant{accountant("a", "PA", longAgo)}}
			for i := 1; i <= tc.n; i++ {
				id := fmt.Sprintf("c%02d", i)
				d.clients = append(d.clients, linked(id, "2026-01-01"))
				d.pays = append(d.pays, pay("p"+id, id, "2026-03-01T12:00:00-05:00", "2026-03-01", "2026-03-31", "10.00"))
			}
			st := statementOf(t, compute(t, r, d.build(t, r), "2026-03", "2026-03"), "a", "2026-03", "USD")
			if got := summarize(st); got != tc.want {
				t.Errorf("Compute(2026-03) with %d referrals = %+v, want %+v", tc.n, got, tc.want)
			}
		})
	}
}

// TestPaymentMonthByZone checks that a payment belongs to the month of its
// paid_at in the accountant's zone (D3). Offsets: Bogota and Panama UTC-5,
// Santo Domingo UTC-4, Costa Rica UTC-6, none with daylight saving time.
func TestPaymentMonthByZone(t *testing.T) {
	tests := []struct {
		name              string
		country, currency string
		paidAt            string
		from, to          string
		want              string // the month whose statement has the line
	}{
		{"D3 Bogota: 2026-02-01T04:30Z is 01-31 23:30", "CO", "COP", "2026-02-01T04:30:00Z", "2026-01", "2026-02", "2026-01"},
		{"D3 Panama: 2026-02-01T04:30Z is 01-31 23:30", "PA", "USD", "2026-02-01T04:30:00Z", "2026-01", "2026-02", "2026-01"},
		{"D3 Costa Rica: 2026-02-01T04:30Z is 01-31 22:30", "CR", "CRC", "2026-02-01T04:30:00Z", "2026-01", "2026-02", "2026-01"},
		{"D3 Santo Domingo: 2026-02-01T04:30Z is 02-01 00:30", "DO", "DOP", "2026-02-01T04:30:00Z", "2026-01", "2026-02", "2026-02"},
		{"D3 Santo Domingo: 03:59:59Z is still January", "DO", "DOP", "2026-02-01T03:59:59Z", "2026-01", "2026-02", "2026-01"},
		{"D3 Bogota: 05:00:00Z is local midnight, February", "CO", "COP", "2026-02-01T05:00:00Z", "2026-01", "2026-02", "2026-02"},
		{"D3 Costa Rica: 05:59:59Z is still January", "CR", "CRC", "2026-02-01T05:59:59Z", "2026-01", "2026-02", "2026-01"},
		{"D3 Costa Rica: 06:00:00Z is local midnight, February", "CR", "CRC", "2026-02-01T06:00:00Z", "2026-01", "2026-02", "2026-02"},
		{"D3 spec example: 2026-12-01T02:00Z is November in Colombia", "CO", "COP", "2026-12-01T02:00:00Z", "2026-11", "2026-12", "2026-11"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := testRules(t)
			d := data{
				accs:    []referral.Accountant{accountant("a", tc.country, longAgo)},
				clients: []referral.Client{linked("c1", "2025-01-01")},
				pays: []referral.Payment{
					inCurrency(pay("p1", "c1", tc.paidAt, "2026-01-15", "2026-02-14", "100.00"), tc.currency),
				},
			}.withFillers("a", tc.currency, 5)

			var got []string
			for _, st := range compute(t, r, d.build(t, r), tc.from, tc.to) {
				for _, ln := range st.Lines {
					if ln.PaymentID == "p1" {
						got = append(got, st.Month.String()+" "+st.Currency)
					}
				}
			}
			want := []string{tc.want + " " + tc.currency}
			if !slices.Equal(got, want) {
				t.Errorf("Compute(%s..%s) %s: p1 paid %s in statements %q, want %q",
					tc.from, tc.to, tc.country, tc.paidAt, got, want)
			}
		})
	}
}

// TestMonthEndCountByZone checks the level count at the close of January
// in each zone (D3, D4, F2). With 4 fillers, client c1 makes the fifth
// referral only where its payment, paid 2026-02-01T04:30Z for January 1-31,
// was paid before the local end of January 31.
func TestMonthEndCountByZone(t *testing.T) {
	tests := []struct {
		name              string
		country, currency string
		active, level     int
	}{
		{"D3/F2 Bogota: paid 01-31 23:30, counted", "CO", "COP", 5, 1},
		{"D3/F2 Panama: paid 01-31 23:30, counted", "PA", "USD", 5, 1},
		{"D3/F2 Costa Rica: paid 01-31 22:30, counted", "CR", "CRC", 5, 1},
		{"D3/F2 Santo Domingo: paid 02-01 00:30, not counted", "DO", "DOP", 4, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := testRules(t)
			d := data{
				accs:    []referral.Accountant{accountant("a", tc.country, longAgo)},
				clients: []referral.Client{linked("c1", "2025-01-01")},
				pays: []referral.Payment{
					inCurrency(pay("p1", "c1", "2026-02-01T04:30:00Z", "2026-01-01", "2026-01-31", "100.00"), tc.currency),
				},
			}.withFillers("a", tc.currency, 4)
			st := statementOf(t, compute(t, r, d.build(t, r), "2026-01", "2026-01"), "a", "2026-01", tc.currency)
			if st.ActivePaidReferrals != tc.active || st.Level != tc.level {
				t.Errorf("Compute(2026-01) %s: active %d level %d, want active %d level %d",
					tc.country, st.ActivePaidReferrals, st.Level, tc.active, tc.level)
			}
		})
	}
}

// TestEligibility checks which payments of a month enter the base (D5, F3,
// F4), the first-year window's month arithmetic (D6), the order of the line
// reasons (section 6) and the knowledge at the close (F1, F2, F16).
func TestEligibility(t *testing.T) {
	// c2 pays 50.00 on March 6 for March 6 - April 5: eligible, and counted
	// on March 31. Most cases set it beside the payment they test.
	c2 := linked("c2", "2026-01-01")
	p2 := pay("p2", "c2", "2026-03-06T12:00:00-05:00", "2026-03-06", "2026-04-05", "50.00")
	// p1 is c1's payment of 100.00 on March 5 for March 5 - April 4.
	p1 := pay("p1", "c1", "2026-03-05T12:00:00-05:00", "2026-03-05", "2026-04-04", "100.00")
	// old is a payment of c1 years before, which starts its first year then.
	old := pay("p0", "c1", "2023-06-10T12:00:00-05:00", "2023-06-10", "2023-07-09", "100.00")

	runMonthCases(t, []monthCase{
		// Refunds (D5, F1): by the close of March, or not.
		{
			name: "D5 refunded inside the month", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2026-01-01"), c2},
			pays:    []referral.Payment{refundedAt(p1, "2026-03-20T12:00:00-05:00"), p2},
			// c1 refunded by March 31: 5 + c2 = 6; base p2 50.00; 10% = 5.00.
			want:  summary{1, 6, "0.1", "50.00", "5.00", "0.00", "5.00", ""},
			lines: []string{"p1 100.00 0.00 refunded", "p2 50.00 5.00"},
		},
		{
			name: "F1 refund one second before the close is inside the month", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2026-01-01"), c2},
			pays:    []referral.Payment{refundedAt(p1, "2026-03-31T23:59:59-05:00"), p2},
			want:    summary{1, 6, "0.1", "50.00", "5.00", "0.00", "5.00", ""},
			lines:   []string{"p1 100.00 0.00 refunded", "p2 50.00 5.00"},
		},
		{
			name: "F1 refund at 00:00 local on April 1st is after March's close", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2026-01-01"), c2},
			pays:    []referral.Payment{refundedAt(p1, "2026-04-01T00:00:00-05:00"), p2},
			// both count on March 31: 7; base 150.00; 10% = 15.00.
			want:  summary{1, 7, "0.1", "150.00", "15.00", "0.00", "15.00", ""},
			lines: []string{"p1 100.00 10.00", "p2 50.00 5.00"},
		},

		// Promotions (D5): promotions do not stack, unless the setting says.
		{
			name: "D5 promoted payment is left out of the base", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2026-01-01"), c2},
			pays:    []referral.Payment{promoted(p1, "launch"), p2},
			// a promoted payment still makes its client paid: 7 active.
			want:  summary{1, 7, "0.1", "50.00", "5.00", "0.00", "5.00", ""},
			lines: []string{"p1 100.00 0.00 promoted", "p2 50.00 5.00"},
		},
		{
			name: "D5 promoted payment counts when exclude_promoted_sales is false", fillers: 5, activated: longAgo, month: "2026-03",
			rules:   func(r *commission.Rules) { r.ExcludePromotedSales = false },
			clients: []referral.Client{linked("c1", "2026-01-01"), c2},
			pays:    []referral.Payment{promoted(p1, "launch"), p2},
			want:    summary{1, 7, "0.1", "150.00", "15.00", "0.00", "15.00", ""},
			lines:   []string{"p1 100.00 10.00", "p2 50.00 5.00"},
		},

		// Link at paid_at (D5, F3), by the local date of paid_at.
		{
			name: "F3 paid 2026-03-05T04:30Z (03-04 local), linked 03-05: not_linked", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2026-03-05"), c2},
			pays: []referral.Payment{
				pay("p1", "c1", "2026-03-05T04:30:00Z", "2026-03-05", "2026-04-04", "100.00"), p2,
			},
			// c1 is linked and covered on March 31: 7 active.
			want:  summary{1, 7, "0.1", "50.00", "5.00", "0.00", "5.00", ""},
			lines: []string{"p1 100.00 0.00 not_linked", "p2 50.00 5.00"},
		},
		{
			name: "F3 paid 2026-03-05T05:00Z (03-05 00:00 local), linked 03-05: linked", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2026-03-05"), c2},
			pays: []referral.Payment{
				pay("p1", "c1", "2026-03-05T05:00:00Z", "2026-03-05", "2026-04-04", "100.00"), p2,
			},
			want:  summary{1, 7, "0.1", "150.00", "15.00", "0.00", "15.00", ""},
			lines: []string{"p1 100.00 10.00", "p2 50.00 5.00"},
		},
		{
			name: "F3 paid on unlinked_on: not_linked", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linkedUntil("c1", "2026-01-01", "2026-03-05"), c2},
			pays:    []referral.Payment{p1, p2},
			// c1 is unlinked on March 31: 6 active.
			want:  summary{1, 6, "0.1", "50.00", "5.00", "0.00", "5.00", ""},
			lines: []string{"p1 100.00 0.00 not_linked", "p2 50.00 5.00"},
		},
		{
			name: "F3 paid the day before unlinked_on: linked", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linkedUntil("c1", "2026-01-01", "2026-03-06"), c2},
			pays:    []referral.Payment{p1, p2},
			want:    summary{1, 6, "0.1", "150.00", "15.00", "0.00", "15.00", ""},
			lines:   []string{"p1 100.00 10.00", "p2 50.00 5.00"},
		},
		{
			name: "F3 unlinked_on equal to linked_on: never linked", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linkedUntil("c1", "2026-01-01", "2026-01-01"), c2},
			pays:    []referral.Payment{p1, p2},
			want:    summary{1, 6, "0.1", "50.00", "5.00", "0.00", "5.00", ""},
			lines:   []string{"p1 100.00 0.00 not_linked", "p2 50.00 5.00"},
		},

		// The first-year window (D5, D6, F4).
		{
			name: "D5 client that paid for years before its link: outside_first_year", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2026-01-01"), c2},
			pays:    []referral.Payment{old, p1, p2},
			// first purchase 2023-06-10, window ends 2024-06-10. c1 counts: 7.
			want:  summary{1, 7, "0.1", "50.00", "5.00", "0.00", "5.00", ""},
			lines: []string{"p1 100.00 0.00 outside_first_year", "p2 50.00 5.00"},
		},
		{
			name: "F4 first purchase in another currency starts the window", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2025-01-01"), c2},
			pays: []referral.Payment{
				inCurrency(pay("p0", "c1", "2025-03-01T12:00:00-05:00", "2025-03-01", "2025-03-31", "100.00"), "COP"),
				p1, p2,
			},
			// first purchase 2025-03-01 (COP): window ends 2026-03-01.
			want:  summary{1, 7, "0.1", "50.00", "5.00", "0.00", "5.00", ""},
			lines: []string{"p1 100.00 0.00 outside_first_year", "p2 50.00 5.00"},
		},
		{
			name: "F4 a promoted first purchase starts the window too", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2025-01-01"), c2},
			pays: []referral.Payment{
				promoted(pay("p0", "c1", "2025-02-10T12:00:00-05:00", "2025-02-10", "2025-03-09", "100.00"), "launch"),
				p1, p2,
			},
			// first purchase 2025-02-10: window ends 2026-02-10.
			want:  summary{1, 7, "0.1", "50.00", "5.00", "0.00", "5.00", ""},
			lines: []string{"p1 100.00 0.00 outside_first_year", "p2 50.00 5.00"},
		},
		{
			name: "D5 first purchase refunded moves the window", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2025-01-01"), c2},
			pays: []referral.Payment{
				refundedAt(pay("p0", "c1", "2025-02-10T12:00:00-05:00", "2025-02-10", "2025-03-09", "100.00"),
					"2025-02-15T12:00:00-05:00"),
				pay("p0b", "c1", "2025-04-10T12:00:00-05:00", "2025-04-10", "2025-05-09", "100.00"),
				p1, p2,
			},
			// first purchase is p0b, 2025-04-10: window ends 2026-04-10.
			want:  summary{1, 7, "0.1", "150.00", "15.00", "0.00", "15.00", ""},
			lines: []string{"p1 100.00 10.00", "p2 50.00 5.00"},
		},
		{
			name: "F4 first purchase refunded after the close still starts the window", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2025-01-01"), c2},
			pays: []referral.Payment{
				refundedAt(pay("p0", "c1", "2025-02-10T12:00:00-05:00", "2025-02-10", "2025-03-09", "100.00"),
					"2026-04-02T12:00:00-05:00"),
				pay("p0b", "c1", "2025-04-10T12:00:00-05:00", "2025-04-10", "2025-05-09", "100.00"),
				p1, p2,
			},
			// at March's close p0 (2025-02-10) is the first: window ends 2026-02-10.
			want:  summary{1, 7, "0.1", "50.00", "5.00", "0.00", "5.00", ""},
			lines: []string{"p1 100.00 0.00 outside_first_year", "p2 50.00 5.00"},
		},
		{
			name: "D6 window: paid the day before first purchase + 12 months is inside", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2025-01-01")},
			pays: []referral.Payment{
				pay("p0", "c1", "2025-03-06T12:00:00-05:00", "2025-03-06", "2025-04-05", "100.00"), p1,
			},
			want:  summary{1, 6, "0.1", "100.00", "10.00", "0.00", "10.00", ""},
			lines: []string{"p1 100.00 10.00"},
		},
		{
			name: "D6 window: paid on first purchase + 12 months is outside", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2025-01-01")},
			pays: []referral.Payment{
				pay("p0", "c1", "2025-03-05T12:00:00-05:00", "2025-03-05", "2025-04-04", "100.00"), p1,
			},
			want:  summary{1, 6, "0.1", "0.00", "0.00", "0.00", "0.00", ""},
			lines: []string{"p1 100.00 0.00 outside_first_year"},
		},
		{
			name: "F4 window from the local date: 2025-03-06T04:30Z is 03-05 in Panama", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2025-01-01")},
			pays: []referral.Payment{
				pay("p0", "c1", "2025-03-06T04:30:00Z", "2025-03-05", "2025-04-04", "100.00"), p1,
			},
			want:  summary{1, 6, "0.1", "0.00", "0.00", "0.00", "0.00", ""},
			lines: []string{"p1 100.00 0.00 outside_first_year"},
		},
		{
			name: "D6 window from 2024-02-29 ends 2025-02-28", fillers: 5, activated: longAgo, month: "2025-02",
			clients: []referral.Client{linked("c1", "2024-01-01")},
			pays: []referral.Payment{
				pay("p0", "c1", "2024-02-29T12:00:00-05:00", "2024-02-29", "2024-03-28", "100.00"),
				pay("p1", "c1", "2025-02-27T12:00:00-05:00", "2025-02-27", "2025-03-26", "100.00"),
				pay("p2", "c1", "2025-02-28T12:00:00-05:00", "2025-03-27", "2025-04-26", "100.00"),
			},
			want:  summary{1, 6, "0.1", "100.00", "10.00", "0.00", "10.00", ""},
			lines: []string{"p1 100.00 10.00", "p2 100.00 0.00 outside_first_year"},
		},
		{
			name: "D6 window of 1 month from 2026-01-31 ends 2026-02-28", fillers: 5, activated: longAgo, month: "2026-02",
			rules:   func(r *commission.Rules) { r.WindowMonths = 1 },
			clients: []referral.Client{linked("c1", "2025-01-01")},
			pays: []referral.Payment{
				pay("p0", "c1", "2026-01-31T12:00:00-05:00", "2026-01-31", "2026-02-27", "100.00"),
				pay("p1", "c1", "2026-02-27T12:00:00-05:00", "2026-02-28", "2026-03-27", "100.00"),
				pay("p2", "c1", "2026-02-28T12:00:00-05:00", "2026-03-28", "2026-04-27", "100.00"),
			},
			want:  summary{1, 6, "0.1", "100.00", "10.00", "0.00", "10.00", ""},
			lines: []string{"p1 100.00 10.00", "p2 100.00 0.00 outside_first_year"},
		},

		// The first reason wins, in the order of section 6.
		{
			name: "F10 not_linked comes before refunded, promoted and outside_first_year", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2026-03-10")},
			pays:    []referral.Payment{old, refundedAt(promoted(p1, "launch"), "2026-03-20T12:00:00-05:00")},
			want:    summary{1, 5, "0.1", "0.00", "0.00", "0.00", "0.00", ""},
			lines:   []string{"p1 100.00 0.00 not_linked"},
		},
		{
			name: "F10 refunded comes before promoted and outside_first_year", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2026-01-01")},
			pays:    []referral.Payment{old, refundedAt(promoted(p1, "launch"), "2026-03-20T12:00:00-05:00")},
			want:    summary{1, 5, "0.1", "0.00", "0.00", "0.00", "0.00", ""},
			lines:   []string{"p1 100.00 0.00 refunded"},
		},
		{
			name: "F10 promoted comes before outside_first_year", fillers: 5, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2026-01-01")},
			pays:    []referral.Payment{old, promoted(p1, "launch")},
			want:    summary{1, 6, "0.1", "0.00", "0.00", "0.00", "0.00", ""},
			lines:   []string{"p1 100.00 0.00 promoted"},
		},
		{
			name: "F10 outside_first_year comes before not_activated", fillers: 5, activated: "", month: "2026-03",
			clients: []referral.Client{linked("c1", "2026-01-01"), c2},
			pays:    []referral.Payment{old, p1, p2},
			want:    summary{1, 7, "0.1", "50.00", "0.00", "0.00", "0.00", "not_activated"},
			lines:   []string{"p1 100.00 0.00 outside_first_year", "p2 50.00 0.00 not_activated"},
		},

		// What was known at the close (F2) and grace days (F16).
		{
			name: "F2 paid at 00:00 April 1st for March: not counted in March", fillers: 4, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2026-01-01")},
			pays:    []referral.Payment{pay("p1", "c1", "2026-04-01T00:00:00-05:00", "2026-03-01", "2026-03-31", "100.00")},
			want:    summary{0, 4, "0", "0.00", "0.00", "0.00", "0.00", "no_level"},
		},
		{
			name: "F2 paid at 23:59:59 on March 31st for March: counted", fillers: 4, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2026-01-01")},
			pays:    []referral.Payment{pay("p1", "c1", "2026-03-31T23:59:59-05:00", "2026-03-01", "2026-03-31", "100.00")},
			want:    summary{1, 5, "0.1", "100.00", "10.00", "0.00", "10.00", ""},
			lines:   []string{"p1 100.00 10.00"},
		},
		{
			name: "F16 no grace: a period ending March 29 does not count on the 31st", fillers: 4, activated: longAgo, month: "2026-03",
			clients: []referral.Client{linked("c1", "2026-01-01")},
			pays:    []referral.Payment{pay("p1", "c1", "2026-02-27T12:00:00-05:00", "2026-02-28", "2026-03-29", "100.00")},
			want:    summary{0, 4, "0", "0.00", "0.00", "0.00", "0.00", "no_level"},
		},
		{
			name: "F16 two grace days extend the period ending March 29 to the 31st", fillers: 4, activated: longAgo, month: "2026-03",
			rules:   func(r *commission.Rules) { r.GraceDays = 2 },
			clients: []referral.Client{linked("c1", "2026-01-01")},
			pays:    []referral.Payment{pay("p1", "c1", "2026-02-27T12:00:00-05:00", "2026-02-28", "2026-03-29", "100.00")},
			want:    summary{1, 5, "0.1", "0.00", "0.00", "0.00", "0.00", ""},
		},
		{
			name: "F16 grace days do not delay the refund test", fillers: 4, activated: longAgo, month: "2026-03",
			rules:   func(r *commission.Rules) { r.GraceDays = 2 },
			clients: []referral.Client{linked("c1", "2026-01-01")},
			pays: []referral.Payment{refundedAt(
				pay("p1", "c1", "2026-02-27T12:00:00-05:00", "2026-02-28", "2026-03-29", "100.00"),
				"2026-03-30T12:00:00-05:00")},
			// p1 earned 10.00 in February (4 + c1 = 5 on Feb 28), so its
			// March refund is also an adjustment (D9, F8).
			want:  summary{0, 4, "0", "0.00", "0.00", "-10.00", "-10.00", "no_level"},
			lines: []string{"p1 100.00 -10.00 refund_adjustment"},
		},
	})
}

// TestRoundingAndShares checks that the commission is rounded once (D7) and
// split into shares that add up to it (D8, F6).
func TestRoundingAndShares(t *testing.T) {
	c1 := []referral.Client{linked("c1", "2026-01-01")}
	nickel := func(id, day string) referral.Payment {
		return pay(id, "c1", "2026-03-"+day+"T12:00:00-05:00", "2026-03-01", "2026-03-31", "0.05")
	}
	fiveNickels := []referral.Payment{nickel("p1", "02"), nickel("p2", "03"), nickel("p3", "04"), nickel("p4", "05"), nickel("p5", "06")}

	runMonthCases(t, []monthCase{
		{
			// 10% of 0.25 is 0.025: 0.03 half up, where rounding each
			// payment (0.005 -> 0.01) would give 0.05. Each exact share is
			// 0.005, cut to 0.00; the 3 missing cents go by payment_id.
			name: "D7 round once: five 0.05 USD at 10% half_up", fillers: 5, activated: longAgo, month: "2026-03",
			clients: c1, pays: fiveNickels,
			want: summary{1, 6, "0.1", "0.25", "0.03", "0.00", "0.03", ""},
			lines: []string{
				"p1 0.05 0.01", "p2 0.05 0.01", "p3 0.05 0.01", "p4 0.05 0.00", "p5 0.05 0.00",
			},
		},
		{
			name: "D7 round once: five 0.05 USD at 10% half_even", fillers: 5, activated: longAgo, month: "2026-03",
			rules:   func(r *commission.Rules) { r.Rounding = commission.HalfEven },
			clients: c1, pays: fiveNickels,
			want: summary{1, 6, "0.1", "0.25", "0.02", "0.00", "0.02", ""},
			lines: []string{
				"p1 0.05 0.01", "p2 0.05 0.01", "p3 0.05 0.00", "p4 0.05 0.00", "p5 0.05 0.00",
			},
		},
		{
			// 10% of 0.10 is 0.01; exact shares 0.005 each tie, and "p-10"
			// comes before "p-9" in byte order.
			name: "F6 tie goes to payment_id in byte order: p-10 before p-9", fillers: 5, activated: longAgo, month: "2026-03",
			clients: c1, pays: []referral.Payment{nickel("p-9", "02"), nickel("p-10", "03")},
			want:  summary{1, 6, "0.1", "0.10", "0.01", "0.00", "0.01", ""},
			lines: []string{"p-10 0.05 0.01", "p-9 0.05 0.00"},
		},
		{
			// 10% of 0.15 is 0.015 -> 0.02. Exact 0.004, 0.004, 0.007: the
			// first cent to p3 (largest), the second to p1 (tie with p2).
			name: "D8 largest remainders first, then payment_id", fillers: 5, activated: longAgo, month: "2026-03",
			clients: c1,
			pays: []referral.Payment{
				pay("p1", "c1", "2026-03-02T12:00:00-05:00", "2026-03-01", "2026-03-31", "0.04"),
				pay("p2", "c1", "2026-03-03T12:00:00-05:00", "2026-03-01", "2026-03-31", "0.04"),
				pay("p3", "c1", "2026-03-04T12:00:00-05:00", "2026-03-01", "2026-03-31", "0.07"),
			},
			want:  summary{1, 6, "0.1", "0.15", "0.02", "0.00", "0.02", ""},
			lines: []string{"p1 0.04 0.01", "p2 0.04 0.00", "p3 0.07 0.01"},
		},
		{
			// 9 fillers + c1 = 10: level 2. 15% of 100.00 = 15.00; exact
			// 4.9995, 4.9995, 5.001 cut to 4.99, 4.99, 5.00; 2 cents to the
			// two remainders of 0.0095.
			name: "D8 shares at 15% add up to the rounded total", fillers: 9, activated: longAgo, month: "2026-03",
			clients: c1,
			pays: []referral.Payment{
				pay("p1", "c1", "2026-03-02T12:00:00-05:00", "2026-03-01", "2026-03-31", "33.33"),
				pay("p2", "c1", "2026-03-03T12:00:00-05:00", "2026-03-01", "2026-03-31", "33.33"),
				pay("p3", "c1", "2026-03-04T12:00:00-05:00", "2026-03-01", "2026-03-31", "33.34"),
			},
			want:  summary{2, 10, "0.15", "100.00", "15.00", "0.00", "15.00", ""},
			lines: []string{"p1 33.33 5.00", "p2 33.33 5.00", "p3 33.34 5.00"},
		},
		{
			// 15% of 0.30 is 0.045: 0.05 half up, 0.04 half even.
			name: "D7 half_even rounds 0.045 to 0.04", fillers: 9, activated: longAgo, month: "2026-03",
			rules:   func(r *commission.Rules) { r.Rounding = commission.HalfEven },
			clients: c1,
			pays:    []referral.Payment{pay("p1", "c1", "2026-03-02T12:00:00-05:00", "2026-03-01", "2026-03-31", "0.30")},
			want:    summary{2, 10, "0.15", "0.30", "0.04", "0.00", "0.04", ""},
			lines:   []string{"p1 0.30 0.04"},
		},
		{
			name: "D7 half_up rounds 0.045 to 0.05", fillers: 9, activated: longAgo, month: "2026-03",
			clients: c1,
			pays:    []referral.Payment{pay("p1", "c1", "2026-03-02T12:00:00-05:00", "2026-03-01", "2026-03-31", "0.30")},
			want:    summary{2, 10, "0.15", "0.30", "0.05", "0.00", "0.05", ""},
			lines:   []string{"p1 0.30 0.05"},
		},
	})
}

// TestActivation checks when commission accrues (D10, F5) and the
// statement's reason (F7, F10).
func TestActivation(t *testing.T) {
	c1 := []referral.Client{linked("c1", "2026-01-01")}
	// p1 is paid on March 5 for March 5 - April 4: counted on March 31.
	p1 := []referral.Payment{pay("p1", "c1", "2026-03-05T12:00:00-05:00", "2026-03-05", "2026-04-04", "100.00")}

	runMonthCases(t, []monthCase{
		{
			name: "F5 activated on March 31 accrues all of March, before that day too", fillers: 5, activated: "2026-03-31", month: "2026-03",
			clients: c1, pays: p1,
			want:  summary{1, 6, "0.1", "100.00", "10.00", "0.00", "10.00", ""},
			lines: []string{"p1 100.00 10.00"},
		},
		{
			name: "D10 activated on April 1st: March is not_activated, base kept (F7)", fillers: 5, activated: "2026-04-01", month: "2026-03",
			clients: c1, pays: p1,
			want:  summary{1, 6, "0.1", "100.00", "0.00", "0.00", "0.00", "not_activated"},
			lines: []string{"p1 100.00 0.00 not_activated"},
		},
		{
			name: "D10 activated on April 1st: April accrues", fillers: 5, activated: "2026-04-01", month: "2026-04",
			clients: c1,
			pays: append(p1[:1:1],
				pay("p3", "c1", "2026-04-05T12:00:00-05:00", "2026-04-05", "2026-05-04", "40.00")),
			want:  summary{1, 6, "0.1", "40.00", "4.00", "0.00", "4.00", ""},
			lines: []string{"p3 40.00 4.00"},
		},
		{
			name: "D10 never activated", fillers: 5, activated: "", month: "2026-03",
			clients: c1, pays: p1,
			want:  summary{1, 6, "0.1", "100.00", "0.00", "0.00", "0.00", "not_activated"},
			lines: []string{"p1 100.00 0.00 not_activated"},
		},
		{
			name: "D10 never activated but require_activation is false", fillers: 5, activated: "", month: "2026-03",
			rules:   func(r *commission.Rules) { r.RequireActivation = false },
			clients: c1, pays: p1,
			want:  summary{1, 6, "0.1", "100.00", "10.00", "0.00", "10.00", ""},
			lines: []string{"p1 100.00 10.00"},
		},
		{
			name: "F7 no level: rate 0, base kept, lines say no_level", fillers: 4, activated: longAgo, month: "2026-03",
			clients: c1,
			pays:    []referral.Payment{pay("p1", "c1", "2026-03-05T12:00:00-05:00", "2026-03-01", "2026-03-30", "100.00")},
			want:    summary{0, 4, "0", "100.00", "0.00", "0.00", "0.00", "no_level"},
			lines:   []string{"p1 100.00 0.00 no_level"},
		},
		{
			name: "F10 not_activated is checked before no_level", fillers: 4, activated: "", month: "2026-03",
			clients: c1,
			pays:    []referral.Payment{pay("p1", "c1", "2026-03-05T12:00:00-05:00", "2026-03-01", "2026-03-30", "100.00")},
			want:    summary{0, 4, "0", "100.00", "0.00", "0.00", "0.00", "not_activated"},
			lines:   []string{"p1 100.00 0.00 not_activated"},
		},
		{
			name: "F10 reason stays empty when nothing is eligible", fillers: 5, activated: longAgo, month: "2026-03",
			clients: c1, pays: []referral.Payment{promoted(p1[0], "launch")},
			want:  summary{1, 6, "0.1", "0.00", "0.00", "0.00", "0.00", ""},
			lines: []string{"p1 100.00 0.00 promoted"},
		},
	})
}

// TestRefundAdjustments checks refunds after the close of the payment's
// month (D9, F1, F8). p1 is paid on March 5 for March 5 - April 4 and
// earns 10% of 100.00 in March.
func TestRefundAdjustments(t *testing.T) {
	c1 := []referral.Client{linked("c1", "2026-01-01")}
	p1 := pay("p1", "c1", "2026-03-05T12:00:00-05:00", "2026-03-05", "2026-04-04", "100.00")
	april10 := "2026-04-10T12:00:00-05:00"
	nickel := func(id, day string) referral.Payment {
		return pay(id, "c1", "2026-03-"+day+"T12:00:00-05:00", "2026-03-01", "2026-03-31", "0.05")
	}

	runMonthCases(t, []monthCase{
		{
			name: "D9 the closed month keeps the share of a payment refunded later", fillers: 5, activated: longAgo,
			from: "2026-03", to: "2026-04", month: "2026-03",
			clients: c1, pays: []referral.Payment{refundedAt(p1, april10)},
			want:  summary{1, 6, "0.1", "100.00", "10.00", "0.00", "10.00", ""},
			lines: []string{"p1 100.00 10.00"},
		},
		{
			// April: 5 fillers; no payment; net negative.
			name: "D9 refund after the close: negative adjustment in the refund's month", fillers: 5, activated: longAgo,
			from: "2026-03", to: "2026-04", month: "2026-04",
			clients: c1, pays: []referral.Payment{refundedAt(p1, april10)},
			want:  summary{1, 5, "0.1", "0.00", "0.00", "-10.00", "-10.00", ""},
			lines: []string{"p1 100.00 -10.00 refund_adjustment"},
		},
		{
			name: "F8 adjustment recomputed when the payment's month is before the range", fillers: 5, activated: longAgo,
			month:   "2026-04",
			clients: c1, pays: []referral.Payment{refundedAt(p1, april10)},
			want:  summary{1, 5, "0.1", "0.00", "0.00", "-10.00", "-10.00", ""},
			lines: []string{"p1 100.00 -10.00 refund_adjustment"},
		},
		{
			name: "F1 refund at 00:00 local on April 1st: adjustment in April", fillers: 5, activated: longAgo,
			month:   "2026-04",
			clients: c1, pays: []referral.Payment{refundedAt(p1, "2026-04-01T00:00:00-05:00")},
			want:  summary{1, 5, "0.1", "0.00", "0.00", "-10.00", "-10.00", ""},
			lines: []string{"p1 100.00 -10.00 refund_adjustment"},
		},
		{
			name: "F1 refund at 2026-04-01T04:59:59Z is March 31 local: no adjustment", fillers: 5, activated: longAgo,
			from: "2026-03", to: "2026-04", month: "2026-04",
			clients: c1, pays: []referral.Payment{refundedAt(p1, "2026-04-01T04:59:59Z")},
			want: summary{1, 5, "0.1", "0.00", "0.00", "0.00", "0.00", ""},
		},
		{
			// March: 4 + c1 = 5, level 1, p1 earns 10.00. April: 4, no level.
			name: "F8 adjustment whatever the level of the refund's month", fillers: 4, activated: longAgo,
			month:   "2026-04",
			clients: c1, pays: []referral.Payment{refundedAt(p1, april10)},
			want:  summary{0, 4, "0", "0.00", "0.00", "-10.00", "-10.00", "no_level"},
			lines: []string{"p1 100.00 -10.00 refund_adjustment"},
		},
		{
			name: "F8 no adjustment for a payment that earned nothing (not activated)", fillers: 5, activated: "2026-04-01",
			month:   "2026-04",
			clients: c1, pays: []referral.Payment{refundedAt(p1, april10)},
			want: summary{1, 5, "0.1", "0.00", "0.00", "0.00", "0.00", ""},
		},
		{
			// March as in TestRoundingAndShares: p1-p3 earn 0.01, p4-p5 0.00.
			name: "F8 no adjustment for an eligible payment whose share was 0.00", fillers: 5, activated: longAgo,
			month:   "2026-04",
			clients: c1,
			pays: []referral.Payment{
				refundedAt(nickel("p1", "02"), april10), nickel("p2", "03"), nickel("p3", "04"),
				refundedAt(nickel("p4", "05"), april10), nickel("p5", "06"),
			},
			want:  summary{1, 5, "0.1", "0.00", "0.00", "-0.01", "-0.01", ""},
			lines: []string{"p1 0.05 -0.01 refund_adjustment"},
		},
		{
			name: "F8 adjustment in the payment's currency: a COP statement in April", fillers: 5, activated: longAgo,
			month: "2026-04", currency: "COP",
			clients: c1, pays: []referral.Payment{inCurrency(refundedAt(p1, april10), "COP")},
			want:  summary{1, 5, "0.1", "0.00", "0.00", "-10.00", "-10.00", ""},
			lines: []string{"p1 100.00 -10.00 refund_adjustment"},
		},
	})
}

// TestClosedMonthIsReproducible checks D9: March computed on the data known
// at its close, and again after later payments, refunds and clients are
// added, gives the same bytes.
func TestClosedMonthIsReproducible(t *testing.T) {
	r := testRules(t)
	p1 := pay("p1", "c1", "2026-03-05T12:00:00-05:00", "2026-03-05", "2026-04-04", "100.00")
	p2 := pay("p2", "c2", "2026-03-10T12:00:00-05:00", "2026-03-10", "2026-04-09", "50.00")
	before := data{
		accs:    []referral.Accountant{accountant("a", "PA", longAgo)},
		clients: []referral.Client{linked("c1", "2026-01-01"), linked("c2", "2026-01-01")},
		pays:    []referral.Payment{p1, p2},
	}.withFillers("a", "USD", 4)

	after := data{accs: before.accs, clients: slices.Clone(before.clients)}
	for _, p := range before.pays {
		switch p.ID {
		case "p1":
			p = refundedAt(p, "2026-04-01T00:00:00-05:00") // at the close: after it (F1)
		case "p2":
			p = refundedAt(p, "2026-05-03T12:00:00-05:00")
		}
		after.pays = append(after.pays, p)
	}
	after.pays = append(after.pays,
		pay("p3", "c1", "2026-04-02T12:00:00-05:00", "2026-04-05", "2026-05-04", "100.00"))
	// Four more clients linked since January paid at March's close for March:
	// were they counted (F2), March would move from 6 to 10, level 2.
	for i := 3; i <= 6; i++ {
		id := fmt.Sprintf("c%d", i)
		after.clients = append(after.clients, linked(id, "2026-01-01"))
		after.pays = append(after.pays, pay("late-"+id, id, "2026-04-01T00:00:00-05:00", "2026-03-01", "2026-03-31", "80.00"))
	}
	after.clients = append(after.clients, linked("c7", "2026-04-15"))
	after.pays = append(after.pays, pay("p7", "c7", "2026-04-15T12:00:00-05:00", "2026-04-15", "2026-05-14", "60.00"))

	// March before: 4 + c1 + c2 = 6, level 1, base 150.00, commission 15.00.
	march := compute(t, r, before.build(t, r), "2026-03", "2026-03")
	st := statementOf(t, march, "a", "2026-03", "USD")
	want := summary{1, 6, "0.1", "150.00", "15.00", "0.00", "15.00", ""}
	if got := summarize(st); got != want {
		t.Fatalf("Compute(2026-03) = %+v, want %+v", got, want)
	}
	wantStatements, wantLines := csvBytes(t, march)

	dsAfter := after.build(t, r)
	for _, rng := range [][2]string{{"2026-03", "2026-03"}, {"2026-01", "2026-05"}} {
		var again []commission.Statement
		for _, st := range compute(t, r, dsAfter, rng[0], rng[1]) {
			if st.Month.String() == "2026-03" {
				again = append(again, st)
			}
		}
		gotStatements, gotLines := csvBytes(t, again)
		if !bytes.Equal(gotStatements, wantStatements) || !bytes.Equal(gotLines, wantLines) {
			t.Errorf("Compute(%s..%s) with later data, March =\n%s%s\nwant\n%s%s",
				rng[0], rng[1], gotStatements, gotLines, wantStatements, wantLines)
		}
	}
}

// csvBytes writes sts with commission.WriteCSV.
func csvBytes(t *testing.T, sts []commission.Statement) (statements, lines []byte) {
	t.Helper()
	var sb, lb bytes.Buffer
	if err := commission.WriteCSV(&sb, &lb, sts); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	return sb.Bytes(), lb.Bytes()
}

// TestWhoGetsStatements checks D10, F9 and F13: registered accountants of a
// program country get one home-currency statement every month, even with
// no clients; the unregistered and those of other countries get none.
func TestWhoGetsStatements(t *testing.T) {
	r := testRules(t)
	d := data{
		accs: []referral.Accountant{
			accountant("a", "PA", longAgo),
			{ID: "b", Country: "PA", Registered: false, ActivatedOn: mustDate(longAgo)},
			accountant("c", "MX", longAgo),
			accountant("d", "CR", longAgo),
		},
		clients: []referral.Client{
			{ID: "cb", AccountantID: "b", LinkedOn: mustDate("2025-01-01")},
			{ID: "cc", AccountantID: "c", LinkedOn: mustDate("2025-01-01")},
		},
		pays: []referral.Payment{
			pay("pb", "cb", "2026-02-05T12:00:00-05:00", "2026-02-05", "2026-03-04", "100.00"),
			pay("pc", "cc", "2026-02-05T12:00:00-05:00", "2026-02-05", "2026-03-04", "100.00"),
		},
	}
	sts := compute(t, r, d.build(t, r), "2026-01", "2026-03")
	want := []string{
		"a 2026-01 USD", "a 2026-02 USD", "a 2026-03 USD",
		"d 2026-01 CRC", "d 2026-02 CRC", "d 2026-03 CRC",
	}
	if got := keys(sts); !slices.Equal(got, want) {
		t.Fatalf("Compute(2026-01..2026-03) statements = %q, want %q", got, want)
	}
	wantSummary := summary{0, 0, "0", "0.00", "0.00", "0.00", "0.00", "no_level"}
	for _, st := range sts {
		if got := summarize(st); got != wantSummary || len(st.Lines) != 0 {
			t.Errorf("Compute %s %s = %+v with %d lines, want %+v with none",
				st.AccountantID, st.Month, got, len(st.Lines), wantSummary)
		}
	}
}

// TestExtraCurrencyStatements checks F9: a statement in a currency other
// than the home one exists only in months with a line or an adjustment in
// it.
func TestExtraCurrencyStatements(t *testing.T) {
	r := testRules(t)
	d := data{
		accs: []referral.Accountant{accountant("a", "PA", longAgo)},
		clients: []referral.Client{
			linked("c1", "2026-01-01"), linked("c2", "2026-01-01"), linked("c3", "2026-08-01"),
		},
		pays: []referral.Payment{
			// March: an earning COP line.
			inCurrency(pay("p1", "c1", "2026-03-05T12:00:00-05:00", "2026-03-05", "2026-04-04", "10.00"), "COP"),
			// May: earns 1.00 COP; refunded in June: June adjustment only.
			inCurrency(refundedAt(pay("p2", "c2", "2026-05-05T12:00:00-05:00", "2026-05-05", "2026-06-04", "10.00"),
				"2026-06-10T12:00:00-05:00"), "COP"),
			// July: a COP line that earns nothing (not linked yet).
			inCurrency(pay("p3", "c3", "2026-07-10T12:00:00-05:00", "2026-07-10", "2026-08-09", "10.00"), "COP"),
		},
	}.withFillers("a", "USD", 5)

	sts := compute(t, r, d.build(t, r), "2026-03", "2026-08")
	want := []string{
		"a 2026-03 COP", "a 2026-03 USD",
		"a 2026-04 USD",
		"a 2026-05 COP", "a 2026-05 USD",
		"a 2026-06 COP", "a 2026-06 USD",
		"a 2026-07 COP", "a 2026-07 USD",
		"a 2026-08 USD",
	}
	if got := keys(sts); !slices.Equal(got, want) {
		t.Fatalf("Compute(2026-03..2026-08) statements = %q, want %q", got, want)
	}
	june := statementOf(t, sts, "a", "2026-06", "COP")
	wantJune := []string{"p2 10.00 -1.00 refund_adjustment"}
	if got := lineStrings(june); !slices.Equal(got, wantJune) {
		t.Errorf("Compute a 2026-06 COP lines = %q, want %q", got, wantJune)
	}
	july := statementOf(t, sts, "a", "2026-07", "COP")
	wantJuly := []string{"p3 10.00 0.00 not_linked"}
	if got := lineStrings(july); !slices.Equal(got, wantJuly) {
		t.Errorf("Compute a 2026-07 COP lines = %q, want %q", got, wantJuly)
	}
}

// TestPayable checks D11: the statement of M is payable in M plus the
// payout delay, as service credit.
func TestPayable(t *testing.T) {
	tests := []struct {
		name  string
		delay int
		month string
		want  string
	}{
		{"D11 default delay: March payable in April", 1, "2026-03", "2026-04"},
		{"D11 default delay: December payable next January", 1, "2026-12", "2027-01"},
		{"D11 delay 2: November payable next January", 2, "2026-11", "2027-01"},
		{"D11 delay 2: December payable next February", 2, "2026-12", "2027-02"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := testRules(t)
			r.PayoutDelayMonths = tc.delay
			d := data{accs: []referral.Accountant{accountant("a", "PA", longAgo)}}
			st := statementOf(t, compute(t, r, d.build(t, r), tc.month, tc.month), "a", tc.month, "USD")
			if got := st.PayableMonth.String(); got != tc.want {
				t.Errorf("Compute(%s) with delay %d: payable %s, want %s", tc.month, tc.delay, got, tc.want)
			}
			if st.Payout != "service_credit" {
				t.Errorf("Compute(%s): payout %q, want %q", tc.month, st.Payout, "service_credit")
			}
		})
	}
}

// TestSorting checks F11: statements by accountant, month and currency;
// lines by payment_id, then adjustment lines by payment_id, in byte order.
func TestSorting(t *testing.T) {
	r := testRules(t)
	march := func(id, client, day, cur string) referral.Payment {
		return inCurrency(pay(id, client, "2026-03-"+day+"T12:00:00-05:00", "2026-03-01", "2026-03-31", "10.00"), cur)
	}
	april := func(id, day string) referral.Payment {
		return pay(id, "c1", "2026-04-"+day+"T12:00:00-05:00", "2026-04-01", "2026-04-30", "10.00")
	}
	d := data{
		// b comes first in the input; a first in the output.
		accs:    []referral.Accountant{accountant("b", "PA", longAgo), accountant("a", "PA", longAgo)},
		clients: []referral.Client{linked("c1", "2026-01-01"), linked("c2", "2026-01-01")},
		pays: []referral.Payment{
			april("p-9", "05"), april("p-10", "06"),
			refundedAt(march("q-2", "c1", "02", "USD"), "2026-04-15T12:00:00-05:00"),
			refundedAt(march("q-10", "c1", "03", "USD"), "2026-04-15T12:00:00-05:00"),
			march("r-1", "c2", "04", "COP"),
		},
	}.withFillers("b", "USD", 5).withFillers("a", "USD", 5)

	sts := compute(t, r, d.build(t, r), "2026-03", "2026-04")
	wantKeys := []string{"a 2026-03 COP", "a 2026-03 USD", "a 2026-04 USD", "b 2026-03 USD", "b 2026-04 USD"}
	if got := keys(sts); !slices.Equal(got, wantKeys) {
		t.Fatalf("Compute(2026-03..2026-04) statements = %q, want %q", got, wantKeys)
	}
	// March USD: 20.00 x 10% = 2.00, 1.00 each. April: p-9 and p-10 the
	// same; the March shares come back as adjustments.
	tests := []struct {
		month string
		want  []string
	}{
		{"2026-03", []string{"q-10 10.00 1.00", "q-2 10.00 1.00"}},
		{"2026-04", []string{
			"p-10 10.00 1.00", "p-9 10.00 1.00",
			"q-10 10.00 -1.00 refund_adjustment", "q-2 10.00 -1.00 refund_adjustment",
		}},
	}
	for _, tc := range tests {
		st := statementOf(t, sts, "a", tc.month, "USD")
		if got := lineStrings(st); !slices.Equal(got, tc.want) {
			t.Errorf("Compute a %s USD lines = %q, want %q", tc.month, got, tc.want)
		}
	}
}

// TestWriteCSV checks the flat CSV form (section 6, F12): the rate as a
// normalised fraction, amounts with exactly two digits, an empty reason on
// earning lines and share 0.00 on the others.
func TestWriteCSV(t *testing.T) {
	r := testRules(t)
	d := data{
		accs: []referral.Accountant{
			accountant("a", "PA", longAgo), accountant("b", "CO", longAgo), accountant("c", "DO", longAgo),
		},
		clients: []referral.Client{
			linked("c1", "2026-01-01"),
			{ID: "c2", AccountantID: "c", LinkedOn: mustDate("2026-01-01")},
		},
		pays: []referral.Payment{
			pay("p1", "c1", "2026-03-05T12:00:00-05:00", "2026-03-05", "2026-04-04", "100"),
			inCurrency(promoted(pay("p2", "c2", "2026-03-05T12:00:00-04:00", "2026-03-05", "2026-04-04", "7.5"), "launch"), "DOP"),
		},
	}.withFillers("a", "USD", 9).withFillers("c", "DOP", 5)

	// a: 9 + c1 = 10, level 2, 15% of 100 = 15.00. b: no clients, no
	// level. c: 5 + c2 = 6, level 1, its only payment promoted.
	gotS, gotL := csvBytes(t, compute(t, r, d.build(t, r), "2026-03", "2026-03"))
	wantS := "accountant_id,month,currency,level,active_paid_referrals,rate,base,commission,adjustments,net,payable_month,reason\n" +
		"a,2026-03,USD,2,10,0.15,100.00,15.00,0.00,15.00,2026-04,\n" +
		"b,2026-03,COP,0,0,0,0.00,0.00,0.00,0.00,2026-04,no_level\n" +
		"c,2026-03,DOP,1,6,0.1,0.00,0.00,0.00,0.00,2026-04,\n"
	wantL := "accountant_id,month,currency,payment_id,client_id,amount,share,reason\n" +
		"a,2026-03,USD,p1,c1,100.00,15.00,\n" +
		"c,2026-03,DOP,p2,c2,7.50,0.00,promoted\n"
	if string(gotS) != wantS {
		t.Errorf("WriteCSV statements =\n%s\nwant\n%s", gotS, wantS)
	}
	if string(gotL) != wantL {
		t.Errorf("WriteCSV lines =\n%s\nwant\n%s", gotL, wantL)
	}
}

// TestWriteCSVNegative checks F12 on a negative net and on level rates
// 0.2 and 0.25, written from rules given as 0.20 and 0.25.
func TestWriteCSVNegative(t *testing.T) {
	r := testRules(t)
	d := data{
		accs:    []referral.Accountant{accountant("a", "PA", longAgo)},
		clients: []referral.Client{linked("c1", "2026-01-01")},
		pays: []referral.Payment{refundedAt(
			pay("p1", "c1", "2026-03-05T12:00:00-05:00", "2026-03-05", "2026-04-04", "0.10"),
			"2026-04-10T12:00:00-05:00")},
	}.withFillers("a", "USD", 13)

	// March: 13 + c1 = 14, level 3: 20% of 0.10 = 0.02. April: 13, level 3,
	// the refund takes 0.02 back.
	gotS, gotL := csvBytes(t, compute(t, r, d.build(t, r), "2026-03", "2026-04"))
	wantS := "accountant_id,month,currency,level,active_paid_referrals,rate,base,commission,adjustments,net,payable_month,reason\n" +
		"a,2026-03,USD,3,14,0.2,0.10,0.02,0.00,0.02,2026-04,\n" +
		"a,2026-04,USD,3,13,0.2,0.00,0.00,-0.02,-0.02,2026-05,\n"
	wantL := "accountant_id,month,currency,payment_id,client_id,amount,share,reason\n" +
		"a,2026-03,USD,p1,c1,0.10,0.02,\n" +
		"a,2026-04,USD,p1,c1,0.10,-0.02,refund_adjustment\n"
	if string(gotS) != wantS {
		t.Errorf("WriteCSV statements =\n%s\nwant\n%s", gotS, wantS)
	}
	if string(gotL) != wantL {
		t.Errorf("WriteCSV lines =\n%s\nwant\n%s", gotL, wantL)
	}
}
