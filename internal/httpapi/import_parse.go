package httpapi

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/portico/portico/internal/domain"
)

// rowSource yields an upload's rows one by one, each as a JSON object;
// io.EOF after the last. Any other error refuses the whole upload.
type rowSource interface {
	next() ([]byte, error)
}

// rowFault fails one row, not the upload: the source could not make a
// row object of it (a ragged CSV row, a cell that is not storable text).
type rowFault struct {
	detail string
	fields []domain.FieldError
}

func (f *rowFault) Error() string { return f.detail }

// result is the failed row's result.
func (f *rowFault) result(row int) domain.ImportResult {
	return domain.ImportResult{Row: row, Status: domain.ImportFailed, Err: domain.Invalid("validation_failed", f.detail, f.fields...)}
}

func malformed(detail string) error {
	return &edgeError{status: http.StatusBadRequest, code: "import_malformed", detail: detail}
}

// csvColumn is how a CSV column becomes a JSON member.
type csvColumn struct {
	name   string // the header's name, which a row's errors use
	member string // JSON member; for a custom field, its key
	custom bool
	kind   domain.FieldType // custom fields: number and boolean cells become JSON numbers and booleans
	list   bool             // email_domains: values separated by ";"
}

// csvSource reads a CSV upload: a header row of column names, then one row
// per record; UTF-8 with or without a byte order mark, CRLF or LF, quoted
// fields. An empty cell leaves its field out.
type csvSource struct {
	r    *csv.Reader
	cols []csvColumn
	row  int // data rows read, as results number them
}

// newCSVSource reads and checks the header: every column must be a field
// of the resource's row (custom fields as custom.<key> of a defined field),
// once.
func newCSVSource(body io.Reader, fields map[string]bool, defs []domain.FieldDefinition) (*csvSource, error) {
	br := bufio.NewReaderSize(body, 64<<10)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	r := csv.NewReader(br)
	r.ReuseRecord = true
	r.FieldsPerRecord = -1 // a ragged row fails on its own (see next)
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, domain.Invalid("import_empty", "the CSV file is empty; send a header row and at least one row")
	}
	if err != nil {
		return nil, csvError(err)
	}
	byKey := map[string]domain.FieldDefinition{}
	for _, d := range defs {
		byKey[d.Key] = d
	}
	s := &csvSource{r: r}
	seen := map[string]bool{}
	var errs []domain.FieldError
	for i, raw := range header {
		if p := textProblem(raw); p != "" {
			return nil, malformed(fmt.Sprintf("the CSV header's column %d %s", i+1, p))
		}
		name := strings.TrimSpace(raw)
		col, ok := csvColumn{member: name, list: name == "email_domains"}, fields[name] && name != "custom_fields"
		if key, isCustom := strings.CutPrefix(name, "custom."); isCustom {
			d, defined := byKey[key]
			col, ok = csvColumn{member: key, custom: true, kind: d.Type}, defined && fields["custom_fields"]
		}
		switch {
		case name == "":
			errs = append(errs, domain.FieldError{Field: fmt.Sprintf("column %d", i+1), Code: "empty_column", Message: fmt.Sprintf("column %d has no name", i+1)})
		case seen[name]:
			errs = append(errs, domain.FieldError{Field: name, Code: "duplicate_column", Message: name + " appears more than once in the header"})
		case !ok:
			errs = append(errs, domain.FieldError{Field: name, Code: "unknown_column", Message: unknownColumn(name, fields)})
		}
		seen[name] = true
		col.name = name
		s.cols = append(s.cols, col)
	}
	if len(errs) > 0 {
		return nil, domain.Invalid("import_header_invalid", "the CSV header has columns this import does not accept", errs...)
	}
	return s, nil
}

func unknownColumn(name string, fields map[string]bool) string {
	if strings.HasPrefix(name, "custom.") {
		return name + " is not a custom field defined for this resource (GET /api/v1/field-definitions)"
	}
	names := make([]string, 0, len(fields))
	for f := range fields {
		if f == "custom_fields" {
			f = "custom.<key>"
		}
		names = append(names, f)
	}
	sort.Strings(names)
	return name + " is not a column of this import; the columns are " + strings.Join(names, ", ")
}

