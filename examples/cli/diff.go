package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/caba1337/referralrules"
	"github.com/shopspring/decimal"
)

func init() {
	register(command{
		name:    "diff",
		summary: "show who wins and who loses when one rules file replaces another",
		run:     runDiff,
	})
}

// runDiff compares the statements of a data folder under two rules files
// and prints what changes: the rules themselves in plain words, one row per
// statement that changes, and totals per country and currency.
func runDiff(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("diff", "OLD.yaml NEW.yaml --data DIR --from YYYY-MM --to YYYY-MM [flags]", stderr)
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprintln(stderr, "\nEach month is computed under the version of each file in force then.")
		fmt.Fprintln(stderr, "Flags may come before or after the two files.")
	}
	data := fs.String("data", "", "data folder with accountants.csv, clients.csv and payments.csv (required)")
	fromS := fs.String("from", "", "first month, YYYY-MM (required)")
	toS := fs.String("to", "", "last month, YYYY-MM (defaults to --from)")
	format := fs.String("format", "table", "output: table, csv (rows only) or json")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 2 {
		return fmt.Errorf("%w: want two rules files, OLD.yaml and NEW.yaml, got %d", errUsage, len(files))
	}
	if err := checkFormat(*format, "table", "csv", "json"); err != nil {
		return err
	}
	from, to, err := monthRange(*fromS, *toS)
	if err != nil {
		return err
	}
	oldP, err := referralrules.Load(files[0])
	if err != nil {
		return err
	}
	newP, err := referralrules.Load(files[1])
	if err != nil {
		return err
	}
	// The data is checked against the new rules' currencies: those are the
	// ones it must suit from now on.
	ds, err := loadData(*data, newP)
	if err != nil {
		return err
	}
	r, err := referralrules.Diff(oldP, newP, ds, from, to)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		return writeJSON(stdout, r)
	case "csv":
		return r.WriteCSV(stdout)
	}
	return printDiff(stdout, files[0], files[1], r)
}

// parseInterspersed parses the flags of args into fs wherever they come
// among the positional arguments, which it returns in order. Everything
// after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		rest := fs.Args()
		if k := len(args) - len(rest); k > 0 && args[k-1] == "--" {
			return append(pos, rest...), nil // Parse stopped at "--"
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// printDiff writes the report as a product manager reads it.
func printDiff(w io.Writer, oldName, newName string, r *referralrules.Report) error {
	fmt.Fprintf(w, "%s → %s, %s to %s\n", oldName, newName, r.From, r.To)
	if len(r.Rules) == 0 && len(r.Rows) == 0 {
		fmt.Fprintln(w, "\nNo change: the two files give the same statements.")
		return nil
	}
	fmt.Fprintln(w, "\nWhat changes in the rules:")
	if len(r.Rules) == 0 {
		fmt.Fprintln(w, "  nothing over these months")
	}
	for _, c := range r.Rules {
		fmt.Fprintf(w, "  %s:\n", months(c.From, c.To))
		for _, l := range c.Lines {
			fmt.Fprintf(w, "    - %s\n", l)
		}
	}
	if len(r.Rows) == 0 {
		fmt.Fprintln(w, "\nNo statement changes.")
		return nil
	}
	fmt.Fprintf(w, "\nStatements that change (%d):\n", len(r.Rows))
	tw := newTable(w, tabwriter.AlignRight)
	fmt.Fprintln(tw, "accountant\tcountry\tmonth\tcurrency\tchange\tlevel\told commission\tnew commission\told net\tnew net\tdifference\tbenefits\t")
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d → %d\t%s\t%s\t%s\t%s\t%s\t%s\t\n",
			row.AccountantID, row.Country, row.Month, row.Currency, row.Change, row.OldLevel, row.NewLevel,
			fixed(row.OldCommission, row.Digits), fixed(row.NewCommission, row.Digits),
			fixed(row.OldNet, row.Digits), fixed(row.NewNet, row.Digits),
			signed(row.Difference, row.Digits), benefitChanges(row.BenefitsGained, row.BenefitsLost))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nTotals:")
	tw = newTable(w, tabwriter.AlignRight)
	fmt.Fprintln(tw, "country\tcurrency\taccountants\tup\tdown\tnet\t")
	for _, t := range r.Totals {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t\n", t.Country, t.Currency, t.Accountants,
			signed(t.Up, t.Digits), signed(t.Down, t.Digits), signed(t.Net, t.Digits))
	}
	return tw.Flush()
}

// months writes a run of months: "2026-06" or "2026-06 to 2026-11".
func months(from, to fmt.Stringer) string {
	if from.String() == to.String() {
		return from.String()
	}
	return from.String() + " to " + to.String()
}

// signed writes an amount with its sign, "+6.00" or "-25.00"; zero has none.
func signed(d decimal.Decimal, digits int) string {
	if d.IsPositive() {
		return "+" + fixed(d, digits)
	}
	return fixed(d, digits)
}

// benefitChanges writes the benefits gained and lost: "+a +b -c".
func benefitChanges(gained, lost []string) string {
	var parts []string
	for _, id := range gained {
		parts = append(parts, "+"+id)
	}
	for _, id := range lost {
		parts = append(parts, "-"+id)
	}
	return strings.Join(parts, " ")
}
