package domain

import "time"

// EmailKind is one of the emails Portico writes from a template.
type EmailKind string

// The email kinds.
const (
	EmailInvitation    EmailKind = "invitation"
	EmailPasswordReset EmailKind = "password_reset"
)

// EmailTemplate is an administrator's override of a built-in email for one
// kind and locale: Go text/template for subject and text, html/template
// for the HTML part.
type EmailTemplate struct {
	Kind      EmailKind
	Locale    string
	Subject   string
	Text      string
	HTML      string
	UpdatedBy string
	UpdatedAt time.Time
}
