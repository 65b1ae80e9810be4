package domain

import "github.com/google/uuid"

// The background jobs. Each is the argument of one River job kind: the job
// stores only identifiers, and its worker reads the current state, so that
// a retried job works on what is true now.

// SendEmail delivers one outbox message.
type SendEmail struct {
	EmailID uuid.UUID `json:"email_id"`
}

// Kind names the job kind.
func (SendEmail) Kind() string { return "send_email" }

// RunPromotionJob works a bulk promotion job's pending contacts.
type RunPromotionJob struct {
	JobID uuid.UUID `json:"job_id"`
}

// Kind names the job kind.
func (RunPromotionJob) Kind() string { return "promotion_job" }

// PasswordResetRequest looks the email up and, for an active user, issues
// a reset link. It is a job for every email asked about, so that the answer
// to the request costs the same whether or not such a user exists.
type PasswordResetRequest struct {
	Email string `json:"email"`
}

// Kind names the job kind.
func (PasswordResetRequest) Kind() string { return "password_reset" }

// JobArgs is what a background job carries (River's JobArgs).
type JobArgs interface{ Kind() string }

// RunInvitationJob works a bulk resend job's pending invitations.
type RunInvitationJob struct {
	JobID uuid.UUID `json:"job_id"`
}

// Kind names the job kind.
func (RunInvitationJob) Kind() string { return "invitation_job" }
