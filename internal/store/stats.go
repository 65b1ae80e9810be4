package store

import (
	"sync/atomic"

	"gorm.io/gorm"
)

// CountStatements makes every SQL statement issued through GORM increment
// the returned counter, for benchmarks that report statements per
// operation. Transaction control (BEGIN, COMMIT) is not counted.
func (d *DB) CountStatements() *atomic.Int64 {
	var n atomic.Int64
	inc := func(*gorm.DB) { n.Add(1) }
	cb := d.Gorm.Callback()
	_ = cb.Create().After("gorm:create").Register("portico:count", inc)
	_ = cb.Query().After("gorm:query").Register("portico:count", inc)
	_ = cb.Update().After("gorm:update").Register("portico:count", inc)
	_ = cb.Delete().After("gorm:delete").Register("portico:count", inc)
	_ = cb.Row().After("gorm:row").Register("portico:count", inc)
	_ = cb.Raw().After("gorm:raw").Register("portico:count", inc)
	return &n
}
