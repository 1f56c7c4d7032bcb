package referral

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// idSet needs no hash table while ids come in increasing order, and finds
// every id, and only those, after the order breaks.
func TestIDSet(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ids    []string
		hashed bool
	}{
		{"sorted", []string{"p-01", "p-02", "p-10", "p-9"}, false},
		{"out of order at the end", []string{"p-01", "p-02", "p-10", "p-03"}, true},
		{"out of order at once", []string{"b", "a", "c", "e", "d"}, true},
		{"one", []string{"x"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var col []string
			text := func(i int) string { return col[i] }
			var s idSet
			for row, id := range tc.ids {
				_, dup := s.find(id, text)
				require.False(t, dup, "%s found before it was added", id)
				col = append(col, id)
				s.add(id, row, text)
			}
			assert.Equal(t, tc.hashed, s.hashed)
			for row, id := range tc.ids {
				got, ok := s.find(id, text)
				assert.True(t, ok, id)
				assert.Equal(t, row, got, id)
			}
			for _, id := range []string{"", "a-1", "p-00", "p-1", "p-99", "zz", "p-02 "} {
				if !slices.Contains(tc.ids, id) {
					_, ok := s.find(id, text)
					assert.False(t, ok, "%q found", id)
				}
			}
		})
	}
}

// A row left out of the set (a duplicate, an empty id) ends the sorted
// mode: the rows after it are found by hash, and the row left out is
// never found.
func TestIDSetSkippedRow(t *testing.T) {
	col := []string{"a", "b", "b", "c"}
	text := func(i int) string { return col[i] }
	var s idSet
	s.add("a", 0, text)
	s.add("b", 1, text)
	first, dup := s.find("b", text) // row 2 is a duplicate of row 1: not added
	require.True(t, dup)
	assert.Equal(t, 1, first)
	s.add("c", 3, text)
	assert.True(t, s.hashed)
	for id, row := range map[string]int{"a": 0, "b": 1, "c": 3} {
		got, ok := s.find(id, text)
		assert.True(t, ok, id)
		assert.Equal(t, row, got, id)
	}
}

// Duplicates are found by the reader whatever the order of the ids, and
// the message names the line of the first, after blank lines and a value
// that spans lines (F15).
func TestReadCSVDuplicateAfterSkippedLines(t *testing.T) {
	for _, order := range []string{"increasing", "decreasing"} {
		t.Run(order, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("payment_id,client_id,paid_at,period_start,period_end,amount,currency,promotion,refunded_at\n")
			ids := []string{"p-1", "p-2", "p-3", "p-4"}
			if order == "decreasing" {
				slices.Reverse(ids)
			}
			for i, id := range ids {
				promo := ""
				if i == 1 {
					promo = "\"two\nlines\"" // a record on two lines
				}
				fmt.Fprintf(&b, "%s,c-1,2026-01-0%dT10:00:00Z,2026-01-01,2026-01-31,69900,COP,%s,\n\n", id, i+1, promo)
			}
			// Header on line 1, then records on lines 2, 4-5, 7 and 9, each
			// followed by a blank line; the duplicate of ids[2] is on line 11.
			fmt.Fprintf(&b, "%s,c-1,2026-01-09T10:00:00Z,2026-01-01,2026-01-31,69900,COP,,\n", ids[2])
			f := goodFolder()
			f.payments = b.String()
			_, err := f.read()
			fe := firstProblem(t, err)
			assert.Equal(t, PaymentsFile, fe.File)
			assert.Equal(t, 11, fe.Line)
			assert.ErrorIs(t, fe, ErrDuplicateID)
			assert.Contains(t, fe.Error(), "(first on line 7)")
		})
	}
}

// The lines of a lineMap come back for every row, with jumps only where
// they are needed.
func TestLineMap(t *testing.T) {
	var m lineMap
	lines := []int{2, 3, 5, 6, 7, 10, 11}
	for row, line := range lines {
		m.add(row, line)
	}
	assert.Len(t, m.jumps, 3)
	for row, line := range lines {
		assert.Equal(t, line, m.line(row), "row %d", row)
	}
	var none lineMap // rows not from a file
	none.add(0, 0)
	assert.Equal(t, 0, none.line(0))
}

// Permuting in place gives what a copy in the permutation's order gives.
func TestPermuteInPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 3, 64, 65, 1000} {
		perm := make([]int32, n)
		for i := range perm {
			perm[i] = int32(i)
		}
		r.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		col := make([]string, n)
		for i := range col {
			col[i] = fmt.Sprint("row ", i)
		}
		want := make([]string, n)
		for i, p := range perm {
			want[i] = col[p]
		}
		got := permuteInPlace(col, perm, make([]uint64, (n+63)/64))
		assert.Equal(t, want, got, "n=%d", n)
	}
}

