package domain

import (
	"strings"
	"testing"
)

func TestNormalizeExternalID(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, code string
	}{
		{"kept", "CRM-42", "CRM-42", ""},
		{"trimmed", " \t CRM-42\u00a0\n", "CRM-42", ""},
		{"inner spaces kept", "CRM 42", "CRM 42", ""},
		{"empty is none", "", "", ""},
		{"blank is none", "   ", "", ""},
		{"255 runes", strings.Repeat("é", 255), strings.Repeat("é", 255), ""},
		{"256 runes", strings.Repeat("é", 256), "", "max_length"},
		{"inner line break", "CRM\n42", "", "external_id"},
		{"inner tab", "CRM\t42", "", "external_id"},
		{"NUL", "CRM\x0042", "", "external_id"},
		{"C1 control", "CRM\u008542", "", "external_id"},
		{"not UTF-8", "CRM\xff", "", "external_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizeExternalID(tc.in)
			if tc.code == "" {
				if err != nil || got != tc.want {
					t.Fatalf("NormalizeExternalID(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
				}
				return
			}
			de, ok := AsError(err)
			if !ok || de.Kind != KindInvalid || len(de.Fields) != 1 || de.Fields[0].Field != "external_id" || de.Fields[0].Code != tc.code {
				t.Fatalf("NormalizeExternalID(%q) = %q, %v; want field error %s on external_id", tc.in, got, err, tc.code)
			}
		})
	}
}
