package referralrules_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/benefits"
	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update rewrites the golden files of the emails instead of comparing:
// go test -run TestEmailsGolden -update
var update = flag.Bool("update", false, "rewrite testdata/emails/*.golden")

// emailDay is the day of every request in the email tests.
var emailDay = referral.NewDate(2026, 12, 3)

// emailData holds one accountant per case of the golden emails. Each
// accountant has n clients paid up for December 2026, and the
// insufficient one also a lapsed client (its November period ended on
// 2026-11-30) and a refunded one.
func emailData(t *testing.T) *referral.Dataset {
	t.Helper()
	var accs []referral.Accountant
	var clients []referral.Client
	var pays []referral.Payment
	add := func(id, country string, registered bool, n int, currency string) {
		accs = append(accs, referral.Accountant{ID: id, Country: country, Registered: registered})
		for i := range n + 2 {
			cid := fmt.Sprintf("%s-c%02d", id, i+1)
			start, end := referral.NewDate(2026, 12, 1), referral.NewDate(2026, 12, 31)
			var refunded time.Time
			switch i {
			case n: // lapsed since 2026-12-01
				start, end = referral.NewDate(2026, 11, 1), referral.NewDate(2026, 11, 30)
			case n + 1:
				refunded = time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
			}
			y, m, d := start.Civil()
			clients = append(clients, referral.Client{ID: cid, AccountantID: id, LinkedOn: referral.NewDate(2026, 1, 1)})
			pays = append(pays, referral.Payment{ID: "p-" + cid, ClientID: cid,
				PaidAt: time.Date(y, m, d, 15, 0, 0, 0, time.UTC), PeriodStart: start, PeriodEnd: end,
				Amount: decimal.RequireFromString("50.00"), Currency: currency, RefundedAt: refunded})
		}
	}
	add("co-level1", "CO", true, 5, "COP")
	add("do-level2", "DO", true, 9, "DOP")
	add("pa-level3", "PA", true, 13, "USD")
	add("cr-level4", "CR", true, 26, "CRC")
	add("co-few", "CO", true, 3, "COP")
	add("mx-any", "MX", true, 7, "USD")
	add("co-unregistered", "CO", false, 7, "COP")
	ds, err := referral.New(accs, clients, pays, referralrules.Default())
	require.NoError(t, err)
	return ds
}

// TestEmailsGolden renders every email of the default templates, in both
// languages, and compares it with testdata/emails/<case>.<lang>.golden.
func TestEmailsGolden(t *testing.T) {
	p, ds, emails := referralrules.Default(), emailData(t), referralrules.DefaultEmails()
	cases := []struct {
		name, accountant string
		status           benefits.Status
		selection        []string // for the activation email
	}{
		{"approved_co_level1", "co-level1", benefits.Approved, nil},
		{"approved_do_level2", "do-level2", benefits.Approved, nil},
		{"approved_pa_level3", "pa-level3", benefits.Approved, nil},
		{"approved_cr_level4", "cr-level4", benefits.Approved, nil},
		{"insufficient_referrals", "co-few", benefits.InsufficientReferrals, nil},
		{"country_not_in_program", "mx-any", benefits.CountryNotInProgram, nil},
		{"not_registered", "co-unregistered", benefits.NotRegistered, nil},
		{"not_registered_unlisted", "nobody", benefits.NotRegistered, nil},
		{"activation_pa_level3", "pa-level3", benefits.Approved, []string{"workspace", "support_dedicated"}},
		{"activation_cr_level4", "cr-level4", benefits.Approved, []string{"events_vip"}},
	}
	for _, c := range cases {
		for _, lang := range benefits.Langs() {
			t.Run(c.name+"."+string(lang), func(t *testing.T) {
				a, err := p.Evaluate(ds, c.accountant, emailDay)
				require.NoError(t, err)
				require.Equal(t, c.status, a.Status)
				var email benefits.Email
				if c.selection != nil {
					act, err := p.Select(a, c.selection)
					require.NoError(t, err)
					email, err = emails.Activation(act, lang)
					require.NoError(t, err)
				} else {
					email, err = emails.Answer(a, lang)
					require.NoError(t, err)
				}
				assert.Equal(t, lang, email.Lang)
				assert.NotContains(t, email.Subject, "\n")
				golden(t, filepath.Join("testdata", "emails", c.name+"."+string(lang)+".golden"),
					"Subject: "+email.Subject+"\n\n"+email.Body)
			})
		}
	}
}

// golden compares got with the file at path, or writes it there with
// -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -run TestEmailsGolden -update to create it")
	assert.Equal(t, string(want), got, "%s differs; review, then refresh with -update", path)
}

func TestLoadEmailsDefaultFolder(t *testing.T) {
	e, err := referralrules.LoadEmails("emails")
	require.NoError(t, err)
	require.NotNil(t, e)
}

// brokenEmails copies the default templates into a new folder, replaces
// or adds the given files (an empty text removes the file), and loads it.
func brokenEmails(t *testing.T, files map[string]string) error {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir("emails")
	require.NoError(t, err)
	for _, e := range entries {
		src, err := os.ReadFile(filepath.Join("emails", e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, e.Name()), src, 0o644))
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if text == "" {
			require.NoError(t, os.Remove(path))
			continue
		}
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	}
	e, err := referralrules.LoadEmails(dir)
	if err == nil {
		assert.NotNil(t, e)
		return nil
	}
	assert.Nil(t, e)
	return err
}

