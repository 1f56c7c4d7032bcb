package referral_test

// Tests of active paid referrals (D2), with local dates (D3) and what was
// known at the end of a day (F1, F2, F3, F16). Expected values are worked
// out by hand from SPEC.md. Unless a case says otherwise, the zone is
// America/Bogota (UTC-5, no daylight saving time) and there are no grace
// days.

import (
	"slices"
	"testing"
	"time"

	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

// currencies is the program's currencies for referral.New.
type currencies map[string]int

func (c currencies) MinorUnits(code string) (int, bool) {
	n, ok := c[code]
	return n, ok
}

var programCurrencies = currencies{"COP": 2, "DOP": 2, "USD": 2, "CRC": 2}

// mustDate and mustTime read fixed literals of the tests; "" gives the
// zero Date or time.
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

// zone loads a time zone by its IANA name.
func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time.LoadLocation(%q): %v", name, err)
	}
	return loc
}

// client is client "c" of accountant "a", linked from linked until
// unlinked ("" for never unlinked).
func client(id, linked, unlinked string) referral.Client {
	return referral.Client{ID: id, AccountantID: "a", LinkedOn: mustDate(linked), UnlinkedOn: mustDate(unlinked)}
}

// payment is a COP payment of client paid at paidAt for start to end,
// refunded at refunded ("" for never).
func payment(id, client, paidAt, start, end, refunded string) referral.Payment {
	return referral.Payment{
		ID: id, ClientID: client, PaidAt: mustTime(paidAt),
		PeriodStart: mustDate(start), PeriodEnd: mustDate(end),
		Amount: decimal.RequireFromString("69900.00"), Currency: "COP",
		RefundedAt: mustTime(refunded),
	}
}

