package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/access"
	"github.com/portico/portico/internal/domain"
)

// User is a person who can sign in once active; it keeps its contact's id.
type User struct {
	Contact
	Status         string      `json:"status" enums:"pending,active,disabled,inactive"`
	Role           string      `json:"role" enums:"member,creator,admin"`
	PrimaryContact bool        `json:"primary_contact"`
	GroupIDs       []uuid.UUID `json:"group_ids" swaggertype:"array,string" format:"uuid"`
	ActivatedAt    *time.Time  `json:"activated_at" format:"date-time" extensions:"x-nullable"`
	// Invitation is the user's newest invitation (GET of a user and the
	// user list; null elsewhere, and for users invited before invitations
	// were recorded).
	Invitation *Invitation `json:"invitation" extensions:"x-nullable"`
}

// UserList is one page of users.
type UserList struct {
	Data       []User `json:"data"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// UserPatch is the body of PATCH /api/v1/users/{id} (merge patch).
type UserPatch struct {
	FirstName *string `json:"first_name,omitempty" validate:"omitnil,max=100"`
	LastName  *string `json:"last_name,omitempty" validate:"omitnil,max=100"`
	Phone     *string `json:"phone,omitempty" validate:"omitnil,max=50"`
	Title     *string `json:"title,omitempty" validate:"omitnil,max=100"`
	// Locale is a BCP 47 language tag; null or "" returns to PORTICO_DEFAULT_LOCALE.
	Locale *string `json:"locale,omitempty" validate:"omitnil,max=35" example:"de"`
	// Status: disable or re-enable a user; pending users become active only by activation.
	// Any status but active ends the user's sessions: after re-enabling, the user signs in again.
	Status         *string `json:"status,omitempty" validate:"omitnil,oneof=active disabled inactive" enums:"active,disabled,inactive"`
	Role           *string `json:"role,omitempty" validate:"omitnil,oneof=member creator admin" enums:"member,creator,admin"`
	PrimaryContact *bool   `json:"primary_contact,omitempty"`
	// GroupIDs replaces the manual groups; the user keeps at least one group.
	GroupIDs *[]uuid.UUID `json:"group_ids,omitempty" swaggertype:"array,string" format:"uuid" validate:"omitnil,max=100"`
}

func (u User) etag() int64 { return u.Version }

func userOut(u domain.User) User {
	var activated *time.Time
	if u.ActivatedAt != nil {
		t := u.ActivatedAt.UTC()
		activated = &t
	}
	return User{Contact: contactOut(u.Contact), Status: string(u.Status), Role: string(u.Role),
		PrimaryContact: u.PrimaryContact, GroupIDs: u.GroupIDs, ActivatedAt: activated}
}

func userID(u domain.User) uuid.UUID { return u.ID }

// getUser godoc
//
//	@Summary	Get a user
//	@ID			getUser
//	@Tags		users
//	@Produce	json
//	@Param		id	path		string	true	"user id"	format(uuid)
//	@Success	200	{object}	User
//	@Header		200	{string}	ETag			"the version"
//	@Failure	401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	404	{object}	problem.Problem
//	@Security	BearerAuth
//	@Router		/api/v1/users/{id} [get]
func (h *handlers) getUser(c echo.Context) error {
	id, err := pathID(c, "id", "user")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := h.scopedUser(ctx, c, id)
	if err != nil {
		return err
	}
	out := []User{userOut(u)}
	if err := h.withInvitations(ctx, out); err != nil {
		return err
	}
	return withETag(c, http.StatusOK, u.Version, out[0])
}

// scopedUser reads a user the caller may see (404 otherwise).
func (h *handlers) scopedUser(ctx context.Context, c echo.Context, id uuid.UUID) (domain.User, error) {
	u, err := h.dir.GetUser(ctx, id)
	if err != nil {
		return u, err
	}
	return u, access.ScopeUser(actorOf(c), u)
}

// listUsers godoc
//
//	@Summary	List users
//	@ID			listUsers
//	@Tags		users
//	@Produce	json
//	@Param		organization_id	query		string	false	"organization id"		format(uuid)
//	@Param		status			query		string	false	"user status"			Enums(pending, active, disabled, inactive)
//	@Param		group_id		query		string	false	"member of this group"	format(uuid)
//	@Param		q				query		string	false	"case-insensitive substring of name or email"
//	@Param		external_id		query		string	false	"the CRM's id, kept from the contact (exact, after trimming)"
//	@Param		limit			query		int		false	"page size (1-500, default 50)"
//	@Param		cursor			query		string	false	"next_cursor of the previous page"
//	@Success	200				{object}	UserList
//	@Failure	401				{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403				{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	422				{object}	problem.Problem	"invalid query parameters"
//	@Security	BearerAuth
//	@Router		/api/v1/users [get]
func (h *handlers) listUsers(c echo.Context) error {
	q := &query{c: c}
	f := domain.UserFilter{
		OrganizationID: q.uuid("organization_id"),
		Status:         domain.UserStatus(q.oneOf("status", "pending", "active", "disabled", "inactive")),
		GroupID:        q.uuid("group_id"),
		Query:          c.QueryParam("q"),
		ExternalID:     externalIDParam(c),
	}
	p := q.page()
	if err := q.err(); err != nil {
		return err
	}
	var err error
	if f.OrganizationID, err = scopeFilter(c, f.OrganizationID); err != nil {
		return err
	}
	users, more, err := h.dir.ListUsers(c.Request().Context(), f, p)
	if err != nil {
		return err
	}
	var out UserList
	out.Data, out.NextCursor = listOf(users, more, userOut, userID)
	if err := h.withInvitations(c.Request().Context(), out.Data); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// updateUser godoc
//
//	@Summary		Update a user
//	@Description	Disable or re-enable, change role, groups (replaces the manual groups; at least one group stays), primary_contact or profile fields. Disabling (or inactive) ends the user's sessions at once; re-enabling does not revive them.
//	@ID				updateUser
//	@Tags			users
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string		true	"user id"	format(uuid)
//	@Param			If-Match	header		string		false	"ETag from a previous read; a stale one gets 412"
//	@Param			body		body		UserPatch	true	"the changes"
//	@Success		200			{object}	User
//	@Header			200			{string}	ETag			"the new version"
//	@Failure		400			{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem	"If-Match is stale"
//	@Failure		422			{object}	problem.Problem	"invalid fields, group_required, group_not_found, invalid_status"
//	@Security		BearerAuth
//	@Router			/api/v1/users/{id} [patch]
func (h *handlers) updateUser(c echo.Context) error {
	return patchOne(c, "user", func(ctx context.Context, id uuid.UUID, version int64, b UserPatch, _ map[string]bool) (domain.User, error) {
		patch := domain.UserPatch{
			FirstName: b.FirstName, LastName: b.LastName, Phone: b.Phone, Title: b.Title, Locale: b.Locale,
			Status: (*domain.UserStatus)(b.Status), Role: (*domain.Role)(b.Role),
			PrimaryContact: b.PrimaryContact, GroupIDs: b.GroupIDs,
		}
		if err := h.checkUserPatch(ctx, c, id, patch); err != nil {
			return domain.User{}, err
		}
		return h.dir.UpdateUser(ctx, id, version, patch)
	}, userOut)
}

// checkUserPatch asks the policy whether the caller may make this change:
// the user must be visible, the fields allowed, the groups assignable.
func (h *handlers) checkUserPatch(ctx context.Context, c echo.Context, id uuid.UUID, p domain.UserPatch) error {
	target, err := h.scopedUser(ctx, c, id)
	if err != nil {
		return err
	}
	a := actorOf(c)
	if err := access.CheckUserPatch(a, target, p); err != nil {
		return err
	}
	role := domain.Role("")
	if p.Role != nil {
		role = *p.Role
	}
	var groups []uuid.UUID
	if p.GroupIDs != nil {
		groups = *p.GroupIDs
	}
	return h.checkAssignment(ctx, a, groups, role)
}

// checkAssignment loads the groups to be given and asks the policy.
func (h *handlers) checkAssignment(ctx context.Context, a domain.Actor, groupIDs []uuid.UUID, role domain.Role) error {
	if a.IsAdmin() {
		return nil
	}
	groups := make([]domain.Group, 0, len(groupIDs))
	for _, id := range groupIDs {
		g, err := h.dir.GetGroup(ctx, id)
		if err != nil {
			if de, ok := domain.AsError(err); ok && de.Kind == domain.KindNotFound {
				continue // group_not_found is the use case's answer
			}
			return err
		}
		groups = append(groups, g)
	}
	return access.CheckAssignment(a, groups, role)
}

// withInvitations fills each user's newest invitation, in one read.
func (h *handlers) withInvitations(ctx context.Context, users []User) error {
	ids := make([]uuid.UUID, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	current, err := h.promo.CurrentInvitations(ctx, ids)
	if err != nil {
		return err
	}
	for i, u := range users {
		if inv, ok := current[u.ID]; ok {
			out := invitationOut(inv)
			users[i].Invitation = &out
		}
	}
	return nil
}
