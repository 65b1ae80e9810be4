// Package letter writes Portico's emails — the invitation and the password
// reset — in the recipient's language, as text with an HTML alternative,
// from the built-in templates or an administrator's override. It checks
// overrides before they are stored and renders them with sample data for
// a preview.
package letter

import (
	"bytes"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/microcosm-cc/bluemonday"

	"github.com/portico/portico/internal/domain"
)

// Fields are what a template may use, every one a string.
type Fields struct {
	Greeting     string // "Hello Jane Doe," (or "Hello," without a first name), in the language
	FirstName    string
	LastName     string
	Email        string
	Organization string // the user's organization
	Inviter      string // who sent the invitation, when known (invitations only)
	Link         string // the activation or reset link; every template uses it
	ExpiresAt    string // when the link stops working, in the language
	ValidFor     string // how long the link works, in the language ("7 days")
	Message      string // the welcome note, plain text (invitations only)
}

// FieldNames lists the fields a template of kind may use.
func FieldNames(kind domain.EmailKind) []string {
	common := []string{"Greeting", "FirstName", "LastName", "Email", "Organization", "Link", "ExpiresAt", "ValidFor"}
	if kind == domain.EmailInvitation {
		return append(common, "Inviter", "Message")
	}
	return common
}

// Facts are what an email is written from.
type Facts struct {
	FirstName, LastName, Email string
	Organization, Inviter      string
	Message                    string
	Link                       string
	ExpiresAt                  time.Time
	ValidFor                   time.Duration
}

// Kinds lists the email kinds.
var Kinds = []domain.EmailKind{domain.EmailInvitation, domain.EmailPasswordReset}

// BuiltIn returns the built-in template of kind in the language of locale
// (its base language; false when Portico has none).
func BuiltIn(kind domain.EmailKind, locale string) (domain.EmailTemplate, bool) {
	t, ok := builtIn[kind][locale]
	t.Kind, t.Locale = kind, locale
	return t, ok
}

// Book writes the emails of one kind: the overrides by locale, else the
// built-in templates, with the default locale last in every fallback.
type Book struct {
	Kind      domain.EmailKind
	Overrides map[string]domain.EmailTemplate
	Default   string
}

// Pick chooses the template for locale: along the fallback chain (fr-CA,
// fr, the default) an override wins over a built-in template of the same
// locale; English is the last resort. It returns the template and whether
// it is an override.
func (b Book) Pick(locale string) (domain.EmailTemplate, bool) {
	for _, l := range domain.LocaleChain(locale, b.Default) {
		if t, ok := b.Overrides[l]; ok {
			return t, true
		}
		if t, ok := BuiltIn(b.Kind, l); ok {
			return t, false
		}
	}
	t, _ := BuiltIn(b.Kind, "en")
	return t, false
}

// Write renders the email for a recipient of locale. The email's locale
// is the one of the template used.
func (b Book) Write(locale string, f Facts) (domain.Email, string, error) {
	t, override := b.Pick(locale)
	w := b.words(t.Locale)
	m, err := render(t, w.fields(f), override)
	m.To = f.Email
	return m, t.Locale, err
}

// words are the built-in language nearest to locale, else the default's,
// else English.
func (b Book) words(locale string) words {
	for _, l := range domain.LocaleChain(locale, b.Default) {
		if w, ok := languages[l]; ok {
			return w
		}
	}
	return languages["en"]
}

func (w words) fields(f Facts) Fields {
	return Fields{Greeting: w.greeting(f.FirstName, f.LastName), FirstName: f.FirstName, LastName: f.LastName, Email: f.Email,
		Organization: f.Organization, Inviter: f.Inviter, Link: f.Link, ExpiresAt: w.date(f.ExpiresAt),
		ValidFor: w.duration(f.ValidFor), Message: f.Message}
}

// sanitizer keeps the markup of an override that mail clients show safely:
// no scripts, styles, forms or event handlers; links to http(s) and mailto.
var sanitizer = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	return p
}()

// render executes t with f; an override's HTML is sanitized.
func render(t domain.EmailTemplate, f Fields, override bool) (domain.Email, error) {
	var subject, text, html bytes.Buffer
	st, err := texttemplate.New("subject").Parse(t.Subject)
	if err != nil {
		return domain.Email{}, err
	}
	tt, err := texttemplate.New("text").Parse(t.Text)
	if err != nil {
		return domain.Email{}, err
	}
	ht, err := htmltemplate.New("html").Parse(t.HTML)
	if err != nil {
		return domain.Email{}, err
	}
	if err := st.Execute(&subject, f); err != nil {
		return domain.Email{}, err
	}
	if err := tt.Execute(&text, f); err != nil {
		return domain.Email{}, err
	}
	if err := ht.Execute(&html, f); err != nil {
		return domain.Email{}, err
	}
	body := html.String()
	if override {
		body = sanitizer.Sanitize(body)
	}
	// a subject is one header line
	oneLine := strings.Join(strings.Fields(subject.String()), " ")
	return domain.Email{Subject: oneLine, Body: text.String(), HTML: document(t.Locale, oneLine, body)}, nil
}

// document wraps an HTML part in a page of the email's language.
func document(locale, title, body string) string {
	return `<!doctype html><html lang="` + htmltemplate.HTMLEscapeString(locale) + `"><head><meta charset="utf-8"><title>` +
		htmltemplate.HTMLEscapeString(title) + "</title></head><body>\n" + body + "</body></html>\n"
}

// Sample are the facts a preview renders.
func Sample(now time.Time) Facts {
	return Facts{FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com", Organization: "Acme Corporation",
		Inviter: "Max Mustermann", Message: "Welcome aboard! Your partner portal is ready.",
		Link: "https://portico.example.com/activate?token=sample-token", ExpiresAt: now.Add(7 * 24 * time.Hour), ValidFor: 7 * 24 * time.Hour}
}

// Preview renders t (an override, or a built-in template) with the sample
// facts in the language of its locale.
func Preview(t domain.EmailTemplate, defaultLocale string, override bool, now time.Time) (domain.Email, error) {
	b := Book{Kind: t.Kind, Default: defaultLocale}
	f := Sample(now)
	m, err := render(t, b.words(t.Locale).fields(f), override)
	m.To = f.Email
	return m, err
}
