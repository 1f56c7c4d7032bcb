package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/caba1337/referralrules"
	"github.com/caba1337/referralrules/benefits"
)

// service answers the requests; its handlers read the rules from the
// request's context, where observe put them.
type service struct {
	rules  *ruleSet
	emails *benefits.Emails // the templates of the activation emails
	log    *slog.Logger
	limits limits
	slots  chan struct{} // one token per request computing now (see limited)
}

// limits bound what requests may cost the service.
type limits struct {
	maxBody int64 // largest request body, in bytes
	// maxComputing is how many POST requests may read and compute at once;
	// the others wait for a slot, up to queueWait. A body of maxBody bytes
	// takes many times its size in memory while it is decoded, so this
	// bounds the memory the service may need.
	maxComputing int
	queueWait    time.Duration
}

// endpointFunc handles one route with the rules the request was given. An
// error it returns is answered as a problem, its status from errorTable.
type endpointFunc func(s *service, w http.ResponseWriter, r *http.Request,
	p *referralrules.Program) error

// route is one endpoint: a method and a path of the ServeMux, and its
// handler. The OpenAPI document lists exactly these (a test checks it).
type route struct {
	method, path string
	handle       endpointFunc
}

// routes are the service's endpoints.
var routes = []route{
	{http.MethodGet, "/healthz", (*service).healthz},
	{http.MethodGet, "/openapi.json", (*service).openAPI},
	{http.MethodGet, "/v1/program", (*service).program},
	{http.MethodPost, "/v1/referrals/count", (*service).countReferrals},
	{http.MethodPost, "/v1/statements", (*service).statements},
	{http.MethodPost, "/v1/activation-requests", (*service).activationRequests},
	{http.MethodPost, "/v1/benefit-selections", (*service).benefitSelections},
	{http.MethodPost, "/v1/credit/balance", (*service).creditBalance},
	{http.MethodPost, "/v1/credit/redeem", (*service).creditRedeem},
}

// newHandler returns the handler of a new service.
func newHandler(rules *ruleSet, emails *benefits.Emails, log *slog.Logger, lim limits) http.Handler {
	return newService(rules, emails, log, lim).handler()
}

// newService returns the service with its slots free.
func newService(rules *ruleSet, emails *benefits.Emails, log *slog.Logger, lim limits) *service {
	return &service{rules: rules, emails: emails, log: log, limits: lim,
		slots: make(chan struct{}, lim.maxComputing)}
}

// handler returns the service's handler: every route (POST routes
// limited to the slots), a problem answer for an unknown path or a wrong
// method, all behind observe.
func (s *service) handler() http.Handler {
	mux := http.NewServeMux()
	paths := map[string]bool{}
	for _, rt := range routes {
		h := rt.handle
		if rt.method == http.MethodPost {
			h = limited(h)
		}
		mux.Handle(rt.method+" "+rt.path, s.endpoint(h))
		paths[rt.path] = true
	}

	// A path without a method matches the methods no route takes.
	for p := range paths {
		mux.Handle(p, s.endpoint(func(*service, http.ResponseWriter, *http.Request,
			*referralrules.Program) error {
			return problemf(errMethod, "%s takes %s", p, allowed(p))
		}))
	}
	mux.Handle("/", s.endpoint(func(_ *service, _ http.ResponseWriter, r *http.Request,
		_ *referralrules.Program) error {
		return problemf(errNotFound, "%s; GET /openapi.json lists the endpoints", r.URL.Path)
	}))
	return s.observe(mux)
}

// allowed lists the methods the routes take at path, for an Allow header.
func allowed(path string) string {
	var ms []string
	for _, rt := range routes {
		if rt.path == path {
			ms = append(ms, rt.method)
			if rt.method == http.MethodGet {
				ms = append(ms, http.MethodHead)
			}
		}
	}
	slices.Sort(ms)
	return strings.Join(ms, ", ")
}

// limited reads the request's body (see readJSON), then lets h decode it
// and compute only with one of the service's slots, waiting for one up to
// limits.queueWait; past it the answer is 503 with Retry-After. The body is
// read before the wait, so a client that sends it slowly holds no slot.
func limited(h endpointFunc) endpointFunc {
	return func(s *service, w http.ResponseWriter, r *http.Request, p *referralrules.Program) error {
		body, err := readJSON(w, r, s.limits.maxBody)
		if err != nil {
			return err
		}
		if err := s.acquire(r.Context()); err != nil {
			w.Header().Set("Retry-After", "1")
			return err
		}
		defer func() { <-s.slots }()
		return h(s, w, r.WithContext(context.WithValue(r.Context(), bodyKey{}, body)), p)
	}
}

// bodyKey is the context key of a body limited has read and checked.
type bodyKey struct{}

// acquire takes a slot, waiting up to limits.queueWait while the request
// lasts.
func (s *service) acquire(ctx context.Context) error {
	select {
	case s.slots <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(s.limits.queueWait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return problemf(errBusy, "the request ended while waiting for a slot: %v", ctx.Err())
	case <-t.C:
		return problemf(errBusy, "%d requests are being computed and others wait; try again shortly",
			cap(s.slots))
	}
}

// programKey is the context key of the rules a request was given.
type programKey struct{}

// endpoint adapts h to net/http: it passes the rules of the request's
// context and answers h's error as a problem.
func (s *service) endpoint(h endpointFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.Context().Value(programKey{}).(*referralrules.Program)
		if err := h(s, w, r, p); err != nil {
			writeError(w, r, err, s.log)
		}
	})
}

// observe gives every request the rules serving at its start, loaded once,
// and says so in the Rules-Version header; writes the access log line; and
// recovers a panic, so that no request can crash the process.
func (s *service) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		p := s.rules.Program()
		version := versionOf(p)
		rec := &recorder{ResponseWriter: w}
		rec.Header().Set("Rules-Version", version)
		r = r.WithContext(context.WithValue(r.Context(), programKey{}, p))
		defer func() {
			v := recover()
			begun := rec.status != 0
			if v != nil && v != http.ErrAbortHandler {
				s.recovered(rec, r, v)
			}
			s.log.Info("request", "method", r.Method, "path", r.URL.Path, "pattern", r.Pattern,
				"status", rec.code(), "bytes", rec.bytes,
				"duration_us", time.Since(start).Microseconds(),
				"rules_version", version, "remote", r.RemoteAddr)
			if v == http.ErrAbortHandler || v != nil && begun {
				// The answer had begun: cut the connection rather than
				// let the client take a truncated body for a whole one.
				panic(http.ErrAbortHandler)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// recovered logs the panic v of a request and answers 500 if nothing was
// written yet.
func (s *service) recovered(rec *recorder, r *http.Request, v any) {
	s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "value", fmt.Sprint(v),
		"stack", string(debug.Stack()))
	if rec.status == 0 {
		writeError(rec, r, fmt.Errorf("panic: %v", v), s.log)
	}
}

// recorder remembers the status and size of an answer for the access log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 {
		rec.status = code
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// code is the status sent, 200 when the handler wrote nothing.
func (rec *recorder) code() int {
	if rec.status == 0 {
		return http.StatusOK
	}
	return rec.status
}

// writeJSON answers v as JSON with status. It encodes v in full before
// writing, so that a value that fails to encode is still a clean 500.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode the answer: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(b.Bytes()) // an error means the client left: no one is left to tell
	return nil
}
