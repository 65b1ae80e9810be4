package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// IgnoredDomain is an email domain that never identifies an organization.
type IgnoredDomain struct {
	Domain    string    `json:"domain" example:"gmail.com"`
	CreatedAt time.Time `json:"created_at" format:"date-time"`
}

// IgnoredDomainList is every ignored domain.
type IgnoredDomainList struct {
	Data       []IgnoredDomain `json:"data"`
	NextCursor string          `json:"next_cursor,omitempty"`
}

// IgnoredDomainCreate is the body of POST /api/v1/ignored-email-domains.
type IgnoredDomainCreate struct {
	Domain string `json:"domain" validate:"required,max=253" example:"gmail.com"`
}

func ignoredOut(d domain.IgnoredDomain) IgnoredDomain {
	return IgnoredDomain{Domain: d.Domain, CreatedAt: d.CreatedAt.UTC()}
}

// listIgnoredDomains godoc
//
//	@Summary	List ignored email domains
//	@ID			listIgnoredEmailDomains
//	@Tags		ignored-email-domains
//	@Produce	json
//	@Success	200	{object}	IgnoredDomainList
//	@Failure	401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Security	BearerAuth
//	@Router		/api/v1/ignored-email-domains [get]
func (h *handlers) listIgnoredDomains(c echo.Context) error {
	domains, err := h.dir.IgnoredDomains(c.Request().Context())
	if err != nil {
		return err
	}
	out := IgnoredDomainList{Data: make([]IgnoredDomain, len(domains))}
	for i, d := range domains {
		out.Data[i] = ignoredOut(d)
	}
	return c.JSON(http.StatusOK, out)
}

// addIgnoredDomain godoc
//
//	@Summary		Ignore an email domain
//	@Description	The domain is normalized (lower case, IDNA). Adding one already ignored answers 201 again; a domain owned by an organization is 409 naming it.
//	@ID				addIgnoredEmailDomain
//	@Tags			ignored-email-domains
//	@Accept			json
//	@Produce		json
//	@Param			body	body		IgnoredDomainCreate	true	"the domain"
//	@Success		201		{object}	IgnoredDomain
//	@Failure		400		{object}	problem.Problem	"malformed JSON"
//	@Failure		401		{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure		403		{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure		409		{object}	problem.Problem	"an organization owns the domain (email_domain_taken)"
//	@Failure		422		{object}	problem.Problem	"not a domain"
//	@Security		BearerAuth
//	@Router			/api/v1/ignored-email-domains [post]
func (h *handlers) addIgnoredDomain(c echo.Context) error {
	var b IgnoredDomainCreate
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	d, err := h.dir.AddIgnoredDomain(c.Request().Context(), b.Domain)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/ignored-email-domains/"+d.Domain)
	return c.JSON(http.StatusCreated, ignoredOut(d))
}

// removeIgnoredDomain godoc
//
//	@Summary	Stop ignoring an email domain
//	@ID			removeIgnoredEmailDomain
//	@Tags		ignored-email-domains
//	@Produce	json
//	@Param		domain	path	string	true	"the domain"
//	@Success	204
//	@Failure	401	{object}	problem.Problem	"missing or invalid credentials (unauthenticated)"
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Failure	404	{object}	problem.Problem
//	@Security	BearerAuth
//	@Router		/api/v1/ignored-email-domains/{domain} [delete]
func (h *handlers) removeIgnoredDomain(c echo.Context) error {
	if err := h.dir.RemoveIgnoredDomain(c.Request().Context(), c.Param("domain")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
