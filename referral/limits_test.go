package referral

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withTextLimit lowers the most text an id column holds for one test.
func withTextLimit(t *testing.T, n uint64) {
	old := maxStringsText
	maxStringsText = n
	t.Cleanup(func() { maxStringsText = old })
}

// A column of ids holds at most maxStringsText bytes (its offsets are 32
// bits). Ids past it are refused as a problem placed on the first row that
// does not fit, rather than dropped from the id column while the other
// columns keep the row (which left the columns of different lengths).
func TestIDTextPastTheLimitIsRefused(t *testing.T) {
	day := func(s string) Date { d, err := ParseDate(s); require.NoError(t, err); return d }
	accs := []Accountant{{ID: "a-1", Country: "CO", Registered: true}}
	clients := []Client{
		{ID: "c-0001", AccountantID: "a-1", LinkedOn: day("2026-01-01")},
		{ID: "c-0002", AccountantID: "a-1", LinkedOn: day("2026-01-01")},
		{ID: "c-0003", AccountantID: "a-1", LinkedOn: day("2026-01-01")},
	}
	pay := func(id, client string) Payment {
		return Payment{ID: id, ClientID: client, PaidAt: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC),
			PeriodStart: day("2026-01-05"), PeriodEnd: day("2026-02-04"),
			Amount: decimal.RequireFromString("100.00"), Currency: "COP"}
	}
	pays := []Payment{pay("p-0001", "c-0001"), pay("p-0002", "c-0001"), pay("p-0003", "c-0002")}

	// 12 bytes: two ids of 6 fit, the third does not.
	withTextLimit(t, 12)

	t.Run("New clients", func(t *testing.T) {
		_, err := New(accs, clients, nil, readCurrencies)
		requireTooLarge(t, err, "clients[2].client_id")
	})
	t.Run("New payments", func(t *testing.T) {
		_, err := New(accs, clients[:2], pays, readCurrencies)
		requireTooLarge(t, err, "payments[2].payment_id")
	})
	t.Run("CSV", func(t *testing.T) {
		var cl, py strings.Builder
		cl.WriteString("client_id,accountant_id,linked_on,unlinked_on\n")
		for _, c := range clients[:2] {
			cl.WriteString(c.ID + ",a-1,2026-01-01,\n")
		}
		py.WriteString("payment_id,client_id,paid_at,period_start,period_end,amount,currency,promotion,refunded_at\n")
		for _, p := range pays {
			py.WriteString(p.ID + "," + p.ClientID + ",2026-01-05T10:00:00Z,2026-01-05,2026-02-04,100.00,COP,,\n")
		}
		_, err := ReadCSV(strings.NewReader("accountant_id,country,registered,activated_on\na-1,CO,true,\n"),
			strings.NewReader(cl.String()), strings.NewReader(py.String()), readCurrencies)
		var errs Errors
		require.True(t, errors.As(err, &errs), "error %v", err)
		require.Len(t, errs, 1)
		assert.Equal(t, PaymentsFile, errs[0].File)
		assert.Equal(t, 4, errs[0].Line) // header, p-0001, p-0002, p-0003
		assert.Equal(t, "payment_id", errs[0].Column)
		assert.ErrorIs(t, errs[0].Err, ErrTooLarge)
	})
	t.Run("fits", func(t *testing.T) {
		ds, err := New(accs, clients[:2], pays[:2], readCurrencies)
		require.NoError(t, err)
		assert.Equal(t, []string{"c-0001", "c-0002"}, []string{ds.Clients()[0].ID, ds.Clients()[1].ID})
		assert.Len(t, ds.Payments(), 2)
	})
}

// A Dataset holds at most maxRows clients and maxRows payments (its
// columns refer to rows as int32): one more is refused, not wrapped.
func TestRowsPastTheLimitAreRefused(t *testing.T) {
	old := maxRows
	maxRows = 2
	t.Cleanup(func() { maxRows = old })
	day := func(s string) Date { d, err := ParseDate(s); require.NoError(t, err); return d }
	accs := []Accountant{{ID: "a-1", Country: "CO", Registered: true}}
	clients := []Client{{ID: "c-1", AccountantID: "a-1", LinkedOn: day("2026-01-01")},
		{ID: "c-2", AccountantID: "a-1", LinkedOn: day("2026-01-01")}}
	var pays []Payment
	for _, id := range []string{"p-1", "p-2", "p-3"} {
		pays = append(pays, Payment{ID: id, ClientID: "c-2", PaidAt: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC),
			PeriodStart: day("2026-01-05"), PeriodEnd: day("2026-02-04"),
			Amount: decimal.RequireFromString("100.00"), Currency: "COP"})
	}
	_, err := New(accs, append(clients, Client{ID: "c-3", AccountantID: "a-1", LinkedOn: day("2026-01-01")}), nil, readCurrencies)
	requireTooLarge(t, err, "clients[2].client_id")
	_, err = New(accs, clients, pays, readCurrencies)
	requireTooLarge(t, err, "payments[2].payment_id")
	ds, err := New(accs, clients, pays[:2], readCurrencies)
	require.NoError(t, err)
	assert.Equal(t, 2, ds.NumPayments())
}

func requireTooLarge(t *testing.T, err error, path string) {
	t.Helper()
	var errs Errors
	require.True(t, errors.As(err, &errs), "error %v", err)
	require.Len(t, errs, 1, "%v", err)
	assert.Equal(t, path, errs[0].Path)
	assert.ErrorIs(t, errs[0].Err, ErrTooLarge)
}
