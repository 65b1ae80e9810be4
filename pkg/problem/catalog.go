package problem

import (
	"slices"
	"strings"
)

// TypePath is where Portico serves the page of a problem type: the type of
// a problem is the public URL, TypePath and the code.
const TypePath = "/problems/"

// TypeURL is the type URI of code for a server whose public URL is base
// (e.g. "https://portico.example.com"). Without a base it is the relative
// reference "/problems/{code}".
func TypeURL(base, code string) string {
	return strings.TrimRight(base, "/") + TypePath + code
}

// Entry describes one problem code: when Portico answers it and how to
// get past it. Every code Portico answers has exactly one entry.
type Entry struct {
	Code   string // machine readable, stable across releases
	Status int    // the HTTP status every answer with this code has
	Title  string // short summary; the problem document's title
	Topic  string // the part of Portico it belongs to, for grouping in docs
	// When says what causes it, in general terms; the detail of an answer
	// says what caused this occurrence.
	When string
	// Resolution says how to fix it; an answer's own resolution, when it
	// has one, is more specific (it names the records involved).
	Resolution string
}

// The topics of the catalog, in the order the docs show them.
const (
	TopicRequest    = "Requests"
	TopicAccess     = "Credentials and rights"
	TopicPromotion  = "Promotion checks"
	TopicBulk       = "Bulk promotion and jobs"
	TopicLinks      = "Links, passwords and sessions"
	TopicInvitation = "Invitations and email templates"
	TopicRecords    = "Records"
	TopicImports    = "Imports"
	TopicMappings   = "Custom fields and mappings"
	TopicWebhooks   = "Webhooks"
	TopicDependency = "Service"
)

// Topics lists the topics in the order the docs show them.
var Topics = []string{TopicRequest, TopicAccess, TopicPromotion, TopicBulk,
	TopicLinks, TopicInvitation, TopicRecords, TopicImports, TopicMappings, TopicWebhooks, TopicDependency}

// catalog is every entry, in topic order; within the promotion topic in the
// order the checks run.
var catalog = slices.Concat(requestCodes, accessCodes, promotionCodes, bulkCodes,
	linkCodes, invitationCodes, recordCodes, importCodes, mappingCodes, webhookCodes, serviceCodes)

var byCode = func() map[string]Entry {
	m := make(map[string]Entry, len(catalog))
	for _, e := range catalog {
		if _, dup := m[e.Code]; dup {
			panic("problem catalog: duplicate code " + e.Code)
		}
		m[e.Code] = e
	}
	return m
}()

// Catalog returns every entry in topic order (a copy).
func Catalog() []Entry { return slices.Clone(catalog) }

// Lookup returns the entry of code.
func Lookup(code string) (Entry, bool) {
	e, ok := byCode[code]
	return e, ok
}
