package letter

import "github.com/portico/portico/internal/domain"

// builtIn are the emails Portico writes when no override applies, by kind
// and language: plain text and an HTML alternative saying the same.
var builtIn = map[domain.EmailKind]map[string]domain.EmailTemplate{
	domain.EmailInvitation: {
		"en": {Subject: "Your portal invitation", Text: `{{.Greeting}}

you have been invited to the portal as a member of {{.Organization}}{{if .Inviter}} by {{.Inviter}}{{end}}.
{{- if .Message}}

{{.Message}}
{{- end}}

Open this link to choose your password and activate your account (it works once, for {{.ValidFor}}, until {{.ExpiresAt}}):

{{.Link}}

If you did not expect this invitation, ignore this email.
`, HTML: `<p>{{.Greeting}}</p>
<p>you have been invited to the portal as a member of <strong>{{.Organization}}</strong>{{if .Inviter}} by {{.Inviter}}{{end}}.</p>
{{- if .Message}}
<blockquote style="white-space: pre-line">{{.Message}}</blockquote>
{{- end}}
<p><a href="{{.Link}}">Activate my account</a></p>
<p>The link works once, for {{.ValidFor}}, until {{.ExpiresAt}}. If the link does not open, copy this address into your browser: {{.Link}}</p>
<p>If you did not expect this invitation, ignore this email.</p>
`},
		"de": {Subject: "Ihre Einladung zum Portal", Text: `{{.Greeting}}

{{if .Inviter}}{{.Inviter}} hat Sie{{else}}Sie wurden{{end}} als Mitglied von {{.Organization}} zum Portal eingeladen.
{{- if .Message}}

{{.Message}}
{{- end}}

Öffnen Sie diesen Link, um Ihr Passwort zu wählen und Ihr Konto zu aktivieren (er funktioniert einmal, {{.ValidFor}} lang, bis zum {{.ExpiresAt}}):

{{.Link}}

Wenn Sie diese Einladung nicht erwartet haben, ignorieren Sie diese E-Mail.
`, HTML: `<p>{{.Greeting}}</p>
<p>{{if .Inviter}}{{.Inviter}} hat Sie{{else}}Sie wurden{{end}} als Mitglied von <strong>{{.Organization}}</strong> zum Portal eingeladen.</p>
{{- if .Message}}
<blockquote style="white-space: pre-line">{{.Message}}</blockquote>
{{- end}}
<p><a href="{{.Link}}">Mein Konto aktivieren</a></p>
<p>Der Link funktioniert einmal, {{.ValidFor}} lang, bis zum {{.ExpiresAt}}. Falls er sich nicht öffnet, kopieren Sie diese Adresse in Ihren Browser: {{.Link}}</p>
<p>Wenn Sie diese Einladung nicht erwartet haben, ignorieren Sie diese E-Mail.</p>
`},
		"fr": {Subject: "Votre invitation au portail", Text: `{{.Greeting}}

{{if .Inviter}}{{.Inviter}} vous a invité{{else}}Vous avez été invité{{end}} sur le portail en tant que membre de {{.Organization}}.
{{- if .Message}}

{{.Message}}
{{- end}}

Ouvrez ce lien pour choisir votre mot de passe et activer votre compte (il fonctionne une seule fois, pendant {{.ValidFor}}, jusqu’au {{.ExpiresAt}}) :

{{.Link}}

Si vous n’attendiez pas cette invitation, ignorez cet e-mail.
`, HTML: `<p>{{.Greeting}}</p>
<p>{{if .Inviter}}{{.Inviter}} vous a invité{{else}}Vous avez été invité{{end}} sur le portail en tant que membre de <strong>{{.Organization}}</strong>.</p>
{{- if .Message}}
<blockquote style="white-space: pre-line">{{.Message}}</blockquote>
{{- end}}
<p><a href="{{.Link}}">Activer mon compte</a></p>
<p>Le lien fonctionne une seule fois, pendant {{.ValidFor}}, jusqu’au {{.ExpiresAt}}. S’il ne s’ouvre pas, copiez cette adresse dans votre navigateur : {{.Link}}</p>
<p>Si vous n’attendiez pas cette invitation, ignorez cet e-mail.</p>
`},
	},
	domain.EmailPasswordReset: {
		"en": {Subject: "Reset your portal password", Text: `{{.Greeting}}

someone asked to reset the password of your portal account.
Open this link to choose a new one (it works once, for {{.ValidFor}}):

{{.Link}}

If it was not you, ignore this email; your password stays as it is.
`, HTML: `<p>{{.Greeting}}</p>
<p>someone asked to reset the password of your portal account.</p>
<p><a href="{{.Link}}">Choose a new password</a></p>
<p>The link works once, for {{.ValidFor}}. If the link does not open, copy this address into your browser: {{.Link}}</p>
<p>If it was not you, ignore this email; your password stays as it is.</p>
`},
		"de": {Subject: "Setzen Sie Ihr Portal-Passwort zurück", Text: `{{.Greeting}}

jemand hat angefordert, das Passwort Ihres Portal-Kontos zurückzusetzen.
Öffnen Sie diesen Link, um ein neues zu wählen (er funktioniert einmal, {{.ValidFor}} lang):

{{.Link}}

Wenn Sie das nicht waren, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.
`, HTML: `<p>{{.Greeting}}</p>
<p>jemand hat angefordert, das Passwort Ihres Portal-Kontos zurückzusetzen.</p>
<p><a href="{{.Link}}">Neues Passwort wählen</a></p>
<p>Der Link funktioniert einmal, {{.ValidFor}} lang. Falls er sich nicht öffnet, kopieren Sie diese Adresse in Ihren Browser: {{.Link}}</p>
<p>Wenn Sie das nicht waren, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.</p>
`},
		"fr": {Subject: "Réinitialisez le mot de passe de votre portail", Text: `{{.Greeting}}

Quelqu’un a demandé à réinitialiser le mot de passe de votre compte du portail.
Ouvrez ce lien pour en choisir un nouveau (il fonctionne une seule fois, pendant {{.ValidFor}}) :

{{.Link}}

Si ce n’était pas vous, ignorez cet e-mail ; votre mot de passe reste inchangé.
`, HTML: `<p>{{.Greeting}}</p>
<p>Quelqu’un a demandé à réinitialiser le mot de passe de votre compte du portail.</p>
<p><a href="{{.Link}}">Choisir un nouveau mot de passe</a></p>
<p>Le lien fonctionne une seule fois, pendant {{.ValidFor}}. S’il ne s’ouvre pas, copiez cette adresse dans votre navigateur : {{.Link}}</p>
<p>Si ce n’était pas vous, ignorez cet e-mail ; votre mot de passe reste inchangé.</p>
`},
	},
}
