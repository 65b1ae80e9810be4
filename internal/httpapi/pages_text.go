package httpapi

import (
	"encoding/json"
	"html/template"
	"net/http"

	"golang.org/x/text/language"

	"github.com/portico/portico/internal/domain"
)

// pageText is what a link page says around its kind's words, in one
// language; Script holds the messages page.js shows, by key.
type pageText struct {
	Account, Organization, WhatNext, ExpiredOn string
	ForgotPassword, AskResetLink, GoToPortal   string
	NewLinkHeading, EmailLabel, EmailHint      string
	SendLink, RequestDone                      string
	PasswordLabel, PasswordRules, ConfirmLabel string
	ShowPassword, NoScript                     string
	Script                                     map[string]string
}

// scriptMessages is the JSON block page.js reads its messages from.
func (t pageText) scriptMessages() template.JS {
	raw, _ := json.Marshal(t.Script)
	return template.JS(raw)
}

var textEN = pageText{
	Account: "Account", Organization: "Organization", WhatNext: "What to do next", ExpiredOn: "It expired on",
	ForgotPassword: "Forgot the password?", AskResetLink: "Ask for a password reset link", GoToPortal: "Go to the portal sign-in",
	NewLinkHeading: "Get a new reset link", EmailLabel: "Email address",
	EmailHint: "We send the link to this address if it belongs to a portal account.", SendLink: "Email me a new link",
	RequestDone:   "If a portal account uses this address, we have sent it a new link. Check your inbox, and your spam folder if it does not arrive within a few minutes. Only the newest link works.",
	PasswordLabel: "New password",
	PasswordRules: "Use 12 to 72 characters, and not your email address. A few unrelated words make a password that is strong and easy to remember.",
	ConfirmLabel:  "Type the password again", ShowPassword: "Show password",
	NoScript: "This page needs JavaScript to set your password. Turn it on and reload the page.",
}

var textDE = pageText{
	Account: "Konto", Organization: "Organisation", WhatNext: "Was Sie jetzt tun können", ExpiredOn: "Er ist abgelaufen am",
	ForgotPassword: "Passwort vergessen?", AskResetLink: "Einen Link zum Zurücksetzen anfordern", GoToPortal: "Zur Anmeldung im Portal",
	NewLinkHeading: "Einen neuen Link anfordern", EmailLabel: "E-Mail-Adresse",
	EmailHint: "Wir senden den Link an diese Adresse, wenn sie zu einem Portal-Konto gehört.", SendLink: "Neuen Link senden",
	RequestDone:   "Wenn ein Portal-Konto diese Adresse verwendet, haben wir ihm einen neuen Link gesendet. Sehen Sie in Ihrem Posteingang nach, und im Spam-Ordner, falls er nicht in wenigen Minuten ankommt. Nur der neueste Link funktioniert.",
	PasswordLabel: "Neues Passwort",
	PasswordRules: "Verwenden Sie 12 bis 72 Zeichen und nicht Ihre E-Mail-Adresse. Ein paar Wörter ohne Zusammenhang ergeben ein starkes Passwort, das man sich leicht merkt.",
	ConfirmLabel:  "Passwort wiederholen", ShowPassword: "Passwort anzeigen",
	NoScript: "Diese Seite braucht JavaScript, um Ihr Passwort zu setzen. Schalten Sie es ein und laden Sie die Seite neu.",
	Script: map[string]string{
		"password.min_length":   "Dieses Passwort ist zu kurz. Verwenden Sie mindestens 12 Zeichen.",
		"password.max_length":   "Dieses Passwort ist zu lang. Verwenden Sie höchstens 72 Zeichen (manche Sonderzeichen zählen doppelt).",
		"password.max":          "Dieses Passwort ist zu lang. Verwenden Sie höchstens 72 Zeichen.",
		"password.equals_email": "Verwenden Sie nicht Ihre E-Mail-Adresse als Passwort.",
		"password.required":     "Geben Sie ein Passwort ein.",
		"email.required":        "Geben Sie Ihre E-Mail-Adresse ein.",
		"email.max":             "Diese E-Mail-Adresse ist zu lang. Prüfen Sie die Eingabe.",
		"problems":              "Es gibt Probleme:",
		"problem":               "Es gibt ein Problem:",
		"unreachable":           "Wir haben den Server nicht erreicht. Prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.",
		"too_many":              "Zu viele Versuche. Warten Sie {wait} Sekunden und versuchen Sie es dann erneut.",
		"not_accepted":          "Dieser Wert wird nicht angenommen.",
		"not_pending":           "Dieses Konto wartet nicht mehr auf die Aktivierung. Wenn Sie schon ein Passwort gesetzt haben, melden Sie sich im Portal an; sonst fragen Sie Ihren Administrator.",
		"our_side":              "Bei uns ist etwas schiefgegangen{ref}. Versuchen Sie es in einer Minute erneut; wenn es so bleibt, sagen Sie es Ihrem Administrator.",
		"error_code":            " (Fehlercode: {code})",
		"mismatch":              "Die beiden Passwörter sind nicht gleich. Geben Sie in beide Felder dasselbe Passwort ein.",
	},
}

