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

func TestCreditTable(t *testing.T) {
	code, stdout, stderr := runCLI(t, "credit", "--data", demo, "--accountant", "a-0022", "--on", "2026-12-01")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "service credit of accountant a-0022 at the close of 2026-12-01")
	assert.Contains(t, stdout, "movements, oldest first:")
	// a-0022 (Costa Rica) has credit in CRC and USD, and two redemptions
	// on 2026-05-10 (see the demo's redemptions.csv).
	for _, want := range []string{"CRC", "USD", "r-0004", "INV-2026-000518", "2026-05-10  redemption"} {
		assert.Contains(t, stdout, want)
	}
	first := strings.Index(stdout, "r-0004")
	assert.True(t, first > 0 && first < strings.Index(stdout, "r-0005"), "oldest first")
}

// creditReport is what the JSON output is read back into.
type creditReport struct {
	AccountantID string `json:"accountant_id"`
	Day          string `json:"day"`
	Balances     []struct {
		Currency, Amount string
	} `json:"balances"`
	Movements []struct {
		Kind, At, Day, Currency, Amount, Balance string
		RedemptionID                             string `json:"redemption_id"`
	} `json:"movements"`
}

func TestCreditJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "credit", "--data", demo, "--accountant", "a-0003",
		"--on", "2026-02-01", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var rep creditReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
	assert.Equal(t, "a-0003", rep.AccountantID)
	assert.Equal(t, "2026-02-01", rep.Day)
	require.NotEmpty(t, rep.Movements)

	// r-0001 spends 567640.00 COP, January 2026's whole net, at the first
	// instant of February in Bogota, just after that credit.
	last := rep.Movements[len(rep.Movements)-1]
	prev := rep.Movements[len(rep.Movements)-2]
	assert.Equal(t, "r-0001", last.RedemptionID)
	assert.Equal(t, "-567640.00", last.Amount)
	assert.Equal(t, "2026-02-01T00:00:00-05:00", last.At)
	assert.Equal(t, "statement", prev.Kind)
	assert.Equal(t, "567640.00", prev.Amount)
	assert.Equal(t, prev.At, last.At, "credit first, at the same instant")
	require.Len(t, rep.Balances, 1)
	assert.Equal(t, "COP", rep.Balances[0].Currency)
	assert.Equal(t, last.Balance, rep.Balances[0].Amount)
	for i := 1; i < len(rep.Movements); i++ {
		assert.LessOrEqual(t, rep.Movements[i-1].Day, rep.Movements[i].Day, "oldest first")
	}
}

func TestCreditHelp(t *testing.T) {
	code, stdout, stderr := runCLI(t, "credit", "-h")
	assert.Equal(t, 0, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "usage: cli credit --data DIR --accountant ID --on YYYY-MM-DD")
	for _, flag := range []string{"-data", "-accountant", "-on", "-rules", "-format"} {
		assert.Contains(t, stderr, flag)
	}
}

func TestCreditRefuses(t *testing.T) {
	bad := smallFolder(t, "r-1,a-1,2026-03-01T10:00:00-05:00,0.00,USD,INV-1\n")
	overdrawn := smallFolder(t, "r-1,a-1,2026-03-01T10:00:00-05:00,1.00,USD,INV-1\n")
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"no accountant", []string{"--data", demo, "--on", "2026-12-01"}, 2, "--accountant ID is required"},
		{"bad day", []string{"--data", demo, "--accountant", "a-0022", "--on", "2026-13-01"}, 2, "--on"},
		{"bad format", []string{"--data", demo, "--accountant", "a-0022", "--on", "2026-12-01",
			"--format", "csv"}, 2, "unknown --format"},
		{"no data", []string{"--accountant", "a-0022", "--on", "2026-12-01"}, 2, "--data DIR is required"},
		{"unknown accountant", []string{"--data", demo, "--accountant", "nobody", "--on", "2026-12-01"},
			1, `accountant is not in the data: "nobody"`},
		{"country outside the program", []string{"--data", demo, "--accountant", "a-0002",
			"--on", "2026-12-01"}, 1, "country is not in the program"},
		{"bad redemption row", []string{"--data", bad, "--accountant", "a-1", "--on", "2026-03-01"},
			1, "redemptions.csv:2: amount: zero amount"},
		{"overdrawing redemption", []string{"--data", overdrawn, "--accountant", "a-1", "--on", "2026-03-01"},
			1, "redemptions.csv:2: redemption overdraws the credit balance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"credit"}, tt.args...)...)
			assert.Equal(t, tt.code, code, stderr)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tt.want)
		})
	}
}

// smallFolder writes a data folder of one accountant of Panama, a-1, with
// no clients (so no credit), and the given rows of redemptions.csv.
func smallFolder(t *testing.T, redemptions string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"accountants.csv": "accountant_id,country,registered,activated_on\na-1,PA,true,2025-01-01\n",
		"clients.csv":     "client_id,accountant_id,linked_on,unlinked_on\n",
		"payments.csv": "payment_id,client_id,paid_at,period_start,period_end,amount,currency," +
			"promotion,refunded_at\n",
		"redemptions.csv": "redemption_id,accountant_id,redeemed_at,amount,currency,reference\n" + redemptions,
	}
	for name, text := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	return dir
}
