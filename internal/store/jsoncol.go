package store

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// JSON columns are jsonb on PostgreSQL and text on SQLite; these types read
// both and write text that either accepts.

type jsonMap map[string]any

func (m jsonMap) Value() (driver.Value, error) {
	if m == nil {
		return "{}", nil
	}
	b, err := json.Marshal(map[string]any(m))
	return string(b), err
}

func (m *jsonMap) Scan(src any) error { return scanJSON(src, m) }

type jsonStrings []string

func (s jsonStrings) Value() (driver.Value, error) {
	if s == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]string(s))
	return string(b), err
}

func (s *jsonStrings) Scan(src any) error { return scanJSON(src, s) }

// jsonRule is the stored part of a smart rule; organization ids live in
// group_rule_organizations.
type jsonRule struct {
	OrganizationKinds []string `json:"organization_kinds"`
	PartnerTypes      []string `json:"partner_types"`
	Regions           []string `json:"regions"`
}

func (r jsonRule) Value() (driver.Value, error) {
	b, err := json.Marshal(r)
	return string(b), err
}

func (r *jsonRule) Scan(src any) error { return scanJSON(src, r) }

func scanJSON(src, dst any) error {
	switch v := src.(type) {
	case nil:
		return nil
	case string:
		return json.Unmarshal([]byte(v), dst)
	case []byte:
		return json.Unmarshal(v, dst)
	default:
		return fmt.Errorf("cannot scan %T into JSON", src)
	}
}

// jsonList is a JSON array of objects (warnings).
type jsonList []map[string]any

func (l jsonList) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]map[string]any(l))
	return string(b), err
}

func (l *jsonList) Scan(src any) error { return scanJSON(src, l) }
