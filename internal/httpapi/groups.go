package httpapi

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/access"
	"github.com/portico/portico/internal/domain"
)

// SmartRule places users whose organization matches every non-empty list.
type SmartRule struct {
	OrganizationKinds []string    `json:"organization_kinds" enums:"partner,distributor,customer"`
	PartnerTypes      []string    `json:"partner_types"`
	Regions           []string    `json:"regions"`
	OrganizationIDs   []uuid.UUID `json:"organization_ids" swaggertype:"array,string" format:"uuid"`
}

// SmartRuleInput is a smart rule in a request: lists left out are empty.
type SmartRuleInput struct {
	OrganizationKinds []string    `json:"organization_kinds,omitempty" validate:"dive,oneof=partner distributor customer" enums:"partner,distributor,customer"`
	PartnerTypes      []string    `json:"partner_types,omitempty" validate:"dive,min=1,max=100"`
	Regions           []string    `json:"regions,omitempty" validate:"dive,min=1,max=100"`
	OrganizationIDs   []uuid.UUID `json:"organization_ids,omitempty" swaggertype:"array,string" format:"uuid"`
}

// Group is a set of users; with a smart rule, users are placed automatically.
type Group struct {
	ID                uuid.UUID  `json:"id" swaggertype:"string" format:"uuid"`
	Name              string     `json:"name" example:"Gold partners"`
	Description       string     `json:"description"`
	PartnerAssignable bool       `json:"partner_assignable"`
	SmartRule         *SmartRule `json:"smart_rule" extensions:"x-nullable"`
	Version           int64      `json:"version"`
	CreatedAt         time.Time  `json:"created_at" format:"date-time"`
	UpdatedAt         time.Time  `json:"updated_at" format:"date-time"`
}

func (g Group) etag() int64 { return g.Version }

// GroupList is one page of groups.
type GroupList struct {
	Data       []Group `json:"data"`
	NextCursor string  `json:"next_cursor,omitempty"`
}

// GroupCreate is the body of POST /api/v1/groups.
type GroupCreate struct {
	Name              string          `json:"name" validate:"required,max=100"`
	Description       string          `json:"description,omitempty" validate:"max=1000"`
	PartnerAssignable bool            `json:"partner_assignable,omitempty"`
	SmartRule         *SmartRuleInput `json:"smart_rule,omitempty"`
}

// GroupPatch is the body of PATCH /api/v1/groups/{id} (merge patch;
// smart_rule null makes the group manual).
type GroupPatch struct {
	Name              *string         `json:"name,omitempty" validate:"omitnil,min=1,max=100"`
	Description       *string         `json:"description,omitempty" validate:"omitnil,max=1000"`
	PartnerAssignable *bool           `json:"partner_assignable,omitempty"`
	SmartRule         *SmartRuleInput `json:"smart_rule,omitempty" extensions:"x-nullable"`
}

func (r *SmartRuleInput) toDomain() *domain.SmartRule {
	if r == nil {
		return nil
	}
	kinds := make([]domain.OrgKind, len(r.OrganizationKinds))
	for i, k := range r.OrganizationKinds {
		kinds[i] = domain.OrgKind(k)
	}
	return &domain.SmartRule{OrganizationKinds: kinds, PartnerTypes: r.PartnerTypes, Regions: r.Regions, OrganizationIDs: r.OrganizationIDs}
}

