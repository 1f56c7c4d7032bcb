// Command gen writes a deterministic synthetic data folder of the referral
// program (accountants.csv, clients.csv, payments.csv) in the shapes of the
// demo data:
//
//	go run ./cmd/gen -seed 1 -accountants 1000000 -clients 20000000 -payments 20000000 -out /tmp/big
//
// The same flags always write the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/caba1337/referralrules/bench/gen"
)

func main() {
	var cfg gen.Config
	flag.Uint64Var(&cfg.Seed, "seed", 1, "random seed")
	flag.IntVar(&cfg.Accountants, "accountants", 60, "number of accountants")
	flag.IntVar(&cfg.Clients, "clients", 1200, "number of clients")
	flag.IntVar(&cfg.Payments, "payments", 14000, "number of payments")
	out := flag.String("out", "", "folder to write the three CSV files to (created if missing; required)")
	flag.Parse()
	if *out == "" || cfg.Accountants < 0 || cfg.Clients < 0 || cfg.Payments < 0 ||
		(cfg.Accountants == 0 && cfg.Clients > 0) || (cfg.Clients == 0 && cfg.Payments > 0) {
		fmt.Fprintln(os.Stderr, "gen: -out is required; clients need accountants and payments need clients")
		flag.Usage()
		os.Exit(2)
	}
	if err := run(cfg, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(cfg gen.Config, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	w, err := gen.NewCSVWriter(dir)
	if err != nil {
		return err
	}
	if err := gen.Generate(cfg, w); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
