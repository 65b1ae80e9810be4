package domain

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Warning is a loss that did not stop an operation, e.g. a value truncated
// while an organization was created from an account.
type Warning struct {
	Code           string // field_truncated, value_out_of_range
	Message        string
	Field          string
	OriginalLength int
	SavedLength    int
}

// TruncationMessage is the sentence every lossy mapping and conversion
// warning carries (docs/conversion.md).
const TruncationMessage = "Character limit or number range of the account field does not match with the organization field. Some data may be lost during conversion."

// The promotion refusals, in the order they are checked
// (docs/promotion.md). Each names the cause and the fix.

// ErrAlreadyUser: the person is a user already.
func ErrAlreadyUser(id uuid.UUID, status UserStatus) *Error {
	detail := fmt.Sprintf("%s is already a user", id)
	if status != "" {
		detail += fmt.Sprintf(" (status %s)", status)
	}
	return Conflict("already_user", detail).
		WithResolution("leave users out of the selection: only contacts can be promoted; a pending user can be sent a new activation email instead")
}

// ErrOrganizationNotActive: the contact's organization is prospective or inactive.
func ErrOrganizationNotActive(o Organization) *Error {
	return Conflict("organization_not_active", fmt.Sprintf("organization %q (%s) is %s; only contacts of active organizations can be promoted", o.Name, o.ID, o.Status)).
		WithResolution("set the organization's status to active (PATCH /api/v1/organizations/"+o.ID.String()+`, {"status":"active"}), then promote again`).
		With("organization_id", o.ID.String())
}

// ErrNoOrganization: the contact has neither an organization nor an account.
func ErrNoOrganization(contactID uuid.UUID) *Error {
	return Conflict("no_organization", fmt.Sprintf("contact %s has neither an organization nor an account", contactID)).
		WithResolution("set the contact's organization_id, or its account_id so that an organization is created from the account")
}

// ErrEmailMissing: no email on the contact and none in the request.
func ErrEmailMissing(contactID uuid.UUID) *Error {
	return Invalid("email_missing", fmt.Sprintf("contact %s has no email address and the request gives none", contactID)).
		WithResolution(`send "email" in the promotion request, or set the contact's email first`)
}

// ErrEmailNotAllowed: the request gives an email for a contact that has one.
func ErrEmailNotAllowed(contactEmail string) *Error {
	return Invalid("email_not_allowed", fmt.Sprintf("the contact already has the email %s; a request email is only for contacts without one", contactEmail),
		FieldError{Field: "email", Code: "not_allowed", Message: "leave email out: the contact has one"}).
		WithResolution("leave email out of the request, or change the contact's email with PATCH /api/v1/contacts/{id} first")
}

// ErrEmailTaken: a user has this email already.
func ErrEmailTaken(email string, owner *User) *Error {
	e := Conflict("email_taken", fmt.Sprintf("a user already has the email %s", email))
	resolution := "delete this contact; the person already has a user account"
	if owner != nil {
		name := strings.TrimSpace(owner.FirstName + " " + owner.LastName)
		e.Detail = fmt.Sprintf("user %s (%s, status %s) already has the email %s", owner.ID, name, owner.Status, email)
		e = e.With("user_id", owner.ID.String()).With("user_status", string(owner.Status))
		if owner.Status == UserPending {
			resolution += fmt.Sprintf(", then resend that pending user's activation email (POST /api/v1/users/%s/activation-email)", owner.ID)
		}
	}
	return e.WithResolution(resolution)
}

// ErrEmailInUse: the email given in the request belongs to another contact.
func ErrEmailInUse(email string, contactID uuid.UUID) *Error {
	return Conflict("email_in_use", fmt.Sprintf("the email %s belongs to contact %s", email, contactID)).
		WithResolution("use an email no other user or contact has, or promote that contact instead").
		With("contact_id", contactID.String())
}

// ErrEmailDomainConflict: the email's domain belongs to another organization.
func ErrEmailDomainConflict(dom string, owner Organization) *Error {
	return Conflict("email_domain_conflict", fmt.Sprintf("the email domain %s belongs to organization %q (%s), not the contact's", dom, owner.Name, owner.ID)).
		WithResolution("remove the domain from organization "+owner.ID.String()+" and add it to the ignored email domains (POST /api/v1/ignored-email-domains)").
		With("domain", dom).With("organization_id", owner.ID.String())
}

// ErrGroupRequired: no groups given, none kept, and no smart group matches.
func ErrGroupRequired() *Error {
	return Invalid("group_required", "every user must belong to at least one group: none was given, none was kept from an earlier demotion, and no smart group matches the organization").
		WithResolution(`give "group_ids", or create a smart group whose rule matches the organization`)
}

// ErrConfirmationRequired: only smart groups would apply and the caller has
// not confirmed that.
func ErrConfirmationRequired(groups []Group) *Error {
	names := make([]string, len(groups))
	list := make([]map[string]string, len(groups))
	for i, g := range groups {
		names[i] = g.Name
		list[i] = map[string]string{"id": g.ID.String(), "name": g.Name}
	}
	return Invalid("confirmation_required", fmt.Sprintf("no groups were given; the user would join only the smart groups %s", strings.Join(names, ", "))).
		WithResolution(`send "confirm_smart_groups": true to proceed with the smart groups only, or give "group_ids"`).
		With("smart_groups", list)
}

// ErrRequiredFieldMissing: the organization to create lacks required fields.
func ErrRequiredFieldMissing(keys []string) *Error {
	fields := make([]FieldError, len(keys))
	for i, k := range keys {
		fields[i] = FieldError{Field: "custom_fields." + k, Code: "required", Message: k + " is required for organizations and has no mapped, non-empty account value"}
	}
	e := Invalid("required_field_missing", "the organization created from the account would lack required custom fields: "+strings.Join(keys, ", "), fields...)
	return e.WithResolution("fill these fields on the account and map them (POST /api/v1/field-mappings), or make them optional").
		With("missing_fields", keys)
}

// ErrGroupNotFound: a given group does not exist.
func ErrGroupNotFound(missing []uuid.UUID) *Error {
	ids := make([]string, len(missing))
	for i, id := range missing {
		ids[i] = id.String()
	}
	return Invalid("group_not_found", "these groups do not exist: "+strings.Join(ids, ", ")).
		WithResolution("list the groups with GET /api/v1/groups and use existing ids").
		With("missing_group_ids", ids)
}
