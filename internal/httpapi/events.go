package httpapi

import (
	"fmt"

	"github.com/portico/portico/internal/domain"
)

// EventData is the data of a webhook event: the resource a change touched
// as this API shows it. The webhook package encodes every event through it.
func EventData(v any) (any, error) {
	switch r := v.(type) {
	case domain.User:
		return userOut(r), nil
	case domain.Contact:
		return contactOut(r), nil
	case domain.Organization:
		return organizationOut(r), nil
	case domain.Invitation:
		return invitationOut(r), nil
	case domain.PromotionJob:
		return jobOut(r), nil
	case domain.ImportJob:
		return importJobOut(r), nil
	}
	return nil, fmt.Errorf("webhook event data: no API shape for %T", v)
}
