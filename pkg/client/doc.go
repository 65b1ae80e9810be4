// Package client is the Go SDK of Portico's HTTP API, generated from the
// published OpenAPI document (api/openapi.yaml) by oapi-codegen; regenerate
// it with `make client` (or `go generate ./pkg/client`), never by hand.
//
//	c, err := client.NewClientWithResponses("http://localhost:8080",
//		client.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
//			r.Header.Set("Authorization", "Bearer "+token)
//			return nil
//		}))
//
// Every error answer is decoded into a Problem (the ApplicationProblemJSON*
// fields of a response).
package client

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../api/openapi.yaml
