package bench

import (
	"os"
	"testing"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/referral"
)

// BenchmarkReadDir reads the data folder BENCH_DATA (default: the demo
// data) with referral.ReadDir, and reports payment rows per second. Make a
// large folder with cmd/gen; peak memory is measured on the CLI with GNU
// time (README.md).
func BenchmarkReadDir(b *testing.B) {
	dir := os.Getenv("BENCH_DATA")
	if dir == "" {
		dir = "../examples/data/demo"
	}
	p := referralrules.Default()
	var ds *referral.Dataset
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if ds, err = referral.ReadDir(dir, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(ds.NumPayments())*float64(b.N)/b.Elapsed().Seconds(), "payments/s")
}
