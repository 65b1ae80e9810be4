package main

import (
	_ "embed"
	"fmt"
	"regexp"

	"github.com/getkin/kin-openapi/openapi3"
)

// changelog lists what changed in each version of the API, newest first.
//
//go:embed changelog.md
var changelog string

var changelogVersion = regexp.MustCompile(`(?m)^### (\S+)$`)

// addChangelog appends the changelog to the document's description, after
// checking that its newest version is the document's version (the
//
//	@version	annotation), so that neither is bumped without the other.
func addChangelog(doc *openapi3.T) error {
	m := changelogVersion.FindStringSubmatch(changelog)
	if m == nil {
		return fmt.Errorf("cmd/openapi/changelog.md names no version")
	}
	if m[1] != doc.Info.Version {
		return fmt.Errorf("the newest changelog version is %s, but the document's @version is %s; bump both together", m[1], doc.Info.Version)
	}
	doc.Info.Description += "\n\n" + changelog
	return nil
}
