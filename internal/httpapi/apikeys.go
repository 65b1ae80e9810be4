package httpapi

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
)

// APIKey is an integrator's credential, without its secret.
type APIKey struct {
	ID         uuid.UUID  `json:"id" swaggertype:"string" format:"uuid"`
	Name       string     `json:"name" example:"crm-sync"`
	Role       string     `json:"role" enums:"admin,readonly"`
	LastUsedAt *time.Time `json:"last_used_at" format:"date-time" extensions:"x-nullable"`
	RevokedAt  *time.Time `json:"revoked_at" format:"date-time" extensions:"x-nullable"`
	CreatedAt  time.Time  `json:"created_at" format:"date-time"`
}

// APIKeyList is every API key, revoked ones included.
type APIKeyList struct {
	Data       []APIKey `json:"data"`
	NextCursor string   `json:"next_cursor,omitempty"`
}

// APIKeyCreate is the body of POST /api/v1/api-keys.
type APIKeyCreate struct {
	Name string `json:"name" validate:"required,max=100" example:"crm-sync"`
	Role string `json:"role" validate:"required,oneof=admin readonly" enums:"admin,readonly"`
}

// APIKeyCreated is a new key; Key is shown only in this answer.
type APIKeyCreated struct {
	APIKey
	Key string `json:"key" example:"pk_3q2-7wE..."`
}

func apiKeyOut(k domain.APIKey) APIKey {
	return APIKey{ID: k.ID, Name: k.Name, Role: string(k.Role), LastUsedAt: utcPtr(k.LastUsedAt),
		RevokedAt: utcPtr(k.RevokedAt), CreatedAt: k.CreatedAt.UTC()}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// listAPIKeys godoc
//
//	@Summary	List API keys
//	@ID			listAPIKeys
//	@Tags		api-keys
//	@Produce	json
//	@Success	200	{object}	APIKeyList
//	@Failure	401	{object}	problem.Problem
//	@Failure	403	{object}	problem.Problem
//	@Security	BearerAuth
//	@Router		/api/v1/api-keys [get]
func (h *handlers) listAPIKeys(c echo.Context) error {
	keys, err := h.dir.APIKeys(c.Request().Context())
	if err != nil {
		return err
	}
	out := APIKeyList{Data: make([]APIKey, len(keys))}
	for i, k := range keys {
		out.Data[i] = apiKeyOut(k)
	}
	return c.JSON(http.StatusOK, out)
}

// createAPIKey godoc
//
//	@Summary		Create an API key
//	@Description	The key is shown once, in this answer; only its hash is stored. Send it as Authorization: Bearer <key>.
//	@ID				createAPIKey
//	@Tags			api-keys
//	@Accept			json
//	@Produce		json
//	@Param			body	body		APIKeyCreate	true	"name and role"
//	@Success		201		{object}	APIKeyCreated
//	@Failure		400		{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem	"the name is taken (api_key_name_taken)"
//	@Failure		422		{object}	problem.Problem	"invalid fields"
//	@Security		BearerAuth
//	@Router			/api/v1/api-keys [post]
func (h *handlers) createAPIKey(c echo.Context) error {
	var b APIKeyCreate
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	k, secret, err := h.dir.CreateAPIKey(c.Request().Context(), b.Name, domain.APIRole(b.Role))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, APIKeyCreated{APIKey: apiKeyOut(k), Key: secret})
}

// revokeAPIKey godoc
//
//	@Summary		Revoke an API key
//	@Description	The key stops working at once.
//	@ID				revokeAPIKey
//	@Tags			api-keys
//	@Produce		json
//	@Param			id	path	string	true	"API key id"	format(uuid)
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/api/v1/api-keys/{id} [delete]
func (h *handlers) revokeAPIKey(c echo.Context) error {
	id, err := pathID(c, "id", "API key")
	if err != nil {
		return err
	}
	if err := h.dir.RevokeAPIKey(c.Request().Context(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
