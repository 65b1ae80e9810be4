package mail_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/mail"
	"github.com/portico/portico/internal/mail/smtptest"
)

// The SMTP sender delivers one message to a real SMTP server with its
// headers, and every attempt of one message carries the same Message-ID.
func TestSMTPSenderDelivers(t *testing.T) {
	server := smtptest.Start(t)
	sender, err := mail.NewSMTPSender(server.URL, "Portico <no-reply@portico.test>")
	if err != nil {
		t.Fatal(err)
	}
	id := uuid.MustParse("0190d5a0-0000-7000-8000-000000000001")
	m := domain.Email{ID: id, To: "jane@acme.example", Subject: "Your portal invitation", Body: "Open http://portal.test/activate?token=abc123"}
	for range 2 {
		if err := sender.Send(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	got := server.Wait(t, 2, 5*time.Second)
	for _, msg := range got {
		if msg.To != "jane@acme.example" || msg.Header.Get("Subject") != "Your portal invitation" ||
			!strings.Contains(msg.Header.Get("From"), "no-reply@portico.test") || !strings.Contains(msg.Text(), "token=abc123") {
			t.Errorf("message %+v", msg)
		}
		if want := "<" + id.String() + "@portico.test>"; msg.Header.Get("Message-Id") != want {
			t.Errorf("Message-ID %q, want %q", msg.Header.Get("Message-Id"), want)
		}
	}
}

// A refusal is an error for the caller to retry.
func TestSMTPSenderReportsRefusal(t *testing.T) {
	server := smtptest.Start(t)
	server.Refuse = 1
	sender, err := mail.NewSMTPSender(server.URL, "no-reply@portico.test")
	if err != nil {
		t.Fatal(err)
	}
	if err := sender.Send(t.Context(), domain.Email{ID: domain.NewID(), To: "x@y.example", Subject: "s", Body: "b"}); err == nil {
		t.Fatal("a refused message reported as sent")
	}
}

func TestMessageIDUsesTheSendersDomain(t *testing.T) {
	id := domain.NewID()
	for from, want := range map[string]string{
		"Portico <no-reply@acme.example>": id.String() + "@acme.example",
		"not an address":                  id.String() + "@portico.invalid",
	} {
		if got := mail.MessageID(domain.Email{ID: id}, from); got != want {
			t.Errorf("MessageID from %q = %q, want %q", from, got, want)
		}
	}
}
