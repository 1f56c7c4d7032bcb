package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/benefits"
	"github.com/caba1337/referralrules/referral"
)

func init() {
	register(command{
		name:    "evaluate",
		summary: "answer an accountant's activation request on a day, with its email",
		run:     runEvaluate,
	})
}

// request is what evaluate and select share: the flags of a request, and
// the program, data and emails they name.
type request struct {
	accountant, format string
	day                referral.Date
	lang               benefits.Lang
	program            *referralrules.Program
	data               *referral.Dataset
	emails             *benefits.Emails
}

// requestFlags are the flags of a request; call load after the flag set
// is parsed.
type requestFlags struct {
	data, accountant, on, lang, format, rules, emails *string
}

// newRequestFlags declares the flags of a request on fs.
func newRequestFlags(fs *flag.FlagSet) requestFlags {
	return requestFlags{
		data: fs.String("data", "",
			"data folder with accountants.csv, clients.csv and payments.csv (required)"),
		accountant: fs.String("accountant", "", "accountant id (required)"),
		on: fs.String("on", "",
			"local day of the request in the accountant's country, YYYY-MM-DD (required)"),
		lang:   fs.String("lang", "es", "language of the email: es or en"),
		format: fs.String("format", "text", "output: text or json"),
		rules:  fs.String("rules", "", "rules file (default: the embedded rules.yaml)"),
		emails: fs.String("emails", "", "folder of email templates (default: the embedded emails)"),
	}
}

// load checks the flags and loads what they name.
func (f requestFlags) load() (*request, error) {
	if err := checkFormat(*f.format, "text", "json"); err != nil {
		return nil, err
	}
	if *f.accountant == "" {
		return nil, fmt.Errorf("%w: --accountant ID is required", errUsage)
	}
	day, err := referral.ParseDate(*f.on)
	if err != nil {
		return nil, fmt.Errorf("%w: --on: %v", errUsage, err)
	}
	lang, err := benefits.ParseLang(*f.lang)
	if err != nil {
		return nil, fmt.Errorf("%w: --lang: %v", errUsage, err)
	}
	r := &request{accountant: *f.accountant, format: *f.format, day: day, lang: lang}
	if r.program, err = loadProgram(*f.rules); err != nil {
		return nil, err
	}
	if r.emails, err = loadEmails(*f.emails); err != nil {
		return nil, err
	}
	if r.data, err = loadData(*f.data, r.program); err != nil {
		return nil, err
	}
	return r, nil
}

// loadEmails returns the templates of dir, or the embedded ones when dir
// is empty.
func loadEmails(dir string) (*benefits.Emails, error) {
	if dir == "" {
		return referralrules.DefaultEmails(), nil
	}
	return referralrules.LoadEmails(dir)
}

func runEvaluate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("evaluate", "--data DIR --accountant ID --on YYYY-MM-DD [flags]", stderr)
	flags := newRequestFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	r, err := flags.load()
	if err != nil {
		return err
	}
	a, err := r.program.Evaluate(r.data, r.accountant, r.day)
	if err != nil {
		return err
	}
	email, err := r.emails.Answer(a, r.lang)
	if err != nil {
		return err
	}
	if r.format == "json" {
		return writeJSON(stdout, benefits.NewReply(a, email))
	}
	printAnswer(stdout, a)
	printEmail(stdout, email)
	return nil
}

// printAnswer writes the answer and the facts it was decided on.
func printAnswer(w io.Writer, a benefits.Answer) {
	fmt.Fprintf(w, "accountant %s on %s: %s\n", a.AccountantID, a.Day, a.Status)
	switch a.Status {
	case benefits.Approved, benefits.InsufficientReferrals:
		fmt.Fprintf(w, "active paid referrals: %d of %d clients", a.Active, a.Clients.Clients)
		for _, rc := range a.Clients.NotCounted {
			fmt.Fprintf(w, "; %s %d", rc.Reason, rc.Clients)
		}
		fmt.Fprintln(w)
	case benefits.CountryNotInProgram:
		fmt.Fprintf(w, "country %s is not in the program\n", a.CountryCode)
	case benefits.NotRegistered:
		if !a.Listed {
			fmt.Fprintln(w, "the data does not list this accountant")
		}
	}
	if a.Status == benefits.Approved {
		fmt.Fprintf(w, "level %d, rate %s%%, benefits %s\n",
			a.Level.Number, a.Terms.Rate.Shift(2), strings.Join(benefits.IDs(a.Benefits), ", "))
	}
	if a.MissingForFirstLevel > 0 {
		fmt.Fprintf(w, "missing for level 1: %d\n", a.MissingForFirstLevel)
	}
	if a.NextLevel.Number > 0 && a.Status == benefits.Approved {
		fmt.Fprintf(w, "missing for level %d: %d\n", a.NextLevel.Number, a.MissingForNextLevel)
	}
	fmt.Fprintf(w, "rules version %s\n\n", a.RulesVersion)
}

// printEmail writes an email as its subject line and body.
func printEmail(w io.Writer, e benefits.Email) {
	fmt.Fprintf(w, "Subject: %s\n\n%s", e.Subject, e.Body)
}
