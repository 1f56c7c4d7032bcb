package referralrules_test

import (
	"fmt"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

// An accountant's service credit on a day, and how much of a purchase it
// pays.
func ExampleProgram_Balance() {
	p := referralrules.Default()
	ds, err := p.ReadData("examples/data/demo")
	if err != nil {
		fmt.Println(err)
		return
	}
	day, _ := referral.ParseDate("2026-12-01")
	b, err := p.Balance(ds, "a-0031", day)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range b.Credits {
		fmt.Println(c.Currency, c.Amount.StringFixed(int32(c.Digits)))
	}

	purchase := commission.Purchase{Amount: decimal.RequireFromString("49.00"), Currency: "USD", Day: day}
	s, err := p.Redeem(ds, "a-0031", purchase)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("credit", s.Credit.StringFixed(2), "to pay", s.ToPay.StringFixed(2))
	// Output:
	// USD 41.25
	// credit 41.25 to pay 7.75
}
