package referral

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testCurrencies are the readCurrencies's currencies, each with two minor digits.
type testCurrencies map[string]int

func (tc testCurrencies) MinorUnits(code string) (int, bool) {
	n, ok := tc[code]
	return n, ok
}

var readCurrencies = testCurrencies{"COP": 2, "DOP": 2, "USD": 2, "CRC": 2}

// A small valid folder; the tests change one thing in it.
const (
	goodAccountants = `accountant_id,country,registered,activated_on
a-1,CO,true,2025-03-01
a-2,MX,false,
`
	goodClients = `client_id,accountant_id,linked_on,unlinked_on
c-1,a-1,2025-02-01,
c-2,a-2,2025-06-15,2026-04-01
`
	goodPayments = `payment_id,client_id,paid_at,period_start,period_end,amount,currency,promotion,refunded_at
p-1,c-1,2026-01-01T04:30:00Z,2026-01-01,2026-01-31,69900,COP,,
p-2,c-2,2026-02-01T14:12:09-05:00,2026-02-01,2026-02-28,69900.00,COP,ANUAL,2026-02-02T00:00:00Z
`
)

// csvFolder is the text of the three files of a data folder.
type csvFolder struct{ accountants, clients, payments string }

func goodFolder() csvFolder { return csvFolder{goodAccountants, goodClients, goodPayments} }

// read reads f with ReadCSV on the readCurrencies's currencies.
func (f csvFolder) read() (*Dataset, error) {
	return ReadCSV(strings.NewReader(f.accountants), strings.NewReader(f.clients),
		strings.NewReader(f.payments), readCurrencies)
}

// edit returns f with old replaced by new in the file named file; the
// text must be there.
func (f csvFolder) edit(t testing.TB, file, old, new string) csvFolder {
	t.Helper()
	text := map[string]*string{AccountantsFile: &f.accountants, ClientsFile: &f.clients,
		PaymentsFile: &f.payments}[file]
	if !strings.Contains(*text, old) {
		t.Fatalf("%s has no %q", file, old)
	}
	*text = strings.Replace(*text, old, new, 1)
	return f
}

// firstProblem returns the first problem of err, which must be Errors.
func firstProblem(t testing.TB, err error) *FieldError {
	t.Helper()
	var errs Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("error = %v (%T), want Errors", err, err)
	}
	return errs[0]
}

// wantProblem checks that the first problem of err is at file:line:column
// and of kind.
func wantProblem(t testing.TB, err error, file string, line int, column string, kind error) {
	t.Helper()
	fe := firstProblem(t, err)
	if fe.File != file || fe.Line != line || fe.Column != column || !errors.Is(fe, kind) {
		t.Errorf("first problem = %s:%d:%s %v, want %s:%d:%s %v",
			fe.File, fe.Line, fe.Column, fe.Err, file, line, column, kind)
	}
	if !errors.Is(err, kind) {
		t.Errorf("errors.Is(err, %v) = false", kind)
	}
}

func TestReadCSVGood(t *testing.T) {
	ds, err := goodFolder().read()
	if err != nil {
		t.Fatalf("ReadCSV(good) = %v", err)
	}
	if n, m, k := len(ds.Accountants()), len(ds.Clients()), len(ds.Payments()); n != 2 || m != 2 || k != 2 {
		t.Fatalf("ReadCSV(good) has %d, %d, %d rows, want 2, 2, 2", n, m, k)
	}
	p := ds.PaymentsOf("c-2")[0]
	if got := p.Amount.String(); got != "69900" || decimalsOf(p.Amount) != 2 {
		t.Errorf("amount = %s with %d decimals, want 69900 with 2", got, decimalsOf(p.Amount))
	}
	if _, off := p.PaidAt.Zone(); off != -5*3600 || p.PaidAt.UTC().Hour() != 19 {
		t.Errorf("paid_at = %v, want 2026-02-01T19:12:09Z at offset -05:00", p.PaidAt)
	}
	a, _ := ds.Accountant("a-2")
	if a.Registered || !a.ActivatedOn.IsZero() || a.Country != "MX" {
		t.Errorf("a-2 = %+v, want MX, not registered, never activated", a)
	}
}

