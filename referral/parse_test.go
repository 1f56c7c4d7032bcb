package referral

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in       string
		want     string // as written back; "" when refused
		decimals int
	}{
		// Accepted; decimals as written (F14).
		{"69900", "69900", 0},
		{"69900.00", "69900.00", 2},
		{"100.000", "100.000", 3},
		{"0.5", "0.5", 1},
		{"007", "7", 0},
		{"-69900.00", "-69900.00", 2}, // read, so that it is refused as negative
		{"123456789012345678901234567890.12", "123456789012345678901234567890.12", 2},

		// Refused as malformed.
		{"", "", 0},
		{"-", "", 0},
		{"--1", "", 0},
		{"+1", "", 0},
		{"1e3", "", 0},
		{"1E3", "", 0},
		{"69.900,00", "", 0},
		{"69,900.00", "", 0},
		{"1_000", "", 0},
		{" 1", "", 0},
		{"1 ", "", 0},
		{".5", "", 0},
		{"5.", "", 0},
		{"1.2.3", "", 0},
		{"0x10", "", 0},
		{"NaN", "", 0},
		{"١٢", "", 0}, // digits of another script
	}
	for _, tt := range tests {
		d, err := parseAmount(tt.in)
		switch {
		case tt.want == "" && !errors.Is(err, ErrMalformedAmount):
			t.Errorf("parseAmount(%q) = %v, %v; want ErrMalformedAmount", tt.in, d, err)
		case tt.want != "" && err != nil:
			t.Errorf("parseAmount(%q) = %v, want %s", tt.in, err, tt.want)
		case tt.want != "" && (writtenAmount(d) != tt.want || decimalsOf(d) != tt.decimals):
			t.Errorf("parseAmount(%q) = %s with %d decimals, want %s with %d",
				tt.in, writtenAmount(d), decimalsOf(d), tt.want, tt.decimals)
		}
	}
}

func TestParseTime(t *testing.T) {
	bogota := time.FixedZone("", -5*3600)
	tests := []struct {
		in   string
		want time.Time // zero when refused
	}{
		{"2026-01-31T22:10:00Z", time.Date(2026, 1, 31, 22, 10, 0, 0, time.UTC)},
		{"2026-01-31T22:10:00.250Z", time.Date(2026, 1, 31, 22, 10, 0, 250e6, time.UTC)},
		{"2026-01-31T22:10:00.1234567891Z", time.Date(2026, 1, 31, 22, 10, 0, 123456789, time.UTC)},
		{"2026-01-31T17:10:00-05:00", time.Date(2026, 1, 31, 17, 10, 0, 0, bogota)},
		{"2026-01-31T22:10:00+00:00", time.Date(2026, 1, 31, 22, 10, 0, 0, time.UTC)},
		{"2028-02-29T00:00:00+23:59", time.Date(2028, 2, 29, 0, 0, 0, 0, time.FixedZone("", 86340))},

		{"", time.Time{}},
		{"2026-01-31", time.Time{}},
		{"2026-01-31T22:10:00", time.Time{}},
		{"2026-01-31 22:10:00Z", time.Time{}},
		{"2026-01-31t22:10:00Z", time.Time{}},
		{"2026-01-31T22:10:00z", time.Time{}},
		{"2026-01-31T23:59:60Z", time.Time{}},
		{"2026-02-29T00:00:00Z", time.Time{}},
		{"2026-01-31T22:10Z", time.Time{}},
		{"2026-01-31T22:10:00.Z", time.Time{}},
		{"2026-01-31T22:10:00+0500", time.Time{}},
		{"2026-01-31T22:10:00+05", time.Time{}},
		{"2026-01-31T22:10:00+24:00", time.Time{}},
		{"2026-01-31T22:10:00Z ", time.Time{}},
		{" 2026-01-31T22:10:00Z", time.Time{}},
		{"0000-01-01T00:00:00Z", time.Time{}},
		{"+2026-01-31T22:10:00Z", time.Time{}},
		{"2026-1-31T22:10:00Z", time.Time{}},
	}
	zs := zones{}
	for _, tt := range tests {
		got, err := zs.parseTime(tt.in)
		switch {
		case tt.want.IsZero() && !errors.Is(err, ErrMalformedTime):
			t.Errorf("parseTime(%q) = %v, %v; want ErrMalformedTime", tt.in, got, err)
		case !tt.want.IsZero() && (err != nil || !got.Equal(tt.want)):
			t.Errorf("parseTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		case !tt.want.IsZero() && got.Format(time.RFC3339) != tt.want.Format(time.RFC3339):
			t.Errorf("parseTime(%q) = %v, want the offset of %v", tt.in, got, tt.want)
		}
	}
}

func TestParseTimeMessages(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026-01-31 22:10:00Z", `malformed timestamp "2026-01-31 22:10:00Z" (want "T" between date and time)`},
		{"2026-01-31T23:59:60Z", "malformed timestamp 2026-01-31T23:59:60Z (second 60 is not allowed)"},
		{"2026-01-31T22:10:00", `malformed timestamp 2026-01-31T22:10:00 (want an offset, "Z" or ±hh:mm)`},
		{"2026-02-30T22:10:00Z", "malformed timestamp 2026-02-30T22:10:00Z (no such time)"},
	}
	for _, tt := range tests {
		if _, err := (zones{}).parseTime(tt.in); err == nil || err.Error() != tt.want {
			t.Errorf("parseTime(%q) = %v, want %s", tt.in, err, tt.want)
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"69900", "69900.00", "100.000", "-1", "1e3", "69.900,00", ".5", "0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseAmount(s)
		if err != nil {
			return
		}
		digits := strings.TrimPrefix(s, "-")
		if strings.Trim(digits, "0123456789.") != "" || strings.Count(digits, ".") > 1 {
			t.Fatalf("parseAmount(%q) accepted a character it must refuse", s)
		}
		want := 0
		if i := strings.IndexByte(s, '.'); i >= 0 {
			want = len(s) - i - 1
		}
		if decimalsOf(d) != want || !d.Equal(decimal.RequireFromString(s)) {
			t.Fatalf("parseAmount(%q) = %s with %d decimals", s, d, decimalsOf(d))
		}
	})
}

// Every timestamp parseTime accepts, time.Parse reads as the same instant.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-01-31T22:10:00Z", "2026-01-31T22:10:00.250-05:00",
		"2026-01-31 22:10:00Z", "2026-01-31T23:59:60Z", "2026-01-31T22:10:00.1234567891+23:59"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := (zones{}).parseTime(s)
		if err != nil {
			return
		}
		want, err := time.Parse(time.RFC3339Nano, s)
		if err != nil || !got.Equal(want) {
			t.Fatalf("parseTime(%q) = %v, time.Parse = %v, %v", s, got, want, err)
		}
	})
}
