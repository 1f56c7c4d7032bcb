package commission_test

// Table tests of the credit account (D11) on small datasets, worked out by
// hand. Unless a case says otherwise the accountant is "a" of Panama (USD,
// UTC-5 all year), activated in 2025, with five fillers (level 1, 10%;
// see decisions_test.go) and two clients, x and y, linked in December
// 2025, that pay in January 2026:
//
//	p-x  200.00 USD on 2026-01-10   share 20.00
//	p-y  100.00 USD on 2026-01-20   share 10.00
//
// Seven active paid referrals on 2026-01-31 keep level 1, so January's
// commission is 10% of 300.00 = 30.00, payable in February: usable from
// 2026-02-01T00:00:00-05:00.

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
)

// creditData is the dataset of the file comment; pays replace p-x and p-y
// when given.
func creditData(country, cur string, pays ...referral.Payment) data {
	if pays == nil {
		pays = []referral.Payment{
			inCurrency(pay("p-x", "x", "2026-01-10T12:00:00-05:00", "2026-01-10", "2026-02-09", "200.00"), cur),
			inCurrency(pay("p-y", "y", "2026-01-20T12:00:00-05:00", "2026-01-20", "2026-02-19", "100.00"), cur),
		}
	}
	return data{
		accs:    []referral.Accountant{accountant("a", country, longAgo)},
		clients: []referral.Client{linked("x", "2025-12-01"), linked("y", "2025-12-01")},
		pays:    pays,
	}.withFillers("a", cur, 5)
}

// redemption is a redemption of accountant "a".
func redemption(id, at, amount, cur string) referral.Redemption {
	return referral.Redemption{ID: id, AccountantID: "a", RedeemedAt: mustTime(at),
		Amount: mustDec(amount), Currency: cur, Reference: "INV-" + id}
}

// withRedemptions builds d with rs as its redemptions.
func withRedemptions(t *testing.T, r *commission.Rules, d data, rs ...referral.Redemption) *referral.Dataset {
	t.Helper()
	ds, err := d.build(t, r).WithRedemptions(rs, r)
	if err != nil {
		t.Fatalf("WithRedemptions: %v", err)
	}
	return ds
}

// credits writes a balance's credits "CUR amount", by currency.
func credits(b *commission.Balance) []string {
	var out []string
	for _, c := range b.Credits {
		out = append(out, c.Currency+" "+c.Amount.StringFixed(int32(c.Digits)))
	}
	return out
}

// movements writes a balance's movements "day kind amount balance".
func movements(b *commission.Balance) []string {
	var out []string
	for _, mv := range b.Movements {
		out = append(out, mv.Day.String()+" "+string(mv.Kind)+" "+mv.Currency+" "+
			mv.Amount.StringFixed(2)+" "+mv.Balance.StringFixed(2))
	}
	return out
}

