package referral

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// RedemptionsFile is the optional fourth file of a data folder: the
// service credit the accountants spent (D11).
const RedemptionsFile = "redemptions.csv"

// Redemption is one use of an accountant's service credit: at RedeemedAt
// it paid Amount of a purchase of the vendor's services, in Currency.
// Reference is the billing system's reference of the purchase; it is
// required, but only carried along.
//
// Whether the accountant had that much credit at that instant is a
// question of the commission statements, which package commission
// answers; here a redemption is only checked as a row.
type Redemption struct {
	ID           string          `json:"redemption_id"`
	AccountantID string          `json:"accountant_id"`
	RedeemedAt   time.Time       `json:"redeemed_at"`
	Amount       decimal.Decimal `json:"amount"`
	Currency     string          `json:"currency"`
	Reference    string          `json:"reference"`

	where string // the row it was read from; see Where
}

// Where names the row r was read from, for messages about it:
// "redemptions.csv:4" from CSV (the line the record starts on),
// "redemptions[3]" from JSON or WithRedemptions (counted from 0), and ""
// for a Redemption that did not come from a Dataset.
func (r *Redemption) Where() string { return r.where }

// Columns of redemptions.
const (
	rID = iota
	rAccountant
	rRedeemedAt
	rAmount
	rCurrency
	rReference
)

// Redemptions returns every redemption, by accountant ID, then
// RedeemedAt, then redemption ID.
func (ds *Dataset) Redemptions() []Redemption { return ds.redemptions }

// RedemptionsOf returns the redemptions of the accountant with id, oldest
// first (by RedeemedAt, then redemption ID).
func (ds *Dataset) RedemptionsOf(accountantID string) []Redemption {
	s := ds.redeemedBy[accountantID]
	return ds.redemptions[s.lo:s.hi:s.hi]
}

// WithRedemptions checks rs as ReadCSV and ReadJSON check the rows of
// RedemptionsFile, against the accountants of ds and the currencies of
// cur, and returns a Dataset with the rows of ds and rs as its
// redemptions (any redemptions of ds are replaced). ds is not changed.
// On bad input it returns Errors whose paths look like
// "redemptions[2].amount".
func (ds *Dataset) WithRedemptions(rs []Redemption, cur Currencies) (*Dataset, error) {
	c := newChecker(cur)
	for i := range ds.accountants {
		c.seen[accountantsTable][ds.accountants[i].ID] = pos{row: i}
	}
	rs = slices.Clone(rs)
	checkRows(c, redemptionsTable, rs, (*checker).checkRedemption, nil)
	if err := c.err(); err != nil {
		return nil, err
	}
	for i := range rs {
		rs[i].where = fmt.Sprintf("%s[%d]", tableNames[redemptionsTable], i)
	}
	out := *ds
	out.indexRedemptions(rs)
	return &out, nil
}

// dataset returns the Dataset of the rows the checker kept.
func (c *checker) dataset() *Dataset {
	ds := c.b.build()
	ds.indexRedemptions(c.reds)
	return ds
}

// indexRedemptions keeps rs, sorted, as the redemptions of ds.
func (ds *Dataset) indexRedemptions(rs []Redemption) {
	ds.redemptions = slices.Clone(rs)
	ds.redeemedBy = make(map[string]span)
	slices.SortFunc(ds.redemptions, func(a, b Redemption) int {
		return cmp.Or(strings.Compare(a.AccountantID, b.AccountantID),
			a.RedeemedAt.Compare(b.RedeemedAt), strings.Compare(a.ID, b.ID))
	})
	for lo := 0; lo < len(ds.redemptions); {
		hi := lo + 1
		for hi < len(ds.redemptions) && ds.redemptions[hi].AccountantID == ds.redemptions[lo].AccountantID {
			hi++
		}
		ds.redeemedBy[ds.redemptions[lo].AccountantID] = span{lo, hi}
		lo = hi
	}
}

func (c *checker) parseRedemption(r at, rec record, bad mask) Redemption {
	rd := Redemption{ID: rec[rID], AccountantID: rec[rAccountant], Currency: rec[rCurrency],
		Reference: rec[rReference]}
	rd.RedeemedAt = c.parseTime(r, rRedeemedAt, rec, &bad)
	rd.Amount = c.parseAmount(r, rAmount, rec, &bad)
	c.checkRedemption(r, &rd, bad)
	if c.files[r.t] != "" {
		rd.where = fmt.Sprintf("%s:%d", c.files[r.t], r.p.line)
	} else {
		rd.where = fmt.Sprintf("%s[%d]", tableNames[r.t], r.p.row)
	}
	return rd
}

// checkRedemption wants a unique id, a listed accountant, an instant, a
// positive amount with no more decimals than its currency allows, a
// known currency and a reference, its text valid UTF-8.
func (c *checker) checkRedemption(r at, rd *Redemption, bad mask) {
	c.checkID(r, rID, rd.ID)
	switch {
	case rd.AccountantID == "":
		c.report(r, rAccountant, ErrMissingValue)
	case !c.checkText(r, rAccountant, rd.AccountantID):
	case !c.listed(accountantsTable, rd.AccountantID):
		c.report(r, rAccountant, problemf(ErrUnknownAccountant,
			"redemption of an unknown accountant %s", show(rd.AccountantID)))
	}
	c.checkTime(r, rRedeemedAt, rd.RedeemedAt, bad)
	c.checkMoney(r, rAmount, rd.Amount, rd.Currency, bad)
	c.checkCurrencyAt(r, rCurrency, rd.Currency)
	if rd.Reference == "" {
		c.report(r, rReference, ErrMissingValue)
	} else {
		c.checkText(r, rReference, rd.Reference)
	}
}

// listed reports whether id was seen in the list of t.
func (c *checker) listed(t table, id string) bool {
	_, ok := c.seen[t][id]
	return ok
}

// text gives the text of column col, as ReadCSV would read it back.
func (r *Redemption) text(col int) string {
	switch col {
	case rID:
		return r.ID
	case rAccountant:
		return r.AccountantID
	case rRedeemedAt:
		return formatTime(r.RedeemedAt)
	case rAmount:
		return writtenAmount(r.Amount)
	case rCurrency:
		return r.Currency
	default:
		return r.Reference
	}
}
