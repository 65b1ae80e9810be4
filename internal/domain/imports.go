package domain

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// ImportResource is what an import creates or updates.
type ImportResource string

// The importable resources.
const (
	ImportContacts      ImportResource = "contacts"
	ImportAccounts      ImportResource = "accounts"
	ImportOrganizations ImportResource = "organizations"
)

// ImportMode says what an import does with a row whose external id is on
// file: create refuses it, upsert merges the row into that record.
type ImportMode string

// The import modes.
const (
	ImportCreate ImportMode = "create"
	ImportUpsert ImportMode = "upsert"
)

// ImportSpec is what every row of one import shares.
type ImportSpec struct {
	Resource ImportResource
	Mode     ImportMode
	DryRun   bool
}

// Outcomes of an import row.
const (
	ImportCreated   = "created"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
	ImportFailed    = "failed"
)

// ImportRow is one uploaded row after its shape was checked: the fields
// it sets (a patch: nil keeps) of the one resource imported, its external
// id and the links given by external id. Row counts data rows from 1.
type ImportRow struct {
	Row                    int
	ExternalID             *string
	OrganizationExternalID *string
	AccountExternalID      *string
	Contact                *ContactPatch
	Account                *AccountPatch
	Organization           *OrganizationPatch
}

// ImportResult is one row's outcome; RecordID is the record created or
// matched (nil for a failed row and for a created row of a dry run).
type ImportResult struct {
	Row      int
	Status   string
	RecordID *uuid.UUID
	Err      *Error
}

// ImportItem is one uploaded row: its checked Row, or the Result of a
// row refused at the edge. Seq is the row number.
type ImportItem struct {
	Seq    int
	Row    *ImportRow
	Result ImportResult
}

// ImportChunk is a stored part of an import job's upload.
type ImportChunk struct {
	Seq   int
	Items []ImportItem
}

// ImportCounts are the outcomes of an import so far.
type ImportCounts struct {
	Total, Processed                    int
	Created, Updated, Unchanged, Failed int
}

// Add counts one outcome.
func (c *ImportCounts) Add(status string) {
	c.Processed++
	switch status {
	case ImportCreated:
		c.Created++
	case ImportUpdated:
		c.Updated++
	case ImportUnchanged:
		c.Unchanged++
	case ImportFailed:
		c.Failed++
	}
}

// ImportJob is an import run in the background.
type ImportJob struct {
	ID     uuid.UUID
	Status string
	Spec   ImportSpec
	Actor  string
	ImportCounts
	Error                string
	CreatedAt, UpdatedAt time.Time
	FinishedAt           *time.Time
}

// RunImportJob works an import job's pending rows.
type RunImportJob struct {
	JobID uuid.UUID `json:"job_id"`
}

// Kind names the job kind.
func (RunImportJob) Kind() string { return "import_job" }

// EncodedImportChunk is a part of an upload as an import job stores it:
// its items as JSON, encoded once where the upload is read.
type EncodedImportChunk struct {
	FirstRow, LastRow, Rows int
	Payload                 []byte
}

// EncodeImportChunk encodes items (in row order) as a chunk.
func EncodeImportChunk(items []ImportItem) (EncodedImportChunk, error) {
	raw, err := json.Marshal(items)
	if err != nil || len(items) == 0 {
		return EncodedImportChunk{}, err
	}
	return EncodedImportChunk{FirstRow: items[0].Seq, LastRow: items[len(items)-1].Seq, Rows: len(items), Payload: raw}, nil
}

// DecodeImportChunk is the items of an encoded chunk's payload.
func DecodeImportChunk(payload []byte) ([]ImportItem, error) {
	var items []ImportItem
	err := json.Unmarshal(payload, &items)
	return items, err
}
