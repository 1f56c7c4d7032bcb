package referral_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the four program zones, whatever the host has

	"github.com/caba1337/referralrules/referral"
)

// TestAddMonths checks month arithmetic that clamps to the month's last day
// (D6), which the first-year window uses (D5, F4).
func TestAddMonths(t *testing.T) {
	tests := []struct {
		name string
		day  string
		n    int
		want string
	}{
		{"D6 spec: 2026-01-31 + 1 month clamps to Feb 28", "2026-01-31", 1, "2026-02-28"},
		{"D6 spec: 2028-02-29 + 12 months clamps to Feb 28", "2028-02-29", 12, "2029-02-28"},
		{"D6 into a leap February: 2028-01-31 + 1", "2028-01-31", 1, "2028-02-29"},
		{"D6 2026-03-31 + 1 clamps to Apr 30", "2026-03-31", 1, "2026-04-30"},
		{"D6 2025-12-31 + 2 crosses the year and clamps", "2025-12-31", 2, "2026-02-28"},
		{"D6 2026-01-30 + 1 clamps to Feb 28", "2026-01-30", 1, "2026-02-28"},
		{"D6 2026-01-28 + 1 needs no clamp", "2026-01-28", 1, "2026-02-28"},
		{"D6 2026-01-15 + 1", "2026-01-15", 1, "2026-02-15"},
		{"D6 2026-05-31 + 12 keeps the 31st", "2026-05-31", 12, "2027-05-31"},
		{"D6 2025-03-05 + 12 (first-year window)", "2025-03-05", 12, "2026-03-05"},
		{"D6 + 0 months", "2026-02-28", 0, "2026-02-28"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := mustDate(tc.day).AddMonths(tc.n).String(); got != tc.want {
				t.Errorf("%s.AddMonths(%d) = %s, want %s", tc.day, tc.n, got, tc.want)
			}
		})
	}
}

// TestDateIn checks the local date of an instant in each program zone
// (D3): Bogota and Panama are UTC-5, Santo Domingo UTC-4, Costa Rica UTC-6,
// none with daylight saving time.
func TestDateIn(t *testing.T) {
	tests := []struct {
		name    string
		zone    string
		instant string
		want    string
	}{
		{"D3 Bogota: 04:30Z is the evening before", "America/Bogota", "2026-02-01T04:30:00Z", "2026-01-31"},
		{"D3 Panama: 04:30Z is the evening before", "America/Panama", "2026-02-01T04:30:00Z", "2026-01-31"},
		{"D3 Costa Rica: 04:30Z is the evening before", "America/Costa_Rica", "2026-02-01T04:30:00Z", "2026-01-31"},
		{"D3 Santo Domingo: 04:30Z is after midnight", "America/Santo_Domingo", "2026-02-01T04:30:00Z", "2026-02-01"},

		{"D3 Bogota: 04:59:59Z is still Jan 31", "America/Bogota", "2026-02-01T04:59:59Z", "2026-01-31"},
		{"D3 Bogota: 05:00Z is midnight Feb 1", "America/Bogota", "2026-02-01T05:00:00Z", "2026-02-01"},
		{"D3 Panama: 05:00Z is midnight Feb 1", "America/Panama", "2026-02-01T05:00:00Z", "2026-02-01"},
		{"D3 Santo Domingo: 03:59:59Z is still Jan 31", "America/Santo_Domingo", "2026-02-01T03:59:59Z", "2026-01-31"},
		{"D3 Santo Domingo: 04:00Z is midnight Feb 1", "America/Santo_Domingo", "2026-02-01T04:00:00Z", "2026-02-01"},
		{"D3 Costa Rica: 05:59:59Z is still Jan 31", "America/Costa_Rica", "2026-02-01T05:59:59Z", "2026-01-31"},
		{"D3 Costa Rica: 06:00Z is midnight Feb 1", "America/Costa_Rica", "2026-02-01T06:00:00Z", "2026-02-01"},

		{"D3 spec: 2026-12-01T02:00Z is November in Colombia", "America/Bogota", "2026-12-01T02:00:00Z", "2026-11-30"},
		{"D3 an offset in the input does not matter", "America/Bogota", "2026-02-01T00:30:00+01:00", "2026-01-31"},
		{"D3 year end in Santo Domingo", "America/Santo_Domingo", "2027-01-01T03:30:00Z", "2026-12-31"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := referral.DateIn(mustTime(tc.instant), zone(t, tc.zone)).String(); got != tc.want {
				t.Errorf("DateIn(%s, %s) = %s, want %s", tc.instant, tc.zone, got, tc.want)
			}
		})
	}
}

