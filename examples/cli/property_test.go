package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caba1337/referralrules"
)

// Every bad rules file of testdata/rules/bad given to the statements
// command with --rules makes it exit 1 before it reads or writes anything:
// stderr carries the library's first problem, with the file and the place,
// stdout is empty and the output folder is never created. (The data
// folders of testdata/bad are TestBadDataWritesNothing's.)
func TestBadRulesWriteNothing(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "bad", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no bad rules files: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			_, loadErr := referralrules.Load(path)
			var le *referralrules.LoadError
			if !errors.As(loadErr, &le) || len(le.Problems) == 0 {
				t.Fatalf("Load(%s) = %v, want a *LoadError with problems", path, loadErr)
			}
			first := le.Problems[0].Error()

			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runCLI(t, "statements", "--rules", path, "--data", demo,
				"--from", "2026-01", "--to", "2026-02", "--out", out)
			if code != 1 || stdout != "" {
				t.Errorf("exit %d, stdout %q; want exit 1 and nothing on stdout", code, stdout)
			}
			if !strings.Contains(stderr, first) || !strings.Contains(stderr, filepath.Base(path)) {
				t.Errorf("stderr %q does not give the first problem %q", stderr, first)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("output folder exists after a refusal (%v)", err)
			}
		})
	}
}
