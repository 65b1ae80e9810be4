package httpapi

import (
	"github.com/portico/portico/internal/domain"
)

// Address is the static address part of accounts and organizations.
type Address struct {
	Street     string `json:"street" validate:"max=200"`
	City       string `json:"city" validate:"max=100"`
	State      string `json:"state" validate:"max=100"`
	PostalCode string `json:"postal_code" validate:"max=20"`
	Country    string `json:"country" validate:"max=100"`
	Phone      string `json:"phone" validate:"max=50"`
	Website    string `json:"website" validate:"max=200"`
}

// AddressInput is the address part of a create body: every member may be
// left out (it is Address without the members a response always carries).
type AddressInput struct {
	Street     string `json:"street,omitempty" validate:"max=200"`
	City       string `json:"city,omitempty" validate:"max=100"`
	State      string `json:"state,omitempty" validate:"max=100"`
	PostalCode string `json:"postal_code,omitempty" validate:"max=20"`
	Country    string `json:"country,omitempty" validate:"max=100"`
	Phone      string `json:"phone,omitempty" validate:"max=50"`
	Website    string `json:"website,omitempty" validate:"max=200"`
}

// AddressPatch changes the address fields that are present.
type AddressPatch struct {
	Street     *string `json:"street,omitempty" validate:"omitnil,max=200"`
	City       *string `json:"city,omitempty" validate:"omitnil,max=100"`
	State      *string `json:"state,omitempty" validate:"omitnil,max=100"`
	PostalCode *string `json:"postal_code,omitempty" validate:"omitnil,max=20"`
	Country    *string `json:"country,omitempty" validate:"omitnil,max=100"`
	Phone      *string `json:"phone,omitempty" validate:"omitnil,max=50"`
	Website    *string `json:"website,omitempty" validate:"omitnil,max=200"`
}

func addressOut(a domain.Address) Address {
	return Address{Street: a.Street, City: a.City, State: a.State, PostalCode: a.PostalCode,
		Country: a.Country, Phone: a.Phone, Website: a.Website}
}

func (a AddressInput) toDomain() domain.Address {
	return domain.Address{Street: a.Street, City: a.City, State: a.State, PostalCode: a.PostalCode,
		Country: a.Country, Phone: a.Phone, Website: a.Website}
}

func (a AddressPatch) toDomain() domain.AddressPatch {
	return domain.AddressPatch{Street: a.Street, City: a.City, State: a.State, PostalCode: a.PostalCode,
		Country: a.Country, Phone: a.Phone, Website: a.Website}
}