func TestBalanceOn(t *testing.T) {
	refundX := func(d data) data { // p-x refunded in February: February's net is -20.00
		d.pays[0] = refundedAt(d.pays[0], "2026-02-15T10:00:00-05:00")
		return d
	}
	tests := []struct {
		name    string
		change  func(data) data           // of the dataset, or nil
		rules   func(r *commission.Rules) // or nil
		rs      []referral.Redemption
		day     string
		credits []string
		moves   []string
	}{
		// When credit becomes usable (D11).
		{name: "before the payable month, last day", day: "2026-01-31", credits: []string{"USD 0.00"}},
		{name: "first day of the payable month", day: "2026-02-01", credits: []string{"USD 30.00"},
			moves: []string{"2026-02-01 statement USD 30.00 30.00"}},
		{name: "delay 2: not yet on the last day of the month after", day: "2026-02-28",
			rules: func(r *commission.Rules) { r.PayoutDelayMonths = 2 }, credits: []string{"USD 0.00"}},
		{name: "delay 2: from the first day of March", day: "2026-03-01",
			rules:   func(r *commission.Rules) { r.PayoutDelayMonths = 2 },
			credits: []string{"USD 30.00"}, moves: []string{"2026-03-01 statement USD 30.00 30.00"}},
		{name: "delay 0: not while January is open", day: "2026-01-31",
			rules: func(r *commission.Rules) { r.PayoutDelayMonths = 0 }, credits: []string{"USD 0.00"}},
		{name: "delay 0: from the close of January", day: "2026-02-01",
			rules:   func(r *commission.Rules) { r.PayoutDelayMonths = 0 },
			credits: []string{"USD 30.00"}, moves: []string{"2026-02-01 statement USD 30.00 30.00"}},

		// A month whose net is negative (D9): p-x's share, 20.00, comes back
		// in February, payable in March.
		{name: "negative month: not yet", change: refundX, day: "2026-02-28", credits: []string{"USD 30.00"},
			moves: []string{"2026-02-01 statement USD 30.00 30.00"}},
		{name: "negative month lowers the balance", change: refundX, day: "2026-03-01",
			credits: []string{"USD 10.00"},
			moves: []string{"2026-02-01 statement USD 30.00 30.00",
				"2026-03-01 statement USD -20.00 10.00"}},
		{name: "negative month after a redemption: balance below zero", change: refundX,
			rs:  []referral.Redemption{redemption("r1", "2026-02-20T09:00:00-05:00", "25.00", "USD")},
			day: "2026-03-01", credits: []string{"USD -15.00"},
			moves: []string{"2026-02-01 statement USD 30.00 30.00",
				"2026-02-20 redemption USD -25.00 5.00",
				"2026-03-01 statement USD -20.00 -15.00"}},

		// Redemptions.
		{name: "redemption equal to the balance, at the first instant",
			rs:  []referral.Redemption{redemption("r1", "2026-02-01T00:00:00-05:00", "30.00", "USD")},
			day: "2026-02-01", credits: []string{"USD 0.00"},
			moves: []string{"2026-02-01 statement USD 30.00 30.00",
				"2026-02-01 redemption USD -30.00 0.00"}},
		{name: "redemption after the day is not counted",
			rs:  []referral.Redemption{redemption("r1", "2026-02-02T00:00:00-05:00", "5.00", "USD")},
			day: "2026-02-01", credits: []string{"USD 30.00"},
			moves: []string{"2026-02-01 statement USD 30.00 30.00"}},
		{name: "redemption at the day's last second is counted",
			rs:  []referral.Redemption{redemption("r1", "2026-02-02T04:59:59Z", "5.00", "USD")},
			day: "2026-02-01", credits: []string{"USD 25.00"},
			moves: []string{"2026-02-01 statement USD 30.00 30.00",
				"2026-02-01 redemption USD -5.00 25.00"}},

		// Another currency: y pays in CRC, so January has a USD statement
		// (20.00) and a CRC one (10.00).
		{name: "credit in two currencies, spent in one",
			change: func(d data) data { d.pays[1] = inCurrency(d.pays[1], "CRC"); return d },
			rs:     []referral.Redemption{redemption("r1", "2026-02-05T10:00:00-05:00", "10.00", "CRC")},
			day:    "2026-02-05", credits: []string{"CRC 0.00", "USD 20.00"},
			moves: []string{"2026-02-01 statement CRC 10.00 10.00",
				"2026-02-01 statement USD 20.00 20.00",
				"2026-02-05 redemption CRC -10.00 0.00"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := testRules(t)
			if tc.rules != nil {
				tc.rules(r)
			}
			d := creditData("PA", "USD")
			if tc.change != nil {
				d = tc.change(d)
			}
			ds := withRedemptions(t, r, d, tc.rs...)
			b, err := commission.BalanceOn(r, ds, "a", mustDate(tc.day))
			if err != nil {
				t.Fatalf("BalanceOn(%s) = %v", tc.day, err)
			}
			assertStrings(t, "credits", credits(b), tc.credits)
			assertStrings(t, "movements", movements(b), tc.moves)
		})
	}
}

