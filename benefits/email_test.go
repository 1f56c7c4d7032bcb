package benefits_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/benefits"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// minimalEmails returns a folder with a minimal, valid template for every
// email, with the given files replacing them.
func minimalEmails(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, kind := range benefits.EmailKinds() {
		for _, lang := range benefits.Langs() {
			fsys[benefits.EmailFile(kind, lang)] = &fstest.MapFile{
				Data: []byte(`{{define "subject"}}s{{end}}{{define "body"}}b{{end}}`)}
		}
	}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

// TestFieldCheck runs the static field check through ParseEmails on
// templates that reach fields in every way text/template allows.
func TestFieldCheck(t *testing.T) {
	tests := []struct {
		name string
		body string
		line int    // 0: the template is valid
		msg  string // part of the error
	}{
		// Valid: no false alarm.
		{"fields, methods and nested fields", `{{.Level}} {{.Terms.Currency}} {{.Money "1"}} {{(.Example "10").Sales}}`, 0, ""},
		{"range with variables", `{{range $i, $b := .Benefits}}{{$i}} {{$b.Text}} {{$.AccountantID}}{{end}}`, 0, ""},
		{"range else sees the outer dot", `{{range .Recoverable}}{{.Since}}{{else}}{{.Active}}{{end}}`, 0, ""},
		{"with", `{{with .Terms}}{{.WindowMonths}}{{else}}{{.Day}}{{end}}`, 0, ""},
		{"variable reassigned", `{{$x := .Terms}}{{if .Level}}{{$x = .Terms}}{{end}}{{$x.Payout}}`, 0, ""},
		{"function results are not checked", `{{(index .Benefits 0).ID}} {{len .Benefits}} {{printf "%s" .Rate}}`, 0, ""},
		{"helper template with its own dot", `{{template "item" .Terms}}{{end}}{{define "item"}}{{.GraceDays}}`, 0, ""},
		{"recursive helper", `{{template "r" .}}{{end}}{{define "r"}}{{if eq .Level 99}}{{template "r" .}}{{end}}`, 0, ""},
		{"range over a number", `{{range $i := .Level}}{{$i}}{{end}}`, 0, ""},

		// Unknown names, wherever they hide.
		{"plain", "\n{{.Levl}}", 2, "EmailData has no field or method Levl"},
		{"nested", `{{.Terms.Rate}}`, 1, "TermsLine has no field or method Rate"},
		{"in an else branch", "{{if .Level}}x{{else}}\n\n{{.Nope}}{{end}}", 3, "EmailData has no field or method Nope"},
		{"in a range", `{{range .Benefits}}{{.Name}}{{end}}`, 1, "BenefitLine has no field or method Name"},
		{"range variable", `{{range $c := .Recoverable}}{{$c.Client}}{{end}}`, 1, "ClientLine has no field or method Client"},
		{"in a with", `{{with .Terms}}{{.Level}}{{end}}`, 1, "TermsLine has no field or method Level"},
		{"after $", `{{range .Benefits}}{{$.Nope}}{{end}}`, 1, "EmailData has no field or method Nope"},
		{"method result", `{{(.Example "1").Total}}`, 1, "Example has no field or method Total"},
		{"argument of a function", `{{printf "%s" .Nope}}`, 1, "EmailData has no field or method Nope"},
		{"inside a helper", "{{template \"h\" .Terms}}{{end}}\n{{define \"h\"}}{{.Level}}", 2, "TermsLine has no field or method Level"},
		{"unexported", `{{.locale}}`, 1, "EmailData has no field or method locale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := `{{define "subject"}}s{{end}}{{define "body"}}` + tt.body + `{{end}}`
			e, err := benefits.ParseEmails(minimalEmails(map[string]string{"approved.en.tmpl": src}), "emails")
			if tt.line == 0 {
				require.NoError(t, err)
				require.NotNil(t, e)
				return
			}
			var te *benefits.TemplateError
			require.True(t, errors.As(err, &te), "ParseEmails() = %v, want a TemplateError", err)
			assert.Equal(t, "emails/approved.en.tmpl", te.File)
			assert.Equal(t, tt.line, te.Line, "%v", te)
			assert.Contains(t, te.Error(), tt.msg)
		})
	}
}

func TestParseEmailsMinimal(t *testing.T) {
	e, err := benefits.ParseEmails(minimalEmails(nil), "x")
	require.NoError(t, err)
	var f fixture
	f.accountant("co-05", "CO", true, 5, "COP")
	a, err := referralrules.Default().Evaluate(f.dataset(t), "co-05", requestDay)
	require.NoError(t, err)
	got, err := e.Answer(a, benefits.English)
	require.NoError(t, err)
	assert.Equal(t, benefits.Email{Lang: benefits.English, Subject: "s", Body: "b\n"}, got)
}

func TestEmailsZero(t *testing.T) {
	var e benefits.Emails
	_, err := e.Answer(benefits.Answer{Status: benefits.Approved}, benefits.Spanish)
	assert.True(t, errors.Is(err, benefits.ErrTemplateMissing), "%v", err)
}

func TestSubjectIsOneLine(t *testing.T) {
	src := "{{define \"subject\"}}\n  Level\n  {{.Level}}  \n{{end}}{{define \"body\"}}\n\n  b  \n\n{{end}}"
	e, err := benefits.ParseEmails(minimalEmails(map[string]string{"approved.es.tmpl": src}), "x")
	require.NoError(t, err)
	got, err := e.Answer(approvedAt(t, "CO", 9), benefits.Spanish)
	require.NoError(t, err)
	assert.Equal(t, "Level 2", got.Subject)
	assert.Equal(t, "b\n", got.Body)
}
