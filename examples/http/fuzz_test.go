package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/caba1337/referralrules"
)

// fuzzRoutes are the endpoints that read a body, the doors a hostile
// client knocks on.
var fuzzRoutes = []string{
	"/v1/referrals/count", "/v1/statements", "/v1/activation-requests",
	"/v1/benefit-selections", "/v1/credit/balance", "/v1/credit/redeem",
}

// FuzzHandlers sends any body to every endpoint that reads one: the answer
// is never a 5xx (no crash, no unknown error kind), and it is JSON: the
// endpoint's answer or a problem document.
func FuzzHandlers(f *testing.F) {
	data, err := os.ReadFile(demoAccountant)
	if err != nil {
		f.Fatal(err)
	}
	seeds := []map[string]any{
		{"accountant_id": "a-0001", "day": "2026-01-31", "data": json.RawMessage(data)},
		{"from": "2026-01", "to": "2026-02", "data": json.RawMessage(data)},
		{"accountant_id": "a-0001", "day": "2026-01-31", "benefits": []string{"academy"},
			"data": json.RawMessage(data)},
		{"accountant_id": "a-0001", "day": "2026-12-01", "amount": "10.00", "currency": "COP",
			"data": json.RawMessage(data)},
	}
	for i, s := range seeds {
		b, err := json.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), b)
	}
	f.Add(uint8(0), []byte(`{"accountant_id":"x","day":"2026-02-30","data":{}}`))
	f.Add(uint8(1), []byte(`{"from":"9999-12","to":"0001-01","data":{"payments":[{}]}}`))

	rs, err := newRuleSet("", slog.New(slog.DiscardHandler))
	if err != nil {
		f.Fatal(err)
	}
	h := newHandler(rs, referralrules.DefaultEmails(), slog.New(slog.DiscardHandler), defaultLimits)
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		target := fuzzRoutes[int(route)%len(fuzzRoutes)]
		req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("POST %s %q: status %d: %s", target, body, rec.Code, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("POST %s %q: status %d, body is not JSON: %q", target, body, rec.Code, rec.Body)
		}
	})
}
