package referral_test

import (
	"testing"
	"time"

	"github.com/caba1337/referralrules/referral"
)

// benchCount keeps the result of the counting benchmarks.
var benchCount int

// twoDigits gives every currency two minor digits, enough to read the demo.
type twoDigits struct{}

func (twoDigits) MinorUnits(string) (int, bool) { return 2, true }

// BenchmarkCountActiveDemo counts the active paid referrals of every
// accountant of the demo data on one day (D2), with each client's status.
func BenchmarkCountActiveDemo(b *testing.B) {
	ds, err := referral.ReadDir("../examples/data/demo", twoDigits{})
	if err != nil {
		b.Fatal(err)
	}
	loc, err := time.LoadLocation("America/Bogota")
	if err != nil {
		b.Fatal(err)
	}
	cv := referral.Coverage{Location: loc}
	day := referral.NewDate(2026, time.November, 30)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, acc := range ds.Accountants() {
			n += ds.CountActive(acc.ID, day, cv).Active
		}
		benchCount = n
	}
}

// BenchmarkActiveDemo asks Coverage.Active for every client of the demo
// data on one day: the count alone, without statuses.
func BenchmarkActiveDemo(b *testing.B) {
	ds, err := referral.ReadDir("../examples/data/demo", twoDigits{})
	if err != nil {
		b.Fatal(err)
	}
	loc, err := time.LoadLocation("America/Bogota")
	if err != nil {
		b.Fatal(err)
	}
	cv := referral.Coverage{Location: loc}
	day := referral.NewDate(2026, time.November, 30)
	clients := ds.Clients()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for i := range clients {
			if cv.Active(&clients[i], ds.PaymentsOf(clients[i].ID), day) {
				n++
			}
		}
		benchCount = n
	}
}
