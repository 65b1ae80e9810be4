package httpapi

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/letter"
)

// EmailTemplate is the email of a kind for a locale.
type EmailTemplate struct {
	Kind string `json:"kind" enums:"invitation,password_reset"`
	// Locale is the template's own locale: for a locale without one, the
	// locale its fallback found (fr-CA → fr → the default).
	Locale string `json:"locale" example:"de"`
	// Source: an administrator's override, or built into Portico.
	Source  string `json:"source" enums:"override,built_in"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
	// Fields are what the templates may use, each as .Name in an action.
	Fields    []string   `json:"fields" example:"Greeting,Link"`
	UpdatedBy string     `json:"updated_by,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty" format:"date-time"`
}

// EmailTemplateBody is the body of PUT /api/v1/email-templates/{kind}/{locale}:
// Go text/template for subject and text, html/template for html. No
// example here: swag renders its document as a Go template itself.
type EmailTemplateBody struct {
	Subject string `json:"subject" validate:"required,max=500"`
	Text    string `json:"text" validate:"required,max=20000"`
	HTML    string `json:"html" validate:"required,max=50000"`
}

// EmailPreview is a template rendered with sample data.
type EmailPreview struct {
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
}

func emailTemplateOut(t domain.EmailTemplate, override bool) EmailTemplate {
	out := EmailTemplate{Kind: string(t.Kind), Locale: t.Locale, Source: "built_in", Subject: t.Subject, Text: t.Text, HTML: t.HTML,
		Fields: letter.FieldNames(t.Kind)}
	if override {
		out.Source, out.UpdatedBy = "override", t.UpdatedBy
		at := t.UpdatedAt.UTC()
		out.UpdatedAt = &at
	}
	return out
}

// templatePath reads {kind} and {locale}: an unknown kind is 404, a
// locale that is no language tag 422.
func templatePath(c echo.Context) (domain.EmailKind, string, error) {
	kind := domain.EmailKind(c.Param("kind"))
	if !slices.Contains(letter.Kinds, kind) {
		return "", "", domain.NotFound("email template kind", c.Param("kind")).
			WithResolution("use invitation or password_reset")
	}
	locale, err := domain.ParseLocale(c.Param("locale"), "locale")
	if err != nil {
		return "", "", err
	}
	return kind, locale, nil
}

// getEmailTemplate godoc
//
//	@Summary		Get an email template
//	@Description	The template recipients of this locale get: an override (along the fallback fr-CA → fr → PORTICO_DEFAULT_LOCALE) or the built-in one; locale says which.
//	@ID				getEmailTemplate
//	@Tags			email-templates
//	@Produce		json
//	@Param			kind	path		string	true	"email kind"			Enums(invitation, password_reset)
//	@Param			locale	path		string	true	"BCP 47 language tag"	example(de)
//	@Success		200		{object}	EmailTemplate
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem	"unknown kind"
//	@Failure		422		{object}	problem.Problem	"locale_unknown"
//	@Security		BearerAuth
//	@Router			/api/v1/email-templates/{kind}/{locale} [get]
func (h *handlers) getEmailTemplate(c echo.Context) error {
	kind, locale, err := templatePath(c)
	if err != nil {
		return err
	}
	t, override, err := h.promo.EmailTemplate(c.Request().Context(), kind, locale)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, emailTemplateOut(t, override))
}

// putEmailTemplate godoc
//
//	@Summary		Override an email template
//	@Description	Replaces the email of kind for locale. Refused (422 template_invalid, errors naming each part) when a part does not parse, uses a field the kind lacks, or the text or HTML lacks the .Link field. The HTML is sanitized when rendered: scripts, styles, forms and event handlers are dropped.
//	@ID				putEmailTemplate
//	@Tags			email-templates
//	@Accept			json
//	@Produce		json
//	@Param			kind	path		string				true	"email kind"			Enums(invitation, password_reset)
//	@Param			locale	path		string				true	"BCP 47 language tag"	example(de)
//	@Param			body	body		EmailTemplateBody	true	"the templates"
//	@Success		200		{object}	EmailTemplate		"replaced"
//	@Success		201		{object}	EmailTemplate		"created"
//	@Failure		400		{object}	problem.Problem		"malformed JSON (malformed_json)"
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem	"unknown kind"
//	@Failure		422		{object}	problem.Problem	"template_invalid, locale_unknown, validation_failed"
//	@Security		BearerAuth
//	@Router			/api/v1/email-templates/{kind}/{locale} [put]
func (h *handlers) putEmailTemplate(c echo.Context) error {
	kind, locale, err := templatePath(c)
	if err != nil {
		return err
	}
	var b EmailTemplateBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	t, created, err := h.promo.PutEmailTemplate(c.Request().Context(), domain.EmailTemplate{Kind: kind, Locale: locale,
		Subject: b.Subject, Text: b.Text, HTML: b.HTML}, actorOf(c).String())
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return c.JSON(status, emailTemplateOut(t, true))
}

// deleteEmailTemplate godoc
//
//	@Summary		Remove an email template override
//	@Description	The built-in template (or the override of a parent locale) applies again.
//	@ID				deleteEmailTemplate
//	@Tags			email-templates
//	@Param			kind	path	string	true	"email kind"			Enums(invitation, password_reset)
//	@Param			locale	path	string	true	"BCP 47 language tag"	example(de)
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem	"unknown kind, or no override for this locale"
//	@Failure		422	{object}	problem.Problem	"locale_unknown"
//	@Security		BearerAuth
//	@Router			/api/v1/email-templates/{kind}/{locale} [delete]
func (h *handlers) deleteEmailTemplate(c echo.Context) error {
	kind, locale, err := templatePath(c)
	if err != nil {
		return err
	}
	if err := h.promo.DeleteEmailTemplate(c.Request().Context(), kind, locale, actorOf(c).String()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// previewEmailTemplate godoc
//
//	@Summary		Preview an email template
//	@Description	Renders with sample data and sends nothing: the body's draft (checked as a PUT checks it), or without a body the template recipients of this locale get.
//	@ID				previewEmailTemplate
//	@Tags			email-templates
//	@Accept			json
//	@Produce		json
//	@Param			kind	path		string				true	"email kind"			Enums(invitation, password_reset)
//	@Param			locale	path		string				true	"BCP 47 language tag"	example(de)
//	@Param			body	body		EmailTemplateBody	false	"a draft to render instead of the stored template"
//	@Success		200		{object}	EmailPreview
//	@Failure		400		{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem	"unknown kind"
//	@Failure		422		{object}	problem.Problem	"template_invalid, locale_unknown, validation_failed"
//	@Security		BearerAuth
//	@Router			/api/v1/email-templates/{kind}/{locale}/preview [post]
func (h *handlers) previewEmailTemplate(c echo.Context) error {
	kind, locale, err := templatePath(c)
	if err != nil {
		return err
	}
	var t domain.EmailTemplate
	override := true
	if hasBody(c) {
		var b EmailTemplateBody
		if err := decodeJSON(c, &b); err != nil {
			return err
		}
		t = domain.EmailTemplate{Kind: kind, Locale: locale, Subject: b.Subject, Text: b.Text, HTML: b.HTML}
	} else if t, override, err = h.promo.EmailTemplate(c.Request().Context(), kind, locale); err != nil {
		return err
	}
	m, err := h.promo.PreviewEmail(t, override)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, EmailPreview{Subject: m.Subject, Text: m.Body, HTML: m.HTML})
}

// hasBody reports whether the request carries a body.
func hasBody(c echo.Context) bool {
	r := c.Request()
	return r.ContentLength > 0 || (r.ContentLength < 0 && strings.Contains(r.Header.Get("Transfer-Encoding"), "chunked"))
}
