package httpapi_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	. "github.com/portico/portico/internal/httpapi"

	"github.com/portico/portico/internal/app/apptest"
	"github.com/portico/portico/internal/store"
	"github.com/portico/portico/internal/store/storetest"
)

// timingPassword is the password of every fixture user; sign-in attempts
// send another one.
const timingPassword = "the real password of the account"

// signInClasses creates, through the API, one email of each kind that
// cannot sign in and returns them by class. activate sets the password of
// a pending user from its activation token.
func signInClasses(t *testing.T, a *api, activate func(token string)) map[string]string {
	t.Helper()
	emails := map[string]string{}
	user := func(class string) string {
		email := class + "@timing.example"
		emails[class] = email
		id := a.promoted(t, email)
		if class != "pending" {
			activate(a.lastToken(email))
		}
		return id
	}
	user("active") // signs in with a wrong password
	user("pending")
	a.do("PATCH", "/api/v1/users/"+user("disabled"), map[string]any{"status": "disabled"}).ok(t, 200, nil)
	a.do("POST", "/api/v1/users/"+user("demoted")+"/demote", nil).ok(t, 200, nil)
	var u User
	a.do("GET", "/api/v1/users/"+user("inactive_org"), nil).ok(t, 200, &u)
	a.do("PATCH", "/api/v1/organizations/"+u.OrganizationID.String(), map[string]any{"status": "inactive"}).ok(t, 200, nil)
	emails["unknown"] = "nobody@timing.example"
	return emails
}

// medians runs each class samples times, round by round in a shuffled
// order so that load on the machine falls on every class alike, and returns
// each class's median duration. run returns the part of its work to time.
func medians(classes []string, samples int, run func(class string) time.Duration) map[string]time.Duration {
	times := map[string][]time.Duration{}
	order := slices.Clone(classes)
	for range samples {
		rand.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, c := range order {
			times[c] = append(times[c], run(c))
		}
	}
	out := map[string]time.Duration{}
	for c, ds := range times {
		slices.Sort(ds)
		out[c] = ds[len(ds)/2]
	}
	return out
}

// wantAlike measures the class medians up to three times and fails when
// every time the slowest and the fastest differ by more than both abs and
// rel times the fastest: a real difference shows every time, a burst of
// load from elsewhere on the machine rarely three times running. Under the
// race detector the relative tolerance is at least 2 (the slowest within
// three times the fastest), still far below what a hash of another cost
// or a write in the request costs there.
func wantAlike(t *testing.T, what string, abs time.Duration, rel float64, measure func() map[string]time.Duration) {
	t.Helper()
	if raceDetector {
		rel = max(rel, 2)
	}
	var last string
	for range 3 {
		m := measure()
		var fast, slow string
		for c, d := range m {
			if fast == "" || d < m[fast] {
				fast = c
			}
			if slow == "" || d > m[slow] {
				slow = c
			}
		}
		t.Logf("%s medians: %v", what, m)
		if diff := m[slow] - m[fast]; diff <= abs || float64(diff) <= rel*float64(m[fast]) {
			return
		}
		last = fmt.Sprintf("%s takes %v, %s %v", slow, m[slow], fast, m[fast])
	}
	t.Errorf("%s: the timing tells the classes apart, three times over; last: %s", what, last)
}

// Every failed sign-in over HTTP costs the same whatever the email belongs to.
func TestSignInTimingDoesNotRevealAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		emails := signInClasses(t, a, func(token string) {
			a.do("POST", "/api/v1/activations", map[string]any{"token": token, "password": timingPassword}).ok(t, 200, nil)
		})
		classes := []string{"active", "pending", "disabled", "demoted", "inactive_org", "unknown"}
		wantAlike(t, "sign-in over HTTP", 10*time.Millisecond, 0.25, func() map[string]time.Duration {
			return medians(classes, 15, func(class string) time.Duration {
				start := time.Now()
				a.do("POST", "/api/v1/sessions", map[string]any{"email": emails[class], "password": "a wrong password"},
					"Authorization", "").problem(t, 401, "invalid_credentials")
				return time.Since(start)
			})
		})
	})
}

// The harness hashes at bcrypt's minimum cost; here the service hashes at
// a cost where a comparison dominates the work, and not at bcrypt's
// default 10, so that a dummy hash made at a fixed cost shows.
func TestSignInTimingAtRealisticCost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cost := 8 // 10 to 20 ms a comparison
		if raceDetector {
			cost = 5 // as slow under -race
		}
		cfg := apptest.Config(t, db)
		cfg.AdminToken, cfg.RatePerClient, cfg.RatePerAccount, cfg.BcryptCost = testAdminToken, 0, 0, cost
		a := newAPIWith(t, cfg)
		svc := a.promo
		ctx := context.Background()
		emails := signInClasses(t, a, func(token string) {
			if _, err := svc.Activate(ctx, token, timingPassword); err != nil {
				t.Fatal(err)
			}
		})
		classes := []string{"active", "pending", "disabled", "unknown"}
		wantAlike(t, "sign-in at bcrypt cost "+strconv.Itoa(cost), 5*time.Millisecond, 0.5, func() map[string]time.Duration {
			return medians(classes, 15, func(class string) time.Duration {
				start := time.Now()
				if _, err := svc.SignIn(ctx, emails[class], "a wrong password"); err == nil {
					t.Fatalf("%s signed in", class)
				}
				return time.Since(start)
			})
		})
	})
}

// A reset request answers alike for an active user and for any other
// email: the lookup, token and mail happen after the answer.
func TestPasswordResetTimingDoesNotRevealAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db)
		emails := signInClasses(t, a, func(token string) {
			a.do("POST", "/api/v1/activations", map[string]any{"token": token, "password": timingPassword}).ok(t, 200, nil)
		})
		classes := []string{"active", "pending", "disabled", "unknown"}
		asked := 0 // resets asked for the active user
		wantAlike(t, "password reset", 150*time.Microsecond, 0.5, func() map[string]time.Duration {
			// requests take well under a millisecond: many samples keep the medians steady
			return medians(classes, 51, func(class string) time.Duration {
				if class == "active" {
					asked++
				}
				start := time.Now()
				a.do("POST", "/api/v1/password-resets", map[string]any{"email": emails[class]}, "Authorization", "").ok(t, 202, nil)
				took := time.Since(start)
				a.idle() // the background work of one request does not slow the next
				return took
			})
		})
		// and the mail still goes to the active user only
		mailed := map[string]int{}
		for _, msg := range a.mails() {
			if msg.Subject == "Reset your portal password" {
				mailed[msg.To]++
			}
		}
		if len(mailed) != 1 || mailed[emails["active"]] != asked {
			t.Fatalf("reset mail went to %v, want %d to %s only", mailed, asked, emails["active"])
		}
	})
}
