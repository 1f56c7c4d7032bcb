package referral_test

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/caba1337/referralrules/referral"
)

// exampleCurrencies gives each currency code its minor digits; a loaded
// program does this in real use.
type exampleCurrencies map[string]int

func (ec exampleCurrencies) MinorUnits(code string) (int, bool) {
	n, ok := ec[code]
	return n, ok
}

// Bad input is refused with every problem placed by file, line and column.
func ExampleReadCSV_error() {
	accountants := "accountant_id,country,registered,activated_on\na-1,CO,true,2026-01-15\n"
	clients := "client_id,accountant_id,linked_on,unlinked_on\nc-1,a-1,2025-02-01,\n"
	payments := "payment_id,client_id,paid_at,period_start,period_end,amount,currency,promotion,refunded_at\n" +
		"p-1,c-1,2026-01-01T04:30:00Z,2026-01-01,2026-01-31,69900.00,COP,,\n" +
		"p-1,c-1,2026-02-01 04:30:00Z,2026-02-01,2026-02-28,100.000,COP,,\n"
	_, err := referral.ReadCSV(strings.NewReader(accountants), strings.NewReader(clients),
		strings.NewReader(payments), exampleCurrencies{"COP": 2})
	fmt.Println(err)

	var fe *referral.FieldError
	if errors.As(err, &fe) {
		fmt.Println(fe.File, fe.Line, fe.Column, errors.Is(fe, referral.ErrDuplicateID))
	}
	// Output:
	// payments.csv:3: payment_id: duplicate id p-1 (first on line 2)
	// payments.csv:3: paid_at: malformed timestamp "2026-02-01 04:30:00Z" (want "T" between date and time)
	// payments.csv:3: amount: amount 100.000 has 3 decimals; COP allows 2 (D12)
	// payments.csv 3 payment_id true
}

// The JSON form carries the same fields as the CSV, amounts as strings.
func ExampleReadJSON() {
	doc := `{
	  "accountants": [{"accountant_id": "a-1", "country": "PA", "registered": true}],
	  "clients": [{"client_id": "c-1", "accountant_id": "a-1", "linked_on": "2025-02-01"}],
	  "payments": [{"payment_id": "p-1", "client_id": "c-1", "paid_at": "2026-01-31T22:10:00.250Z",
	    "period_start": "2026-01-31", "period_end": "2026-02-27", "amount": "29.90", "currency": "USD"}]
	}`
	ds, err := referral.ReadJSON(strings.NewReader(doc), exampleCurrencies{"USD": 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	ds.WriteJSON(os.Stdout)
	// Output:
	// {"accountants": [
	//   {"accountant_id":"a-1","country":"PA","registered":true,"activated_on":""}
	// ],
	// "clients": [
	//   {"client_id":"c-1","accountant_id":"a-1","linked_on":"2025-02-01","unlinked_on":""}
	// ],
	// "payments": [
	//   {"payment_id":"p-1","client_id":"c-1","paid_at":"2026-01-31T22:10:00.25Z","period_start":"2026-01-31","period_end":"2026-02-27","amount":"29.90","currency":"USD","promotion":"","refunded_at":""}
	// ]}
}
