// Package gen makes deterministic synthetic datasets of the referral
// program in the shapes of the demo data (examples/data/demo): accountants
// of the four program countries and a few of Mexico, clients referred by
// them in uneven numbers, and payments of mostly monthly plans, some annual,
// with lapses, refunds inside and after the month, promotions, payments
// before the link, clients that left, other currencies, and timestamps in
// UTC or local offsets around local midnight, so that month ends fall on
// different days by zone.
//
// The same Config always gives the same rows, byte for byte. Rows go to an
// Emitter as they are made, so a dataset of twenty million payments can be
// written to CSV without holding it in memory.
package gen

import (
	"math/rand/v2"
	"time"

	"github.com/caba1337/referralrules/referral"
)

// Config sizes a dataset. The zero Seed is a valid seed.
type Config struct {
	Seed        uint64
	Accountants int
	Clients     int
	Payments    int
}

// Accountant is a generated accountant row. IDs of generated rows are
// numbers, written with a prefix and zero padding (see AccountantID,
// ClientID and PaymentID), so that byte order is numeric order.
type Accountant struct {
	ID          int
	Country     string
	Registered  bool
	ActivatedOn referral.Date // zero: never activated
}

// Client is a generated client row of accountant number Accountant.
type Client struct {
	ID, Accountant       int
	LinkedOn, UnlinkedOn referral.Date // zero UnlinkedOn: still linked
}

// Payment is a generated payment row of client number Client.
type Payment struct {
	ID, Client int
	PaidAt     time.Time // UTC
	// Offset is the UTC offset paid_at is written with, in hours; 0 writes
	// it in UTC with "Z".
	Offset                 int
	PeriodStart, PeriodEnd referral.Date
	// Units is the amount in minor units of Currency (two digits for every
	// currency of the default rules); Cents says whether it is written
	// with its two decimals ("89900.00") or without ("89900").
	Units      int64
	Cents      bool
	Currency   string
	Promotion  string
	RefundedAt time.Time // zero: never refunded
}

// Emitter receives the rows: every accountant, then every client, then
// every payment, each kind in ID order.
type Emitter interface {
	Accountant(a *Accountant) error
	Client(c *Client) error
	Payment(p *Payment) error
}

// Now is the last day the generated data reaches: payments are made up to
// this day, so that 2026-11 is the natural month to compute.
var Now = referral.NewDate(2026, time.November, 30)

// country is one country of the data: its home currency, the UTC offset
// of its zone (none of the four observes daylight saving time) and its
// share of accountants in percent.
type country struct {
	code, currency string
	offset, share  int
	prices         []int64 // monthly plan prices in minor units
}

var countries = []country{
	{"CO", "COP", -5, 50, []int64{6990000, 8990000, 12990000, 18990000, 24990000}},
	{"DO", "DOP", -4, 15, []int64{145000, 245050, 390000}},
	{"PA", "USD", -5, 15, []int64{1900, 2900, 4999, 9900}},
	{"CR", "CRC", -6, 15, []int64{1450000, 2450000, 3990000}},
	{"MX", "USD", -6, 5, []int64{1900, 2900, 4999}}, // outside the program: no statements
}

var promotions = []string{"PROMO-2X1", "BLACKFRIDAY", "PARTNER-50"}

// Generate makes the dataset of cfg and gives its rows to e, stopping at
// the first error e returns.
func Generate(cfg Config, e Emitter) error {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	accs := make([]uint8, cfg.Accountants) // index into countries
	for i := range accs {
		a := accountant(rng, i)
		accs[i] = uint8(a.country)
		if err := e.Accountant(&a.Accountant); err != nil {
			return err
		}
	}

	// Clients per accountant: uneven, so that every level is reached.
	perAcc := spread(rng, cfg.Accountants, cfg.Clients, func() int {
		switch r := rng.IntN(100); {
		case r < 5:
			return 0
		case r < 30:
			return 1 + rng.IntN(6)
		case r < 60:
			return 5 + rng.IntN(10)
		case r < 87:
			return 10 + rng.IntN(25)
		}
		return 25 + rng.IntN(40)
	})
	clientAcc := make([]int32, 0, cfg.Clients)
	for a, n := range perAcc {
		for range n {
			clientAcc = append(clientAcc, int32(a))
		}
	}

	// Payments per client: most pay a few months in a row, some never.
	perClient := spread(rng, cfg.Clients, cfg.Payments, func() int {
		switch r := rng.IntN(100); {
		case r < 15:
			return 0
		case r < 70:
			return 1 + rng.IntN(3)
		}
		return 3 + rng.IntN(12)
	})

	// Each client's chain of payments is made with its link, so the client
	// rows are written first and the chains are made again from a seed per
	// client afterwards.
	links := make([]referral.Date, cfg.Clients)
	for id := range cfg.Clients {
		crng := clientRand(cfg.Seed, id)
		ch := newChain(crng, int(perClient[id]))
		c := Client{ID: id, Accountant: int(clientAcc[id])}
		c.LinkedOn, c.UnlinkedOn = link(crng, ch.first)
		links[id] = c.LinkedOn
		if err := e.Client(&c); err != nil {
			return err
		}
	}
	pid := 0
	for id := range cfg.Clients {
		crng := clientRand(cfg.Seed, id)
		ch := newChain(crng, int(perClient[id]))
		link(crng, ch.first) // the same draws as above
		co := &countries[accs[clientAcc[id]]]
		for _, start := range ch.starts {
			p := payment(crng, co, ch.annual, start)
			p.ID, p.Client = pid, id
			pid++
			if err := e.Payment(&p); err != nil {
				return err
			}
		}
	}
	return nil
}

