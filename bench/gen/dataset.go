package gen

import (
	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

// Rows is an Emitter that keeps the rows as the library's types, for a
// dataset in memory.
type Rows struct {
	Accountants []referral.Accountant
	Clients     []referral.Client
	Payments    []referral.Payment
}

// NewRows returns Rows with room for the rows of cfg.
func NewRows(cfg Config) *Rows {
	return &Rows{
		Accountants: make([]referral.Accountant, 0, cfg.Accountants),
		Clients:     make([]referral.Client, 0, cfg.Clients),
		Payments:    make([]referral.Payment, 0, cfg.Payments),
	}
}

// Accountant keeps an accountant as a referral.Accountant.
func (r *Rows) Accountant(a *Accountant) error {
	r.Accountants = append(r.Accountants, referral.Accountant{
		ID: AccountantID(a.ID), Country: a.Country, Registered: a.Registered, ActivatedOn: a.ActivatedOn,
	})
	return nil
}

// Client keeps a client as a referral.Client.
func (r *Rows) Client(c *Client) error {
	r.Clients = append(r.Clients, referral.Client{
		ID: ClientID(c.ID), AccountantID: AccountantID(c.Accountant),
		LinkedOn: c.LinkedOn, UnlinkedOn: c.UnlinkedOn,
	})
	return nil
}

// Payment keeps a payment as a referral.Payment, its amount written as
// the CSV writer writes it (with or without its two decimals).
func (r *Rows) Payment(p *Payment) error {
	exp := int32(0)
	units := p.Units
	if p.Cents {
		exp = -2
	} else {
		units /= 100
	}
	r.Payments = append(r.Payments, referral.Payment{
		ID: PaymentID(p.ID), ClientID: ClientID(p.Client), PaidAt: p.PaidAt,
		PeriodStart: p.PeriodStart, PeriodEnd: p.PeriodEnd, Amount: decimal.New(units, exp),
		Currency: p.Currency, Promotion: p.Promotion, RefundedAt: p.RefundedAt,
	})
	return nil
}

// Dataset generates cfg in memory and validates it with referral.New.
func Dataset(cfg Config, cur referral.Currencies) (*referral.Dataset, error) {
	rows := NewRows(cfg)
	if err := Generate(cfg, rows); err != nil {
		return nil, err
	}
	return referral.New(rows.Accountants, rows.Clients, rows.Payments, cur)
}
