package store

import (
	"strings"

	"gorm.io/gorm/clause"
)

// containsText is the condition "expr contains the search text q" (see
// likePattern), with the pattern written into the statement as a literal
// rather than passed as a parameter. pgx prepares every statement, and
// after five runs PostgreSQL may plan a prepared one generically: a
// generic plan cannot know whether the pattern is rare (use the trigram
// index) or common (walk the primary key and stop after a page), and at a
// million contacts its guess scanned every row — 4.7 s instead of 8 ms
// (docs/query-plans.md). With the literal each search is planned for its
// own pattern. Quotes are doubled; a backslash is an ordinary character in
// standard-conforming strings, which pgx requires, and the HTTP edge
// refuses NUL and invalid UTF-8 before q gets here.
func containsText(expr, q string) clause.Expr {
	literal := "'" + strings.ReplaceAll(likePattern(q), "'", "''") + "'"
	return clause.Expr{SQL: expr + " LIKE " + literal + ` ESCAPE '\'`}
}

// likePattern turns a search text into a LIKE pattern that matches it as a
// substring, with LIKE's wildcards escaped.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(strings.TrimSpace(q))) + "%"
}
