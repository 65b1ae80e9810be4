package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/portico/portico/internal/domain"
)

// excerptLimit is how much of an answer's body a delivery keeps.
const excerptLimit = 512

// ErrNothingToDeliver ends a job whose delivery no longer exists (its
// endpoint was deleted, or it was purged): there is nothing to retry.
var ErrNothingToDeliver = errors.New("the webhook delivery no longer exists")

// Retry tells, once an attempt has failed, when the next one comes (nil:
// it was the last); it must agree with the job's own schedule.
type Retry func() *time.Time

// Deliver makes attempt number n of a delivery; retry is when River tries
// again if it fails. It returns an error when the attempt failed and will
// be retried. When the last attempt cannot be recorded it ends the
// delivery failed, so that it does not stay pending with no job left to
// attempt it.
func (s *Service) Deliver(ctx context.Context, id uuid.UUID, n int, retry Retry) error {
	err := s.deliver(ctx, id, n, retry)
	if err == nil || retry() != nil || errors.Is(err, ErrNothingToDeliver) {
		return err
	}
	reason := "the last attempt could not be recorded: " + storable(err.Error())
	if gerr := s.db.GiveUpWebhookDelivery(context.WithoutCancel(ctx), id, reason, s.now()); gerr != nil {
		return errors.Join(err, gerr) // the periodic purge ends it (store.EndStuckWebhookDeliveries)
	}
	return err
}

func (s *Service) deliver(ctx context.Context, id uuid.UUID, n int, retry Retry) error {
	d, err := s.db.GetWebhookDelivery(ctx, id)
	if err != nil {
		if de, ok := domain.AsError(err); ok && de.Kind == domain.KindNotFound {
			return ErrNothingToDeliver
		}
		return err
	}
	if d.Status != domain.WebhookPending {
		return nil // finished by an earlier run of this job
	}
	e, err := s.db.GetWebhookEndpoint(ctx, d.EndpointID, false)
	if err != nil {
		if de, ok := domain.AsError(err); ok && de.Kind == domain.KindNotFound {
			return ErrNothingToDeliver
		}
		return err
	}
	record := context.WithoutCancel(ctx) // the outcome is kept even if the job's context ended
	if !e.Enabled {
		s.metrics.outcome("skipped")
		return s.db.GiveUpWebhookDelivery(record, d.ID, "the endpoint is disabled", s.now())
	}
	a := s.attempt(ctx, e, d)
	a.Next = retry()
	gone := a.Status != nil && *a.Status == http.StatusGone
	if gone {
		a.Next = nil
	}
	if err := s.settle(record, e, d, n, a, gone); err != nil {
		return err
	}
	if a.Succeeded || a.Next == nil {
		return nil
	}
	return fmt.Errorf("webhook delivery %s failed: %s", d.ID, a.Error)
}

// attempt signs and POSTs the delivery once.
func (s *Service) attempt(ctx context.Context, e domain.WebhookEndpoint, d domain.WebhookDelivery) domain.Attempt {
	start := time.Now()
	a := domain.Attempt{At: s.now()}
	signature, err := s.sign(e, d.MessageID, a.At, d.Payload)
	if err != nil {
		a.Error = err.Error()
		s.metrics.outcome("error")
		return a
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(d.Payload))
	if err != nil {
		a.Error = err.Error()
		s.metrics.outcome("error")
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Portico-Webhooks/1")
	req.Header.Set(standardwebhooks.HeaderWebhookID, d.MessageID)
	req.Header.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(a.At.Unix(), 10))
	req.Header.Set(standardwebhooks.HeaderWebhookSignature, signature)
	resp, err := s.client.Do(req)
	a.Latency = time.Since(start)
	if err != nil {
		a.Error = storable(err.Error()) // it may quote what the endpoint sent
		s.metrics.observe("error", a.Latency)
		return a
	}
	defer func() { _ = resp.Body.Close() }()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, excerptLimit))
	a.Excerpt = excerpt(head)
	status := resp.StatusCode
	a.Status = &status
	a.Succeeded = status >= 200 && status < 300
	switch {
	case a.Succeeded:
		s.metrics.observe("succeeded", a.Latency)
	case status == http.StatusGone:
		a.Error = "the endpoint answered 410 Gone"
		s.metrics.observe("gone", a.Latency)
	default:
		a.Error = "the endpoint answered " + strconv.Itoa(status)
		s.metrics.observe("failed", a.Latency)
	}
	return a
}

