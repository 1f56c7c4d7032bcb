package referral

import (
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"
)

// Dataset is a validated set of accountants, clients and payments, indexed
// for the questions the program asks. It is immutable once built and safe
// for concurrent use; the slices its methods return must not be modified.
//
// Accountants are kept as rows; clients and payments, which run to tens of
// millions, are kept in columns (see Columns): ids as one text each, link
// dates and periods as Dates, instants as Unix seconds, amounts in minor
// units of their currency. Methods that return Client and Payment rows
// build them on each call.
type Dataset struct {
	accountants []Accountant // by ID
	cols        Columns
	// clientAt finds a client by id; built on the first PaymentsOf, since
	// a run over every client never needs it.
	clientAt *lazyIndex
	zones    map[int16]*time.Location // the offsets instants were written with

	redemptions []Redemption // by AccountantID, then RedeemedAt, then ID
	redeemedBy  map[string]span
}

type span struct{ lo, hi int }

// lazyIndex is an idIndex built on first use.
type lazyIndex struct {
	once  sync.Once
	index idIndex
}

// Columns holds the clients and payments of a Dataset in columns, for code
// that walks every row, such as package commission: row i of each client
// column is Clients()[i], and row j of each payment column is
// Payments()[j]. Nothing in it may be modified.
type Columns struct {
	// Clients, by accountant ID, then client ID.
	ClientID          Strings
	ClientAccountant  []int32 // the index of the client's accountant in Accountants()
	LinkedOn          []Date
	UnlinkedOn        []Date  // the zero Date: still linked
	AccountantClients []int32 // the clients of Accountants()[a] are rows AccountantClients[a] to AccountantClients[a+1]-1
	ClientPayments    []int32 // the payments of client i are rows ClientPayments[i] to ClientPayments[i+1]-1

	// Payments, by client (in the order of the clients), then PaidAt,
	// then payment ID.
	PaymentID     Strings
	PaymentClient []int32 // the row of the payment's client
	PaidAt        []Instant
	// The refund of payment j is Refunds[Refund[j]]; Refunds[0] is the
	// Never() instant of a payment not refunded.
	Refund      []uint32
	Refunds     []Instant
	PeriodStart []Date
	PeriodEnd   []Date
	// Units is the amount in minor units of its currency (69900.00 COP
	// is 6990000), or OverflowUnits for an amount too large for int64,
	// which Amount gives exactly.
	Units      []int64
	Currency   []uint16 // the index of the payment's currency in Currencies
	Currencies []string // the codes of the payments' currencies, in byte order
	Digits     []int8   // the minor digits of each of Currencies
	Promotion  []uint32 // the index of the payment's promotion in Promotions
	Promotions []string // Promotions[0] is "", no promotion

	written []uint8                   // decimals each amount was written with
	big     map[int32]decimal.Decimal // the amounts at OverflowUnits
}

// OverflowUnits stands in Columns.Units for an amount whose minor units
// do not fit in int64; Columns.Amount gives it exactly.
const OverflowUnits int64 = math.MinInt64

// Amount returns the amount of payment j, exactly, with the decimals it
// was written with.
func (c *Columns) Amount(j int) decimal.Decimal {
	coef, exp, ok := c.Coefficient(j)
	if !ok {
		return c.big[int32(j)]
	}
	return decimal.New(coef, exp)
}

// Coefficient returns the amount of payment j as coef x 10^exp, with the
// exponent it was written with (Amount(j) is decimal.New(coef, exp)), or
// false for an amount at OverflowUnits.
func (c *Columns) Coefficient(j int) (coef int64, exp int32, ok bool) {
	u := c.Units[j]
	if u == OverflowUnits {
		return 0, 0, false
	}
	w := int(c.written[j])
	return u / pow10[int(c.Digits[c.Currency[j]])-w], -int32(w), true
}

// RefundedAt returns the refund of payment j, Never() when it was not
// refunded.
func (c *Columns) RefundedAt(j int) Instant { return c.Refunds[c.Refund[j]] }

// pow10[n] is 10 to the n, for n up to 18.
var pow10 = [19]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
	1e14, 1e15, 1e16, 1e17, 1e18}

// Columns returns the clients and payments of ds in columns.
func (ds *Dataset) Columns() *Columns { return &ds.cols }

// AccountantIndex returns the index in Accountants() of the accountant
// with id: the a of Columns.AccountantClients[a].
func (ds *Dataset) AccountantIndex(id string) (int, bool) {
	return slices.BinarySearchFunc(ds.accountants, id, func(a Accountant, id string) int {
		return strings.Compare(a.ID, id)
	})
}

// Accountants returns every accountant, by ID in byte order.
func (ds *Dataset) Accountants() []Accountant { return ds.accountants }

