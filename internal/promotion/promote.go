package promotion

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/conversion"
	"github.com/portico/portico/internal/domain"
)

// Request asks to promote one contact.
type Request struct {
	ContactID          uuid.UUID
	GroupIDs           []uuid.UUID
	Role               domain.Role // "": the role kept from an earlier demotion, else member
	Email              string      // only for a contact without one
	ConfirmSmartGroups bool
	DryRun             bool
	Actor              string
	// Restricted is set for callers who are not admins (primary contacts):
	// the promotion may not end with the admin role, even one kept from an
	// earlier demotion.
	Restricted bool
	// Invitation shapes the invitation email: its link's lifetime and a
	// welcome note.
	Invitation domain.InvitationOptions
}

// Outcome is what a promotion did, or would do on a dry run.
type Outcome struct {
	User                domain.User
	Organization        domain.Organization
	OrganizationCreated bool
	Warnings            []domain.Warning
}

// facts is what the checks read: the store for one promotion, or a
// snapshot loaded set-based for a batch of them.
type facts interface {
	GetPerson(ctx context.Context, id uuid.UUID, lock bool) (domain.User, bool, error)
	GetUser(ctx context.Context, id uuid.UUID, lock bool) (domain.User, error)
	GetOrganization(ctx context.Context, id uuid.UUID, lock bool) (domain.Organization, error)
	GetAccount(ctx context.Context, id uuid.UUID, lock bool) (domain.Account, error)
	OrganizationOfAccount(ctx context.Context, accountID uuid.UUID) (*domain.Organization, error)
	EmailHolders(ctx context.Context, email, dom string) (user, org *uuid.UUID, err error)
	ContactWithEmail(ctx context.Context, email string, except uuid.UUID) (*uuid.UUID, error)
	SmartGroups(ctx context.Context) ([]domain.Group, error)
	MissingGroups(ctx context.Context, ids []uuid.UUID) ([]uuid.UUID, error)
	FieldDefinitions(ctx context.Context, entity domain.FieldEntity) ([]domain.FieldDefinition, error)
	FieldMappings(ctx context.Context) ([]domain.FieldMapping, error)
}

// plan is a checked promotion, ready to apply.
type plan struct {
	req      Request
	person   domain.User // the contact, with kept groups
	org      domain.Organization
	create   bool // org is to be created from the contact's account
	email    string
	manual   []uuid.UUID
	smart    []uuid.UUID
	warnings []domain.Warning
}

// Promote checks every rule and, unless it is a dry run, turns the contact
// into a pending user in one transaction: organization (from the account if
// needed), memberships, activation token, invitation email and audit event.
func (s *Service) Promote(ctx context.Context, req Request) (Outcome, error) {
	if req.DryRun {
		p, err := s.check(ctx, s.db, req, false)
		if err != nil {
			return Outcome{}, err
		}
		return p.outcome(s), nil
	}
	nested := ctx.Value(admittedKey{}) != nil // inside a bulk fallback's transaction
	if !nested {
		if err := s.admission.enter(ctx, "single"); err != nil {
			return Outcome{}, err
		}
		defer s.admission.leave()
	}
	var out Outcome
	err := s.db.WithinTx(ctx, func(ctx context.Context) error {
		p, err := s.check(ctx, s.db, req, true)
		if err != nil {
			return err
		}
		out, err = s.apply(ctx, p)
		return err
	})
	if de, ok := domain.AsError(err); ok && de.Code == "group_not_found" && !nested {
		// the foreign key refused a group; name every missing one (a
		// nested call cannot: its caller's transaction is aborted)
		absent, merr := s.db.MissingGroups(context.WithoutCancel(ctx), req.GroupIDs)
		if merr != nil {
			return out, merr
		}
		return out, domain.ErrGroupNotFound(absent)
	}
	return out, err
}

// admittedKey marks a context that already holds a promotion slot.
type admittedKey struct{}

// check runs the checks of docs/promotion.md in their order; lock holds the contact
// row so that concurrent promotions of one contact queue behind each other.
func (s *Service) check(ctx context.Context, f facts, req Request, lock bool) (*plan, error) {
	person, isUser, err := f.GetPerson(ctx, req.ContactID, lock)
	if err != nil {
		return nil, err
	}
	if isUser {
		return nil, domain.ErrAlreadyUser(person.ID, person.Status)
	}
	p := &plan{req: req, person: person}
	missing, err := s.target(ctx, f, p)
	if err != nil {
		return nil, err
	}
	if err := s.checkEmail(ctx, f, p); err != nil {
		return nil, err
	}
	if err := s.checkGroups(ctx, f, p); err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, domain.ErrRequiredFieldMissing(missing)
	}
	if req.Restricted && p.role() == domain.RoleAdmin {
		return nil, &domain.Error{Kind: domain.KindForbidden, Code: "role_not_allowed",
			Detail:     "this promotion would restore the admin role kept from an earlier demotion; only administrators can grant it",
			Resolution: `send "role": "member" or "creator", or ask an administrator`}
	}
	if lock {
		// a promotion that writes lets the memberships' foreign key find
		// missing groups, one round trip less; Promote names them
		return p, nil
	}
	if absent, err := f.MissingGroups(ctx, req.GroupIDs); err != nil || len(absent) > 0 {
		if err != nil {
			return nil, err
		}
		return nil, domain.ErrGroupNotFound(absent)
	}
	return p, nil
}

