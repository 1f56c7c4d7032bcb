package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caba1337/referralrules"
)

// process is the real binary of the service, started by a test.
type process struct {
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:port
	stderr *syncBuffer
	done   chan error // receives the result of Wait
}

// buildBinary compiles the service into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "referrals-http")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// start runs bin on a free loopback port (port 0) and waits for its
// "listening" log line, which names the port.
func start(t *testing.T, bin string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	pipe, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	p := &process{cmd: cmd, stderr: &syncBuffer{}, done: make(chan error, 1)}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-p.done
		}
	})

	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			p.stderr.Write(append(sc.Bytes(), '\n'))
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
				addr <- line.Addr
			}
		}
		p.done <- cmd.Wait()
	}()
	select {
	case a := <-addr:
		p.base = "http://" + a
	case <-time.After(10 * time.Second):
		t.Fatalf("the service did not start:\n%s", p.stderr)
	}
	return p
}

// signal sends sig to the process.
func (p *process) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(sig))
}

// wait returns the exit code, failing the test if it takes too long.
func (p *process) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(30 * time.Second):
		t.Fatalf("the service did not exit:\n%s", p.stderr)
		return -1
	}
}

// version asks the running service which rules version it serves.
func (p *process) version(t *testing.T) string {
	t.Helper()
	res, err := http.Get(p.base + "/v1/program")
	require.NoError(t, err)
	defer res.Body.Close()
	var v struct{ Version string }
	require.NoError(t, json.NewDecoder(res.Body).Decode(&v))
	require.Equal(t, v.Version+"+", res.Header.Get("Rules-Version")[:len(v.Version)+1])
	return v.Version
}

// TestEndToEnd builds the real binary and runs it: answers over HTTP,
// SIGHUP with a changed and then a broken rules file, and SIGTERM while
// requests are in flight, none of which may fail; the exit code is 0.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	writeRules(t, rules, rulesText(t, "e2e.1", false))
	// A poll of an hour: only SIGHUP can reload in this test.
	p := start(t, buildBinary(t), "-rules", rules, "-poll", "1h")

	res, err := http.Get(p.base + "/healthz")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "e2e.1", p.version(t))

	// A changed file is served after SIGHUP.
	writeRules(t, rules, rulesText(t, "e2e.2", false))
	p.signal(t, syscall.SIGHUP)
	require.Eventually(t, func() bool { return p.version(t) == "e2e.2" }, 10*time.Second, 20*time.Millisecond)

	// A broken file is logged and the last good rules keep serving.
	writeRules(t, rules, brokenRules(t, "e2e.3"))
	p.signal(t, syscall.SIGHUP)
	require.Eventually(t, func() bool {
		return strings.Contains(p.stderr.String(), "rules file does not load")
	}, 10*time.Second, 20*time.Millisecond)
	assert.Equal(t, "e2e.2", p.version(t))

	// SIGTERM while requests are in flight: each has sent its headers and
	// half its body when the signal comes, and all are answered in full.
	results := inFlight(t, p, 8, func() {
		p.signal(t, syscall.SIGTERM)
		require.Eventually(t, func() bool {
			return strings.Contains(p.stderr.String(), `"msg":"shutting down"`)
		}, 10*time.Second, 5*time.Millisecond)
	})
	for i, r := range results {
		assert.NoError(t, r.err, "request %d", i)
		assert.Equal(t, http.StatusOK, r.status, "request %d", i)
		assert.Equal(t, 24, r.active, "request %d", i)
	}
	assert.Equal(t, 0, p.wait(t), "exit code; log:\n%s", p.stderr)
	assert.Contains(t, p.stderr.String(), `"msg":"stopped"`)

	// The log proves the requests were in flight: all 8 were answered
	// after the shutdown began.
	log := p.stderr.String()
	after := log[strings.Index(log, `"msg":"shutting down"`):]
	assert.Len(t, logLines(t, after[strings.Index(after, "\n")+1:], "request"), 8)

	_, err = http.Get(p.base + "/healthz")
	assert.Error(t, err, "the service is gone")
}

// flight is the outcome of one request of inFlight.
type flight struct {
	err    error
	status int
	active int
}

// inFlight starts n referral counts whose bodies stall halfway, calls
// during once every request's headers are out and the server has had time
// to start handling them, then lets the bodies finish when during returns.
func inFlight(t *testing.T, p *process, n int, during func()) []flight {
	t.Helper()
	body, err := json.Marshal(map[string]any{"accountant_id": "a-0001", "day": "2026-01-31", "data": demoData(t)})
	require.NoError(t, err)
	half := len(body) / 2

	client := &http.Client{Transport: &http.Transport{}, Timeout: 30 * time.Second}
	out := make([]flight, n)
	var sent, wg sync.WaitGroup
	writers := make([]*io.PipeWriter, n)
	for i := range n {
		pr, pw := io.Pipe()
		writers[i] = pw
		sent.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = post(client, p.base+"/v1/referrals/count", pr, int64(len(body)), sent.Done)
		}()
		go pw.Write(body[:half]) // blocks until the transport reads it
	}
	sent.Wait()
	time.Sleep(300 * time.Millisecond) // the server reads the headers and starts the handlers
	during()
	for _, pw := range writers {
		go func() {
			pw.Write(body[half:])
			pw.Close()
		}()
	}
	wg.Wait()
	return out
}

// post sends one referral count with the body read from r, calling
// wroteHeaders once its headers are on the wire.
func post(client *http.Client, url string, r io.Reader, size int64, wroteHeaders func()) flight {
	var once sync.Once
	trace := &httptrace.ClientTrace{WroteHeaders: func() { once.Do(wroteHeaders) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace),
		http.MethodPost, url, r)
	if err != nil {
		once.Do(wroteHeaders)
		return flight{err: err}
	}
	req.ContentLength = size
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	once.Do(wroteHeaders)
	if err != nil {
		return flight{err: err}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return flight{err: err}
	}
	var c referralrules.Referrals
	if err := json.Unmarshal(b, &c); err != nil {
		return flight{err: errors.Join(err, errors.New(string(bytes.TrimSpace(b))))}
	}
	return flight{status: res.StatusCode, active: c.ActivePaidReferrals}
}

// TestBinaryCommandLine: -h exits 0, a bad flag 2, rules that do not load 1.
func TestBinaryCommandLine(t *testing.T) {
	var stderr bytes.Buffer
	assert.Equal(t, 0, run([]string{"-h"}, &stderr))
	assert.Contains(t, stderr.String(), "usage: http")
	assert.Equal(t, 2, run([]string{"-nope"}, io.Discard))
	assert.Equal(t, 2, run([]string{"-max-body", "0"}, io.Discard))
	assert.Equal(t, 2, run([]string{"extra"}, io.Discard))

	broken := filepath.Join(t.TempDir(), "rules.yaml")
	writeRules(t, broken, brokenRules(t, "x"))
	stderr.Reset()
	assert.Equal(t, 1, run([]string{"-rules", broken}, &stderr))
	assert.Contains(t, stderr.String(), "rules do not load")
	assert.Contains(t, stderr.String(), "levels[4].rate")
	assert.Equal(t, 1, run([]string{"-addr", "256.0.0.1:1"}, io.Discard))
}
