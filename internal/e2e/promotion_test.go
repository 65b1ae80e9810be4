package e2e

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/portico/portico/pkg/client"
)

// promoteOne promotes Jane with an Idempotency-Key, retries the request
// (same answer, no second user), dry-runs John, and is refused on Jane.
func (f *flow) promoteOne(t *testing.T) {
	key := &client.PromoteContactParams{IdempotencyKey: ptr("promote-jane-1")}
	body := client.PromoteRequest{GroupIds: &[]uuid.UUID{f.group}}
	first, err := f.p.admin.PromoteContactWithResponse(f.ctx, f.jane, key, body)
	want(t, first, err, 201)
	u := first.JSON201.User
	if u.ID != f.jane || u.Status != client.UserStatusPending || u.Role != client.UserRoleMember ||
		!slices.Contains(u.GroupIds, f.group) || !slices.Contains(u.GroupIds, f.smartGroup) {
		t.Errorf("promoted user: %+v", u)
	}
	again, err := f.p.admin.PromoteContactWithResponse(f.ctx, f.jane, key, body)
	want(t, again, err, 201)
	if !sameJSON(again.Body, first.Body) {
		t.Errorf("the retry answered differently:\n%s\n%s", again.Body, first.Body)
	}

	dry, err := f.p.admin.PromoteContactWithResponse(f.ctx, f.john, nil, client.PromoteRequest{DryRun: ptr(true), GroupIds: &[]uuid.UUID{f.group}})
	want(t, dry, err, 200)
	if !dry.JSON200.DryRun {
		t.Errorf("dry run: %+v", dry.JSON200)
	}

	refused, err := f.p.admin.PromoteContactWithResponse(f.ctx, f.jane, nil, body)
	want(t, refused, err, 409)
	if p := refused.ApplicationProblemJSON409; p.Code != "already_user" || p.Resolution == nil {
		t.Errorf("problem: %+v", p)
	}
}

