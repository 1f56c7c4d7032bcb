package main

import (
	"encoding/csv"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// csvAsJSON reads one data file of folder dir as the JSON rows the service
// takes: one object per record, every value the text of its cell.
func csvAsJSON(t *testing.T, dir, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	rows := make([]map[string]string, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// TestBadDataFolders sends every broken data folder of testdata/bad, as
// JSON, to POST /v1/statements: each is a 422 whose problem points at the
// row and field its README names (rows counted from 0: line L of a CSV
// file is row L-2).
func TestBadDataFolders(t *testing.T) {
	tests := []struct{ dir, pointer string }{
		{"01_duplicate_payment_id", "/data/payments/4/payment_id"},
		{"02_unknown_client", "/data/payments/5/client_id"},
		{"04_malformed_date", "/data/payments/3/period_start"},
		{"06_amount_3_decimals_cop", "/data/payments/6/amount"},
		{"07_negative_amount", "/data/payments/1/amount"},
		{"08_period_end_before_start", "/data/payments/2/period_end"},
		{"10_unknown_column", "/data/payments/0/notes"},
		{"12_unknown_currency", "/data/payments/5/currency"},
	}
	ts := newTestService(t, 1<<20)
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			dir := filepath.Join("..", "..", "testdata", "bad", tt.dir)
			data := map[string]any{
				"accountants": csvAsJSON(t, dir, "accountants.csv"),
				"clients":     csvAsJSON(t, dir, "clients.csv"),
				"payments":    csvAsJSON(t, dir, "payments.csv"),
			}
			res := ts.post(t, "/v1/statements", map[string]any{"from": "2026-01", "to": "2026-03", "data": data})
			assert.Equal(t, http.StatusUnprocessableEntity, res.status, "%s", res.body)
			assert.Contains(t, string(res.body), `"pointer":"`+tt.pointer+`"`)
		})
	}
}

// TestBadRulesFilesRefused: the service does not start on any broken rules
// file of testdata/rules/bad (the reload keeps the last good rules; see
// the reload tests).
func TestBadRulesFilesRefused(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "bad", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		_, err := newRuleSet(f, slog.New(slog.DiscardHandler))
		assert.Error(t, err, filepath.Base(f))
	}
}
