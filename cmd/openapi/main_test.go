package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestConvert converts the committed swag output and checks what refine
// adds on top of openapi2conv.
func TestConvert(t *testing.T) {
	out := filepath.Join(t.TempDir(), "openapi.yaml")
	if err := convert("../../docs/swagger.json", out); err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Info.Description, "### "+doc.Info.Version+"\n") || !strings.Contains(doc.Info.Description, "/problems/{code}") {
		t.Errorf("the description lacks the changelog of version %s:\n%s", doc.Info.Version, doc.Info.Description)
	}
	if s := doc.Components.SecuritySchemes[bearerScheme].Value; s.Type != "http" || s.Scheme != "bearer" ||
		strings.HasPrefix(s.Description, `"Bearer "`) {
		t.Errorf("security scheme: %+v", s) // with the http scheme, tools add "Bearer " themselves
	}
	public := map[string]bool{"activateAccount": true, "signIn": true, "requestPasswordReset": true,
		"confirmPasswordReset": true, "getHealthz": true, "getReadyz": true,
		"listProblemTypes": true, "getProblemType": true}
	problems := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			if got := op.Security != nil && len(*op.Security) == 0; got != public[op.OperationID] {
				t.Errorf("%s: public %v, want %v", name, got, public[op.OperationID])
			}
			for status, resp := range op.Responses.Map() {
				for mt, media := range resp.Value.Content {
					isProblem := media.Schema != nil && media.Schema.Ref == problemSchema
					if isProblem != (mt == problemType) {
						t.Errorf("%s %s: %s with schema %v", name, status, mt, media.Schema.Ref)
					}
					if isProblem {
						problems++
					}
				}
				if strings.HasPrefix(status, "4") && resp.Value.Content[problemType] == nil {
					t.Errorf("%s %s: an error without the problem document", name, status)
				}
			}
		}
	}
	if problems < 100 {
		t.Errorf("only %d problem responses", problems)
	}
}

// TestChangelogVersionMustMatch: a version bump in only one of the
// annotations and the changelog stops the generator.
func TestChangelogVersionMustMatch(t *testing.T) {
	doc := &openapi3.T{Info: &openapi3.Info{Version: "0.9"}}
	if err := addChangelog(doc); err == nil || !strings.Contains(err.Error(), "bump both") {
		t.Fatalf("err = %v", err)
	}
}
