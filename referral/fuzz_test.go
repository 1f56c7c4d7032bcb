package referral

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Fuzz targets of the date and month parsers, the two ways a day or a
// month enters from outside besides the data files (the CLI's --from and
// --to, the HTTP service's query values). The oracle is the standard
// library's calendar: a text is accepted exactly when time.Parse reads it
// as a day of year 1 or later, and then it is the same day and prints back
// as it was written.

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-01-31", "2028-02-29", "2026-02-29", "2026-02-30", "0001-01-01",
		"0000-12-31", "9999-12-31", "2026-1-31", "2026-01-31T00:00:00Z", " 2026-01-31", "2026/01/31",
		"+026-01-31", "2026-00-10", "2026-13-01", "2026-12-00", "٢٠٢٦-٠١-٣١", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		want, terr := time.Parse(time.DateOnly, s)
		ok := terr == nil && want.Year() >= 1
		if (err == nil) != ok {
			t.Fatalf("ParseDate(%q) = %v, %v; time.Parse = %v, %v", s, d, err, want, terr)
		}
		if err != nil {
			if d != 0 {
				t.Fatalf("ParseDate(%q) refused with %v but returned %d, want the zero Date", s, err, d)
			}
			return
		}
		y, m, dd := d.Civil()
		if y != want.Year() || m != want.Month() || dd != want.Day() {
			t.Fatalf("ParseDate(%q).Civil() = %d-%d-%d, want %v", s, y, m, dd, want)
		}
		if d.IsZero() || d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q, want the input back", s, d.String())
		}
		var back Date
		if err := back.UnmarshalText([]byte(s)); err != nil || back != d {
			t.Fatalf("UnmarshalText(%q) = %d, %v, want %d", s, back, err, d)
		}
		if d.Month().First() > d || d.Month().Last() < d {
			t.Fatalf("ParseDate(%q) = %v, outside its own month %v", s, d, d.Month())
		}
	})
}

func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"2026-01", "2026-12", "0001-01", "0000-01", "9999-12", "2026-13", "2026-00",
		"2026-1", "2026-01-01", "26-01", "2026_01", "-026-01", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMonth(s)
		want, terr := time.Parse("2006-01", s)
		ok := terr == nil && want.Year() >= 1
		if (err == nil) != ok {
			t.Fatalf("ParseMonth(%q) = %v, %v; time.Parse = %v, %v", s, m, err, want, terr)
		}
		if err != nil {
			return
		}
		y, mm := m.Civil()
		if y != want.Year() || mm != want.Month() || m.String() != s {
			t.Fatalf("ParseMonth(%q) = %d-%d (%q), want %v", s, y, mm, m.String(), want)
		}
		if first := m.First(); first.String() != s+"-01" || first.Month() != m || m.Last().Month() != m ||
			m.Last().AddDays(1) != m.Add(1).First() {
			t.Fatalf("ParseMonth(%q): first day %v, last day %v do not bound the month", s, first, m.Last())
		}
	})
}

// Regressions found by the fuzz targets. Each row is the input that broke,
// cut down to what matters.
func TestFuzzRegressions(t *testing.T) {
	tests := []struct {
		name   string
		folder csvFolder
		where  string // "file:line: column"
		kind   error
	}{
		// FuzzReadCSV, testdata/fuzz/FuzzReadCSV/8ec32714215a4401: a promotion that
		// is not UTF-8 was read, and its JSON copy came back with U+FFFD in it.
		{"promotion not UTF-8", goodFolder().edit(t, PaymentsFile, "COP,ANUAL,", "COP,ANUAL\x80,"),
			"payments.csv:3: promotion", ErrMalformedText},
		{"payment id not UTF-8", goodFolder().edit(t, PaymentsFile, "p-1,", "p-\xff1,"),
			"payments.csv:2: payment_id", ErrMalformedText},
		{"client reference not UTF-8", goodFolder().edit(t, PaymentsFile, "p-1,c-1,", "p-1,c-\xc3,"),
			"payments.csv:2: client_id", ErrMalformedText},
		{"accountant id not UTF-8", goodFolder().edit(t, AccountantsFile, "a-2,MX", "a-2\xed\xa0\x80,MX"),
			"accountants.csv:3: accountant_id", ErrMalformedText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := tt.folder.read()
			if ds != nil || !errors.Is(err, tt.kind) {
				t.Fatalf("ReadCSV = %v, %v; want no data and %v", ds, err, tt.kind)
			}
			if !strings.HasPrefix(err.Error(), tt.where+": ") {
				t.Errorf("ReadCSV error = %q, want it to start with %q", err, tt.where)
			}
		})
	}

	// New refuses the same text, so that no path into a Dataset holds it.
	_, err := New([]Accountant{{ID: "a\x80", Country: "CO"}}, nil, nil, readCurrencies)
	if !errors.Is(err, ErrMalformedText) {
		t.Errorf("New(accountant id %q) = %v, want %v", "a\x80", err, ErrMalformedText)
	}
}
