package httpapi

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/pkg/problem"
)

//go:embed pages/problem.html
var problemHTML string

//go:embed pages/problem.css
var problemCSS string

var problemTemplates = template.Must(template.New("problem").Funcs(template.FuncMap{
	"css":        func() template.CSS { return template.CSS(problemCSS) }, // our own file, not input
	"statusText": http.StatusText,
}).Parse(problemHTML))

// problemPageCSP allows nothing but the page's own inline style, by hash.
var problemPageCSP = func() string {
	sum := sha256.Sum256([]byte(problemCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}()

// ProblemType is one entry of the problem catalog: a code Portico answers,
// when it happens and how to fix it.
type ProblemType struct {
	// Type is the problem's type URL, this page's address.
	Type       string `json:"type" example:"http://localhost:8080/problems/email_taken"`
	Code       string `json:"code" example:"email_taken"`
	Status     int    `json:"status" example:"409"`
	Title      string `json:"title" example:"Email belongs to a user"`
	Topic      string `json:"topic" example:"Promotion checks"`
	When       string `json:"when" example:"A user already has the contact's email (emails compare case-insensitively)."`
	Resolution string `json:"resolution" example:"Find the user with this email and delete the contact."`
}

// FieldCodeInfo is a code an entry of a problem's errors can have.
type FieldCodeInfo struct {
	Code    string `json:"code" example:"required"`
	Meaning string `json:"meaning" example:"The field is missing or empty and must be given."`
}

// ProblemTypeList is the whole catalog: every problem code, in topic order,
// and every field error code.
type ProblemTypeList struct {
	Data       []ProblemType   `json:"data"`
	FieldCodes []FieldCodeInfo `json:"field_codes"`
}

// problemPages serves the catalog at /problems and each problem type at
// the URL that is its type.
func problemPages(e *echo.Echo, publicURL string) {
	e.GET("/problems", listProblemTypes(publicURL))
	e.GET("/problems/:code", getProblemType(publicURL))
}

// listProblemTypes godoc
//
//	@Summary		List the problem types
//	@Description	Every problem code Portico answers, with its HTTP status, when it happens and how to fix it, plus the codes of invalid fields. Browsers (Accept: text/html) get the same as an HTML page.
//	@ID				listProblemTypes
//	@Tags			problems
//	@Produce		json
//	@Success		200	{object}	ProblemTypeList
//	@Router			/problems [get]
func listProblemTypes(publicURL string) echo.HandlerFunc {
	list := ProblemTypeList{}
	type topic struct {
		Name    string
		Entries []problem.Entry
	}
	var topics []topic
	for _, name := range problem.Topics {
		t := topic{Name: name}
		for _, entry := range problem.Catalog() {
			if entry.Topic == name {
				t.Entries = append(t.Entries, entry)
				list.Data = append(list.Data, problemTypeOf(entry, publicURL))
			}
		}
		topics = append(topics, t)
	}
	for _, f := range problem.FieldCodes() {
		list.FieldCodes = append(list.FieldCodes, FieldCodeInfo{Code: f.Code, Meaning: f.Meaning})
	}
	page := renderPage("problems", map[string]any{"Topics": topics})
	return func(c echo.Context) error {
		return answerPage(c, page, list)
	}
}

// getProblemType godoc
//
//	@Summary		Show a problem type
//	@Description	What a problem code means: its HTTP status, when it happens and how to fix it. This is the page every problem's type links to; browsers (Accept: text/html) get it as an HTML page.
//	@ID				getProblemType
//	@Tags			problems
//	@Produce		json
//	@Param			code	path		string	true	"problem code, e.g. email_taken"
//	@Success		200		{object}	ProblemType
//	@Failure		404		{object}	problem.Problem	"no such problem code (not_found)"
//	@Router			/problems/{code} [get]
func getProblemType(publicURL string) echo.HandlerFunc {
	pages := map[string][]byte{}
	for _, entry := range problem.Catalog() {
		data := map[string]any{"Entry": entry}
		if entry.Code == "validation_failed" {
			data["FieldCodes"] = problem.FieldCodes()
		}
		pages[entry.Code] = renderPage("problem", data)
	}
	return func(c echo.Context) error {
		code := c.Param("code")
		entry, ok := problem.Lookup(code)
		if !ok {
			return domain.NotFound("problem type", code)
		}
		return answerPage(c, pages[code], problemTypeOf(entry, publicURL))
	}
}

func problemTypeOf(e problem.Entry, publicURL string) ProblemType {
	return ProblemType{Type: problem.TypeURL(publicURL, e.Code), Code: e.Code, Status: e.Status,
		Title: e.Title, Topic: e.Topic, When: e.When, Resolution: e.Resolution}
}

// renderPage runs a template over fixed data once, at start.
func renderPage(name string, data any) []byte {
	var buf bytes.Buffer
	if err := problemTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		panic(err) // the templates and the catalog are fixed at build time
	}
	return buf.Bytes()
}

// answerPage answers JSON to clients that prefer it, the HTML page to
// everyone else (browsers, and requests without Accept).
func answerPage(c echo.Context, page []byte, body any) error {
	h := c.Response().Header()
	h.Add(echo.HeaderVary, echo.HeaderAccept)
	h.Set("Cache-Control", "public, max-age=300")
	if prefersJSON(c.Request().Header.Get(echo.HeaderAccept)) {
		return c.JSON(http.StatusOK, body)
	}
	h.Set("Content-Security-Policy", problemPageCSP)
	return c.HTMLBlob(http.StatusOK, page)
}
