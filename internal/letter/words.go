package letter

import (
	"fmt"
	"strings"
	"time"
)

// words are what a built-in language says around the templates' fields.
type words struct {
	hello  string
	months [12]string
	at     func(day int, month string, year int, clock string) string
	day    [2]string // one, many
	hour   [2]string
	minute [2]string
}

var languages = map[string]words{
	"en": {hello: "Hello", months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"},
		at:  func(d int, m string, y int, c string) string { return fmt.Sprintf("%d %s %d at %s UTC", d, m, y, c) },
		day: [2]string{"day", "days"}, hour: [2]string{"hour", "hours"}, minute: [2]string{"minute", "minutes"}},
	"de": {hello: "Hallo", months: [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
		"September", "Oktober", "November", "Dezember"},
		at:  func(d int, m string, y int, c string) string { return fmt.Sprintf("%d. %s %d um %s UTC", d, m, y, c) },
		day: [2]string{"Tag", "Tage"}, hour: [2]string{"Stunde", "Stunden"}, minute: [2]string{"Minute", "Minuten"}},
	"fr": {hello: "Bonjour", months: [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
		"septembre", "octobre", "novembre", "décembre"},
		at:  func(d int, m string, y int, c string) string { return fmt.Sprintf("%d %s %d à %s UTC", d, m, y, c) },
		day: [2]string{"jour", "jours"}, hour: [2]string{"heure", "heures"}, minute: [2]string{"minute", "minutes"}},
}

// Languages are the locales Portico has built-in emails and pages for.
var Languages = []string{"en", "de", "fr"}

// greeting opens a mail: "Hello Jane Doe," with a first name, else a plain
// "Hello," (a bare "Hello Doe," or an address reads like a mail merge gone
// wrong).
func (w words) greeting(first, last string) string {
	first = strings.TrimSpace(first)
	if first == "" {
		return w.hello + ","
	}
	return w.hello + " " + strings.TrimSpace(first+" "+last) + ","
}

// date writes t in the language, in UTC.
func (w words) date(t time.Time) string {
	t = t.UTC()
	return w.at(t.Day(), w.months[t.Month()-1], t.Year(), t.Format("15:04"))
}

// duration writes d as whole days (from two days on, when it is whole
// days), hours (from two hours on, or whole hours) or minutes.
func (w words) duration(d time.Duration) string {
	unit := func(n int64, names [2]string) string {
		if n == 1 {
			return "1 " + names[0]
		}
		return fmt.Sprintf("%d %s", n, names[1])
	}
	switch {
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return unit(int64(d/(24*time.Hour)), w.day)
	case d >= 2*time.Hour || (d >= time.Hour && d%time.Hour == 0):
		return unit(int64((d+30*time.Minute)/time.Hour), w.hour)
	default:
		return unit(max(1, int64((d+30*time.Second)/time.Minute)), w.minute)
	}
}

// Date writes t in the built-in language lang (English for any other).
func Date(lang string, t time.Time) string {
	w, ok := languages[lang]
	if !ok {
		w = languages["en"]
	}
	return w.date(t)
}
