package main

import (
	"fmt"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// problemSchema is the component every documented error refers to.
const problemSchema = "#/components/schemas/Problem"

// problemType is the media type of every Portico error (RFC 9457).
const problemType = "application/problem+json"

// bearerScheme names the security scheme of the annotations.
const bearerScheme = "BearerAuth"

// refine states in OpenAPI 3 what Swagger 2.0, and so swag, cannot:
// problem documents as application/problem+json, the bearer scheme as an
// http scheme, public operations as explicitly public, and nullable
// references with the type OpenAPI 3.0 requires beside nullable.
func refine(doc *openapi3.T) error {
	if err := bearer(doc); err != nil {
		return err
	}
	doc.Security = openapi3.SecurityRequirements{{bearerScheme: {}}}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			if op.Security == nil {
				// No @Security annotation: the operation takes no credentials;
				// say so instead of inheriting the document's requirement.
				op.Security = openapi3.NewSecurityRequirements()
			}
			problemContent(op)
			delete(op.Extensions, "x-originalParamName")
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				delete(op.RequestBody.Value.Extensions, "x-originalParamName")
			}
		}
	}
	importBody(doc)
	names := make([]string, 0, len(doc.Components.Schemas))
	for name := range doc.Components.Schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		typedNullables(doc.Components.Schemas[name].Value)
	}
	return nil
}

// bearerDescription replaces the annotation's, which tells Swagger 2.0
// readers to type "Bearer " themselves; with the http scheme tools add it.
const bearerDescription = "The admin token, an API key or a session token, sent as `Authorization: Bearer <token>`. " +
	"In Swagger UI's Authorize dialog enter the token alone."

// bearer turns swag's apiKey-in-Authorization scheme, the only way Swagger
// 2.0 can describe a bearer token, into the http bearer scheme it means.
func bearer(doc *openapi3.T) error {
	ref, ok := doc.Components.SecuritySchemes[bearerScheme]
	if !ok || ref.Value == nil {
		return fmt.Errorf("security scheme %s is missing from the annotations", bearerScheme)
	}
	ref.Value = openapi3.NewSecurityScheme().WithType("http").WithScheme("bearer").
		WithDescription(bearerDescription)
	return nil
}

// problemContent serves every response whose schema is the problem
// document as application/problem+json, which is what the server sends.
func problemContent(op *openapi3.Operation) {
	for _, resp := range op.Responses.Map() {
		if resp.Value == nil {
			continue
		}
		for mt, media := range resp.Value.Content {
			if mt != problemType && media.Schema != nil && media.Schema.Ref == problemSchema {
				delete(resp.Value.Content, mt)
				resp.Value.Content[problemType] = media
			}
		}
	}
}

// typedNullables gives "nullable + allOf[$ref]" properties the object type
// OpenAPI 3.0 wants beside nullable (swag writes no type for a reference).
func typedNullables(s *openapi3.Schema) {
	if s == nil {
		return
	}
	for _, p := range s.Properties {
		v := p.Value
		if p.Ref == "" && v != nil && v.Nullable && v.Type == nil && len(v.AllOf) > 0 {
			v.Type = &openapi3.Types{openapi3.TypeObject}
		}
	}
}
