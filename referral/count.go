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
	closeOfD := d.Close(cv.location())
	return cv.status(c.ID, c.LinkedOn, c.UnlinkedOn, len(pays), func(k int) payFacts {
		p := &pays[k]
		return payFacts{p.PaidAt.Before(closeOfD), p.RefundedBefore(closeOfD), p.PeriodStart, p.PeriodEnd}
	}, d)
}

// payFacts is what a client's status on a day needs of one of its
// payments: whether it was paid, and refunded, by the close of the day,
// and the days it covers.
type payFacts struct {
	paid, refunded bool
	start, end     Date
}

// status is Status for a client with n payments, oldest first, whose
// facts on day d fact gives, from rows or from columns alike.
func (cv Coverage) status(id string, linkedOn, unlinkedOn Date, n int, fact func(k int) payFacts, d Date) ClientStatus {
	st := ClientStatus{ClientID: id}
	switch {
	case !unlinkedOn.IsZero() && unlinkedOn <= linkedOn:
		st.Reason = NeverLinked
		return st
	case d < linkedOn:
		st.Reason, st.Since = NotYetLinked, linkedOn
		return st
	case !unlinkedOn.IsZero() && d >= unlinkedOn:
		st.Reason, st.Since = Unlinked, unlinkedOn
		return st
	}
	var known, refunded, later int
	var lastCovered Date
	for k := range n {
		p := fact(k)
		if !p.paid {
			break
		}
		known++
		end := p.end.AddDays(cv.GraceDays)
		switch {
		case p.refunded:
			if p.start <= d && d <= end {
				refunded++
			}
		case p.start > d:
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
	if a, ok := ds.AccountantIndex(accountantID); ok {
		lo, hi = int(ds.cols.AccountantClients[a]), int(ds.cols.AccountantClients[a+1])
	}
	c := &ds.cols
	closeOfD := d.Close(cv.location()).Unix() // a whole second: t < close is t.Unix < closeOfD
	out := Count{AccountantID: accountantID, Day: d, Clients: make([]ClientStatus, 0, hi-lo)}
	for i := lo; i < hi; i++ {
		first := int(c.ClientPayments[i])
		st := cv.status(c.ClientID.At(i), c.LinkedOn[i], c.UnlinkedOn[i], int(c.ClientPayments[i+1])-first,
			func(k int) payFacts {
				j := first + k
				return payFacts{c.PaidAt[j].Unix < closeOfD, c.Refunds[c.Refund[j]].Unix < closeOfD,
					c.PeriodStart[j], c.PeriodEnd[j]}
			}, d)
		if st.Counted {
			out.Active++
		}
		out.Clients = append(out.Clients, st)
	}
	return out
}
