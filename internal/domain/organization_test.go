package domain

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalizeDomain(t *testing.T) {
	t.Parallel()
	label63 := strings.Repeat("a", 63)
	cases := []struct {
		in, want string // want "" means refused
	}{
		{"example.com", "example.com"},
		{"  Example.COM  ", "example.com"},
		{"@example.com", "example.com"},
		{"example.com.", "example.com"},
		{"Bücher.example", "xn--bcher-kva.example"},
		{"BÜCHER.EXAMPLE", "xn--bcher-kva.example"},
		{"xn--bcher-kva.example", "xn--bcher-kva.example"},
		{"faß.de", "xn--fa-hia.de"},
		{"ｅｘａｍｐｌｅ.com", "example.com"},
		{"example。com", "example.com"},
		{"mail.sub.example.co.uk", "mail.sub.example.co.uk"},
		{label63 + ".example", label63 + ".example"},
		{"", ""},
		{"   ", ""},
		{"localhost", ""},
		{"com.", ""},
		{".com", ""},
		{"a..b.example", ""},
		{"example.com..", ""},
		{"-lead.example", ""},
		{"trail-.example", ""},
		{"under_score.example", ""},
		{"has space.example", ""},
		{"jane@example.com", ""},
		{"@@example.com", ""},
		{"*.example.com", ""},
		{"example.com/path", ""},
		{label63 + "a.example", ""},
		{strings.Repeat("abcdefghi.", 25) + "example", ""}, // 257 characters
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := NormalizeDomain(tc.in)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("NormalizeDomain(%q) = %q, want an error", tc.in, got)
				}
				if !strings.Contains(err.Error(), "is not a domain name") {
					t.Fatalf("error %q does not explain", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("NormalizeDomain(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestNormalizeDomains(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		in     []string
		want   []string
		fields []string
	}{
		{"nil", nil, []string{}, nil},
		{"sorted and folded", []string{"Zeta.example", "alpha.example", "ZETA.example.", "bücher.example"},
			[]string{"alpha.example", "xn--bcher-kva.example", "zeta.example"}, nil},
		{"invalid ones named by index", []string{"ok.example", "nodot", "ok.example", "a..b.example"},
			[]string{"ok.example"}, []string{"email_domains[1]", "email_domains[3]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := NormalizeDomains("email_domains", tc.in)
			if !slices.Equal(got, tc.want) || got == nil {
				t.Errorf("domains %#v, want %#v", got, tc.want)
			}
			var fields []string
			for _, e := range errs {
				fields = append(fields, e.Field)
				if e.Code != "domain" || e.Message == "" {
					t.Errorf("field error %+v", e)
				}
			}
			if !slices.Equal(fields, tc.fields) {
				t.Errorf("error fields %v, want %v", fields, tc.fields)
			}
		})
	}
}

func TestEmailDomain(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"Jane@Example.COM", "example.com"},
		{"odd@name@bücher.example", "xn--bcher-kva.example"},
		{"no-at-sign.example", ""},
		{"jane@", ""},
		{"jane@a..b.example", ""},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := EmailDomain(tc.in)
			if (err != nil) != (tc.want == "") || got != tc.want {
				t.Fatalf("EmailDomain(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}
