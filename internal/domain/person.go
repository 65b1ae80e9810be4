package domain

import (
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Contact is a person on file who cannot sign in.
type Contact struct {
	ID             uuid.UUID
	FirstName      string
	LastName       string
	Email          string // trimmed, case kept
	Phone          string
	Title          string
	OrganizationID *uuid.UUID
	AccountID      *uuid.UUID
	Locale         string // BCP 47; empty: the default locale
	ExternalID     string // the CRM's id; "" for none; kept through promotion
	Version        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// ContactPatch changes the fields that are not nil; OrganizationID and
// AccountID take a pointer to the zero UUID to clear the link.
type ContactPatch struct {
	FirstName, LastName, Email, Phone, Title *string
	OrganizationID, AccountID                *uuid.UUID
	Locale                                   *string
	ExternalID                               *string // "" clears it
}

// Apply sets every field of p that is not nil.
func (p ContactPatch) Apply(c *Contact) {
	set(&c.FirstName, p.FirstName)
	set(&c.LastName, p.LastName)
	set(&c.Email, p.Email)
	set(&c.Phone, p.Phone)
	set(&c.Title, p.Title)
	set(&c.Locale, p.Locale)
	set(&c.ExternalID, p.ExternalID)
	setLink(&c.OrganizationID, p.OrganizationID)
	setLink(&c.AccountID, p.AccountID)
}

func setLink(dst **uuid.UUID, v *uuid.UUID) {
	switch {
	case v == nil:
	case *v == uuid.Nil:
		*dst = nil
	default:
		id := *v
		*dst = &id
	}
}

// ContactFilter selects contacts; empty fields match all.
type ContactFilter struct {
	OrganizationID     *uuid.UUID
	AccountID          *uuid.UUID
	OrganizationStatus OrgStatus
	Kind               OrgKind
	PartnerType        string
	Region             string
	Query              string // case-insensitive substring of name or email
	ExternalID         string // exact match
}

// UserStatus is where a user is in its lifecycle; only active users sign in.
type UserStatus string

// The user statuses.
const (
	UserPending  UserStatus = "pending"
	UserActive   UserStatus = "active"
	UserDisabled UserStatus = "disabled"
	UserInactive UserStatus = "inactive"
)

// Role is what a user may do in the portal.
type Role string

// The roles.
const (
	RoleMember  Role = "member"
	RoleCreator Role = "creator"
	RoleAdmin   Role = "admin"
)

// User is a person who can sign in (once active). It keeps its contact's id.
type User struct {
	Contact
	Status         UserStatus
	Role           Role
	PrimaryContact bool
	GroupIDs       []uuid.UUID
	ActivatedAt    *time.Time
}

// UserFilter selects users; empty fields match all.
type UserFilter struct {
	OrganizationID *uuid.UUID
	Status         UserStatus
	GroupID        *uuid.UUID
	Query          string
	ExternalID     string // exact match
}

// NormalizeEmail trims an address and checks its form; the case is kept.
// The empty string is valid (a contact may have no email).
func NormalizeEmail(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", nil
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return "", Invalid("validation_failed", "the email address is not valid",
			FieldError{Field: "email", Code: "email", Message: "email must be an address such as jane@example.com"})
	}
	if _, err := EmailDomain(s); err != nil {
		return "", Invalid("validation_failed", "the email address is not valid",
			FieldError{Field: "email", Code: "email", Message: "the email's domain is not valid"})
	}
	return s, nil
}

// EmailKey is the form in which emails are compared.
func EmailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// UserPatch changes the fields that are not nil. GroupIDs replaces the
// user's manual groups; smart groups follow the organization.
type UserPatch struct {
	FirstName, LastName, Phone, Title *string
	Locale                            *string
	Status                            *UserStatus
	Role                              *Role
	PrimaryContact                    *bool
	GroupIDs                          *[]uuid.UUID
}

// Apply sets the profile fields, role and flag of p on u; status and
// groups have rules of their own.
func (p UserPatch) Apply(u *User) {
	set(&u.FirstName, p.FirstName)
	set(&u.LastName, p.LastName)
	set(&u.Phone, p.Phone)
	set(&u.Title, p.Title)
	set(&u.Locale, p.Locale)
	set(&u.Role, p.Role)
	set(&u.PrimaryContact, p.PrimaryContact)
}

// SetStatus moves u to status by an administrator's hand. A pending user
// becomes active only through activation; re-enabling a user who never
// activated makes it pending again, waiting for its activation link.
func (u *User) SetStatus(status UserStatus) error {
	if status == u.Status {
		return nil
	}
	switch {
	case status == UserPending:
		return Invalid("invalid_status", "a user becomes pending only by promotion; resend the activation email instead",
			FieldError{Field: "status", Code: "invalid_transition", Message: "status cannot be set to pending"})
	case status == UserActive && u.ActivatedAt == nil:
		if u.Status == UserPending {
			return Invalid("invalid_status", "this user has not activated the account yet; resend the activation email instead",
				FieldError{Field: "status", Code: "invalid_transition", Message: "a pending user becomes active only by activation"})
		}
		status = UserPending
	}
	u.Status = status
	return nil
}
