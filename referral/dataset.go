package referral

import (
	"cmp"
	"slices"
	"strings"
)

// Dataset is a validated set of accountants, clients and payments, indexed
// for the questions the program asks. It is immutable once built and safe
// for concurrent use; the slices its methods return must not be modified.
type Dataset struct {
	accountants []Accountant // by ID
	clients     []Client     // by AccountantID, then ID
	payments    []Payment    // by ClientID, then PaidAt, then ID
	redemptions []Redemption // by AccountantID, then RedeemedAt, then ID

	accountantAt map[string]int
	clientsOf    map[string]span // accountant ID -> range of clients
	paymentsOf   map[string]span // client ID -> range of payments
	clientPays   []span          // clients[i] -> range of payments, for walks without lookups
	redeemedBy   map[string]span // accountant ID -> range of redemptions
}

type span struct{ lo, hi int }

// index sorts the rows into the order the methods promise and builds the
// lookups. The rows must already be valid (see New).
func index(accs []Accountant, clients []Client, pays []Payment) *Dataset {
	ds := &Dataset{
		accountants:  slices.Clone(accs),
		clients:      slices.Clone(clients),
		payments:     slices.Clone(pays),
		accountantAt: make(map[string]int, len(accs)),
		clientsOf:    make(map[string]span, len(accs)),
		paymentsOf:   make(map[string]span, len(clients)),
	}
	slices.SortFunc(ds.accountants, func(a, b Accountant) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(ds.clients, func(a, b Client) int {
		return cmp.Or(strings.Compare(a.AccountantID, b.AccountantID), strings.Compare(a.ID, b.ID))
	})
	slices.SortFunc(ds.payments, func(a, b Payment) int {
		return cmp.Or(strings.Compare(a.ClientID, b.ClientID), a.PaidAt.Compare(b.PaidAt),
			strings.Compare(a.ID, b.ID))
	})
	for i := range ds.accountants {
		ds.accountantAt[ds.accountants[i].ID] = i
	}
	for lo := 0; lo < len(ds.clients); {
		hi := lo + 1
		for hi < len(ds.clients) && ds.clients[hi].AccountantID == ds.clients[lo].AccountantID {
			hi++
		}
		ds.clientsOf[ds.clients[lo].AccountantID] = span{lo, hi}
		lo = hi
	}
	for lo := 0; lo < len(ds.payments); {
		hi := lo + 1
		for hi < len(ds.payments) && ds.payments[hi].ClientID == ds.payments[lo].ClientID {
			hi++
		}
		ds.paymentsOf[ds.payments[lo].ClientID] = span{lo, hi}
		lo = hi
	}
	ds.clientPays = make([]span, len(ds.clients))
	for i := range ds.clients {
		ds.clientPays[i] = ds.paymentsOf[ds.clients[i].ID]
	}
	return ds
}

// Accountants returns every accountant, by ID in byte order.
func (ds *Dataset) Accountants() []Accountant { return ds.accountants }

// Accountant returns the accountant with id.
func (ds *Dataset) Accountant(id string) (Accountant, bool) {
	i, ok := ds.accountantAt[id]
	if !ok {
		return Accountant{}, false
	}
	return ds.accountants[i], true
}

// Clients returns every client, by accountant ID and then client ID.
func (ds *Dataset) Clients() []Client { return ds.clients }

// Payments returns every payment, by client ID, then PaidAt, then ID.
func (ds *Dataset) Payments() []Payment { return ds.payments }

// ClientsOf returns the clients referred by the accountant with id, by
// client ID.
func (ds *Dataset) ClientsOf(accountantID string) []Client {
	s := ds.clientsOf[accountantID]
	return ds.clients[s.lo:s.hi:s.hi]
}

// PaymentsOfClient returns the payments of Clients()[i], oldest first: the
// same as PaymentsOf(Clients()[i].ID) without a lookup by ID, for code that
// walks every client.
func (ds *Dataset) PaymentsOfClient(i int) []Payment {
	s := ds.clientPays[i]
	return ds.payments[s.lo:s.hi:s.hi]
}

// PaymentsOf returns the payments of the client with id, oldest first
// (by PaidAt, then payment ID).
func (ds *Dataset) PaymentsOf(clientID string) []Payment {
	s := ds.paymentsOf[clientID]
	return ds.payments[s.lo:s.hi:s.hi]
}
