package main

import (
	"fmt"
	"io"

	"github.com/caba1337/referralrules"
)

func init() {
	register(command{
		name:    "referrals",
		summary: "count an accountant's active paid referrals on a day, client by client",
		run:     runReferrals,
	})
}

func runReferrals(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("referrals", "--data DIR --accountant ID --on YYYY-MM-DD [flags]", stderr)
	q := addDayQuestion(fs, "data folder with accountants.csv, clients.csv and payments.csv (required)",
		"local day in the accountant's country, YYYY-MM-DD (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	p, ds, day, err := q.load()
	if err != nil {
		return err
	}
	acc, ok := ds.Accountant(*q.accountant)
	if !ok {
		return fmt.Errorf("accountant %q is not in %s", *q.accountant, *q.data)
	}
	if _, ok := p.Country(acc.Country); !ok {
		return fmt.Errorf("accountant %s is in %s, a country where the program does not run", acc.ID, acc.Country)
	}
	rep, err := p.Referrals(ds, acc.ID, day)
	if err != nil {
		return err
	}
	if *q.format == "json" {
		return writeJSON(stdout, rep)
	}
	return printReferrals(stdout, rep)
}

func printReferrals(w io.Writer, rep referralrules.Referrals) error {
	fmt.Fprintf(w, "accountant %s on %s: %d active paid referrals, level %d\n",
		rep.AccountantID, rep.Day, rep.ActivePaidReferrals, rep.Level)
	if rep.NextLevel > 0 {
		fmt.Fprintf(w, "%d more reach level %d\n", rep.MissingForNextLevel, rep.NextLevel)
	} else {
		fmt.Fprintln(w, "on the highest level")
	}
	fmt.Fprintln(w)
	tw := newTable(w, 0)
	fmt.Fprintln(tw, "client\tcounted\treason\tsince")
	for _, c := range rep.Clients {
		fmt.Fprintf(tw, "%s\t%t\t%s\t%s\n", c.ClientID, c.Counted, c.Reason, c.Since)
	}
	return tw.Flush()
}