// Accountant returns the accountant with id.
func (ds *Dataset) Accountant(id string) (Accountant, bool) {
	i, ok := ds.AccountantIndex(id)
	if !ok {
		return Accountant{}, false
	}
	return ds.accountants[i], true
}

// NumClients returns the number of clients.
func (ds *Dataset) NumClients() int { return ds.cols.ClientID.Len() }

// NumPayments returns the number of payments.
func (ds *Dataset) NumPayments() int { return ds.cols.PaymentID.Len() }

// Clients returns every client, by accountant ID and then client ID, in
// a new slice.
func (ds *Dataset) Clients() []Client { return ds.clientRows(0, ds.NumClients()) }

// Payments returns every payment, by client in the order of Clients()
// (accountant ID, then client ID), then PaidAt, then payment ID, in a new
// slice.
func (ds *Dataset) Payments() []Payment { return ds.paymentRows(0, ds.NumPayments()) }

// Payment returns Payments()[j], without building the others.
func (ds *Dataset) Payment(j int) Payment { return ds.paymentRows(j, j+1)[0] }

// ClientsOf returns the clients referred by the accountant with id, by
// client ID.
func (ds *Dataset) ClientsOf(accountantID string) []Client {
	a, ok := ds.AccountantIndex(accountantID)
	if !ok {
		return []Client{}
	}
	return ds.clientRows(int(ds.cols.AccountantClients[a]), int(ds.cols.AccountantClients[a+1]))
}

// PaymentsOfClient returns the payments of Clients()[i], oldest first: the
// same as PaymentsOf(Clients()[i].ID) without a lookup by ID.
func (ds *Dataset) PaymentsOfClient(i int) []Payment {
	return ds.paymentRows(int(ds.cols.ClientPayments[i]), int(ds.cols.ClientPayments[i+1]))
}

// PaymentsOf returns the payments of the client with id, oldest first
// (by PaidAt, then payment ID).
func (ds *Dataset) PaymentsOf(clientID string) []Payment {
	x := ds.clientAt
	if x == nil {
		return []Payment{} // the zero Dataset: no clients
	}
	x.once.Do(func() {
		x.index = newIDIndex(ds.NumClients())
		for i := range ds.NumClients() {
			x.index.add(ds.cols.ClientID.At(i), i)
		}
	})
	i, ok := x.index.find(clientID, ds.cols.ClientID.At)
	if !ok {
		return []Payment{}
	}
	return ds.PaymentsOfClient(i)
}

// clientRows returns clients lo to hi-1 as rows.
func (ds *Dataset) clientRows(lo, hi int) []Client {
	c := &ds.cols
	out := make([]Client, hi-lo)
	for i := range out {
		k := lo + i
		out[i] = Client{ID: c.ClientID.At(k), AccountantID: ds.accountants[c.ClientAccountant[k]].ID,
			LinkedOn: c.LinkedOn[k], UnlinkedOn: c.UnlinkedOn[k]}
	}
	return out
}

// paymentRows returns payments lo to hi-1 as rows.
func (ds *Dataset) paymentRows(lo, hi int) []Payment {
	c := &ds.cols
	out := make([]Payment, hi-lo)
	for i := range out {
		j := lo + i
		p := &out[i]
		*p = Payment{ID: c.PaymentID.At(j), ClientID: c.ClientID.At(int(c.PaymentClient[j])),
			PaidAt: ds.time(c.PaidAt[j]), PeriodStart: c.PeriodStart[j], PeriodEnd: c.PeriodEnd[j],
			Amount: c.Amount(j), Currency: c.Currencies[c.Currency[j]],
			Promotion: c.Promotions[c.Promotion[j]]}
		if r := c.RefundedAt(j); !r.Never() {
			p.RefundedAt = ds.time(r)
		}
	}
	return out
}

// time returns t in the offset it was written with. The location kept
// for an offset is the one of the first instant written with it, which
// may be a zone with daylight saving time (New takes any time.Time): it
// is used only where it has that offset at t, so that an instant written
// at -05:00 in Bogota is not given back at -04:00 because an earlier
// one came at -05:00 from New York's winter.
func (ds *Dataset) time(t Instant) time.Time {
	at := time.Unix(t.Unix, int64(t.Nanos))
	if loc := ds.zones[t.offset]; loc != nil {
		if lt := at.In(loc); zoneMinutes(lt) == t.offset {
			return lt
		}
	}
	return at.In(time.FixedZone("", int(t.offset)*60))
}

// zoneMinutes is the UTC offset of t in minutes, as an Instant keeps it.
func zoneMinutes(t time.Time) int16 {
	_, off := t.Zone()
	return int16(off / 60)
}
