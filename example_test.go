package referralrules_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/benefits"
)

func ExampleDefault() {
	p := referralrules.Default()
	fmt.Println("version", p.Version())
	for _, c := range p.Countries() {
		name, _ := p.CountryName(c.Code)
		fmt.Printf("%s %-18s %s %s\n", c.Code, name, c.Currency, c.Location)
	}
	// Output:
	// version 2026.1
	// CO Colombia           COP America/Bogota
	// CR Costa Rica         CRC America/Costa_Rica
	// DO Dominican Republic DOP America/Santo_Domingo
	// PA Panama             USD America/Panama
}

func ExampleLoad() {
	p, err := referralrules.Load("testdata/rules/good/minimal.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	s := p.Settings()
	fmt.Println("levels:", p.Levels().Len())
	fmt.Println("window:", s.WindowMonths, "months; rounding:", s.Rounding)
	// Output:
	// levels: 3
	// window: 12 months; rounding: half_up
}

// The level of an accountant with 12 active paid referrals, and what it
// takes to reach the next one.
func ExampleProgram_Levels() {
	p := referralrules.Default()
	levels := p.Levels()
	for _, count := range []int{3, 12, 25, 26} {
		l, ok := levels.Lookup(count)
		if !ok {
			fmt.Printf("%d referrals: no level yet, %d more reach level 1\n",
				count, levels.MissingForFirst(count))
			continue
		}
		fmt.Printf("%d referrals: level %d, commission %s%%", count, l.Number, l.Rate.Shift(2))
		if next, missing, ok := levels.Next(count); ok {
			fmt.Printf(", %d more reach level %d", missing, next.Number)
		}
		fmt.Println()
	}
	// Output:
	// 3 referrals: no level yet, 2 more reach level 1
	// 12 referrals: level 2, commission 15%, 1 more reach level 3
	// 25 referrals: level 3, commission 20%, 1 more reach level 4
	// 26 referrals: level 4, commission 25%
}

func ExampleProgram_Benefits() {
	cat := referralrules.Default().Benefits()
	for _, b := range cat.ForLevel(1) {
		fmt.Println(b.Text(benefits.English))
	}
	// Output:
	// Help by email, chat and phone.
	// Entry to the academy and to specialised training.
	// A workspace to manage all of your clients.
	// Membership of the accounting professionals' network.
}

// A file with problems is refused with every problem, each at its line and
// column.
func ExampleParse_error() {
	const rules = `version: "2026.2"
currencies:
  COP: {minor_units: 2}
countries:
  CO: {name: Colombia, currency: COP, time_zone: America/Bogota}
levels:
  - {number: 1, min: 5, max: 8, rate: "10%", benefits: [support]}
  - {number: 2, min: 10, rate: "8%", benefits: [support]}
benefits:
  - {id: support, category: support, text: {es: Soporte.}}
settings:
  grace_days: 0
  window_months: 12
  payout_delay_months: 1
  rounding: half_down
  exclude_promoted_sales: true
  require_activation: true
  payout: service_credit
`
	_, err := referralrules.Parse(strings.NewReader(rules), "rules.yaml")
	fmt.Println(err)

	var le *referralrules.LoadError
	if errors.As(err, &le) {
		fmt.Println(len(le.Problems), "problems; the first at line", le.Problems[0].Line)
	}
	// Output:
	// rules.yaml:8:22: levels[2].min: level 2 starts at 10 but level 1 ends at 8: counts 9 to 9 would have no level
	// rules.yaml:8:32: levels[2].rate: rate 8% of level 2 is not above rate 10% of level 1; rates must rise with the level
	// rules.yaml:10:44: benefits[1].text: the English text (en) is missing; every benefit needs both es and en
	// rules.yaml:15:13: settings.rounding: unknown rounding mode "half_down"; use half_up or half_even
	// 4 problems; the first at line 8
}
