package referral

import (
	"time"

	"github.com/shopspring/decimal"
)

// Accountant is an accounting professional who refers client companies.
type Accountant struct {
	ID         string `json:"accountant_id"`
	Country    string `json:"country"`    // ISO 3166-1 alpha-2, upper case
	Registered bool   `json:"registered"` // registered in the accounting product
	// ActivatedOn is the local day the accountant activated the program;
	// the zero Date means it never did.
	ActivatedOn Date `json:"activated_on"`
}

// Client is a company referred by an accountant. It is linked to its
// accountant from LinkedOn (inclusive) until UnlinkedOn (exclusive); the
// zero UnlinkedOn means it is still linked. An UnlinkedOn on or before
// LinkedOn means it was never linked (fine point F3).
type Client struct {
	ID           string `json:"client_id"`
	AccountantID string `json:"accountant_id"`
	LinkedOn     Date   `json:"linked_on"`
	UnlinkedOn   Date   `json:"unlinked_on"`
}

// LinkedOn reports whether c is linked to its accountant on day d
// (LinkedOn <= d < UnlinkedOn).
func (c *Client) Linked(d Date) bool {
	return c.LinkedOn <= d && (c.UnlinkedOn.IsZero() || d < c.UnlinkedOn)
}

// Payment is one payment of a client's plan. It covers the local days
// PeriodStart to PeriodEnd, both inclusive. The zero RefundedAt means it
// was never refunded.
type Payment struct {
	ID          string          `json:"payment_id"`
	ClientID    string          `json:"client_id"`
	PaidAt      time.Time       `json:"paid_at"`
	PeriodStart Date            `json:"period_start"`
	PeriodEnd   Date            `json:"period_end"`
	Amount      decimal.Decimal `json:"amount"`
	Currency    string          `json:"currency"`
	Promotion   string          `json:"promotion"`
	RefundedAt  time.Time       `json:"refunded_at"`
}

// RefundedBefore reports whether p was refunded strictly before instant t.
// With t the close of a day or month, this is "refunded at or before the
// end of it" (D2, D5, fine point F1).
func (p *Payment) RefundedBefore(t time.Time) bool {
	return !p.RefundedAt.IsZero() && p.RefundedAt.Before(t)
}

// Currencies tells which currencies exist and how many minor digits each
// allows (D12). A loaded program implements it.
type Currencies interface {
	MinorUnits(code string) (digits int, ok bool)
}
