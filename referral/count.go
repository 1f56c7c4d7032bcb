package referral

import "time"

// Reason says why a client is not an active paid referral on a day.
type Reason string

// The reasons a client does not count (D2, F2, F3).
const (
	NeverLinked   Reason = "never_linked"    // its unlinked_on is on or before its linked_on
	NotYetLinked  Reason = "not_yet_linked"  // the day is before its linked_on
	Unlinked      Reason = "unlinked"        // the day is on or after its unlinked_on
	NeverPaid     Reason = "never_paid"      // no payment was made by the end of the day
	Refunded      Reason = "refunded"        // every payment that covers the day was refunded
	NotYetCovered Reason = "not_yet_covered" // its payments cover only later days
	Lapsed        Reason = "lapsed"          // its coverage ended before the day
)

// ClientStatus is whether one client counts as an active paid referral on
// a day, and why not when it does not.
type ClientStatus struct {
	ClientID string `json:"client_id"`
	Counted  bool   `json:"counted"`
	// Reason is empty when the client counts.
	Reason Reason `json:"reason,omitempty"`
	// Since is the day the reason began or begins, where it has one: the
	// first uncovered day of a lapse, the unlink date, or the link date of
	// a client not yet linked.
	Since Date `json:"since,omitzero"`
}

// Coverage decides active paid referrals (D2). The zero Coverage has no
// grace days and UTC; set Location to the accountant's country zone.
type Coverage struct {
	Location  *time.Location // the accountant's country zone (D3)
	GraceDays int            // days a payment keeps covering after its period (D2, F16)
}

// location is the zone of the coverage: UTC for a nil Location, as the
// zero Coverage promises.
func (cv Coverage) location() *time.Location {
	if cv.Location == nil {
		return time.UTC
	}
	return cv.Location
}

// Covers reports whether payment p makes its client paid on local day d:
// paid by the end of d (F2), d within its period extended by the grace
// days, and not refunded by the end of d.
func (cv Coverage) Covers(p *Payment, d Date, closeOfD time.Time) bool {
	return p.PaidAt.Before(closeOfD) &&
		p.PeriodStart <= d && d <= p.PeriodEnd.AddDays(cv.GraceDays) &&
		!p.RefundedBefore(closeOfD)
}

// Active reports whether client c, with its payments oldest first, is an
// active paid referral on local day d.
func (cv Coverage) Active(c *Client, pays []Payment, d Date) bool {
	if !c.Linked(d) {
		return false
	}
	closeOfD := d.Close(cv.location())
	for i := range pays {
		if !pays[i].PaidAt.Before(closeOfD) {
			break // oldest first: the rest were paid later still
		}
		if cv.Covers(&pays[i], d, closeOfD) {
			return true
		}
	}
	return false
}

// Status returns whether client c, with its payments oldest first, counts
// on local day d, and the reason when it does not.
func (cv Coverage) Status(c *Client, pays []Payment, d Date) ClientStatus {
	st := ClientStatus{ClientID: c.ID}
	switch {
	case !c.UnlinkedOn.IsZero() && c.UnlinkedOn <= c.LinkedOn:
		st.Reason = NeverLinked
		return st
	case d < c.LinkedOn:
		st.Reason, st.Since = NotYetLinked, c.LinkedOn
		return st
	case !c.UnlinkedOn.IsZero() && d >= c.UnlinkedOn:
		st.Reason, st.Since = Unlinked, c.UnlinkedOn
		return st
	}
	closeOfD := d.Close(cv.location())
	var known, refunded, later int
	var lastCovered Date
	for i := range pays {
		p := &pays[i]
		if !p.PaidAt.Before(closeOfD) {
			break
		}
		known++
		end := p.PeriodEnd.AddDays(cv.GraceDays)
		switch {
		case p.RefundedBefore(closeOfD):
			if p.PeriodStart <= d && d <= end {
				refunded++
			}
		case p.PeriodStart > d:
			later++
		case d <= end:
			st.Counted = true
			return st
		case end > lastCovered:
			lastCovered = end
		}
	}
	switch {
	case known == 0:
		st.Reason = NeverPaid
	case refunded > 0:
		st.Reason = Refunded
	case !lastCovered.IsZero():
		st.Reason, st.Since = Lapsed, lastCovered+1
	case later > 0:
		st.Reason = NotYetCovered
	default:
		st.Reason = Refunded
	}
	return st
}

// Count is an accountant's number of active paid referrals on a local day,
// with the status of every one of its clients.
type Count struct {
	AccountantID string         `json:"accountant_id"`
	Day          Date           `json:"day"`
	Active       int            `json:"active_paid_referrals"`
	Clients      []ClientStatus `json:"clients"`
}

// CountActive counts the active paid referrals of the accountant with id on
// local day d (D2, F2), with the status of each of its clients by client
// ID. An unknown accountant has no clients and counts 0.
func (ds *Dataset) CountActive(accountantID string, d Date, cv Coverage) Count {
	var lo, hi int
	if a, ok := ds.accountantIndex(accountantID); ok {
		lo, hi = int(ds.cols.AccountantClients[a]), int(ds.cols.AccountantClients[a+1])
	}
	clients := ds.clientRows(lo, hi)
	out := Count{AccountantID: accountantID, Day: d, Clients: make([]ClientStatus, 0, len(clients))}
	for i := range clients {
		st := cv.Status(&clients[i], ds.PaymentsOfClient(lo+i), d)
		if st.Counted {
			out.Active++
		}
		out.Clients = append(out.Clients, st)
	}
	return out
}
