// Package mail sends one outbox message: SMTP in production, the log in
// development. The send_email background job (internal/jobs) decides when,
// and retries.
package mail

import (
	"context"
	"log/slog"

	"github.com/portico/portico/internal/domain"
)

// Sender delivers one message.
type Sender interface {
	Send(ctx context.Context, m domain.Email) error
}

// LogSender writes every message, link included, to the log: the
// development mail backend when no SMTP server is configured.
type LogSender struct {
	Log  *slog.Logger
	From string
}

// Send logs m whole.
func (s LogSender) Send(ctx context.Context, m domain.Email) error {
	s.Log.InfoContext(ctx, "email (not sent: PORTICO_SMTP_URL is unset)",
		slog.String("from", s.From), slog.String("to", m.To), slog.String("subject", m.Subject), slog.String("body", m.Body))
	return nil
}
