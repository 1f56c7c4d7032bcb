package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/referral"
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
	data := fs.String("data", "", "data folder with accountants.csv, clients.csv and payments.csv (required)")
	accID := fs.String("accountant", "", "accountant id (required)")
	on := fs.String("on", "", "local day in the accountant's country, YYYY-MM-DD (required)")
	rules := fs.String("rules", "", "rules file (default: the embedded rules.yaml)")
	format := fs.String("format", "table", "output: table or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format, "table", "json"); err != nil {
		return err
	}
	if *accID == "" {
		return fmt.Errorf("%w: --accountant ID is required", errUsage)
	}
	day, err := referral.ParseDate(*on)
	if err != nil {
		return fmt.Errorf("%w: --on: %v", errUsage, err)
	}
	p, err := loadProgram(*rules)
	if err != nil {
		return err
	}
	ds, err := loadData(*data, p)
	if err != nil {
		return err
	}
	acc, ok := ds.Accountant(*accID)
	if !ok {
		return fmt.Errorf("accountant %q is not in %s", *accID, *data)
	}
	if _, ok := p.Country(acc.Country); !ok {
		return fmt.Errorf("accountant %s is in %s, a country where the program does not run", acc.ID, acc.Country)
	}
	rep, err := p.Referrals(ds, acc.ID, day)
	if err != nil {
		return err
	}
	if *format == "json" {
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
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "client\tcounted\treason\tsince")
	for _, c := range rep.Clients {
		fmt.Fprintf(tw, "%s\t%t\t%s\t%s\n", c.ClientID, c.Counted, c.Reason, c.Since)
	}
	return tw.Flush()
}
