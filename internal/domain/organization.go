package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/net/idna"
)

// OrgKind is what an organization is to the vendor.
type OrgKind string

// The organization kinds.
const (
	OrgPartner     OrgKind = "partner"
	OrgDistributor OrgKind = "distributor"
	OrgCustomer    OrgKind = "customer"
)

// OrgStatus is where an organization is in its lifecycle; only contacts of
// active organizations can be promoted.
type OrgStatus string

// The organization statuses.
const (
	OrgProspective OrgStatus = "prospective"
	OrgActive      OrgStatus = "active"
	OrgInactive    OrgStatus = "inactive"
)

// Address holds the static fields that accounts and organizations share and
// that conversion copies without configuration.
type Address struct {
	Street, City, State, PostalCode, Country, Phone, Website string
}

// AddressPatch changes the address fields that are not nil.
type AddressPatch struct {
	Street, City, State, PostalCode, Country, Phone, Website *string
}

// Apply sets every field of p that is not nil.
func (p AddressPatch) Apply(a *Address) {
	set(&a.Street, p.Street)
	set(&a.City, p.City)
	set(&a.State, p.State)
	set(&a.PostalCode, p.PostalCode)
	set(&a.Country, p.Country)
	set(&a.Phone, p.Phone)
	set(&a.Website, p.Website)
}

// Organization is a portal-side company: partner, distributor or customer.
type Organization struct {
	ID           uuid.UUID
	Name         string
	Kind         OrgKind
	Status       OrgStatus
	PartnerType  string
	Region       string
	Address      Address
	CustomFields map[string]any
	EmailDomains []string // normalized, sorted
	AccountID    *uuid.UUID
	ExternalID   string // the CRM's id; "" for none
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// OrganizationPatch changes the fields that are not nil. CustomFields is
// merged key by key; a nil value removes the key.
type OrganizationPatch struct {
	Name         *string
	Kind         *OrgKind
	Status       *OrgStatus
	PartnerType  *string
	Region       *string
	Address      AddressPatch
	EmailDomains *[]string
	CustomFields map[string]any
	ExternalID   *string // "" clears it
}

// Apply sets the plain fields of p on o; custom fields and domains are
// validated and applied by the caller.
func (p OrganizationPatch) Apply(o *Organization) {
	set(&o.Name, p.Name)
	set(&o.Kind, p.Kind)
	set(&o.Status, p.Status)
	set(&o.PartnerType, p.PartnerType)
	set(&o.Region, p.Region)
	p.Address.Apply(&o.Address)
	set(&o.ExternalID, p.ExternalID)
}

// OrganizationFilter selects organizations in a list; empty fields match all.
type OrganizationFilter struct {
	ID          *uuid.UUID // one organization only (a primary contact's view)
	Kind        OrgKind
	Status      OrgStatus
	PartnerType string
	Region      string
	Query       string // case-insensitive substring of the name
	ExternalID  string // exact match
}

// NormalizeDomains trims, lower-cases and IDNA-encodes domains, drops
// duplicates, sorts them (as Organization.EmailDomains is), and reports
// each invalid one as a field error of field.
func NormalizeDomains(field string, in []string) ([]string, []FieldError) {
	seen := map[string]bool{}
	out := make([]string, 0, len(in))
	var errs []FieldError
	for i, raw := range in {
		d, err := NormalizeDomain(raw)
		if err != nil {
			errs = append(errs, FieldError{Field: fmt.Sprintf("%s[%d]", field, i), Code: "domain", Message: err.Error()})
			continue
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out, errs
}

// domainProfile is IDNA's lookup profile that also refuses empty labels
// ("a..b.example") and labels over 63 bytes, which idna.Lookup lets through.
var domainProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.VerifyDNSLength(true))

// NormalizeDomain returns the canonical ASCII form of an email domain:
// "  Bücher.Example " → "xn--bcher-kva.example".
func NormalizeDomain(raw string) (string, error) {
	s := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(raw)), "@")
	ascii, err := domainProfile.ToASCII(s)
	// The root dot goes after mapping, which turns "。" into ".".
	ascii = strings.TrimSuffix(ascii, ".")
	if err != nil || !strings.Contains(ascii, ".") || strings.HasSuffix(ascii, ".") || len(ascii) > 253 {
		return "", fmt.Errorf("%q is not a domain name such as example.com", raw)
	}
	return ascii, nil
}

// EmailDomain returns the normalized domain of an email address.
func EmailDomain(email string) (string, error) {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return "", fmt.Errorf("%q has no domain", email)
	}
	return NormalizeDomain(email[at+1:])
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// IgnoredDomain is an email domain that never identifies an organization
// (e.g. gmail.com).
type IgnoredDomain struct {
	Domain    string
	CreatedAt time.Time
}