// Each folder of testdata/bad must be refused at the place its README gives.
func TestReadDirBad(t *testing.T) {
	tests := []struct {
		dir    string
		line   int
		column string
		kind   error
		msg    string
	}{
		{"01_duplicate_payment_id", 6, "payment_id", ErrDuplicateID,
			"duplicate id p-000002 (first on line 3)"},
		{"02_unknown_client", 7, "client_id", ErrUnknownClient,
			"payment of an unknown client c-9999"},
		{"04_malformed_date", 5, "period_start", ErrMalformedDate,
			"malformed date 2026-02-30 (no such day)"},
		{"06_amount_3_decimals_cop", 8, "amount", ErrTooManyDecimals,
			"amount 74100.125 has 3 decimals; COP allows 2 (D12)"},
		{"07_negative_amount", 3, "amount", ErrNegativeAmount,
			"negative amount -69900.00 (D12)"},
		{"08_period_end_before_start", 4, "period_end", ErrPeriodOrder,
			"period_end 2026-01-14 < period_start 2026-01-15"},
		{"10_unknown_column", 1, "notes", ErrUnknownColumn,
			`unknown column "notes" in the header`},
		{"12_unknown_currency", 7, "currency", ErrUnknownCurrency,
			"unknown currency MXN (no minor units in the rules, D12)"},
	}
	dirs, _ := filepath.Glob(filepath.Join("..", "testdata", "bad", "*"))
	if want := len(tests) + 1; len(dirs) != want { // the folders and README.md
		t.Errorf("testdata/bad has %d entries, want %d: a folder without a test?", len(dirs), want)
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			ds, err := ReadDir(filepath.Join("..", "testdata", "bad", tt.dir), readCurrencies)
			if ds != nil {
				t.Errorf("ReadDir returned a dataset with the error")
			}
			wantProblem(t, err, PaymentsFile, tt.line, tt.column, tt.kind)
			want := fmt.Sprintf("%s:%d: %s: %s", PaymentsFile, tt.line, tt.column, tt.msg)
			if got := err.Error(); got != want {
				t.Errorf("error = %q, want %q", got, want)
			}
		})
	}
}

