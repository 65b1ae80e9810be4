package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/oasdiff/yaml"
	echoSwagger "github.com/swaggo/echo-swagger"

	"github.com/portico/portico/api"
)

// swaggerUIIndex is where / and /swagger send browsers.
const swaggerUIIndex = "/swagger/index.html"

// apiDocs serves the published OpenAPI 3 document (api/openapi.yaml) as
// YAML and JSON, and Swagger UI reading it, so that its Authorize dialog
// knows the http bearer scheme and takes the bare token. swag's Swagger
// 2.0 document stays at /swagger/doc.json for the clients that read it.
func apiDocs(e *echo.Echo, publicURL string) {
	yamlDoc, jsonDoc, err := servedOpenAPI(publicURL)
	if err != nil {
		panic("the embedded api/openapi.yaml: " + err.Error()) // generated and validated by make docs
	}
	getHead := []string{http.MethodGet, http.MethodHead}
	e.Match(getHead, "/openapi.yaml", document("application/yaml", yamlDoc))
	e.Match(getHead, "/openapi.json", document(echo.MIMEApplicationJSON, jsonDoc))
	// 302, not 308: the front page may become something else one day, and
	// browsers keep permanent redirects for good.
	toUI := func(c echo.Context) error { return c.Redirect(http.StatusFound, swaggerUIIndex) }
	e.Match(getHead, "/", toUI)
	e.Match(getHead, "/swagger", toUI)
	// only the OpenAPI 3 document (echo-swagger's defaults are swag's)
	e.GET("/swagger/*", echoSwagger.EchoWrapHandler(func(c *echoSwagger.Config) { c.URLs = []string{"/openapi.json"} }))
}

func document(contentType string, body []byte) echo.HandlerFunc {
	return func(c echo.Context) error { return c.Blob(http.StatusOK, contentType, body) }
}

// servedOpenAPI is api/openapi.yaml with one change: its servers are this
// Portico's public URL, where Swagger UI's "Try it out" must send requests
// (the file names the default local address).
func servedOpenAPI(publicURL string) (yamlDoc, jsonDoc []byte, err error) {
	raw, err := yaml.YAMLToJSON(api.OpenAPIYAML)
	if err != nil {
		return nil, nil, err
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // numbers in examples and limits stay as written
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, err
	}
	if doc["openapi"] == nil {
		return nil, nil, fmt.Errorf("not an OpenAPI document")
	}
	doc["servers"] = []map[string]string{{"url": publicURL, "description": "this Portico (PORTICO_PUBLIC_URL)"}}
	if jsonDoc, err = json.Marshal(doc); err != nil {
		return nil, nil, err
	}
	yamlDoc, err = yaml.JSONToYAML(jsonDoc)
	return yamlDoc, jsonDoc, err
}
