package main

import (
	"fmt"
	"io"

	"github.com/caba1337/referralrules/commission"
)

func init() {
	register(command{
		name:    "credit",
		summary: "an accountant's service credit on a day, per currency, and its movements",
		run:     runCredit,
	})
}

func runCredit(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("credit", "--data DIR --accountant ID --on YYYY-MM-DD [flags]", stderr)
	q := addDayQuestion(fs, "data folder with accountants.csv, clients.csv, payments.csv and, "+
		"optionally, redemptions.csv (required)",
		"local day in the accountant's country, YYYY-MM-DD; the balance is the one at its close (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	p, ds, day, err := q.load()
	if err != nil {
		return err
	}
	b, err := p.Balance(ds, *q.accountant, day)
	if err != nil {
		return err
	}
	if *q.format == "json" {
		return writeJSON(stdout, b)
	}
	return printCredit(stdout, b)
}

func printCredit(w io.Writer, b *commission.Balance) error {
	fmt.Fprintf(w, "service credit of accountant %s at the close of %s\n\n", b.AccountantID, b.Day)
	tw := newTable(w, 0)
	fmt.Fprintln(tw, "currency\tbalance")
	for _, c := range b.Credits {
		fmt.Fprintf(tw, "%s\t%s\n", c.Currency, c.Amount.StringFixed(int32(c.Digits)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(b.Movements) == 0 {
		fmt.Fprintln(w, "\nno movements")
		return nil
	}
	fmt.Fprintln(w, "\nmovements, oldest first:")
	tw = newTable(w, 0)
	fmt.Fprintln(tw, "day\tkind\tcurrency\tamount\tbalance\tstatement month\tredemption\treference")
	for _, mv := range b.Movements {
		month := ""
		if mv.Kind == commission.Credited {
			month = mv.Month.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", mv.Day, mv.Kind, mv.Currency,
			mv.Amount.StringFixed(int32(mv.Digits)), mv.Balance.StringFixed(int32(mv.Digits)),
			month, mv.RedemptionID, mv.Reference)
	}
	return tw.Flush()
}
