package app_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/portico/portico/internal/app"
	"github.com/portico/portico/internal/app/apptest"
	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

type mailbox struct {
	mu   sync.Mutex
	msgs []domain.Email
}

func (m *mailbox) Send(_ context.Context, e domain.Email) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, e)
	return nil
}

// A message still queued in the outbox of the pre-River schema (migration
// 7 marked it adopt) is handed to River at the next start and sent once,
// even when two starts adopt.
func TestOpenMailFromBeforeRiverIsAdopted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		id := domain.NewID()
		if err := db.Gorm.Exec(`INSERT INTO outbox_emails (id, recipient, subject, body, attempts, last_error, created_at, adopt)
			VALUES (?, 'old@acme.example', 'Your portal invitation', 'queued before River', 0, '', ?, true)`, id, time.Now().UTC()).Error; err != nil {
			t.Fatal(err)
		}
		box := &mailbox{}
		for range 2 {
			a := apptest.Start(t, apptest.Config(t, db), app.Options{Mailer: box})
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			if err := a.WaitIdle(ctx); err != nil {
				t.Fatal(err)
			}
			cancel()
			if err := a.Shutdown(); err != nil {
				t.Fatal(err)
			}
		}
		box.mu.Lock()
		defer box.mu.Unlock()
		if len(box.msgs) != 1 || box.msgs[0].ID != id || box.msgs[0].To != "old@acme.example" {
			t.Fatalf("sent %+v, want the adopted message once", box.msgs)
		}
		var left int64
		db.Gorm.Raw("SELECT count(*) FROM outbox_emails WHERE adopt OR sent_at IS NULL").Scan(&left)
		if left != 0 {
			t.Fatalf("%d messages still marked or unsent", left)
		}
	})
}
