package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestStatementsShardsMakeTheWholeRun splits the demo run into 1, 3 and 7
// shards: every statement and line lands in exactly one shard, and the
// union of the shards is the whole run.
func TestStatementsShardsMakeTheWholeRun(t *testing.T) {
	args := []string{"statements", "--data", demo, "--from", "2026-01", "--to", "2026-11", "--quiet"}
	whole := t.TempDir()
	runOK(t, append(args, "--out", whole)...)
	for _, n := range []int{1, 3, 7} {
		var stRows, lnRows []string
		nonEmpty := 0
		for i := range n {
			dir := t.TempDir()
			runOK(t, append(args, "--out", dir, "--shard", itoa(i)+"/"+itoa(n))...)
			st := rows(t, filepath.Join(dir, "statements.csv"))
			if len(st) > 0 {
				nonEmpty++
			}
			stRows = append(stRows, st...)
			lnRows = append(lnRows, rows(t, filepath.Join(dir, "lines.csv"))...)
		}
		if want := rows(t, filepath.Join(whole, "statements.csv")); !sameRows(stRows, want) {
			t.Errorf("%d shards: statements.csv rows differ from the whole run (%d rows, want %d)", n, len(stRows), len(want))
		}
		if want := rows(t, filepath.Join(whole, "lines.csv")); !sameRows(lnRows, want) {
			t.Errorf("%d shards: lines.csv rows differ from the whole run (%d rows, want %d)", n, len(lnRows), len(want))
		}
		if n > 1 && nonEmpty < 2 {
			t.Errorf("%d shards: only %d have statements; the hash does not spread the accountants", n, nonEmpty)
		}
	}
}

// TestStatementsWorkersSameBytes wants the same files whatever the number
// of workers.
func TestStatementsWorkersSameBytes(t *testing.T) {
	args := []string{"statements", "--data", demo, "--from", "2026-01", "--to", "2026-11", "--quiet"}
	one, four := t.TempDir(), t.TempDir()
	runOK(t, append(args, "--out", one, "--workers", "1")...)
	runOK(t, append(args, "--out", four, "--workers", "4")...)
	for _, name := range []string{"statements.csv", "lines.csv"} {
		a, _ := os.ReadFile(filepath.Join(one, name))
		b, _ := os.ReadFile(filepath.Join(four, name))
		if !bytes.Equal(a, b) || len(a) == 0 {
			t.Errorf("%s differs between 1 and 4 workers", name)
		}
	}
}

// TestStatementsQuietAndNoProgressOffTerminal: stderr that is not a
// terminal gets no progress, and --quiet silences the summary line too.
func TestStatementsQuietAndNoProgressOffTerminal(t *testing.T) {
	args := []string{"statements", "--data", demo, "--from", "2026-11", "--out", t.TempDir()}
	code, _, stderr := runCLI(t, args...)
	if code != 0 || strings.Contains(stderr, "computed") || !strings.HasPrefix(stderr, "wrote ") {
		t.Errorf("statements (stderr not a terminal) = %d, stderr %q, want 0 and only the summary", code, stderr)
	}
	code, stdout, stderr := runCLI(t, append(args, "--quiet")...)
	if code != 0 || stderr != "" || stdout != "" {
		t.Errorf("statements --quiet = %d, stdout %q, stderr %q, want 0 and nothing", code, stdout, stderr)
	}
}

// TestStatementsBadShard refuses a malformed --shard as a usage error.
func TestStatementsBadShard(t *testing.T) {
	for _, s := range []string{"3/3", "1", "a/2", "0/0", "-1/2", "1/2/3"} {
		code, _, stderr := runCLI(t, "statements", "--data", demo, "--from", "2026-11", "--shard", s)
		if code != 2 || !strings.Contains(stderr, "--shard") {
			t.Errorf("--shard %s: exit %d, stderr %q, want 2 and a --shard message", s, code, stderr)
		}
	}
}

func runOK(t *testing.T, args ...string) {
	t.Helper()
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatalf("cli %v: exit %d: %s", args, code, stderr)
	}
}

// rows returns the data rows of a CSV file, without its header.
func rows(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	return lines[1:]
}

func sameRows(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func itoa(i int) string { return string(rune('0' + i)) }
