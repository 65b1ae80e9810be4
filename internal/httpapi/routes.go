package httpapi

import (
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/access"
	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/promotion"
	"github.com/portico/portico/internal/webhook"
)

// handlers holds the use cases the resource handlers call.
type handlers struct {
	dir       *directory.Service
	promo     *promotion.Service
	hooks     *webhook.Service
	byClient  *limiter // public endpoints, per client address
	byAccount *limiter // public endpoints, per email or token
	keys      Idempotency
	syncLimit int    // bulk selections up to this size answer synchronously
	portalURL string // the portal's sign-in page, linked from the token pages
}

// route is one /api/v1 operation and the access rule that guards it. The
// rule sits beside the handler so that no route can exist without one.
type route struct {
	method, path string
	handler      echo.HandlerFunc
	rule         access.Rule
}

// table lists every /api/v1 operation.
func (h *handlers) table() []route {
	const (
		get, post, patch, del, put = "GET", "POST", "PATCH", "DELETE", "PUT"
	)
	return []route{
		{post, "/activations", h.activate, access.Public},
		{post, "/sessions", h.signIn, access.Public},
		{del, "/sessions/current", h.signOut, access.SignedIn},
		{post, "/password-resets", h.requestPasswordReset, access.Public},
		{post, "/password-resets/confirm", h.confirmPasswordReset, access.Public},

		{get, "/organizations", h.listOrganizations, access.PrimaryScoped},
		{post, "/organizations", h.createOrganization, access.Admin},
		{get, "/organizations/:id", h.getOrganization, access.PrimaryScoped},
		{patch, "/organizations/:id", h.updateOrganization, access.Admin},
		{del, "/organizations/:id", h.deleteOrganization, access.Admin},
		{put, "/organizations/by-external-id/:external_id", h.putOrganization, access.Admin},

		{get, "/accounts", h.listAccounts, access.Admin},
		{post, "/accounts", h.createAccount, access.Admin},
		{get, "/accounts/:id", h.getAccount, access.Admin},
		{patch, "/accounts/:id", h.updateAccount, access.Admin},
		{del, "/accounts/:id", h.deleteAccount, access.Admin},
		{put, "/accounts/by-external-id/:external_id", h.putAccount, access.Admin},

		{get, "/contacts", h.listContacts, access.PrimaryScoped},
		{post, "/contacts", h.createContact, access.Admin},
		{get, "/contacts/:id", h.getContact, access.PrimaryScoped},
		{patch, "/contacts/:id", h.updateContact, access.Admin},
		{del, "/contacts/:id", h.deleteContact, access.Admin},
		{put, "/contacts/by-external-id/:external_id", h.putContact, access.Admin},
		{post, "/contacts/:id/promote", h.promoteContact, access.PrimaryScoped},
		{post, "/contacts/promote", h.bulkPromote, access.PrimaryScoped},
		{get, "/promotion-jobs/:id", h.getPromotionJob, access.PrimaryScoped},
		{get, "/promotion-jobs/:id/results", h.listPromotionJobResults, access.PrimaryScoped},
		{post, "/promotion-jobs/:id/cancel", h.cancelPromotionJob, access.PrimaryScoped},

		{post, "/imports", h.createImport, access.Admin},
		{get, "/import-jobs/:id", h.getImportJob, access.Admin},
		{get, "/import-jobs/:id/results", h.listImportJobResults, access.Admin},
		{post, "/import-jobs/:id/cancel", h.cancelImportJob, access.Admin},

		{get, "/users", h.listUsers, access.PrimaryScoped},
		{get, "/users/me", h.me, access.SignedIn},
		{get, "/users/:id", h.getUser, access.UserScoped},
		{patch, "/users/:id", h.updateUser, access.UserScoped},
		{post, "/users/:id/demote", h.demoteUser, access.Admin},
		{post, "/users/:id/activation-email", h.resendActivation, access.PrimaryScoped},

		{get, "/invitations", h.listInvitations, access.PrimaryScoped},
		{post, "/invitations/resend", h.resendInvitations, access.PrimaryScoped},
		{get, "/invitations/:id", h.getInvitation, access.PrimaryScoped},
		{post, "/invitations/:id/revoke", h.revokeInvitation, access.PrimaryScoped},
		{get, "/invitation-jobs/:id", h.getInvitationJob, access.PrimaryScoped},
		{get, "/invitation-jobs/:id/results", h.listInvitationJobResults, access.PrimaryScoped},
		{get, "/email-templates/:kind/:locale", h.getEmailTemplate, access.Admin},
		{put, "/email-templates/:kind/:locale", h.putEmailTemplate, access.Admin},
		{del, "/email-templates/:kind/:locale", h.deleteEmailTemplate, access.Admin},
		{post, "/email-templates/:kind/:locale/preview", h.previewEmailTemplate, access.Admin},

		{get, "/groups", h.listGroups, access.PrimaryScoped},
		{post, "/groups", h.createGroup, access.Admin},
		{get, "/groups/:id", h.getGroup, access.PrimaryScoped},
		{patch, "/groups/:id", h.updateGroup, access.Admin},
		{del, "/groups/:id", h.deleteGroup, access.Admin},

		{get, "/field-definitions", h.listFieldDefinitions, access.Admin},
		{post, "/field-definitions", h.createFieldDefinition, access.Admin},
		{get, "/field-definitions/:id", h.getFieldDefinition, access.Admin},
		{patch, "/field-definitions/:id", h.updateFieldDefinition, access.Admin},
		{del, "/field-definitions/:id", h.deleteFieldDefinition, access.Admin},

		{get, "/ignored-email-domains", h.listIgnoredDomains, access.Admin},
		{post, "/ignored-email-domains", h.addIgnoredDomain, access.Admin},
		{del, "/ignored-email-domains/:domain", h.removeIgnoredDomain, access.Admin},

		{get, "/api-keys", h.listAPIKeys, access.Secret},
		{post, "/api-keys", h.createAPIKey, access.Secret},
		{del, "/api-keys/:id", h.revokeAPIKey, access.Secret},

		{get, "/field-mappings", h.listFieldMappings, access.Admin},
		{post, "/field-mappings", h.createFieldMapping, access.Admin},
		{get, "/field-mappings/static", h.listStaticFieldMappings, access.Admin},
		{get, "/field-mappings/preview", h.previewConversions, access.Admin},
		{get, "/field-mappings/:id", h.getFieldMapping, access.Admin},
		{patch, "/field-mappings/:id", h.updateFieldMapping, access.Admin},
		{del, "/field-mappings/:id", h.deleteFieldMapping, access.Admin},

		{get, "/audit-events", h.listAuditEvents, access.Admin},

		{get, "/webhook-endpoints", h.listWebhookEndpoints, access.Admin},
		{post, "/webhook-endpoints", h.createWebhookEndpoint, access.Admin},
		{get, "/webhook-endpoints/:id", h.getWebhookEndpoint, access.Admin},
		{patch, "/webhook-endpoints/:id", h.updateWebhookEndpoint, access.Admin},
		{del, "/webhook-endpoints/:id", h.deleteWebhookEndpoint, access.Admin},
		{post, "/webhook-endpoints/:id/rotate-secret", h.rotateWebhookSecret, access.Admin},
		{post, "/webhook-endpoints/:id/test", h.testWebhookEndpoint, access.Admin},
		{get, "/webhook-endpoints/:id/deliveries", h.listWebhookDeliveries, access.Admin},
		{post, "/webhook-endpoints/:id/deliveries/:delivery_id/retry", h.retryWebhookDelivery, access.Admin},
	}
}

// routes registers every /api/v1 operation behind its access rule and the
// text guard; an operation on a record of an organization first answers
// 404 to a primary contact of another organization (scopeRecord).
func (h *handlers) routes(g *echo.Group) {
	for _, r := range h.table() {
		var mw []echo.MiddlewareFunc
		if resource, owner := h.recordOwner(r.path); owner != nil {
			mw = append(mw, scopeRecord(resource, owner))
		}
		mw = append(mw, authorize(r.rule))
		if r.rule == access.Public {
			mw = append(mw, h.byClient.perClient)
		}
		// after the rate limit, so that a flood of bad text is limited too
		mw = append(mw, textGuard)
		g.Add(r.method, r.path, r.handler, mw...)
	}
}
