package referral

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// goodRedemptions are redemptions of the accountants of goodAccountants,
// out of order on purpose: Dataset sorts them.
const goodRedemptions = `redemption_id,accountant_id,redeemed_at,amount,currency,reference
r-2,a-1,2026-03-10T09:00:00-05:00,1000.50,COP,INV-2
r-1,a-1,2026-03-02T15:00:00Z,6990,COP,INV-1
r-3,a-2,2026-03-01T00:00:00Z,1,USD,INV-3
`

// writeFolder writes the three files of f, and redemptions when it is not
// empty, into a new folder and returns it.
func writeFolder(t *testing.T, f csvFolder, redemptions string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{AccountantsFile: f.accountants, ClientsFile: f.clients,
		PaymentsFile: f.payments}
	if redemptions != "" {
		files[RedemptionsFile] = redemptions
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReadDirRedemptions(t *testing.T) {
	ds, err := ReadDir(writeFolder(t, goodFolder(), goodRedemptions), readCurrencies)
	if err != nil {
		t.Fatalf("ReadDir = %v", err)
	}
	var ids, wheres []string
	for _, r := range ds.RedemptionsOf("a-1") {
		ids = append(ids, r.ID)
		wheres = append(wheres, r.Where())
	}
	if got, want := strings.Join(ids, " "), "r-1 r-2"; got != want {
		t.Errorf("RedemptionsOf(a-1) = %s, want %s (oldest first)", got, want)
	}
	if got, want := strings.Join(wheres, " "), "redemptions.csv:3 redemptions.csv:2"; got != want {
		t.Errorf("Where of a-1's redemptions = %s, want %s", got, want)
	}
	if n := len(ds.Redemptions()); n != 3 {
		t.Errorf("len(Redemptions()) = %d, want 3", n)
	}
	if n := len(ds.RedemptionsOf("nobody")); n != 0 {
		t.Errorf("len(RedemptionsOf(nobody)) = %d, want 0", n)
	}
	r := ds.RedemptionsOf("a-1")[1]
	want := time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)
	if !r.RedeemedAt.Equal(want) || r.Amount.String() != "1000.5" || r.Reference != "INV-2" {
		t.Errorf("r-2 = %+v, want redeemed at %v, 1000.50 COP, INV-2", r, want)
	}
}

func TestReadDirWithoutRedemptions(t *testing.T) {
	ds, err := ReadDir(writeFolder(t, goodFolder(), ""), readCurrencies)
	if err != nil {
		t.Fatalf("ReadDir without %s = %v", RedemptionsFile, err)
	}
	if n := len(ds.Redemptions()); n != 0 {
		t.Errorf("len(Redemptions()) = %d, want 0", n)
	}
}

func TestReadDirRedemptionsRefuses(t *testing.T) {
	const header = "redemption_id,accountant_id,redeemed_at,amount,currency,reference\n"
	tests := []struct {
		name   string
		text   string
		line   int
		column string
		kind   error
	}{
		// The header.
		{"unknown column", "redemption_id,accountant_id,redeemed_at,amount,currency,reference,note\n",
			1, "note", ErrUnknownColumn},
		{"missing column", "redemption_id,accountant_id,redeemed_at,amount,currency\n",
			1, "reference", ErrMissingColumn},
		{"duplicate column", "redemption_id,accountant_id,redeemed_at,amount,currency,reference,amount\n",
			1, "amount", ErrDuplicateColumn},

		// Rows: the second row is the bad one unless the name says otherwise.
		{"duplicate id", header + "r-1,a-1,2026-03-02T15:00:00Z,1,COP,X\nr-1,a-1,2026-03-03T15:00:00Z,1,COP,Y\n",
			3, "redemption_id", ErrDuplicateID},
		{"unknown accountant", header + "r-1,a-1,2026-03-02T15:00:00Z,1,COP,X\nr-2,a-9,2026-03-03T15:00:00Z,1,COP,Y\n",
			3, "accountant_id", ErrUnknownAccountant},
		{"empty accountant (first row)", header + "r-1,,2026-03-02T15:00:00Z,1,COP,X\n",
			2, "accountant_id", ErrMissingValue},
		{"malformed time (first row)", header + "r-1,a-1,2026-03-02 15:00:00Z,1,COP,X\n",
			2, "redeemed_at", ErrMalformedTime},
		{"time without offset (first row)", header + "r-1,a-1,2026-03-02T15:00:00,1,COP,X\n",
			2, "redeemed_at", ErrMalformedTime},
		{"missing time (first row)", header + "r-1,a-1,,1,COP,X\n",
			2, "redeemed_at", ErrMissingValue},
		{"malformed amount (first row)", header + "r-1,a-1,2026-03-02T15:00:00Z,1e3,COP,X\n",
			2, "amount", ErrMalformedAmount},
		{"zero amount (first row)", header + "r-1,a-1,2026-03-02T15:00:00Z,0.00,COP,X\n",
			2, "amount", ErrZeroAmount},
		{"negative amount (first row)", header + "r-1,a-1,2026-03-02T15:00:00Z,-5,COP,X\n",
			2, "amount", ErrNegativeAmount},
		{"three decimals in COP (first row)", header + "r-1,a-1,2026-03-02T15:00:00Z,100.000,COP,X\n",
			2, "amount", ErrTooManyDecimals},
		{"unknown currency (first row)", header + "r-1,a-1,2026-03-02T15:00:00Z,1,EUR,X\n",
			2, "currency", ErrUnknownCurrency},
		{"missing reference (first row)", header + "r-1,a-1,2026-03-02T15:00:00Z,1,COP,\n",
			2, "reference", ErrMissingValue},
		{"reference not UTF-8 (first row)", header + "r-1,a-1,2026-03-02T15:00:00Z,1,COP,\xff\n",
			2, "reference", ErrMalformedText},
		{"accountant not UTF-8 (first row)", header + "r-1,\xff,2026-03-02T15:00:00Z,1,COP,X\n",
			2, "accountant_id", ErrMalformedText},
		{"wrong number of fields (first row)", header + "r-1,a-1,2026-03-02T15:00:00Z,1,COP\n",
			2, "", errors.New("any")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDir(writeFolder(t, goodFolder(), tt.text), readCurrencies)
			if tt.column == "" { // a broken record: placed, with no column
				fe := firstProblem(t, err)
				if fe.File != RedemptionsFile || fe.Line != tt.line {
					t.Errorf("first problem = %v, want %s:%d", fe, RedemptionsFile, tt.line)
				}
				return
			}
			wantProblem(t, err, RedemptionsFile, tt.line, tt.column, tt.kind)
		})
	}
}

