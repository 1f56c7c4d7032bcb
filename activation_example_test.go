package referralrules_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/benefits"
	"github.com/caba1337/referralrules/referral"
)

// exampleData is a Colombian accountant with six referred clients: five
// paid up for November 2026 and one whose plan lapsed at the end of
// October; and a Mexican one.
const (
	exampleAccountants = `accountant_id,country,registered,activated_on
a-1,CO,true,
a-2,MX,true,
`
	exampleClients = `client_id,accountant_id,linked_on,unlinked_on
c-1,a-1,2026-01-10,
c-2,a-1,2026-02-10,
c-3,a-1,2026-03-10,
c-4,a-1,2026-04-10,
c-5,a-1,2026-05-10,
c-6,a-1,2026-06-10,
`
	examplePayments = `payment_id,client_id,paid_at,period_start,period_end,amount,currency,promotion,refunded_at
p-1,c-1,2026-11-01T10:00:00-05:00,2026-11-01,2026-11-30,89900.00,COP,,
p-2,c-2,2026-11-01T10:00:00-05:00,2026-11-01,2026-11-30,89900.00,COP,,
p-3,c-3,2026-11-01T10:00:00-05:00,2026-11-01,2026-11-30,89900.00,COP,,
p-4,c-4,2026-11-01T10:00:00-05:00,2026-11-01,2026-11-30,89900.00,COP,,
p-5,c-5,2026-11-01T10:00:00-05:00,2026-11-01,2026-11-30,89900.00,COP,,
p-6,c-6,2026-10-01T10:00:00-05:00,2026-10-01,2026-10-31,89900.00,COP,,
`
)

func exampleDataset() *referral.Dataset {
	p := referralrules.Default()
	ds, err := referral.ReadCSV(strings.NewReader(exampleAccountants), strings.NewReader(exampleClients),
		strings.NewReader(examplePayments), p)
	if err != nil {
		panic(err)
	}
	return ds
}

// An accountant asks to activate the program: five active paid referrals
// on 2026-11-20 reach level 1. The answer comes with the facts it was
// decided on, and its email in Spanish or English.
func ExampleProgram_Evaluate() {
	p, ds := referralrules.Default(), exampleDataset()
	day, _ := referral.ParseDate("2026-11-20")

	a, err := p.Evaluate(ds, "a-1", day)
	if err != nil {
		panic(err) // only for a mistake of the caller, never for a refusal
	}
	fmt.Println(a.Status, "at level", a.Level.Number, "with rate", a.Terms.Rate)
	fmt.Println("active paid referrals:", a.Active, "of", a.Clients.Clients, "clients")
	fmt.Println("would count again if they paid:", a.Recoverable[0].ClientID, a.Recoverable[0].Reason)
	fmt.Println(a.MissingForNextLevel, "more reach level", a.NextLevel.Number)

	email, err := referralrules.DefaultEmails().Answer(a, benefits.English)
	if err != nil {
		panic(err)
	}
	fmt.Println(email.Subject)

	other, _ := p.Evaluate(ds, "a-2", day)
	fmt.Println(other.Status)
	// Output:
	// approved at level 1 with rate 0.1
	// active paid referrals: 5 of 6 clients
	// would count again if they paid: c-6 lapsed
	// 4 more reach level 2
	// Referral program: your level 1 is approved
	// country_not_in_program
}

// An approved accountant selects benefits of its level. A benefit of
// another level is refused with an error that names it and its level; a
// valid selection yields the activation and its confirmation email.
func ExampleProgram_Select() {
	p, ds := referralrules.Default(), exampleDataset()
	day, _ := referral.ParseDate("2026-11-20")
	a, _ := p.Evaluate(ds, "a-1", day)

	_, err := p.Select(a, []string{"academy", "events_vip"})
	fmt.Println(err)
	var se *benefits.SelectionError
	if errors.As(err, &se) && errors.Is(err, benefits.ErrOtherLevel) {
		fmt.Println("refused:", se.ID, "belongs to levels", se.Levels)
	}

	act, err := p.Select(a, []string{"workspace", "academy"})
	if err != nil {
		panic(err)
	}
	email, _ := referralrules.DefaultEmails().Activation(act, benefits.Spanish)
	fmt.Println(act.Level.Number, act.Benefits[0].ID, act.Benefits[1].ID)
	fmt.Println(email.Subject)
	fmt.Println(strings.Split(email.Body, "\n")[2])
	// Output:
	// benefit "events_vip" is a benefit of level 4, not of level 1
	// refused: events_vip belongs to levels [4]
	// 1 academy workspace
	// Programa de referidos: sus beneficios del nivel 1 están activos
	// Desde el 20 de noviembre de 2026 participa en el programa de referidos en Colombia, en el nivel 1, con una comisión del 10% sobre las ventas de sus clientes referidos. La comisión de este mes se paga en diciembre de 2026.
}
