package referral

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const goodJSON = `{
  "accountants": [
    {"accountant_id": "a-1", "country": "CO", "registered": true, "activated_on": "2025-03-01"},
    {"accountant_id": "a-2", "country": "MX", "registered": "false"}
  ],
  "payments": [
    {"payment_id": "p-1", "client_id": "c-1", "paid_at": "2026-01-01T04:30:00Z",
     "period_start": "2026-01-01", "period_end": "2026-01-31", "amount": "69900",
     "currency": "COP", "promotion": null, "refunded_at": ""},
    {"payment_id": "p-2", "client_id": "c-2", "paid_at": "2026-02-01T14:12:09-05:00",
     "period_start": "2026-02-01", "period_end": "2026-02-28", "amount": "69900.00",
     "currency": "COP", "promotion": "ANUAL", "refunded_at": "2026-02-02T00:00:00Z"}
  ],
  "clients": [
    {"client_id": "c-1", "accountant_id": "a-1", "linked_on": "2025-02-01"},
    {"client_id": "c-2", "accountant_id": "a-2", "linked_on": "2025-06-15", "unlinked_on": "2026-04-01"}
  ]
}`

func readJSON(s string) (*Dataset, error) { return ReadJSON(strings.NewReader(s), readCurrencies) }

func TestReadJSONGood(t *testing.T) {
	ds, err := readJSON(goodJSON)
	if err != nil {
		t.Fatalf("ReadJSON(good) = %v", err)
	}
	csv, err := goodFolder().read()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := writeJSON(t, ds), writeJSON(t, csv); got != want {
		t.Errorf("JSON and CSV of the same data differ:\n%s\n%s", got, want)
	}
}

func TestReadJSONRefuses(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		path     string
		kind     error
	}{
		{"amount as a number", `"amount": "69900"`, `"amount": 69900`, "payments[0].amount",
			ErrMalformedAmount},
		{"amount with a fraction as a number", `"amount": "69900.00"`, `"amount": 69900.00`,
			"payments[1].amount", ErrMalformedAmount},
		{"unknown field", `"promotion": null`, `"notes": "x"`, "payments[0].notes", ErrUnknownColumn},
		{"unknown list", `"clients": [`, `"notes": 1, "clients": [`, "notes", ErrUnknownColumn},
		{"duplicate field", `"country": "CO"`, `"country": "CO", "country": "PA"`,
			"accountants[0].country", ErrDuplicateColumn},
		{"missing required field", `"linked_on": "2025-02-01"`, `"unlinked_on": ""`,
			"clients[0].linked_on", ErrMissingColumn},
		{"null required field", `"payment_id": "p-2"`, `"payment_id": null`,
			"payments[1].payment_id", ErrMissingColumn},
		{"date as a number", `"linked_on": "2025-02-01"`, `"linked_on": 20250201`,
			"clients[0].linked_on", ErrMalformedJSON},
		{"id as an object", `"client_id": "c-1", "accountant_id": "a-1"`,
			`"client_id": {"a": [1]}, "accountant_id": "a-1"`, "clients[0].client_id", ErrMalformedJSON},
		{"registered upper case", `"registered": true`, `"registered": "TRUE"`,
			"accountants[0].registered", ErrMalformedBool},
		{"boolean where text is wanted", `"country": "CO"`, `"country": true`,
			"accountants[0].country", ErrMalformedJSON},
		{"rules of the values too", `"period_end": "2026-01-31"`, `"period_end": "2025-12-31"`,
			"payments[0].period_end", ErrPeriodOrder},
		{"duplicate id", `"client_id": "c-2", "accountant_id"`, `"client_id": "c-1", "accountant_id"`, "clients[1].client_id",
			ErrDuplicateID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(goodJSON, tt.old) {
				t.Fatalf("goodJSON has no %s", tt.old)
			}
			_, err := readJSON(strings.Replace(goodJSON, tt.old, tt.new, 1))
			fe := firstProblem(t, err)
			if fe.Path != tt.path || fe.File != "" || fe.Line != 0 || !errors.Is(fe, tt.kind) {
				t.Errorf("first problem = %q (path %q), want at %s, %v", fe, fe.Path, tt.path, tt.kind)
			}
		})
	}
}