// The rules of SPEC sections 5 and 7 without a folder in testdata/bad.
func TestReadCSVRefuses(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		old, new  string
		line      int
		column    string
		kind      error
		wantValue string
	}{
		// Amounts (D12, F14).
		{"zero amount", PaymentsFile, "69900,COP", "0.00,COP", 2, "amount", ErrZeroAmount, "0.00"},
		{"amount with separators", PaymentsFile, "69900,COP", `"69.900,00",COP`, 2, "amount",
			ErrMalformedAmount, "69.900,00"},
		{"amount with a plus sign", PaymentsFile, "69900,COP", "+69900,COP", 2, "amount",
			ErrMalformedAmount, "+69900"},
		{"amount with an exponent", PaymentsFile, "69900,COP", "6.99e4,COP", 2, "amount",
			ErrMalformedAmount, "6.99e4"},
		{"amount with a space", PaymentsFile, "69900,COP", " 69900,COP", 2, "amount",
			ErrMalformedAmount, " 69900"},
		{"amount without integer digits", PaymentsFile, "69900,COP", ".5,COP", 2, "amount",
			ErrMalformedAmount, ".5"},
		{"amount ending in a point", PaymentsFile, "69900,COP", "69900.,COP", 2, "amount",
			ErrMalformedAmount, "69900."},
		{"three decimals in COP", PaymentsFile, "69900,COP", "100.000,COP", 2, "amount",
			ErrTooManyDecimals, "100.000"},
		{"empty amount", PaymentsFile, "69900,COP", ",COP", 2, "amount", ErrMissingValue, ""},
		{"lower-case currency", PaymentsFile, "69900,COP", "69900,cop", 2, "currency",
			ErrUnknownCurrency, "cop"},
		{"empty currency", PaymentsFile, "69900,COP", "69900,", 2, "currency", ErrMissingValue, ""},

		// Ids and references (F13).
		{"duplicate client id", ClientsFile, "c-2,", "c-1,", 3, "client_id", ErrDuplicateID, "c-1"},
		{"duplicate accountant id", AccountantsFile, "a-2,", "a-1,", 3, "accountant_id",
			ErrDuplicateID, "a-1"},
		{"empty payment id", PaymentsFile, "p-2,", ",", 3, "payment_id", ErrMissingValue, ""},
		{"empty client id", ClientsFile, "c-1,", ",", 2, "client_id", ErrMissingValue, ""},
		{"client of an unknown accountant", ClientsFile, "c-2,a-2", "c-2,a-9", 3, "accountant_id",
			ErrUnknownAccountant, "a-9"},
		{"ids are not trimmed", ClientsFile, "c-2,a-2", "c-2,a-2 ", 3, "accountant_id",
			ErrUnknownAccountant, "a-2 "},

		// Accountants (F13).
		{"registered in upper case", AccountantsFile, "CO,true", "CO,TRUE", 2, "registered",
			ErrMalformedBool, "TRUE"},
		{"registered as 1", AccountantsFile, "CO,true", "CO,1", 2, "registered",
			ErrMalformedBool, "1"},
		{"registered empty", AccountantsFile, "CO,true", "CO,", 2, "registered",
			ErrMissingValue, ""},
		{"lower-case country", AccountantsFile, "a-1,CO", "a-1,co", 2, "country",
			ErrMalformedCountry, "co"},
		{"three-letter country", AccountantsFile, "a-1,CO", "a-1,COL", 2, "country",
			ErrMalformedCountry, "COL"},
		{"empty country", AccountantsFile, "a-1,CO", "a-1,", 2, "country", ErrMissingValue, ""},

		// Dates.
		{"no such day", ClientsFile, "2025-02-01", "2025-02-29", 2, "linked_on", ErrMalformedDate,
			"2025-02-29"},
		{"date with slashes", AccountantsFile, "2025-03-01", "2025/03/01", 2, "activated_on",
			ErrMalformedDate, "2025/03/01"},
		{"empty linked_on", ClientsFile, "2025-02-01", "", 2, "linked_on", ErrMissingValue, ""},
		{"empty period_start", PaymentsFile, "Z,2026-01-01", "Z,", 2, "period_start",
			ErrMissingValue, ""},

		// Timestamps (F14).
		{"timestamp with a space", PaymentsFile, "2026-01-01T04:30:00Z", "2026-01-01 04:30:00Z",
			2, "paid_at", ErrMalformedTime, "2026-01-01 04:30:00Z"},
		{"second 60", PaymentsFile, "2026-01-01T04:30:00Z", "2026-12-31T23:59:60Z", 2, "paid_at",
			ErrMalformedTime, "2026-12-31T23:59:60Z"},
		{"no offset", PaymentsFile, "2026-01-01T04:30:00Z", "2026-01-01T04:30:00", 2, "paid_at",
			ErrMalformedTime, "2026-01-01T04:30:00"},
		{"lower-case z", PaymentsFile, "2026-01-01T04:30:00Z", "2026-01-01T04:30:00z", 2,
			"paid_at", ErrMalformedTime, "2026-01-01T04:30:00z"},
		{"offset without colon", PaymentsFile, "2026-02-01T14:12:09-05:00",
			"2026-02-01T14:12:09-0500", 3, "paid_at", ErrMalformedTime, "2026-02-01T14:12:09-0500"},
		{"fraction without digits", PaymentsFile, "2026-01-01T04:30:00Z", "2026-01-01T04:30:00.Z",
			2, "paid_at", ErrMalformedTime, "2026-01-01T04:30:00.Z"},
		{"hour 24", PaymentsFile, "2026-01-01T04:30:00Z", "2026-01-01T24:00:00Z", 2, "paid_at",
			ErrMalformedTime, "2026-01-01T24:00:00Z"},
		{"empty paid_at", PaymentsFile, "2026-01-01T04:30:00Z", "", 2, "paid_at",
			ErrMissingValue, ""},
		{"refund a nanosecond before its payment", PaymentsFile, "2026-02-02T00:00:00Z",
			"2026-02-01T19:12:08.999999999Z", 3, "refunded_at", ErrRefundBeforePayment,
			"2026-02-01T19:12:08.999999999Z"},

		// Headers and records (F15).
		{"missing column", PaymentsFile, ",promotion,", ",", 1, "promotion", ErrMissingColumn,
			"promotion"},
		{"duplicate column", ClientsFile, "unlinked_on", "unlinked_on,linked_on", 1, "linked_on",
			ErrDuplicateColumn, "linked_on"},
		{"header names are not trimmed", ClientsFile, ",linked_on", ", linked_on", 1, " linked_on",
			ErrUnknownColumn, " linked_on"},
		{"header names are case-sensitive", AccountantsFile, "country", "Country", 1, "Country",
			ErrUnknownColumn, "Country"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := goodFolder().edit(t, tt.file, tt.old, tt.new).read()
			wantProblem(t, err, tt.file, tt.line, tt.column, tt.kind)
			if fe := firstProblem(t, err); fe.Value != tt.wantValue {
				t.Errorf("Value = %q, want %q", fe.Value, tt.wantValue)
			}
		})
	}
}

