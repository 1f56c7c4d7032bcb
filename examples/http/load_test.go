package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoad sends requests from concurrent clients over loopback while the
// rules are reloaded, alternating two editions that place a-0001's 24
// active paid referrals on different levels (3 and 4). No answer may be a
// 5xx, and none may mix editions: the level in each body must be the one
// of the edition its Rules-Version header names.
//
// By default it is small (400 requests, 16 clients, 4 reloads). Set
// REFERRALS_HTTP_LOAD=1 for the full run of the README (20,000 requests,
// 64 clients, 50 reloads).
func TestLoad(t *testing.T) {
	requests, clients, reloads := 400, 16, 4
	if os.Getenv("REFERRALS_HTTP_LOAD") != "" {
		requests, clients, reloads = 20_000, 64, 50
	} else if testing.Short() {
		t.Skip("load test")
	}
	ts := newTestService(t, 10<<20)
	srv := httptest.NewServer(ts.h)
	defer srv.Close()

	// The two editions, and the level each gives a-0001 on 2026-01-31.
	texts := []string{rulesText(t, "load.3", false), rulesText(t, "load.4", true)}
	levelOf := map[string]int{
		versionOf(ts.rules.Program()):  3,
		"load.3+" + shortSum(texts[0]): 3,
		"load.4+" + shortSum(texts[1]): 4,
	}
	count, err := json.Marshal(map[string]any{"accountant_id": "a-0001", "day": "2026-01-31", "data": demoData(t)})
	require.NoError(t, err)

	// Reload every requests/(reloads+1) answers, alternating editions.
	var done atomic.Int64
	stop := make(chan struct{})
	reloaded := make(chan int)
	go func() {
		n := 0
		for n < reloads {
			select {
			case <-stop:
				reloaded <- n
				return
			case <-time.After(time.Millisecond):
			}
			if done.Load() >= int64((n+1)*requests/(reloads+1)) {
				if err := replaceFile(ts.path, texts[n%2]); err != nil {
					t.Error(err)
				}
				if ts.rules.Reload(false) {
					n++
				}
			}
		}
		<-stop
		reloaded <- n
	}()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: time.Minute}
	lat := make([]time.Duration, requests)
	var failures atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	begin := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(requests); i = next.Add(1) - 1 {
				t0 := time.Now()
				err := loadOne(client, srv.URL, i, count, levelOf)
				lat[i] = time.Since(t0)
				done.Add(1)
				if err != nil && failures.Add(1) <= 10 {
					t.Errorf("request %d: %v", i, err)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(begin)
	close(stop)
	assert.Equal(t, reloads, <-reloaded, "reloads done during the run")
	assert.Zero(t, failures.Load(), "failed requests")

	t.Logf("%d requests from %d clients with %d reloads in %s: %.0f requests/s",
		requests, clients, reloads, elapsed.Round(time.Millisecond), float64(requests)/elapsed.Seconds())
	var program, counts []time.Duration
	for i, d := range lat {
		if i%4 == 0 {
			program = append(program, d)
		} else {
			counts = append(counts, d)
		}
	}
	t.Logf("all:                                  %s", percentiles(lat))
	t.Logf("GET /v1/program (1 in 4):             %s", percentiles(program))
	t.Logf("POST /v1/referrals/count, 90 KB body: %s", percentiles(counts))
}

// percentiles writes the p50, p99 and maximum of ds, which it sorts.
func percentiles(ds []time.Duration) string {
	slices.Sort(ds)
	r := func(d time.Duration) time.Duration { return d.Round(10 * time.Microsecond) }
	return fmt.Sprintf("p50 %s, p99 %s, max %s", r(ds[len(ds)/2]), r(ds[len(ds)*99/100]), r(ds[len(ds)-1]))
}

// loadOne sends request i (every fourth a GET /v1/program, the others a
// referral count) and checks its answer against the edition its header
// names.
func loadOne(client *http.Client, base string, i int64, count []byte, levelOf map[string]int) error {
	var res *http.Response
	var err error
	if i%4 == 0 {
		res, err = client.Get(base + "/v1/program")
	} else {
		res, err = client.Post(base+"/v1/referrals/count", "application/json", bytes.NewReader(count))
	}
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", res.StatusCode, body)
	}
	rv := res.Header.Get("Rules-Version")
	want, ok := levelOf[rv]
	if !ok {
		return fmt.Errorf("unknown Rules-Version %q", rv)
	}
	var v struct {
		Version  string
		Checksum string
		Level    int
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	switch {
	case i%4 == 0 && v.Version+"+"+v.Checksum[:12] != rv:
		return fmt.Errorf("body of rules %s+%s under header %s", v.Version, v.Checksum[:12], rv)
	case i%4 != 0 && v.Level != want:
		return fmt.Errorf("level %d under header %s, whose rules give %d", v.Level, rv, want)
	}
	return nil
}

func shortSum(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])[:12]
}