func TestBalanceOnOverdraws(t *testing.T) {
	tests := []struct {
		name    string
		cur     string // of y's payment, USD when empty
		rs      []referral.Redemption
		balance string // the balance the overdrawing redemption found
		where   string
	}{
		{name: "one cent over the balance",
			rs:      []referral.Redemption{redemption("r1", "2026-02-10T10:00:00-05:00", "30.01", "USD")},
			balance: "30.00", where: "redemptions[0]"},
		{name: "one second before the credit is usable",
			rs:      []referral.Redemption{redemption("r1", "2026-01-31T23:59:59-05:00", "1.00", "USD")},
			balance: "0.00", where: "redemptions[0]"},
		{name: "the second of two redemptions",
			rs: []referral.Redemption{
				redemption("r1", "2026-02-03T10:00:00-05:00", "20.00", "USD"),
				redemption("r2", "2026-02-04T10:00:00-05:00", "10.01", "USD")},
			balance: "10.00", where: "redemptions[1]"},
		{name: "another currency with no credit",
			rs:      []referral.Redemption{redemption("r1", "2026-02-10T10:00:00-05:00", "5.00", "DOP")},
			balance: "0.00", where: "redemptions[0]"},
		{name: "more than the credit of its currency, though another has enough", cur: "CRC",
			rs:      []referral.Redemption{redemption("r1", "2026-02-10T10:00:00-05:00", "15.00", "CRC")},
			balance: "10.00", where: "redemptions[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := testRules(t)
			d := creditData("PA", "USD")
			if tc.cur != "" {
				d.pays[1] = inCurrency(d.pays[1], tc.cur)
			}
			ds := withRedemptions(t, r, d, tc.rs...)
			_, err := commission.BalanceOn(r, ds, "a", mustDate("2026-02-28"))
			var oe *commission.OverdrawError
			if !errors.As(err, &oe) || !errors.Is(err, commission.ErrOverdrawn) {
				t.Fatalf("BalanceOn = %v, want an *OverdrawError", err)
			}
			if got := oe.Balance.StringFixed(2); got != tc.balance || oe.Redemption.Where() != tc.where {
				t.Errorf("OverdrawError = %s at %s, want balance %s at %s", got, oe.Redemption.Where(),
					tc.balance, tc.where)
			}
			if err := commission.CheckRedemptions(r, ds); !errors.Is(err, commission.ErrOverdrawn) {
				t.Errorf("CheckRedemptions = %v, want ErrOverdrawn", err)
			}
		})
	}
}

// TestBalanceZones spends all January's credit at the first local instant
// of February in each program zone, and one second earlier. The offsets,
// all without daylight saving in 2026: Bogota and Panama UTC-5, Santo
// Domingo UTC-4, Costa Rica UTC-6. A fixed instant, 2026-02-01T05:30Z, is
// already February 1st in the first three zones but still January 31st
// (23:30) in Costa Rica.
func TestBalanceZones(t *testing.T) {
	zones := []struct {
		country, cur, offset string
		at0530Z              bool // whether credit is usable at 2026-02-01T05:30:00Z
	}{
		{"CO", "COP", "-05:00", true},
		{"DO", "DOP", "-04:00", true},
		{"PA", "USD", "-05:00", true},
		{"CR", "CRC", "-06:00", false},
	}
	for _, z := range zones {
		t.Run(z.country, func(t *testing.T) {
			r := testRules(t)
			d := creditData(z.country, z.cur,
				inCurrency(pay("p-x", "x", "2026-01-10T12:00:00Z", "2026-01-10", "2026-02-09", "200.00"), z.cur),
				inCurrency(pay("p-y", "y", "2026-01-20T12:00:00Z", "2026-01-20", "2026-02-19", "100.00"), z.cur))
			check := func(at string, wantOK bool) {
				t.Helper()
				ds := withRedemptions(t, r, d, redemption("r1", at, "30.00", z.cur))
				_, err := commission.BalanceOn(r, ds, "a", mustDate("2026-02-01"))
				if ok := err == nil; ok != wantOK {
					t.Errorf("redemption of 30.00 %s at %s: BalanceOn = %v, want ok %t", z.cur, at, err, wantOK)
				}
			}
			check("2026-02-01T00:00:00"+z.offset, true)
			check("2026-01-31T23:59:59"+z.offset, false)
			check("2026-02-01T05:30:00Z", z.at0530Z)

			ds := d.build(t, r)
			for day, want := range map[string]string{"2026-01-31": "0.00", "2026-02-01": "30.00"} {
				b, err := commission.BalanceOn(r, ds, "a", mustDate(day))
				if err != nil || b.In(z.cur).StringFixed(2) != want {
					t.Errorf("BalanceOn(%s) = %v, %v; want %s %s", day, credits(b), err, z.cur, want)
				}
			}
		})
	}
}