// Records that encoding/csv itself refuses wrap its errors.
func TestReadCSVSyntax(t *testing.T) {
	_, err := goodFolder().edit(t, PaymentsFile, "p-2,c-2,", "p-2,c-2,x,").read()
	fe := firstProblem(t, err)
	if fe.File != PaymentsFile || fe.Line != 3 || fe.Column != "" {
		t.Errorf("wrong field count at %s:%d:%q, want payments.csv:3:\"\"", fe.File, fe.Line, fe.Column)
	}
	if got := err.Error(); got != "payments.csv:3: wrong number of fields" {
		t.Errorf("error = %q", got)
	}

	_, err = goodFolder().edit(t, ClientsFile, "c-2,a-2", `c-2,a"-2`).read()
	if fe := firstProblem(t, err); fe.File != ClientsFile || fe.Line != 3 {
		t.Errorf("bare quote at %s:%d, want clients.csv:3", fe.File, fe.Line)
	}
}

// A record with the wrong number of fields still lends its id, so that
// its payments are not refused as of an unknown client.
func TestReadCSVFieldCountKeepsID(t *testing.T) {
	_, err := goodFolder().edit(t, ClientsFile, "c-1,a-1,2025-02-01,", "c-1,a-1,2025-02-01,,").read()
	var errs Errors
	errors.As(err, &errs)
	if len(errs) != 1 || errs[0].File != ClientsFile {
		t.Errorf("errors = %v, want only the field count of clients.csv", err)
	}
}

