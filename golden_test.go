package referralrules_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
	"github.com/stretchr/testify/require"
)

// demoDir holds the demo data copied from the program's shared data set;
// its expected/ files were computed by an independent implementation.
const demoDir = "examples/data/demo"

// TestDemoStatementsMatchExpected runs the main job on the demo data, 2026-01
// through 2026-11 under the embedded rules, and compares every statement and
// every line with expected/, field by field.
func TestDemoStatementsMatchExpected(t *testing.T) {
	p := referralrules.Default()
	ds, err := p.ReadData(demoDir)
	require.NoError(t, err)
	sts, err := p.Statements(ds, mustMonth(t, "2026-01"), mustMonth(t, "2026-11"))
	require.NoError(t, err)

	var gotS, gotL bytes.Buffer
	require.NoError(t, commission.WriteCSV(&gotS, &gotL, sts))
	compareCSV(t, filepath.Join(demoDir, "expected", "statements.csv"), gotS.Bytes())
	compareCSV(t, filepath.Join(demoDir, "expected", "lines.csv"), gotL.Bytes())
}

// compareCSV compares got with the CSV file at path record by record, so a
// failure names the row and the column that differ.
func compareCSV(t *testing.T, path string, got []byte) {
	t.Helper()
	wantBytes, err := os.ReadFile(path)
	require.NoError(t, err)
	want, err := csv.NewReader(bytes.NewReader(wantBytes)).ReadAll()
	require.NoError(t, err)
	have, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
	require.NoError(t, err)
	header := want[0]
	for i := 0; i < len(want) && i < len(have); i++ {
		for j := range header {
			if j >= len(have[i]) || have[i][j] != want[i][j] {
				t.Errorf("%s line %d (%v): %s = %q, want %q",
					filepath.Base(path), i+1, want[i][:3], header[j], at(have[i], j), want[i][j])
			}
		}
	}
	if len(have) != len(want) {
		t.Errorf("%s: %d rows, want %d", filepath.Base(path), len(have), len(want))
	}
	if !bytes.Equal(got, wantBytes) {
		t.Errorf("%s: bytes differ from the expected file", filepath.Base(path))
	}
}

func at(rec []string, j int) string {
	if j < len(rec) {
		return rec[j]
	}
	return "<missing>"
}

func mustMonth(t *testing.T, s string) referral.Month {
	t.Helper()
	m, err := referral.ParseMonth(s)
	require.NoError(t, err)
	return m
}

// TestDemoCountsMatchExpected asks for the active paid referrals of every
// statement's accountant on the last day of its month, directly through
// Dataset.CountActive, and compares them with the expected statements (D4).
func TestDemoCountsMatchExpected(t *testing.T) {
	p := referralrules.Default()
	ds, err := referral.ReadDir(demoDir, p)
	require.NoError(t, err)
	f, err := os.Open(filepath.Join(demoDir, "expected", "statements.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	for _, row := range rows[1:] {
		accID, month, want := row[0], mustMonth(t, row[1]), row[4]
		got, err := p.CountActive(ds, accID, month.Last())
		require.NoError(t, err)
		if strconv.Itoa(got.Active) != want {
			t.Errorf("CountActive(%s, %s) = %d, want %s", accID, month.Last(), got.Active, want)
		}
	}
}
