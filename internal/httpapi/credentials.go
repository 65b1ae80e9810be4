package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/portico/portico/internal/access"
	"github.com/portico/portico/internal/domain"
)

// ActivationRequest is the body of POST /api/v1/activations.
type ActivationRequest struct {
	Token    string `json:"token" validate:"required,max=200"`
	Password string `json:"password" validate:"required,max=200"`
}

// SignInRequest is the body of POST /api/v1/sessions.
type SignInRequest struct {
	Email    string `json:"email" validate:"required,max=254" example:"jane@acme.example"`
	Password string `json:"password" validate:"required,max=200"`
}

// SessionResponse is a new session; the token is shown only here.
type SessionResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at" format:"date-time"`
	User      User      `json:"user"`
}

// PasswordResetRequest is the body of POST /api/v1/password-resets.
type PasswordResetRequest struct {
	Email string `json:"email" validate:"required,max=254" example:"jane@acme.example"`
}

// PasswordResetConfirm is the body of POST /api/v1/password-resets/confirm.
type PasswordResetConfirm struct {
	Token    string `json:"token" validate:"required,max=200"`
	Password string `json:"password" validate:"required,max=200"`
}

// activate godoc
//
//	@Summary		Activate an account
//	@Description	Sets the password (at least 12 characters, not the email) of a pending user from the token of the invitation link, and makes the user active. Opening the link does not use the token; only this call does.
//	@ID				activateAccount
//	@Tags			sign-in
//	@Accept			json
//	@Produce		json
//	@Param			body	body		ActivationRequest	true	"token and password"
//	@Success		200		{object}	User
//	@Failure		400		{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		410		{object}	problem.Problem	"token_used, token_expired, token_superseded"
//	@Failure		422		{object}	problem.Problem	"token_invalid, password_too_weak"
//	@Failure		429		{object}	problem.Problem	"too many requests (rate_limited); see Retry-After"
//	@Router			/api/v1/activations [post]
func (h *handlers) activate(c echo.Context) error {
	var b ActivationRequest
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	if err := h.byAccount.limit(c, "token:"+domain.HashSecret(b.Token)); err != nil {
		return err
	}
	u, err := h.promo.Activate(c.Request().Context(), b.Token, b.Password)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, userOut(u))
}

// signIn godoc
//
//	@Summary		Sign in
//	@Description	Only active users of active organizations sign in. Every failure is the same 401, so it does not tell which emails exist.
//	@ID				signIn
//	@Tags			sign-in
//	@Accept			json
//	@Produce		json
//	@Param			body	body		SignInRequest	true	"credentials"
//	@Success		201		{object}	SessionResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		401		{object}	problem.Problem	"invalid_credentials"
//	@Failure		422		{object}	problem.Problem	"invalid fields (validation_failed)"
//	@Failure		429		{object}	problem.Problem	"too many requests (rate_limited); see Retry-After"
//	@Router			/api/v1/sessions [post]
func (h *handlers) signIn(c echo.Context) error {
	var b SignInRequest
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	if err := h.byAccount.limit(c, "email:"+domain.EmailKey(b.Email)); err != nil {
		return err
	}
	s, err := h.promo.SignIn(c.Request().Context(), b.Email, b.Password)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, SessionResponse{Token: s.Token, ExpiresAt: s.ExpiresAt.UTC(), User: userOut(s.User)})
}

// signOut godoc
//
//	@Summary	Sign out
//	@ID			signOut
//	@Tags		sign-in
//	@Produce	json
//	@Success	204
//	@Failure	401	{object}	problem.Problem
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Security	BearerAuth
//	@Router		/api/v1/sessions/current [delete]
func (h *handlers) signOut(c echo.Context) error {
	token, err := sessionToken(c)
	if err != nil {
		return err
	}
	if err := h.promo.SignOut(c.Request().Context(), token); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// me godoc
//
//	@Summary	The signed-in user
//	@ID			getCurrentUser
//	@Tags		sign-in
//	@Produce	json
//	@Success	200	{object}	User
//	@Failure	401	{object}	problem.Problem
//	@Failure	403	{object}	problem.Problem	"the credentials lack the right (insufficient_rights, not_a_user)"
//	@Security	BearerAuth
//	@Router		/api/v1/users/me [get]
func (h *handlers) me(c echo.Context) error {
	a := actorOf(c)
	if a.Kind != domain.ActorUser {
		return access.Unauthenticated("sign in first: POST /api/v1/sessions, then send Authorization: Bearer <token>")
	}
	return withETag(c, http.StatusOK, a.User.Version, userOut(*a.User))
}

// requestPasswordReset godoc
//
//	@Summary		Ask for a password reset link
//	@Description	Always 202, whether or not an active user has the email, so that it does not tell which emails exist.
//	@ID				requestPasswordReset
//	@Tags			sign-in
//	@Accept			json
//	@Produce		json
//	@Param			body	body	PasswordResetRequest	true	"the email"
//	@Success		202
//	@Failure		400	{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		422	{object}	problem.Problem	"invalid fields (validation_failed)"
//	@Failure		429	{object}	problem.Problem	"too many requests (rate_limited); see Retry-After"
//	@Router			/api/v1/password-resets [post]
func (h *handlers) requestPasswordReset(c echo.Context) error {
	var b PasswordResetRequest
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	if err := h.byAccount.limit(c, "email:"+domain.EmailKey(b.Email)); err != nil {
		return err
	}
	// queued, and worked after this answer has left: the answer's content and
	// timing are the same whatever the email
	if err := h.promo.RequestPasswordReset(c.Request().Context(), b.Email); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

// confirmPasswordReset godoc
//
//	@Summary		Set a new password from a reset link
//	@Description	Ends every session of the user.
//	@ID				confirmPasswordReset
//	@Tags			sign-in
//	@Accept			json
//	@Produce		json
//	@Param			body	body	PasswordResetConfirm	true	"token and new password"
//	@Success		204
//	@Failure		400	{object}	problem.Problem	"malformed JSON (malformed_json)"
//	@Failure		410	{object}	problem.Problem	"token_used, token_expired, token_superseded"
//	@Failure		422	{object}	problem.Problem	"token_invalid, password_too_weak"
//	@Failure		429	{object}	problem.Problem	"too many requests (rate_limited); see Retry-After"
//	@Router			/api/v1/password-resets/confirm [post]
func (h *handlers) confirmPasswordReset(c echo.Context) error {
	var b PasswordResetConfirm
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	if err := h.byAccount.limit(c, "token:"+domain.HashSecret(b.Token)); err != nil {
		return err
	}
	if err := h.promo.ConfirmPasswordReset(c.Request().Context(), b.Token, b.Password); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
