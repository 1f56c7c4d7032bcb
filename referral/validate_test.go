package referral

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// goodTypedRows returns a small valid dataset as typed rows.
func goodTypedRows() ([]Accountant, []Client, []Payment) {
	paid := time.Date(2026, 1, 10, 15, 0, 0, 0, time.UTC)
	accs := []Accountant{{ID: "a-1", Country: "CO", Registered: true}}
	clients := []Client{{ID: "c-1", AccountantID: "a-1", LinkedOn: NewDate(2025, 2, 1)}}
	pays := []Payment{{ID: "p-1", ClientID: "c-1", PaidAt: paid,
		PeriodStart: NewDate(2026, 1, 10), PeriodEnd: NewDate(2026, 2, 9),
		Amount: decimal.RequireFromString("69900.00"), Currency: "COP"}}
	return accs, clients, pays
}

func TestNewGood(t *testing.T) {
	accs, clients, pays := goodTypedRows()
	pays[0].RefundedAt = pays[0].PaidAt // the same instant is allowed (F14)
	ds, err := New(accs, clients, pays, readCurrencies)
	if err != nil {
		t.Fatalf("New(good) = %v", err)
	}
	if got := ds.PaymentsOf("c-1"); len(got) != 1 || got[0].ID != "p-1" {
		t.Errorf("PaymentsOf(c-1) = %v", got)
	}
}

func TestNewRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(accs []Accountant, clients []Client, pays []Payment)
		path   string
		kind   error
	}{
		{"zero amount", func(_ []Accountant, _ []Client, p []Payment) { p[0].Amount = decimal.Decimal{} },
			"payments[0].amount", ErrZeroAmount},
		{"negative amount", func(_ []Accountant, _ []Client, p []Payment) {
			p[0].Amount = decimal.New(-1, 0)
		}, "payments[0].amount", ErrNegativeAmount},
		{"three decimals", func(_ []Accountant, _ []Client, p []Payment) {
			p[0].Amount = decimal.New(100000, -3)
		}, "payments[0].amount", ErrTooManyDecimals},
		{"unknown currency", func(_ []Accountant, _ []Client, p []Payment) { p[0].Currency = "MXN" },
			"payments[0].currency", ErrUnknownCurrency},
		{"no paid_at", func(_ []Accountant, _ []Client, p []Payment) { p[0].PaidAt = time.Time{} },
			"payments[0].paid_at", ErrMissingValue},
		{"no period_end", func(_ []Accountant, _ []Client, p []Payment) { p[0].PeriodEnd = 0 },
			"payments[0].period_end", ErrMissingValue},
		{"period backwards", func(_ []Accountant, _ []Client, p []Payment) {
			p[0].PeriodEnd = p[0].PeriodStart - 1
		}, "payments[0].period_end", ErrPeriodOrder},
		{"refund a nanosecond early", func(_ []Accountant, _ []Client, p []Payment) {
			p[0].RefundedAt = p[0].PaidAt.Add(-1)
		}, "payments[0].refunded_at", ErrRefundBeforePayment},
		{"year 10000", func(_ []Accountant, _ []Client, p []Payment) {
			p[0].PaidAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
		}, "payments[0].paid_at", ErrMalformedTime},
		{"unknown client", func(_ []Accountant, _ []Client, p []Payment) { p[0].ClientID = "c-2" },
			"payments[0].client_id", ErrUnknownClient},
		{"no link date", func(_ []Accountant, c []Client, _ []Payment) { c[0].LinkedOn = 0 },
			"clients[0].linked_on", ErrMissingValue},
		{"date before year 1", func(_ []Accountant, c []Client, _ []Payment) { c[0].UnlinkedOn = -3 },
			"clients[0].unlinked_on", ErrMalformedDate},
		{"empty accountant id", func(a []Accountant, _ []Client, _ []Payment) { a[0].ID = "" },
			"accountants[0].accountant_id", ErrMissingValue},
		{"lower-case country", func(a []Accountant, _ []Client, _ []Payment) { a[0].Country = "Co" },
			"accountants[0].country", ErrMalformedCountry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			accs, clients, pays := goodTypedRows()
			tt.change(accs, clients, pays)
			ds, err := New(accs, clients, pays, readCurrencies)
			if ds != nil {
				t.Errorf("New returned a dataset with the error")
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Path != tt.path || !errors.Is(fe, tt.kind) {
				t.Errorf("New = %v, want a problem at %s of kind %v", err, tt.path, tt.kind)
			}
		})
	}
}

func TestNewMessages(t *testing.T) {
	accs, clients, pays := goodTypedRows()
	pays = append(pays, pays[0])
	pays[1].Amount = decimal.New(741001, -3)
	_, err := New(accs, clients, pays, readCurrencies)
	want := "payments[1].payment_id: duplicate id p-1 (first at payments[0])\n" +
		"payments[1].amount: amount 741.001 has 3 decimals; COP allows 2 (D12)"
	if err == nil || err.Error() != want {
		t.Errorf("New = %v, want\n%s", err, want)
	}
}

func TestNewNilCurrencies(t *testing.T) {
	accs, clients, pays := goodTypedRows()
	if _, err := New(accs, clients, pays, nil); !errors.Is(err, ErrUnknownCurrency) {
		t.Errorf("New(nil currencies) = %v, want ErrUnknownCurrency", err)
	}
	if _, err := New(accs, clients, nil, nil); err != nil {
		t.Errorf("New(no payments, nil currencies) = %v, want a dataset", err)
	}
}

func TestFieldErrorFormat(t *testing.T) {
	kind := problemf(ErrZeroAmount, "zero amount 0")
	tests := []struct {
		e    FieldError
		want string
	}{
		{FieldError{File: "payments.csv", Line: 6, Column: "amount", Err: kind}, "payments.csv:6: amount: zero amount 0"},
		{FieldError{File: "payments.csv", Line: 6, Err: kind}, "payments.csv:6: zero amount 0"},
		{FieldError{Column: "amount", Path: "payments[3].amount", Err: kind}, "payments[3].amount: zero amount 0"},
		{FieldError{Err: kind}, "zero amount 0"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestShow(t *testing.T) {
	for in, want := range map[string]string{"p-1": "p-1", "": `""`, "a b": `"a b"`, "ñ": `"ñ"`, `a"`: `"a\""`} {
		if got := show(in); got != want {
			t.Errorf("show(%q) = %s, want %s", in, got, want)
		}
	}
}
