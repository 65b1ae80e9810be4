// Package smtptest runs a real SMTP server on loopback for tests: it keeps
// every message it accepts, parsed, and can refuse or slow down delivery.
package smtptest

import (
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one accepted message.
type Message struct {
	From, To string // envelope
	Header   mail.Header
	Raw      string   // the whole message as received
	Parts    []string // decoded text bodies: the body, or each text part of a multipart one
}

// Text is every decoded text part joined.
func (m Message) Text() string { return strings.Join(m.Parts, "\n") }

// Server is a running SMTP server.
type Server struct {
	URL string // smtp://127.0.0.1:port

	mu       sync.Mutex
	messages []Message
	arrived  chan struct{}
	// Refuse answers the next Refuse recipients with a temporary error (451).
	Refuse int
	// Delay is how long each DATA takes before it is accepted.
	Delay time.Duration
	// inData and peak count the messages being received at once.
	inData, peak int
}

// Peak is the most messages that were ever being received at once.
func (s *Server) Peak() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}

// Start serves until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{arrived: make(chan struct{}, 1)}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			t.Log("smtp server:", err)
		}
	}()
	t.Cleanup(func() { _ = srv.Close() })
	s.URL = "smtp://" + l.Addr().String()
	return s
}

// Messages returns what was accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Wait returns the accepted messages once there are at least n, failing
// the test after timeout.
func (s *Server) Wait(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if got := s.Messages(); len(got) >= n {
			return got
		}
		select {
		case <-s.arrived:
		case <-deadline:
			t.Fatalf("%d of %d messages arrived within %v", len(s.Messages()), n, timeout)
		}
	}
}

// NewSession implements smtp.Backend.
func (s *Server) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{srv: s}, nil }

type session struct {
	srv      *Server
	from, to string
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if s.srv.Refuse > 0 {
		s.srv.Refuse--
		return &smtp.SMTPError{Code: 451, Message: "try again later"}
	}
	s.to = to
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.srv.mu.Lock()
	delay := s.srv.Delay
	s.srv.inData++
	s.srv.peak = max(s.srv.peak, s.srv.inData)
	s.srv.mu.Unlock()
	time.Sleep(delay)
	s.srv.mu.Lock()
	s.srv.inData--
	s.srv.mu.Unlock()
	m, err := parse(string(raw))
	if err != nil {
		return err
	}
	m.From, m.To = s.from, s.to
	s.srv.mu.Lock()
	s.srv.messages = append(s.srv.messages, m)
	s.srv.mu.Unlock()
	select {
	case s.srv.arrived <- struct{}{}:
	default:
	}
	return nil
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }

// parse reads the headers and decodes the text parts.
func parse(raw string) (Message, error) {
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	m := Message{Header: msg.Header, Raw: raw}
	mediaType, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if !strings.HasPrefix(mediaType, "multipart/") {
		body, err := decode(msg.Body, msg.Header.Get("Content-Transfer-Encoding"))
		m.Parts = []string{body}
		return m, err
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return m, nil
		}
		if err != nil {
			return m, err
		}
		body, err := decode(p, p.Header.Get("Content-Transfer-Encoding"))
		if err != nil {
			return m, err
		}
		m.Parts = append(m.Parts, body)
	}
}

func decode(r io.Reader, encoding string) (string, error) {
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	b, err := io.ReadAll(r)
	return string(b), err
}
