package domain

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"jane@example.com", "jane@example.com", true},
		{"  jane@example.com\t\n", "jane@example.com", true},
		{" Jane.Doe@Example.COM ", "Jane.Doe@Example.COM", true}, // case kept
		{"first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk", true},
		{"", "", true},    // a contact may have no email
		{"   ", "", true}, // blank is no email
		{"a@", "", false},
		{"@example.com", "", false},
		{"not an email", "", false},
		{"jane.example.com", "", false},
		{"Jane <j@x.com>", "", false},
		{"<j@x.com>", "", false},
		{"j@x.com, k@x.com", "", false},
		{"j@localhost", "", false}, // a domain needs a dot
		{"j@exa mple.com", "", false},
		{"j@@example.com", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := NormalizeEmail(tc.in)
			if !tc.ok {
				de, isDomain := AsError(err)
				if !isDomain || de.Kind != KindInvalid || de.Code != "validation_failed" ||
					len(de.Fields) != 1 || de.Fields[0].Field != "email" || de.Fields[0].Code != "email" {
					t.Fatalf("NormalizeEmail(%q) = %q, %v; want a validation error on field email", tc.in, got, err)
				}
				if got != "" {
					t.Errorf("NormalizeEmail(%q) returned %q with its error", tc.in, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("NormalizeEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestEmailKey(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"jane@example.com", "jane@example.com"},
		{" Jane.Doe@Example.COM ", "jane.doe@example.com"},
		{"JANE@EXAMPLE.COM", "jane@example.com"},
		{"", ""},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got := EmailKey(tc.in); got != tc.want {
				t.Errorf("EmailKey(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	if EmailKey("Jane@X.com") != EmailKey("jane@x.COM ") {
		t.Error("addresses differing only in case and spaces have different keys")
	}
}

func TestUserSetStatus(t *testing.T) {
	t.Parallel()
	activated := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name      string
		from      UserStatus
		activated bool // the user has activated once
		to        UserStatus
		ok        bool
		want      UserStatus // the status reached when ok; "" means to
	}{
		{"pending stays pending", UserPending, false, UserPending, true, ""},
		{"active cannot become pending", UserActive, true, UserPending, false, ""},
		{"disabled cannot become pending", UserDisabled, true, UserPending, false, ""},
		{"inactive cannot become pending", UserInactive, false, UserPending, false, ""},
		{"pending cannot become active", UserPending, false, UserActive, false, ""},
		{"disabled never activated goes back to pending", UserDisabled, false, UserActive, true, UserPending},
		{"inactive never activated goes back to pending", UserInactive, false, UserActive, true, UserPending},
		{"disabled activated becomes active", UserDisabled, true, UserActive, true, ""},
		{"inactive activated becomes active", UserInactive, true, UserActive, true, ""},
		{"active becomes disabled", UserActive, true, UserDisabled, true, ""},
		{"active becomes inactive", UserActive, true, UserInactive, true, ""},
		{"pending becomes disabled", UserPending, false, UserDisabled, true, ""},
		{"pending becomes inactive", UserPending, false, UserInactive, true, ""},
		{"disabled becomes inactive", UserDisabled, true, UserInactive, true, ""},
		{"active stays active", UserActive, true, UserActive, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u := User{Contact: Contact{ID: uuid.New()}, Status: tc.from}
			if tc.activated {
				u.ActivatedAt = &activated
			}
			err := u.SetStatus(tc.to)
			if tc.ok {
				want := tc.want
				if want == "" {
					want = tc.to
				}
				if err != nil || u.Status != want {
					t.Fatalf("SetStatus(%s) from %s: status %s, err %v; want %s", tc.to, tc.from, u.Status, err, want)
				}
				return
			}
			de, isDomain := AsError(err)
			if !isDomain || de.Kind != KindInvalid || de.Code != "invalid_status" ||
				len(de.Fields) != 1 || de.Fields[0].Field != "status" || de.Fields[0].Code != "invalid_transition" {
				t.Fatalf("SetStatus(%s) from %s: err %v; want invalid_status on field status", tc.to, tc.from, err)
			}
			if u.Status != tc.from {
				t.Errorf("refused SetStatus changed the status to %s", u.Status)
			}
			if tc.activated && u.ActivatedAt != &activated {
				t.Error("refused SetStatus touched ActivatedAt")
			}
		})
	}
}

func TestContactPatchApply(t *testing.T) {
	t.Parallel()
	org, acc := uuid.New(), uuid.New()
	other := uuid.New()
	unlink := uuid.Nil
	name := "Janet"
	base := Contact{FirstName: "Jane", LastName: "Doe", Email: "j@x.com", OrganizationID: &org, AccountID: &acc}

	cases := []struct {
		name     string
		patch    ContactPatch
		first    string
		org, acc *uuid.UUID
	}{
		{"empty keeps all", ContactPatch{}, "Jane", &org, &acc},
		{"name only", ContactPatch{FirstName: &name}, "Janet", &org, &acc},
		{"nil uuid unlinks organization", ContactPatch{OrganizationID: &unlink}, "Jane", nil, &acc},
		{"nil uuid unlinks account", ContactPatch{AccountID: &unlink}, "Jane", &org, nil},
		{"new organization", ContactPatch{OrganizationID: &other}, "Jane", &other, &acc},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := base
			tc.patch.Apply(&c)
			if c.FirstName != tc.first || c.LastName != "Doe" || c.Email != "j@x.com" ||
				!sameID(c.OrganizationID, tc.org) || !sameID(c.AccountID, tc.acc) {
				t.Errorf("after Apply: %+v", c)
			}
		})
	}
}

func sameID(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