func TestLoadEmailsBroken(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  error
		file  string
		line  int
		msg   string
	}{
		{"parse error", map[string]string{"approved.es.tmpl": "{{define \"subject\"}}x{{end}}\n\n{{define \"body\"}}\nHola {{.AccountantID}\n{{end}}\n"},
			benefits.ErrTemplateSyntax, "approved.es.tmpl", 4, "bad character"},
		{"unknown field in a branch the sample data does not take", map[string]string{
			"not_registered.en.tmpl": "{{define \"subject\"}}Hi{{end}}\n{{define \"body\"}}\n{{if eq .Level 99}}\n{{.Nmae}}\n{{end}}\n{{end}}\n"},
			benefits.ErrTemplateField, "not_registered.en.tmpl", 4, "EmailData has no field or method Nmae"},
		{"unknown field inside a range", map[string]string{
			"approved.en.tmpl": "{{define \"subject\"}}Hi{{end}}\n{{define \"body\"}}{{range .Benefits}}\n\n- {{.Title}}{{end}}{{end}}\n"},
			benefits.ErrTemplateField, "approved.en.tmpl", 4, "BenefitLine has no field or method Title"},
		{"unknown field of a variable", map[string]string{
			"activation.es.tmpl": "{{define \"subject\"}}{{$t := .Terms}}{{$t.Rate}}{{end}}{{define \"body\"}}x{{end}}\n"},
			benefits.ErrTemplateField, "activation.es.tmpl", 1, "TermsLine has no field or method Rate"},
		{"unknown field in the subject", map[string]string{
			"activation.en.tmpl": "\n\n{{define \"subject\"}}Level {{.Levle}}{{end}}{{define \"body\"}}x{{end}}\n"},
			benefits.ErrTemplateField, "activation.en.tmpl", 3, "Levle"},
		{"method called with a bad argument", map[string]string{
			"approved.es.tmpl": "{{define \"subject\"}}x{{end}}\n{{define \"body\"}}{{.Money \"lots\"}}{{end}}\n"},
			benefits.ErrTemplateExec, "approved.es.tmpl", 2, `amount "lots" is not a decimal number`},
		{"no body", map[string]string{"not_registered.es.tmpl": "{{define \"subject\"}}x{{end}}\n"},
			benefits.ErrTemplateMissing, "not_registered.es.tmpl", 0, `no {{define "body"}}`},
		{"text outside the defines", map[string]string{
			"not_registered.es.tmpl": "{{define \"subject\"}}x{{end}}{{define \"body\"}}y{{end}}\n\nHola\n"},
			benefits.ErrTemplateSyntax, "not_registered.es.tmpl", 1, "never sent"},
		{"missing file", map[string]string{"activation.en.tmpl": ""},
			benefits.ErrTemplateMissing, "activation.en.tmpl", 0, "cannot read"},
		{"unexpected file", map[string]string{"aproved.es.tmpl": "{{define \"subject\"}}x{{end}}"},
			benefits.ErrTemplateExtra, "aproved.es.tmpl", 0, "no email has this name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := brokenEmails(t, tt.files)
			require.Error(t, err)
			assert.True(t, errors.Is(err, tt.want), "LoadEmails() = %v, want %v", err, tt.want)
			var te *benefits.TemplateError
			require.True(t, errors.As(err, &te), "%v", err)
			assert.Equal(t, tt.file, filepath.Base(te.File))
			assert.Equal(t, tt.line, te.Line, "line of %v", te)
			assert.Contains(t, te.Msg, tt.msg)
			if tt.line > 0 {
				assert.Contains(t, err.Error(), fmt.Sprintf("%s:%d:", tt.file, tt.line))
			}
		})
	}
}

// TestLoadEmailsEveryProblem checks that one load reports the problems of
// every file, not only the first.
func TestLoadEmailsEveryProblem(t *testing.T) {
	err := brokenEmails(t, map[string]string{
		"approved.es.tmpl":       "{{define \"subject\"}}{{.Nope}}{{end}}{{define \"body\"}}x{{end}}",
		"not_registered.en.tmpl": "{{define \"subject\"}}{{end",
	})
	var errs benefits.TemplateErrors
	require.True(t, errors.As(err, &errs), "%v", err)
	require.Len(t, errs, 2)
	assert.True(t, strings.HasSuffix(errs[0].File, "approved.es.tmpl"))
	assert.True(t, strings.HasSuffix(errs[1].File, "not_registered.en.tmpl"))
}

func TestLoadEmailsNoFolder(t *testing.T) {
	_, err := referralrules.LoadEmails(filepath.Join(t.TempDir(), "nope"))
	assert.True(t, errors.Is(err, os.ErrNotExist), "%v", err)
}

func TestLoadEmailsNotAFolder(t *testing.T) {
	_, err := referralrules.LoadEmails("rules.yaml")
	assert.EqualError(t, err, "email templates rules.yaml: not a folder")
}
