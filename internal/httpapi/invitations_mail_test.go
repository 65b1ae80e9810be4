package httpapi_test

import (
	"io"
	"log/slog"
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/app"
	"github.com/portico/portico/internal/app/apptest"
	. "github.com/portico/portico/internal/httpapi"
	"github.com/portico/portico/internal/logging"
	"github.com/portico/portico/internal/mail/smtptest"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// newAPIOverSMTP starts the service delivering mail to a real SMTP server
// (PORTICO_SMTP_URL), not to the test's mailbox.
func newAPIOverSMTP(t *testing.T, db *store.DB) (*api, *smtptest.Server) {
	t.Helper()
	server := smtptest.Start(t)
	cfg := testConfig(t, db)
	cfg.SMTPURL = server.URL + "?tls=none"
	srv := apptest.Start(t, cfg, app.Options{Logger: logging.New(io.Discard, "json", slog.LevelError)})
	return &api{t: t, url: srv.URL(), app: srv, cfg: cfg, db: srv.DB, promo: srv.Promotion, sent: &mailbox{}, router: srv.Router.(*echo.Echo)}, server
}

// received is the one message to addr, waiting for it.
func received(t *testing.T, a *api, server *smtptest.Server, addr string) smtptest.Message {
	t.Helper()
	a.idle()
	for _, m := range server.Messages() {
		if m.To == addr {
			return m
		}
	}
	t.Fatalf("no message to %s among %d", addr, len(server.Messages()))
	return smtptest.Message{}
}

// A contact with locale de receives its invitation in German, over SMTP,
// as multipart/alternative: text and HTML, with the organization, the
// expiry in German and the welcome note (escaped in the HTML part).
func TestGermanInvitationOverSMTP(t *testing.T) {
	a, server := newAPIOverSMTP(t, storetest.Open(t, store.SQLite))
	org := a.org(t, map[string]any{"name": "Müller GmbH"})
	group := a.group(t, map[string]any{"name": "Händler"})
	contact := a.contact(t, map[string]any{"first_name": "Jürgen", "last_name": "Weiß", "email": "juergen@mueller.example",
		"organization_id": org, "locale": "de-AT"})
	a.do("POST", "/api/v1/contacts/"+contact+"/promote", map[string]any{"group_ids": []string{group},
		"message": "Willkommen <b>im Portal</b>!", "invitation_ttl": "72h"}).ok(t, 201, nil)

	m := received(t, a, server, "juergen@mueller.example")
	if got := m.Header.Get("Subject"); decodeHeader(got) != "Ihre Einladung zum Portal" {
		t.Errorf("subject %q", decodeHeader(got))
	}
	if mt, _, _ := mime.ParseMediaType(m.Header.Get("Content-Type")); mt != "multipart/alternative" {
		t.Fatalf("content type %q", m.Header.Get("Content-Type"))
	}
	if len(m.Parts) != 2 {
		t.Fatalf("%d parts, want text and HTML", len(m.Parts))
	}
	text, html := m.Parts[0], m.Parts[1]
	wantContains(t, text, "Hallo Jürgen Weiß,", "Sie wurden als Mitglied von Müller GmbH zum Portal eingeladen.",
		"Willkommen <b>im Portal</b>!", "3 Tage lang", "/activate?token=", " um ")
	wantContains(t, html, `<html lang="de">`, "Müller GmbH", "Willkommen &lt;b&gt;im Portal&lt;/b&gt;!", "Mein Konto aktivieren", `href="http://portal.test/activate?token=`)
	month := []string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}[time.Now().UTC().Add(72*time.Hour).Month()-1]
	wantContains(t, text, month)

	var list InvitationList
	a.do("GET", "/api/v1/invitations?user_id="+contact, nil).ok(t, 200, &list)
	if len(list.Data) != 1 || list.Data[0].Locale != "de" || list.Data[0].Message != "Willkommen <b>im Portal</b>!" {
		t.Fatalf("invitation %+v", list.Data)
	}
}

func decodeHeader(s string) string {
	out, err := new(mime.WordDecoder).DecodeHeader(s)
	if err != nil {
		return s
	}
	return out
}

