package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/benefits"
	"github.com/caba1337/referralrules/referral"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Endpoints that answer 200.

func TestHealthz(t *testing.T) {
	ts := newTestService(t, 1<<20)
	res := ts.do(t, http.MethodGet, "/healthz", "", nil)
	require.Equal(t, http.StatusOK, res.status)
	assert.Equal(t, "ok", res.json(t)["status"])
}

func TestProgram(t *testing.T) {
	ts := newTestService(t, 1<<20)
	res := ts.do(t, http.MethodGet, "/v1/program", "", nil)
	require.Equal(t, http.StatusOK, res.status)
	var got programSummary
	require.NoError(t, json.Unmarshal(res.body, &got))
	p := ts.rules.Program()
	assert.Equal(t, "2026.1", got.Version)
	assert.Equal(t, p.Checksum(), got.Checksum)
	assert.Equal(t, "2026.1+"+p.Checksum()[:12], res.header.Get("Rules-Version"))
	require.Len(t, got.Levels, 4)
	assert.Equal(t, levelJSON{Number: 4, Min: 26, Rate: "0.25", Benefits: got.Levels[3].Benefits}, got.Levels[3])
	assert.Equal(t, "0.1", got.Levels[0].Rate)
	assert.Contains(t, got.Levels[1].Benefits, "network_enrolment")
	require.Len(t, got.Countries, 4)
	assert.Equal(t, countryJSON{Code: "CR", Name: "Costa Rica", Currency: "CRC", TimeZone: "America/Costa_Rica"},
		got.Countries[1])
	assert.Equal(t, "half_up", got.Settings.Rounding)
	assert.Len(t, got.Benefits, 13)
}

// TestCountReferrals: a-0001 had 24 active paid referrals on 2026-01-31
// (level 3, 13-25), so 2 more reach level 4, as the CLI answers.
func TestCountReferrals(t *testing.T) {
	ts := newTestService(t, 1<<20)
	res := ts.post(t, "/v1/referrals/count", map[string]any{
		"accountant_id": "a-0001", "day": "2026-01-31", "data": demoData(t)})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	var got referralrules.Referrals
	require.NoError(t, json.Unmarshal(res.body, &got))
	assert.Equal(t, "a-0001", got.AccountantID)
	assert.Equal(t, "2026-01-31", got.Day.String())
	assert.Equal(t, 24, got.ActivePaidReferrals)
	assert.Equal(t, 3, got.Level)
	assert.Equal(t, 4, got.NextLevel)
	assert.Equal(t, 2, got.MissingForNextLevel)
	assert.Len(t, got.Clients, 31)
}

// TestStatements compares the service's statements of a-0001 for 2026-01
// to 2026-11 with the demo's expected/statements.csv, row by row.
func TestStatements(t *testing.T) {
	ts := newTestService(t, 1<<20)
	res := ts.post(t, "/v1/statements", map[string]any{"from": "2026-01", "to": "2026-11", "data": demoData(t)})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	var got struct {
		From, To   string
		Statements []map[string]any
	}
	require.NoError(t, json.Unmarshal(res.body, &got))
	assert.Equal(t, "2026-01", got.From)
	assert.Equal(t, "2026-11", got.To)

	want := expectedStatements(t, "a-0001")
	require.NotEmpty(t, want)
	require.Len(t, got.Statements, len(want))
	for i, st := range got.Statements {
		w := want[i]
		key := w["month"] + " " + w["currency"]
		assert.Equal(t, w["month"], st["month"], key)
		assert.Equal(t, w["currency"], st["currency"], key)
		for _, f := range []string{"base", "commission", "adjustments", "net", "reason", "rate", "payable_month"} {
			assert.Equal(t, w[f], st[f], "%s %s", key, f)
		}
		assert.NotNil(t, st["lines"], key)
	}
}

// expectedStatements reads the rows of accountant id from the demo's
// expected statements.csv.
func expectedStatements(t *testing.T, id string) []map[string]string {
	t.Helper()
	f, err := os.Open("../data/demo/expected/statements.csv")
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var out []map[string]string
	for _, row := range rows[1:] {
		if row[0] != id {
			continue
		}
		m := map[string]string{}
		for i, name := range rows[0] {
			m[name] = row[i]
		}
		out = append(out, m)
	}
	return out
}

func TestStatementsToDefaultsToFrom(t *testing.T) {
	ts := newTestService(t, 1<<20)
	res := ts.post(t, "/v1/statements", map[string]any{"from": "2026-03", "data": demoData(t)})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	v := res.json(t)
	assert.Equal(t, "2026-03", v["to"])
	assert.Len(t, v["statements"], 1)
}

