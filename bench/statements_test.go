package bench

import (
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/bench/gen"
	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
)

// One month of statements for a whole generated dataset in memory. Its
// size is BENCH_ACCOUNTANTS accountants (default 2000), with twenty times
// as many clients and as many payments; BENCH_ACCOUNTANTS=1000000 is the
// 1M accountants / 20M clients / 20M payments run of README.md. The data
// is generated and validated once, before the timers start.

var benchMonth = referral.MonthOf(2026, time.November)

type bigData struct {
	rules commission.Rules
	ds    *referral.Dataset
	flat  *flatData
}

var (
	bigOnce sync.Once
	big     bigData
	bigErr  error
)

func benchScale() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_ACCOUNTANTS")); err == nil && n > 0 {
		return n
	}
	return 2000
}

func loadBig(tb testing.TB) *bigData {
	tb.Helper()
	bigOnce.Do(func() {
		n := benchScale()
		p := referralrules.Default()
		big.rules = p.Rules()
		big.ds, bigErr = gen.Dataset(gen.Config{Seed: 1, Accountants: n, Clients: 20 * n, Payments: 20 * n}, p)
		if bigErr == nil {
			big.flat = flatten(&big.rules, big.ds)
		}
	})
	if bigErr != nil {
		tb.Fatal(bigErr)
	}
	return &big
}

var benchSts []commission.Statement

func BenchmarkStatementsMonth(b *testing.B) {
	d := loadBig(b)
	b.Run("library", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sts, err := commission.Compute(&d.rules, d.ds, benchMonth, benchMonth)
			if err != nil {
				b.Fatal(err)
			}
			benchSts = sts
		}
		b.ReportMetric(float64(len(benchSts)), "statements")
	})
	b.Run("library-parallel", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sts, err := commission.ComputeParallel(&d.rules, d.ds, benchMonth, benchMonth, 0)
			if err != nil {
				b.Fatal(err)
			}
			benchSts = sts
		}
	})
	b.Run("int64-loop", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchUnits = d.flat.month(benchMonth)
		}
	})
}

// TestIntLoopMatchesLibrary checks that the hand-written loop computes the
// library's commissions: their total over the home-currency statements.
func TestIntLoopMatchesLibrary(t *testing.T) {
	d := loadBig(t)
	sts, err := commission.Compute(&d.rules, d.ds, benchMonth, benchMonth)
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	for _, st := range sts {
		if st.Currency == d.rules.Countries[st.Country].Currency {
			want += st.Commission.Shift(int32(st.Digits)).IntPart()
		}
	}
	if got := d.flat.month(benchMonth); got != want || want == 0 {
		t.Errorf("int64 loop total = %d, library = %d", got, want)
	}
}

// flatData is the dataset laid out for the hand-written loop: flat arrays
// of plain integers, instants as Unix seconds, amounts in minor units,
// each accountant's zone as a fixed offset (none of the program's four
// zones observes daylight saving time).
type flatData struct {
	accs    []flatAcc
	clients []flatClient
	pays    []flatPay
	mins    []int   // the levels' minimums
	rates   []int64 // the levels' rates in hundredths
}

type flatAcc struct {
	clo, chi  int32
	offset    int64 // seconds east of UTC
	activated referral.Date
}

type flatClient struct {
	linked, unlinked referral.Date
	plo, phi         int32
}

type flatPay struct {
	paid, refunded int64 // Unix seconds; refunded 0 when never
	start, end     referral.Date
	units          int64
	promoted, home bool // home: in the accountant's home currency
}

var unixEpoch = referral.NewDate(1970, time.January, 1)

func flatten(r *commission.Rules, ds *referral.Dataset) *flatData {
	f := &flatData{}
	for _, lv := range r.Levels.Levels() {
		f.mins = append(f.mins, lv.Min)
		f.rates = append(f.rates, lv.Rate.Shift(2).IntPart())
	}
	for _, a := range ds.Accountants() {
		c, ok := r.Countries[a.Country]
		if !ok || !a.Registered {
			continue
		}
		_, off := time.Date(2026, 11, 30, 0, 0, 0, 0, c.Location).Zone()
		fa := flatAcc{clo: int32(len(f.clients)), offset: int64(off), activated: a.ActivatedOn}
		for _, cl := range ds.ClientsOf(a.ID) {
			fc := flatClient{linked: cl.LinkedOn, unlinked: cl.UnlinkedOn, plo: int32(len(f.pays))}
			for _, p := range ds.PaymentsOf(cl.ID) {
				fp := flatPay{
					paid: p.PaidAt.Unix(), start: p.PeriodStart, end: p.PeriodEnd,
					units: p.Amount.Shift(2).IntPart(), promoted: p.Promotion != "",
					home: p.Currency == c.Currency,
				}
				if !p.RefundedAt.IsZero() {
					fp.refunded = p.RefundedAt.Unix()
				}
				f.pays = append(f.pays, fp)
			}
			fc.phi = int32(len(f.pays))
			f.clients = append(f.clients, fc)
		}
		fa.chi = int32(len(f.clients))
		f.accs = append(f.accs, fa)
	}
	return f
}

func (c *flatClient) linkedOn(d referral.Date) bool {
	return c.linked <= d && (c.unlinked == 0 || d < c.unlinked)
}

// month returns the total commission of month m over every accountant, in
// minor units of the home currencies: the level from the count on the last
// day (D2, D4), the base of D5 and the commission of D7, without lines,
// shares or statements.
func (f *flatData) month(m referral.Month) int64 {
	first, last := m.First(), m.Last()
	var total int64
	for _, a := range f.accs {
		start := int64(first-unixEpoch)*86400 - a.offset
		close := int64(last+1-unixEpoch)*86400 - a.offset
		active := 0
		var base int64
		for _, c := range f.clients[a.clo:a.chi] {
			pays := f.pays[c.plo:c.phi]
			if c.linkedOn(last) {
				for _, p := range pays {
					if p.paid >= close {
						break
					}
					if p.start <= last && last <= p.end && (p.refunded == 0 || p.refunded >= close) {
						active++
						break
					}
				}
			}
			var window referral.Date
			for _, p := range pays {
				if p.paid < start || p.paid >= close || !p.home {
					continue
				}
				if window == 0 {
					for _, q := range pays {
						if q.refunded == 0 || q.refunded >= close {
							window = (referral.Date((q.paid+a.offset)/86400) + unixEpoch).AddMonths(12)
							break
						}
					}
				}
				on := referral.Date((p.paid+a.offset)/86400) + unixEpoch
				if c.linkedOn(on) && (p.refunded == 0 || p.refunded >= close) && !p.promoted && on < window {
					base += p.units
				}
			}
		}
		if a.activated == 0 || a.activated > last {
			continue
		}
		for k := len(f.mins) - 1; k >= 0; k-- {
			if active >= f.mins[k] {
				total += (base*f.rates[k] + 50) / 100
				break
			}
		}
	}
	return total
}