func TestReadDirRedemptionsComeLast(t *testing.T) {
	// A bad payment and a bad redemption: payments are reported first.
	f := goodFolder().edit(t, PaymentsFile, "69900.00,COP", "69900.001,COP")
	_, err := ReadDir(writeFolder(t, f, goodRedemptions+"r-9,a-1,2026-03-02T15:00:00Z,0,COP,X\n"),
		readCurrencies)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 2 {
		t.Fatalf("ReadDir = %v, want two problems", err)
	}
	if errs[0].File != PaymentsFile || errs[1].File != RedemptionsFile || errs[1].Line != 5 {
		t.Errorf("problems = %v, want payments.csv first, then redemptions.csv:5", err)
	}
}

const goodRedemptionsJSON = `,
  "redemptions": [
    {"redemption_id": "r-1", "accountant_id": "a-1", "redeemed_at": "2026-03-02T15:00:00Z",
     "amount": "6990", "currency": "COP", "reference": "INV-1"}
  ]
}`

// withRedemptionsJSON returns goodJSON with the redemptions list text
// appended, old replaced by new in it.
func withRedemptionsJSON(t *testing.T, old, new string) string {
	t.Helper()
	list := goodRedemptionsJSON
	if old != "" {
		if !strings.Contains(list, old) {
			t.Fatalf("no %q in the redemptions", old)
		}
		list = strings.Replace(list, old, new, 1)
	}
	return strings.TrimSuffix(goodJSON, "\n}") + list
}

