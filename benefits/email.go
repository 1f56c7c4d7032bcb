package benefits

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

// Email is one email to an accountant, in one language.
type Email struct {
	Lang    Lang   `json:"lang"`
	Subject string `json:"subject"` // one line
	Body    string `json:"body"`    // plain text, ending in a newline
}

// ActivationEmail names the templates of the email that confirms a
// selection; the templates of answers are named by their Status.
const ActivationEmail = "activation"

// EmailKinds returns the names of every email, the answers' statuses
// first and ActivationEmail last.
func EmailKinds() []string {
	out := make([]string, 0, 5)
	for _, s := range Statuses() {
		out = append(out, string(s))
	}
	return append(out, ActivationEmail)
}

// EmailFile returns the name of the template file of the email kind in
// lang, such as "approved.es.tmpl".
func EmailFile(kind string, lang Lang) string { return kind + "." + string(lang) + ".tmpl" }

// EmailData is the data every email template executes on: the facts of the
// answer or activation, with amounts, rates and dates already written the
// way the accountant's country and language write them. Fields that do
// not apply to an email keep their zero value.
type EmailData struct {
	Lang         Lang   // "es" or "en"
	Kind         string // the answer's Status, or ActivationEmail
	AccountantID string
	CountryCode  string // as the data has it, such as "CO" or "MX"
	CountryName  string // in the email's language; "" outside the program
	Day          string // the day of the request, such as "3 de diciembre de 2026"
	RulesVersion string

	Active               int // active paid referrals on Day
	MissingForFirstLevel int
	Level                int
	Rate                 string // the level's rate, such as "15%"
	NextLevel            int    // 0 on the last level
	MissingForNextLevel  int
	// Benefits are the level's benefits in an approval, the selected ones
	// in an activation.
	Benefits []BenefitLine
	// Recoverable are the clients that would count again if they paid.
	Recoverable []ClientLine
	Terms       TermsLine

	locale Locale
	digits int
	rate   decimal.Decimal
}

// BenefitLine is a benefit as an email shows it.
type BenefitLine struct {
	ID       string
	Category string
	Text     string // in the email's language
}

// ClientLine is a client that does not count, as an email shows it.
type ClientLine struct {
	ID     string
	Reason string // a referral.Reason: "lapsed" or "refunded"
	Since  string // the first day it stopped counting, written out; may be ""
}

// TermsLine are the terms of a level as an email shows them.
type TermsLine struct {
	Currency          string // ISO 4217, such as "COP"
	Payout            string // such as "service_credit"
	PayoutDelayMonths int
	FirstPayableMonth string // such as "enero de 2027"
	WindowMonths      int
	GraceDays         int
	RequireActivation bool
}

// Example is an illustration of a level's rate on an amount of sales.
type Example struct {
	Sales      string // such as "$ 1.000.000,00"
	Commission string // such as "$ 150.000,00"
}

// Example illustrates the rate on sales, an amount in the accountant's
// home currency written as a plain decimal ("1000000"): in a template,
// {{with .Example "1000000"}}{{.Sales}} … {{.Commission}}{{end}}. The
// commission is rounded half up to the currency's minor units; it is an
// illustration, not a statement.
func (d EmailData) Example(sales string) (Example, error) {
	amount, err := decimal.NewFromString(sales)
	if err != nil {
		return Example{}, fmt.Errorf("example sales %q is not a decimal amount", sales)
	}
	commission := d.rate.Mul(amount).Round(int32(d.digits))
	return Example{Sales: d.money(amount), Commission: d.money(commission)}, nil
}

// Money writes amount, a plain decimal such as "1234567.89", in the
// accountant's home currency the way its country writes it:
// {{.Money "1234567.89"}} is "$ 1.234.567,89" in Colombia.
func (d EmailData) Money(amount string) (string, error) {
	v, err := decimal.NewFromString(amount)
	if err != nil {
		return "", fmt.Errorf("amount %q is not a decimal number", amount)
	}
	return d.money(v), nil
}

