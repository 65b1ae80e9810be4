package promotion

import (
	"context"

	"github.com/google/uuid"

	"github.com/portico/portico/internal/domain"
)

// BatchStore is the set-based access bulk promotion needs.
type BatchStore interface {
	PeopleByIDs(ctx context.Context, ids []uuid.UUID, lock bool) (map[uuid.UUID]domain.User, map[uuid.UUID]bool, error)
	OrganizationsByIDs(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]domain.Organization, error)
	OrganizationsOfAccounts(ctx context.Context, accountIDs []uuid.UUID) (map[uuid.UUID]uuid.UUID, error)
	AccountsByIDs(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]domain.Account, error)
	UsersByEmails(ctx context.Context, keys []string) (map[string]uuid.UUID, error)
	DomainOwners(ctx context.Context, domains []string) (map[string]uuid.UUID, error)
	ApplyPromotions(ctx context.Context, b domain.PromotionBatch) (map[uuid.UUID]uuid.UUID, error)
}

// snapshot answers the checks of a batch from maps loaded in a handful of
// statements, and remembers what earlier contacts of the batch claim (an
// email, an account's new organization) so that later ones see it: the
// first of two contacts with one email wins.
type snapshot struct {
	facts    // the store, for what was not preloaded
	people   map[uuid.UUID]domain.User
	isUser   map[uuid.UUID]bool
	orgs     map[uuid.UUID]domain.Organization
	accounts map[uuid.UUID]domain.Account
	orgOf    map[uuid.UUID]uuid.UUID // account → organization
	users    map[string]uuid.UUID    // email key → user id
	owners   map[string]uuid.UUID    // domain → organization id
	claimed  map[uuid.UUID]domain.User
	shared   *jobFacts
}

// jobFacts are read once per job and shared by its batches.
type jobFacts struct {
	smart    []domain.Group
	missing  map[uuid.UUID]bool
	accDefs  []domain.FieldDefinition
	orgDefs  []domain.FieldDefinition
	mappings []domain.FieldMapping
}

func (s *Service) loadJobFacts(ctx context.Context, groupIDs []uuid.UUID) (*jobFacts, error) {
	j := &jobFacts{missing: map[uuid.UUID]bool{}}
	var err error
	if j.smart, err = s.db.SmartGroups(ctx); err != nil {
		return nil, err
	}
	absent, err := s.db.MissingGroups(ctx, groupIDs)
	for _, id := range absent {
		j.missing[id] = true
	}
	if err != nil {
		return nil, err
	}
	if j.accDefs, err = s.db.FieldDefinitions(ctx, domain.EntityAccount); err != nil {
		return nil, err
	}
	if j.orgDefs, err = s.db.FieldDefinitions(ctx, domain.EntityOrganization); err != nil {
		return nil, err
	}
	j.mappings, err = s.db.FieldMappings(ctx)
	return j, err
}

// loadSnapshot reads everything the checks of ids need.
func (s *Service) loadSnapshot(ctx context.Context, ids []uuid.UUID, lock bool, shared *jobFacts) (*snapshot, error) {
	snap := &snapshot{facts: s.db, shared: shared, claimed: map[uuid.UUID]domain.User{}}
	var err error
	if snap.people, snap.isUser, err = s.db.PeopleByIDs(ctx, ids, lock); err != nil {
		return nil, err
	}
	var orgIDs, accountIDs []uuid.UUID
	var keys, domains []string
	for _, p := range snap.people {
		switch {
		case p.OrganizationID != nil:
			orgIDs = append(orgIDs, *p.OrganizationID)
		case p.AccountID != nil:
			accountIDs = append(accountIDs, *p.AccountID)
		}
		if p.Email != "" {
			keys = append(keys, domain.EmailKey(p.Email))
			if dom, err := domain.EmailDomain(p.Email); err == nil {
				domains = append(domains, dom)
			}
		}
	}
	if snap.orgOf, err = s.db.OrganizationsOfAccounts(ctx, accountIDs); err != nil {
		return nil, err
	}
	for _, o := range snap.orgOf {
		orgIDs = append(orgIDs, o)
	}
	if snap.orgs, err = s.db.OrganizationsByIDs(ctx, orgIDs); err != nil {
		return nil, err
	}
	if snap.accounts, err = s.db.AccountsByIDs(ctx, accountIDs); err != nil {
		return nil, err
	}
	if snap.users, err = s.db.UsersByEmails(ctx, keys); err != nil {
		return nil, err
	}
	snap.owners, err = s.db.DomainOwners(ctx, domains)
	return snap, err
}

// claim records a planned promotion for the contacts after it.
func (f *snapshot) claim(p *plan) {
	u := p.person
	u.Email, u.Status = p.email, domain.UserPending
	f.claimed[u.ID] = u
	f.users[domain.EmailKey(p.email)] = u.ID
	if p.create {
		f.orgOf[*p.person.AccountID] = p.org.ID
		f.orgs[p.org.ID] = p.org
	}
}

func (f *snapshot) GetPerson(ctx context.Context, id uuid.UUID, lock bool) (domain.User, bool, error) {
	if p, ok := f.people[id]; ok {
		return p, f.isUser[id], nil
	}
	return domain.User{}, false, domain.NotFound("contact", id.String())
}

func (f *snapshot) GetUser(ctx context.Context, id uuid.UUID, lock bool) (domain.User, error) {
	if u, ok := f.claimed[id]; ok {
		return u, nil
	}
	return f.facts.GetUser(ctx, id, lock)
}

func (f *snapshot) GetOrganization(ctx context.Context, id uuid.UUID, lock bool) (domain.Organization, error) {
	if o, ok := f.orgs[id]; ok {
		return o, nil
	}
	return f.facts.GetOrganization(ctx, id, lock)
}

func (f *snapshot) GetAccount(ctx context.Context, id uuid.UUID, lock bool) (domain.Account, error) {
	if a, ok := f.accounts[id]; ok {
		return a, nil
	}
	return f.facts.GetAccount(ctx, id, lock)
}

func (f *snapshot) OrganizationOfAccount(ctx context.Context, accountID uuid.UUID) (*domain.Organization, error) {
	id, ok := f.orgOf[accountID]
	if !ok {
		return nil, nil
	}
	o, err := f.GetOrganization(ctx, id, false)
	return &o, err
}

func (f *snapshot) EmailHolders(ctx context.Context, email, dom string) (*uuid.UUID, *uuid.UUID, error) {
	var user, org *uuid.UUID
	if id, ok := f.users[domain.EmailKey(email)]; ok {
		user = &id
	}
	if id, ok := f.owners[dom]; ok {
		org = &id
	}
	return user, org, nil
}

func (f *snapshot) SmartGroups(context.Context) ([]domain.Group, error) {
	return append([]domain.Group(nil), f.shared.smart...), nil
}

func (f *snapshot) MissingGroups(_ context.Context, ids []uuid.UUID) ([]uuid.UUID, error) {
	var out []uuid.UUID
	for _, id := range ids {
		if f.shared.missing[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

func (f *snapshot) FieldDefinitions(_ context.Context, entity domain.FieldEntity) ([]domain.FieldDefinition, error) {
	if entity == domain.EntityAccount {
		return f.shared.accDefs, nil
	}
	return f.shared.orgDefs, nil
}

func (f *snapshot) FieldMappings(context.Context) ([]domain.FieldMapping, error) {
	return f.shared.mappings, nil
}