// An override is checked before it is stored, used for its locale (and
// the locales falling back to it) in the mail received, and its HTML is
// sanitized; deleting it brings the built-in template back.
func TestTemplateOverrideInReceivedMail(t *testing.T) {
	a, server := newAPIOverSMTP(t, storetest.Open(t, store.SQLite))
	org := a.org(t, map[string]any{"name": "Acme"})
	group := a.group(t, map[string]any{"name": "Resellers"})
	path := "/api/v1/email-templates/invitation/fr"

	for _, tc := range []struct {
		name  string
		body  map[string]any
		field string
		code  string
	}{
		{"does not parse", map[string]any{"subject": "{{.Organization", "text": "{{.Link}}", "html": "<a href=\"{{.Link}}\">x</a>"}, "subject", "template_syntax"},
		{"unknown field", map[string]any{"subject": "Hi", "text": "{{.Link}} {{.Password}}", "html": "<a href=\"{{.Link}}\">x</a>"}, "text", "unknown_field"},
		{"no link in the text", map[string]any{"subject": "Hi", "text": "Bonjour", "html": "<a href=\"{{.Link}}\">x</a>"}, "text", "link_missing"},
		{"no link in the html", map[string]any{"subject": "Hi", "text": "{{.Link}}", "html": "<p>{{.Greeting}}</p>"}, "html", "link_missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := a.do("PUT", path, tc.body).problem(t, 422, "template_invalid")
			wantFields(t, p, []string{tc.field}, []string{tc.code})
		})
	}
	var got EmailTemplate
	a.do("GET", path, nil).ok(t, 200, &got)
	if got.Source != "built_in" || got.Locale != "fr" {
		t.Fatalf("after refused PUTs: %+v", got)
	}

	override := map[string]any{
		"subject": "Bienvenue chez {{.Organization}}",
		"text":    "{{.Greeting}}\n\nVotre lien : {{.Link}}\nValable {{.ValidFor}}.\n{{.Message}}",
		"html":    `<p>{{.Greeting}}</p><p><a href="{{.Link}}" onclick="steal()">Activer</a></p><script>alert(1)</script><p>{{.Message}}</p>`,
	}
	a.do("PUT", path, override).ok(t, 201, &got)
	if got.Source != "override" || got.UpdatedBy != "admin-token" {
		t.Fatalf("stored override %+v", got)
	}
	a.do("PUT", path, override).ok(t, 200, nil)
	contact := a.contact(t, map[string]any{"first_name": "Amélie", "email": "amelie@acme.example", "organization_id": org, "locale": "fr-CA"})
	a.do("POST", "/api/v1/contacts/"+contact+"/promote", map[string]any{"group_ids": []string{group}, "message": "<i>Salut</i>"}).ok(t, 201, nil)

	m := received(t, a, server, "amelie@acme.example")
	if s := decodeHeader(m.Header.Get("Subject")); s != "Bienvenue chez Acme" {
		t.Errorf("subject %q", s)
	}
	text, html := m.Parts[0], m.Parts[1]
	wantContains(t, text, "Bonjour Amélie Doe,", "Votre lien : http://portal.test/activate?token=", "Valable 7 jours.", "<i>Salut</i>")
	wantContains(t, html, "Activer", `href="http://portal.test/activate?token=`, "&lt;i&gt;Salut&lt;/i&gt;")
	for _, bad := range []string{"<script", "onclick", "alert(1)"} {
		if strings.Contains(html, bad) {
			t.Errorf("the HTML part keeps %q: %s", bad, html)
		}
	}
	if n := a.count(t, "audit_events", "action = ?", "email_template.updated"); n != 2 {
		t.Errorf("%d template audit events, want 2", n)
	}

	a.do("DELETE", path, nil).ok(t, 204, nil)
	a.do("DELETE", path, nil).problem(t, 404, "not_found")
	a.do("GET", path, nil).ok(t, 200, &got)
	if got.Source != "built_in" {
		t.Fatalf("after DELETE: %+v", got)
	}
	a.do("GET", "/api/v1/email-templates/letter/fr", nil).problem(t, 404, "not_found")
	a.do("GET", "/api/v1/email-templates/invitation/klingon", nil).problem(t, 422, "locale_unknown")
}

// A preview renders the stored template, or a draft, with sample data and
// sends nothing.
func TestTemplatePreview(t *testing.T) {
	a := newAPI(t, storetest.Open(t, store.SQLite))
	var p EmailPreview
	a.do("POST", "/api/v1/email-templates/password_reset/de/preview", nil).ok(t, 200, &p)
	if p.Subject != "Setzen Sie Ihr Portal-Passwort zurück" {
		t.Errorf("subject %q", p.Subject)
	}
	wantContains(t, p.Text, "Hallo Jane Doe,", "https://portico.example.com/activate?token=sample-token")
	wantContains(t, p.HTML, `<html lang="de">`)

	a.do("POST", "/api/v1/email-templates/invitation/it/preview", map[string]any{
		"subject": "Benvenuto in {{.Organization}}", "text": "Ciao {{.FirstName}}: {{.Link}}", "html": `<a href="{{.Link}}">{{.Inviter}}</a>`,
	}).ok(t, 200, &p)
	if p.Subject != "Benvenuto in Acme Corporation" || p.Text != "Ciao Jane: https://portico.example.com/activate?token=sample-token" {
		t.Errorf("draft preview %+v", p)
	}
	wantContains(t, p.HTML, "Max Mustermann")
	a.do("POST", "/api/v1/email-templates/invitation/it/preview", map[string]any{"subject": "x", "text": "no link", "html": "none"}).
		problem(t, 422, "template_invalid")
	if n := len(a.mails()); n != 0 {
		t.Errorf("previews sent %d mails", n)
	}
	var it EmailTemplate
	a.do("GET", "/api/v1/email-templates/invitation/it", nil).ok(t, 200, &it)
	if it.Source != "built_in" || it.Locale != "en" {
		t.Errorf("a locale without templates falls back to the default: %+v", it)
	}
}
