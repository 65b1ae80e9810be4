package problem

// linkCodes belong to the emailed links (activation, password reset), to
// passwords and to signing in.
var linkCodes = []Entry{
	{Code: "token_invalid", Status: 422, Title: "Link not valid", Topic: TopicLinks,
		When:       "The token of an activation or password-reset link is unknown: most often the link was not copied whole.",
		Resolution: "Open the link from the newest email again, copying it whole; or ask for a new one."},
	{Code: "token_used", Status: 410, Title: "Link already used", Topic: TopicLinks,
		When:       "The activation or password-reset link was used already; every link works once.",
		Resolution: "Sign in with the password chosen then, or request a password reset; an administrator can resend a pending user's activation email."},
	{Code: "token_superseded", Status: 410, Title: "Link replaced by a newer one", Topic: TopicLinks,
		When:       "The link was withdrawn: a newer one was sent to the same person (the activation email was resent; only the newest link works), or the user was demoted or changed the password meanwhile.",
		Resolution: "Use the link in the newest email, or ask an administrator to resend the activation email."},
	{Code: "token_expired", Status: 410, Title: "Link expired", Topic: TopicLinks,
		When:       "The link is older than it may be: activation links work for PORTICO_ACTIVATION_TTL (7 days by default), password-reset links for one hour.",
		Resolution: "Ask an administrator or your organization's primary contact to resend the activation email, or request a new password reset."},
	{Code: "password_too_weak", Status: 422, Title: "Password not accepted", Topic: TopicLinks,
		When:       "The chosen password is shorter than 12 characters, longer than 72 bytes (about 72 letters without accents; fewer with accents or emoji), or is the account's email address. The errors member says which rule.",
		Resolution: "Choose a password of at least 12 characters that is not your email address, such as a few unrelated words."},
	{Code: "invalid_credentials", Status: 401, Title: "Sign-in refused", Topic: TopicLinks,
		When:       "The email or password is wrong, or the account may not sign in: only active users of active organizations can. The answer does not say which, so that it does not reveal which emails have accounts.",
		Resolution: "Check the email and password, or reset the password. A pending user activates the account from the invitation first; a disabled or inactive user, or one of an inactive organization, asks an administrator."},
	{Code: "user_not_pending", Status: 409, Title: "User is not pending", Topic: TopicLinks,
		When:       "An activation email is resent, or an activation link is used, for a user who is no longer waiting for activation (active, disabled or inactive).",
		Resolution: "An active user who forgot the password requests a password reset (POST /api/v1/password-resets)."},
}

// recordCodes protect the stored records and their invariants.
var recordCodes = []Entry{
	{Code: "invalid_status", Status: 422, Title: "Status change not allowed", Topic: TopicRecords,
		When:       "A user's status is set to pending (only promotion makes a user pending), or a pending user is set to active (only activation makes it active).",
		Resolution: "Resend the activation email instead (POST /api/v1/users/{id}/activation-email); set only active, disabled or inactive by hand."},
	{Code: "email_domain_taken", Status: 409, Title: "Email domain taken", Topic: TopicRecords,
		When:       "An email domain given to an organization belongs to another organization already, or is on the list of ignored email domains. A domain belongs to at most one organization and is never both owned and ignored.",
		Resolution: "Remove the domain from the organization that owns it (or from the ignored email domains) first, or leave it out."},
	{Code: "organization_in_use", Status: 409, Title: "Organization still in use", Topic: TopicRecords,
		When:       "An organization that still has users or contacts is deleted.",
		Resolution: "Move its users and contacts to another organization or delete them, then delete the organization; or set its status to inactive instead."},
	{Code: "account_in_use", Status: 409, Title: "Account still in use", Topic: TopicRecords,
		When:       "A CRM account that still has contacts or users is deleted.",
		Resolution: "Move or delete its contacts and users first."},
	{Code: "account_converted", Status: 409, Title: "Account already converted", Topic: TopicRecords,
		When:       "An organization is created for a CRM account that has an organization already; an account becomes at most one organization.",
		Resolution: "Use the account's existing organization (its organization_id)."},
	{Code: "group_in_use", Status: 409, Title: "Group still needed", Topic: TopicRecords,
		When:       "A group is deleted while it is the only group of some users; every user belongs to at least one group.",
		Resolution: "Give those users another group first, then delete this one."},
	{Code: "group_name_taken", Status: 409, Title: "Group name taken", Topic: TopicRecords,
		When:       "Another group has this name already (names compare case-insensitively).",
		Resolution: "Choose another name, or use the existing group."},
	{Code: "users_without_group", Status: 409, Title: "Users would lose their last group", Topic: TopicRecords,
		When:       "An organization's kind, partner type or region changes so that some of its users would match no smart group and have no manual group; nothing is changed. The problem lists those users.",
		Resolution: "Give those users a manual group first, or create a smart group that matches the new attributes, then retry the change."},
	{Code: "membership_conflict", Status: 409, Title: "Membership changed meanwhile", Topic: TopicRecords,
		When:       "Two requests changed the same person's groups at the same time and this one lost the race.",
		Resolution: "Read the person again and retry the change."},
	{Code: "api_key_name_taken", Status: 409, Title: "API key name taken", Topic: TopicRecords,
		When:       "An API key with this name exists already.",
		Resolution: "Choose another name, or revoke the old key first."},
}

// mappingCodes belong to custom field definitions and field mappings.
var mappingCodes = []Entry{
	{Code: "field_key_taken", Status: 409, Title: "Field key taken", Topic: TopicMappings,
		When:       "A custom field with this key exists already for the same entity (account or organization).",
		Resolution: "Choose another key, or change the existing field definition."},
	{Code: "field_type_mismatch", Status: 422, Title: "Field types do not align", Topic: TopicMappings,
		When:       "A field mapping joins an account field and an organization field of different types. Text maps to text, HTML to HTML, and every other type only to the same type.",
		Resolution: "Map the account field to an organization field of the same type, or create one."},
	{Code: "organization_field_mapped", Status: 409, Title: "Organization field already mapped", Topic: TopicMappings,
		When:       "An organization field takes at most one source, and another account field is mapped to it already.",
		Resolution: "Change or delete the existing mapping first (GET /api/v1/field-mappings)."},
}