// TestClose checks that the close of a day is the instant the next local
// day starts (F1), in each zone.
func TestClose(t *testing.T) {
	tests := []struct {
		name string
		zone string
		day  string
		want string
	}{
		{"F1 Bogota closes Jan 31 at 05:00Z", "America/Bogota", "2026-01-31", "2026-02-01T05:00:00Z"},
		{"F1 Panama closes Jan 31 at 05:00Z", "America/Panama", "2026-01-31", "2026-02-01T05:00:00Z"},
		{"F1 Santo Domingo closes Jan 31 at 04:00Z", "America/Santo_Domingo", "2026-01-31", "2026-02-01T04:00:00Z"},
		{"F1 Costa Rica closes Jan 31 at 06:00Z", "America/Costa_Rica", "2026-01-31", "2026-02-01T06:00:00Z"},
		{"F1 Bogota closes Feb 28 2028 into the leap day", "America/Bogota", "2028-02-28", "2028-02-29T05:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loc := zone(t, tc.zone)
			day := mustDate(tc.day)
			got := day.Close(loc)
			if want := mustTime(tc.want); !got.Equal(want) {
				t.Errorf("%s.Close(%s) = %s, want %s", tc.day, tc.zone, got.UTC().Format(time.RFC3339), tc.want)
			}
			// The close is the first instant of the next day, not of this one.
			if d := referral.DateIn(got, loc); d != day+1 {
				t.Errorf("DateIn(%s.Close(%s)) = %s, want %s", tc.day, tc.zone, d, day+1)
			}
			if d := referral.DateIn(got.Add(-time.Nanosecond), loc); d != day {
				t.Errorf("DateIn(%s.Close(%s) - 1ns) = %s, want %s", tc.day, tc.zone, d, day)
			}
		})
	}
}

// TestMonths checks the months a statement uses: the last day of a month
// (D4) and month numbering across a year end (D11).
func TestMonths(t *testing.T) {
	tests := []struct {
		name  string
		month string
		add   int
		first string
		last  string
		want  string // month + add
	}{
		{"D4 February 2026 ends on the 28th", "2026-02", 1, "2026-02-01", "2026-02-28", "2026-03"},
		{"D4 February 2028 ends on the 29th", "2028-02", 1, "2028-02-01", "2028-02-29", "2028-03"},
		{"D4 April ends on the 30th", "2026-04", 1, "2026-04-01", "2026-04-30", "2026-05"},
		{"D11 December + 1 is next January", "2026-12", 1, "2026-12-01", "2026-12-31", "2027-01"},
		{"D11 November + 2 is next January", "2026-11", 2, "2026-11-01", "2026-11-30", "2027-01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := referral.ParseMonth(tc.month)
			if err != nil {
				t.Fatalf("ParseMonth(%q): %v", tc.month, err)
			}
			if got := m.First().String(); got != tc.first {
				t.Errorf("%s.First() = %s, want %s", tc.month, got, tc.first)
			}
			if got := m.Last().String(); got != tc.last {
				t.Errorf("%s.Last() = %s, want %s", tc.month, got, tc.last)
			}
			if got := m.Add(tc.add).String(); got != tc.want {
				t.Errorf("%s.Add(%d) = %s, want %s", tc.month, tc.add, got, tc.want)
			}
			if got := mustDate(tc.last).Month().String(); got != tc.month {
				t.Errorf("%s.Month() = %s, want %s", tc.last, got, tc.month)
			}
		})
	}
}

// TestParseDate checks that dates are YYYY-MM-DD of days that exist
// (section 5).
func TestParseDate(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		valid bool
	}{
		{"leap day 2028", "2028-02-29", true},
		{"no leap day 2026", "2026-02-29", false},
		{"no April 31", "2026-04-31", false},
		{"month 13", "2026-13-01", false},
		{"day 0", "2026-01-00", false},
		{"no zero padding", "2026-1-05", false},
		{"slashes", "2026/01/05", false},
		{"with a time", "2026-01-05T00:00:00Z", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := referral.ParseDate(tc.in)
			if (err == nil) != tc.valid {
				t.Fatalf("ParseDate(%q) error = %v, want valid %t", tc.in, err, tc.valid)
			}
			if tc.valid && d.String() != tc.in {
				t.Errorf("ParseDate(%q).String() = %q, want %q", tc.in, d.String(), tc.in)
			}
		})
	}
}
