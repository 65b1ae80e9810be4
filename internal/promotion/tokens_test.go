package promotion

import (
	"testing"
	"time"

	"github.com/portico/portico/internal/domain"
)

// TestTokenStateOrder guards that inspecting a link (the page) and
// redeeming it (the POST) give the same reason, in the same precedence.
func TestTokenStateOrder(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	cases := []struct {
		name  string
		token domain.Token
		want  TokenStatus
	}{
		{"live", domain.Token{ExpiresAt: future}, TokenValid},
		{"expires this instant", domain.Token{ExpiresAt: now}, TokenExpired},
		{"expired", domain.Token{ExpiresAt: past}, TokenExpired},
		{"revoked before it expired", domain.Token{ExpiresAt: past, RevokedAt: &past}, TokenSuperseded},
		{"used, then expired", domain.Token{ExpiresAt: past, UsedAt: &past}, TokenUsed},
		{"used and revoked", domain.Token{ExpiresAt: future, UsedAt: &past, RevokedAt: &past}, TokenUsed},
	}
	for _, c := range cases {
		if got := tokenState(c.token, now); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