// target finds the organization the user will belong to: the contact's
// (which must be active), the one created earlier from its account, or a
// new one converted from the account. It returns the required organization
// fields a conversion would leave empty.
func (s *Service) target(ctx context.Context, f facts, p *plan) (missing []string, err error) {
	c := p.person
	switch {
	case c.OrganizationID != nil:
		p.org, err = f.GetOrganization(ctx, *c.OrganizationID, false)
	case c.AccountID != nil:
		var existing *domain.Organization
		if existing, err = f.OrganizationOfAccount(ctx, *c.AccountID); err != nil {
			return nil, err
		}
		if existing != nil {
			p.org = *existing
			break
		}
		return s.convert(ctx, f, p, *c.AccountID)
	default:
		return nil, domain.ErrNoOrganization(c.ID)
	}
	if err != nil {
		return nil, err
	}
	if p.org.Status != domain.OrgActive {
		return nil, domain.ErrOrganizationNotActive(p.org)
	}
	return nil, nil
}

// convert plans the organization for an account.
func (s *Service) convert(ctx context.Context, f facts, p *plan, accountID uuid.UUID) ([]string, error) {
	account, err := f.GetAccount(ctx, accountID, false)
	if err != nil {
		return nil, err
	}
	rules, err := s.conversionRules(ctx, f)
	if err != nil {
		return nil, err
	}
	res := conversion.Convert(account, rules)
	p.org, p.create, p.warnings = res.Organization, true, res.Warnings
	return res.Missing, nil
}

func (s *Service) conversionRules(ctx context.Context, f facts) (conversion.Rules, error) {
	accDefs, err := f.FieldDefinitions(ctx, domain.EntityAccount)
	if err != nil {
		return conversion.Rules{}, err
	}
	orgDefs, err := f.FieldDefinitions(ctx, domain.EntityOrganization)
	if err != nil {
		return conversion.Rules{}, err
	}
	mappings, err := f.FieldMappings(ctx)
	return conversion.Rules{AccountFields: accDefs, OrganizationFields: orgDefs, Mappings: mappings, Kind: s.cfg.ConvertedKind}, err
}

// checkEmail settles the user's email: email_missing, email_taken,
// email_in_use and email_domain_conflict, in that order.
func (s *Service) checkEmail(ctx context.Context, f facts, p *plan) error {
	p.email = p.person.Email
	if p.req.Email != "" {
		if p.person.Email != "" {
			return domain.ErrEmailNotAllowed(p.person.Email)
		}
		email, err := domain.NormalizeEmail(p.req.Email)
		if err != nil {
			return err
		}
		p.email = email
	}
	if p.email == "" {
		return domain.ErrEmailMissing(p.person.ID)
	}
	dom, err := domain.EmailDomain(p.email)
	if err != nil {
		return domain.Invalid("validation_failed", err.Error())
	}
	userID, ownerID, err := f.EmailHolders(ctx, p.email, dom)
	if err != nil {
		return err
	}
	if userID != nil {
		owner, err := f.GetUser(ctx, *userID, false)
		if err != nil {
			return err
		}
		return domain.ErrEmailTaken(p.email, &owner)
	}
	if p.req.Email != "" {
		other, err := f.ContactWithEmail(ctx, p.email, p.person.ID)
		if err != nil {
			return err
		}
		if other != nil {
			return domain.ErrEmailInUse(p.email, *other)
		}
	}
	if ownerID == nil || (!p.create && *ownerID == p.org.ID) {
		return nil
	}
	holderOrg, err := f.GetOrganization(ctx, *ownerID, false)
	if err != nil {
		return err
	}
	return domain.ErrEmailDomainConflict(dom, holderOrg)
}

// checkGroups settles memberships: the groups given plus those kept from
// an earlier demotion, and every smart group the organization matches.
func (s *Service) checkGroups(ctx context.Context, f facts, p *plan) error {
	smart, err := s.matchingSmartGroups(ctx, f, p.org)
	if err != nil {
		return err
	}
	p.manual = union(p.person.GroupIDs, p.req.GroupIDs)
	for _, g := range smart {
		p.smart = append(p.smart, g.ID)
	}
	switch {
	case len(p.manual) > 0:
		return nil
	case len(smart) == 0:
		return domain.ErrGroupRequired()
	case !p.req.ConfirmSmartGroups:
		return domain.ErrConfirmationRequired(smart)
	}
	return nil
}

func (s *Service) matchingSmartGroups(ctx context.Context, f facts, o domain.Organization) ([]domain.Group, error) {
	all, err := f.SmartGroups(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(g domain.Group) bool { return !g.SmartRule.Matches(o) }), nil
}

// union returns the distinct ids of a and b, sorted.
func union(a, b []uuid.UUID) []uuid.UUID {
	out := slices.Concat(a, b)
	slices.SortFunc(out, func(x, y uuid.UUID) int { return slices.Compare(x[:], y[:]) })
	return slices.Compact(out)
}