// The rows a Dataset gives back are the rows it was given, in its order:
// times with the offset they were written in, amounts with the decimals
// they were written with, an amount too large for int64 minor units
// exactly, refunds and promotions.
func TestDatasetRowsRoundTrip(t *testing.T) {
	bogota := time.FixedZone("", -5*3600)
	huge := decimal.RequireFromString("123456789012345678901234.5")
	accs := []Accountant{{ID: "a-2", Country: "CO", Registered: true}, {ID: "a-1", Country: "MX"}}
	clients := []Client{
		{ID: "c-9", AccountantID: "a-1", LinkedOn: NewDate(2025, 1, 2)},
		{ID: "c-1", AccountantID: "a-2", LinkedOn: NewDate(2025, 3, 4), UnlinkedOn: NewDate(2026, 1, 1)},
		{ID: "c-5", AccountantID: "a-2", LinkedOn: NewDate(2025, 5, 6)},
	}
	pays := []Payment{
		{ID: "p-3", ClientID: "c-1", PaidAt: time.Date(2026, 2, 1, 9, 0, 0, 123, bogota),
			PeriodStart: NewDate(2026, 2, 1), PeriodEnd: NewDate(2026, 2, 28),
			Amount: decimal.RequireFromString("69900.00"), Currency: "COP", Promotion: "ANUAL",
			RefundedAt: time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)},
		{ID: "p-1", ClientID: "c-1", PaidAt: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC),
			PeriodStart: NewDate(2026, 1, 1), PeriodEnd: NewDate(2026, 1, 31),
			Amount: decimal.RequireFromString("69900"), Currency: "COP"},
		{ID: "p-2", ClientID: "c-1", PaidAt: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC),
			PeriodStart: NewDate(2026, 1, 1), PeriodEnd: NewDate(2026, 1, 31),
			Amount: huge, Currency: "USD"},
		{ID: "p-9", ClientID: "c-9", PaidAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
			PeriodStart: NewDate(2026, 3, 1), PeriodEnd: NewDate(2026, 3, 31),
			Amount: decimal.RequireFromString("0.5"), Currency: "USD"},
	}
	ds, err := New(accs, clients, pays, readCurrencies)
	require.NoError(t, err)

	assert.Equal(t, []string{"a-1", "a-2"}, []string{ds.Accountants()[0].ID, ds.Accountants()[1].ID})
	var gotClients []string
	for _, c := range ds.Clients() {
		gotClients = append(gotClients, c.AccountantID+"/"+c.ID)
	}
	assert.Equal(t, []string{"a-1/c-9", "a-2/c-1", "a-2/c-5"}, gotClients)
	assert.Equal(t, 3, ds.NumClients())
	assert.Equal(t, 4, ds.NumPayments())

	got := ds.Payments()
	// By client in the order of Clients() (c-9 of a-1 first), then paid_at,
	// then id: c-9's p-9, then c-1's p-1 and p-2 (the same instant), p-3.
	want := []Payment{pays[3], pays[1], pays[2], pays[0]}
	require.Len(t, got, len(want))
	for i := range want {
		g, w := got[i], want[i]
		assert.Equal(t, w.ID, g.ID)
		assert.Equal(t, w.ClientID, g.ClientID)
		assert.True(t, w.PaidAt.Equal(g.PaidAt), "%s paid_at %s, want %s", w.ID, g.PaidAt, w.PaidAt)
		assert.Equal(t, w.PaidAt.Format(time.RFC3339Nano), g.PaidAt.Format(time.RFC3339Nano), w.ID)
		assert.Equal(t, w.RefundedAt.IsZero(), g.RefundedAt.IsZero(), w.ID)
		assert.True(t, w.RefundedAt.Equal(g.RefundedAt), w.ID)
		assert.Equal(t, w.Amount.String(), g.Amount.String(), w.ID)
		assert.Equal(t, w.Amount.Exponent(), g.Amount.Exponent(), "%s keeps its written decimals", w.ID)
		assert.Equal(t, w.Currency, g.Currency, w.ID)
		assert.Equal(t, w.Promotion, g.Promotion, w.ID)
		assert.Equal(t, w.PeriodStart, g.PeriodStart, w.ID)
		assert.Equal(t, w.PeriodEnd, g.PeriodEnd, w.ID)
	}

	cols := ds.Columns()
	assert.Equal(t, []string{"COP", "USD"}, cols.Currencies, "in byte order")
	assert.Equal(t, []int8{2, 2}, cols.Digits)
	assert.Equal(t, int64(50), cols.Units[0], "0.5 USD in cents")
	assert.Equal(t, int64(6990000), cols.Units[1], "69900 COP in cents")
	assert.Equal(t, int64(OverflowUnits), cols.Units[2], "the huge amount")
	assert.True(t, huge.Equal(cols.Amount(2)))
	_, _, ok := cols.Coefficient(2)
	assert.False(t, ok)
	coef, exp, ok := cols.Coefficient(3)
	assert.True(t, ok)
	assert.Equal(t, [2]int64{6990000, -2}, [2]int64{coef, int64(exp)}, "69900.00 as written")
	coef, exp, _ = cols.Coefficient(0)
	assert.Equal(t, [2]int64{5, -1}, [2]int64{coef, int64(exp)}, "0.5 as written")
	assert.True(t, cols.RefundedAt(1).Never())
	assert.False(t, cols.RefundedAt(3).Never())
	assert.Equal(t, "ANUAL", cols.Promotions[cols.Promotion[3]])
	assert.Equal(t, "", cols.Promotions[cols.Promotion[1]])
	assert.Equal(t, []int32{0, 1, 3}, cols.AccountantClients)
	assert.Equal(t, []int32{0, 1, 4, 4}, cols.ClientPayments, "c-9 has 1, c-1 has 3, c-5 none")
	assert.Equal(t, "c-9", cols.ClientID.At(int(cols.PaymentClient[0])))
	assert.Equal(t, "c-1", cols.ClientID.At(int(cols.PaymentClient[1])))
	assert.Equal(t, "p-2", ds.Payment(2).ID)

	assert.Equal(t, []string{"p-1", "p-2", "p-3"}, paymentIDs(ds.PaymentsOf("c-1")))
	assert.Empty(t, ds.PaymentsOf("c-5"))
	assert.Empty(t, ds.PaymentsOf("nobody"))
	assert.Len(t, ds.ClientsOf("a-2"), 2)
	assert.Empty(t, ds.ClientsOf("nobody"))
}