func TestStatementsOfNoAccountantIsEmptyList(t *testing.T) {
	ts := newTestService(t, 1<<20)
	res := ts.post(t, "/v1/statements", map[string]any{"from": "2026-03", "data": map[string]any{}})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	assert.Equal(t, []any{}, res.json(t)["statements"])
}

// Error answers, one table per status family. Each answer is also checked
// by testService.do against the OpenAPI document.

func TestBadRequests(t *testing.T) {
	deep := strings.Repeat("[", 17) + strings.Repeat("]", 17)
	tests := []struct {
		name   string
		target string
		ctype  string
		body   string
		status int
		detail string // part of the problem's detail
	}{
		// 400: not well-formed JSON, or beyond the limits of its shape.
		{"broken syntax", "/v1/statements", "application/json", `{"from": `, 400, "unexpected end"},
		{"bad token", "/v1/statements", "application/json", `{"from": x}`, 400, "invalid character"},
		{"empty body", "/v1/statements", "application/json", ``, 400, "empty"},
		{"array body", "/v1/statements", "application/json", `[]`, 400, "must be a JSON object"},
		{"data after", "/v1/statements", "application/json", `{} {}`, 400, "after top-level value"},
		{"deep nesting", "/v1/referrals/count", "application/json", `{"data":` + deep + `}`, 400, "nested deeper than 16"},
		{"long number", "/v1/statements", "application/json", `{"from":` + strings.Repeat("9", 33) + `}`, 400,
			"a number longer than 32 characters at byte 8"},
		{"long number in a string is text", "/v1/statements", "application/json",
			`{"from":"` + strings.Repeat("9", 33) + `"}`, 422, ""},
		{"escaped quote keeps the string open", "/v1/statements", "application/json",
			`{"from":"\\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}`, 422, ""},

		// 415: not JSON.
		{"no content type", "/v1/statements", "", `{}`, 415, "Content-Type is missing"},
		{"text/plain", "/v1/referrals/count", "text/plain", `{}`, 415, "text/plain"},
		{"latin-1", "/v1/statements", "application/json; charset=iso-8859-1", `{}`, 415, "charset"},

		// 404 and 405.
		{"unknown path", "/v2/statements", "application/json", `{}`, 404, "/v2/statements"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestService(t, 1<<20)
			res := ts.do(t, http.MethodPost, tt.target, tt.ctype, []byte(tt.body))
			require.Equal(t, tt.status, res.status, "%s", res.body)
			p := res.json(t)
			assert.EqualValues(t, tt.status, p["status"])
			assert.Equal(t, tt.target, p["instance"])
			assert.Contains(t, p["detail"], tt.detail)
		})
	}
}

// TestUnreadableBody: a body that breaks off is the client's fault, a 400.
func TestUnreadableBody(t *testing.T) {
	ts := newTestService(t, 1<<20)
	req := httptest.NewRequest(http.MethodPost, "/v1/statements", io.MultiReader(
		strings.NewReader(`{"from":`), iotest.ErrReader(io.ErrUnexpectedEOF)))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	ts.h.ServeHTTP(rec, req)
	require.Equal(t, http.StatusBadRequest, rec.Code, "%s", rec.Body)
	assert.Contains(t, rec.Body.String(), "unreadable-body")
	assert.Empty(t, logLines(t, ts.log.String(), "request failed"), "not logged as a fault of the service")
}

// TestBusy: with every slot taken, a POST waits up to queueWait and then
// gets a 503 with Retry-After; a GET does not wait. A body is read and
// checked before the wait: a bad one is answered at once.
func TestBusy(t *testing.T) {
	buf := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(buf, nil))
	rs, err := newRuleSet("", log)
	require.NoError(t, err)
	s := newService(rs, referralrules.DefaultEmails(), log,
		limits{maxBody: 1 << 20, maxComputing: 1, queueWait: 50 * time.Millisecond})
	ts := &testService{h: s.handler(), rules: rs, log: buf}
	s.slots <- struct{}{} // a request computing

	res := ts.post(t, "/v1/statements", map[string]any{"from": "2026-01", "data": map[string]any{}})
	require.Equal(t, http.StatusServiceUnavailable, res.status, "%s", res.body)
	assert.Equal(t, "1", res.header.Get("Retry-After"))
	assert.Equal(t, http.StatusOK, ts.do(t, http.MethodGet, "/v1/program", "", nil).status)
	res = ts.do(t, http.MethodPost, "/v1/statements", "application/json", []byte(`{"from":`))
	assert.Equal(t, http.StatusBadRequest, res.status, "%s", res.body)

	<-s.slots
	res = ts.post(t, "/v1/statements", map[string]any{"from": "2026-01", "data": map[string]any{}})
	require.Equal(t, http.StatusOK, res.status, "%s", res.body)
	assert.Empty(t, s.slots, "the slot is given back")
}

