package problem

// invitationCodes belong to invitations, their options and the email
// templates.
var invitationCodes = []Entry{
	{Code: "invitation_accepted", Status: 409, Title: "Invitation already accepted", Topic: TopicInvitation,
		When:       "An invitation is revoked after its user used the link and activated the account.",
		Resolution: "Nothing to withdraw. To stop the user signing in, disable the user (PATCH /api/v1/users/{id} with {\"status\":\"disabled\"}) or demote it."},
	{Code: "invitation_not_pending", Status: 409, Title: "Invitation no longer pending", Topic: TopicInvitation,
		When:       "An invitation that expired or was superseded by a later one is revoked; its link works no longer anyway.",
		Resolution: "List the user's invitations (GET /api/v1/invitations?user_id=...) and act on the pending one, if any."},
	{Code: "invitation_ttl_invalid", Status: 422, Title: "Invitation lifetime not accepted", Topic: TopicInvitation,
		When:       "invitation_ttl is not a Go duration (\"72h\") or a number of seconds, is zero or negative, or is longer than PORTICO_INVITATION_MAX_TTL (30 days by default).",
		Resolution: "Send a positive duration up to PORTICO_INVITATION_MAX_TTL, or leave invitation_ttl out for PORTICO_ACTIVATION_TTL."},
	{Code: "locale_unknown", Status: 422, Title: "Unknown locale", Topic: TopicInvitation,
		When:       "A locale (of a contact, a user or an email template) is not a well-formed BCP 47 language tag of a known language.",
		Resolution: "Use a language tag such as en, de, fr or fr-CA; leave it empty for PORTICO_DEFAULT_LOCALE."},
	{Code: "template_invalid", Status: 422, Title: "Email template not accepted", Topic: TopicInvitation,
		When:       "An email template override does not parse as a Go template, uses a field its kind does not have, fails when rendered with sample data, or its text or HTML lacks {{.Link}}. The errors member names each part (subject, text, html).",
		Resolution: "Fix the parts named in errors; the fields are listed in docs/email-templates.md and in GET /api/v1/email-templates/{kind}/{locale}."},
	{Code: "resend_conflict", Status: 409, Title: "Concurrent resend", Topic: TopicInvitation,
		When:       "Two resends of the same user's invitation ran at the same moment; one of them won.",
		Resolution: "Retry the request; list the invitations to see the one that was sent."},
}
