package gen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/bench/gen"
	"github.com/caba1337/referralrules/referral"
)

// TestGenerateIsDeterministicAndValid writes the same config twice and
// wants the same bytes, a different seed to give other bytes, and the
// folder to be read by the library without an error, with the sizes asked.
func TestGenerateIsDeterministicAndValid(t *testing.T) {
	cfg := gen.Config{Seed: 7, Accountants: 50, Clients: 900, Payments: 9000}
	a, b, c := write(t, cfg), write(t, cfg), write(t, gen.Config{Seed: 8, Accountants: 50, Clients: 900, Payments: 9000})
	for _, name := range []string{"accountants.csv", "clients.csv", "payments.csv"} {
		x, y, z := read(t, a, name), read(t, b, name), read(t, c, name)
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs of the same config", name)
		}
		if bytes.Equal(x, z) {
			t.Errorf("%s is the same for seeds 7 and 8", name)
		}
	}
	ds, err := referral.ReadDir(a, referralrules.Default())
	if err != nil {
		t.Fatalf("ReadDir(generated): %v", err)
	}
	if len(ds.Accountants()) != cfg.Accountants || len(ds.Clients()) != cfg.Clients || len(ds.Payments()) != cfg.Payments {
		t.Errorf("read %d accountants, %d clients, %d payments, want %d, %d, %d",
			len(ds.Accountants()), len(ds.Clients()), len(ds.Payments()), cfg.Accountants, cfg.Clients, cfg.Payments)
	}
}

// TestDatasetMatchesCSV wants the in-memory dataset to hold the rows the
// CSV files hold.
func TestDatasetMatchesCSV(t *testing.T) {
	cfg := gen.Config{Seed: 3, Accountants: 20, Clients: 300, Payments: 2000}
	p := referralrules.Default()
	mem, err := gen.Dataset(cfg, p)
	if err != nil {
		t.Fatal(err)
	}
	disk, err := referral.ReadDir(write(t, cfg), p)
	if err != nil {
		t.Fatal(err)
	}
	mp, dp := mem.Payments(), disk.Payments()
	if len(mp) != len(dp) {
		t.Fatalf("%d payments in memory, %d on disk", len(mp), len(dp))
	}
	for i := range mp {
		m, d := mp[i], dp[i]
		if m.ID != d.ID || m.ClientID != d.ClientID || !m.PaidAt.Equal(d.PaidAt) || !m.Amount.Equal(d.Amount) ||
			m.PeriodStart != d.PeriodStart || m.PeriodEnd != d.PeriodEnd || m.Currency != d.Currency ||
			m.Promotion != d.Promotion || !m.RefundedAt.Equal(d.RefundedAt) {
			t.Fatalf("payment %d: memory %+v, disk %+v", i, m, d)
		}
	}
}

func write(t *testing.T, cfg gen.Config) string {
	t.Helper()
	dir := t.TempDir()
	w, err := gen.NewCSVWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := gen.Generate(cfg, w); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func read(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
