package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/promotion"
)

// handlers holds the use cases the resource handlers call.
type handlers struct {
	dir   *directory.Service
	promo *promotion.Service
}

// routes registers every /api/v1 operation.
func (h *handlers) routes(g *echo.Group) {
	g.GET("/organizations", h.listOrganizations)
	g.POST("/organizations", h.createOrganization)
	g.GET("/organizations/:id", h.getOrganization)
	g.PATCH("/organizations/:id", h.updateOrganization)
	g.DELETE("/organizations/:id", h.deleteOrganization)

	g.GET("/accounts", h.listAccounts)
	g.POST("/accounts", h.createAccount)
	g.GET("/accounts/:id", h.getAccount)
	g.PATCH("/accounts/:id", h.updateAccount)
	g.DELETE("/accounts/:id", h.deleteAccount)

	g.GET("/contacts", h.listContacts)
	g.POST("/contacts", h.createContact)
	g.GET("/contacts/:id", h.getContact)
	g.PATCH("/contacts/:id", h.updateContact)
	g.DELETE("/contacts/:id", h.deleteContact)

	g.POST("/contacts/:id/promote", h.promoteContact)

	g.GET("/users", h.listUsers)
	g.GET("/users/me", h.me)
	g.GET("/users/:id", h.getUser)
	g.PATCH("/users/:id", h.updateUser)
	g.POST("/users/:id/demote", h.demoteUser)
	g.POST("/users/:id/activation-email", h.resendActivation)

	g.POST("/activations", h.activate)
	g.POST("/sessions", h.signIn)
	g.DELETE("/sessions/current", h.signOut)
	g.POST("/password-resets", h.requestPasswordReset)
	g.POST("/password-resets/confirm", h.confirmPasswordReset)

	g.GET("/audit-events", h.listAuditEvents)

	g.GET("/groups", h.listGroups)
	g.POST("/groups", h.createGroup)
	g.GET("/groups/:id", h.getGroup)
	g.PATCH("/groups/:id", h.updateGroup)
	g.DELETE("/groups/:id", h.deleteGroup)

	g.GET("/field-definitions", h.listFieldDefinitions)
	g.POST("/field-definitions", h.createFieldDefinition)
	g.GET("/field-definitions/:id", h.getFieldDefinition)
	g.PATCH("/field-definitions/:id", h.updateFieldDefinition)
	g.DELETE("/field-definitions/:id", h.deleteFieldDefinition)

	g.GET("/ignored-email-domains", h.listIgnoredDomains)
	g.POST("/ignored-email-domains", h.addIgnoredDomain)
	g.DELETE("/ignored-email-domains/:domain", h.removeIgnoredDomain)

	g.GET("/field-mappings", h.listFieldMappings)
	g.POST("/field-mappings", h.createFieldMapping)
	g.GET("/field-mappings/static", h.listStaticFieldMappings)
	g.GET("/field-mappings/preview", h.previewConversions)
	g.GET("/field-mappings/:id", h.getFieldMapping)
	g.PATCH("/field-mappings/:id", h.updateFieldMapping)
	g.DELETE("/field-mappings/:id", h.deleteFieldMapping)
}
