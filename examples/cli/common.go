package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

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
// function into a temporary file in dir, and renames them into place only
// when every one was written: on any error, no file is left behind.
func writeFilesAtomically(dir string, names []string, write func(ws []io.Writer) error) error {
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
		if err := f.Sync(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	for i, f := range tmps {
		if err := os.Rename(f.Name(), filepath.Join(dir, names[i])); err != nil {
			return err
		}
		tmps[i] = nil
	}
	return nil
}
