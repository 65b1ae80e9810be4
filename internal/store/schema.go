package store

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// columnTypes lists, per Go type class, the column types each dialect may
// use for it (as reported by the driver, upper case).
var columnTypes = map[string]map[Dialect][]string{
	"uuid":   {Postgres: {"UUID"}, SQLite: {"TEXT"}},
	"string": {Postgres: {"TEXT"}, SQLite: {"TEXT"}},
	"int":    {Postgres: {"INT8", "INT4"}, SQLite: {"INTEGER"}},
	"float":  {Postgres: {"FLOAT8"}, SQLite: {"REAL"}},
	"bool":   {Postgres: {"BOOL"}, SQLite: {"BOOLEAN"}},
	"time":   {Postgres: {"TIMESTAMPTZ"}, SQLite: {"DATETIME"}},
	"json":   {Postgres: {"JSONB"}, SQLite: {"TEXT"}},
}

// CompareModels checks every GORM row type against the migrated schema:
// each field has a column of a matching type and nullability, and each
// column has a field. It returns one line per mismatch.
func CompareModels(db *DB) ([]string, error) {
	var out []string
	for _, model := range models() {
		stmt := &gorm.Statement{DB: db.Gorm}
		if err := stmt.Parse(model); err != nil {
			return nil, err
		}
		table := stmt.Schema.Table
		cols, err := db.Gorm.Migrator().ColumnTypes(model)
		if err != nil {
			return nil, fmt.Errorf("columns of %s: %w", table, err)
		}
		if len(cols) == 0 {
			out = append(out, fmt.Sprintf("%s: table missing", table))
			continue
		}
		byName := map[string]gorm.ColumnType{}
		for _, c := range cols {
			byName[c.Name()] = c
		}
		for _, f := range stmt.Schema.Fields {
			if f.DBName == "" {
				continue
			}
			col, ok := byName[f.DBName]
			if !ok {
				out = append(out, fmt.Sprintf("%s.%s: field %s has no column", table, f.DBName, f.Name))
				continue
			}
			delete(byName, f.DBName)
			out = append(out, compareColumn(db.Dialect, table, f.FieldType, col)...)
		}
		for name := range byName {
			out = append(out, fmt.Sprintf("%s.%s: column has no field", table, name))
		}
	}
	return out, nil
}

func compareColumn(d Dialect, table string, goType reflect.Type, col gorm.ColumnType) []string {
	var out []string
	pointer := goType.Kind() == reflect.Pointer
	if pointer {
		goType = goType.Elem()
	}
	class := typeClass(goType)
	dbType := strings.ToUpper(col.DatabaseTypeName())
	allowed := columnTypes[class][d]
	if !contains(allowed, dbType) {
		out = append(out, fmt.Sprintf("%s.%s: %s column for Go %s (want one of %v)", table, col.Name(), dbType, goType, allowed))
	}
	// JSON columns may be NULL and read into a pointer or a value type
	// whose Scan treats NULL as empty; everything else must agree exactly.
	if nullable, ok := col.Nullable(); ok && nullable != pointer && class != "json" {
		out = append(out, fmt.Sprintf("%s.%s: nullable=%v but Go pointer=%v", table, col.Name(), nullable, pointer))
	}
	return out
}

func typeClass(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[uuid.UUID]():
		return "uuid"
	case reflect.TypeFor[time.Time]():
		return "time"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "int"
	case reflect.Float64:
		return "float"
	case reflect.Bool:
		return "bool"
	case reflect.Map, reflect.Slice, reflect.Struct:
		return "json"
	}
	return t.String()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
