package httpapi

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/portico/portico/internal/domain"
)

// TTL is how long an invitation link works: a Go duration ("72h",
// "90m") or a number of seconds (259200). It keeps the value as sent, so
// that a bad one is a 422 naming invitation_ttl rather than malformed JSON.
type TTL struct{ raw json.RawMessage }

// UnmarshalJSON keeps any value; duration checks it.
func (t *TTL) UnmarshalJSON(b []byte) error {
	t.raw = append(json.RawMessage(nil), b...)
	return nil
}

// MarshalJSON writes the value as sent.
func (t TTL) MarshalJSON() ([]byte, error) {
	if t.raw == nil {
		return []byte("null"), nil
	}
	return t.raw, nil
}

// duration reads the value; 0 when none was sent.
func (t *TTL) duration() (time.Duration, error) {
	if t == nil || t.raw == nil || string(t.raw) == "null" {
		return 0, nil
	}
	bad := domain.Invalid("invitation_ttl_invalid", "invitation_ttl must be a duration such as \"72h\" or a number of seconds",
		domain.FieldError{Field: "invitation_ttl", Code: "duration", Message: "invitation_ttl must be a duration such as \"72h\" or a number of seconds"}).
		WithResolution("send a Go duration (\"72h\", \"30m\") or a whole number of seconds")
	var s string
	if err := json.Unmarshal(t.raw, &s); err != nil {
		s = string(t.raw) // a number
	}
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > int64(1<<62/time.Second) || n < -int64(1<<62/time.Second) {
			return 0, bad
		}
		return nonZero(time.Duration(n) * time.Second)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, bad
	}
	return nonZero(d)
}

// nonZero refuses a zero duration: a link must work for some time. The
// service bounds the rest (negative, above the maximum).
func nonZero(d time.Duration) (time.Duration, error) {
	if d == 0 {
		d = -1
	}
	return d, nil
}

// invitationOptions reads invitation_ttl and message.
func invitationOptions(ttl *TTL, message string) (domain.InvitationOptions, error) {
	d, err := ttl.duration()
	return domain.InvitationOptions{TTL: d, Message: message}, err
}