func csvError(err error) error {
	var maxErr *http.MaxBytesError
	var pe *csv.ParseError
	switch {
	case errors.As(err, &maxErr):
		return importTooLarge(maxErr.Limit)
	case errors.As(err, &pe):
		return malformed(fmt.Sprintf("the body is not a valid CSV file: line %d, column %d: %v", pe.StartLine, pe.Column, pe.Err))
	}
	return malformed("the body could not be read as CSV: " + err.Error())
}

func (s *csvSource) next() ([]byte, error) {
	rec, err := s.r.Read()
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if err != nil {
		return nil, csvError(err)
	}
	s.row++
	if len(rec) != len(s.cols) {
		return nil, &rowFault{detail: fmt.Sprintf("row %d has %d cells; the header has %d columns", s.row, len(rec), len(s.cols)),
			fields: []domain.FieldError{{Field: "", Code: "cell_count", Message: fmt.Sprintf("row %d must have one cell per header column (%d), not %d", s.row, len(s.cols), len(rec))}}}
	}
	var bad []domain.FieldError
	for i, cell := range rec {
		if p := textProblem(cell); p != "" {
			bad = append(bad, invalidText(s.cols[i].name, p))
		}
	}
	if len(bad) > 0 {
		return nil, &rowFault{detail: rowInvalid(s.row, bad).Err.Detail, fields: bad}
	}
	obj := map[string]any{}
	custom := map[string]any{}
	for i, cell := range rec {
		if cell == "" {
			continue
		}
		col := s.cols[i]
		switch {
		case col.custom:
			custom[col.member] = customCell(col.kind, cell)
		case col.list:
			var items []string
			for _, v := range strings.Split(cell, ";") {
				if v = strings.TrimSpace(v); v != "" {
					items = append(items, v)
				}
			}
			obj[col.member] = items
		default:
			obj[col.member] = cell
		}
	}
	if len(custom) > 0 {
		obj["custom_fields"] = custom
	}
	return json.Marshal(obj)
}

// customCell types a custom field's cell by its definition; a cell that
// does not parse stays text, so that the field's check names it.
func customCell(kind domain.FieldType, cell string) any {
	switch kind {
	case domain.FieldNumber:
		if f, err := strconv.ParseFloat(strings.TrimSpace(cell), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
		}
	case domain.FieldBoolean:
		if b, err := strconv.ParseBool(strings.TrimSpace(cell)); err == nil {
			return b
		}
	}
	return cell
}

// jsonSource reads a JSON array upload element by element.
type jsonSource struct {
	dec     *json.Decoder
	started bool
}

func newJSONSource(body io.Reader) *jsonSource {
	dec := json.NewDecoder(body)
	dec.UseNumber()
	return &jsonSource{dec: dec}
}

func (s *jsonSource) next() ([]byte, error) {
	if !s.started {
		s.started = true
		tok, err := s.dec.Token()
		if err != nil {
			return nil, jsonUploadError(err)
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			return nil, malformed("the body must be a JSON array of objects, one per row")
		}
	}
	if !s.dec.More() {
		if _, err := s.dec.Token(); err != nil { // the closing ]
			return nil, jsonUploadError(err)
		}
		if _, err := s.dec.Token(); !errors.Is(err, io.EOF) {
			if err != nil {
				return nil, jsonUploadError(err)
			}
			return nil, malformed("the body holds data after the JSON array")
		}
		return nil, io.EOF
	}
	var raw json.RawMessage
	if err := s.dec.Decode(&raw); err != nil {
		return nil, jsonUploadError(err)
	}
	return raw, nil
}

func jsonUploadError(err error) error {
	var maxErr *http.MaxBytesError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &maxErr):
		return importTooLarge(maxErr.Limit)
	case errors.As(err, &syntaxErr):
		return malformed(fmt.Sprintf("the body is not valid JSON: %v (at byte %d)", syntaxErr, syntaxErr.Offset))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("the body ends before the JSON array does")
	}
	return malformed("the body is not a JSON array of objects: " + err.Error())
}