func TestReadJSONRedemptions(t *testing.T) {
	ds, err := readJSON(withRedemptionsJSON(t, "", ""))
	if err != nil {
		t.Fatalf("ReadJSON = %v", err)
	}
	rs := ds.RedemptionsOf("a-1")
	if len(rs) != 1 || rs[0].Where() != "redemptions[0]" || !rs[0].Amount.Equal(decimal.NewFromInt(6990)) {
		t.Fatalf("RedemptionsOf(a-1) = %+v, want r-1 of 6990 at redemptions[0]", rs)
	}
	roundTrip(t, ds)
	if !strings.Contains(writeJSON(t, ds), `"redemptions": [`) {
		t.Errorf("WriteJSON leaves the redemptions out")
	}
}

func TestReadJSONRedemptionsRefuses(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		path     string
		kind     error
	}{
		{"amount as a number", `"amount": "6990"`, `"amount": 6990`, "redemptions[0].amount",
			ErrMalformedAmount},
		{"unknown accountant", `"accountant_id": "a-1"`, `"accountant_id": "a-7"`,
			"redemptions[0].accountant_id", ErrUnknownAccountant},
		{"missing reference", `, "reference": "INV-1"`, ``, "redemptions[0].reference", ErrMissingColumn},
		{"unknown field", `"reference": "INV-1"`, `"reference": "INV-1", "note": ""`,
			"redemptions[0].note", ErrUnknownColumn},
		{"too many decimals", `"amount": "6990"`, `"amount": "6990.001"`, "redemptions[0].amount",
			ErrTooManyDecimals},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readJSON(withRedemptionsJSON(t, tt.old, tt.new))
			fe := firstProblem(t, err)
			if fe.Path != tt.path || !errors.Is(fe, tt.kind) {
				t.Errorf("first problem = %v, want %s: %v", fe, tt.path, tt.kind)
			}
		})
	}
}

func TestWithRedemptions(t *testing.T) {
	ds, err := goodFolder().read()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	good := Redemption{ID: "r-1", AccountantID: "a-1", RedeemedAt: at,
		Amount: decimal.RequireFromString("10.00"), Currency: "COP", Reference: "X"}
	with, err := ds.WithRedemptions([]Redemption{good}, readCurrencies)
	if err != nil {
		t.Fatalf("WithRedemptions(good) = %v", err)
	}
	if rs := with.RedemptionsOf("a-1"); len(rs) != 1 || rs[0].Where() != "redemptions[0]" {
		t.Errorf("RedemptionsOf(a-1) = %+v, want r-1 at redemptions[0]", rs)
	}
	if len(ds.Redemptions()) != 0 || len(with.Payments()) != len(ds.Payments()) {
		t.Errorf("WithRedemptions changed ds or lost its payments")
	}

	bad := good
	bad.ID, bad.Amount = "r-2", decimal.RequireFromString("-1")
	_, err = ds.WithRedemptions([]Redemption{good, bad}, readCurrencies)
	fe := firstProblem(t, err)
	if fe.Path != "redemptions[1].amount" || !errors.Is(fe, ErrNegativeAmount) {
		t.Errorf("WithRedemptions(negative) = %v, want redemptions[1].amount: negative", fe)
	}
}

func FuzzReadRedemptions(f *testing.F) {
	f.Add(goodRedemptions)
	f.Add("\ufeff" + goodRedemptions + "\n\n")
	f.Add("redemption_id,amount\n\"r-1\n")
	f.Add(strings.ReplaceAll(goodRedemptions, "COP", "EUR"))
	f.Fuzz(func(t *testing.T, text string) {
		g := goodFolder()
		ds, err := readCSV([numTables]io.Reader{strings.NewReader(g.accountants),
			strings.NewReader(g.clients), strings.NewReader(g.payments), strings.NewReader(text)},
			[numTables]int{}, readCurrencies)
		if err != nil {
			checkErrors(t, err)
			return
		}
		for _, r := range ds.Redemptions() {
			if !strings.HasPrefix(r.Where(), RedemptionsFile+":") || r.Amount.Sign() <= 0 {
				t.Fatalf("redemption %+v kept: want a placed, positive row", r)
			}
		}
		roundTrip(t, ds)
	})
}