func (d EmailData) money(v decimal.Decimal) string {
	return d.locale.Money(v, d.Terms.Currency, d.digits)
}

// Sentinel errors of ParseEmails, each wrapped in a *TemplateError.
var (
	ErrTemplateSyntax  = errors.New("template does not parse")
	ErrTemplateField   = errors.New("template names an unknown field")
	ErrTemplateExec    = errors.New("template fails on sample data")
	ErrTemplateMissing = errors.New("template missing")
	ErrTemplateExtra   = errors.New("unexpected template")
)

// TemplateError is one problem of an email template file, at the place it
// was found.
type TemplateError struct {
	File   string // the file's path, as ParseEmails was told
	Line   int    // 1-based; 0 when the problem concerns the whole file
	Column int    // 1-based; 0 when unknown
	Msg    string // what is wrong, for the person editing the file
	Err    error  // the sentinel this problem is a case of
}

// Error returns the problem as "file:line:column: what is wrong".
func (e *TemplateError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
		if e.Column > 0 {
			loc += ":" + strconv.Itoa(e.Column)
		}
	}
	return loc + ": " + e.Msg
}

// Unwrap returns the sentinel e is a case of.
func (e *TemplateError) Unwrap() error { return e.Err }

// TemplateErrors are every problem ParseEmails found, by file and line.
type TemplateErrors []*TemplateError

// Error returns the problems one per line.
func (es TemplateErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, so that errors.Is and errors.As look into
// every one.
func (es TemplateErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Emails are the checked templates of every email in every language. They
// are immutable and safe for concurrent use. Get them from ParseEmails;
// the zero Emails has no templates: rendering with it fails with
// ErrTemplateMissing.
type Emails struct {
	files map[string]*template.Template // by file name
}

// ParseEmails reads and checks the email templates of fsys: one file per
// email kind (EmailKinds) and language (Langs), named by EmailFile, such as
// "approved.es.tmpl", each defining a template "subject" and a template
// "body":
//
//	{{define "subject"}}Level {{.Level}}{{end}}
//	{{define "body"}}Hello {{.AccountantID}}, ...{{end}}
//
// dir prefixes the file names in errors. Every problem is reported, as
// TemplateErrors, with its file and line: a file missing or not expected,
// a template that does not parse, lacks "subject" or "body", or names a
// field or method EmailData does not have (checked in every branch, and by
// executing against sample data with missingkey=error).
func ParseEmails(fsys fs.FS, dir string) (*Emails, error) {
	e := &Emails{files: map[string]*template.Template{}}
	var errs TemplateErrors
	want := map[string]bool{}
	for _, kind := range EmailKinds() {
		for _, lang := range Langs() {
			name := EmailFile(kind, lang)
			want[name] = true
			t, problems := parseEmail(fsys, dir, name, lang)
			errs = append(errs, problems...)
			e.files[name] = t
		}
	}
	extra, _ := fs.Glob(fsys, "*.tmpl")
	for _, name := range extra {
		if !want[name] {
			errs = append(errs, &TemplateError{File: path.Join(dir, name), Err: ErrTemplateExtra,
				Msg: "no email has this name; email templates are named <kind>.<lang>.tmpl " +
					"with kind one of " + strings.Join(EmailKinds(), ", ") + " and lang es or en"})
		}
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *TemplateError) int {
			if a.File != b.File {
				return strings.Compare(a.File, b.File)
			}
			return a.Line - b.Line
		})
		return nil, errs
	}
	return e, nil
}

