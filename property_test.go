package referralrules_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/referral"
)

// Every folder of testdata/bad (the program's shared bad inputs) is refused
// by the library at the place its README's table gives: the file, the
// line (1 is the header) and the column, and no Dataset comes back for a
// statement run to use. The table is read from the README itself, so that
// it and the code cannot drift apart.
func TestBadDataRefusedWhereTheReadmeSays(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "bad", "*"))
	if err != nil {
		t.Fatal(err)
	}
	rows := readmeRows(t, filepath.Join("testdata", "bad", "README.md"))
	p := referralrules.Default()
	n := 0
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		n++
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			want, ok := rows[name]
			if !ok {
				t.Fatalf("testdata/bad/README.md has no row for %s", name)
			}
			ds, err := p.ReadData(dir)
			var errs referral.Errors
			if ds != nil || !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("ReadData = %v, %v; want no Dataset and referral.Errors", ds, err)
			}
			got := errs[0]
			if got.File != want.file || got.Line != want.line || got.Column != want.column {
				t.Errorf("first problem at %s:%d: %s (%v), want %s:%d: %s",
					got.File, got.Line, got.Column, got, want.file, want.line, want.column)
			}
		})
	}
	if n != len(rows) {
		t.Errorf("%d folders in testdata/bad, %d rows in its README", n, len(rows))
	}
}

// readmeRow is where the README's table says a bad folder is refused.
type readmeRow struct {
	file, column string
	line         int
}

// readmeRows reads the table of testdata/bad/README.md: "| folder | file
// | line | column | error |".
func readmeRows(t *testing.T, path string) map[string]readmeRow {
	t.Helper()
	rows := map[string]readmeRow{}
	for _, l := range strings.Split(string(mustRead(t, path)), "\n") {
		cells := strings.Split(l, "|")
		if len(cells) < 6 {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		line, err := strconv.Atoi(cells[3])
		if err != nil { // the header and the rule under it
			continue
		}
		rows[cells[1]] = readmeRow{file: cells[2], line: line, column: cells[4]}
	}
	if len(rows) == 0 {
		t.Fatalf("%s has no table rows", path)
	}
	return rows
}
