package main

import (
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

func init() {
	register(command{
		name:    "statements",
		summary: "compute the monthly commission statements of a data folder",
		run:     runStatements,
	})
}

func runStatements(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("statements", "--data DIR --from YYYY-MM --to YYYY-MM [flags]", stderr)
	data := fs.String("data", "", "data folder with accountants.csv, clients.csv and payments.csv (required)")
	fromS := fs.String("from", "", "first month, YYYY-MM (required)")
	toS := fs.String("to", "", "last month, YYYY-MM (default: the --from month)")
	rules := fs.String("rules", "", "rules file (default: the embedded rules.yaml)")
	out := fs.String("out", "", "write statements.csv and lines.csv to this folder instead of printing")
	format := fs.String("format", "table", "output when printing: table, csv (statements only) or json")
	quiet := fs.Bool("quiet", false, "print nothing on stderr but errors (progress shows only when stderr is a terminal)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "accountants computed in parallel by this many goroutines")
	shardS := fs.String("shard", "", "compute only shard i of n (i/n, 0 <= i < n): the accountants whose ID hashes\n"+
		"(FNV-1a, 32 bits) to i modulo n; the union of the n shards is the whole run")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	shard, err := parseShard(*shardS)
	if err != nil {
		return err
	}
	progress := newProgress(stderr, *quiet)
	if err := checkFormat(*format, "table", "csv", "json"); err != nil {
		return err
	}
	if *out != "" && *format == "json" {
		return fmt.Errorf("%w: --out writes the flat CSV files; leave --format out, or print JSON without --out", errUsage)
	}
	if *workers < 1 {
		return fmt.Errorf("%w: --workers must be 1 or more, not %d", errUsage, *workers)
	}
	from, to, err := monthRange(*fromS, *toS)
	if err != nil {
		return err
	}
	p, err := loadProgram(*rules)
	if err != nil {
		return err
	}
	progress.printf("reading %s", *data)
	ds, err := loadData(*data, p)
	if err != nil {
		return err
	}
	progress.printf("read %d accountants, %d clients, %d payments",
		len(ds.Accountants()), ds.NumClients(), ds.NumPayments())
	var done atomic.Int64
	stop := progress.every(time.Second, func() string {
		// Keep may see an accountant more than once (see RunOptions), so
		// the count is capped at the number in the data.
		total := int64(len(ds.Accountants()))
		return fmt.Sprintf("computed %d accountants (of %d in the data)", min(done.Load(), total), total)
	})
	sts, err := p.StatementsWith(ds, from, to, referralrules.RunOptions{
		Workers: *workers,
		Keep: func(a referral.Accountant) bool {
			done.Add(1)
			return shard.has(a.ID)
		},
	})
	stop()
	if err != nil {
		return err
	}
	progress.printf("computed %d statements; writing", len(sts))
	switch {
	case *out != "":
		err = writeFilesAtomically(*out, []string{"statements.csv", "lines.csv"}, func(ws []io.Writer) error {
			return commission.WriteCSV(ws[0], ws[1], sts)
		})
		if err == nil && !*quiet {
			fmt.Fprintf(stderr, "wrote %d statements to %s\n", len(sts), *out)
		}
		return err
	case *format == "json":
		if sts == nil {
			sts = []commission.Statement{} // an empty list, not null
		}
		return writeJSON(stdout, sts)
	case *format == "csv":
		return commission.WriteCSV(stdout, io.Discard, sts)
	}
	return printStatements(stdout, sts)
}

// monthRange parses --from and --to; an empty --to means --from.
func monthRange(fromS, toS string) (from, to referral.Month, err error) {
	if fromS == "" {
		return 0, 0, fmt.Errorf("%w: --from YYYY-MM is required", errUsage)
	}
	if toS == "" {
		toS = fromS
	}
	if from, err = referral.ParseMonth(fromS); err != nil {
		return 0, 0, fmt.Errorf("%w: --from: %v", errUsage, err)
	}
	if to, err = referral.ParseMonth(toS); err != nil {
		return 0, 0, fmt.Errorf("%w: --to: %v", errUsage, err)
	}
	if to < from {
		return 0, 0, fmt.Errorf("%w: --to %s is before --from %s", errUsage, to, from)
	}
	return from, to, nil
}

// printStatements writes one row per statement, then the totals of each
// currency.
func printStatements(w io.Writer, sts []commission.Statement) error {
	tw := newTable(w, tabwriter.AlignRight)
	fmt.Fprintln(tw, "accountant\tmonth\tcurrency\tlevel\treferrals\trate\tbase\tcommission\tadjustments\tnet\tpayable\treason\t")
	type total struct {
		n, digits                          int
		base, commission, adjustments, net decimal.Decimal
	}
	totals := map[string]*total{}
	for _, st := range sts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s%%\t%s\t%s\t%s\t%s\t%s\t%s\t\n",
			st.AccountantID, st.Month, st.Currency, st.Level, st.ActivePaidReferrals,
			st.Rate.Shift(2).String(), fixed(st.Base, st.Digits), fixed(st.Commission, st.Digits),
			fixed(st.Adjustments, st.Digits), fixed(st.Net, st.Digits), st.PayableMonth, st.Reason)
		t := totals[st.Currency]
		if t == nil {
			t = &total{digits: st.Digits}
			totals[st.Currency] = t
		}
		t.n++
		t.base = t.base.Add(st.Base)
		t.commission = t.commission.Add(st.Commission)
		t.adjustments = t.adjustments.Add(st.Adjustments)
		t.net = t.net.Add(st.Net)
	}
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t\t\t\t\t")
	fmt.Fprintln(tw, "totals\tstatements\tcurrency\t\t\t\tbase\tcommission\tadjustments\tnet\t\t\t")
	curs := make([]string, 0, len(totals))
	for c := range totals {
		curs = append(curs, c)
	}
	slices.Sort(curs)
	for _, c := range curs {
		t := totals[c]
		fmt.Fprintf(tw, "\t%s\t%s\t\t\t\t%s\t%s\t%s\t%s\t\t\t\n", strconv.Itoa(t.n), c,
			fixed(t.base, t.digits), fixed(t.commission, t.digits),
			fixed(t.adjustments, t.digits), fixed(t.net, t.digits))
	}
	return tw.Flush()
}