// parseEmail reads, parses and checks one template file.
func parseEmail(fsys fs.FS, dir, name string, lang Lang) (*template.Template, []*TemplateError) {
	file := path.Join(dir, name)
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		why := strings.TrimPrefix(err.Error(), "open "+name+": ")
		return nil, []*TemplateError{{File: file, Err: ErrTemplateMissing,
			Msg: "cannot read the template: " + why}}
	}
	t, err := template.New(name).Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, []*TemplateError{positioned(file, name, err.Error(), ErrTemplateSyntax)}
	}
	var errs []*TemplateError
	for _, part := range []string{"subject", "body"} {
		if t.Lookup(part) == nil {
			errs = append(errs, &TemplateError{File: file, Err: ErrTemplateMissing,
				Msg: fmt.Sprintf(`no {{define %q}}: each file defines "subject" and "body"`, part)})
			continue
		}
		for _, p := range checkFields(t, part, reflect.TypeFor[EmailData]()) {
			loc, _ := p.tree.ErrorContext(p.node)
			errs = append(errs, positioned(file, name, "template: "+loc+": "+p.msg, ErrTemplateField))
		}
	}
	errs = append(errs, outsideDefines(file, t)...)
	if len(errs) > 0 {
		return nil, errs
	}

	// Every field exists; executing on sample data catches the rest, such
	// as a method called with the wrong arguments.
	if _, err := render(t, sampleData(lang)); err != nil {
		return nil, []*TemplateError{positioned(file, name, err.Error(), ErrTemplateExec)}
	}
	return t, nil
}

// outsideDefines reports text outside {{define}} blocks, which no email
// would ever show.
func outsideDefines(file string, t *template.Template) []*TemplateError {
	if t.Tree == nil {
		return nil
	}
	for _, n := range t.Tree.Root.Nodes {
		if tn, ok := n.(*parse.TextNode); ok && len(bytes.TrimSpace(tn.Text)) == 0 {
			continue
		}
		if n.Type() == parse.NodeComment {
			continue
		}
		loc, _ := t.Tree.ErrorContext(n)
		msg := `text outside {{define "subject"}} and {{define "body"}} is never sent`
		return []*TemplateError{positioned(file, t.Name(), "template: "+loc+": "+msg, ErrTemplateSyntax)}
	}
	return nil
}

// positioned turns a text/template message, "template: name:line:col:
// what" or "template: name:line: what", into a TemplateError of file.
func positioned(file, name, msg string, kind error) *TemplateError {
	te := &TemplateError{File: file, Err: kind, Msg: msg}
	rest, ok := strings.CutPrefix(msg, "template: "+name+":")
	if !ok {
		return te
	}
	nums := 0
	for nums < 2 {
		head, tail, found := strings.Cut(rest, ":")
		n, err := strconv.Atoi(head)
		if !found || err != nil {
			break
		}
		if nums == 0 {
			te.Line = n
		} else {
			te.Column = n
		}
		rest, nums = tail, nums+1
	}
	te.Msg = strings.TrimSpace(rest)
	return te
}

// render executes the subject and body of t on data.
func render(t *template.Template, data EmailData) (Email, error) {
	var subject, body bytes.Buffer
	if err := t.ExecuteTemplate(&subject, "subject", data); err != nil {
		return Email{}, err
	}
	if err := t.ExecuteTemplate(&body, "body", data); err != nil {
		return Email{}, err
	}
	return Email{
		Lang:    data.Lang,
		Subject: strings.Join(strings.Fields(subject.String()), " "),
		Body:    strings.TrimSpace(body.String()) + "\n",
	}, nil
}

// Answer returns the email of answer a in lang.
func (e *Emails) Answer(a Answer, lang Lang) (Email, error) {
	return e.execute(string(a.Status), answerData(a, lang))
}

// Activation returns the email that confirms activation act in lang.
func (e *Emails) Activation(act Activation, lang Lang) (Email, error) {
	return e.execute(ActivationEmail, activationData(act, lang))
}

// execute renders the email kind with data.
func (e *Emails) execute(kind string, data EmailData) (Email, error) {
	name := EmailFile(kind, data.Lang)
	t := e.files[name]
	if t == nil {
		return Email{}, fmt.Errorf("no email template %s: %w", name, ErrTemplateMissing)
	}
	return render(t, data)
}