var textFR = pageText{
	Account: "Compte", Organization: "Organisation", WhatNext: "Que faire maintenant", ExpiredOn: "Il a expiré le",
	ForgotPassword: "Mot de passe oublié ?", AskResetLink: "Demander un lien de réinitialisation", GoToPortal: "Aller à la connexion du portail",
	NewLinkHeading: "Obtenir un nouveau lien", EmailLabel: "Adresse e-mail",
	EmailHint: "Nous envoyons le lien à cette adresse si elle appartient à un compte du portail.", SendLink: "M’envoyer un nouveau lien",
	RequestDone:   "Si un compte du portail utilise cette adresse, nous lui avons envoyé un nouveau lien. Regardez votre boîte de réception, et vos indésirables s’il n’arrive pas d’ici quelques minutes. Seul le lien le plus récent fonctionne.",
	PasswordLabel: "Nouveau mot de passe",
	PasswordRules: "Utilisez de 12 à 72 caractères, et pas votre adresse e-mail. Quelques mots sans rapport font un mot de passe solide et facile à retenir.",
	ConfirmLabel:  "Saisissez de nouveau le mot de passe", ShowPassword: "Afficher le mot de passe",
	NoScript: "Cette page a besoin de JavaScript pour définir votre mot de passe. Activez-le et rechargez la page.",
	Script: map[string]string{
		"password.min_length":   "Ce mot de passe est trop court. Utilisez au moins 12 caractères.",
		"password.max_length":   "Ce mot de passe est trop long. Utilisez au plus 72 caractères (certains caractères accentués comptent double).",
		"password.max":          "Ce mot de passe est trop long. Utilisez au plus 72 caractères.",
		"password.equals_email": "N’utilisez pas votre adresse e-mail comme mot de passe.",
		"password.required":     "Saisissez un mot de passe.",
		"email.required":        "Saisissez votre adresse e-mail.",
		"email.max":             "Cette adresse e-mail est trop longue. Vérifiez votre saisie.",
		"problems":              "Il y a des problèmes :",
		"problem":               "Il y a un problème :",
		"unreachable":           "Nous n’avons pas pu joindre le serveur. Vérifiez votre connexion Internet et réessayez.",
		"too_many":              "Trop de tentatives. Attendez {wait} secondes, puis réessayez.",
		"not_accepted":          "Cette valeur n’est pas acceptée.",
		"not_pending":           "Ce compte n’attend plus d’activation. Si vous avez déjà choisi un mot de passe, connectez-vous au portail ; sinon, demandez à votre administrateur.",
		"our_side":              "Une erreur s’est produite de notre côté{ref}. Réessayez dans une minute ; si elle persiste, prévenez votre administrateur.",
		"error_code":            " (code d’erreur : {code})",
		"mismatch":              "Les deux mots de passe ne sont pas identiques. Saisissez le même mot de passe dans les deux champs.",
	},
}

// pageLanguages are the languages the link pages speak.
var pageLanguages = []language.Tag{language.English, language.German, language.French}

// pageLang is the language of a link page: the person's locale when the
// link names one, else the browser's Accept-Language, else the default,
// each along its fallback (fr-CA → fr).
func pageLang(r *http.Request, locale, fallback string) string {
	has := func(l string) bool { return l == "en" || l == "de" || l == "fr" }
	if locale != "" {
		for _, l := range domain.LocaleChain(locale, fallback) {
			if has(l) {
				return l
			}
		}
	}
	if accept := r.Header.Get("Accept-Language"); accept != "" {
		tags, _, err := language.ParseAcceptLanguage(accept)
		if err == nil && len(tags) > 0 {
			_, i, conf := language.NewMatcher(pageLanguages).Match(tags...)
			if conf != language.No {
				return []string{"en", "de", "fr"}[i]
			}
		}
	}
	for _, l := range domain.LocaleChain(fallback, "en") {
		if has(l) {
			return l
		}
	}
	return "en"
}