func paymentIDs(ps []Payment) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

// Instants compare by the moment, not by the offset they were written in.
func TestInstant(t *testing.T) {
	a := InstantOf(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	b := InstantOf(time.Date(2025, 12, 31, 19, 0, 0, 1, time.FixedZone("", -5*3600)))
	assert.True(t, a.Before(b))
	assert.Equal(t, -1, a.Compare(b))
	assert.Equal(t, 1, b.Compare(a))
	assert.Equal(t, 0, a.Compare(InstantOf(time.Date(2025, 12, 31, 19, 0, 0, 0, time.FixedZone("", -5*3600)))))
	assert.True(t, never.Never())
	assert.True(t, b.Before(never))
	assert.Equal(t, "2026-01-01T00:00:00.000000001Z", b.Time().Format(time.RFC3339Nano))
}

// Reading with the records split in a goroutine gives exactly what
// reading them in turn gives: the same rows, or the same problems in the
// same order, on every bad folder, on broken quoting, on records with the
// wrong number of fields, on more problems than MaxErrors, and on the
// demo data. (ReadDir splits only files of splitFrom rows or more.)
func TestReadSplitIsDirect(t *testing.T) {
	type input struct {
		name  string
		files func() [numTables]io.Reader
	}
	var inputs []input
	dirs, _ := filepath.Glob(filepath.Join("..", "testdata", "bad", "*"))
	dirs = append(dirs, filepath.Join("..", "examples", "data", "demo"))
	for _, dir := range dirs {
		if filepath.Ext(dir) == ".md" {
			continue
		}
		inputs = append(inputs, input{dir, func() [numTables]io.Reader {
			var files [numTables]io.Reader
			for t, name := range [numTables]string{AccountantsFile, ClientsFile, PaymentsFile, RedemptionsFile} {
				if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
					files[t] = bytes.NewReader(b)
				}
			}
			return files
		}})
	}
	many := goodPayments
	for i := range MaxErrors + 5 {
		many += fmt.Sprintf("p-x%d,c-1,2026-01-01T04:30:00Z,2026-01-01,2026-01-31,0,COP,,\n", i)
	}
	edits := map[string]csvFolder{
		"good":         goodFolder(),
		"broken quote": goodFolder().edit(t, PaymentsFile, "p-2,c-2", `p-2,"c-2`),
		"field count":  goodFolder().edit(t, ClientsFile, "c-1,a-1,2025-02-01,", "c-1,a-1,2025-02-01,,x"),
		"max errors":   {goodAccountants, goodClients, many},
		"bad header":   goodFolder().edit(t, ClientsFile, "linked_on", "linked"),
	}
	for name, f := range edits {
		inputs = append(inputs, input{name, func() [numTables]io.Reader {
			return [numTables]io.Reader{strings.NewReader(f.accountants), strings.NewReader(f.clients),
				strings.NewReader(f.payments)}
		}})
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			direct, errDirect := readCSVSplit(in.files(), [numTables]int{}, math.MaxInt, readCurrencies)
			split, errSplit := readCSVSplit(in.files(), [numTables]int{}, 0, readCurrencies)
			require.Equal(t, errDirect == nil, errSplit == nil, "direct: %v; split: %v", errDirect, errSplit)
			if errDirect != nil {
				assert.Equal(t, errDirect.Error(), errSplit.Error())
				return
			}
			var a, b bytes.Buffer
			require.NoError(t, direct.WriteJSON(&a))
			require.NoError(t, split.WriteJSON(&b))
			assert.Equal(t, a.String(), b.String())
		})
	}
}