// excerpt is the start of a body as text every database stores: a
// character cut at the limit is dropped, other invalid bytes are replaced,
// and so is NUL, which PostgreSQL text refuses (the attempt could not be
// recorded, and the delivery would be retried for ever).
func excerpt(b []byte) string {
	i := len(b) - 1
	for i > 0 && len(b)-i < utf8.UTFMax && !utf8.RuneStart(b[i]) {
		i--
	}
	if i >= 0 && !utf8.FullRune(b[i:]) {
		b = b[:i]
	}
	return storable(string(b))
}

// storable is s as valid UTF-8 without NUL, each replaced by U+FFFD.
func storable(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// sign is the webhook-signature header: the current secret's signature,
// and during a rotation's grace the previous one's after a space, which
// receivers holding either secret verify.
func (s *Service) sign(e domain.WebhookEndpoint, msgID string, at time.Time, body []byte) (string, error) {
	if s.sealer == nil {
		return "", errors.New("PORTICO_SECRET_KEY is not set: the signing secret cannot be opened")
	}
	sealed := []string{e.Secret}
	if e.PreviousSecret != "" && e.PreviousUntil != nil && at.Before(*e.PreviousUntil) {
		sealed = append(sealed, e.PreviousSecret)
	}
	sigs := make([]string, 0, len(sealed))
	for _, sec := range sealed {
		secret, err := s.sealer.open(sec, e.ID)
		if err != nil {
			return "", err
		}
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			return "", err
		}
		sig, err := wh.Sign(msgID, at, body)
		if err != nil {
			return "", err
		}
		sigs = append(sigs, sig)
	}
	return strings.Join(sigs, " "), nil
}

// settle records an attempt and its consequences for the endpoint in one
// transaction: 410 Gone disables it at once; failing since longer than
// DisableAfter disables it too; both with an audit event.
func (s *Service) settle(ctx context.Context, e domain.WebhookEndpoint, d domain.WebhookDelivery, n int, a domain.Attempt, gone bool) error {
	return s.db.WithinTx(ctx, func(ctx context.Context) error {
		if err := s.db.RecordWebhookAttempt(ctx, d.ID, n, a); err != nil {
			return err
		}
		now, err := s.db.MarkEndpointAttempt(ctx, e.ID, a.Succeeded, a.At)
		if err != nil || !now.Enabled || a.Succeeded {
			return err
		}
		reason := ""
		switch {
		case gone:
			reason = "the endpoint answered 410 Gone"
		case now.FailingSince != nil && a.At.Sub(*now.FailingSince) >= s.cfg.DisableAfter:
			reason = "every delivery failed for " + s.cfg.DisableAfter.String()
		default:
			return nil
		}
		now.Enabled, now.DisabledReason = false, reason
		now.Version++
		now.UpdatedAt = a.At
		if err := s.db.SaveWebhookEndpoint(ctx, now); err != nil {
			return err
		}
		s.log.WarnContext(ctx, "webhook endpoint disabled", "endpoint", e.ID.String(), "reason", reason)
		return s.db.RecordAudit(ctx, domain.AuditEvent{Actor: "system", Action: "webhook_endpoint.disabled",
			SubjectType: "webhook_endpoint", SubjectID: e.ID.String(), Details: map[string]any{"reason": reason, "url": e.URL}})
	})
}
