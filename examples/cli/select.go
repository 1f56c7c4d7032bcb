package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/caba1337/referralrules/benefits"
	"github.com/caba1337/referralrules/referral"
)

func init() {
	register(command{
		name:    "select",
		summary: "select the benefits of an approved accountant, with the confirmation email",
		run:     runSelect,
	})
}

// selectReport is the JSON answer of the select command.
type selectReport struct {
	AccountantID string         `json:"accountant_id"`
	Day          referral.Date  `json:"day"`
	Level        int            `json:"level"`
	Benefits     []string       `json:"benefits"`
	Email        benefits.Email `json:"email"`
}

func runSelect(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("select",
		"--data DIR --accountant ID --on YYYY-MM-DD --benefits id,id,... [flags]", stderr)
	flags := newRequestFlags(fs)
	list := fs.String("benefits", "",
		"comma-separated ids of the selected benefits of the accountant's level")
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
	if a.Status != benefits.Approved {
		return fmt.Errorf("%w: accountant %s on %s: %s",
			benefits.ErrNotApproved, a.AccountantID, a.Day, a.Status)
	}
	act, err := r.program.Select(a, splitIDs(*list))
	if err != nil {
		return err
	}
	email, err := r.emails.Activation(act, r.lang)
	if err != nil {
		return err
	}
	if r.format == "json" {
		return writeJSON(stdout, selectReport{
			AccountantID: act.AccountantID, Day: act.Day, Level: act.Level.Number,
			Benefits: benefits.IDs(act.Benefits), Email: email,
		})
	}
	fmt.Fprintf(stdout, "accountant %s activated on %s at level %d with %s\n\n",
		act.AccountantID, act.Day, act.Level.Number, strings.Join(benefits.IDs(act.Benefits), ", "))
	printEmail(stdout, email)
	return nil
}

// splitIDs splits a comma-separated list, trimming spaces; an empty list
// gives no ids (which Select refuses), and "a,,b" an empty id (unknown).
func splitIDs(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	ids := strings.Split(s, ",")
	for i := range ids {
		ids[i] = strings.TrimSpace(ids[i])
	}
	return ids
}