func fixed(d decimal.Decimal, digits int) string { return d.StringFixed(int32(digits)) }

// shard is the part i of n of a run that --shard selects; the zero shard
// (n 0) is the whole run.
type shard struct{ i, n uint32 }

// parseShard reads --shard i/n; "" is the whole run.
func parseShard(s string) (shard, error) {
	if s == "" {
		return shard{}, nil
	}
	is, ns, ok := strings.Cut(s, "/")
	i, err1 := strconv.ParseUint(is, 10, 32)
	n, err2 := strconv.ParseUint(ns, 10, 32)
	if !ok || err1 != nil || err2 != nil || n == 0 || i >= n {
		return shard{}, fmt.Errorf("%w: --shard %q: want i/n with 0 <= i < n, such as 0/4", errUsage, s)
	}
	return shard{uint32(i), uint32(n)}, nil
}

// has reports whether the accountant with id belongs to the shard: the
// 32-bit FNV-1a hash of its ID, modulo n, is i. The hash depends on the ID
// alone, so every process of a split run agrees on it.
func (sh shard) has(id string) bool {
	if sh.n == 0 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return h.Sum32()%sh.n == sh.i
}

// progress prints what a long run is doing on stderr, only when stderr is a
// terminal and --quiet is off: a pipe or a log file gets nothing.
type progress struct {
	w     io.Writer // nil: silent
	start time.Time
	mu    sync.Mutex
}

func newProgress(stderr io.Writer, quiet bool) *progress {
	pr := &progress{start: time.Now()}
	if f, ok := stderr.(*os.File); ok && !quiet {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			pr.w = stderr
		}
	}
	return pr
}

func (pr *progress) printf(format string, args ...any) {
	if pr.w == nil {
		return
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	fmt.Fprintf(pr.w, "[%6.1fs] %s\n", time.Since(pr.start).Seconds(), fmt.Sprintf(format, args...))
}

// every prints msg() every d until the returned stop is called.
func (pr *progress) every(d time.Duration, msg func() string) (stop func()) {
	if pr.w == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				pr.printf("%s", msg())
			}
		}
	})
	return func() { close(done); wg.Wait() }
}
