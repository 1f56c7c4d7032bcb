package referral_test

import (
	"fmt"
	"strings"

	"github.com/caba1337/referralrules/referral"
)

// Code that walks every payment reads the columns: here, the sales of each
// accountant in minor units, without building a Payment row.
func ExampleDataset_Columns() {
	accountants := "accountant_id,country,registered,activated_on\na-1,CO,true,2026-01-15\na-2,DO,true,\n"
	clients := "client_id,accountant_id,linked_on,unlinked_on\nc-1,a-1,2025-02-01,\nc-2,a-1,2025-03-01,\nc-3,a-2,2025-04-01,\n"
	payments := "payment_id,client_id,paid_at,period_start,period_end,amount,currency,promotion,refunded_at\n" +
		"p-1,c-1,2026-01-01T04:30:00Z,2026-01-01,2026-01-31,69900.00,COP,,\n" +
		"p-2,c-2,2026-01-02T10:00:00-05:00,2026-01-02,2026-02-01,89900,COP,,\n" +
		"p-3,c-3,2026-01-03T10:00:00-04:00,2026-01-03,2026-02-02,1499.50,DOP,,\n"
	ds, err := referral.ReadCSV(strings.NewReader(accountants), strings.NewReader(clients),
		strings.NewReader(payments), exampleCurrencies{"COP": 2, "DOP": 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := ds.Columns()
	for a, acc := range ds.Accountants() {
		var units int64
		currency := ""
		for i := c.AccountantClients[a]; i < c.AccountantClients[a+1]; i++ {
			for j := c.ClientPayments[i]; j < c.ClientPayments[i+1]; j++ {
				units += c.Units[j] // one currency per accountant here
				currency = c.Currencies[c.Currency[j]]
			}
		}
		fmt.Println(acc.ID, units, currency)
	}
	fmt.Println(ds.NumClients(), "clients,", ds.NumPayments(), "payments; p-3 is", c.Amount(2).StringFixed(2), c.Currencies[c.Currency[2]])
	// Output:
	// a-1 15980000 COP
	// a-2 149950 DOP
	// 3 clients, 3 payments; p-3 is 1499.50 DOP
}
