// Package e2e is Portico's black-box suite: it serves the real router on
// PostgreSQL and drives it only through the generated Go client
// (pkg/client), checking every exchange against the published OpenAPI
// document (api/openapi.yaml). It holds tests only.
package e2e
