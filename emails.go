package referralrules

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/caba1337/referralrules/benefits"
)

// DefaultEmailsDir is the folder, next to rules.yaml, that holds the email
// templates embedded in this module; problems with them are reported
// under it.
const DefaultEmailsDir = "emails"

// emailFiles are the default email templates: one file per email and
// language, such as emails/approved.es.tmpl.
//
//go:embed emails/*.tmpl
var emailFiles embed.FS

// defaultEmails parses the embedded templates once.
var defaultEmails = sync.OnceValue(func() *benefits.Emails {
	sub, err := fs.Sub(emailFiles, DefaultEmailsDir)
	if err == nil {
		var e *benefits.Emails
		if e, err = benefits.ParseEmails(sub, DefaultEmailsDir); err == nil {
			return e
		}
	}
	// A test loads the embedded templates, so this cannot happen in a
	// released build.
	panic(fmt.Sprintf("referralrules: embedded email templates are invalid: %v", err))
})

// DefaultEmails returns the email templates embedded in this module (the
// emails folder next to rules.yaml), parsed and checked on the first call
// only; every call returns the same Emails.
func DefaultEmails() *benefits.Emails { return defaultEmails() }

// LoadEmails reads and checks the email templates of folder dir, which
// replace the default ones: one file per email and language, named like
// "approved.es.tmpl" (see benefits.ParseEmails for the layout). Every
// problem, with its file and line, comes back as benefits.TemplateErrors:
// a file missing or unexpected, a template that does not parse, or one
// that names a field the emails' data does not have.
func LoadEmails(dir string) (*benefits.Emails, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("email templates %s: not a folder", dir)
	}
	return benefits.ParseEmails(os.DirFS(dir), dir)
}