// Things F14 and F15 allow.
func TestReadCSVAccepts(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		old, new string
	}{
		{"byte-order mark", AccountantsFile, "accountant_id,", "\ufeffaccountant_id,"},
		{"byte-order mark in payments", PaymentsFile, "payment_id,", "\ufeffpayment_id,"},
		{"blank lines", ClientsFile, "\nc-2,", "\n\n\nc-2,"},
		{"CRLF line ends", ClientsFile, "2025-02-01,\n", "2025-02-01,\r\n"},
		{"refund at the payment's instant", PaymentsFile, "2026-02-02T00:00:00Z",
			"2026-02-01T19:12:09Z"},
		{"refund at the same instant, other offset", PaymentsFile, "2026-02-02T00:00:00Z",
			"2026-02-01T14:12:09.000-05:00"},
		{"many fraction digits", PaymentsFile, "2026-01-01T04:30:00Z",
			"2026-01-01T04:30:00.123456789123Z"},
		{"lower-case offset zero", PaymentsFile, "2026-01-01T04:30:00Z", "2026-01-01T04:30:00-00:00"},
		{"integer amount", PaymentsFile, "69900.00,COP", "69900,COP"},
		{"one decimal", PaymentsFile, "69900.00,COP", "69900.5,COP"},
		{"quoted values", PaymentsFile, "p-1,c-1", `"p-1","c-1"`},
		{"unlinked before linked (never linked, F3)", ClientsFile, "2026-04-01", "2025-06-15"},
		{"a country out of the readCurrencies", AccountantsFile, "a-1,CO", "a-1,ZZ"},
		{"columns in another order", PaymentsFile,
			"payment_id,client_id,paid_at,period_start,period_end,amount,currency,promotion,refunded_at\n" +
				"p-1,c-1,2026-01-01T04:30:00Z,2026-01-01,2026-01-31,69900,COP,,\n" +
				"p-2,c-2,2026-02-01T14:12:09-05:00,2026-02-01,2026-02-28,69900.00,COP,ANUAL,2026-02-02T00:00:00Z\n",
			"currency,amount,refunded_at,promotion,period_end,period_start,paid_at,client_id,payment_id\n" +
				"COP,69900,,,2026-01-31,2026-01-01,2026-01-01T04:30:00Z,c-1,p-1\n" +
				"COP,69900.00,2026-02-02T00:00:00Z,ANUAL,2026-02-28,2026-02-01,2026-02-01T14:12:09-05:00,c-2,p-2\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := goodFolder().edit(t, tt.file, tt.old, tt.new).read()
			if err != nil {
				t.Fatalf("ReadCSV = %v, want a dataset", err)
			}
			if len(ds.Payments()) != 2 || len(ds.Clients()) != 2 || len(ds.Accountants()) != 2 {
				t.Errorf("rows lost")
			}
		})
	}
}

func TestReadCSVReorderedKeepsValues(t *testing.T) {
	f := goodFolder().edit(t, AccountantsFile, "accountant_id,country,registered,activated_on\n"+
		"a-1,CO,true,2025-03-01\na-2,MX,false,\n",
		"activated_on,registered,country,accountant_id\n2025-03-01,true,CO,a-1\n,false,MX,a-2\n")
	ds, err := f.read()
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := ds.Accountant("a-1"); a.Country != "CO" || !a.Registered || a.ActivatedOn.String() != "2025-03-01" {
		t.Errorf("a-1 = %+v", a)
	}
}

// F15: the line is where the record starts, after blank lines and a
// value that spans lines.
func TestReadCSVLineNumbers(t *testing.T) {
	f := goodFolder().edit(t, PaymentsFile, "COP,,\n", "COP,\"two\nlines\",\n\n").
		edit(t, PaymentsFile, "69900.00,COP", "0,COP")
	_, err := f.read()
	wantProblem(t, err, PaymentsFile, 5, "amount", ErrZeroAmount)
}

// A row's problems come left to right as the columns are in its file, and
// the first problem in file order comes first.
func TestReadCSVOrder(t *testing.T) {
	f := goodFolder().edit(t, PaymentsFile, "p-2,c-2,", "p-1,c-9,").
		edit(t, PaymentsFile, "69900.00,COP", "0,XXX").
		edit(t, ClientsFile, "c-2,a-2", "c-2,a-9")
	_, err := f.read()
	var errs Errors
	errors.As(err, &errs)
	var got []string
	for _, e := range errs {
		got = append(got, fmt.Sprintf("%s:%d:%s", e.File, e.Line, e.Column))
	}
	want := []string{"clients.csv:3:accountant_id", "payments.csv:3:payment_id",
		"payments.csv:3:client_id", "payments.csv:3:amount", "payments.csv:3:currency"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("problems at %v, want %v", got, want)
	}
}

