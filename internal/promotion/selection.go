package promotion

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// SelectionStore finds the people that bulk promotion's emails and
// external ids name.
type SelectionStore interface {
	// PeopleByEmailKeys maps each email key to the contacts and users with
	// it, in id order, within scope (an organization) when it is set.
	PeopleByEmailKeys(ctx context.Context, keys []string, scope *uuid.UUID) (map[string][]domain.PersonRef, error)
	// PeopleByExternalIDs maps each external id to the contact or user with it, within scope.
	PeopleByExternalIDs(ctx context.Context, ids []string, scope *uuid.UUID) (map[string]uuid.UUID, error)
}

// Target is one item of a bulk promotion: the contact to promote, or the
// selector value that named no single contact (Err set, ContactID nil).
// Email or ExternalID is the value as the request gave it.
type Target struct {
	ContactID  uuid.UUID
	Email      string
	ExternalID string
	Err        *domain.Error
}

// Select turns a selection into targets in request order (id order for a
// filter). Emails compare case-insensitively after trimming, external ids
// after trimming; a value given twice fails its later occurrences
// (duplicate_selection), an email of several contacts fails
// (ambiguous_email, naming them), an unknown value fails (not_found). With
// a scope only that organization's people are found.
func (s *Service) Select(ctx context.Context, sel Selection, scope *uuid.UUID) ([]Target, error) {
	switch {
	case sel.Emails != nil:
		return s.selectByEmails(ctx, sel.Emails, scope)
	case sel.ExternalIDs != nil:
		return s.selectByExternalIDs(ctx, sel.ExternalIDs, scope)
	}
	ids, err := s.Resolve(ctx, sel, scope)
	targets := make([]Target, len(ids))
	for i, id := range ids {
		targets[i] = Target{ContactID: id}
	}
	return targets, err
}

func (s *Service) selectByEmails(ctx context.Context, emails []string, scope *uuid.UUID) ([]Target, error) {
	keys := make([]string, len(emails))
	for i, e := range emails {
		keys[i] = domain.EmailKey(e)
	}
	found, err := s.db.PeopleByEmailKeys(ctx, distinct(keys), scope)
	if err != nil {
		return nil, err
	}
	out := make([]Target, len(emails))
	seen := make(map[string]bool, len(keys))
	for i, key := range keys {
		t := Target{Email: emails[i]}
		switch matches := found[key]; {
		case seen[key]:
			t.Err = duplicateSelection("email", emails[i])
		case len(matches) == 0:
			t.Err = domain.NotFound("contact with email", fmt.Sprintf("%q", emails[i]))
		default:
			t.ContactID, t.Err = onlyContact(emails[i], matches)
		}
		seen[key] = true
		out[i] = t
	}
	return out, nil
}

// onlyContact picks the contact an email names. People of one email are
// contacts and at most one user: a single contact is promoted even when a
// user shares its email (promotion then answers email_taken); with no
// contact, the user is selected, which promotion answers already_user.
func onlyContact(email string, people []domain.PersonRef) (uuid.UUID, *domain.Error) {
	var contacts []string
	var pick uuid.UUID
	for _, p := range people {
		if !p.User {
			contacts, pick = append(contacts, p.ID.String()), p.ID
		}
	}
	switch {
	case len(contacts) == 0:
		return people[0].ID, nil
	case len(contacts) == 1:
		return pick, nil
	}
	return uuid.Nil, domain.Conflict("ambiguous_email",
		fmt.Sprintf("email %q belongs to %d contacts: %s", email, len(contacts), strings.Join(contacts, ", "))).
		WithResolution("promote the intended contact by contact_ids or external_ids, or delete the duplicates").
		With("contact_ids", contacts)
}

func (s *Service) selectByExternalIDs(ctx context.Context, externalIDs []string, scope *uuid.UUID) ([]Target, error) {
	keys := make([]string, len(externalIDs))
	for i, x := range externalIDs {
		keys[i] = strings.TrimSpace(x)
	}
	found, err := s.db.PeopleByExternalIDs(ctx, distinct(keys), scope)
	if err != nil {
		return nil, err
	}
	out := make([]Target, len(externalIDs))
	seen := make(map[string]bool, len(keys))
	for i, key := range keys {
		t := Target{ExternalID: externalIDs[i]}
		id, ok := found[key]
		switch {
		case seen[key]:
			t.Err = duplicateSelection("external_id", externalIDs[i])
		case !ok:
			t.Err = domain.NotFound("contact with external_id", fmt.Sprintf("%q", externalIDs[i]))
		default:
			t.ContactID = id
		}
		seen[key] = true
		out[i] = t
	}
	return out, nil
}

func duplicateSelection(field, value string) *domain.Error {
	return domain.Invalid("duplicate_selection", fmt.Sprintf("%s %q is selected more than once; only its first occurrence is promoted", field, value)).
		WithResolution("name each contact once")
}

func distinct(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if !seen[k] && k != "" {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// PromoteTargets promotes the targets that name a contact, synchronously,
// and answers every target in order, failed selections included.
func (s *Service) PromoteTargets(ctx context.Context, targets []Target, o domain.BulkOptions, actor string) ([]ItemResult, error) {
	var ids []uuid.UUID
	for _, t := range targets {
		if t.Err == nil {
			ids = append(ids, t.ContactID)
		}
	}
	promoted, err := s.PromoteNow(ctx, ids, o, actor)
	if err != nil {
		return nil, err
	}
	out := make([]ItemResult, len(targets))
	next := 0
	for i, t := range targets {
		if t.Err != nil {
			out[i] = ItemResult{ContactID: t.ContactID, Status: ItemFailed, Err: t.Err}
		} else {
			out[i], next = promoted[next], next+1
		}
		out[i].Email, out[i].ExternalID = t.Email, t.ExternalID
	}
	return out, nil
}

// jobItems are a job's rows: pending for a contact to promote, failed
// from the start for a value that named none.
func jobItems(targets []Target) []domain.JobItem {
	items := make([]domain.JobItem, len(targets))
	for i, t := range targets {
		items[i] = domain.JobItem{Seq: i, ContactID: t.ContactID, Status: "pending", Email: t.Email, ExternalID: t.ExternalID}
		if t.Err != nil {
			items[i].Status, items[i].Error = ItemFailed, t.Err
		}
	}
	return items
}