// answerData writes out the facts of a in lang.
func answerData(a Answer, lang Lang) EmailData {
	d := EmailData{
		Lang: lang, Kind: string(a.Status), AccountantID: a.AccountantID,
		CountryCode: a.CountryCode, CountryName: CountryName(a.Country, lang),
		Day: FormatDate(a.Day, lang), RulesVersion: a.RulesVersion,
		Active: a.Active, MissingForFirstLevel: a.MissingForFirstLevel,
		Level: a.Level.Number, NextLevel: a.NextLevel.Number, MissingForNextLevel: a.MissingForNextLevel,
		Benefits: benefitLines(a.Benefits, lang),
	}
	for _, st := range a.Recoverable {
		d.Recoverable = append(d.Recoverable,
			ClientLine{ID: st.ClientID, Reason: string(st.Reason), Since: FormatDate(st.Since, lang)})
	}
	d.withTerms(a.Country, a.Level.Number, a.Terms, lang)
	return d
}

// activationData writes out the facts of act in lang.
func activationData(act Activation, lang Lang) EmailData {
	d := EmailData{
		Lang: lang, Kind: ActivationEmail, AccountantID: act.AccountantID,
		CountryCode: act.Country.Code, CountryName: CountryName(act.Country, lang),
		Day: FormatDate(act.Day, lang), RulesVersion: act.RulesVersion,
		Level: act.Level.Number, Benefits: benefitLines(act.Benefits, lang),
	}
	d.withTerms(act.Country, act.Level.Number, act.Terms, lang)
	return d
}

// withTerms writes out the terms of a level; nothing without a level.
func (d *EmailData) withTerms(c Country, level int, t Terms, lang Lang) {
	d.locale, d.digits, d.Terms.Currency = LocaleOf(c.Code), c.MinorUnits, c.Currency
	if level == 0 {
		return
	}
	d.rate = t.Rate
	d.Rate = d.locale.Percent(t.Rate)
	d.Terms = TermsLine{
		Currency: t.Currency, Payout: t.Payout, PayoutDelayMonths: t.PayoutDelayMonths,
		FirstPayableMonth: FormatMonth(t.FirstPayableMonth, lang),
		WindowMonths:      t.WindowMonths, GraceDays: t.GraceDays, RequireActivation: t.RequireActivation,
	}
}

// benefitLines writes out benefits in lang.
func benefitLines(bs []Benefit, lang Lang) []BenefitLine {
	out := make([]BenefitLine, len(bs))
	for i, b := range bs {
		out[i] = BenefitLine{ID: b.ID, Category: b.Category, Text: b.Text(lang)}
	}
	return out
}

// sampleData is the data templates are executed on at load: every field
// set and every list with two items, so that ranges run their bodies.
func sampleData(lang Lang) EmailData {
	day := referral.NewDate(2026, 12, 3)
	co := Country{Code: "CO", Name: "Colombia", Currency: "COP", MinorUnits: 2}
	b := Benefit{ID: "sample", Category: "support", Spanish: "muestra", English: "sample"}
	a := Answer{
		Status: Approved, AccountantID: "a-sample", Day: day, RulesVersion: "sample",
		Listed: true, Registered: true, CountryCode: "CO", Country: co,
		Active: 9, MissingForFirstLevel: 1, MissingForNextLevel: 4,
		Recoverable: []referral.ClientStatus{
			{ClientID: "c-1", Reason: referral.Lapsed, Since: day - 3},
			{ClientID: "c-2", Reason: referral.Refunded},
		},
		Benefits: []Benefit{b, b},
		Terms: Terms{Rate: decimal.RequireFromString("0.15"), Currency: "COP", Payout: "service_credit",
			PayoutDelayMonths: 1, FirstPayableMonth: day.Month().Add(1), WindowMonths: 12},
	}
	a.Level.Number, a.NextLevel.Number = 2, 3
	return answerData(a, lang)
}
