package httpapi_test

import (
	"testing"

	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// A receiver answering a body with NUL bytes, which PostgreSQL text
// refuses, has its answer recorded at the first attempt: the excerpt shows
// U+FFFD in their place, and the delivery is not retried.
func TestWebhookExcerptWithNUL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPIWith(t, webhookConfig(t, db))
		r := newReceiver(t)
		r.answer = []byte("ok\x00done\x00")
		e := a.endpoint(t, r, nil)
		a.do("POST", "/api/v1/webhook-endpoints/"+e.ID.String()+"/test", nil).ok(t, 202, nil)
		a.idle()
		d := a.deliveries(t, e.ID.String())
		if len(d) != 1 || d[0].Status != "succeeded" || d[0].Attempts != 1 || d[0].ResponseExcerpt != "ok\uFFFDdone\uFFFD" {
			t.Fatalf("deliveries %+v", d)
		}
		if n := len(r.got()); n != 1 {
			t.Fatalf("%d calls, want 1", n)
		}
	})
}
