package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"github.com/portico/portico/internal/app/apptest"
	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/promotion"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// page asserts an HTML page with status and returns its text.
func (r response) page(t *testing.T, status int) string {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("content type %q", ct)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("a page naming an account may be cached: %q", r.Header.Get("Cache-Control"))
	}
	return string(r.Body)
}

// wantText asserts that page contains each piece of text.
func wantText(t *testing.T, page string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(page, s) {
			t.Fatalf("page lacks %q:\n%s", s, page)
		}
	}
}

var inlineBlock = regexp.MustCompile(`(?s)<(style|script)>(.*?)</(?:style|script)>`)

func TestTokenPageCSPAllowsOnlyItsOwnInlineBlocks(t *testing.T) {
	a := newAPI(t, storetest.Open(t, store.SQLite))
	for _, path := range []string{"/activate", "/reset-password", "/activate?token=nope"} {
		r := a.do("GET", path, nil, "Authorization", "")
		body := string(r.Body)
		csp := r.Header.Get("Content-Security-Policy")
		if strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'none'") ||
			!strings.Contains(csp, "connect-src 'self'") || !strings.Contains(csp, "form-action 'none'") {
			t.Fatalf("%s: CSP %q", path, csp)
		}
		blocks := inlineBlock.FindAllStringSubmatch(body, -1)
		if len(blocks) != 2 {
			t.Fatalf("%s: %d inline blocks", path, len(blocks))
		}
		for _, b := range blocks {
			sum := sha256.Sum256([]byte(b[2]))
			if src := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, b[1]+"-src "+src) {
				t.Fatalf("%s: the CSP does not allow the page's own %s (%s): %q", path, b[1], src, csp)
			}
		}
		for _, external := range []string{"<link", " src=", "http://", "https://", " style="} {
			if strings.Contains(body, external) {
				t.Fatalf("%s: the page loads or inlines something the CSP forbids (%q)", path, external)
			}
		}
		if !strings.Contains(body, `name="viewport" content="width=device-width, initial-scale=1"`) {
			t.Fatalf("%s: no viewport for phones", path)
		}
	}
}

func TestActivationPageExplainsTheLinkWithoutSpendingIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		const pw = "a long enough password"
		open := func(token string, status int) string {
			return a.do("GET", "/activate?token="+token, nil, "Authorization", "").page(t, status)
		}

		a.promoted(t, "page@one.example")
		token := a.lastToken("page@one.example")
		for range 3 { // mail scanners open links, some more than once
			page := open(token, 200)
			wantText(t, page, "Activate your portal account", "page@one.example", "Org of page@one.example",
				`data-endpoint="/api/v1/activations"`, `aria-live="assertive"`, "12 to 72 characters", "Show password",
				`<label for="confirm">`)
		}
		a.do("POST", "/api/v1/activations", obj{"token": token, "password": pw}).ok(t, 200, nil)
		wantText(t, open(token, 410), "Your account is already active", "page@one.example", `href="/reset-password"`)

		id := a.promoted(t, "resent@two.example")
		first := a.lastToken("resent@two.example")
		a.do("POST", "/api/v1/users/"+id+"/activation-email", nil).ok(t, 202, nil)
		wantText(t, open(first, 410), "A newer invitation replaced this link", "resent@two.example", "most recent invitation email")
		open(a.lastToken("resent@two.example"), 200)

		a.promoted(t, "late@three.example")
		late := a.lastToken("late@three.example")
		if err := db.Gorm.Exec("UPDATE user_tokens SET expires_at = ? WHERE revoked_at IS NULL AND used_at IS NULL",
			"2000-01-02 03:04:00+00:00").Error; err != nil {
			t.Fatal(err)
		}
		wantText(t, open(late, 410), "This invitation has expired", "2 January 2000 at 03:04 UTC",
			`datetime="2000-01-02T03:04:00Z"`, "Ask your administrator", "late@three.example")

		wantText(t, open("not-a-token", 404), "We don’t recognise this invitation link")
		wantText(t, open(strings.Repeat("x", 5000), 404), "We don’t recognise this invitation link")
		wantText(t, a.do("GET", "/activate", nil, "Authorization", "").page(t, 400), "needs the link from your invitation email")
	})
}

func TestResetEmailLinksToTheResetPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		a.promoted(t, "reset@page.example")
		a.do("POST", "/api/v1/activations", obj{"token": a.lastToken("reset@page.example"), "password": "the first password"}).ok(t, 200, nil)
		a.do("POST", "/api/v1/password-resets", obj{"email": "reset@page.example"}).ok(t, 202, nil)
		mails := a.mails()
		if body := mails[len(mails)-1].Body; !strings.Contains(body, "http://portal.test/reset-password?token=") {
			t.Fatalf("reset email: %s", body)
		}
		token := a.lastToken("reset@page.example")
		open := func(token string, status int) string {
			return a.do("GET", "/reset-password?token="+token, nil, "Authorization", "").page(t, status)
		}
		wantText(t, open(token, 200), "Choose a new password", "reset@page.example", "Org of reset@page.example",
			`data-endpoint="/api/v1/password-resets/confirm"`, "signed out")
		a.do("POST", "/api/v1/password-resets/confirm", obj{"token": token, "password": "the second password"}).ok(t, 204, nil)
		wantText(t, open(token, 410), "This reset link was already used", `id="request-form"`,
			`value="reset@page.example"`, `data-endpoint="/api/v1/password-resets"`)

		a.do("POST", "/api/v1/password-resets", obj{"email": "reset@page.example"}).ok(t, 202, nil)
		older := a.lastToken("reset@page.example")
		a.do("POST", "/api/v1/password-resets", obj{"email": "reset@page.example"}).ok(t, 202, nil)
		a.idle() // the newer link is issued after the answer
		wantText(t, open(older, 410), "A newer reset link replaced this one")
		wantText(t, open("nope", 404), "We don’t recognise this reset link", `id="request-form"`)
		wantText(t, a.do("GET", "/reset-password", nil, "Authorization", "").page(t, 200), "Reset your password", `id="request-form"`)
	})
}

func TestInspectToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		ctx := context.Background()
		inspect := func(purpose, token string) promotion.TokenInfo {
			t.Helper()
			info, err := a.promo.InspectToken(ctx, purpose, token)
			if err != nil {
				t.Fatal(err)
			}
			return info
		}
		id := a.promoted(t, "Insp@Four.example")
		token := a.lastToken("insp@four.example")
		info := inspect(domain.PurposeActivation, token)
		if info.Status != promotion.TokenValid || info.Email != "Insp@Four.example" || info.Organization != "Org of Insp@Four.example" ||
			info.UserStatus != domain.UserPending || info.ExpiresAt.IsZero() {
			t.Fatalf("valid: %+v", info)
		}
		// the purpose is part of the token's identity
		if s := inspect(domain.PurposePasswordReset, token).Status; s != promotion.TokenUnknown {
			t.Fatalf("an activation token inspected as a reset token: %s", s)
		}
		if n := a.count(t, "user_tokens", "used_at IS NOT NULL"); n != 0 {
			t.Fatalf("inspecting spent %d tokens", n)
		}

		a.do("POST", "/api/v1/users/"+id+"/activation-email", nil).ok(t, 202, nil)
		if info := inspect(domain.PurposeActivation, token); info.Status != promotion.TokenSuperseded || info.Email == "" {
			t.Fatalf("after a resend: %+v", info)
		}
		newest := a.lastToken("insp@four.example")
		a.do("POST", "/api/v1/activations", obj{"token": newest, "password": "a long enough password"}).ok(t, 200, nil)
		if info := inspect(domain.PurposeActivation, newest); info.Status != promotion.TokenUsed || info.UserStatus != domain.UserActive {
			t.Fatalf("used: %+v", info)
		}

		// a demoted person's live links are withdrawn, and no longer name it
		other := a.promoted(t, "gone@five.example")
		withdrawn := a.lastToken("gone@five.example")
		a.do("POST", "/api/v1/users/"+other+"/demote", nil).ok(t, 200, nil)
		if info := inspect(domain.PurposeActivation, withdrawn); info.Status != promotion.TokenRevoked || info.Email != "" || info.Organization != "" {
			t.Fatalf("after demotion: %+v", info)
		}
		wantText(t, a.do("GET", "/activate?token="+withdrawn, nil).page(t, 410), "This invitation was withdrawn")

		for _, bad := range []string{"", "nope", strings.Repeat("a", 129)} {
			if info := inspect(domain.PurposeActivation, bad); info.Status != promotion.TokenUnknown || info.Email != "" {
				t.Fatalf("%q: %+v", bad, info)
			}
		}
	})
}

func TestTokenPageLinksThePortalWhenConfigured(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	a := newAPI(t, db)
	a.promoted(t, "portal@six.example")
	token := a.lastToken("portal@six.example")
	// a second service on the same database, with a portal URL
	cfg := apptest.Config(t, db)
	cfg.AdminToken, cfg.PublicURL, cfg.PortalURL = testAdminToken, "http://portal.test", "https://portal.example/sign-in?from=portico"
	pa := newAPIWith(t, cfg)

	page := pa.do("GET", "/activate?token="+token, nil).page(t, 200)
	wantText(t, page, `href="https://portal.example/sign-in?from=portico"`, "Go to the portal sign-in")
	a.do("POST", "/api/v1/activations", obj{"token": token, "password": "a long enough password"}).ok(t, 200, nil)
	wantText(t, pa.do("GET", "/activate?token="+token, nil).page(t, 410), `href="https://portal.example/sign-in?from=portico"`)
	// stopped, so that its River does not deliver the next invitation into
	// its own mailbox
	if err := pa.app.Shutdown(); err != nil {
		t.Fatal(err)
	}

	// without one, the pages say where to go without a link that leads nowhere
	a.promoted(t, "noportal@six.example")
	for _, page := range []string{
		a.do("GET", "/activate?token="+token, nil).page(t, 410),
		a.do("GET", "/activate?token="+a.lastToken("noportal@six.example"), nil).page(t, 200),
	} {
		if strings.Contains(page, "Go to the portal sign-in") || strings.Contains(page, "https://") {
			t.Fatal("a sign-in link without a portal URL")
		}
	}
	wantText(t, a.do("GET", "/activate?token="+a.lastToken("noportal@six.example"), nil).page(t, 200),
		"You can now sign in to your portal")
}
