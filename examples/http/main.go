// Command http serves the referral program's rules as a JSON service, for
// callers that are not written in Go. It imports the library exactly as any
// user would.
//
//	go run ./examples/http -addr 127.0.0.1:8080 -rules rules.yaml
//
// Endpoints (described in full by GET /openapi.json):
//
//	GET  /healthz                  the process is up
//	GET  /v1/program               the loaded rules: version, checksum, levels, ...
//	POST /v1/referrals/count       one accountant's active paid referrals on a day
//	POST /v1/statements            monthly commission statements of a month range
//	POST /v1/activation-requests   an accountant's activation request, with its email
//	POST /v1/benefit-selections    the benefits an approved accountant selects
//	POST /v1/credit/balance        an accountant's service credit on a day
//	POST /v1/credit/redeem         how much of a purchase the credit pays
//	GET  /openapi.json             the OpenAPI 3.1 document of the service
//
// Errors are application/problem+json (RFC 9457) and name the path of each
// bad field. Bodies are limited (-max-body, 10 MiB), and at most
// -max-computing POST requests (4) read and compute at once; the others
// wait for a slot up to -queue-wait, then get 503. Every response carries a Rules-Version header: the version
// and short checksum of the rules that answered it.
//
// The rules reload without a restart, on SIGHUP and when the rules file
// changes; a file that fails to load is logged and the last good rules keep
// serving. SIGINT and SIGTERM stop the service gracefully: it stops
// accepting connections, finishes the requests in flight (up to
// -shutdown-timeout) and exits 0. An access log in JSON goes to stderr.
//
// Exit codes: 0 after a shutdown, 1 when the rules or the address cannot be
// used at start, 2 for a wrong command line.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/benefits"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// config is the command line.
type config struct {
	addr            string
	rulesPath       string // "" for the embedded default rules
	emailsDir       string // "" for the embedded email templates
	limits          limits
	shutdownTimeout time.Duration
	poll            time.Duration
}

// defaultLimits are the limits of the command line's defaults.
var defaultLimits = limits{maxBody: 10 << 20, maxComputing: 4, queueWait: 20 * time.Second}

// parseConfig reads the command line; -h yields flag.ErrHelp.
func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("http", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)")
	fs.StringVar(&c.rulesPath, "rules", "",
		"rules file, watched for changes (default: the embedded rules.yaml)")
	fs.StringVar(&c.emailsDir, "emails", "",
		"folder of email templates, read at start only (default: the embedded templates)")
	fs.Int64Var(&c.limits.maxBody, "max-body", defaultLimits.maxBody, "largest request body in bytes")
	fs.IntVar(&c.limits.maxComputing, "max-computing", defaultLimits.maxComputing,
		"POST requests read and computed at once; the others wait for a slot")
	fs.DurationVar(&c.limits.queueWait, "queue-wait", defaultLimits.queueWait,
		"how long a POST request waits for a slot before a 503")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 20*time.Second,
		"how long a shutdown waits for requests in flight")
	fs.DurationVar(&c.poll, "poll", time.Second, "how often the rules file is checked for changes")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: http [-addr HOST:PORT] [-rules FILE] [flags]\n\n"+
			"Serves the referral program's rules as a JSON service;\n"+
			"GET /openapi.json describes it.\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case c.limits.maxBody < 1:
		return c, fmt.Errorf("-max-body must be positive, not %d", c.limits.maxBody)
	case c.limits.maxComputing < 1:
		return c, fmt.Errorf("-max-computing must be positive, not %d", c.limits.maxComputing)
	case c.poll <= 0:
		return c, fmt.Errorf("-poll must be positive, not %s", c.poll)
	}
	return c, nil
}

// run starts the service and serves until SIGINT or SIGTERM; it returns
// the exit code.
func run(args []string, stderr io.Writer) int {
	cfg, err := parseConfig(args, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		fmt.Fprintf(stderr, "http: %v\n", err)
		return 2
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))

	// Refuse to start on rules that do not load: there is no last good
	// edition to fall back on yet.
	rules, err := newRuleSet(cfg.rulesPath, log)
	if err != nil {
		log.Error("rules do not load", "file", cfg.rulesPath, "problems", problemLines(err))
		return 1
	}
	emails, err := loadEmails(cfg.emailsDir)
	if err != nil {
		log.Error("email templates do not load", "dir", cfg.emailsDir, "problems", problemLines(err))
		return 1
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		log.Error("cannot listen", "addr", cfg.addr, "err", err.Error())
		return 1
	}
	srv := newServer(newHandler(rules, emails, log, cfg.limits), log)

	// Signals: SIGINT and SIGTERM end the service, SIGHUP reloads the rules.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go rules.watch(ctx, cfg.poll, hup)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	p := rules.Program()
	log.Info("listening", "addr", ln.Addr().String(), "rules_version", versionOf(p),
		"rules_file", rules.source())
	select {
	case err := <-served:
		log.Error("server stopped", "err", err.Error())
		return 1
	case <-ctx.Done():
	}
	stop() // a second signal ends the process at once
	return shutdown(srv, cfg.shutdownTimeout, log)
}

// loadEmails returns the email templates of dir, or the embedded ones
// when dir is empty.
func loadEmails(dir string) (*benefits.Emails, error) {
	if dir == "" {
		return referralrules.DefaultEmails(), nil
	}
	return referralrules.LoadEmails(dir)
}

// newServer returns the HTTP server with its timeouts set, so that a slow
// or silent client cannot hold a connection forever.
func newServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// shutdown stops accepting connections and waits for the requests in
// flight, up to timeout; past it, the connections left are closed.
func shutdown(srv *http.Server, timeout time.Duration, log *slog.Logger) int {
	log.Info("shutting down", "timeout", timeout.String())
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Warn("requests still in flight at the deadline were cut off", "err", err.Error())
		srv.Close()
	}
	log.Info("stopped")
	return 0
}
