package referral

import (
	"bytes"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An instant is given back with the UTC offset it was written with, even
// when an earlier instant of the same offset came in a zone with daylight
// saving time: 2026-07-15T10:00:00-05:00 written in Bogota stays -05:00,
// not the -04:00 New York keeps in July (New York is -05:00 in January,
// when p-1 was paid).
func TestInstantKeepsItsWrittenOffset(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	bogota, err := time.LoadLocation("America/Bogota")
	require.NoError(t, err)
	day := func(s string) Date { d, err := ParseDate(s); require.NoError(t, err); return d }
	pay := func(id string, at time.Time) Payment {
		return Payment{ID: id, ClientID: "c-1", PaidAt: at, PeriodStart: day("2026-01-15"),
			PeriodEnd: day("2026-08-14"), Amount: decimal.RequireFromString("100.00"), Currency: "COP"}
	}
	p1 := pay("p-1", time.Date(2026, 1, 15, 10, 0, 0, 0, ny))
	p2 := pay("p-2", time.Date(2026, 7, 15, 10, 0, 0, 0, bogota))
	p2.RefundedAt = time.Date(2026, 7, 20, 8, 30, 0, 0, bogota)
	ds, err := New([]Accountant{{ID: "a-1", Country: "CO", Registered: true}},
		[]Client{{ID: "c-1", AccountantID: "a-1", LinkedOn: day("2026-01-01")}},
		[]Payment{p1, p2}, readCurrencies)
	require.NoError(t, err)

	pays := ds.Payments()
	require.Len(t, pays, 2)
	assert.Equal(t, "2026-01-15T10:00:00-05:00", pays[0].PaidAt.Format(time.RFC3339))
	assert.Equal(t, "2026-07-15T10:00:00-05:00", pays[1].PaidAt.Format(time.RFC3339))
	assert.Equal(t, "2026-07-20T08:30:00-05:00", pays[1].RefundedAt.Format(time.RFC3339))

	var buf bytes.Buffer
	require.NoError(t, ds.WriteJSON(&buf))
	assert.Contains(t, buf.String(), `"paid_at":"2026-07-15T10:00:00-05:00"`)
	assert.Contains(t, buf.String(), `"refunded_at":"2026-07-20T08:30:00-05:00"`)
}

// The zero Dataset has no clients: asking for one's payments finds none,
// as it always did, rather than failing on the index built on first use.
func TestZeroDatasetPaymentsOf(t *testing.T) {
	var ds Dataset
	assert.Empty(t, ds.PaymentsOf("c-1"))
	assert.Empty(t, ds.ClientsOf("a-1"))
	assert.Empty(t, ds.Payments())
}
