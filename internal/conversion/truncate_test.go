package conversion

import (
	"testing"
	"unicode/utf8"

	"github.com/portico/portico/internal/domain"
)

func TestTruncateText(t *testing.T) {
	const family = "\U0001F468\u200D\U0001F469\u200D\U0001F467" // 5 runes, one grapheme
	const flags = "\U0001F1E9\U0001F1EA\U0001F1EB\U0001F1F7"    // DE FR: 4 runes, two graphemes
	cases := []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"ascii", "hello world", 5, "hello"},
		{"ascii shorter", "hello", 10, "hello"},
		{"ascii exact", "hello", 5, "hello"},
		{"empty", "", 3, ""},
		{"limit 0", "hello", 0, ""},
		{"precomposed é is one character", "caf\u00e9 au lait", 4, "caf\u00e9"},
		{"e + combining acute is not split", "cafe\u0301 au lait", 4, "caf"},
		{"e + combining acute fits whole", "cafe\u0301 au lait", 5, "cafe\u0301"},
		{"two combining marks stay together", "xa\u0301\u0302y", 3, "x"},
		{"emoji", "hi \U0001F600\U0001F600", 4, "hi \U0001F600"},
		{"ZWJ family is not split", "ab" + family + "cd", 6, "ab"},
		{"ZWJ family fits whole", "ab" + family + "cd", 7, "ab" + family},
		{"flags are not split", flags, 3, "\U0001F1E9\U0001F1EA"},
		{"one flag needs two characters", flags, 1, ""},
		{"multi-byte never split", "日本語テキスト", 3, "日本語"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := TruncateText(tc.in, tc.limit)
			if got != tc.want {
				t.Fatalf("TruncateText(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
			}
			if !utf8.ValidString(got) || utf8.RuneCountInString(got) > tc.limit {
				t.Fatalf("%q: invalid or over the limit", got)
			}
		})
	}
}

func TestTruncateHTML(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"fits unchanged", "<p>Hello <b>world</b></p>", 100, "<p>Hello <b>world</b></p>"},
		{"nested tags closed in order", "<p>Hello <b>bold <i>deep</i></b> tail</p>", 30, "<p>Hello <b>bold </b></p>"},
		{"room kept for the end tags", "<b>bold text and more", 12, "<b>bold </b>"},
		{"unclosed tag that fits is closed", "<b>bold <i>text", 100, "<b>bold <i>text</i></b>"},
		{"misnested end tags", "<b><i>x</b></i>", 100, "<b><i>x</i></b>"},
		{"stray end tags dropped", "</b>x</i>y", 10, "xy"},
		{"entity counted as stored", "Tom &amp; Jerry", 9, "Tom &amp;"},
		{"entity never split", "Tom &amp; Jerry", 8, "Tom "},
		{"void elements need no end tag", "a<br>b<br>c", 7, "a<br>b"},
		{"img kept whole", `<img src="a.png" alt="A">caption`, 30, `<img src="a.png" alt="A">capti`},
		{"attributes kept", `<a href="https://example.com">link text</a>`, 55, `<a href="https://example.com" rel="nofollow">link t</a>`},
		{"tag that does not fit is dropped", `<a href="https://example.com">link text</a>`, 40, ""},
		{"script removed", "<script>alert(1)</script>safe text", 4, "safe"},
		{"event handler removed", `<p onclick="evil()">x</p>`, 20, "<p>x</p>"},
		{"emoji not split", "<b>\U0001F600\U0001F600\U0001F600</b>", 9, "<b>\U0001F600\U0001F600</b>"},
		{"combining mark not split", "<i>cafe\u0301</i>", 10, "<i>caf</i>"},
		{"implicitly closed list items", "<ul><li>one<li>two</ul>", 20, "<ul><li>on</li></ul>"},
		{"limit 0", "<b>x</b>", 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := TruncateHTML(tc.in, tc.limit)
			if got != tc.want {
				t.Fatalf("TruncateHTML(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
			}
			if n := utf8.RuneCountInString(got); n > tc.limit {
				t.Errorf("%d characters, limit %d", n, tc.limit)
			}
			if err := wellFormed(got); err != nil {
				t.Error(err)
			}
			if domain.SanitizeHTML(got) != got {
				t.Error("not sanitized")
			}
		})
	}
}

// TestTruncateHTMLCountsLikeMaxLength: a truncated value passes the
// max_length validation of the field it was cut for.
func TestTruncateHTMLCountsLikeMaxLength(t *testing.T) {
	def := domain.FieldDefinition{Key: "notes", Label: "Notes", Type: domain.FieldHTML, MaxLength: ptr(25)}
	in := "<p>Caf\u00e9 &amp; <b>cr\u00e8me \U0001F370</b> for <i>everyone</i></p>"
	if _, ferr := domain.CheckFieldValue(def, in); ferr == nil {
		t.Fatal("the input should be too long for the field")
	}
	got := TruncateHTML(in, *def.MaxLength)
	if _, ferr := domain.CheckFieldValue(def, got); ferr != nil {
		t.Fatalf("%q fails max_length: %s", got, ferr.Message)
	}
}
