// Package api holds the published OpenAPI 3 document, api/openapi.yaml,
// embedded so that the binary serves the very file SDKs are generated from.
package api

import _ "embed"

// OpenAPIYAML is api/openapi.yaml as `make docs` generated it.
//
//go:embed openapi.yaml
var OpenAPIYAML []byte
