package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/pkg/problem"
)

// importPath is the route of imports, which has a body limit of its own.
const importPath = "/api/v1/imports"

// MaxImportRows is the most rows one import takes.
const MaxImportRows = 500_000

// ImportError is why a row was not imported: the code and detail of the
// problem the single endpoint would answer, and its field errors (each
// field is the row's column).
type ImportError struct {
	Code   string               `json:"code" example:"validation_failed"`
	Detail string               `json:"detail" example:"row 3 has invalid fields: email"`
	Errors []problem.FieldError `json:"errors,omitempty"`
}

// ImportRowResult is one row's outcome.
type ImportRowResult struct {
	// Row counts data rows from 1 (a CSV file's header is not a row).
	Row    int    `json:"row" example:"1"`
	Status string `json:"status" enums:"created,updated,unchanged,failed"`
	// ID is the record created, updated or left unchanged; absent for a failed row and for a created row of a dry run.
	ID    *uuid.UUID   `json:"id,omitempty" swaggertype:"string" format:"uuid"`
	Error *ImportError `json:"error,omitempty"`
}

// ImportSummary counts an import's outcomes: total is created + updated +
// unchanged + failed.
type ImportSummary struct {
	Total     int `json:"total"`
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Failed    int `json:"failed"`
}

// ImportResponse is the answer of an import run at once.
type ImportResponse struct {
	Results []ImportRowResult `json:"results"`
	Summary ImportSummary     `json:"summary"`
	DryRun  bool              `json:"dry_run"`
}

func importResultOut(r domain.ImportResult) ImportRowResult {
	out := ImportRowResult{Row: r.Row, Status: r.Status, ID: r.RecordID}
	if r.Err != nil {
		out.Error = &ImportError{Code: r.Err.Code, Detail: r.Err.Detail}
		for _, f := range r.Err.Fields {
			out.Error.Errors = append(out.Error.Errors, problem.FieldError{Field: f.Field, Code: f.Code, Message: f.Message})
		}
	}
	return out
}

// importSpec reads the query of an import.
func importSpec(c echo.Context) (domain.ImportSpec, bool, error) {
	q := &query{c: c}
	spec := domain.ImportSpec{
		Resource: domain.ImportResource(q.oneOf("resource", "contacts", "accounts", "organizations")),
		Mode:     domain.ImportMode(q.oneOf("mode", "create", "upsert")),
	}
	if c.QueryParam("resource") == "" {
		q.fail("resource", "required", "resource is required: contacts, accounts or organizations")
	}
	if spec.Mode == "" {
		spec.Mode = domain.ImportCreate
	}
	if b := q.boolean("dry_run"); b != nil {
		spec.DryRun = *b
	}
	async := q.boolean("async")
	return spec, async != nil && *async, q.err()
}

// createImport godoc
//
//	@Summary		Import contacts, accounts or organizations
//	@Description	The body is a CSV file (text/csv: a header row of field names, custom fields as custom.<key>, contacts' links as organization_external_id and account_external_id; UTF-8 with or without BOM, CRLF or LF, quoted fields; an empty cell leaves its field out) or a JSON array of objects shaped like the resource's create body (application/json). Every row is checked by the rules of the single endpoint and succeeds or fails on its own; a failed row writes nothing, and its error names the row and the columns. mode=create creates every row (a row whose external_id is on file fails with external_id_taken); mode=upsert merges a row into the record with its external_id (status updated, or unchanged when the merge changes nothing) and creates the rest. Up to PORTICO_BULK_SYNC_LIMIT rows answer at once (200); larger imports, or async=true, run as a job (202 with Location). A problem with the whole upload (not CSV or not a JSON array, a bad header, no rows, over PORTICO_IMPORT_BODY_LIMIT) writes nothing.
//	@ID				createImport
//	@Tags			imports
//	@Accept			text/csv,json
//	@Produce		json
//	@Param			resource		query		string			true	"what the rows are"							Enums(contacts, accounts, organizations)
//	@Param			mode			query		string			false	"create (default) or upsert by external_id"	Enums(create, upsert)
//	@Param			dry_run			query		bool			false	"check every row and answer as if imported, writing nothing"
//	@Param			async			query		bool			false	"run even a small import as a job"
//	@Param			Idempotency-Key	header		string			false	"makes a retry safe: the same key, query and body get the first answer (or the same job) for 24 h"
//	@Param			body			body		string			true	"the CSV file, or a JSON array of row objects"
//	@Success		200				{object}	ImportResponse	"small import: every row's result"
//	@Success		202				{object}	ImportJob		"large import: the job"
//	@Header			202				{string}	Location		"the job"
//	@Failure		400				{object}	problem.Problem	"the body is not CSV or not a JSON array (import_malformed)"
//	@Failure		401				{object}	problem.Problem
//	@Failure		403				{object}	problem.Problem
//	@Failure		409				{object}	problem.Problem	"idempotency_in_progress"
//	@Failure		413				{object}	problem.Problem	"over PORTICO_IMPORT_BODY_LIMIT (payload_too_large)"
//	@Failure		415				{object}	problem.Problem	"neither text/csv nor application/json (unsupported_media_type)"
//	@Failure		422				{object}	problem.Problem	"bad query (validation_failed), bad CSV header (import_header_invalid), no rows (import_empty), too many rows (import_too_many_rows), idempotency_key_reused"
//	@Security		BearerAuth
//	@Router			/api/v1/imports [post]
func (h *handlers) createImport(c echo.Context) error {
	spec, async, err := importSpec(c)
	if err != nil {
		return err
	}
	keep := h.syncLimit
	if spec.Resource == domain.ImportContacts {
		// a synchronous contacts import is one batch, one statement per
		// table; more rows go to a job even under a higher sync limit
		keep = min(keep, directory.ImportBatchSize)
	}
	sp := newSpool(keep, directory.ImportBatchSize)
	defer sp.close()
	sum, err := h.readImport(c, spec, async, sp)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	return h.idempotentAs(c, sum, func() (answer, error) {
		if async || !sp.small() {
			next, err := sp.encoded()
			if err != nil {
				return answer{}, err
			}
			j, err := h.dir.EnqueueImport(ctx, spec, next)
			if err != nil {
				return answer{}, err
			}
			return answer{status: http.StatusAccepted, body: importJobOut(j), location: "/api/v1/import-jobs/" + j.ID.String()}, nil
		}
		results, err := h.dir.Import(ctx, spec, sp.mem)
		if err != nil {
			return answer{}, err
		}
		out := ImportResponse{Results: make([]ImportRowResult, len(results)), DryRun: spec.DryRun}
		var n domain.ImportCounts
		for i, r := range results {
			out.Results[i] = importResultOut(r)
			n.Add(r.Status)
		}
		out.Summary = ImportSummary{Total: n.Processed, Created: n.Created, Updated: n.Updated, Unchanged: n.Unchanged, Failed: n.Failed}
		return answer{status: http.StatusOK, body: out}, nil
	})
}