// TestSlowBodyHoldsNoSlot: a request whose body is still arriving does
// not keep the only slot from another.
func TestSlowBodyHoldsNoSlot(t *testing.T) {
	buf := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(buf, nil))
	rs, err := newRuleSet("", log)
	require.NoError(t, err)
	s := newService(rs, referralrules.DefaultEmails(), log,
		limits{maxBody: 1 << 20, maxComputing: 1, queueWait: 50 * time.Millisecond})
	ts := &testService{h: s.handler(), rules: rs, log: buf}

	pr, pw := io.Pipe()
	slow := httptest.NewRequest(http.MethodPost, "/v1/statements", pr)
	slow.Header.Set("Content-Type", "application/json")
	done := make(chan int)
	go func() {
		rec := httptest.NewRecorder()
		ts.h.ServeHTTP(rec, slow)
		done <- rec.Code
	}()
	pw.Write([]byte(`{"from":"2026-01",`)) // the handler is reading

	res := ts.post(t, "/v1/statements", map[string]any{"from": "2026-01", "data": map[string]any{}})
	assert.Equal(t, http.StatusOK, res.status, "%s", res.body)
	pw.Write([]byte(`"data":{}}`))
	pw.Close()
	assert.Equal(t, http.StatusOK, <-done)
}

func TestMethodNotAllowed(t *testing.T) {
	ts := newTestService(t, 1<<20)
	res := ts.do(t, http.MethodGet, "/v1/statements", "", nil)
	require.Equal(t, http.StatusMethodNotAllowed, res.status)
	assert.Equal(t, "POST", res.header.Get("Allow"))
	res = ts.do(t, http.MethodDelete, "/v1/program", "", nil)
	require.Equal(t, http.StatusMethodNotAllowed, res.status)
	assert.Equal(t, "GET, HEAD", res.header.Get("Allow"))
}

func TestBodyTooLarge(t *testing.T) {
	ts := newTestService(t, 1024)
	big := `{"from":"2026-01","data":{"accountants":[],"x":"` + strings.Repeat("a", 2000) + `"}}`

	// With a Content-Length the service refuses before reading; without
	// one (chunked), http.MaxBytesReader stops the read at the limit.
	res := ts.do(t, http.MethodPost, "/v1/statements", "application/json", []byte(big))
	require.Equal(t, http.StatusRequestEntityTooLarge, res.status, "%s", res.body)
	assert.Contains(t, res.json(t)["detail"], "larger than the limit of 1024 bytes")
	req := httptest.NewRequest(http.MethodPost, "/v1/statements", strings.NewReader(big))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	ts.h.ServeHTTP(rec, req)
	require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, "%s", rec.Body)
	assert.Contains(t, rec.Body.String(), "larger than the limit of 1024 bytes")
	assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
}

