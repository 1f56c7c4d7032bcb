package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caba1337/referralrules/benefits"
)

// withAccountants returns the demo data of a-0001 with more accountants.
func withAccountants(t *testing.T, more ...map[string]any) map[string]any {
	t.Helper()
	var data map[string]any
	require.NoError(t, json.Unmarshal(demoData(t), &data))
	for _, a := range more {
		data["accountants"] = append(data["accountants"].([]any), a)
	}
	return data
}

// TestActivationRequests: every status is a 200 answer with its email.
// a-0001 had 24 active paid referrals on 2026-01-31: level 3.
func TestActivationRequests(t *testing.T) {
	data := withAccountants(t,
		map[string]any{"accountant_id": "a-mx", "country": "MX", "registered": true},
		map[string]any{"accountant_id": "a-new", "country": "PA", "registered": true},
		map[string]any{"accountant_id": "a-unreg", "country": "CO", "registered": false})
	tests := []struct {
		id, lang, status string
		level, missing1  int
	}{
		{"a-0001", "en", "approved", 3, 0},
		{"a-0001", "", "approved", 3, 0},
		{"a-new", "es", "insufficient_referrals", 0, 5},
		{"a-mx", "en", "country_not_in_program", 0, 0},
		{"a-unreg", "en", "not_registered", 0, 0},
		{"a-nobody", "en", "not_registered", 0, 0},
	}
	ts := newTestService(t, 10<<20)
	for _, tt := range tests {
		t.Run(tt.id+"/"+tt.lang, func(t *testing.T) {
			body := map[string]any{"accountant_id": tt.id, "day": "2026-01-31", "data": data}
			if tt.lang != "" {
				body["lang"] = tt.lang
			}
			res := ts.post(t, "/v1/activation-requests", body)
			require.Equal(t, http.StatusOK, res.status, "%s", res.body)
			var got benefits.Reply
			require.NoError(t, json.Unmarshal(res.body, &got))
			assert.Equal(t, tt.status, string(got.Status))
			assert.Equal(t, tt.level, got.Level)
			assert.Equal(t, tt.missing1, got.MissingForLevel1)
			wantLang := tt.lang
			if wantLang == "" {
				wantLang = "es"
			}
			assert.Equal(t, wantLang, string(got.Email.Lang))
			assert.NotEmpty(t, got.Email.Subject)
			assert.NotEmpty(t, got.Email.Body)
			if tt.status == "approved" {
				assert.Equal(t, 2, got.MissingForNextLevel)
				assert.Equal(t, []string{"support_dedicated", "academy", "workspace", "network_enrolment",
					"network_workshops"}, got.Benefits)
			}
		})
	}
}

func TestBenefitSelection(t *testing.T) {
	ts := newTestService(t, 10<<20)
	res := ts.post(t, "/v1/benefit-selections", map[string]any{"accountant_id": "a-0001", "day": "2026-01-31",
		"lang": "en", "benefits": []string{"workspace", "academy"}, "data": demoData(t)})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	var got selectionReport
	require.NoError(t, json.Unmarshal(res.body, &got))
	assert.Equal(t, 3, got.Level)
	assert.Equal(t, []string{"academy", "workspace"}, got.Benefits, "in the level's order")
	assert.Contains(t, got.Email.Body, "workspace to manage")
}

// TestRefusedSelections: each refusal is a 422 at the field at fault.
func TestRefusedSelections(t *testing.T) {
	tests := []struct {
		name     string
		id       string
		benefits any
		pointer  string
		detail   string
	}{
		{"another level's benefit", "a-0001", []string{"workspace", "rewards"}, "/benefits/1", "of level 4"},
		{"selected twice", "a-0001", []string{"academy", "workspace", "academy"}, "/benefits/2", "twice"},
		{"unknown benefit", "a-0001", []string{"yacht"}, "/benefits/0", "unknown benefit"},
		{"empty selection", "a-0001", []string{}, "/benefits", "no benefit selected"},
		{"not an array", "a-0001", "academy", "/benefits", "array of benefit ids"},
		{"missing", "a-0001", nil, "/benefits", "missing field"},
		{"not approved", "a-nobody", []string{"academy"}, "/accountant_id", "not approved (not_registered)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestService(t, 10<<20)
			body := map[string]any{"accountant_id": tt.id, "day": "2026-01-31", "data": demoData(t)}
			if tt.benefits != nil {
				body["benefits"] = tt.benefits
			}
			res := ts.post(t, "/v1/benefit-selections", body)
			require.Equal(t, http.StatusUnprocessableEntity, res.status, "%s", res.body)
			var p problem
			require.NoError(t, json.Unmarshal(res.body, &p))
			require.Len(t, p.Errors, 1, "%s", res.body)
			assert.Equal(t, tt.pointer, p.Errors[0].Pointer)
			assert.Contains(t, p.Errors[0].Detail, tt.detail)
		})
	}
}

// TestSelectionReportsEveryBadField: the benefits and the data are checked
// in one pass.
func TestSelectionReportsEveryBadField(t *testing.T) {
	ts := newTestService(t, 10<<20)
	res := ts.post(t, "/v1/benefit-selections", map[string]any{"accountant_id": "a-0001", "day": "2026-02-30",
		"benefits": "academy", "data": map[string]any{"clients": []any{map[string]any{"client_id": 1}}}})
	require.Equal(t, http.StatusUnprocessableEntity, res.status, "%s", res.body)
	var p problem
	require.NoError(t, json.Unmarshal(res.body, &p))
	var pointers []string
	for _, e := range p.Errors {
		pointers = append(pointers, e.Pointer)
	}
	assert.Subset(t, pointers, []string{"/day", "/benefits", "/data/clients/0/client_id"})
}

func TestActivationBadLanguage(t *testing.T) {
	ts := newTestService(t, 10<<20)
	res := ts.post(t, "/v1/activation-requests", map[string]any{"accountant_id": "a-0001", "day": "2026-01-31",
		"lang": "fr", "data": demoData(t)})
	require.Equal(t, http.StatusUnprocessableEntity, res.status, "%s", res.body)
	var p problem
	require.NoError(t, json.Unmarshal(res.body, &p))
	require.Len(t, p.Errors, 1)
	assert.Equal(t, "/lang", p.Errors[0].Pointer)
}
