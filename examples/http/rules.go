package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/caba1337/referralrules"
)

// ruleSet holds the rules that answer requests and replaces them, whole,
// when the rules file changes. Readers take the current Program with one
// atomic load, so a request that loads it once never sees two editions.
type ruleSet struct {
	path string // the rules file; "" for the embedded default rules
	log  *slog.Logger
	cur  atomic.Pointer[referralrules.Program]

	mu      sync.Mutex // serialises reloads
	tried   string     // checksum of the last file a reload tried, good or bad
	missing bool       // the last reload could not read the file
}

// newRuleSet loads the rules of path, or the embedded default rules when
// path is empty.
func newRuleSet(path string, log *slog.Logger) (*ruleSet, error) {
	rs := &ruleSet{path: path, log: log}
	if path == "" {
		rs.cur.Store(referralrules.Default())
		return rs, nil
	}
	p, err := referralrules.Load(path)
	if err != nil {
		return nil, err
	}
	rs.tried = p.Checksum()
	rs.cur.Store(p)
	return rs, nil
}

// Program returns the rules serving now.
func (rs *ruleSet) Program() *referralrules.Program { return rs.cur.Load() }

// source names where the rules come from, for the log.
func (rs *ruleSet) source() string {
	if rs.path == "" {
		return "embedded " + referralrules.DefaultName
	}
	return rs.path
}

// watch reloads the rules on every signal from hup and whenever the poll
// sees the file change, until ctx ends. The embedded rules never change.
func (rs *ruleSet) watch(ctx context.Context, every time.Duration, hup <-chan os.Signal) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			rs.Reload(true)
		case <-tick.C:
			rs.Reload(false)
		}
	}
}

// Reload reads the rules file again and, if it loads, serves it from the
// next request on. Unless force is set, a file whose checksum is that of
// the last file tried is not parsed again, so a broken file is logged once,
// not at every poll. A file that fails to load is logged with every
// problem, and the rules serving now stay. Reload reports whether the rules
// changed.
//
// Each call reads the whole file: a rules file is small (at most
// referralrules.MaxFileSize), and its modification time and size alone
// miss an edit of the same length within the file system's timestamp
// granularity.
func (rs *ruleSet) Reload(force bool) bool {
	if rs.path == "" {
		if force {
			rs.log.Info("rules reload skipped: the embedded rules cannot change")
		}
		return false
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()

	data, err := readRules(rs.path)
	if err != nil {
		if force || !rs.missing {
			rs.log.Error("rules reload failed; the last good rules keep serving",
				"file", rs.path, "err", err.Error(), "rules_version", versionOf(rs.Program()))
		}
		rs.missing = true
		return false
	}
	rs.missing = false
	sum := sha256.Sum256(data)
	checksum := hex.EncodeToString(sum[:])
	if !force && checksum == rs.tried {
		return false
	}
	rs.tried = checksum
	old := rs.Program()
	if checksum == old.Checksum() {
		if force {
			rs.log.Info("rules unchanged", "file", rs.path, "rules_version", versionOf(old))
		}
		return false
	}
	return rs.swap(data, old)
}

// swap parses data and, when it loads, makes it the rules serving.
func (rs *ruleSet) swap(data []byte, old *referralrules.Program) bool {
	p, err := referralrules.Parse(bytes.NewReader(data), rs.path)
	if err != nil {
		rs.log.Error("rules file does not load; the last good rules keep serving",
			"file", rs.path, "problems", problemLines(err), "rules_version", versionOf(old))
		return false
	}
	rs.cur.Store(p)
	rs.log.Info("rules reloaded", "file", rs.path, "rules_version", versionOf(p),
		"previous_version", versionOf(old))
	return true
}

// readRules reads the rules file, at most one byte more than a rules file
// may hold, so that Parse can refuse a file that is too large.
func readRules(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, referralrules.MaxFileSize+1))
}

// versionOf names an edition of the rules in the Rules-Version header and
// the log: the version, "+", and the first 12 hex digits of the checksum.
func versionOf(p *referralrules.Program) string {
	return p.Version() + "+" + p.Checksum()[:12]
}

// problemLines lists the problems of a load error, one per element, for
// the log; another error is a single line.
func problemLines(err error) []string {
	var le *referralrules.LoadError
	if !errors.As(err, &le) {
		return []string{err.Error()}
	}
	out := make([]string, len(le.Problems))
	for i, p := range le.Problems {
		out[i] = p.Error()
	}
	return out
}
