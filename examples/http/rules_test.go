package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/caba1337/referralrules"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// brokenRules is the default rules.yaml with a rate above 100%.
func brokenRules(t *testing.T, version string) string {
	t.Helper()
	s := strings.Replace(rulesText(t, version, false), `rate: "25%"`, `rate: "125%"`, 1)
	require.Contains(t, s, "125%")
	return s
}

func TestReloadServesTheNewRules(t *testing.T) {
	ts := newTestService(t, 1<<20)
	writeRules(t, ts.path, rulesText(t, "2026.2", false))
	require.True(t, ts.rules.Reload(false))
	assert.Equal(t, "2026.2", ts.rules.Program().Version())
	res := ts.do(t, http.MethodGet, "/v1/program", "", nil)
	assert.Equal(t, "2026.2", res.json(t)["version"])
	assert.Equal(t, versionOf(ts.rules.Program()), res.header.Get("Rules-Version"))
	lines := logLines(t, ts.log.String(), "rules reloaded")
	require.Len(t, lines, 1)
	assert.Equal(t, lines[0]["previous_version"], "2026.1+"+referralrules.Default().Checksum()[:12])
}

func TestReloadKeepsTheLastGoodRules(t *testing.T) {
	ts := newTestService(t, 1<<20)
	writeRules(t, ts.path, brokenRules(t, "2026.2"))
	require.False(t, ts.rules.Reload(false))
	assert.Equal(t, "2026.1", ts.rules.Program().Version())

	// The failure is logged once, with the file, line and column of each
	// problem; polling the same broken file again says nothing more.
	require.False(t, ts.rules.Reload(false))
	lines := logLines(t, ts.log.String(), "rules file does not load; the last good rules keep serving")
	require.Len(t, lines, 1)
	problems := lines[0]["problems"].([]any)
	require.Len(t, problems, 1)
	assert.Regexp(t, `rules\.yaml:\d+:\d+: levels\[4\]\.rate: `, problems[0])
	assert.Equal(t, "2026.1+"+referralrules.Default().Checksum()[:12], lines[0]["rules_version"])

	// SIGHUP forces another try, and a fixed file loads.
	require.False(t, ts.rules.Reload(true))
	assert.Len(t, logLines(t, ts.log.String(), "rules file does not load; the last good rules keep serving"), 2)
	writeRules(t, ts.path, rulesText(t, "2026.3", false))
	require.True(t, ts.rules.Reload(false))
	assert.Equal(t, "2026.3", ts.rules.Program().Version())
}

func TestReloadIgnoresAnUnchangedFile(t *testing.T) {
	ts := newTestService(t, 1<<20)
	before := ts.rules.Program()
	require.False(t, ts.rules.Reload(false))
	require.False(t, ts.rules.Reload(true), "same bytes: nothing to swap")

	// Touched, same bytes.
	now := time.Now().Add(time.Second)
	require.NoError(t, os.Chtimes(ts.path, now, now))
	require.False(t, ts.rules.Reload(false))
	assert.Same(t, before, ts.rules.Program())
}

func TestReloadOfAMissingFile(t *testing.T) {
	ts := newTestService(t, 1<<20)
	require.NoError(t, os.Remove(ts.path))
	require.False(t, ts.rules.Reload(false))
	require.False(t, ts.rules.Reload(false))
	assert.Equal(t, "2026.1", ts.rules.Program().Version())
	assert.Len(t, logLines(t, ts.log.String(), "rules reload failed; the last good rules keep serving"), 1)
}

func TestEmbeddedRulesDoNotReload(t *testing.T) {
	rs, err := newRuleSet("", slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	assert.False(t, rs.Reload(true))
	assert.Same(t, referralrules.Default(), rs.Program())
}

// TestWatch: the poll finds a changed file by itself, and a signal on hup
// reloads at once.
func TestWatch(t *testing.T) {
	ts := newTestService(t, 1<<20)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hup := make(chan os.Signal, 1)
	go ts.rules.watch(ctx, 10*time.Millisecond, hup)
	writeRules(t, ts.path, rulesText(t, "2026.2", false))
	assert.Eventually(t, func() bool { return ts.rules.Program().Version() == "2026.2" },
		5*time.Second, 5*time.Millisecond)

	slow := newTestService(t, 1<<20)
	slowHup := make(chan os.Signal, 1)
	go slow.rules.watch(ctx, time.Hour, slowHup)
	writeRules(t, slow.path, rulesText(t, "2026.9", false))
	slowHup <- os.Interrupt // any signal value: the channel is what counts
	assert.Eventually(t, func() bool { return slow.rules.Program().Version() == "2026.9" },
		5*time.Second, 5*time.Millisecond)
}

// TestARequestSeesOneVersion: rules reloaded while a request runs do not
// reach it; its header and its handler keep the rules of its start.
func TestARequestSeesOneVersion(t *testing.T) {
	ts := newTestService(t, 1<<20)
	s := &service{rules: ts.rules, log: slog.New(slog.DiscardHandler)}
	var seen string
	reloadMidway := func(_ *service, w http.ResponseWriter, _ *http.Request, p *referralrules.Program) error {
		writeRules(t, ts.path, rulesText(t, "2026.2", false))
		require.True(t, ts.rules.Reload(false))
		seen = p.Version()
		return writeJSON(w, http.StatusOK, summarize(p))
	}
	h := s.observe(s.endpoint(reloadMidway))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/program", nil))
	assert.Equal(t, "2026.1", seen)
	assert.True(t, strings.HasPrefix(rec.Header().Get("Rules-Version"), "2026.1+"))
	assert.Contains(t, rec.Body.String(), `"version": "2026.1"`)
	assert.Equal(t, "2026.2", ts.rules.Program().Version())
}
