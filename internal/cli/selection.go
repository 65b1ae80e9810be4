package cli

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"
)

// maxSelection is the most values one bulk promotion takes.
const maxSelection = 10000

// Selector kinds: the bulk promotion field a CSV's column fills.
const (
	byContactID  = "contact_ids"
	byEmail      = "emails"
	byExternalID = "external_ids"
)

// selectorColumns maps a header name to the selector it names.
var selectorColumns = map[string]string{
	"contact_id": byContactID, "id": byContactID,
	"email":       byEmail,
	"external_id": byExternalID,
}

// selection is what a promotion CSV selects: the values of its selector
// column, and for each the row it came from (1 is the first row after the
// header).
type selection struct {
	by     string // byContactID, byEmail or byExternalID
	column string // the header as written
	values []string
	rows   []int
}

// readSelection reads a CSV (UTF-8, an optional BOM, CRLF or LF, quoted
// fields) whose header names the selector column: the first column called
// contact_id or id, email, or external_id. Blank rows are skipped; a row
// without a value, or a contact id that is no UUID, makes the whole file
// unusable, so that nothing is sent for a file that is half wrong.
func readSelection(raw []byte) (selection, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return selection{}, errors.New("the file is empty; its first row must name a contact_id, email or external_id column")
	}
	if err != nil {
		return selection{}, fmt.Errorf("not a CSV file: %w", err)
	}
	s, col := selection{}, -1
	for i, h := range header {
		if by, ok := selectorColumns[strings.ToLower(strings.TrimSpace(h))]; ok {
			s.by, s.column, col = by, strings.TrimSpace(h), i
			break
		}
	}
	if col < 0 {
		return selection{}, fmt.Errorf("the header %q names no contact_id (or id), email or external_id column", strings.Join(header, ","))
	}
	var bad []string
	for row := 1; ; row++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return selection{}, fmt.Errorf("not a CSV file: %w", err)
		}
		if blank(rec) {
			continue
		}
		v := ""
		if col < len(rec) {
			v = strings.TrimSpace(rec[col])
		}
		switch {
		case v == "":
			bad = append(bad, fmt.Sprintf("row %d has no %s", row, s.column))
		case s.by == byContactID && uuid.Validate(v) != nil:
			bad = append(bad, fmt.Sprintf("row %d: %s %q is not a UUID", row, s.column, v))
		}
		s.values, s.rows = append(s.values, v), append(s.rows, row)
	}
	if len(bad) > 0 {
		return selection{}, errors.New(firstFew(bad, 5))
	}
	if len(s.values) == 0 {
		return selection{}, fmt.Errorf("the file has a %s column but no rows", s.column)
	}
	if len(s.values) > maxSelection {
		return selection{}, fmt.Errorf("the file has %d rows; one bulk promotion takes at most %d: split the file", len(s.values), maxSelection)
	}
	return s, nil
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// firstFew joins up to n messages and says how many more there are.
func firstFew(msgs []string, n int) string {
	if len(msgs) <= n {
		return strings.Join(msgs, "; ")
	}
	return fmt.Sprintf("%s; and %d more", strings.Join(msgs[:n], "; "), len(msgs)-n)
}
