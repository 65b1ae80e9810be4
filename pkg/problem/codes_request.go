package problem

// requestCodes are failures of the HTTP exchange itself, whatever the
// operation.
var requestCodes = []Entry{
	{Code: "malformed_json", Status: 400, Title: "Malformed JSON", Topic: TopicRequest,
		When:       "The request body is empty, is not valid JSON, is not a JSON object, or holds data after the JSON value.",
		Resolution: "Send one JSON object as the body; the detail says where parsing stopped."},
	{Code: "invalid_path", Status: 400, Title: "Invalid path", Topic: TopicRequest,
		When:       "The request path holds a NUL character or bytes that are not UTF-8, a broken percent escape, or a path parameter longer than 255 characters.",
		Resolution: "Send path segments as UTF-8 without NUL, percent-encoded correctly; ids are UUIDs."},
	{Code: "unsupported_media_type", Status: 415, Title: "Unsupported media type", Topic: TopicRequest,
		When:       "The request body's Content-Type is neither application/json nor another +json type.",
		Resolution: "Send the body as JSON with Content-Type: application/json."},
	{Code: "payload_too_large", Status: 413, Title: "Request body too large", Topic: TopicRequest,
		When:       "The request body is larger than the server accepts (PORTICO_BODY_LIMIT, 1 MiB by default; for imports PORTICO_IMPORT_BODY_LIMIT, 64 MiB by default).",
		Resolution: "Send a smaller body: split a bulk selection into several requests, or select by filter instead of listing ids; split an import file into several imports (repeat the CSV header in each)."},
	{Code: "validation_failed", Status: 422, Title: "Invalid fields", Topic: TopicRequest,
		When:       "Fields of the body or parameters of the query break a rule of shape or content: a required field is missing, a value has the wrong type or is too long, a field is unknown, a reference points to nothing. The errors member lists every invalid field with its own code and message.",
		Resolution: "Correct the fields listed in errors and send the request again."},
	{Code: "not_found", Status: 404, Title: "Not found", Topic: TopicRequest,
		When:       "The resource does not exist, or is outside what the credentials may see (a primary contact asking for another organization's records gets this too, so ids cannot be probed). An unknown path answers it as well.",
		Resolution: "Check the id and the path; list the resources to find the right id."},
	{Code: "method_not_allowed", Status: 405, Title: "Method not allowed", Topic: TopicRequest,
		When:       "The path exists but does not accept the request's method.",
		Resolution: "Use one of the methods the Allow header lists."},
	{Code: "precondition_failed", Status: 412, Title: "Resource changed", Topic: TopicRequest,
		When:       `The If-Match header names a version other than the resource's current one (someone changed it since it was read), or is not a quoted version such as "3".`,
		Resolution: "Read the resource again, apply the change to what it holds now, and send it with the new ETag in If-Match."},
	{Code: "rate_limited", Status: 429, Title: "Too many requests", Topic: TopicRequest,
		When:       "Activation, sign-in and password reset were called too often from one client address (PORTICO_RATE_LIMIT_CLIENT per minute) or for one email or link (PORTICO_RATE_LIMIT_ACCOUNT per minute).",
		Resolution: "Wait the number of seconds the Retry-After header gives, then try again."},
}

// accessCodes refuse credentials, or what the credentials may do.
var accessCodes = []Entry{
	{Code: "unauthenticated", Status: 401, Title: "Credentials missing or unknown", Topic: TopicAccess,
		When:       "The operation needs a bearer token and none was sent, or the token is unknown, expired or revoked (an API key that was revoked, a session that ended).",
		Resolution: "Send Authorization: Bearer <token> with the admin token, a valid API key, or a session token from POST /api/v1/sessions; sign in again when a session has ended."},
	{Code: "not_a_user", Status: 403, Title: "Not a signed-in user", Topic: TopicAccess,
		When:       "The operation is about the signed-in user (e.g. GET /api/v1/users/me, sign-out), but the credentials are the admin token or an API key, which belong to no user.",
		Resolution: "Call it with a user's session token from POST /api/v1/sessions."},
	{Code: "insufficient_rights", Status: 403, Title: "Insufficient rights", Topic: TopicAccess,
		When:       "The credentials are valid but do not allow the operation: e.g. a member calling an administrator's operation, a read-only API key writing, or anyone but an administrator managing API keys.",
		Resolution: "Use credentials with the needed rights, or ask an administrator."},
	{Code: "role_not_allowed", Status: 403, Title: "Role not allowed", Topic: TopicAccess,
		When:       "Someone who is not an administrator tries to grant the admin role, directly or by promoting a former admin whose role was kept from an earlier demotion.",
		Resolution: `Send "role": "member" or "creator", or ask an administrator to grant the admin role.`},
	{Code: "group_not_assignable", Status: 403, Title: "Group not assignable", Topic: TopicAccess,
		When:       "A primary contact assigns a group that is not flagged partner_assignable.",
		Resolution: "Choose among the partner-assignable groups (GET /api/v1/groups lists those a primary contact may use), or ask an administrator."},
	{Code: "field_not_allowed", Status: 403, Title: "Field not allowed", Topic: TopicAccess,
		When:       "A change touches a field the caller may not change: a user editing anything but its own profile (first name, last name, phone, title), anyone but an administrator changing primary_contact, or a primary contact changing the role or status of an admin, of another primary contact, or its own role.",
		Resolution: "Leave the field out of the request, or ask an administrator."},
}

// serviceCodes are failures on Portico's side.
var serviceCodes = []Entry{
	{Code: "internal", Status: 500, Title: "Internal error", Topic: TopicDependency,
		When:       "Something failed inside Portico. The answer never shows the cause; the server log has it under the request id.",
		Resolution: "Retry later. If it persists, report the request_id (also in the X-Request-Id header) to the operators."},
	{Code: "database_unavailable", Status: 503, Title: "Database unavailable", Topic: TopicDependency,
		When:       "The database did not answer in time or is down.",
		Resolution: "Retry after the number of seconds in the Retry-After header (a few seconds when there is none); operators check GET /readyz and the database."},
}
