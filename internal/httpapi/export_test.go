package httpapi

// What the external tests (package httpapi_test, which may import the
// composition root) need from inside the package.
var DecodeJSON = decodeJSON

func NonNil[T any](s []T) []T { return nonNil(s) }

var (
	CodeFromStatus = codeFromStatus
	PrefersJSON    = prefersJSON
)

var (
	BodyTextErrors  = bodyTextErrors
	QueryTextErrors = queryTextErrors
)
