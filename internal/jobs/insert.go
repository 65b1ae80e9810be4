package jobs

import (
	"context"
	"database/sql"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/portico/portico/internal/domain"
)

// inserter is the River client as the store enqueues through it: every
// kind lands on its queue with its attempts.
type inserter struct {
	client          *river.Client[*sql.Tx]
	mailAttempts    int
	webhookAttempts int
}

func (in inserter) opts(args river.JobArgs) *river.InsertOpts {
	switch args.(type) {
	case domain.SendEmail:
		return &river.InsertOpts{Queue: queueMail, MaxAttempts: in.mailAttempts}
	case domain.PasswordResetRequest:
		return &river.InsertOpts{Queue: queueMail, MaxAttempts: 3}
	case domain.DeliverWebhook:
		return &river.InsertOpts{Queue: queueWebhooks, MaxAttempts: in.webhookAttempts}
	default:
		return &river.InsertOpts{Queue: queueWork}
	}
}

func (in inserter) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, _ *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	return in.client.InsertTx(ctx, tx, args, in.opts(args))
}

func (in inserter) InsertManyFastTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) (int, error) {
	for i := range params {
		params[i].InsertOpts = in.opts(params[i].Args)
	}
	return in.client.InsertManyFastTx(ctx, tx, params)
}
