package httpapi_test

import (
	"strings"
	"testing"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// TestMailSalutation: the invitation and the reset mail greet by full name
// when there is a first name, and with a plain "Hello," when there is none
// (not "Hello Doe,").
func TestMailSalutation(t *testing.T) {
	a := newAPI(t, storetest.Open(t, store.SQLite))
	org := a.org(t, map[string]any{"name": "Acme"})
	group := a.group(t, map[string]any{"name": "Resellers"})
	for _, tc := range []struct{ first, last, email, want string }{
		{"Jane", "Doe", "jane@acme.example", "Hello Jane Doe,\n\nyou have been invited"},
		{"", "Doe", "doe@acme.example", "Hello,\n\nyou have been invited"},
	} {
		id := a.contact(t, map[string]any{"first_name": tc.first, "last_name": tc.last, "email": tc.email, "organization_id": org})
		a.do("POST", "/api/v1/contacts/"+id+"/promote", map[string]any{"group_ids": []string{group}}).ok(t, 201, nil)
		if body := lastMail(t, a, tc.email); !strings.HasPrefix(body, tc.want) {
			t.Errorf("invitation to %s begins %q, want %q", tc.email, firstLine(body), tc.want)
		}
	}

	token := a.lastToken("doe@acme.example")
	a.do("POST", "/api/v1/activations", map[string]any{"token": token, "password": "correct horse battery"}).ok(t, 200, nil)
	a.do("POST", "/api/v1/password-resets", map[string]any{"email": "doe@acme.example"}, "Authorization", "").ok(t, 202, nil)
	if body := lastMail(t, a, "doe@acme.example"); !strings.HasPrefix(body, "Hello,\n\nsomeone asked to reset") {
		t.Errorf("reset mail begins %q", firstLine(body))
	}
}

func lastMail(t *testing.T, a *api, to string) string {
	t.Helper()
	msgs := a.mails()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].To == to {
			return msgs[i].Body
		}
	}
	t.Fatalf("no mail to %s", to)
	return ""
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
