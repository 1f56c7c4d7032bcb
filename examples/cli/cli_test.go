package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const demo = "../data/demo"

// runCLI runs the CLI in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestStatementsOutMatchesExpected(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runCLI(t, "statements", "--data", demo, "--from", "2026-01", "--to", "2026-11", "--out", dir)
	require.Equal(t, 0, code, stderr)
	for _, name := range []string{"statements.csv", "lines.csv"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		want, err := os.ReadFile(filepath.Join(demo, "expected", name))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(got, want), "%s differs from expected/%s", name, name)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "only the two files, no temporary leftovers")
}

// TestBadDataWritesNothing feeds every broken data folder (copied from the
// program's shared bad inputs) to the statements command: it must exit 1,
// name the file, line and column, and leave the output folder empty.
func TestBadDataWritesNothing(t *testing.T) {
	tests := []struct {
		dir, where string
	}{
		{"01_duplicate_payment_id", "payments.csv:6: payment_id"},
		{"02_unknown_client", "payments.csv:7: client_id"},
		{"04_malformed_date", "payments.csv:5: period_start"},
		{"06_amount_3_decimals_cop", "payments.csv:8: amount"},
		{"07_negative_amount", "payments.csv:3: amount"},
		{"08_period_end_before_start", "payments.csv:4: period_end"},
		{"10_unknown_column", "payments.csv:1: notes"},
		{"12_unknown_currency", "payments.csv:7: currency"},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runCLI(t, "statements", "--data", filepath.Join("../../testdata/bad", tt.dir),
				"--from", "2026-01", "--to", "2026-03", "--out", out)
			assert.Equal(t, 1, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tt.where)
			_, err := os.Stat(out)
			assert.True(t, os.IsNotExist(err), "output folder must not be created")
		})
	}
}

func TestStatementsUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no data", []string{"statements", "--from", "2026-01"}, "--data"},
		{"no from", []string{"statements", "--data", demo}, "--from"},
		{"bad month", []string{"statements", "--data", demo, "--from", "2026-13"}, "--from"},
		{"to before from", []string{"statements", "--data", demo, "--from", "2026-05", "--to", "2026-04"}, "before"},
		{"bad format", []string{"statements", "--data", demo, "--from", "2026-01", "--format", "xml"}, "format"},
		{"unknown flag", []string{"statements", "--nope"}, "nope"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr, tt.msg)
		})
	}
}

func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"statements", "-h"}, {"referrals", "--help"}} {
		code, _, stderr := runCLI(t, args...)
		assert.Equal(t, 0, code, "%v", args)
		assert.Contains(t, stderr, "usage", "%v", args)
	}
}

// TestReferralsJSON checks the referrals answer against the demo's expected
// statements: a-0001 had 24 active paid referrals on 2026-01-31 (level 3,
// 13-25), so 2 more reach level 4 at 26.
func TestReferralsJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "referrals", "--data", demo, "--accountant", "a-0001",
		"--on", "2026-01-31", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var got struct {
		AccountantID        string `json:"accountant_id"`
		Day                 string `json:"day"`
		Active              int    `json:"active_paid_referrals"`
		Level               int    `json:"level"`
		MissingForNextLevel int    `json:"missing_for_next_level"`
		Clients             []struct {
			ClientID string `json:"client_id"`
			Counted  bool   `json:"counted"`
			Reason   string `json:"reason"`
		} `json:"clients"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	assert.Equal(t, "a-0001", got.AccountantID)
	assert.Equal(t, "2026-01-31", got.Day)
	assert.Equal(t, 24, got.Active)
	assert.Equal(t, 3, got.Level)
	assert.Equal(t, 2, got.MissingForNextLevel)
	counted := 0
	for _, c := range got.Clients {
		if c.Counted {
			counted++
			assert.Empty(t, c.Reason, c.ClientID)
		} else {
			assert.NotEmpty(t, c.Reason, c.ClientID)
		}
	}
	assert.Equal(t, 24, counted)
}

func TestReferralsRefusesOutsideProgram(t *testing.T) {
	code, _, stderr := runCLI(t, "referrals", "--data", demo, "--accountant", "a-0002", "--on", "2026-01-31")
	assert.Equal(t, 1, code)
	assert.True(t, strings.Contains(stderr, "MX"), stderr)
}

// TestOutBothOrNeither: when lines.csv cannot be written (a folder stands
// in its place), statements.csv is not written either, and an existing
// statements.csv keeps its content. Files that are written are 0644.
func TestOutBothOrNeither(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "lines.csv"), 0o755))
	old := filepath.Join(dir, "statements.csv")
	require.NoError(t, os.WriteFile(old, []byte("old\n"), 0o644))
	code, _, stderr := runCLI(t, "statements", "--data", demo, "--from", "2026-01", "--out", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "not a regular file")
	got, err := os.ReadFile(old)
	require.NoError(t, err)
	assert.Equal(t, "old\n", string(got))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary files left")

	require.NoError(t, os.Remove(filepath.Join(dir, "lines.csv")))
	code, _, stderr = runCLI(t, "statements", "--data", demo, "--from", "2026-01", "--out", dir)
	require.Equal(t, 0, code, stderr)
	for _, name := range []string{"statements.csv", "lines.csv"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm(), name)
	}
	entries, err = os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "the two files, no old or temporary ones")
}

// failingWriter refuses every write, like a full disk.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

// TestLostOutputFails: output that cannot be written makes the command
// fail (exit 1), also where it prints text without checking each write.
func TestLostOutputFails(t *testing.T) {
	for _, args := range [][]string{
		{"evaluate", "--data", demo, "--accountant", "a-0052", "--on", "2026-11-30"},
		{"statements", "--data", demo, "--from", "2026-01"},
		{"validate"},
	} {
		var errb bytes.Buffer
		code := run(args, failingWriter{}, &errb)
		assert.Equal(t, 1, code, "%v: %s", args, errb.String())
		assert.Contains(t, errb.String(), "file already closed", "%v", args)
	}
}

func TestStatementsJSONEmptyIsList(t *testing.T) {
	dir := t.TempDir()
	for name, header := range map[string]string{
		"accountants.csv": "accountant_id,country,registered,activated_on\n",
		"clients.csv":     "client_id,accountant_id,linked_on,unlinked_on\n",
		"payments.csv":    "payment_id,client_id,paid_at,period_start,period_end,amount,currency,promotion,refunded_at\n",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(header), 0o644))
	}
	code, stdout, stderr := runCLI(t, "statements", "--data", dir, "--from", "2026-01", "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "[]\n", stdout)
}

// Tables end their lines at their last character: right-aligned and empty
// last cells used to leave trailing spaces on every line.
func TestTablesHaveNoTrailingSpaces(t *testing.T) {
	for _, args := range [][]string{
		{"statements", "--data", demo, "--from", "2026-11"},
		{"referrals", "--data", demo, "--accountant", "a-0001", "--on", "2026-01-31"},
		{"validate"},
	} {
		code, out, errOut := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		lines := strings.Split(out, "\n")
		if len(lines) < 3 {
			t.Fatalf("%v: %d lines", args, len(lines))
		}
		for i, line := range lines {
			if strings.HasSuffix(line, " ") {
				t.Errorf("%v: line %d ends with a space: %q", args, i+1, line)
			}
		}
	}
}
