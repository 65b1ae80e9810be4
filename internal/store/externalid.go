package store

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/portico/portico/internal/domain"
)

// The unique indexes of migration 00009, one per kind of record.
const (
	organizationsExternalID = "organizations_external_id"
	accountsExternalID      = "accounts_external_id"
	peopleExternalID        = "people_external_id"
)

// nullable stores "" as NULL, so that the partial unique index lets any
// number of records have no external id.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// externalIDTaken turns a violation of the external id index of table into
// external_id_taken (409) and leaves any other error as it is. PostgreSQL
// names the index; SQLite names the column.
func externalIDTaken(err error, index, table, kind, externalID string) error {
	if err == nil || !isUniqueViolation(err) {
		return err
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		if pg.ConstraintName != index {
			return err
		}
	} else if !strings.Contains(err.Error(), table+".external_id") {
		return err
	}
	return domain.ErrExternalIDTaken(kind, externalID)
}