// TestInvalidData: valid JSON that breaks a rule of the data is 422, with
// the pointer and path of every bad field.
func TestInvalidData(t *testing.T) {
	acc := map[string]any{"accountant_id": "a-1", "country": "CO", "registered": true}
	mx := map[string]any{"accountant_id": "a-2", "country": "MX", "registered": true}
	client := map[string]any{"client_id": "c-1", "accountant_id": "a-1", "linked_on": "2026-01-01"}
	pay := map[string]any{"payment_id": "p-1", "client_id": "c-1", "paid_at": "2026-01-05T10:00:00-05:00",
		"period_start": "2026-01-05", "period_end": "2026-02-04", "amount": "100.000", "currency": "COP"}
	data := map[string]any{"accountants": []any{acc, mx}, "clients": []any{client}, "payments": []any{pay}}
	good := map[string]any{"accountants": []any{acc, mx}}
	tests := []struct {
		name     string
		target   string
		body     map[string]any
		pointers []string
	}{
		{"three decimals in COP", "/v1/statements", map[string]any{"from": "2026-01", "data": data},
			[]string{"/data/payments/0/amount"}},
		{"unknown field", "/v1/statements", map[string]any{"from": "2026-01", "data": good, "month": "x"},
			[]string{"/month"}},
		{"missing from and data", "/v1/statements", map[string]any{}, []string{"/from", "/data"}},
		{"data not an object", "/v1/statements", map[string]any{"from": "2026-01", "data": []any{}},
			[]string{"/data"}},
		{"bad month", "/v1/statements", map[string]any{"from": "2026-13", "data": good}, []string{"/from"}},
		{"to before from", "/v1/statements", map[string]any{"from": "2026-05", "to": "2026-04", "data": good},
			[]string{"/to"}},
		{"too many months", "/v1/statements", map[string]any{"from": "2000-01", "to": "2026-04", "data": good},
			[]string{"/to"}},
		{"day not a string", "/v1/referrals/count", map[string]any{"accountant_id": "a-1", "day": 5, "data": good},
			[]string{"/day"}},
		{"no such day", "/v1/referrals/count", map[string]any{"accountant_id": "a-1", "day": "2026-02-30", "data": good},
			[]string{"/day"}},
		{"accountant not in data", "/v1/referrals/count",
			map[string]any{"accountant_id": "a-9", "day": "2026-02-01", "data": good}, []string{"/accountant_id"}},
		{"accountant outside the program", "/v1/referrals/count",
			map[string]any{"accountant_id": "a-2", "day": "2026-02-01", "data": good}, []string{"/accountant_id"}},
		{"amount as a number", "/v1/referrals/count", map[string]any{"accountant_id": "a-1", "day": "2026-02-01",
			"data": map[string]any{"payments": []any{map[string]any{"amount": 5}}}},
			[]string{"/data/payments/0/amount"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestService(t, 1<<20)
			res := ts.post(t, tt.target, tt.body)
			require.Equal(t, http.StatusUnprocessableEntity, res.status, "%s", res.body)
			var p problem
			require.NoError(t, json.Unmarshal(res.body, &p))
			var pointers []string
			for _, e := range p.Errors {
				pointers = append(pointers, e.Pointer)
				assert.NotEmpty(t, e.Detail)
				assert.NotEmpty(t, e.Path)
			}
			for _, want := range tt.pointers {
				assert.Contains(t, pointers, want, "%s", res.body)
			}
		})
	}
}

// TestPointerOf covers the paths the library writes, including an unknown
// field whose name holds the characters a path or a pointer use.
func TestPointerOf(t *testing.T) {
	tests := []struct{ column, path, want string }{
		{"amount", "data.payments[3].amount", "/data/payments/3/amount"},
		{"day", "day", "/day"},
		{"a.b[1]/~", "data.clients[0].a.b[1]/~", "/data/clients/0/a.b[1]~1~0"},
		{"", "data", "/data"},
	}
	for _, tt := range tests {
		got := pointerOf(&referral.FieldError{Column: tt.column, Path: tt.path})
		assert.Equal(t, tt.want, got, "pointerOf(%q, %q)", tt.column, tt.path)
	}
}

// TestEveryErrorKindHasOneStatus runs each kind of error through the one
// table.
func TestEveryErrorKindHasOneStatus(t *testing.T) {
	tests := []struct {
		err    error
		status int
	}{
		{&http.MaxBytesError{Limit: 1}, 413},
		{problemf(errMediaType, "x"), 415},
		{problemf(errMalformed, "x"), 400},
		{tooLarge(io.ErrUnexpectedEOF), 400},
		{problemf(errNotFound, "x"), 404},
		{problemf(errMethod, "x"), 405},
		{problemf(errBusy, "x"), 503},
		{fieldError("day", "", problemf(errInvalidField, "x")), 422},
		{problemf(errUnprocessed, "x"), 422},
		{&benefits.SelectionError{Err: benefits.ErrOtherLevel, ID: "rewards"}, 422},
		{fmt.Errorf("no day: %w", benefits.ErrRequest), 422},
		{errors.New("something else"), 500},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.status, kindOfError(tt.err).status, "kindOfError(%v)", tt.err)
	}
}