func TestBalanceSince(t *testing.T) {
	r := testRules(t)
	d := creditData("PA", "USD")
	d.pays[0] = refundedAt(d.pays[0], "2026-02-15T10:00:00-05:00")
	ds := d.build(t, r)
	// From February only: January's 30.00 is left out, February's -20.00
	// (an adjustment of a January payment, F8) is kept.
	b, err := commission.BalanceSince(r, ds, "a", mustMonth("2026-02"), mustDate("2026-03-01"))
	if err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "credits", credits(b), []string{"USD -20.00"})
}

// TestBalanceFrom builds balances from statements given by hand, as if
// each month had been computed under rules with another payout delay:
//
//	month    net      payable  usable from
//	2026-01  30.00    2026-02  2026-02-01  (delay 1)
//	2026-02  10.00    2026-05  2026-05-01  (delay 3)
//	2026-03  -5.00    2026-04  2026-04-01  (delay 1)
//	2026-04   7.00    2026-04  2026-05-01  (delay 0: once April has closed)
//
// with a redemption of 20.00 on 2026-04-10. A statement and a redemption
// of another accountant, b, are left out.
func TestBalanceFrom(t *testing.T) {
	r := testRules(t)
	st := func(acc, month, net, payable string) commission.Statement {
		return commission.Statement{AccountantID: acc, Country: "PA", Month: mustMonth(month),
			Currency: "USD", Digits: 2, Net: mustDec(net), PayableMonth: mustMonth(payable)}
	}
	sts := []commission.Statement{
		st("a", "2026-01", "30.00", "2026-02"), st("a", "2026-02", "10.00", "2026-05"),
		st("a", "2026-03", "-5.00", "2026-04"), st("a", "2026-04", "7.00", "2026-04"),
		st("b", "2026-01", "99.00", "2026-02"),
	}
	other := redemption("rb", "2026-04-10T10:00:00-05:00", "1.00", "USD")
	other.AccountantID = "b"
	rs := []referral.Redemption{redemption("r1", "2026-04-10T10:00:00-05:00", "20.00", "USD"), other}
	a := accountant("a", "PA", longAgo)

	tests := []struct {
		day     string
		credits []string
		moves   []string
	}{
		{"2026-01-31", []string{"USD 0.00"}, nil},
		{"2026-04-30", []string{"USD 5.00"}, []string{"2026-02-01 statement USD 30.00 30.00",
			"2026-04-01 statement USD -5.00 25.00", "2026-04-10 redemption USD -20.00 5.00"}},
		{"2026-05-01", []string{"USD 22.00"}, []string{"2026-02-01 statement USD 30.00 30.00",
			"2026-04-01 statement USD -5.00 25.00", "2026-04-10 redemption USD -20.00 5.00",
			"2026-05-01 statement USD 10.00 15.00", "2026-05-01 statement USD 7.00 22.00"}},
	}
	for _, tc := range tests {
		t.Run(tc.day, func(t *testing.T) {
			b, err := commission.BalanceFrom(r, a, sts, rs, mustDate(tc.day))
			if err != nil {
				t.Fatalf("BalanceFrom(%s) = %v", tc.day, err)
			}
			assertStrings(t, "credits", credits(b), tc.credits)
			assertStrings(t, "movements", movements(b), tc.moves)
		})
	}

	// One cent more spent on 2026-04-10 than the 25.00 usable then.
	rs[0].Amount = mustDec("25.01")
	var oe *commission.OverdrawError
	if _, err := commission.BalanceFrom(r, a, sts, rs, mustDate("2026-05-01")); !errors.As(err, &oe) ||
		oe.Balance.StringFixed(2) != "25.00" {
		t.Errorf("BalanceFrom with 25.01 redeemed = %v, want an *OverdrawError at 25.00", err)
	}
	if _, err := commission.BalanceFrom(r, accountant("mx", "MX", longAgo), nil, nil,
		mustDate("2026-05-01")); !errors.Is(err, commission.ErrUnknownCountry) {
		t.Errorf("BalanceFrom(mx) = %v, want ErrUnknownCountry", err)
	}
}

