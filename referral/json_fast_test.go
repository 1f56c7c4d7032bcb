package referral

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// The tests of this file hold ReadJSON, which reads most documents by
// scanJSON, to what the token walk alone (readJSONTokens) returns: the
// same Dataset, or the same problems in the same order.

// sameAsTokens checks that ReadJSON and readJSONTokens read doc alike,
// and returns the error.
func sameAsTokens(t *testing.T, doc string) error {
	t.Helper()
	got, gotErr := readJSON(doc)
	want, wantErr := readJSONTokens(strings.NewReader(doc), readCurrencies)
	if !reflect.DeepEqual(gotErr, wantErr) {
		t.Fatalf("ReadJSON(%q) = %v; token walk = %v", doc, gotErr, wantErr)
	}
	if gotErr != nil {
		return gotErr
	}
	if g, w := writeJSON(t, got), writeJSON(t, want); g != w {
		t.Fatalf("ReadJSON(%q) = %s; token walk = %s", doc, g, w)
	}
	for i, r := range got.Redemptions() {
		if w := want.Redemptions()[i].Where(); r.Where() != w {
			t.Fatalf("ReadJSON(%q): redemption %s at %s; token walk: at %s", doc, r.ID, r.Where(), w)
		}
	}
	return nil
}

func TestScanJSONColumns(t *testing.T) {
	for tb, names := range columnNames {
		if len(names) > maxColumns {
			t.Errorf("%s has %d columns; maxColumns = %d", tableNames[tb], len(names), maxColumns)
		}
	}
}

func TestScanJSONDemo(t *testing.T) {
	ds, err := ReadDir(demoDir, readCurrencies)
	if err != nil {
		t.Fatal(err)
	}
	doc := writeJSON(t, ds)
	if _, ok := scanJSON([]byte(doc)); !ok {
		t.Fatalf("scanJSON(demo) gave up; want the demo read in one pass")
	}
	if err := sameAsTokens(t, doc); err != nil {
		t.Fatal(err)
	}
}

// The rows of the tables of json_test.go and redemption_test.go, each
// an edit of goodJSON or of goodJSON with redemptions, and more that
// scanJSON must give up on.
var jsonEdits = []struct{ old, new string }{
	{`"amount": "69900"`, `"amount": 69900`},
	{`"amount": "69900.00"`, `"amount": 69900.00`},
	{`"promotion": null`, `"notes": "x"`},
	{`"clients": [`, `"notes": 1, "clients": [`},
	{`"country": "CO"`, `"country": "CO", "country": "PA"`},
	{`"linked_on": "2025-02-01"`, `"unlinked_on": ""`},
	{`"payment_id": "p-2"`, `"payment_id": null`},
	{`"linked_on": "2025-02-01"`, `"linked_on": 20250201`},
	{`"client_id": "c-1", "accountant_id": "a-1"`, `"client_id": {"a": [1]}, "accountant_id": "a-1"`},
	{`"registered": true`, `"registered": "TRUE"`},
	{`"country": "CO"`, `"country": true`},
	{`"period_end": "2026-01-31"`, `"period_end": "2025-12-31"`},
	{`"client_id": "c-2", "accountant_id"`, `"client_id": "c-1", "accountant_id"`},

	// Beyond the tables.
	{`"country": "CO"`, `"Country": "CO"`},                       // encoding/json would match it
	{`"country": "CO"`, `"c\u006funtry": "CO"`},                  // the same name, escaped
	{`"country": "CO"`, `"country": "C\u004f"`},                  // an escape in a value
	{`"country": "CO"`, `"country": "C\xffO"`},                   // not UTF-8
	{`"country": "CO"`, `"country": "Cñ"`},                       // UTF-8, not ASCII
	{`"country": "CO"`, `"country": "C` + "\t" + `O"`},           // a control byte
	{`"promotion": null`, `"promotion": null, "promotion": "X"`}, // null then a value
	{`"promotion": null`, `"promotion": nul`},
	{`"registered": true`, `"registered": tru`},
	{`"registered": true`, `"registered": null`},
	{`"registered": true`, `"registered": false`},
	{`"registered": true`, `"registered": ""`},
	{`"linked_on": "2025-02-01"`, `"linked_on": ""`},
	{`"accountants": [`, `"accountants": null, "accountants": [`},
	{`"accountants": [`, `"accountants": {}, "x": [`},
	{`}`, `},`},
	{`]`, `],`},
	{`[`, `[,`},
	{`"a-2"`, `"a-2`},
}

