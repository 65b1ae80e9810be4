package httpapi

import (
	"mime"
	"strconv"
	"strings"
)

// preference is how much an Accept header wants a media type: its q value,
// then how specifically it was named (type/subtype 2, type/* 1, */* 0).
type preference struct {
	q           float64
	specificity int
}

func (p preference) over(o preference) bool {
	return p.q > o.q || (p.q == o.q && p.specificity > o.specificity)
}

// prefersJSON reports whether an Accept header (RFC 9110, 12.5.1) wants
// application/json more than text/html. Without a header, or on a tie
// between equally specific ranges, HTML wins: a person is reading.
func prefersJSON(accept string) bool {
	json := acceptance(accept, "application", "json")
	html := acceptance(accept, "text", "html")
	return json.q > 0 && json.over(html)
}

// acceptance is the best preference the header gives typ/sub.
func acceptance(accept, typ, sub string) preference {
	best := preference{q: 0, specificity: -1}
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		t, s, _ := strings.Cut(mt, "/")
		var p preference
		switch {
		case t == typ && s == sub:
			p.specificity = 2
		case t == typ && s == "*":
			p.specificity = 1
		case t == "*" && s == "*":
			p.specificity = 0
		default:
			continue
		}
		p.q = 1
		if raw, ok := params["q"]; ok {
			q, err := strconv.ParseFloat(raw, 64)
			if err != nil || q < 0 || q > 1 {
				continue
			}
			p.q = q
		}
		// the most specific range that matches decides (RFC 9110)
		if p.specificity > best.specificity {
			best = p
		}
	}
	if best.specificity < 0 {
		best.specificity = 0
	}
	return best
}
