package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/portico/portico/internal/domain"
)

// bodyTextErrors names every string of a JSON body, object keys included,
// that is not storable text (see textProblem), by its JSON path
// ("custom_fields.note", "smart_rule.regions[1]"). encoding/json would
// quietly turn invalid UTF-8 into U+FFFD and keep \u0000 as NUL, so the
// raw bytes of each string are checked. A body that is not well-formed
// JSON yields no errors: decoding reports it as malformed.
func bodyTextErrors(body []byte) []domain.FieldError {
	if utf8.Valid(body) && !bytes.Contains(body, []byte(`\u0000`)) {
		return nil // the common case: nothing to look for
	}
	w := jsonWalk{dec: json.NewDecoder(bytes.NewReader(body))}
	w.dec.UseNumber()
	var errs []domain.FieldError
	for {
		tok, err := w.dec.Token()
		if errors.Is(err, io.EOF) && len(w.stack) == 0 {
			return errs
		}
		if err != nil {
			return nil // malformed or cut short: decoding reports it as such
		}
		end := w.dec.InputOffset()
		raw := body[w.offset:end] // the token as sent, after any separator
		w.offset = end
		if s, ok := tok.(string); ok {
			key := w.atKey()
			if key {
				w.setKey(s)
			}
			if p := rawTextProblem(raw, s); p != "" {
				errs = append(errs, invalidText(w.path(), p))
			}
			if !key {
				w.valueDone()
			}
			continue
		}
		w.step(tok)
	}
}

// rawTextProblem is textProblem for a JSON string: raw is how it was
// sent (invalid UTF-8 stays visible there), s what it decodes to (a
// \u0000 escape becomes NUL there).
func rawTextProblem(raw []byte, s string) string {
	if !utf8.Valid(raw) {
		return "is not valid UTF-8 text"
	}
	return textProblem(s)
}

// jsonWalk follows the position of a token stream in the document.
type jsonWalk struct {
	dec    *json.Decoder
	offset int64
	stack  []jsonLevel
}

// jsonLevel is one open object or array.
type jsonLevel struct {
	object  bool
	wantKey bool   // an object expects a key (or its end) next
	key     string // the member being read
	index   int    // the array item being read
}

// atKey says whether the next string is an object's key.
func (w *jsonWalk) atKey() bool {
	n := len(w.stack)
	return n > 0 && w.stack[n-1].object && w.stack[n-1].wantKey
}

// setKey makes key the member being read.
func (w *jsonWalk) setKey(key string) {
	top := &w.stack[len(w.stack)-1]
	top.key, top.wantKey = key, false
}

// step follows a non-string token.
func (w *jsonWalk) step(tok json.Token) {
	switch tok {
	case json.Delim('{'):
		w.stack = append(w.stack, jsonLevel{object: true, wantKey: true})
	case json.Delim('['):
		w.stack = append(w.stack, jsonLevel{})
	case json.Delim('}'), json.Delim(']'):
		w.stack = w.stack[:len(w.stack)-1]
		w.valueDone()
	default:
		w.valueDone()
	}
}

// valueDone moves past a complete value: its object expects the next key,
// its array the next item.
func (w *jsonWalk) valueDone() {
	if n := len(w.stack); n > 0 {
		if w.stack[n-1].object {
			w.stack[n-1].wantKey = true
		} else {
			w.stack[n-1].index++
		}
	}
}

// path is the JSON path of the current position.
func (w *jsonWalk) path() string {
	var b strings.Builder
	for _, l := range w.stack {
		if !l.object {
			b.WriteString("[" + strconv.Itoa(l.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(printableName(l.key))
	}
	return b.String()
}
