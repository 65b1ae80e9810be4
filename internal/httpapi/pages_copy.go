package httpapi

import (
	"net/http"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/promotion"
)

// pageKind is one page behind an emailed link: its words when the link
// works, and for each way it cannot work, what happened and what to do.
type pageKind struct {
	Lang         string // the language of every word below
	Text         pageText
	Purpose      string // token purpose
	Title, Lead  string
	Endpoint     string // the JSON endpoint the form posts to
	Button       string
	DoneHeading  string
	DoneText     string // shown with the portal sign-in link
	DoneNoPortal string // shown when no portal URL is configured
	states       map[linkState]pageState
}

// linkState is why a page shows no form: a token status, or a link
// without a token, or (activation) an account active already.
type linkState string

const (
	linkMissing       linkState = "missing"
	linkAlreadyActive linkState = "already_active"
)

// pageState explains a link that cannot set a password.
type pageState struct {
	Status       int // HTTP status of the page
	Heading      string
	Explain      string
	Next         []string // what to do next, in order
	SignIn       bool     // link the portal sign-in (when configured)
	RequestReset bool     // offer a form asking for a new reset link
	ResetLink    bool     // link the reset page, for a forgotten password
}

var activationPage = pageKind{
	Lang:         "en",
	Text:         textEN,
	Purpose:      domain.PurposeActivation,
	Title:        "Activate your portal account",
	Lead:         "Choose a password for your account. You will use it with your email address to sign in.",
	Endpoint:     "/api/v1/activations",
	Button:       "Activate my account",
	DoneHeading:  "Your account is active",
	DoneText:     "Sign in to your portal with your email address and the password you just chose.",
	DoneNoPortal: "You can now sign in to your portal with your email address and the password you just chose.",
	states: map[linkState]pageState{
		linkMissing: {Status: http.StatusBadRequest, Heading: "This page needs the link from your invitation email",
			Explain: "The address you opened does not contain an invitation code.",
			Next: []string{"Open your invitation email and select the link in it, rather than typing the address.",
				"If you copied the link, copy all of it: it ends with a long code after “token=”."}},
		linkState(promotion.TokenUnknown): {Status: http.StatusNotFound, Heading: "We don’t recognise this invitation link",
			Explain: "The link may have been cut short or changed when it was copied.",
			Next: []string{"Open your invitation email again and select the link in it.",
				"If it still does not work, ask your administrator to send you a new invitation."}},
		linkState(promotion.TokenUsed): {Status: http.StatusGone, Heading: "This invitation link was already used",
			Explain: "Each invitation link works once, and this one has been used to set a password.",
			Next:    []string{"Sign in to your portal with your email address and the password you chose."},
			SignIn:  true, ResetLink: true},
		linkState(promotion.TokenExpired): {Status: http.StatusGone, Heading: "This invitation has expired",
			Explain: "Invitation links work for a limited time, and the time for this one has run out.",
			Next: []string{"Ask your administrator (the person who invited you) to send you a new invitation email.",
				"Then use the link in that newest email."}},
		linkState(promotion.TokenSuperseded): {Status: http.StatusGone, Heading: "A newer invitation replaced this link",
			Explain: "We sent you a newer invitation email, and only the newest link works.",
			Next: []string{"Open the most recent invitation email from us and use the link in it.",
				"Can’t find it? Ask your administrator to send the invitation again."}},
		linkState(promotion.TokenRevoked): {Status: http.StatusGone, Heading: "This invitation was withdrawn",
			Explain: "Your administrator withdrew this invitation, or the account it was for is no longer a portal account.",
			Next:    []string{"If you think this is a mistake, ask your administrator to invite you again."}},
		linkAlreadyActive: {Status: http.StatusGone, Heading: "Your account is already active",
			Explain: "This invitation link is no longer needed: a password has been set for this account.",
			Next:    []string{"Sign in to your portal with your email address and your password."},
			SignIn:  true, ResetLink: true},
	},
}

var resetPage = pageKind{
	Lang:    "en",
	Text:    textEN,
	Purpose: domain.PurposePasswordReset,
	Title:   "Choose a new password",
	Lead: "Choose a new password for your portal account. Once it is saved, every device signed in " +
		"to this account is signed out.",
	Endpoint:     "/api/v1/password-resets/confirm",
	Button:       "Save my new password",
	DoneHeading:  "Your password is changed",
	DoneText:     "Sign in again with your email address and your new password.",
	DoneNoPortal: "You can now sign in to your portal with your email address and your new password.",
	states: map[linkState]pageState{
		// also where a forgotten password starts, so not an error
		linkMissing: {Status: http.StatusOK, Heading: "Reset your password",
			Explain: "To choose a new password you need the link from a password reset email.",
			Next: []string{"Have the email? Open it and select the link in it.",
				"No email, or it is too old? Ask for a new link below."}, RequestReset: true},
		linkState(promotion.TokenUnknown): {Status: http.StatusNotFound, Heading: "We don’t recognise this reset link",
			Explain: "The link may have been cut short or changed when it was copied.",
			Next: []string{"Open the password reset email again and select the link in it.",
				"Or ask for a new link below."}, RequestReset: true},
		linkState(promotion.TokenUsed): {Status: http.StatusGone, Heading: "This reset link was already used",
			Explain: "Each reset link works once, and this one has been used to change the password.",
			Next: []string{"Sign in to your portal with your new password.",
				"Forgot it again, or was it not you? Ask for a new link below."}, SignIn: true, RequestReset: true},
		linkState(promotion.TokenExpired): {Status: http.StatusGone, Heading: "This reset link has expired",
			Explain: "To keep your account safe, reset links work for a short time only.",
			Next:    []string{"Ask for a new link below, and use it soon after it arrives."}, RequestReset: true},
		linkState(promotion.TokenSuperseded): {Status: http.StatusGone, Heading: "A newer reset link replaced this one",
			Explain: "A newer reset link was sent, or the password was changed since, and only the newest link works.",
			Next: []string{"Open the most recent password reset email from us and use the link in it.",
				"Or ask for a new link below."}, RequestReset: true},
		linkState(promotion.TokenRevoked): {Status: http.StatusGone, Heading: "This reset link was withdrawn",
			Explain: "The account this link was for is no longer a portal account.",
			Next:    []string{"If you think this is a mistake, ask your administrator."}},
	},
}