func TestReadJSONMessages(t *testing.T) {
	_, err := readJSON(strings.Replace(goodJSON, `"client_id": "c-2", "accountant_id"`,
		`"client_id": "c-1", "accountant_id"`, 1))
	if want := "clients[1].client_id: duplicate id c-1 (first at clients[0])"; firstProblem(t, err).Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	_, err = readJSON(strings.Replace(goodJSON, `"amount": "69900"`, `"amount": 69900`, 1))
	if want := `payments[0].amount: amount 69900 is a JSON number; write it as a string, "69900"`; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

func TestReadJSONSyntax(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"empty", ""},
		{"not an object", `[]`},
		{"cut short", goodJSON[:200]},
		{"trailing data", goodJSON + ` {}`},
		{"a row that is not an object", `{"clients": ["c-1"]}`},
		{"a list that is not an array", `{"clients": {}}`},
		{"bad token", `{"clients": [{"client_id": x}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readJSON(tt.doc)
			if fe := firstProblem(t, err); !errors.Is(fe, ErrMalformedJSON) {
				t.Errorf("ReadJSON(%.30q) = %v, want ErrMalformedJSON", tt.doc, err)
			}
		})
	}
}

func TestReadJSONEmpty(t *testing.T) {
	ds, err := readJSON(`{"accountants": null}`)
	if err != nil || len(ds.Accountants()) != 0 {
		t.Errorf("ReadJSON(no rows) = %v, %v; want an empty dataset", ds, err)
	}
}

// writeJSON returns ds as WriteJSON writes it.
func writeJSON(t testing.TB, ds *Dataset) string {
	t.Helper()
	var b bytes.Buffer
	if err := ds.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// roundTrip checks that ds written as JSON reads back the same.
func roundTrip(t testing.TB, ds *Dataset) {
	t.Helper()
	text := writeJSON(t, ds)
	back, err := readJSON(text)
	if err != nil {
		t.Fatalf("ReadJSON(WriteJSON(ds)) = %v\n%s", err, text)
	}
	if again := writeJSON(t, back); again != text {
		t.Fatalf("JSON round trip changed the data:\n%s\n%s", text, again)
	}
	backPays := back.Payments()
	for i, p := range ds.Payments() {
		q := backPays[i]
		if !p.PaidAt.Equal(q.PaidAt) || !p.Amount.Equal(q.Amount) || p.Amount.Exponent() != q.Amount.Exponent() {
			t.Fatalf("payment %s changed: %+v, then %+v", p.ID, p, q)
		}
	}
}

func TestJSONRoundTripDemo(t *testing.T) {
	ds, err := ReadDir(demoDir, readCurrencies)
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, ds)
	b, err := json.Marshal(struct{ Data *Dataset }{ds})
	if err != nil || !bytes.Contains(b, []byte(`"amount":"69900"`)) {
		t.Errorf("json.Marshal of a Dataset = %.200s, %v; want amounts as strings", b, err)
	}
}

func BenchmarkReadJSON(b *testing.B) {
	ds, err := ReadDir(demoDir, readCurrencies)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	ds.WriteJSON(&buf)
	b.ReportAllocs()
	for b.Loop() {
		benchDataset, err = ReadJSON(bytes.NewReader(buf.Bytes()), readCurrencies)
		if err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzReadJSON(f *testing.F) {
	f.Add(goodJSON)
	f.Add(`{"accountants": [{"accountant_id": "a\u00f1", "country": "CO", "registered": "true"}]}`)
	f.Add(`{"payments": [{"amount": 1e3, "x": {"y": [null]}}], "payments": null}`)
	f.Add(`{"clients": [{"client_id": "c", "accountant_id": "a", "linked_on": "2025-02-30"}]} x`)
	f.Fuzz(func(t *testing.T, doc string) {
		ds, err := readJSON(doc)
		if err == nil {
			roundTrip(t, ds)
			return
		}
		var errs Errors
		if !errors.As(err, &errs) || len(errs) == 0 || len(errs) > MaxErrors {
			t.Fatalf("error %v (%T) is not Errors of 1 to %d problems", err, err, MaxErrors)
		}
		for _, e := range errs {
			if e.File != "" || e.Line != 0 || e.Err == nil {
				t.Fatalf("problem %q is placed as CSV", e)
			}
		}
	})
}
