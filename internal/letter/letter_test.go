package letter_test

import (
	"strings"
	"testing"
	"time"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/letter"
)

func TestPickFollowsTheFallback(t *testing.T) {
	override := domain.EmailTemplate{Kind: domain.EmailInvitation, Locale: "fr", Subject: "Salut", Text: "{{.Link}}", HTML: `<a href="{{.Link}}">x</a>`}
	book := letter.Book{Kind: domain.EmailInvitation, Default: "de", Overrides: map[string]domain.EmailTemplate{"fr": override}}
	for _, tc := range []struct {
		locale, want string
		override     bool
	}{
		{"fr-CA", "fr", true},
		{"fr", "fr", true},
		{"de-AT", "de", false},
		{"it", "de", false}, // the default
		{"en-GB", "en", false},
	} {
		got, isOverride := book.Pick(tc.locale)
		if got.Locale != tc.want || isOverride != tc.override {
			t.Errorf("Pick(%q) = %s (override %v), want %s (override %v)", tc.locale, got.Locale, isOverride, tc.want, tc.override)
		}
	}
}

func TestWriteSpeaksTheLanguage(t *testing.T) {
	expires := time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)
	book := letter.Book{Kind: domain.EmailInvitation, Default: "en"}
	for locale, want := range map[string][]string{
		"de": {"Hallo,", "3. März 2026 um 10:00 UTC", "2 Tage lang"},
		"fr": {"Bonjour,", "3 mars 2026 à 10:00 UTC", "pendant 2 jours", "Max vous a invité"},
		"en": {"Hello,", "3 March 2026 at 10:00 UTC", "for 2 days", "by Max"},
	} {
		m, used, err := book.Write(locale, letter.Facts{Email: "x@y.example", Organization: "Acme", Inviter: "Max",
			Link: "https://p.example/activate?token=t", ExpiresAt: expires, ValidFor: 48 * time.Hour})
		if err != nil || used != locale {
			t.Fatalf("%s: used %s, %v", locale, used, err)
		}
		for _, w := range want {
			if !strings.Contains(m.Body, w) {
				t.Errorf("%s text lacks %q:\n%s", locale, w, m.Body)
			}
		}
		if !strings.Contains(m.HTML, `lang="`+locale+`"`) {
			t.Errorf("%s HTML has no lang: %s", locale, m.HTML)
		}
	}
}

func TestCheckNamesEachFault(t *testing.T) {
	ok := domain.EmailTemplate{Kind: domain.EmailPasswordReset, Subject: "S", Text: "{{.Link}}", HTML: `<a href="{{.Link}}">x</a>`}
	if err := letter.Check(ok); err != nil {
		t.Fatalf("a good template refused: %v", err)
	}
	for name, tc := range map[string]struct {
		mutate func(*domain.EmailTemplate)
		field  string
		code   string
	}{
		"syntax":           {func(t *domain.EmailTemplate) { t.HTML = "{{if .Link}}" }, "html", "template_syntax"},
		"inviter in reset": {func(t *domain.EmailTemplate) { t.Subject = "{{.Inviter}}" }, "subject", "unknown_field"},
		"nested field":     {func(t *domain.EmailTemplate) { t.Text = `{{.Link}}{{with .Email}}{{$.Secret}}{{end}}` }, "text", "unknown_field"},
		"no link":          {func(t *domain.EmailTemplate) { t.Text = "{{.Greeting}}" }, "text", "link_missing"},
		"fails when run":   {func(t *domain.EmailTemplate) { t.Text = "{{.Link}}{{index .Email 99}}" }, "template", "template_execution"},
		"empty":            {func(t *domain.EmailTemplate) { t.Subject = " " }, "subject", "required"},
	} {
		t.Run(name, func(t *testing.T) {
			tmpl := ok
			tc.mutate(&tmpl)
			err := letter.Check(tmpl)
			de, isDomain := domain.AsError(err)
			if !isDomain || de.Code != "template_invalid" || len(de.Fields) != 1 || de.Fields[0].Field != tc.field || de.Fields[0].Code != tc.code {
				t.Fatalf("Check = %+v", err)
			}
		})
	}
}

func TestOverrideHTMLIsSanitized(t *testing.T) {
	tmpl := domain.EmailTemplate{Kind: domain.EmailInvitation, Locale: "en", Subject: "S\r\nBcc: x@evil.example", Text: "{{.Link}}",
		HTML: `<p onclick="x()">{{.Message}}</p><a href="{{.Link}}">go</a><a href="javascript:alert(1)">bad</a><script>alert(1)</script>`}
	m, err := letter.Preview(tmpl, "en", true, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.Subject, "\n") {
		t.Errorf("subject keeps a line break: %q", m.Subject)
	}
	for _, bad := range []string{"onclick", "<script", "javascript:"} {
		if strings.Contains(m.HTML, bad) {
			t.Errorf("HTML keeps %q: %s", bad, m.HTML)
		}
	}
	if !strings.Contains(m.HTML, `href="https://portico.example.com/activate?token=sample-token"`) {
		t.Errorf("HTML lost the link: %s", m.HTML)
	}
}
