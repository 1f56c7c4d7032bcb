package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// level2At16 writes a copy of the default rules with level 2 raised from
// 15% to 16% and returns the paths of the default rules and the copy.
func level2At16(t *testing.T) (oldPath, newPath string) {
	t.Helper()
	oldPath = filepath.Join("..", "..", "rules.yaml")
	data, err := os.ReadFile(oldPath)
	require.NoError(t, err)
	s := strings.Replace(string(data), `version: "2026.1"`, `version: "2026.2"`, 1)
	s = strings.Replace(s, `rate: "15%"`, `rate: "16%"`, 1)
	newPath = filepath.Join(t.TempDir(), "rules.yaml")
	require.NoError(t, os.WriteFile(newPath, []byte(s), 0o644))
	return oldPath, newPath
}

// fromJanuary writes the default rules as the one version of a versions
// list, in force from 2026-01, and returns its path.
func fromJanuary(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "rules.yaml"))
	require.NoError(t, err)
	var b strings.Builder
	b.WriteString("versions:\n  - effective_from: \"2026-01\"\n")
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		b.WriteString("    " + line + "\n")
	}
	path := filepath.Join(t.TempDir(), "versions.yaml")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

// The CSV rows are those of the library's golden diff of the same change.
func TestDiffCSVMatchesLibraryGolden(t *testing.T) {
	oldPath, newPath := level2At16(t)
	code, stdout, stderr := runCLI(t, "diff", oldPath, newPath, "--data", demo,
		"--from", "2026-01", "--to", "2026-11", "--format", "csv")
	require.Equal(t, 0, code, stderr)
	want, err := os.ReadFile(filepath.Join("..", "..", "testdata", "diff", "level2_16.csv.golden"))
	require.NoError(t, err)
	assert.Equal(t, string(want), stdout)
}

// Flags may come first, between or after the two files.
func TestDiffTableFlagsAnywhere(t *testing.T) {
	oldPath, newPath := level2At16(t)
	code, stdout, stderr := runCLI(t, "diff", "--from", "2026-01", oldPath, "--to", "2026-11",
		newPath, "--data", demo)
	require.Equal(t, 0, code, stderr)
	for _, s := range []string{"Level 2 rate: 15% → 16%", "Version: 2026.1 → 2026.2",
		"Statements that change (78)", "Totals:", "+5191.00"} {
		assert.Contains(t, stdout, s)
	}
}

func TestDiffJSON(t *testing.T) {
	oldPath, newPath := level2At16(t)
	code, stdout, stderr := runCLI(t, "diff", oldPath, newPath, "--data", demo,
		"--from", "2026-06", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var got struct {
		From string `json:"from"`
		Rows []struct {
			Difference string `json:"difference"`
		} `json:"rows"`
		Totals []struct {
			Up string `json:"up"`
		} `json:"totals"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	assert.Equal(t, "2026-06", got.From)
	require.NotEmpty(t, got.Rows)
	assert.Regexp(t, `^-?[0-9]+\.[0-9]{2}$`, got.Rows[0].Difference, "money is a decimal string")
}

func TestDiffSameFile(t *testing.T) {
	oldPath, _ := level2At16(t)
	code, stdout, stderr := runCLI(t, "diff", oldPath, oldPath, "--data", demo, "--from", "2026-01")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "No change")
}

func TestDiffErrors(t *testing.T) {
	oldPath, newPath := level2At16(t)
	bad := filepath.Join("..", "..", "testdata", "rules", "bad", "versions_same_month.yaml")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"one file", []string{"diff", oldPath, "--data", demo, "--from", "2026-01"}, 2, "two rules files"},
		{"three files", []string{"diff", oldPath, newPath, newPath, "--data", demo, "--from", "2026-01"}, 2, "got 3"},
		{"no from", []string{"diff", oldPath, newPath, "--data", demo}, 2, "--from"},
		{"bad format", []string{"diff", oldPath, newPath, "--data", demo, "--from", "2026-01", "--format", "xml"}, 2, "format"},
		{"bad rules", []string{"diff", oldPath, bad, "--data", demo, "--from", "2026-01"}, 1,
			"versions_same_month.yaml:17:21: versions[2].effective_from"},
		{"before first version", []string{"diff", oldPath, fromJanuary(t), "--data", demo, "--from", "2025-12"},
			1, "2025-12 is before 2026-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			assert.Equal(t, tt.code, code, stderr)
			assert.Contains(t, stderr, tt.msg)
		})
	}
}

func TestDiffHelp(t *testing.T) {
	code, _, stderr := runCLI(t, "diff", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr, "usage: cli diff OLD.yaml NEW.yaml")
}

// validate lists the versions of a file that holds several.
func TestValidateVersions(t *testing.T) {
	code, stdout, stderr := runCLI(t, "validate", filepath.Join("..", "..", "testdata", "rules", "good", "versions.yaml"))
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `(?m)^  2026\.1  2026-01 +sha256:[0-9a-f]{64}$`, stdout)
	assert.Regexp(t, `(?m)^  2026\.2  2026-06 +sha256:[0-9a-f]{64}$`, stdout)
	assert.Contains(t, stdout, "(below: version 2026.2)")
}
