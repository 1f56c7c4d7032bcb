// Command cli runs the referral program's rules from the command line: it
// validates rules.yaml, computes monthly commission statements, counts an
// accountant's active paid referrals and more. Run it with no arguments or
// with -h to see its commands; each command has its own -h.
//
//	go run ./examples/cli statements --data examples/data/demo --from 2026-01 --to 2026-11
//
// Exit codes: 0 success, 1 the input or the rules were refused, 2 the
// command line was wrong.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
)

// command is one subcommand of the CLI. Each lives in its own file and
// registers itself in an init function.
type command struct {
	name    string
	summary string
	// run executes the command with its arguments (after the command name).
	// It returns errUsage (wrapped or not) for a bad command line.
	run func(args []string, stdout, stderr io.Writer) error
}

var commands []command

func register(c command) { commands = append(commands, c) }

// errWriter passes writes to w and keeps the first error, so that output
// lost to a full disk or a closed pipe fails the command even where a
// command printed with fmt.Fprintf and did not check.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, err
}

// errUsage marks an error in the command line (exit code 2).
var errUsage = errors.New("usage error")

func main() {
	// Most of this program's heap is a data set's columns and the
	// statements computed from them, all live until it exits: collecting
	// at half the default growth keeps the peak about a fifth lower on
	// large folders at no cost in time (bench/README.md). GOGC, when set,
	// is left in charge; loadData collects more often still while reading.
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(50)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	slices.SortFunc(commands, func(a, b command) int { return strings.Compare(a.name, b.name) })
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		out := &errWriter{w: stdout}
		err := c.run(args[1:], out, stderr)
		if err == nil {
			err = out.err // a command that printed without checking every write
		}
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(stderr, "%s: %v\n", c.name, err)
			return 2
		default:
			fmt.Fprintf(stderr, "%s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: cli <command> [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'cli <command> -h' for the flags of a command.")
}

// newFlags returns a flag set for a subcommand that reports errors instead
// of exiting, and prints its usage to stderr.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: cli %s %s\n\nflags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args into fs; a bad flag becomes errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 && fs.Name() != "validate" {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}