// readImport streams the upload into sp, row by row, and returns the hash
// of the request (method, path, parsed options, content type and body) for
// Idempotency-Key. A problem with the whole upload is returned before
// anything is written.
func (h *handlers) readImport(c echo.Context, spec domain.ImportSpec, async bool, sp *spool) (string, error) {
	req := c.Request()
	mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	csvBody := err == nil && (mt == "text/csv" || mt == "application/csv")
	if !csvBody && (err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json"))) {
		return "", &edgeError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type",
			detail: fmt.Sprintf("send the import as text/csv or as application/json (an array of objects), not %q", req.Header.Get(echo.HeaderContentType))}
	}
	hasher := sha256.New()
	// the options as parsed, so that async=1 and async=true are one request
	_, _ = fmt.Fprintf(hasher, "%s %s\n%s %s %t %t\n", req.Method, req.URL.Path, spec.Resource, spec.Mode, spec.DryRun, async)
	body := io.TeeReader(req.Body, hasher)
	typ := importRowType(spec)
	fields := map[string]bool{}
	for name := range importFields(typ) {
		fields[name] = true
	}
	var src rowSource
	if csvBody {
		_, _ = fmt.Fprint(hasher, "csv\n") // a hash never fails to write
		defs, err := h.importDefinitions(c.Request().Context(), spec.Resource)
		if err != nil {
			return "", err
		}
		if src, err = newCSVSource(body, fields, defs); err != nil {
			return "", err
		}
	} else {
		_, _ = fmt.Fprint(hasher, "json\n")
		src = newJSONSource(body)
	}
	if err := fillSpool(src, rowDecoder{spec: spec, typ: typ}, sp); err != nil {
		return "", err
	}
	_, _ = io.Copy(io.Discard, body) // the hash covers every byte sent
	return hex.EncodeToString(hasher.Sum(nil)), nil
}

// importDefinitions are the custom fields a CSV of the resource may name.
func (h *handlers) importDefinitions(ctx context.Context, r domain.ImportResource) ([]domain.FieldDefinition, error) {
	switch r {
	case domain.ImportAccounts:
		return h.dir.FieldDefinitions(ctx, domain.EntityAccount)
	case domain.ImportOrganizations:
		return h.dir.FieldDefinitions(ctx, domain.EntityOrganization)
	}
	return nil, nil
}

// fillSpool checks every row and spools it; a row whose external id an
// earlier row has fails with duplicate_external_id.
func fillSpool(src rowSource, dec rowDecoder, sp *spool) error {
	first := map[string]int{}
	for row := 1; ; row++ {
		raw, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		var fault *rowFault
		if err != nil && !errors.As(err, &fault) {
			return err
		}
		if row > MaxImportRows {
			return domain.Invalid("import_too_many_rows", fmt.Sprintf("the import holds more than %d rows; split it into several imports", MaxImportRows))
		}
		var it domain.ImportItem
		if fault != nil {
			it = domain.ImportItem{Seq: row, Result: fault.result(row)}
		} else {
			it = dec.decode(row, raw)
		}
		if it.Row != nil && it.Row.ExternalID != nil {
			ext := *it.Row.ExternalID
			if at, dup := first[ext]; dup {
				it = domain.ImportItem{Seq: row, Result: domain.ImportResult{Row: row, Status: domain.ImportFailed,
					Err: domain.Invalid("duplicate_external_id", fmt.Sprintf("row %d repeats the external_id %s of row %d", row, ext, at),
						domain.FieldError{Field: "external_id", Code: "duplicate", Message: fmt.Sprintf("row %d has this external_id already", at)})}}
			} else {
				first[ext] = row
			}
		}
		if err := sp.add(it); err != nil {
			return err
		}
	}
	if sp.n == 0 {
		return domain.Invalid("import_empty", "the import holds no rows; send at least one")
	}
	return nil
}
