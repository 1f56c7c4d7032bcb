package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

func init() {
	register(command{
		name:    "statements",
		summary: "compute the monthly commission statements of a data folder",
		run:     runStatements,
	})
}

func runStatements(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("statements", "--data DIR --from YYYY-MM --to YYYY-MM [flags]", stderr)
	data := fs.String("data", "", "data folder with accountants.csv, clients.csv and payments.csv (required)")
	fromS := fs.String("from", "", "first month, YYYY-MM (required)")
	toS := fs.String("to", "", "last month, YYYY-MM (required; defaults to --from)")
	rules := fs.String("rules", "", "rules file (default: the embedded rules.yaml)")
	out := fs.String("out", "", "write statements.csv and lines.csv to this folder instead of printing")
	format := fs.String("format", "table", "output when printing: table, csv (statements only) or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format, "table", "csv", "json"); err != nil {
		return err
	}
	from, to, err := monthRange(*fromS, *toS)
	if err != nil {
		return err
	}
	p, err := loadProgram(*rules)
	if err != nil {
		return err
	}
	ds, err := loadData(*data, p)
	if err != nil {
		return err
	}
	rs := p.Rules()
	sts, err := commission.Compute(&rs, ds, from, to)
	if err != nil {
		return err
	}
	switch {
	case *out != "":
		err = writeFilesAtomically(*out, []string{"statements.csv", "lines.csv"}, func(ws []io.Writer) error {
			return commission.WriteCSV(ws[0], ws[1], sts)
		})
		if err == nil {
			fmt.Fprintf(stderr, "wrote %d statements to %s\n", len(sts), *out)
		}
		return err
	case *format == "json":
		return writeJSON(stdout, sts)
	case *format == "csv":
		return commission.WriteCSV(stdout, io.Discard, sts)
	}
	return printStatements(stdout, sts)
}

// monthRange parses --from and --to; an empty --to means --from.
func monthRange(fromS, toS string) (from, to referral.Month, err error) {
	if fromS == "" {
		return 0, 0, fmt.Errorf("%w: --from YYYY-MM is required", errUsage)
	}
	if toS == "" {
		toS = fromS
	}
	if from, err = referral.ParseMonth(fromS); err != nil {
		return 0, 0, fmt.Errorf("%w: --from: %v", errUsage, err)
	}
	if to, err = referral.ParseMonth(toS); err != nil {
		return 0, 0, fmt.Errorf("%w: --to: %v", errUsage, err)
	}
	if to < from {
		return 0, 0, fmt.Errorf("%w: --to %s is before --from %s", errUsage, to, from)
	}
	return from, to, nil
}

// printStatements writes one row per statement, then the totals of each
// currency.
func printStatements(w io.Writer, sts []commission.Statement) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "accountant\tmonth\tcurrency\tlevel\treferrals\trate\tbase\tcommission\tadjustments\tnet\tpayable\treason\t")
	type total struct {
		n, digits                          int
		base, commission, adjustments, net decimal.Decimal
	}
	totals := map[string]*total{}
	for _, st := range sts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s%%\t%s\t%s\t%s\t%s\t%s\t%s\t\n",
			st.AccountantID, st.Month, st.Currency, st.Level, st.ActivePaidReferrals,
			st.Rate.Shift(2).String(), fixed(st.Base, st.Digits), fixed(st.Commission, st.Digits),
			fixed(st.Adjustments, st.Digits), fixed(st.Net, st.Digits), st.PayableMonth, st.Reason)
		t := totals[st.Currency]
		if t == nil {
			t = &total{digits: st.Digits}
			totals[st.Currency] = t
		}
		t.n++
		t.base = t.base.Add(st.Base)
		t.commission = t.commission.Add(st.Commission)
		t.adjustments = t.adjustments.Add(st.Adjustments)
		t.net = t.net.Add(st.Net)
	}
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t\t\t\t\t")
	fmt.Fprintln(tw, "totals\tstatements\tcurrency\t\t\t\tbase\tcommission\tadjustments\tnet\t\t\t")
	curs := make([]string, 0, len(totals))
	for c := range totals {
		curs = append(curs, c)
	}
	slices.Sort(curs)
	for _, c := range curs {
		t := totals[c]
		fmt.Fprintf(tw, "\t%s\t%s\t\t\t\t%s\t%s\t%s\t%s\t\t\t\n", strconv.Itoa(t.n), c,
			fixed(t.base, t.digits), fixed(t.commission, t.digits),
			fixed(t.adjustments, t.digits), fixed(t.net, t.digits))
	}
	return tw.Flush()
}

func fixed(d decimal.Decimal, digits int) string { return d.StringFixed(int32(digits)) }