func TestReadJSONSameAsTokens(t *testing.T) {
	for _, e := range jsonEdits {
		for _, doc := range []string{goodJSON, withRedemptionsJSON(t, "", "")} {
			if !strings.Contains(doc, e.old) {
				t.Fatalf("no %q in the document", e.old)
			}
			sameAsTokens(t, strings.Replace(doc, e.old, e.new, 1))
		}
	}
	for _, doc := range []string{"", " ", "[]", "null", `{}`, `{"clients": []}`, `{"clients": null}`,
		goodJSON[:200], goodJSON + ` {}`, goodJSON + " \n\t\r", " \n" + goodJSON, "\ufeff" + goodJSON,
		`{"clients": ["c-1"]}`, `{"clients": {}}`, `{"clients": [{"client_id": x}]}`, `{"clients": [{}]}`,
		`{"accountants": [{"accountant_id": "a", "country": "CO", "registered": "true"}]}x`} {
		sameAsTokens(t, doc)
	}
}

// TestReadJSONSameAsTokensMutated reads edits of goodJSON at random bytes.
func TestReadJSONSameAsTokensMutated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	doc := withRedemptionsJSON(t, "", "")
	const alphabet = "{}[],:\" \\ntrue0-a.\x80"
	for range 3000 {
		b := []byte(doc)
		for range 1 + rng.IntN(3) {
			i := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b = append(b[:i], b[i+1:]...)
			case 1:
				b = append(b[:i], append([]byte{alphabet[rng.IntN(len(alphabet))]}, b[i:]...)...)
			default:
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		sameAsTokens(t, string(b))
	}
}

// TestReadJSONSameAsTokensRandom reads random documents of valid shape,
// written in many ways, most of them good data.
func TestReadJSONSameAsTokensRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	scanned := 0
	for range 300 {
		doc := randomJSON(rng)
		if _, ok := scanJSON([]byte(doc)); ok {
			scanned++
		}
		sameAsTokens(t, doc)
	}
	if scanned < 250 {
		t.Errorf("scanJSON read %d of 300 random documents, want nearly all", scanned)
	}
}

// randomJSON writes a document of random rows, each a valid shape: its
// fields in random order, optional ones left out, null or "", strings
// sometimes escaped or not ASCII, and random whitespace between tokens.
func randomJSON(rng *rand.Rand) string {
	w := &randomWriter{rng: rng}
	nAcc, nCli := 1+rng.IntN(4), rng.IntN(6)
	w.token("{")
	lists := []func(){
		func() {
			w.list("accountants", nAcc, func(i int) {
				w.row(map[string]string{"accountant_id": w.text(fmt.Sprintf("a-%d", i)),
					"country": w.text("CO"), "registered": w.bool(), "activated_on": w.optional("2025-03-01")})
			})
		},
		func() {
			w.list("clients", nCli, func(i int) {
				w.row(map[string]string{"client_id": w.text(fmt.Sprintf("c-%d", i)),
					"accountant_id": w.text(fmt.Sprintf("a-%d", rng.IntN(nAcc))),
					"linked_on":     w.text("2025-02-01"), "unlinked_on": w.optional("2026-04-01")})
			})
		},
		func() {
			if nCli == 0 {
				w.list("payments", 0, nil)
				return
			}
			w.list("payments", rng.IntN(6), func(i int) {
				w.row(map[string]string{"payment_id": w.text(fmt.Sprintf("p-%d", i)),
					"client_id": w.text(fmt.Sprintf("c-%d", rng.IntN(nCli))),
					"paid_at":   w.text("2026-01-01T04:30:00-05:00"), "period_start": w.text("2026-01-01"),
					"period_end": w.text("2026-01-31"), "amount": w.text(w.amount()),
					"currency": w.text("COP"), "promotion": w.optional("ANUAL"),
					"refunded_at": w.optional("2026-02-02T00:00:00Z")})
			})
		},
		func() {
			w.list("redemptions", rng.IntN(3), func(i int) {
				w.row(map[string]string{"redemption_id": w.text(fmt.Sprintf("r-%d", i)),
					"accountant_id": w.text(fmt.Sprintf("a-%d", rng.IntN(nAcc))),
					"redeemed_at":   w.text("2026-03-02T15:00:00Z"), "amount": w.text(w.amount()),
					"currency": w.text("USD"), "reference": w.text("INV-ñ")})
			})
		},
	}
	first := true
	for _, i := range rng.Perm(len(lists)) {
		if rng.IntN(5) == 0 {
			continue // a missing list is an empty one
		}
		if !first {
			w.token(",")
		}
		first = false
		lists[i]()
	}
	w.token("}")
	return w.b.String()
}