// At most MaxErrors problems are collected, and the message says so.
func TestReadCSVStopsAtMaxErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("accountant_id,country,registered,activated_on\n")
	for i := range 2 * MaxErrors {
		fmt.Fprintf(&b, "a-%d,co,true,\n", i)
	}
	f := goodFolder()
	f.accountants = b.String()
	_, err := f.read()
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != MaxErrors {
		t.Fatalf("got %d problems, want %d", len(errs), MaxErrors)
	}
	if !strings.HasSuffix(err.Error(), "(stopped at 100 problems; there may be more)") {
		t.Errorf("error does not say it stopped: ...%s", err.Error()[len(err.Error())-60:])
	}
}

func TestReadCSVEmptyFile(t *testing.T) {
	f := goodFolder()
	f.clients = ""
	_, err := f.read()
	wantProblem(t, err, ClientsFile, 1, "client_id", ErrMissingColumn)
	var errs Errors
	if errors.As(err, &errs); len(errs) != 4 {
		t.Errorf("got %d problems, want the 4 missing columns: %v", len(errs), err)
	}
}

func TestReadDirMissingFile(t *testing.T) {
	_, err := ReadDir(t.TempDir(), readCurrencies)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadDir(empty dir) = %v, want a not-exist error", err)
	}
}

const demoDir = "../examples/data/demo"

func TestReadDirDemo(t *testing.T) {
	ds, err := ReadDir(demoDir, readCurrencies)
	if err != nil {
		t.Fatalf("ReadDir(demo) = %v", err)
	}
	if n, m, k := len(ds.Accountants()), len(ds.Clients()), len(ds.Payments()); n != 60 || m != 1271 || k != 14635 {
		t.Errorf("demo has %d accountants, %d clients, %d payments; want 60, 1271, 14635", n, m, k)
	}
}

var benchDataset *Dataset

func BenchmarkReadDir(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ds, err := ReadDir(demoDir, readCurrencies)
		if err != nil {
			b.Fatal(err)
		}
		benchDataset = ds
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add(goodAccountants, goodClients, goodPayments)
	f.Add(goodAccountants, goodClients, "payment_id\n\"p-1\n")
	f.Add("\ufeff"+goodAccountants, goodClients+"\n\n", strings.ReplaceAll(goodPayments, "Z", "+01:00"))
	for _, dir := range []string{"01_duplicate_payment_id", "06_amount_3_decimals_cop", "10_unknown_column"} {
		var text [3]string
		for i, name := range []string{AccountantsFile, ClientsFile, PaymentsFile} {
			b, err := os.ReadFile(filepath.Join("..", "testdata", "bad", dir, name))
			if err != nil {
				f.Fatal(err)
			}
			text[i] = string(b)
		}
		f.Add(text[0], text[1], text[2])
	}
	f.Fuzz(func(t *testing.T, accs, clients, pays string) {
		ds, err := csvFolder{accs, clients, pays}.read()
		if err != nil {
			checkErrors(t, err)
			return
		}
		roundTrip(t, ds)
	})
}

// checkErrors checks that a refusal of ReadCSV is well formed.
func checkErrors(t *testing.T, err error) {
	t.Helper()
	var errs Errors
	if !errors.As(err, &errs) || len(errs) == 0 || len(errs) > MaxErrors {
		t.Fatalf("error %v (%T) is not Errors of 1 to %d problems", err, err, MaxErrors)
	}
	for _, e := range errs {
		if e.File == "" || e.Line < 1 || e.Err == nil {
			t.Fatalf("problem %q has no place", e)
		}
	}
}
