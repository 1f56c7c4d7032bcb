package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/caba1337/referralrules"
)

func init() {
	register(command{
		name:    "validate",
		summary: "check a rules file (the embedded rules.yaml by default) and summarise it",
		run:     runValidate,
	})
}

// runValidate checks the rules file named by its argument, or the
// embedded default rules, and prints a summary of the program; or prints
// every problem of the file, one per line, and fails.
func runValidate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", "[FILE]", stderr)
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprintln(stderr, "\nWith no FILE, checks the rules embedded in the library.")
		fmt.Fprintln(stderr, "Exits 0 when the rules are valid, 1 listing every problem when not.")
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return fmt.Errorf("%w: one FILE at most, got %d", errUsage, fs.NArg())
	}
	name, p, err := validateLoad(fs.Arg(0))
	var le *referralrules.LoadError
	if errors.As(err, &le) {
		for _, pr := range le.Problems {
			fmt.Fprintln(stderr, pr)
		}
		return fmt.Errorf("%s: %s; the rules were not loaded", name, plural(len(le.Problems), "problem"))
	}
	if err != nil {
		return err
	}
	return printSummary(stdout, name, p)
}

// validateLoad loads the rules at path, or the embedded rules when path is
// empty, and returns the name they are known by.
func validateLoad(path string) (string, *referralrules.Program, error) {
	if path == "" {
		return referralrules.DefaultName + " (embedded)", referralrules.Default(), nil
	}
	p, err := referralrules.Load(path)
	return path, p, err
}

// printSummary writes a one-screen summary of program p.
func printSummary(w io.Writer, name string, p *referralrules.Program) error {
	tw := newTable(w, 0)
	fmt.Fprintf(tw, "%s: valid\n", name)
	fmt.Fprintf(tw, "version\t%s\n", p.Version())
	fmt.Fprintf(tw, "checksum\tsha256:%s\n", p.Checksum())
	summaryVersions(tw, p)
	summaryCountries(tw, p)
	summaryLevels(tw, p)
	summarySettings(tw, p.Settings())
	return tw.Flush()
}

// summaryVersions lists the versions of a file that holds several, with
// the month each comes into force and the checksum statements carry; the
// rest of the summary is of the last one.
func summaryVersions(w io.Writer, p *referralrules.Program) {
	vs := p.Versions()
	if len(vs) < 2 {
		return
	}
	fmt.Fprintln(w, "\nversions\tin force from\tchecksum")
	for _, v := range vs {
		from, _ := v.EffectiveFrom()
		fmt.Fprintf(w, "  %s\t%s\tsha256:%s\n", v.Version(), from, v.Checksum())
	}
	fmt.Fprintf(w, "(below: version %s)\n", p.Version())
}

// summaryCountries lists the countries with their currency and zone.
func summaryCountries(w io.Writer, p *referralrules.Program) {
	fmt.Fprintln(w, "\ncountries\tname\tcurrency\tdecimals\ttime zone")
	for _, c := range p.Countries() {
		name, _ := p.CountryName(c.Code)
		mu, _ := p.MinorUnits(c.Currency)
		fmt.Fprintf(w, "  %s\t%s\t%s\t%d\t%s\n", c.Code, name, c.Currency, mu, c.Location)
	}
}

// summaryLevels lists the levels with their bounds, rate and benefits.
func summaryLevels(w io.Writer, p *referralrules.Program) {
	fmt.Fprintln(w, "\nlevels\treferrals\trate\tbenefits")
	cat := p.Benefits()
	for _, l := range p.Levels().Levels() {
		bounds := fmt.Sprintf("%d to %d", l.Min, l.Max)
		if l.Max == 0 {
			bounds = fmt.Sprintf("%d or more", l.Min)
		}
		n := len(cat.ForLevel(l.Number))
		fmt.Fprintf(w, "  %d\t%s\t%s%%\t%d\n", l.Number, bounds, l.Rate.Shift(2), n)
	}
}

// summarySettings lists the settings by their names in rules.yaml.
func summarySettings(w io.Writer, s referralrules.Settings) {
	fmt.Fprintln(w, "\nsettings")
	fmt.Fprintf(w, "  grace_days\t%d\n", s.GraceDays)
	fmt.Fprintf(w, "  window_months\t%d\n", s.WindowMonths)
	fmt.Fprintf(w, "  payout_delay_months\t%d\n", s.PayoutDelayMonths)
	fmt.Fprintf(w, "  rounding\t%s\n", s.Rounding)
	fmt.Fprintf(w, "  exclude_promoted_sales\t%t\n", s.ExcludePromotedSales)
	fmt.Fprintf(w, "  require_activation\t%t\n", s.RequireActivation)
	fmt.Fprintf(w, "  payout\t%s\n", s.Payout)
}

// plural returns "1 problem" or "n problems".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