func TestStatementCreditDay(t *testing.T) {
	tests := []struct{ month, payable, want string }{
		{"2026-01", "2026-02", "2026-02-01"},
		{"2026-01", "2026-04", "2026-04-01"},
		{"2026-01", "2026-01", "2026-02-01"}, // delay 0: usable once January has closed
		{"2026-12", "2027-01", "2027-01-01"},
	}
	for _, tc := range tests {
		st := commission.Statement{Month: mustMonth(tc.month), PayableMonth: mustMonth(tc.payable)}
		if got := st.CreditDay().String(); got != tc.want {
			t.Errorf("Statement{Month: %s, PayableMonth: %s}.CreditDay() = %s, want %s",
				tc.month, tc.payable, got, tc.want)
		}
	}
}

func TestBalanceOnWho(t *testing.T) {
	r := testRules(t)
	d := creditData("PA", "USD")
	d.accs = append(d.accs, accountant("mx", "MX", longAgo),
		referral.Accountant{ID: "unregistered", Country: "PA"})
	ds := d.build(t, r)
	day := mustDate("2026-02-01")

	if _, err := commission.BalanceOn(r, ds, "nobody", day); !errors.Is(err, commission.ErrUnknownAccountant) {
		t.Errorf("BalanceOn(nobody) = %v, want ErrUnknownAccountant", err)
	}
	if _, err := commission.BalanceOn(r, ds, "mx", day); !errors.Is(err, commission.ErrUnknownCountry) {
		t.Errorf("BalanceOn(mx) = %v, want ErrUnknownCountry", err)
	}
	b, err := commission.BalanceOn(r, ds, "unregistered", day)
	if err != nil {
		t.Fatalf("BalanceOn(unregistered) = %v", err)
	}
	assertStrings(t, "credits of an unregistered accountant", credits(b), []string{"USD 0.00"})
}

func TestCheckRedemptions(t *testing.T) {
	r := testRules(t)
	ds := withRedemptions(t, r, creditData("PA", "USD"),
		redemption("r1", "2026-02-03T10:00:00-05:00", "20.00", "USD"),
		redemption("r2", "2026-06-04T10:00:00-05:00", "10.01", "USD"))
	// The balance of a day before r2 does not look at r2 ...
	if _, err := commission.BalanceOn(r, ds, "a", mustDate("2026-06-03")); err != nil {
		t.Errorf("BalanceOn(2026-06-03) = %v, want no error", err)
	}
	// ... but checking the data does.
	var oe *commission.OverdrawError
	if err := commission.CheckRedemptions(r, ds); !errors.As(err, &oe) || oe.Redemption.ID != "r2" {
		t.Errorf("CheckRedemptions = %v, want r2 overdrawing", err)
	}
	good := withRedemptions(t, r, creditData("PA", "USD"),
		redemption("r1", "2026-02-03T10:00:00-05:00", "30.00", "USD"))
	if err := commission.CheckRedemptions(r, good); err != nil {
		t.Errorf("CheckRedemptions(good) = %v", err)
	}
}

