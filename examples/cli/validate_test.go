package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/caba1337/referralrules"
)

// validateCLI runs "cli validate" with args in-process.
func validateCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(append([]string{"validate"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // parts of standard output, in order
		stderr     []string // parts of standard error, in order
		stderrLine int      // lines of standard error; -1 to skip the check
	}{
		{
			name: "embedded rules",
			code: 0,
			stdout: []string{
				"rules.yaml (embedded): valid",
				"version   2026.1",
				"sha256:" + referralrules.Default().Checksum(),
				"CO", "Colombia", "COP", "America/Bogota",
				"CR", "Costa Rica", "CRC", "America/Costa_Rica",
				"DO", "Dominican Republic", "DOP", "America/Santo_Domingo",
				"PA", "Panama", "USD", "America/Panama",
				"1     5 to 8      10%   4",
				"2     9 to 12     15%   5",
				"3     13 to 25    20%   5",
				"4     26 or more  25%   7",
				"grace_days              0",
				"window_months           12",
				"payout_delay_months     1",
				"rounding                half_up",
				"exclude_promoted_sales  true",
				"require_activation      true",
				"payout                  service_credit",
			},
		},
		{
			name:   "a file",
			args:   []string{"../../testdata/rules/good/minimal.yaml"},
			code:   0,
			stdout: []string{"minimal.yaml: valid", "3     13 or more  20%   3"},
		},
		{
			name: "every problem, one per line",
			args: []string{"../../testdata/rules/bad/many_problems.yaml"},
			code: 1,
			stderr: []string{
				"many_problems.yaml:8:48: countries.PA.time_zone:",
				"many_problems.yaml:16:10: levels[2].min:",
				"many_problems.yaml:40:15: settings.grace_days:",
				"many_problems.yaml:43:13: settings.rounding:",
				"validate: ../../testdata/rules/bad/many_problems.yaml: 4 problems; the rules were not loaded",
			},
			stderrLine: 5,
		},
		{
			name:       "one problem",
			args:       []string{"../../testdata/rules/bad/unknown_payout.yaml"},
			code:       1,
			stderr:     []string{`unknown_payout.yaml:46:11: settings.payout: unknown payout kind "cash"`, "1 problem;"},
			stderrLine: 2,
		},
		{
			name:   "missing file",
			args:   []string{"no_such.yaml"},
			code:   1,
			stderr: []string{"validate:", "no_such.yaml", "no such file"},
		},
		{
			name:   "help",
			args:   []string{"-h"},
			code:   0,
			stderr: []string{"usage: cli validate [FILE]", "embedded"},
		},
		{
			name:   "two files",
			args:   []string{"a.yaml", "b.yaml"},
			code:   2,
			stderr: []string{"one FILE at most"},
		},
		{
			name:   "unknown flag",
			args:   []string{"-x"},
			code:   2,
			stderr: []string{"-x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := validateCLI(tt.args...)
			assert.Equal(t, tt.code, code, "exit code; stderr:\n%s", stderr)
			assertInOrder(t, stdout, tt.stdout)
			assertInOrder(t, stderr, tt.stderr)
			if tt.stderrLine > 0 {
				assert.Equal(t, tt.stderrLine, strings.Count(stderr, "\n"), "stderr:\n%s", stderr)
			}
			if tt.code != 0 {
				assert.Empty(t, stdout, "nothing on standard output when the rules are refused")
			}
		})
	}
}

// The summary fits on one screen.
func TestValidateSummaryIsShort(t *testing.T) {
	_, stdout, _ := validateCLI()
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	assert.LessOrEqual(t, len(lines), 30)
	for _, l := range lines {
		assert.LessOrEqual(t, len(l), 100, l)
	}
}

// assertInOrder checks that s holds each of parts, in that order.
func assertInOrder(t *testing.T, s string, parts []string) {
	t.Helper()
	rest := s
	for _, p := range parts {
		i := strings.Index(rest, p)
		if !assert.GreaterOrEqual(t, i, 0, "%q missing (or out of order) in:\n%s", p, s) {
			return
		}
		rest = rest[i+len(p):]
	}
}
