package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/caba1337/referralrules"
	"github.com/stretchr/testify/require"
)

// demoAccountant is the demo data of accountant a-0001 (CO, activated
// 2026-02-11): 31 clients and 416 payments, in the JSON shape of
// referral.ReadJSON.
const demoAccountant = "testdata/a-0001.json"

// testService is the service's handler over a rules file in a temporary
// folder, with its log kept for the test to read.
type testService struct {
	h     http.Handler
	rules *ruleSet
	path  string // the rules file
	log   *syncBuffer
}

// newTestService serves the default rules from a file the test may change,
// with the limits of the command line's defaults but for bodies of at most
// maxBody bytes.
func newTestService(t *testing.T, maxBody int64) *testService {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rules.yaml")
	writeRules(t, path, rulesText(t, "2026.1", false))
	buf := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(buf, nil))
	rs, err := newRuleSet(path, log)
	require.NoError(t, err)
	lim := defaultLimits
	lim.maxBody = maxBody
	h := newHandler(rs, referralrules.DefaultEmails(), log, lim)
	return &testService{h: h, rules: rs, path: path, log: buf}
}

// rulesText returns the default rules.yaml with its version replaced; with
// early4 set, level 3 ends at 23 and level 4 starts at 24, so that a-0001's
// 24 active paid referrals on 2026-01-31 are level 4 instead of 3.
func rulesText(t *testing.T, version string, early4 bool) string {
	t.Helper()
	b, err := os.ReadFile("../../rules.yaml")
	require.NoError(t, err)
	s := strings.Replace(string(b), `version: "2026.1"`, `version: "`+version+`"`, 1)
	if early4 {
		s = strings.Replace(s, "    min: 13\n    max: 25\n", "    min: 13\n    max: 23\n", 1)
		s = strings.Replace(s, "    min: 26\n", "    min: 24\n", 1)
	}
	require.Contains(t, s, `version: "`+version+`"`)
	return s
}

// writeRules replaces the rules file at path in one rename, so that a
// reader never sees half of it.
func writeRules(t *testing.T, path, text string) {
	t.Helper()
	require.NoError(t, replaceFile(path, text))
}

// replaceFile is writeRules for a goroutine other than the test's.
func replaceFile(path, text string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// result is an answer, read whole.
type result struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r result) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal(r.body, &v), "body: %s", r.body)
	return v
}

// do sends a request to ts and checks what every answer must hold: the
// Rules-Version header, and a status and body the OpenAPI document lists
// for the route.
func (ts *testService) do(t *testing.T, method, target, ctype string, body []byte) result {
	t.Helper()
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	rec := httptest.NewRecorder()
	ts.h.ServeHTTP(rec, req)
	res := result{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	require.Regexp(t, `^[^+]+\+[0-9a-f]{12}$`, res.header.Get("Rules-Version"))
	checkDocumented(t, method, req.URL.Path, res)
	return res
}

// post sends v, marshalled, as a JSON body.
func (ts *testService) post(t *testing.T, target string, v any) result {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return ts.do(t, http.MethodPost, target, "application/json", b)
}

// demoData returns the data of demoAccountant as a JSON value.
func demoData(t *testing.T) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(demoAccountant)
	require.NoError(t, err)
	return b
}

// syncBuffer is a buffer that the log and the test may use at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// logLines returns the JSON log lines whose msg is msg.
func logLines(t *testing.T, log string, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(strings.NewReader(log))
	for {
		var line map[string]any
		if err := dec.Decode(&line); err == io.EOF {
			return out
		} else if err != nil {
			t.Fatalf("log is not JSON lines: %v\n%s", err, log)
		}
		if line["msg"] == msg {
			out = append(out, line)
		}
	}
}
