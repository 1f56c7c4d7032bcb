package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// evaluateJSON is the JSON of the evaluate command, decoded strictly.
type evaluateJSON struct {
	AccountantID        string   `json:"accountant_id"`
	Day                 string   `json:"day"`
	Status              string   `json:"status"`
	Level               int      `json:"level"`
	ActivePaidReferrals int      `json:"active_paid_referrals"`
	MissingForLevel1    int      `json:"missing_for_level_1"`
	NextLevel           int      `json:"next_level"`
	MissingForNextLevel int      `json:"missing_for_next_level"`
	Benefits            []string `json:"benefits"`
	Email               struct {
		Lang    string `json:"lang"`
		Subject string `json:"subject"`
		Body    string `json:"body"`
	} `json:"email"`
}

// TestEvaluateDemo asks for activation on 2026-11-30 for demo accountants
// on every level bound. The counts agree with the independent
// expected/statements.csv, whose November rows give each accountant's
// active paid referrals on the month's last day (D4): a-0026 4, a-0059 5,
// a-0007 8, a-0052 9, a-0005 12, a-0022 13, a-0034 25, a-0037 26.
func TestEvaluateDemo(t *testing.T) {
	tests := []struct {
		id, lang            string
		status              string
		level, active       int
		missingL1           int
		next, missingNext   int
		benefits            []string
		subject, bodyPhrase string
	}{
		{"a-0026", "es", "insufficient_referrals", 0, 4, 1, 1, 1, []string{},
			"Programa de referidos: aún le falta 1 referido", "le falta 1 más"},
		{"a-0059", "en", "approved", 1, 5, 0, 2, 4,
			[]string{"support_basic", "academy", "workspace", "network_access"},
			"Referral program: your level 1 is approved", "RD$50,000.00"},
		{"a-0007", "es", "approved", 1, 8, 0, 2, 1,
			[]string{"support_basic", "academy", "workspace", "network_access"},
			"Programa de referidos: su nivel 1 está aprobado", "$ 1.000.000,00"},
		{"a-0052", "en", "approved", 2, 9, 0, 3, 4,
			[]string{"support_basic", "academy", "workspace", "network_access", "network_enrolment"},
			"Referral program: your level 2 is approved", "the Dominican Republic"},
		{"a-0005", "es", "approved", 2, 12, 0, 3, 1,
			[]string{"support_basic", "academy", "workspace", "network_access", "network_enrolment"},
			"Programa de referidos: su nivel 2 está aprobado", "Le falta 1 referido activo con pago para llegar al nivel 3"},
		{"a-0022", "es", "approved", 3, 13, 0, 4, 13,
			[]string{"support_dedicated", "academy", "workspace", "network_enrolment", "network_workshops"},
			"Programa de referidos: su nivel 3 está aprobado", "₡500\u202f000,00"},
		{"a-0034", "en", "approved", 3, 25, 0, 4, 1,
			[]string{"support_dedicated", "academy", "workspace", "network_enrolment", "network_workshops"},
			"Referral program: your level 3 is approved", "1 more active paid referral takes you to level 4"},
		{"a-0037", "en", "approved", 4, 26, 0, 0, 0,
			[]string{"support_premium", "academy_advanced", "workspace", "network_advice", "network_featured", "events_vip", "rewards"},
			"Referral program: your level 4 is approved", "You are on the highest level"},
		{"a-0008", "es", "approved", 4, 26, 0, 0, 0,
			[]string{"support_premium", "academy_advanced", "workspace", "network_advice", "network_featured", "events_vip", "rewards"},
			"Programa de referidos: su nivel 4 está aprobado", "B/. 250.00"},
		{"a-0002", "en", "country_not_in_program", 0, 0, 0, 0, 0, []string{},
			"Referral program: not yet available in your country", "(MX)"},
		{"a-0047", "es", "not_registered", 0, 0, 0, 0, 0, []string{},
			"Programa de referidos: primero regístrese en el producto contable", "no encontramos su registro"},
		{"a-9999", "en", "not_registered", 0, 0, 0, 0, 0, []string{},
			"Referral program: please register in the accounting product first", "Hello a-9999"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "evaluate", "--data", demo, "--accountant", tt.id,
				"--on", "2026-11-30", "--lang", tt.lang, "--format", "json")
			require.Equal(t, 0, code, stderr)
			dec := json.NewDecoder(strings.NewReader(stdout))
			dec.DisallowUnknownFields()
			var got evaluateJSON
			require.NoError(t, dec.Decode(&got))
			assert.Equal(t, tt.id, got.AccountantID)
			assert.Equal(t, "2026-11-30", got.Day)
			assert.Equal(t, tt.status, got.Status)
			assert.Equal(t, tt.level, got.Level)
			assert.Equal(t, tt.active, got.ActivePaidReferrals)
			assert.Equal(t, tt.missingL1, got.MissingForLevel1)
			assert.Equal(t, tt.next, got.NextLevel)
			assert.Equal(t, tt.missingNext, got.MissingForNextLevel)
			assert.Equal(t, tt.benefits, got.Benefits)
			assert.Equal(t, tt.lang, got.Email.Lang)
			assert.Equal(t, tt.subject, got.Email.Subject)
			assert.Contains(t, got.Email.Body, tt.bodyPhrase)
		})
	}
}

// TestEvaluateJSONFields checks the exact field names of the JSON answer.
func TestEvaluateJSONFields(t *testing.T) {
	code, stdout, stderr := runCLI(t, "evaluate", "--data", demo, "--accountant", "a-0026", "--on", "2026-11-30", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(stdout), &m))
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	assert.ElementsMatch(t, []string{"accountant_id", "day", "status", "level", "active_paid_referrals",
		"missing_for_level_1", "next_level", "missing_for_next_level", "benefits", "email"}, keys)
	var email map[string]string
	require.NoError(t, json.Unmarshal(m["email"], &email))
	assert.Len(t, email, 3)
	assert.Equal(t, "es", email["lang"], "Spanish is the default language")
	assert.Equal(t, "[]", string(m["benefits"]), "no benefits is an empty list, not null")
}

