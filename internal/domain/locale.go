package domain

import (
	"golang.org/x/text/language"
)

// ParseLocale checks a BCP 47 language tag (de, fr-CA) and returns it in
// canonical form; the empty string stays empty (the default applies).
// field names the request member in the error.
func ParseLocale(raw, field string) (string, error) {
	if raw == "" {
		return "", nil
	}
	tag, err := language.Parse(raw)
	if err != nil || tag.IsRoot() {
		return "", Invalid("locale_unknown", "\""+raw+"\" is not a known BCP 47 language tag",
			FieldError{Field: field, Code: "locale", Message: field + " must be a language tag such as en, de or fr-CA"}).
			WithResolution("use a language tag such as en, de, fr or fr-CA")
	}
	return tag.String(), nil
}

// LocaleChain is the order in which a locale's texts are looked for: the
// tag, its parents (fr-CA, then fr), then the default.
func LocaleChain(locale, fallback string) []string {
	var out []string
	add := func(s string) {
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	if tag, err := language.Parse(locale); err == nil {
		for t := tag; !t.IsRoot(); t = t.Parent() {
			add(t.String())
		}
	}
	add(fallback)
	return out
}
