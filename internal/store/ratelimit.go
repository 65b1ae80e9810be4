package store

import (
	"context"
	"time"
)

// rateLimitRow is one key's current window; the statements below are raw
// SQL, the row type keeps the schema agreement test watching the table.
type rateLimitRow struct {
	Key         string `gorm:"primaryKey"`
	WindowStart int64  // Unix milliseconds
	Hits        int
}

func (rateLimitRow) TableName() string { return "rate_limit_counters" }

// countRequestSQL counts one request in a single statement, so that
// concurrent requests of every process add up exactly: the row is created
// with one hit, or gets one more while its window is open, or starts a new
// window when the old one has ended. Both dialects run this upsert; every
// expression in SET reads the row as it was before the update.
const countRequestSQL = `INSERT INTO rate_limit_counters (key, window_start, hits) VALUES (?, ?, 1)
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN rate_limit_counters.window_start > ? THEN rate_limit_counters.hits + 1 ELSE 1 END,
  window_start = CASE WHEN rate_limit_counters.window_start > ? THEN rate_limit_counters.window_start ELSE excluded.window_start END
RETURNING hits, window_start`

// CountRequest counts one request for key at now in the key's window of
// length window (which starts at the first request after the previous
// window ended), and returns the requests counted in it, this one
// included, and when the window started.
func (d *DB) CountRequest(ctx context.Context, key string, now time.Time, window time.Duration) (int, time.Time, error) {
	at := now.UnixMilli()
	cutoff := at - window.Milliseconds()
	var (
		hits  int
		start int64
	)
	if err := d.conn(ctx).Raw(countRequestSQL, key, at, cutoff, cutoff).Row().Scan(&hits, &start); err != nil {
		return 0, time.Time{}, err
	}
	return hits, time.UnixMilli(start).UTC(), nil
}

// PurgeRateWindows deletes the windows that started at or before before,
// that is every window already over when before is now minus the window.
func (d *DB) PurgeRateWindows(ctx context.Context, before time.Time) error {
	return d.conn(ctx).Where("window_start <= ?", before.UnixMilli()).Delete(&rateLimitRow{}).Error
}
