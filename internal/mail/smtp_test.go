package mail_test

import (
	"errors"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/mail"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// smtpServer is a real SMTP server on loopback that keeps what it receives
// and refuses the first `refuse` recipients with a temporary error.
type smtpServer struct {
	mu       sync.Mutex
	received []string // whole messages
	rcpts    []string
	refuse   int
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{srv: s}, nil }

type smtpSession struct{ srv *smtpServer }

func (s *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if s.srv.refuse > 0 {
		s.srv.refuse--
		return &smtp.SMTPError{Code: 451, Message: "try again later"}
	}
	s.srv.rcpts = append(s.srv.rcpts, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	s.srv.received = append(s.srv.received, string(b))
	return err
}

func (s *smtpSession) Reset()        {}
func (s *smtpSession) Logout() error { return nil }

func startSMTP(t *testing.T, refuse int) (*smtpServer, string) {
	t.Helper()
	backend := &smtpServer{refuse: refuse}
	srv := smtp.NewServer(backend)
	srv.Domain = "localhost"
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
	return backend, "smtp://" + l.Addr().String()
}

func TestSMTPDeliveryThroughOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		server, url := startSMTP(t, 1)
		sender, err := mail.NewSMTPSender(url, "Portico <no-reply@portico.test>")
		if err != nil {
			t.Fatal(err)
		}
		w := &mail.Worker{Outbox: db, Sender: sender, Log: slog.New(slog.DiscardHandler), Interval: time.Second, MaxAttempts: 3, BaseBackoff: time.Hour}
		link := "http://portal.test/activate?token=abc123"
		if err := db.EnqueueEmail(t.Context(), domain.Email{To: "jane@acme.example", Subject: "Your portal invitation", Body: "Open " + link}); err != nil {
			t.Fatal(err)
		}

		// the first attempt is refused: retried later, not now
		if sent := w.Drain(t.Context()); sent != 0 {
			t.Fatalf("sent %d on a refused attempt", sent)
		}
		if sent := w.Drain(t.Context()); sent != 0 {
			t.Fatal("retried before the backoff elapsed")
		}
		if err := db.Gorm.Exec("UPDATE outbox_emails SET next_attempt_at = ?", time.Now().UTC().Add(-time.Second)).Error; err != nil {
			t.Fatal(err)
		}
		if sent := w.Drain(t.Context()); sent != 1 {
			t.Fatalf("sent %d after the backoff", sent)
		}
		server.mu.Lock()
		defer server.mu.Unlock()
		if len(server.received) != 1 || len(server.rcpts) != 1 || server.rcpts[0] != "jane@acme.example" {
			t.Fatalf("server got %d messages for %v", len(server.received), server.rcpts)
		}
		msg, err := netmail.ReadMessage(strings.NewReader(server.received[0]))
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
		if err != nil {
			t.Fatal(err)
		}
		if msg.Header.Get("Subject") != "Your portal invitation" || !strings.Contains(msg.Header.Get("From"), "no-reply@portico.test") ||
			!strings.Contains(string(body), link) {
			t.Errorf("message: %v\n%s", msg.Header, body)
		}
		var attempts int
		db.Gorm.Raw("SELECT attempts FROM outbox_emails WHERE sent_at IS NOT NULL").Scan(&attempts)
		if attempts != 2 {
			t.Errorf("attempts = %d, want 2", attempts)
		}
	})
}

func TestOutboxGivesUpAfterMaxAttempts(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	_, url := startSMTP(t, 100)
	sender, err := mail.NewSMTPSender(url, "no-reply@portico.test")
	if err != nil {
		t.Fatal(err)
	}
	w := &mail.Worker{Outbox: db, Sender: sender, Log: slog.New(slog.DiscardHandler), Interval: time.Second, MaxAttempts: 2, BaseBackoff: time.Nanosecond}
	if err := db.EnqueueEmail(t.Context(), domain.Email{To: "x@y.example", Subject: "s", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		w.Drain(t.Context())
		time.Sleep(time.Millisecond)
	}
	var failed int64
	db.Gorm.Table("outbox_emails").Where("failed_at IS NOT NULL AND attempts = 2 AND last_error <> ''").Count(&failed)
	if failed != 1 {
		t.Fatal("the message was not marked failed after 2 attempts")
	}
}
