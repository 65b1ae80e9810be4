package directory

import (
	"context"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/conversion"
	"github.com/portico/portico/internal/domain"
)

// ConversionPreview is what converting an account into an organization
// would lose under the current definitions and mappings, so that an admin
// sees it before a promotion does it. An account converted already
// (Account.OrganizationID set) would not change: promotions reuse its
// organization and copy nothing again, so it has no warnings.
type ConversionPreview struct {
	Account  domain.Account
	Warnings []domain.Warning // values that would be cut or dropped
	Missing  []string         // required organization fields left empty; they block the conversion
}

// PreviewConversion previews the conversion of one account.
func (s *Service) PreviewConversion(ctx context.Context, accountID uuid.UUID) (ConversionPreview, error) {
	a, err := s.db.GetAccount(ctx, accountID, false)
	if err != nil {
		return ConversionPreview{}, err
	}
	rules, err := s.conversionRules(ctx)
	if err != nil {
		return ConversionPreview{}, err
	}
	return preview(a, rules), nil
}

// PreviewConversions previews a page of accounts in id order and reports
// whether more follow.
func (s *Service) PreviewConversions(ctx context.Context, p domain.Page) ([]ConversionPreview, bool, error) {
	accounts, more, err := s.db.ListAccounts(ctx, domain.AccountFilter{}, pageOf(p))
	if err != nil {
		return nil, false, err
	}
	rules, err := s.conversionRules(ctx)
	if err != nil {
		return nil, false, err
	}
	out := make([]ConversionPreview, len(accounts))
	for i, a := range accounts {
		out[i] = preview(a, rules)
	}
	return out, more, nil
}

func preview(a domain.Account, rules conversion.Rules) ConversionPreview {
	if a.OrganizationID != nil {
		return ConversionPreview{Account: a}
	}
	res := conversion.Convert(a, rules)
	return ConversionPreview{Account: a, Warnings: res.Warnings, Missing: res.Missing}
}

// conversionRules are the definitions and mappings a conversion runs on,
// as promotion reads them. The kind of the organization does not matter
// to a preview.
func (s *Service) conversionRules(ctx context.Context) (conversion.Rules, error) {
	defs, err := s.db.FieldDefinitions(ctx, "")
	if err != nil {
		return conversion.Rules{}, err
	}
	mappings, err := s.db.FieldMappings(ctx)
	r := conversion.Rules{Mappings: mappings}
	for _, d := range defs {
		if d.Entity == domain.EntityAccount {
			r.AccountFields = append(r.AccountFields, d)
		} else {
			r.OrganizationFields = append(r.OrganizationFields, d)
		}
	}
	return r, err
}