// genAccountant is an accountant with the index of its country.
type genAccountant struct {
	Accountant
	country int
}

func accountant(rng *rand.Rand, id int) genAccountant {
	r, ci := rng.IntN(100), 0
	for ci < len(countries)-1 && r >= countries[ci].share {
		r -= countries[ci].share
		ci++
	}
	a := genAccountant{Accountant{ID: id, Country: countries[ci].code, Registered: rng.IntN(100) < 97}, ci}
	if rng.IntN(100) < 75 {
		// Activated between mid-2024 and the last month; some in it.
		a.ActivatedOn = Now - referral.Date(rng.IntN(900))
	}
	return a
}

// spread draws a count for each of n items with draw, then adjusts the
// counts one at a time at random until they add up to total exactly.
func spread(rng *rand.Rand, n, total int, draw func() int) []int32 {
	out := make([]int32, n)
	if n == 0 {
		return out
	}
	sum := 0
	for i := range out {
		out[i] = int32(draw())
		sum += int(out[i])
	}
	for sum < total {
		out[rng.IntN(n)]++
		sum++
	}
	for sum > total {
		if i := rng.IntN(n); out[i] > 0 {
			out[i]--
			sum--
		}
	}
	return out
}

// clientRand is the generator of one client's link and payments.
func clientRand(seed uint64, id int) *rand.Rand {
	return rand.New(rand.NewPCG(seed^0x9e3779b97f4a7c15, uint64(id)))
}

// chain is the periods a client pays for, oldest first.
type chain struct {
	annual bool
	starts []referral.Date
	first  referral.Date // the first period's start, or a day for a client with none
}

func newChain(rng *rand.Rand, n int) chain {
	ch := chain{annual: rng.IntN(100) < 12}
	months := 1
	if ch.annual {
		months = 12
	}
	// The last period starts near Now for most clients (they are paying),
	// earlier for those that stopped.
	last := Now - referral.Date(rng.IntN(31))
	if rng.IntN(100) < 30 {
		last -= referral.Date(30 + rng.IntN(500))
	}
	ch.starts = make([]referral.Date, n)
	d := last
	for i := n - 1; i >= 0; i-- {
		ch.starts[i] = d
		d = d.AddMonths(-months)
		if rng.IntN(100) < 8 {
			d = d.AddMonths(-(1 + rng.IntN(3))) // a lapse before this period
		}
	}
	if n > 0 {
		ch.first = ch.starts[0]
	} else {
		ch.first = Now - referral.Date(rng.IntN(700))
	}
	return ch
}

// link draws the link of a client whose first period starts on first:
// mostly around it, some long after (it paid before being referred), a few
// unlinked later and a few never linked at all.
func link(rng *rand.Rand, first referral.Date) (on, until referral.Date) {
	on = first - referral.Date(rng.IntN(20))
	if rng.IntN(100) < 6 {
		on = first + referral.Date(60+rng.IntN(600))
	}
	switch r := rng.IntN(1000); {
	case r < 50:
		until = on + referral.Date(30+rng.IntN(400))
	case r < 55:
		until = on - referral.Date(rng.IntN(3)) // on or before the link: never linked
	}
	return on, until
}

// payment draws the payment of one period starting on start.
func payment(rng *rand.Rand, co *country, annual bool, start referral.Date) Payment {
	p := Payment{PeriodStart: start, Currency: co.currency}
	if annual {
		p.PeriodEnd = start.AddMonths(12) - 1
	} else {
		p.PeriodEnd = start.AddMonths(1) - 1
	}

	// Paid on its first day or a few days early, at a local time that is
	// often late in the evening: the next day, or the next month, in UTC.
	day := start - referral.Date(max(0, rng.IntN(10)-6))
	secs := rng.IntN(24 * 3600)
	if rng.IntN(100) < 15 {
		secs = 20*3600 + rng.IntN(4*3600)
	}
	p.PaidAt = utc(day, secs, co.offset)
	if rng.IntN(2) == 0 {
		p.Offset = co.offset
	}

	p.Units = co.prices[rng.IntN(len(co.prices))]
	if rng.IntN(100) < 2 && co.currency != "USD" {
		p.Currency, p.Units = "USD", 2900 // a client billed in dollars
	}
	if annual {
		p.Units *= 10
	}
	p.Cents = p.Units%100 != 0 || rng.IntN(100) < 40
	if rng.IntN(100) < 4 {
		p.Promotion = promotions[rng.IntN(len(promotions))]
	}
	if rng.IntN(100) < 3 {
		p.RefundedAt = p.PaidAt.Add(time.Duration(rng.IntN(45*24*3600)) * time.Second)
	}
	return p
}

// utc is the instant secs seconds after local midnight of day in a zone
// offset hours from UTC.
func utc(day referral.Date, secs, offset int) time.Time {
	y, m, d := day.Civil()
	return time.Date(y, m, d, 0, 0, secs, 0, time.UTC).Add(-time.Duration(offset) * time.Hour)
}