func ruleOut(r *domain.SmartRule) *SmartRule {
	if r == nil {
		return nil
	}
	out := &SmartRule{OrganizationKinds: []string{}, PartnerTypes: nonNil(r.PartnerTypes), Regions: nonNil(r.Regions),
		OrganizationIDs: nonNil(r.OrganizationIDs)}
	for _, k := range r.OrganizationKinds {
		out.OrganizationKinds = append(out.OrganizationKinds, string(k))
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func groupOut(g domain.Group) Group {
	return Group{ID: g.ID, Name: g.Name, Description: g.Description, PartnerAssignable: g.PartnerAssignable,
		SmartRule: ruleOut(g.SmartRule), Version: g.Version, CreatedAt: g.CreatedAt.UTC(), UpdatedAt: g.UpdatedAt.UTC()}
}

func groupID(g domain.Group) uuid.UUID { return g.ID }

// groupOutFor converts groups for the caller: a primary contact sees, of a
// smart rule's organization ids, only its own organization's.
func groupOutFor(c echo.Context) func(domain.Group) Group {
	scope := access.Scope(actorOf(c))
	return func(g domain.Group) Group {
		if scope != nil && g.SmartRule != nil {
			rule := *g.SmartRule
			rule.OrganizationIDs = nil
			if slices.Contains(g.SmartRule.OrganizationIDs, *scope) {
				rule.OrganizationIDs = []uuid.UUID{*scope}
			}
			g.SmartRule = &rule
		}
		return groupOut(g)
	}
}

// createGroup godoc
//
//	@Summary		Create a group
//	@Description	With smart_rule, users of matching organizations join at promotion and when their organization changes. Names are unique, case-insensitively.
//	@ID				createGroup
//	@Tags			groups
//	@Accept			json
//	@Produce		json
//	@Param			body	body		GroupCreate	true	"the group"
//	@Success		201		{object}	Group
//	@Header			201		{string}	ETag			"the version"
//	@Failure		400		{object}	problem.Problem	"malformed JSON"
//	@Failure		401		{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		409		{object}	problem.Problem	"the name is taken (group_name_taken)"
//	@Failure		422		{object}	problem.Problem	"invalid fields"
//	@Security		BearerAuth
//	@Router			/api/v1/groups [post]
func (h *handlers) createGroup(c echo.Context) error {
	return createOne(c, "/api/v1/groups", func(ctx context.Context, b GroupCreate) (domain.Group, error) {
		return h.dir.CreateGroup(ctx, domain.Group{Name: b.Name, Description: b.Description,
			PartnerAssignable: b.PartnerAssignable, SmartRule: b.SmartRule.toDomain()})
	}, groupOut, groupID)
}

// getGroup godoc
//
//	@Summary	Get a group
//	@ID			getGroup
//	@Tags		groups
//	@Produce	json
//	@Param		id	path		string	true	"group id"	format(uuid)
//	@Success	200	{object}	Group
//	@Header		200	{string}	ETag			"the version"
//	@Failure	401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	404	{object}	problem.Problem
//	@Security	BearerAuth
//	@Router		/api/v1/groups/{id} [get]
func (h *handlers) getGroup(c echo.Context) error {
	return getOne(c, "group", func(ctx context.Context, id uuid.UUID) (domain.Group, error) {
		g, err := h.dir.GetGroup(ctx, id)
		if err == nil && !g.PartnerAssignable && access.Scope(actorOf(c)) != nil {
			return g, domain.NotFound("group", id.String()) // primary contacts see assignable groups only
		}
		return g, err
	}, groupOutFor(c))
}

// listGroups godoc
//
//	@Summary	List groups
//	@ID			listGroups
//	@Tags		groups
//	@Produce	json
//	@Param		smart				query		bool	false	"only smart (true) or manual (false) groups"
//	@Param		partner_assignable	query		bool	false	"only groups partners may (true) or may not (false) assign"
//	@Param		limit				query		int		false	"page size (1-500, default 50)"
//	@Param		cursor				query		string	false	"next_cursor of the previous page"
//	@Success	200					{object}	GroupList
//	@Failure	401					{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403					{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	422					{object}	problem.Problem	"invalid query parameters"
//	@Security	BearerAuth
//	@Router		/api/v1/groups [get]
func (h *handlers) listGroups(c echo.Context) error {
	q := &query{c: c}
	f := domain.GroupFilter{Smart: q.boolean("smart"), PartnerAssignable: q.boolean("partner_assignable")}
	p := q.page()
	if err := q.err(); err != nil {
		return err
	}
	if access.Scope(actorOf(c)) != nil {
		assignable := true // primary contacts see the groups they may assign
		f.PartnerAssignable = &assignable
	}
	groups, more, err := h.dir.ListGroups(c.Request().Context(), f, p)
	if err != nil {
		return err
	}
	var out GroupList
	out.Data, out.NextCursor = listOf(groups, more, groupOutFor(c), groupID)
	return c.JSON(http.StatusOK, out)
}

// updateGroup godoc
//
//	@Summary		Update a group
//	@Description	JSON merge patch; smart_rule replaces the rule, null removes it. Memberships already given stay.
//	@ID				updateGroup
//	@Tags			groups
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string		true	"group id"	format(uuid)
//	@Param			If-Match	header		string		false	"ETag from a previous read; a stale one gets 412"
//	@Param			body		body		GroupPatch	true	"the changes"
//	@Success		200			{object}	Group
//	@Header			200			{string}	ETag			"the new version"
//	@Failure		400			{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401			{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403			{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem	"the name is taken"
//	@Failure		412			{object}	problem.Problem	"If-Match is stale"
//	@Failure		422			{object}	problem.Problem	"invalid fields"
//	@Security		BearerAuth
//	@Router			/api/v1/groups/{id} [patch]
func (h *handlers) updateGroup(c echo.Context) error {
	return patchOne(c, "group", func(ctx context.Context, id uuid.UUID, version int64, b GroupPatch, nulls map[string]bool) (domain.Group, error) {
		p := domain.GroupPatch{Name: b.Name, Description: b.Description, PartnerAssignable: b.PartnerAssignable}
		if b.SmartRule != nil || nulls["smart_rule"] {
			rule := b.SmartRule.toDomain()
			p.SmartRule = &rule
		}
		return h.dir.UpdateGroup(ctx, id, version, p)
	}, groupOut)
}

// deleteGroup godoc
//
//	@Summary		Delete a group
//	@Description	Refused with 409 (group_in_use, listing the users) while it is some user's only group; safe against concurrent changes of those users' groups.
//	@ID				deleteGroup
//	@Tags			groups
//	@Produce		json
//	@Param			id			path	string	true	"group id"	format(uuid)
//	@Param			If-Match	header	string	false	"ETag from a previous read; a stale one gets 412"
//	@Success		204
//	@Failure		401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		404	{object}	problem.Problem
//	@Failure		409	{object}	problem.Problem	"it is some user's only group (group_in_use)"
//	@Failure		412	{object}	problem.Problem	"If-Match is stale"
//	@Security		BearerAuth
//	@Router			/api/v1/groups/{id} [delete]
func (h *handlers) deleteGroup(c echo.Context) error {
	return deleteOne(c, "group", h.dir.DeleteGroup)
}
