package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/portico/portico/pkg/client"
)

// defaultURL is where `portico serve` listens by default.
const defaultURL = "http://localhost:8080"

// responseTimeout bounds the wait for an answer once a request is sent,
// so that a server that stops answering ends the run instead of hanging
// it. It does not count the upload itself: a large file on a slow link
// may take longer than that to send.
const responseTimeout = 2 * time.Minute

// newTransport is http.DefaultTransport with a bound on each step of an
// exchange (connect, TLS, waiting for the answer's headers) instead of a
// bound on the whole exchange, which would cut off a long upload.
func newTransport(answer time.Duration) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = answer
	t.ExpectContinueTimeout = time.Second
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// conn is a connection to a running server: the generated SDK over an
// authenticated, retrying HTTP client.
type conn struct {
	api  *client.ClientWithResponses
	http *http.Client // what api sends through
}

// dial checks the connection flags (falling back to PORTICO_URL and
// PORTICO_TOKEN) and builds the clients; nothing is sent yet.
func dial(e *env, f connFlags) (*conn, error) {
	base := firstOf(f.url, e.getenv("PORTICO_URL"), defaultURL)
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usageErr("--url/PORTICO_URL %q is not an http(s) server URL such as http://localhost:8080", base)
	}
	token := firstOf(f.token, e.getenv("PORTICO_TOKEN"))
	if token == "" {
		return nil, usageErr("no token: set PORTICO_TOKEN or pass --token (an API key from `portico apikey create`, or the admin token)")
	}
	retried := &http.Client{Transport: &retrying{next: newTransport(responseTimeout), tries: 4, note: func(msg string) {
		_, _ = fmt.Fprintln(e.err, "portico:", msg)
	}}}
	api, err := client.NewClientWithResponses(strings.TrimRight(base, "/"), client.WithHTTPClient(retried),
		client.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token)
			return nil
		}))
	return &conn{api: api, http: retried}, err
}

// problemError is a 4xx or 5xx answer, with the problem document's code,
// detail and field errors when the body is one.
type problemError struct {
	what    string
	status  int
	problem client.Problem
}

func (e problemError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: the server answered %d", e.what, e.status)
	p := e.problem
	if p.Code != "" {
		fmt.Fprintf(&b, " %s", p.Code)
	}
	if p.Detail != nil && *p.Detail != "" {
		fmt.Fprintf(&b, ": %s", *p.Detail)
	}
	if p.Errors != nil {
		for _, fe := range *p.Errors {
			fmt.Fprintf(&b, "; %s: %s", fe.Field, firstOf(fe.Message, fe.Code))
		}
	}
	if p.Resolution != nil && *p.Resolution != "" {
		fmt.Fprintf(&b, " (%s)", *p.Resolution)
	}
	return b.String()
}

func problemErr(what string, status int, body []byte) error {
	e := problemError{what: what, status: status}
	_ = json.Unmarshal(body, &e.problem) // a body that is no problem still has its status
	return e
}

// isNotFound reports whether err is a 404 answer.
func isNotFound(err error) bool {
	var p problemError
	ok := errors.As(err, &p)
	return ok && p.status == http.StatusNotFound
}

// transportErr is a request that got no answer, after the retries.
func transportErr(what string, err error) error {
	return fmt.Errorf("%s: no answer from the server: %w", what, err)
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
