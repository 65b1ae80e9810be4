// Package problem is the RFC 9457 problem document Portico answers every
// error with, and the catalog of every problem code: its status, title,
// when it happens and how to fix it. It is public so that Go clients can
// decode error bodies and look codes up.
package problem

import (
	"encoding/json"
	"maps"
)

// ContentType is the media type of a problem document.
const ContentType = "application/problem+json"

// Problem is an RFC 9457 problem document with Portico's extension members.
type Problem struct {
	// Type identifies the kind of problem: the URL of its page,
	// {PORTICO_PUBLIC_URL}/problems/{code}, which says when it happens and
	// how to fix it (JSON with Accept: application/json).
	Type string `json:"type" example:"http://localhost:8080/problems/validation_failed"`
	// Title is a short summary of the kind of problem; it does not change
	// between occurrences.
	Title string `json:"title" example:"Invalid fields"`
	// Status is the HTTP status code.
	Status int `json:"status" example:"422"`
	// Detail explains this occurrence.
	Detail string `json:"detail,omitempty" example:"the request body has invalid fields"`
	// Code is the machine-readable cause, stable across releases.
	Code string `json:"code" example:"validation_failed"`
	// Instance is the request path that failed.
	Instance string `json:"instance,omitempty" example:"/api/v1/organizations"`
	// RequestID matches the X-Request-Id response header and the server log.
	RequestID string `json:"request_id,omitempty" example:"3f1c0a52b5d94f4e"`
	// Resolution says how to fix the cause, where Portico knows.
	Resolution string `json:"resolution,omitempty"`
	// Errors lists invalid fields of the request.
	Errors []FieldError `json:"errors,omitempty"`
	// Extensions carries problem-specific members (e.g. the matching smart
	// groups of confirmation_required). They are flattened into the body.
	Extensions map[string]any `json:"-"`
}

// FieldError is one invalid field of a request.
type FieldError struct {
	// Field is the JSON path of the field, e.g. "email" or "custom_fields.tier".
	Field string `json:"field" example:"email"`
	// Code is machine readable, e.g. "required", "max_length", "invalid".
	Code string `json:"code" example:"required"`
	// Message is for people.
	Message string `json:"message" example:"email is required"`
}

// MarshalJSON writes the standard members and flattens Extensions beside
// them; an extension never overrides a standard member.
func (p Problem) MarshalJSON() ([]byte, error) {
	type plain Problem
	base, err := json.Marshal(plain(p))
	if err != nil || len(p.Extensions) == 0 {
		return base, err
	}
	merged := make(map[string]json.RawMessage, len(p.Extensions)+8)
	for k, v := range p.Extensions {
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		merged[k] = raw
	}
	var std map[string]json.RawMessage
	if err := json.Unmarshal(base, &std); err != nil {
		return nil, err
	}
	maps.Copy(merged, std)
	return json.Marshal(merged)
}
