package referral

import (
	"fmt"
	"time"
)

// Date is a calendar day with no time of day and no zone, such as a
// client's link date or the first day a payment covers. Days are counted
// from 0001-01-01, which is Date(1); the zero Date means "no date" (an
// empty unlinked_on or activated_on). Dates compare with < and ==.
type Date int32

// Month is a calendar month, counted as year*12 + month-1. Months compare
// with < and ==; the zero Month is January of year 0 and is never produced
// by parsing.
type Month int32

// civil epoch: the number of days from 0000-03-01 to 0001-01-01 is 306.
const epochShift = 306

// NewDate returns the date of year, month and day. It does not validate:
// out-of-range days roll over as they do in time.Date.
func NewDate(year int, month time.Month, day int) Date {
	t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	return dateFromCivil(t.Year(), int(t.Month()), t.Day())
}

// dateFromCivil counts days with the proleptic Gregorian calendar
// (the days-from-civil algorithm, written from its definition).
func dateFromCivil(y, m, d int) Date {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	days := era*146097 + doe // days since 0000-03-01
	return Date(days - epochShift + 1)
}

// Civil returns the year, month and day of d.
func (d Date) Civil() (year int, month time.Month, day int) {
	z := int(d) - 1 + epochShift
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, time.Month(m), day
}

// IsZero reports whether d is the zero Date, which stands for "no date".
func (d Date) IsZero() bool { return d == 0 }

// String formats d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	y, m, dd := d.Civil()
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), dd)
}

// MarshalText writes d as YYYY-MM-DD (empty for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD; empty text gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = 0
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// AddMonths returns d plus n months, clamped to the last day of the
// resulting month (program decision D6): 2026-01-31 plus one month is
// 2026-02-28.
func (d Date) AddMonths(n int) Date {
	y, m, dd := d.Civil()
	target := MonthOf(y, m).Add(n)
	if last := target.Last(); dd > lastDay(last) {
		return last
	}
	ty, tm := target.Civil()
	return dateFromCivil(ty, int(tm), dd)
}

func lastDay(d Date) int { _, _, dd := d.Civil(); return dd }

// Month returns the month d falls in.
func (d Date) Month() Month {
	y, m, _ := d.Civil()
	return MonthOf(y, m)
}

// Start returns the instant d begins in loc (local midnight).
func (d Date) Start(loc *time.Location) time.Time {
	y, m, dd := d.Civil()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// Close returns the instant d ends in loc: the start of the next local day
// (program fine point F1). An event at Close is not within d.
func (d Date) Close(loc *time.Location) time.Time { return (d + 1).Start(loc) }

// DateIn returns the local calendar date of instant t in loc (D3).
func DateIn(t time.Time, loc *time.Location) Date {
	lt := t.In(loc)
	return dateFromCivil(lt.Year(), int(lt.Month()), lt.Day())
}

// ParseDate reads a date written YYYY-MM-DD and refuses days that do not
// exist, such as 2026-02-30.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, fmt.Errorf("malformed date %q (want YYYY-MM-DD)", s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	dd, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return 0, fmt.Errorf("malformed date %q (want YYYY-MM-DD)", s)
	}
	if y < 1 || m < 1 || m > 12 || dd < 1 || dd > daysIn(y, time.Month(m)) {
		return 0, fmt.Errorf("malformed date %s (no such day)", s)
	}
	return dateFromCivil(y, m, dd), nil
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn returns the number of days of month m (1 to 12) of year y.
func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// MonthOf returns the month of year y.
func MonthOf(y int, m time.Month) Month { return Month(y*12 + int(m) - 1) }

// ParseMonth reads a month written YYYY-MM.
func ParseMonth(s string) (Month, error) {
	if len(s) != 7 || s[4] != '-' {
		return 0, fmt.Errorf("malformed month %q (want YYYY-MM)", s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	if !ok1 || !ok2 || y < 1 || m < 1 || m > 12 {
		return 0, fmt.Errorf("malformed month %q (want YYYY-MM)", s)
	}
	return MonthOf(y, time.Month(m)), nil
}

// Civil returns the year and month of m.
func (m Month) Civil() (int, time.Month) {
	y := int(m) / 12
	mm := int(m) % 12
	if mm < 0 {
		mm += 12
		y--
	}
	return y, time.Month(mm + 1)
}

// Add returns m plus n months.
func (m Month) Add(n int) Month { return m + Month(n) }

// First returns the first day of m.
func (m Month) First() Date {
	y, mm := m.Civil()
	return dateFromCivil(y, int(mm), 1)
}

// Last returns the last day of m.
func (m Month) Last() Date { return (m + 1).First() - 1 }

// String formats m as YYYY-MM.
func (m Month) String() string {
	y, mm := m.Civil()
	return fmt.Sprintf("%04d-%02d", y, int(mm))
}

// MarshalText writes m as YYYY-MM.
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads YYYY-MM.
func (m *Month) UnmarshalText(b []byte) error {
	v, err := ParseMonth(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}
