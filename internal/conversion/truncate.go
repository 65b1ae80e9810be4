package conversion

import (
	"html"
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	xhtml "golang.org/x/net/html"

	"github.com/portico/portico/internal/domain"
)

// TruncateText cuts s to at most limit characters (runes). It cuts only
// between grapheme clusters, so neither a multi-byte character nor an
// emoji sequence or a letter with combining marks is split; the result may
// therefore be a little shorter than limit.
func TruncateText(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	var b strings.Builder
	n := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		r := g.Runes()
		if n+len(r) > limit {
			break
		}
		n += len(r)
		b.WriteString(g.Str())
	}
	return b.String()
}

// TruncateHTML returns sanitized, well-formed HTML of at most limit stored
// characters (runes of the sanitized markup, as max_length counts them):
// text is cut on grapheme boundaries, stray end tags are dropped and every
// element left open is closed. Sanitized input that fits is returned
// balanced, since the sanitizer itself does not close open elements.
func TruncateHTML(s string, limit int) string {
	s = domain.SanitizeHTML(s)
	limit = max(limit, 0)
	// Sanitizing may re-encode what truncation wrote; shrink the budget by
	// the overshoot until the result fits.
	for budget := limit; budget >= 0; {
		out := domain.SanitizeHTML(cutHTML(s, budget))
		over := utf8.RuneCountInString(out) - limit
		if over <= 0 {
			return out
		}
		budget -= over
	}
	return ""
}

// voidElements never have an end tag.
var voidElements = map[string]bool{"br": true, "hr": true, "img": true, "wbr": true, "col": true,
	"area": true, "base": true, "embed": true, "input": true, "link": true, "meta": true, "source": true, "track": true}

// cutHTML keeps whole tags and as much text as fits in budget runes,
// reserving room for the end tags still owed for the elements left open.
func cutHTML(s string, budget int) string {
	var (
		out  strings.Builder
		used int      // runes written
		owed int      // runes of the end tags of open
		open []string // elements left open, innermost last
	)
	z := xhtml.NewTokenizer(strings.NewReader(s))
loop:
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			break loop
		case xhtml.TextToken:
			text := html.UnescapeString(string(z.Raw()))
			kept := fitEscaped(text, budget-used-owed)
			out.WriteString(kept)
			used += utf8.RuneCountInString(kept)
			if html.UnescapeString(kept) != text {
				break loop
			}
		case xhtml.EndTagToken:
			raw := string(z.Raw())
			name, _ := z.TagName()
			if len(open) == 0 || open[len(open)-1] != string(name) {
				continue // stray or misnested end tag: drop it
			}
			open = open[:len(open)-1]
			owed -= len(name) + 3
			used += utf8.RuneCountInString(raw)
			out.WriteString(raw)
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			raw := string(z.Raw())
			tok := z.Token()
			closing := 0 // the end tag this element will owe
			if tok.Type == xhtml.StartTagToken && !voidElements[tok.Data] {
				closing = len(tok.Data) + 3
			}
			size := utf8.RuneCountInString(raw)
			if used+size+owed+closing > budget {
				break loop
			}
			out.WriteString(raw)
			used += size
			if closing > 0 {
				open, owed = append(open, tok.Data), owed+closing
			}
		}
	}
	for i := len(open) - 1; i >= 0; i-- {
		out.WriteString("</" + open[i] + ">")
	}
	return out.String()
}

// fitEscaped returns the longest grapheme-bounded prefix of text whose
// escaped form has at most room runes, escaped.
func fitEscaped(text string, room int) string {
	var b strings.Builder
	n := 0
	g := uniseg.NewGraphemes(text)
	for g.Next() {
		esc := html.EscapeString(g.Str())
		size := utf8.RuneCountInString(esc)
		if n+size > room {
			break
		}
		n += size
		b.WriteString(esc)
	}
	return b.String()
}
