package main

import (
	"github.com/getkin/kin-openapi/openapi3"
)

// importBody states the two bodies of an import, which Swagger 2.0 (one
// body schema per operation) cannot: a CSV file as text/csv, or a JSON
// array of row objects as application/json.
func importBody(doc *openapi3.T) {
	for _, path := range doc.Paths.InMatchingOrder() {
		op := doc.Paths.Value(path).Post
		if op == nil || op.OperationID != "createImport" || op.RequestBody == nil || op.RequestBody.Value == nil {
			continue
		}
		row := openapi3.NewObjectSchema().WithAnyAdditionalProperties()
		row.Description = "one row: the resource's create body (or, for mode=upsert, its merge patch), external_id, and for contacts organization_external_id and account_external_id"
		csv := openapi3.NewStringSchema()
		csv.Description = "a header row of field names, then one row per record"
		op.RequestBody.Value.Content = openapi3.Content{
			"text/csv":         &openapi3.MediaType{Schema: openapi3.NewSchemaRef("", csv)},
			"application/json": &openapi3.MediaType{Schema: openapi3.NewSchemaRef("", openapi3.NewArraySchema().WithItems(row))},
		}
	}
}
