package conversion

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"

	"github.com/portico/portico/internal/domain"
)

// FuzzTruncateHTML checks that truncated HTML always fits the limit, is
// sanitized (sanitizing it again changes nothing) and is well-formed.
// Plain `go test` runs the seed corpus; `go test -fuzz FuzzTruncateHTML`
// searches further.
func FuzzTruncateHTML(f *testing.F) {
	seeds := []struct {
		html  string
		limit int
	}{
		{"<p>Hello <b>bold <i>nested</i></b> world</p>", 20},
		{"<b>unclosed <i>twice", 12},
		{"<b><i>misnested</b></i>", 15},
		{"</b>stray end tags</i>", 8},
		{"Tom &amp; Jerry &lt;3 &quot;quoted&quot;", 10},
		{"caf\u00e9 cafe\u0301 \U0001F468\u200D\U0001F469\u200D\U0001F467 \U0001F1E9\U0001F1EA", 9},
		{"<ul><li>one</li><li>two<li>three</ul>", 25},
		{"line<br>break<hr/>rule<img src=\"x.png\" alt=\"x\">", 14},
		{"<a href=\"https://example.com/a?b=1&amp;c=2\">link text</a>", 40},
		{"<script>alert(1)</script><p onclick=\"x()\">safe</p>", 11},
		{"<table><tr><td>cell<td>cell2</table>", 30},
		{"a &nbsp; b\u00a0c", 3},
		{"<p>a<p>b<p>c", 9},
		{"<div/>self<span/>closing", 10},
		{"plain text only", 0},
		{"<blockquote><p><em><strong>deep</strong></em></p></blockquote>", 50},
		{"<textarea><b>raw</b></textarea>", 10},
		{"\x00<b>\x00nul</b>", 6},
		{"<b>short but unclosed", 100},
		{"<i>fits</b> misnested</i>", 100},
	}
	for _, s := range seeds {
		f.Add(s.html, s.limit)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if !utf8.ValidString(s) {
			t.Skip("stored values are valid UTF-8")
		}
		limit = abs(limit) % 400
		got := TruncateHTML(s, limit)
		if n := utf8.RuneCountInString(got); n > limit {
			t.Fatalf("TruncateHTML(%q, %d) = %q: %d characters", s, limit, got, n)
		}
		if again := domain.SanitizeHTML(got); again != got {
			t.Fatalf("TruncateHTML(%q, %d) = %q is not sanitized: %q", s, limit, got, again)
		}
		if err := wellFormed(got); err != nil {
			t.Fatalf("TruncateHTML(%q, %d) = %q: %v", s, limit, got, err)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// wellFormed reports whether every start tag of a non-void element is
// closed by its end tag in order, and no end tag closes anything else.
func wellFormed(s string) error {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var open []string
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			if !errors.Is(z.Err(), io.EOF) {
				return z.Err()
			}
			if len(open) > 0 {
				return fmt.Errorf("left open: %v", open)
			}
			return nil
		case xhtml.StartTagToken:
			name, _ := z.TagName()
			if !voidElements[string(name)] {
				open = append(open, string(name))
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			if len(open) == 0 || open[len(open)-1] != string(name) {
				return fmt.Errorf("end tag </%s> closes %v", name, open)
			}
			open = open[:len(open)-1]
		}
	}
}