// A reading that stops early (MaxErrors problems) leaves no goroutine
// reading the caller's reader: the splitter is waited for.
func TestReadSplitStopsReading(t *testing.T) {
	var b strings.Builder
	b.WriteString("payment_id,client_id,paid_at,period_start,period_end,amount,currency,promotion,refunded_at\n")
	for i := range 50 * batchRecords {
		fmt.Fprintf(&b, "p-%d,c-404,2026-01-01T04:30:00Z,2026-01-01,2026-01-31,1,COP,,\n", i)
	}
	r := &countingReader{r: strings.NewReader(b.String())}
	_, err := readCSVSplit([numTables]io.Reader{strings.NewReader(goodAccountants),
		strings.NewReader(goodClients), r}, [numTables]int{}, 0, readCurrencies)
	require.Error(t, err)
	n := r.reads.Load()
	time.Sleep(10 * time.Millisecond)
	assert.Equal(t, n, r.reads.Load(), "the payments were still read after ReadCSV returned")
	assert.Less(t, int(n), b.Len()/4096, "reading went on to the end of a file it had stopped on")
}

type countingReader struct {
	r     io.Reader
	reads atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads.Add(1)
	return c.r.Read(p[:min(len(p), 4096)])
}

// A Dataset is safe for concurrent use, including the client index it
// builds on the first PaymentsOf: under -race, goroutines asking at once
// get the same answers.
func TestDatasetConcurrentLookups(t *testing.T) {
	ds, err := ReadDir(demoDir, readCurrencies)
	require.NoError(t, err)
	clients := ds.Clients()
	want := make([]int, len(clients))
	for i := range clients {
		want[i] = len(ds.PaymentsOfClient(i))
	}
	ds, _ = ReadDir(demoDir, readCurrencies) // a fresh one: the index is not built yet
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := g; i < len(clients); i += 8 {
				if n := len(ds.PaymentsOf(clients[i].ID)); n != want[i] {
					errs <- fmt.Sprintf("client %s: %d payments, want %d", clients[i].ID, n, want[i])
					return
				}
			}
			ds.CountActive(clients[g].AccountantID, NewDate(2026, 6, 30), Coverage{})
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// CountActive reads the columns; Coverage.Status reads rows: on every demo
// accountant and on days around month ends, in a zone west of UTC and with
// grace days, they agree client by client.
func TestCountActiveColumnsAreRows(t *testing.T) {
	ds, err := ReadDir(demoDir, readCurrencies)
	require.NoError(t, err)
	cv := Coverage{Location: time.FixedZone("", -5*3600), GraceDays: 3}
	for _, acc := range ds.Accountants() {
		clients := ds.ClientsOf(acc.ID)
		for _, d := range []Date{NewDate(2025, 12, 31), NewDate(2026, 1, 1), NewDate(2026, 6, 30), NewDate(2026, 11, 30)} {
			got := ds.CountActive(acc.ID, d, cv)
			require.Len(t, got.Clients, len(clients))
			active := 0
			for i := range clients {
				want := cv.Status(&clients[i], ds.PaymentsOf(clients[i].ID), d)
				assert.Equal(t, want, got.Clients[i], "%s on %s", clients[i].ID, d)
				if want.Counted {
					active++
				}
			}
			assert.Equal(t, active, got.Active, "%s on %s", acc.ID, d)
		}
	}
}

// The first instant of year 1 is the zero time.Time, which a Payment uses
// for "never refunded": written in a file, it is refused, not read as an
// empty value (a refund there would vanish).
func TestReadCSVRefusesTheZeroInstant(t *testing.T) {
	for _, text := range []string{"0001-01-01T00:00:00Z", "0001-01-01T01:00:00+01:00"} {
		f := goodFolder().edit(t, PaymentsFile, "2026-02-02T00:00:00Z", text)
		_, err := f.read()
		wantProblem(t, err, PaymentsFile, 3, "refunded_at", ErrMalformedTime)
		f = goodFolder().edit(t, PaymentsFile, "2026-01-01T04:30:00Z", text)
		_, err = f.read()
		wantProblem(t, err, PaymentsFile, 2, "paid_at", ErrMalformedTime)
	}
}
