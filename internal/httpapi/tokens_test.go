package httpapi_test

import (
	"testing"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// promoted creates an active organization, a group and a promoted pending
// user with email; it returns the user id.
func (a *api) promoted(t *testing.T, email string) string {
	t.Helper()
	org := a.org(t, map[string]any{"name": "Org of " + email})
	g := a.group(t, map[string]any{"name": "Group of " + email})
	id := a.contact(t, map[string]any{"email": email, "organization_id": org})
	a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{g}}).ok(t, 201, nil)
	return id
}

func TestActivationTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		const pw = "a long enough password"
		t.Run("unknown", func(t *testing.T) {
			a.do("POST", "/api/v1/activations", map[string]any{"token": "nope", "password": pw}).problem(t, 422, "token_invalid")
		})
		t.Run("expired", func(t *testing.T) {
			a.promoted(t, "exp@one.example")
			token := a.lastToken("exp@one.example")
			if err := db.Gorm.Exec("UPDATE user_tokens SET expires_at = ?", "2000-01-01 00:00:00+00:00").Error; err != nil {
				t.Fatal(err)
			}
			a.do("POST", "/api/v1/activations", map[string]any{"token": token, "password": pw}).problem(t, 410, "token_expired")
		})
		t.Run("resend supersedes", func(t *testing.T) {
			id := a.promoted(t, "re@two.example")
			first := a.lastToken("re@two.example")
			a.do("POST", "/api/v1/users/"+id+"/activation-email", nil).ok(t, 202, nil)
			second := a.lastToken("re@two.example")
			if first == second {
				t.Fatal("resend mailed the same link")
			}
			a.do("POST", "/api/v1/activations", map[string]any{"token": first, "password": pw}).problem(t, 410, "token_superseded")
			a.do("POST", "/api/v1/activations", map[string]any{"token": second, "password": pw}).ok(t, 200, nil)
			a.do("POST", "/api/v1/users/"+id+"/activation-email", nil).problem(t, 409, "user_not_pending")
		})
		t.Run("password policy", func(t *testing.T) {
			a.promoted(t, "pol@three.example")
			token := a.lastToken("pol@three.example")
			for _, bad := range []string{"short", "eleven char", "POL@three.example"} {
				a.do("POST", "/api/v1/activations", map[string]any{"token": token, "password": bad}).problem(t, 422, "password_too_weak")
			}
			// refused attempts do not spend the token
			a.do("POST", "/api/v1/activations", map[string]any{"token": token, "password": pw}).ok(t, 200, nil)
		})
	})
}

func TestPasswordResetAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		const pw, newPW = "the first password", "the second password"
		id := a.promoted(t, "reset@four.example")
		a.do("POST", "/api/v1/activations", map[string]any{"token": a.lastToken("reset@four.example"), "password": pw}).ok(t, 200, nil)
		session := a.signIn(t, "reset@four.example", pw)
		before := len(a.mails())

		// unknown emails answer the same and send nothing
		a.do("POST", "/api/v1/password-resets", map[string]any{"email": "nobody@four.example"}).ok(t, 202, nil)
		a.idle() // the reset is worked after the answer
		if len(a.mails()) != before {
			t.Fatal("a reset for an unknown email sent mail")
		}
		a.do("POST", "/api/v1/password-resets", map[string]any{"email": "RESET@four.example"}).ok(t, 202, nil)
		a.idle()
		token := a.lastToken("reset@four.example")
		a.do("POST", "/api/v1/password-resets/confirm", map[string]any{"token": token, "password": newPW}).ok(t, 204, nil)
		a.do("GET", "/api/v1/users/me", nil, "Authorization", "Bearer "+session).problem(t, 401, "unauthenticated")
		a.do("POST", "/api/v1/sessions", map[string]any{"email": "reset@four.example", "password": pw}).problem(t, 401, "invalid_credentials")
		session = a.signIn(t, "reset@four.example", newPW)

		// sign out ends the session
		a.do("DELETE", "/api/v1/sessions/current", nil, "Authorization", "Bearer "+session).ok(t, 204, nil)
		a.do("GET", "/api/v1/users/me", nil, "Authorization", "Bearer "+session).problem(t, 401, "unauthenticated")

		// a disabled user's session stops at once, and sign-in is refused
		session = a.signIn(t, "reset@four.example", newPW)
		a.do("PATCH", "/api/v1/users/"+id, map[string]any{"status": "disabled"}).ok(t, 200, nil)
		a.do("GET", "/api/v1/users/me", nil, "Authorization", "Bearer "+session).problem(t, 401, "unauthenticated")
		a.do("POST", "/api/v1/sessions", map[string]any{"email": "reset@four.example", "password": newPW}).problem(t, 401, "invalid_credentials")
		a.do("PATCH", "/api/v1/users/"+id, map[string]any{"status": "active"}).ok(t, 200, nil)
		session = a.signIn(t, "reset@four.example", newPW)

		// so does a user whose organization becomes inactive
		var u User
		a.do("GET", "/api/v1/users/"+id, nil).ok(t, 200, &u)
		a.do("PATCH", "/api/v1/organizations/"+u.OrganizationID.String(), map[string]any{"status": "inactive"}).ok(t, 200, nil)
		a.do("GET", "/api/v1/users/me", nil, "Authorization", "Bearer "+session).problem(t, 401, "unauthenticated")
		a.do("POST", "/api/v1/sessions", map[string]any{"email": "reset@four.example", "password": newPW}).problem(t, 401, "invalid_credentials")
	})
}