// randomWriter writes the tokens of a random document.
type randomWriter struct {
	rng *rand.Rand
	b   strings.Builder
}

// token writes tok after random whitespace.
func (w *randomWriter) token(tok string) {
	for range w.rng.IntN(3) {
		w.b.WriteByte(" \t\n\r"[w.rng.IntN(4)])
	}
	w.b.WriteString(tok)
}

// list writes the list name of n rows, each written by row.
func (w *randomWriter) list(name string, n int, row func(i int)) {
	w.token(`"` + name + `"`)
	w.token(":")
	if n == 0 && w.rng.IntN(2) == 0 {
		w.token("null")
		return
	}
	w.token("[")
	for i := range n {
		if i > 0 {
			w.token(",")
		}
		row(i)
	}
	w.token("]")
}

// row writes an object of the fields, in random order; a field whose
// value is "" is left out.
func (w *randomWriter) row(fields map[string]string) {
	names := make([]string, 0, len(fields))
	for name, v := range fields {
		if v != "" {
			names = append(names, name)
		}
	}
	w.rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	w.token("{")
	for i, name := range names {
		if i > 0 {
			w.token(",")
		}
		w.token(`"` + name + `"`)
		w.token(":")
		w.token(fields[name])
	}
	w.token("}")
}

// text returns s as a JSON string, at times with an escape in it.
func (w *randomWriter) text(s string) string {
	switch w.rng.IntN(8) {
	case 0:
		return `"` + strings.Replace(s, "-", `\u002d`, 1) + `"`
	case 1:
		return `"` + strings.Replace(s, "-", `\/`, 1) + `"`
	}
	return `"` + s + `"`
}

// optional returns s, "", null or nothing (the field left out).
func (w *randomWriter) optional(s string) string {
	return [...]string{w.text(s), `""`, "null", ""}[w.rng.IntN(4)]
}

// bool returns a value of registered.
func (w *randomWriter) bool() string {
	return [...]string{"true", "false", `"true"`, `"false"`}[w.rng.IntN(4)]
}

// amount returns an amount of 0 to 2 decimals.
func (w *randomWriter) amount() string {
	s := fmt.Sprint(1 + w.rng.IntN(100000))
	if d := w.rng.IntN(3); d > 0 {
		s += "." + strings.Repeat("5", d)
	}
	return s
}

// failingReader returns its text, then err.
type failingReader struct {
	text io.Reader
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	n, err := r.text.Read(p)
	if err == io.EOF {
		return n, r.err
	}
	return n, err
}

func TestReadJSONReaderError(t *testing.T) {
	broken := errors.New("connection reset")
	for _, doc := range []string{"", goodJSON[:100], goodJSON, `{"clients": x`} {
		_, got := ReadJSON(&failingReader{strings.NewReader(doc), broken}, readCurrencies)
		_, want := readJSONTokens(&failingReader{strings.NewReader(doc), broken}, readCurrencies)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ReadJSON(%.20q, then an error) = %v; token walk = %v", doc, got, want)
		}
	}
	_, err := ReadJSON(&failingReader{bytes.NewReader(nil), broken}, readCurrencies)
	if err != broken {
		t.Errorf("ReadJSON(a reader that fails) = %v, want the reader's error", err)
	}
}

func BenchmarkReadJSONTokens(b *testing.B) {
	ds, err := ReadDir(demoDir, readCurrencies)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	ds.WriteJSON(&buf)
	b.ReportAllocs()
	for b.Loop() {
		benchDataset, err = readJSONTokens(bytes.NewReader(buf.Bytes()), readCurrencies)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzReadJSONSameAsTokens holds ReadJSON to the token walk on any input.
func FuzzReadJSONSameAsTokens(f *testing.F) {
	f.Add(goodJSON)
	f.Add(`{"accountants": [{"accountant_id": "a\u00f1", "country": "CO", "registered": "true"}]}`)
	for _, e := range jsonEdits {
		f.Add(strings.Replace(goodJSON, e.old, e.new, 1))
	}
	f.Fuzz(func(t *testing.T, doc string) { sameAsTokens(t, doc) })
}
