package mail

import (
	"context"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/portico/portico/internal/domain"
)

// SMTPSender delivers through an SMTP server.
type SMTPSender struct {
	from string
	opts []gomail.Option
	host string
}

// NewSMTPSender reads smtp://[user:pass@]host[:port] (STARTTLS when the
// server offers it; ?tls=required insists, ?tls=none never) or
// smtps://... (TLS from the first byte).
func NewSMTPSender(rawURL, from string) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("smtp url: %w", err)
	}
	opts := []gomail.Option{gomail.WithTimeout(15 * time.Second)}
	port := 587
	switch u.Scheme {
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	case "smtp":
		policy := gomail.TLSOpportunistic
		switch u.Query().Get("tls") {
		case "required":
			policy = gomail.TLSMandatory
		case "none":
			policy = gomail.NoTLS
		}
		opts = append(opts, gomail.WithTLSPolicy(policy))
	default:
		return nil, fmt.Errorf("smtp url: scheme %q is not smtp or smtps", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("smtp url: port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	return &SMTPSender{from: from, opts: opts, host: u.Hostname()}, nil
}

// MessageID is m's Message-ID without the angle brackets: the outbox
// row's id at the sender's domain, the same for every attempt, so that a
// receiver can drop the repeat that a crash between the SMTP server's
// acceptance and the record of it may cause.
func MessageID(m domain.Email, from string) string {
	host := "portico.invalid"
	if addr, err := netmail.ParseAddress(from); err == nil {
		if at := strings.LastIndexByte(addr.Address, '@'); at >= 0 && at < len(addr.Address)-1 {
			host = addr.Address[at+1:]
		}
	}
	return m.ID.String() + "@" + host
}

// Send delivers m over one SMTP connection: its text, and its HTML as the
// alternative when it has one.
func (s *SMTPSender) Send(ctx context.Context, m domain.Email) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("from %q: %w", s.from, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("to %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(MessageID(m, s.from))
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	if m.HTML != "" {
		// multipart/alternative: clients show the HTML, or the text without it
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	client, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return err
	}
	return client.DialAndSendWithContext(ctx, msg)
}
