package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"text/tabwriter"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/referral"
)

// loadProgram returns the rules of path, or the embedded default rules
// when path is empty.
func loadProgram(path string) (*referralrules.Program, error) {
	if path == "" {
		return referralrules.Default(), nil
	}
	return referralrules.Load(path)
}

// loadData reads the data folder dir (accountants.csv, clients.csv,
// payments.csv and, when it is there, redemptions.csv), checked against
// the program's currencies.
func loadData(dir string, p *referralrules.Program) (*referral.Dataset, error) {
	if dir == "" {
		return nil, fmt.Errorf("%w: --data DIR is required", errUsage)
	}
	// While reading, the heap is the data set's columns, which hold no
	// pointers and so cost the collector little to mark, plus each CSV
	// record's text, garbage at once. Collecting more often keeps the
	// peak near the columns' size for a few percent more time (figures in
	// bench/README.md). GOGC, when set, is left in charge.
	if _, set := os.LookupEnv("GOGC"); !set {
		defer debug.SetGCPercent(debug.SetGCPercent(25))
	}
	return referral.ReadDir(dir, p)
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// checkFormat refuses a --format value outside allowed.
func checkFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return fmt.Errorf("%w: unknown --format %q (want one of %v)", errUsage, format, allowed)
}

// writeFilesAtomically writes each named file of dir through its writer
// function into a temporary file in dir, and puts them in place only when
// every one was written: on any error, the folder is left as it was, with
// no new file and the old files (if any) unchanged. New files get mode
// 0644.
func writeFilesAtomically(dir string, names []string, write func(ws []io.Writer) error) error {
	if err := checkTargets(dir, names); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmps := make([]*os.File, len(names))
	defer func() {
		for _, f := range tmps {
			if f != nil {
				f.Close()
				os.Remove(f.Name())
			}
		}
	}()
	ws := make([]io.Writer, len(names))
	for i, name := range names {
		f, err := os.CreateTemp(dir, "."+name+".*.tmp")
		if err != nil {
			return err
		}
		tmps[i], ws[i] = f, f
	}
	if err := write(ws); err != nil {
		return err
	}
	for _, f := range tmps {
		if err := closeFile(f); err != nil {
			return err
		}
	}
	return replaceAll(dir, names, tmps)
}

// checkTargets refuses to write over anything in dir that is not a regular
// file, before any work is done.
func checkTargets(dir string, names []string) error {
	for _, name := range names {
		fi, err := os.Lstat(filepath.Join(dir, name))
		if err == nil && !fi.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file: not writing over it", filepath.Join(dir, name))
		}
	}
	return nil
}

// closeFile makes a written temporary file readable as an ordinary output
// file, flushes it to disk and closes it.
func closeFile(f *os.File) error {
	if err := f.Chmod(0o644); err != nil { // CreateTemp makes it 0600
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// replaceAll renames each temporary file over its name in dir. The old
// files are moved aside first and put back if any rename fails, so the
// folder ends either with all the new files or with all the old ones.
// Each entry of tmps that was put in place is set to nil.
func replaceAll(dir string, names []string, tmps []*os.File) error {
	olds := make([]string, len(names)) // where each old file was moved, "" if none
	restore := func() {
		for i, name := range names {
			target := filepath.Join(dir, name)
			if tmps[i] == nil {
				os.Remove(target) // a new file already in place
			}
			if olds[i] != "" {
				os.Rename(olds[i], target)
			}
		}
	}
	for i, name := range names {
		target := filepath.Join(dir, name)
		if _, err := os.Lstat(target); err != nil {
			continue
		}
		olds[i] = tmps[i].Name() + ".old"
		if err := os.Rename(target, olds[i]); err != nil {
			olds[i] = ""
			restore()
			return err
		}
	}
	for i, name := range names {
		if err := os.Rename(tmps[i].Name(), filepath.Join(dir, name)); err != nil {
			restore()
			return err
		}
		tmps[i] = nil
	}
	for _, old := range olds {
		if old != "" {
			os.Remove(old)
		}
	}
	return nil
}

// dayQuestion is the command line of a question about one accountant on one
// local day: --data, --accountant, --on, --rules and --format (table or
// json).
type dayQuestion struct {
	data, accountant, on, rules, format *string
}

// addDayQuestion defines the flags of a dayQuestion on fs, with the help
// texts of --data and --on that the command gives.
func addDayQuestion(fs *flag.FlagSet, dataHelp, onHelp string) dayQuestion {
	return dayQuestion{
		data:       fs.String("data", "", dataHelp),
		accountant: fs.String("accountant", "", "accountant id (required)"),
		on:         fs.String("on", "", onHelp),
		rules:      fs.String("rules", "", "rules file (default: the embedded rules.yaml)"),
		format:     fs.String("format", "table", "output: table or json"),
	}
}

// load checks the parsed flags and reads the program and the data they
// name.
func (q dayQuestion) load() (*referralrules.Program, *referral.Dataset, referral.Date, error) {
	if err := checkFormat(*q.format, "table", "json"); err != nil {
		return nil, nil, 0, err
	}
	if *q.accountant == "" {
		return nil, nil, 0, fmt.Errorf("%w: --accountant ID is required", errUsage)
	}
	if *q.on == "" {
		return nil, nil, 0, fmt.Errorf("%w: --on YYYY-MM-DD is required", errUsage)
	}
	day, err := referral.ParseDate(*q.on)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("%w: --on: %v", errUsage, err)
	}
	p, err := loadProgram(*q.rules)
	if err != nil {
		return nil, nil, 0, err
	}
	ds, err := loadData(*q.data, p)
	if err != nil {
		return nil, nil, 0, err
	}
	return p, ds, day, nil
}

// table is a tabwriter whose lines lose their trailing spaces: a table
// pads its empty or right-aligned last cells, which no terminal needs and
// which diff tools flag.
type table struct {
	*tabwriter.Writer
	trim *lineTrimmer
}

// newTable returns a table of columns two spaces apart, writing to w.
func newTable(w io.Writer, flags uint) *table {
	lt := &lineTrimmer{w: w}
	return &table{Writer: tabwriter.NewWriter(lt, 0, 0, 2, ' ', flags), trim: lt}
}

// Flush writes what the table holds to its writer.
func (t *table) Flush() error {
	if err := t.Writer.Flush(); err != nil {
		return err
	}
	return t.trim.flush()
}

// lineTrimmer writes to w the lines written to it without their trailing
// spaces, in chunks of about 64 KiB.
type lineTrimmer struct {
	w        io.Writer
	out, cur []byte // lines ready to write; the line being written
}

func (t *lineTrimmer) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			t.cur = append(t.cur, p...)
			break
		}
		t.cur = append(t.cur, p[:i]...)
		t.out = append(append(t.out, bytes.TrimRight(t.cur, " ")...), '\n')
		t.cur, p = t.cur[:0], p[i+1:]
		if len(t.out) >= 64<<10 {
			if err := t.write(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

// flush writes every line held, and a last line without a line feed.
func (t *lineTrimmer) flush() error {
	t.out = append(t.out, bytes.TrimRight(t.cur, " ")...)
	t.cur = t.cur[:0]
	return t.write()
}

func (t *lineTrimmer) write() error {
	_, err := t.w.Write(t.out)
	t.out = t.out[:0]
	return err
}