// TestPanicIsA500AndTheServiceGoesOn: a handler that panics gets a problem
// answer and a log line; the next request is served.
func TestPanicIsA500AndTheServiceGoesOn(t *testing.T) {
	ts := newTestService(t, 1<<20)
	s := &service{rules: ts.rules, log: slog.New(slog.NewJSONHandler(ts.log, nil))}
	h := s.observe(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
	assert.NotContains(t, rec.Body.String(), "boom", "the panic's value stays in the log")
	panics := logLines(t, ts.log.String(), "panic")
	require.Len(t, panics, 1)
	assert.Equal(t, "boom", panics[0]["value"])

	res := ts.do(t, http.MethodGet, "/healthz", "", nil)
	assert.Equal(t, http.StatusOK, res.status)
}

// TestAccessLog: one line per request with method, path, status, duration
// and rules version.
func TestAccessLog(t *testing.T) {
	ts := newTestService(t, 1<<20)
	ts.do(t, http.MethodGet, "/v1/program", "", nil)
	ts.do(t, http.MethodPost, "/v1/statements", "text/plain", nil)
	lines := logLines(t, ts.log.String(), "request")
	require.Len(t, lines, 2)
	assert.Equal(t, "GET", lines[0]["method"])
	assert.Equal(t, "/v1/program", lines[0]["path"])
	assert.Equal(t, "GET /v1/program", lines[0]["pattern"])
	assert.EqualValues(t, 200, lines[0]["status"])
	assert.EqualValues(t, 415, lines[1]["status"])
	assert.Equal(t, versionOf(ts.rules.Program()), lines[1]["rules_version"])
	assert.Contains(t, lines[1], "duration_us")
}

// TestRequestFiles: the requests of the README's curl session get the
// answers it shows.
func TestRequestFiles(t *testing.T) {
	tests := []struct {
		file, target string
		status       int
		has          string
	}{
		{"count.json", "/v1/referrals/count", 200, `"active_paid_referrals": 5`},
		{"statements.json", "/v1/statements", 200, `"commission": "50000.00"`},
		{"activation.json", "/v1/activation-requests", 200, `"status": "approved"`},
		{"selection.json", "/v1/benefit-selections", 200, `"benefits": [`},
		{"bad.json", "/v1/referrals/count", 422, `"pointer":"/data/payments/2/amount"`},
	}
	ts := newTestService(t, 1<<20)
	for _, tt := range tests {
		b, err := os.ReadFile("testdata/requests/" + tt.file)
		require.NoError(t, err)
		res := ts.do(t, http.MethodPost, tt.target, "application/json", b)
		assert.Equal(t, tt.status, res.status, "%s: %s", tt.file, res.body)
		assert.Contains(t, string(res.body), tt.has, tt.file)
	}
}

func TestEmptyAccountantID(t *testing.T) {
	ts := newTestService(t, 1<<20)
	for _, target := range []string{"/v1/referrals/count", "/v1/activation-requests"} {
		res := ts.post(t, target, map[string]any{"accountant_id": "", "day": "2026-01-31", "data": demoData(t)})
		require.Equal(t, http.StatusUnprocessableEntity, res.status, "%s: %s", target, res.body)
		assert.Contains(t, string(res.body), `"pointer":"/accountant_id"`, target)
	}
}

// BenchmarkCountReferrals is the CPU cost of one referral count of demo
// accountant a-0001 (90 KB of data), the request of the load test.
func BenchmarkCountReferrals(b *testing.B) {
	buf := &syncBuffer{}
	rs, err := newRuleSet("", slog.New(slog.NewJSONHandler(buf, nil)))
	require.NoError(b, err)
	h := newHandler(rs, referralrules.DefaultEmails(), slog.New(slog.DiscardHandler), defaultLimits)
	data, err := os.ReadFile(demoAccountant)
	require.NoError(b, err)
	body, err := json.Marshal(map[string]any{"accountant_id": "a-0001", "day": "2026-01-31",
		"data": json.RawMessage(data)})
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v1/referrals/count", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		benchStatus = rec.Code
	}
}

var benchStatus int

// FuzzScan: whatever the body, scan does not panic, and what it accepts is
// one valid JSON object within the depth limit.
func FuzzScan(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,2,{"b":"\"["}]}`, `[]`, `{"x":` + strings.Repeat("[", 20),
		`{"n":123456789012345678901234567890123}`, `{"s":"\\"}`, "", " {} ", `{} {}`, `{"a":tru}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if scan(data) != nil {
			return
		}
		if !json.Valid(data) {
			t.Fatalf("scan accepted invalid JSON %q", data)
		}
		// Numbers stay text: a valid number such as 1E700 does not fit a
		// float64, and the service reads no number as one.
		var v map[string]any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("scan accepted %q, which is not an object: %v", data, err)
		}
		if d := depthOf(v); d > maxDepth {
			t.Fatalf("scan accepted depth %d in %q", d, data)
		}
	})
}

// depthOf is the nesting depth of a decoded JSON value.
func depthOf(v any) int {
	d := 0
	switch v := v.(type) {
	case map[string]any:
		for _, x := range v {
			d = max(d, depthOf(x))
		}
		return d + 1
	case []any:
		for _, x := range v {
			d = max(d, depthOf(x))
		}
		return d + 1
	}
	return 0
}