func TestEvaluateText(t *testing.T) {
	code, stdout, stderr := runCLI(t, "evaluate", "--data", demo, "--accountant", "a-0026", "--on", "2026-11-30")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, `accountant a-0026 on 2026-11-30: insufficient_referrals
active paid referrals: 4 of 6 clients; lapsed 1; refunded 1
missing for level 1: 1
rules version 2026.1

Subject: Programa de referidos: aún le falta 1 referido

Hola, a-0026:

`, stdout[:strings.Index(stdout, "Hola, a-0026:")+len("Hola, a-0026:\n\n")])
	assert.Contains(t, stdout, "volverían a contar")
	assert.True(t, strings.HasSuffix(stdout, "Reglas del programa, versión 2026.1.\n"))
}

func TestSelectDemo(t *testing.T) {
	code, stdout, stderr := runCLI(t, "select", "--data", demo, "--accountant", "a-0052", "--on", "2026-11-30",
		"--benefits", "workspace, academy", "--lang", "en", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var got struct {
		AccountantID string   `json:"accountant_id"`
		Day          string   `json:"day"`
		Level        int      `json:"level"`
		Benefits     []string `json:"benefits"`
		Email        struct{ Lang, Subject, Body string }
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	assert.Equal(t, "a-0052", got.AccountantID)
	assert.Equal(t, 2, got.Level)
	assert.Equal(t, []string{"academy", "workspace"}, got.Benefits, "in the level's order")
	assert.Equal(t, "Referral program: your level 2 benefits are active", got.Email.Subject)
	assert.Contains(t, got.Email.Body, "- Entry to the academy and to specialised training.\n")

	code, stdout, stderr = runCLI(t, "select", "--data", demo, "--accountant", "a-0052", "--on", "2026-11-30",
		"--benefits", "academy")
	require.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, "accountant a-0052 activated on 2026-11-30 at level 2 with academy\n\n"+
		"Subject: Programa de referidos: sus beneficios del nivel 2 están activos\n"), stdout)
}

func TestSelectRefused(t *testing.T) {
	tests := []struct {
		name, accountant, benefits, msg string
	}{
		{"empty", "a-0052", "", "no benefit selected: choose at least one benefit of level 2"},
		{"unknown", "a-0052", "academy,free_lunch", `unknown benefit "free_lunch"`},
		{"other level", "a-0052", "events_vip", `benefit "events_vip" is a benefit of level 4, not of level 2`},
		{"duplicate", "a-0052", "academy,workspace,academy", `benefit "academy" is selected twice`},
		{"not approved", "a-0026", "academy", "the answer is not an approval: accountant a-0026 on 2026-11-30: insufficient_referrals"},
		{"outside the program", "a-0002", "academy", "the answer is not an approval: accountant a-0002 on 2026-11-30: country_not_in_program"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "select", "--data", demo, "--accountant", tt.accountant,
				"--on", "2026-11-30", "--benefits", tt.benefits)
			assert.Equal(t, 1, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, "select: "+tt.msg)
		})
	}
}

func TestEvaluateUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no accountant", []string{"evaluate", "--data", demo, "--on", "2026-11-30"}, "--accountant"},
		{"no day", []string{"evaluate", "--data", demo, "--accountant", "a-0001"}, "--on"},
		{"bad day", []string{"evaluate", "--data", demo, "--accountant", "a-0001", "--on", "2026-02-30"}, "--on"},
		{"bad lang", []string{"evaluate", "--data", demo, "--accountant", "a-0001", "--on", "2026-11-30", "--lang", "fr"}, "--lang"},
		{"bad format", []string{"evaluate", "--data", demo, "--accountant", "a-0001", "--on", "2026-11-30", "--format", "csv"}, "--format"},
		{"no data", []string{"evaluate", "--accountant", "a-0001", "--on", "2026-11-30"}, "--data"},
		{"select without day", []string{"select", "--data", demo, "--accountant", "a-0001", "--benefits", "academy"}, "--on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tt.msg)
		})
	}
}

func TestEvaluateHelp(t *testing.T) {
	for _, cmd := range []string{"evaluate", "select"} {
		code, stdout, stderr := runCLI(t, cmd, "-h")
		assert.Equal(t, 0, code, cmd)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "usage: cli "+cmd+" --data DIR --accountant ID --on YYYY-MM-DD")
		for _, flag := range []string{"-lang", "-format", "-rules", "-emails"} {
			assert.Contains(t, stderr, flag, cmd)
		}
	}
}

// TestEvaluateBrokenEmails checks that a broken template folder stops the
// command, naming the file and line.
func TestEvaluateBrokenEmails(t *testing.T) {
	dir := t.TempDir()
	entries, err := os.ReadDir("../../emails")
	require.NoError(t, err)
	for _, e := range entries {
		src, err := os.ReadFile(filepath.Join("../../emails", e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, e.Name()), src, 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "approved.en.tmpl"),
		[]byte("{{define \"subject\"}}x{{end}}\n{{define \"body\"}}{{.Levl}}{{end}}\n"), 0o644))
	code, stdout, stderr := runCLI(t, "evaluate", "--data", demo, "--accountant", "a-0026",
		"--on", "2026-11-30", "--emails", dir)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "approved.en.tmpl:2:")
	assert.Contains(t, stderr, "EmailData has no field or method Levl")
}