func TestCoverageStatus(t *testing.T) {
	// A lapse and a reactivation: paid for January 5 - February 4, then
	// again on March 12 for March 10 - April 9 (paid two days late).
	lapse := []referral.Payment{
		payment("p1", "c", "2026-01-05T10:00:00-05:00", "2026-01-05", "2026-02-04", ""),
		payment("p2", "c", "2026-03-12T10:00:00-05:00", "2026-03-10", "2026-04-09", ""),
	}
	// Two overlapping payments covering January 15-31.
	overlap := []referral.Payment{
		payment("p1", "c", "2026-01-01T09:00:00-05:00", "2026-01-01", "2026-01-31", ""),
		payment("p2", "c", "2026-01-14T09:00:00-05:00", "2026-01-15", "2026-02-14", ""),
	}
	january := func(refunded string) []referral.Payment {
		return []referral.Payment{payment("p1", "c", "2026-01-01T09:00:00-05:00", "2026-01-01", "2026-01-31", refunded)}
	}
	always := client("c", "2025-01-01", "")

	tests := []struct {
		name    string
		zone    string // America/Bogota when empty
		grace   int
		client  referral.Client
		pays    []referral.Payment
		day     string
		counted bool
		reason  referral.Reason
		since   string
		// anySince leaves Since unchecked.
		anySince bool
	}{
		// A lapse and a reactivation (D2, F2).
		{name: "D2 before the first payment: never_paid", client: always, pays: lapse, day: "2026-01-04",
			reason: referral.NeverPaid},
		{name: "D2 first day paid and covered", client: always, pays: lapse, day: "2026-01-05", counted: true},
		{name: "D2 last day of the period is covered", client: always, pays: lapse, day: "2026-02-04", counted: true},
		{name: "D2 lapse: the day after the period", client: always, pays: lapse, day: "2026-02-05",
			reason: referral.Lapsed, since: "2026-02-05"},
		{name: "D2 still lapsed on the new period's start, not yet paid (F2)", client: always, pays: lapse, day: "2026-03-10",
			reason: referral.Lapsed, since: "2026-02-05"},
		{name: "D2 reactivated on the day the new payment is made", client: always, pays: lapse, day: "2026-03-12", counted: true},
		{name: "D2 lapsed again after the new period", client: always, pays: lapse, day: "2026-04-10",
			reason: referral.Lapsed, since: "2026-04-10"},

		// Overlapping payments (D2): counted, once (see TestCountActive).
		{name: "D2 two overlapping payments", client: always, pays: overlap, day: "2026-01-20", counted: true},
		{name: "D2 one of two overlapping payments refunded", client: always, day: "2026-01-20", counted: true,
			pays: []referral.Payment{overlap[0], payment("p2", "c", "2026-01-14T09:00:00-05:00", "2026-01-15", "2026-02-14",
				"2026-01-16T09:00:00-05:00")}},
		{name: "D2 covered only by a payment for later days: not_yet_covered", client: always, day: "2026-01-25",
			pays:   []referral.Payment{payment("p1", "c", "2026-01-20T09:00:00-05:00", "2026-02-01", "2026-02-28", "")},
			reason: referral.NotYetCovered},

		// Link dates (D2, F3).
		// ClientStatus.Since is documented for a lapse and an unlink only,
		// so its value for not_yet_linked is left unchecked.
		{name: "D2 the day before linked_on: not_yet_linked", client: client("c", "2026-01-10", ""), pays: january(""),
			day: "2026-01-09", reason: referral.NotYetLinked, anySince: true},
		{name: "D2 on linked_on: counted", client: client("c", "2026-01-10", ""), pays: january(""),
			day: "2026-01-10", counted: true},
		{name: "D2 the day before unlinked_on: counted", client: client("c", "2025-01-01", "2026-01-20"), pays: january(""),
			day: "2026-01-19", counted: true},
		{name: "D2 on unlinked_on (exclusive): unlinked", client: client("c", "2025-01-01", "2026-01-20"), pays: january(""),
			day: "2026-01-20", reason: referral.Unlinked, since: "2026-01-20"},
		{name: "F3 unlinked_on equal to linked_on: never linked", client: client("c", "2026-01-10", "2026-01-10"),
			pays: january(""), day: "2026-01-10", reason: referral.NeverLinked},
		{name: "F3 unlinked_on before linked_on: never linked", client: client("c", "2026-01-10", "2026-01-05"),
			pays: january(""), day: "2026-01-20", reason: referral.NeverLinked},

		// Refunds (D2, F1): at or before the end of the day.
		{name: "D2 the day before the refund: counted", client: always, pays: january("2026-01-15T10:00:00-05:00"),
			day: "2026-01-14", counted: true},
		{name: "D2 on the day of the refund: refunded", client: always, pays: january("2026-01-15T10:00:00-05:00"),
			day: "2026-01-15", reason: referral.Refunded},
		{name: "D2 after the refund: refunded", client: always, pays: january("2026-01-15T10:00:00-05:00"),
			day: "2026-01-25", reason: referral.Refunded},
		{name: "F1 refund at 00:00 local of the next day is after the day", client: always,
			pays: january("2026-01-15T00:00:00-05:00"), day: "2026-01-14", counted: true},
		{name: "F1 refund at 23:59:59 local is within the day", client: always,
			pays: january("2026-01-14T23:59:59-05:00"), day: "2026-01-14", reason: referral.Refunded},

		// Paid by the end of the day (F2).
		{name: "F2 paid at 00:00 Feb 1 for January: not known on Jan 31", client: always, day: "2026-01-31",
			pays:   []referral.Payment{payment("p1", "c", "2026-02-01T00:00:00-05:00", "2026-01-01", "2026-01-31", "")},
			reason: referral.NeverPaid},
		{name: "F2 paid at 23:59:59 Jan 31 for January: counted on Jan 31", client: always, day: "2026-01-31",
			pays:    []referral.Payment{payment("p1", "c", "2026-01-31T23:59:59-05:00", "2026-01-01", "2026-01-31", "")},
			counted: true},

		// Grace days (D2, F16) extend coverage, not the refund.
		{name: "F16 third grace day is covered", grace: 3, client: always, pays: january(""), day: "2026-02-03", counted: true},
		{name: "F16 lapsed after the grace days", grace: 3, client: always, pays: january(""), day: "2026-02-04",
			reason: referral.Lapsed, since: "2026-02-04"},
		{name: "F16 refunded inside the grace days", grace: 3, client: always, pays: january("2026-02-02T10:00:00-05:00"),
			day: "2026-02-02", reason: referral.Refunded},
		{name: "F16 refunded in January: grace days do not cover Feb 2", grace: 3, client: always,
			pays: january("2026-01-20T10:00:00-05:00"), day: "2026-02-02", reason: referral.Refunded},

		// The local day decides (D3): 2026-02-01T04:30Z is 01-31 23:30 in
		// Bogota and Panama, 22:30 in Costa Rica, 02-01 00:30 in Santo Domingo.
		{name: "D3 Bogota: paid 04:30Z is paid on Jan 31", zone: "America/Bogota", client: always, day: "2026-01-31",
			pays:    []referral.Payment{payment("p1", "c", "2026-02-01T04:30:00Z", "2026-01-01", "2026-01-31", "")},
			counted: true},
		{name: "D3 Panama: paid 04:30Z is paid on Jan 31", zone: "America/Panama", client: always, day: "2026-01-31",
			pays:    []referral.Payment{payment("p1", "c", "2026-02-01T04:30:00Z", "2026-01-01", "2026-01-31", "")},
			counted: true},
		{name: "D3 Costa Rica: paid 04:30Z is paid on Jan 31", zone: "America/Costa_Rica", client: always, day: "2026-01-31",
			pays:    []referral.Payment{payment("p1", "c", "2026-02-01T04:30:00Z", "2026-01-01", "2026-01-31", "")},
			counted: true},
		{name: "D3 Santo Domingo: paid 04:30Z is paid on Feb 1", zone: "America/Santo_Domingo", client: always, day: "2026-01-31",
			pays:   []referral.Payment{payment("p1", "c", "2026-02-01T04:30:00Z", "2026-01-01", "2026-01-31", "")},
			reason: referral.NeverPaid},
		{name: "D3 Costa Rica: refund 04:30Z is on Jan 31", zone: "America/Costa_Rica", client: always, day: "2026-01-31",
			pays:   []referral.Payment{payment("p1", "c", "2026-01-01T12:00:00Z", "2026-01-01", "2026-02-28", "2026-02-01T04:30:00Z")},
			reason: referral.Refunded},
		{name: "D3 Santo Domingo: refund 04:30Z is on Feb 1", zone: "America/Santo_Domingo", client: always, day: "2026-01-31",
			pays:    []referral.Payment{payment("p1", "c", "2026-01-01T12:00:00Z", "2026-01-01", "2026-02-28", "2026-02-01T04:30:00Z")},
			counted: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			zoneName := tc.zone
			if zoneName == "" {
				zoneName = "America/Bogota"
			}
			cv := referral.Coverage{Location: zone(t, zoneName), GraceDays: tc.grace}
			day := mustDate(tc.day)

			got := cv.Status(&tc.client, tc.pays, day)
			sinceOK := tc.anySince || got.Since.String() == tc.since
			if got.Counted != tc.counted || got.Reason != tc.reason || !sinceOK {
				t.Errorf("Status(%s) = counted %t, reason %q, since %q; want %t, %q, %q",
					tc.day, got.Counted, got.Reason, got.Since, tc.counted, tc.reason, tc.since)
			}
			if active := cv.Active(&tc.client, tc.pays, day); active != tc.counted {
				t.Errorf("Active(%s) = %t, want %t", tc.day, active, tc.counted)
			}
		})
	}
}

