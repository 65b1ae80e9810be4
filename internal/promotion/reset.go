package promotion

import (
	"context"

	"github.com/portico/portico/internal/domain"
)

// RequestPasswordReset asks for a reset link for email and returns at once:
// it only enqueues a background job, for any email, so the caller's answer
// is the same, in content and in time, whether or not an active user has
// this email. The job (IssuePasswordReset) looks the user up, issues the
// token and queues the mail.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	return s.db.InsertJob(ctx, domain.PasswordResetRequest{Email: email})
}

// IssuePasswordReset mails a reset link to an active user with this email,
// and does nothing for any other email.
func (s *Service) IssuePasswordReset(ctx context.Context, email string) error {
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
