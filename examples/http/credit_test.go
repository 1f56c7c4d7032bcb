package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// a-0001 (CO, activated 2026-02-11) earns nothing before February 2026;
// its February net, 355880.00 COP (expected/statements.csv of the demo),
// is usable from 2026-03-01.

// withRedemptions returns the demo data of a-0001 with redemptions.
func withRedemptions(t *testing.T, rs ...map[string]any) map[string]any {
	t.Helper()
	var data map[string]any
	require.NoError(t, json.Unmarshal(demoData(t), &data))
	data["redemptions"] = rs
	return data
}

func redemptionOf(id, at, amount string) map[string]any {
	return map[string]any{"redemption_id": id, "accountant_id": "a-0001", "redeemed_at": at,
		"amount": amount, "currency": "COP", "reference": "INV-" + id}
}

func TestCreditBalance(t *testing.T) {
	ts := newTestService(t, 10<<20)
	data := withRedemptions(t, redemptionOf("r-1", "2026-03-02T09:00:00-05:00", "100000.00"))
	res := ts.post(t, "/v1/credit/balance", map[string]any{"accountant_id": "a-0001", "day": "2026-03-02",
		"data": data})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	got := res.json(t)
	assert.Equal(t, []any{map[string]any{"currency": "COP", "amount": "255880.00"}}, got["balances"])
	moves := got["movements"].([]any)
	require.Len(t, moves, 2)
	assert.Equal(t, "2026-03-01T00:00:00-05:00", moves[0].(map[string]any)["at"])
	assert.Equal(t, "355880.00", moves[0].(map[string]any)["amount"])
	assert.Equal(t, "r-1", moves[1].(map[string]any)["redemption_id"])

	res = ts.post(t, "/v1/credit/balance", map[string]any{"accountant_id": "a-0001", "day": "2026-02-28",
		"data": demoData(t)})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	assert.Equal(t, []any{map[string]any{"currency": "COP", "amount": "0.00"}}, res.json(t)["balances"],
		"not usable before the payable month")
}

func TestCreditRedeem(t *testing.T) {
	ts := newTestService(t, 10<<20)
	data := withRedemptions(t, redemptionOf("r-1", "2026-03-02T09:00:00-05:00", "100000.00"))
	res := ts.post(t, "/v1/credit/redeem", map[string]any{"accountant_id": "a-0001", "day": "2026-03-02",
		"amount": "400000.00", "currency": "COP", "data": data})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	assert.Equal(t, map[string]any{"accountant_id": "a-0001", "day": "2026-03-02", "currency": "COP",
		"amount": "400000.00", "credit": "255880.00", "to_pay": "144120.00", "balance": "255880.00",
		"balance_after": "0.00"}, res.json(t))

	res = ts.post(t, "/v1/credit/redeem", map[string]any{"accountant_id": "a-0001", "day": "2026-03-02",
		"amount": "10.00", "currency": "USD", "data": data})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	assert.Equal(t, "0.00", res.json(t)["credit"], "never in another currency")
}

func TestCreditInvalid(t *testing.T) {
	over := withRedemptions(t, redemptionOf("r-1", "2026-03-02T09:00:00-05:00", "355880.01"))
	tests := []struct {
		name    string
		target  string
		body    map[string]any
		pointer string
	}{
		{"overdrawing redemption", "/v1/credit/balance",
			map[string]any{"accountant_id": "a-0001", "day": "2026-03-02", "data": over},
			"/data/redemptions/0/amount"},
		{"redemption before the credit", "/v1/credit/balance",
			map[string]any{"accountant_id": "a-0001", "day": "2026-03-02",
				"data": withRedemptions(t, redemptionOf("r-1", "2026-02-28T23:59:59-05:00", "1.00"))},
			"/data/redemptions/0/amount"},
		{"accountant not in data", "/v1/credit/balance",
			map[string]any{"accountant_id": "a-9", "day": "2026-03-02", "data": demoData(t)}, "/accountant_id"},
		{"amount as a number", "/v1/credit/redeem",
			map[string]any{"accountant_id": "a-0001", "day": "2026-03-02", "amount": 5, "currency": "COP",
				"data": demoData(t)}, "/amount"},
		{"zero amount", "/v1/credit/redeem",
			map[string]any{"accountant_id": "a-0001", "day": "2026-03-02", "amount": "0", "currency": "COP",
				"data": demoData(t)}, "/amount"},
		{"three decimals", "/v1/credit/redeem",
			map[string]any{"accountant_id": "a-0001", "day": "2026-03-02", "amount": "1.001", "currency": "COP",
				"data": demoData(t)}, "/amount"},
		{"unknown currency", "/v1/credit/redeem",
			map[string]any{"accountant_id": "a-0001", "day": "2026-03-02", "amount": "1", "currency": "EUR",
				"data": demoData(t)}, "/currency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestService(t, 10<<20)
			res := ts.post(t, tt.target, tt.body)
			require.Equal(t, http.StatusUnprocessableEntity, res.status, "%s", res.body)
			var p problem
			require.NoError(t, json.Unmarshal(res.body, &p))
			var pointers []string
			for _, e := range p.Errors {
				pointers = append(pointers, e.Pointer)
			}
			assert.Contains(t, pointers, tt.pointer, "%s", res.body)
		})
	}
}