// TestCountActive counts an accountant's clients on one day through a
// Dataset built by referral.New, which also puts each client's payments in
// order, oldest first (they are given newest first here).
func TestCountActive(t *testing.T) {
	accs := []referral.Accountant{
		{ID: "a", Country: "CO", Registered: true, ActivatedOn: mustDate("2025-01-01")},
		{ID: "b", Country: "CO", Registered: true},
	}
	clients := []referral.Client{
		client("c5", "2025-01-01", ""),
		client("c4", "2025-12-01", "2026-01-20"),
		client("c3", "2025-01-01", ""),
		client("c2", "2025-01-01", ""),
		client("c1", "2025-01-01", ""),
		{ID: "d1", AccountantID: "b", LinkedOn: mustDate("2025-01-01")},
	}
	pays := []referral.Payment{
		// c1: two overlapping payments, given newest first: counted once.
		payment("p1b", "c1", "2026-01-14T09:00:00-05:00", "2026-01-15", "2026-02-14", ""),
		payment("p1a", "c1", "2026-01-01T09:00:00-05:00", "2026-01-01", "2026-01-31", ""),
		// c2: paid for December only: lapsed since January 1st.
		payment("p2", "c2", "2025-12-01T09:00:00-05:00", "2025-12-01", "2025-12-31", ""),
		// c3: no payment.
		// c4: paid, but unlinked on the day counted.
		payment("p4", "c4", "2026-01-01T09:00:00-05:00", "2026-01-01", "2026-01-31", ""),
		// c5: refunded before the day, and a covering payment made later
		// that day (14:00 local) still counts.
		payment("p5b", "c5", "2026-01-20T14:00:00-05:00", "2026-01-20", "2026-02-19", ""),
		payment("p5a", "c5", "2026-01-01T09:00:00-05:00", "2026-01-01", "2026-01-31", "2026-01-10T09:00:00-05:00"),
		// d1 belongs to b.
		payment("q1", "d1", "2026-01-01T09:00:00-05:00", "2026-01-01", "2026-01-31", ""),
	}
	ds, err := referral.New(accs, clients, pays, programCurrencies)
	if err != nil {
		t.Fatalf("referral.New: %v", err)
	}
	cv := referral.Coverage{Location: zone(t, "America/Bogota")}

	got := ds.CountActive("a", mustDate("2026-01-20"), cv)
	want := []referral.ClientStatus{
		{ClientID: "c1", Counted: true},
		{ClientID: "c2", Reason: referral.Lapsed, Since: mustDate("2026-01-01")},
		{ClientID: "c3", Reason: referral.NeverPaid},
		{ClientID: "c4", Reason: referral.Unlinked, Since: mustDate("2026-01-20")},
		{ClientID: "c5", Counted: true},
	}
	if got.Active != 2 || got.AccountantID != "a" || got.Day != mustDate("2026-01-20") || !slices.Equal(got.Clients, want) {
		t.Errorf("CountActive(a, 2026-01-20) = %+v, want 2 active with %+v", got, want)
	}

	// On January 19 c4 is still linked, and c5's only payment made by then
	// was refunded: c1 and c4 count.
	if n := ds.CountActive("a", mustDate("2026-01-19"), cv).Active; n != 2 {
		t.Errorf("CountActive(a, 2026-01-19).Active = %d, want 2", n)
	}

	if got := ds.CountActive("nobody", mustDate("2026-01-20"), cv); got.Active != 0 || len(got.Clients) != 0 {
		t.Errorf("CountActive(nobody, 2026-01-20) = %+v, want 0 and no clients", got)
	}
}

// The zero Coverage counts in UTC with no grace days, as documented,
// instead of failing on its nil Location.
func TestZeroCoverageIsUTC(t *testing.T) {
	c := referral.Client{ID: "c-1", LinkedOn: referral.NewDate(2026, 1, 1)}
	pays := []referral.Payment{{ID: "p-1", PaidAt: time.Date(2026, 1, 31, 23, 59, 59, 0, time.UTC),
		PeriodStart: referral.NewDate(2026, 1, 1), PeriodEnd: referral.NewDate(2026, 1, 31)}}
	var cv referral.Coverage
	if !cv.Active(&c, pays, referral.NewDate(2026, 1, 31)) {
		t.Error("paid at 23:59:59 UTC on the 31st: active on the 31st in UTC")
	}
	if cv.Active(&c, pays, referral.NewDate(2026, 2, 1)) {
		t.Error("active on 1 February with no grace days")
	}
	if st := cv.Status(&c, pays, referral.NewDate(2026, 2, 1)); st.Reason != referral.Lapsed || st.Since != referral.NewDate(2026, 2, 1) {
		t.Errorf("status on 1 February = %+v, want lapsed since 2026-02-01", st)
	}
}