// promoteFromAccount promotes Ann, who has only an account: the
// organization is created from it through the mapping, which truncates.
func (f *flow) promoteFromAccount(t *testing.T) {
	r, err := f.p.admin.PromoteContactWithResponse(f.ctx, f.ann, nil, client.PromoteRequest{GroupIds: &[]uuid.UUID{f.group}})
	want(t, r, err, 201)
	res := r.JSON201
	if !res.OrganizationCreated || res.Organization.AccountID == nil || *res.Organization.AccountID != f.account ||
		res.User.OrganizationID == nil || *res.User.OrganizationID != res.Organization.ID {
		t.Errorf("organization from the account: %+v", res)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Code != client.WarningCodeFieldTruncated || res.Warnings[0].SavedLength != 8 {
		t.Errorf("warnings: %+v", res.Warnings)
	}
}

// promoteBulk promotes John and Jim by id, once more with the same key.
func (f *flow) promoteBulk(t *testing.T) {
	key := &client.BulkPromoteContactsParams{IdempotencyKey: ptr("bulk-1")}
	body := client.BulkPromoteRequest{ContactIds: &[]uuid.UUID{f.john, f.jim}, GroupIds: &[]uuid.UUID{f.group}}
	r, err := f.p.admin.BulkPromoteContactsWithResponse(f.ctx, key, body)
	want(t, r, err, 200)
	if s := r.JSON200.Summary; s.Requested != 2 || s.Promoted != 2 || s.Failed != 0 {
		t.Errorf("summary: %+v", s)
	}
	for _, res := range r.JSON200.Results {
		if res.Status != client.BulkResultStatusPromoted || res.UserID == nil || *res.UserID != res.ContactID {
			t.Errorf("result: %+v", res)
		}
	}
	again, err := f.p.admin.BulkPromoteContactsWithResponse(f.ctx, key, body)
	want(t, again, err, 200)
	if !sameJSON(again.Body, r.Body) {
		t.Errorf("the retry answered differently:\n%s\n%s", again.Body, r.Body)
	}
}

// promoteJob selects "everything in the view" of Acme as a background job:
// only Jill is still a contact there.
func (f *flow) promoteJob(t *testing.T) {
	r, err := f.p.admin.BulkPromoteContactsWithResponse(f.ctx, nil, client.BulkPromoteRequest{Async: ptr(true),
		Filter: &client.ContactSelection{OrganizationID: &f.org}, GroupIds: &[]uuid.UUID{f.group}})
	want(t, r, err, 202)
	job := r.JSON202
	if job.Total != 1 || r.Headers202.Location == nil || *r.Headers202.Location != "/api/v1/promotion-jobs/"+job.ID.String() {
		t.Errorf("job: %+v, Location %v", job, r.Headers202.Location)
	}
	f.p.idle()
	g, err := f.p.admin.GetPromotionJobWithResponse(f.ctx, job.ID)
	want(t, g, err, 200)
	if g.JSON200.Status != client.PromotionJobStatusSucceeded || g.JSON200.Promoted != 1 || g.JSON200.Progress != 1 {
		t.Errorf("finished job: %+v", g.JSON200)
	}
	res, err := f.p.admin.ListPromotionJobResultsWithResponse(f.ctx, job.ID, &client.ListPromotionJobResultsParams{Limit: ptr(10)})
	want(t, res, err, 200)
	if d := res.JSON200.Data; len(d) != 1 || d[0].ContactID != f.jill || d[0].Status != client.BulkResultStatusPromoted {
		t.Errorf("job results: %+v", d)
	}
	users, err := f.p.admin.ListUsersWithResponse(f.ctx, &client.ListUsersParams{OrganizationID: &f.org})
	want(t, users, err, 200)
	if n := len(users.JSON200.Data); n != 4 {
		t.Errorf("%d users in Acme, want Jane, John, Jim and Jill", n)
	}
}

// activateAndSignIn activates Jane from her invitation and signs her in.
func (f *flow) activateAndSignIn(t *testing.T) {
	const password = "correct horse battery staple"
	a, err := f.p.anon.ActivateAccountWithResponse(f.ctx, client.ActivationRequest{Token: f.p.activationToken("jane@acme.example"), Password: password})
	want(t, a, err, 200)
	if a.JSON200.Status != client.UserStatusActive || a.JSON200.ActivatedAt == nil {
		t.Errorf("activated user: %+v", a.JSON200)
	}
	s, err := f.p.anon.SignInWithResponse(f.ctx, client.SignInRequest{Email: "Jane@Acme.example", Password: password})
	want(t, s, err, 201)
	f.session = s.JSON201.Token
	me, err := f.p.client(f.session).GetCurrentUserWithResponse(f.ctx)
	want(t, me, err, 200)
	if me.JSON200.ID != f.jane {
		t.Errorf("signed in as %+v", me.JSON200)
	}
}

// demote turns Jane back into a contact under If-Match: her session stops
// working at once and she can no longer sign in.
func (f *flow) demote(t *testing.T) {
	u, err := f.p.admin.GetUserWithResponse(f.ctx, f.jane)
	want(t, u, err, 200)
	stale, err := f.p.admin.DemoteUserWithResponse(f.ctx, f.jane, &client.DemoteUserParams{IfMatch: ptr(`"999"`)})
	want(t, stale, err, http.StatusPreconditionFailed)
	d, err := f.p.admin.DemoteUserWithResponse(f.ctx, f.jane, &client.DemoteUserParams{IfMatch: u.Headers200.ETag})
	want(t, d, err, 200)
	if d.JSON200.ID != f.jane || d.JSON200.OrganizationID == nil || *d.JSON200.OrganizationID != f.org {
		t.Errorf("demoted contact: %+v", d.JSON200)
	}
	me, err := f.p.client(f.session).GetCurrentUserWithResponse(context.Background())
	want(t, me, err, 401)
	s, err := f.p.anon.SignInWithResponse(f.ctx, client.SignInRequest{Email: "jane@acme.example", Password: "correct horse battery staple"})
	want(t, s, err, 401)
	if s.ApplicationProblemJSON401.Code != "invalid_credentials" {
		t.Errorf("sign-in problem: %+v", s.ApplicationProblemJSON401)
	}
	c, err := f.p.admin.GetContactWithResponse(f.ctx, f.jane)
	want(t, c, err, 200)
}

// sameJSON compares two answers up to the newline after the JSON value.
func sameJSON(a, b []byte) bool { return bytes.Equal(bytes.TrimSpace(a), bytes.TrimSpace(b)) }