func TestRedeem(t *testing.T) {
	r := testRules(t)
	day := mustDate("2026-02-10")
	balance := func(usd string) *commission.Balance {
		return &commission.Balance{AccountantID: "a", Day: day,
			Credits: []commission.Credit{{Currency: "USD", Digits: 2, Amount: mustDec(usd)}}}
	}
	tests := []struct {
		name                 string
		balance              string
		amount, cur          string
		credit, toPay, after string
	}{
		{"less than the balance", "30.00", "20.00", "USD", "20.00", "0.00", "10.00"},
		{"equal to the balance", "30.00", "30.00", "USD", "30.00", "0.00", "0.00"},
		{"one cent over the balance", "30.00", "30.01", "USD", "30.00", "0.01", "0.00"},
		{"another currency", "30.00", "5.00", "CRC", "0.00", "5.00", "0.00"},
		{"zero balance", "0", "5.00", "USD", "0.00", "5.00", "0.00"},
		{"negative balance", "-15.00", "5.00", "USD", "0.00", "5.00", "-15.00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := commission.Redeem(r, balance(tc.balance),
				commission.Purchase{Amount: mustDec(tc.amount), Currency: tc.cur, Day: day})
			if err != nil {
				t.Fatalf("Redeem = %v", err)
			}
			got := []string{s.Credit.StringFixed(2), s.ToPay.StringFixed(2), s.BalanceAfter.StringFixed(2)}
			assertStrings(t, "credit, to pay, balance after", got, []string{tc.credit, tc.toPay, tc.after})
		})
	}

	refused := []struct {
		name string
		p    commission.Purchase
		kind error
	}{
		{"zero amount", commission.Purchase{Amount: mustDec("0"), Currency: "USD", Day: day}, commission.ErrBadPurchase},
		{"negative amount", commission.Purchase{Amount: mustDec("-1"), Currency: "USD", Day: day}, commission.ErrBadPurchase},
		{"three decimals", commission.Purchase{Amount: mustDec("1.001"), Currency: "USD", Day: day}, commission.ErrBadPurchase},
		{"unknown currency", commission.Purchase{Amount: mustDec("1"), Currency: "EUR", Day: day}, commission.ErrUnknownCurrency},
		{"another day", commission.Purchase{Amount: mustDec("1"), Currency: "USD", Day: day + 1}, commission.ErrOtherDay},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := commission.Redeem(r, balance("30.00"), tc.p); !errors.Is(err, tc.kind) {
				t.Errorf("Redeem = %v, want %v", err, tc.kind)
			}
		})
	}
}

func TestBalanceJSON(t *testing.T) {
	r := testRules(t)
	ds := withRedemptions(t, r, creditData("PA", "USD"),
		redemption("r1", "2026-02-03T10:00:00-05:00", "5", "USD"))
	b, err := commission.BalanceOn(r, ds, "a", mustDate("2026-02-03"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"accountant_id":"a","day":"2026-02-03","balances":[{"currency":"USD","amount":"25.00"}],` +
		`"movements":[{"kind":"statement","at":"2026-02-01T00:00:00-05:00","day":"2026-02-01",` +
		`"currency":"USD","amount":"30.00","balance":"30.00","month":"2026-01","payable_month":"2026-02"},` +
		`{"kind":"redemption","at":"2026-02-03T10:00:00-05:00","day":"2026-02-03","currency":"USD",` +
		`"amount":"-5.00","balance":"25.00","redemption_id":"r1","reference":"INV-r1"}]}`
	if string(got) != want {
		t.Errorf("json.Marshal(balance) =\n%s\nwant\n%s", got, want)
	}
}

// assertStrings compares two lists of strings, nil and empty alike.
func assertStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s = %q, want %q", what, got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s = %q, want %q", what, got, want)
			return
		}
	}
}
