package promotion

import (
	"context"
	"log/slog"
	"time"

	"github.com/portico/portico/internal/domain"
)

const (
	// resetTimeout bounds the background work of one password reset request.
	resetTimeout = 30 * time.Second
	// resetDelay lets the answer to the request leave, and a client on the
	// same machine read it, before the work starts: on a busy machine the
	// work would otherwise share the CPU with sending the answer, and slow
	// it for active users only.
	resetDelay = 5 * time.Millisecond
)

// RequestPasswordReset asks for a reset link for email and returns at once:
// looking the user up, issuing the token and queueing the mail happen in
// the background a moment later, so the caller's answer is the same, in
// content and in time, whether or not an active user has this email. Wait
// waits for that work (at shutdown, and in tests); it covers the request
// from the moment this returns.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	ctx = context.WithoutCancel(ctx) // keeps the request id for the log, not the request's end
	s.background.Go(func() {
		time.Sleep(resetDelay)
		ctx, cancel := context.WithTimeout(ctx, resetTimeout)
		defer cancel()
		if err := s.issuePasswordReset(ctx, email); err != nil {
			s.log.ErrorContext(ctx, "password reset request", slog.String("error", err.Error()))
		}
	})
	return nil
}

// Wait blocks until the background work started so far (password reset
// mails) has finished. Call it after the HTTP server stopped and before the
// database closes.
func (s *Service) Wait() { s.background.Wait() }

// issuePasswordReset mails a reset link to an active user with this email,
// and does nothing for any other email.
func (s *Service) issuePasswordReset(ctx context.Context, email string) error {
	cred, err := s.db.UserCredentials(ctx, email)
	if err != nil || cred == nil || cred.User.Status != domain.UserActive {
		return err
	}
	u := cred.User
	return s.db.WithinTx(ctx, func(ctx context.Context) error {
		token, hash := domain.NewSecret()
		if err := s.db.IssueToken(ctx, u.ID, domain.PurposePasswordReset, hash, s.now().Add(s.cfg.ResetTTL)); err != nil {
			return err
		}
		body := salutation(u) + "\n\nsomeone asked to reset the password of your portal account.\n" +
			"Open this link to choose a new one (it works once, for " + humanDuration(s.cfg.ResetTTL) + "):\n\n" +
			s.link("/reset-password", token) + "\n\nIf it was not you, ignore this email; your password stays as it is.\n"
		if err := s.outbox.EnqueueEmail(ctx, domain.Email{To: u.Email, Subject: "Reset your portal password", Body: body}); err != nil {
			return err
		}
		return s.audit.RecordAudit(ctx, domain.AuditEvent{Actor: "anonymous", Action: "user.password_reset_requested",
			SubjectType: "user", SubjectID: u.ID.String(), OrganizationID: u.OrganizationID})
	})
}
