package httpapi

import (
	"net/http"

	"github.com/portico/portico/internal/domain"
	"github.com/portico/portico/internal/promotion"
)

var activationPageFR = pageKind{
	Lang:         "fr",
	Text:         textFR,
	Purpose:      domain.PurposeActivation,
	Title:        "Activez votre compte du portail",
	Lead:         "Choisissez un mot de passe pour votre compte. Vous l’utiliserez avec votre adresse e-mail pour vous connecter.",
	Endpoint:     "/api/v1/activations",
	Button:       "Activer mon compte",
	DoneHeading:  "Votre compte est actif",
	DoneText:     "Connectez-vous au portail avec votre adresse e-mail et le mot de passe que vous venez de choisir.",
	DoneNoPortal: "Vous pouvez maintenant vous connecter au portail avec votre adresse e-mail et le mot de passe que vous venez de choisir.",
	states: map[linkState]pageState{
		linkMissing: {Status: http.StatusBadRequest, Heading: "Cette page a besoin du lien de votre invitation",
			Explain: "L’adresse que vous avez ouverte ne contient pas de code d’invitation.",
			Next: []string{"Ouvrez votre e-mail d’invitation et choisissez le lien qu’il contient, plutôt que de saisir l’adresse.",
				"Si vous avez copié le lien, copiez-le en entier : il se termine par un long code après « token= »."}},
		linkState(promotion.TokenUnknown): {Status: http.StatusNotFound, Heading: "Nous ne reconnaissons pas ce lien d’invitation",
			Explain: "Le lien a peut-être été coupé ou modifié lors de la copie.",
			Next: []string{"Ouvrez de nouveau votre e-mail d’invitation et choisissez le lien qu’il contient.",
				"Si cela ne fonctionne toujours pas, demandez une nouvelle invitation à votre administrateur."}},
		linkState(promotion.TokenUsed): {Status: http.StatusGone, Heading: "Ce lien d’invitation a déjà été utilisé",
			Explain: "Chaque lien d’invitation fonctionne une fois, et celui-ci a déjà servi à définir un mot de passe.",
			Next:    []string{"Connectez-vous au portail avec votre adresse e-mail et le mot de passe choisi."},
			SignIn:  true, ResetLink: true},
		linkState(promotion.TokenExpired): {Status: http.StatusGone, Heading: "Cette invitation a expiré",
			Explain: "Les liens d’invitation fonctionnent pendant un temps limité, et celui-ci est écoulé.",
			Next: []string{"Demandez à votre administrateur (la personne qui vous a invité) de vous envoyer une nouvelle invitation.",
				"Utilisez ensuite le lien de ce nouvel e-mail."}},
		linkState(promotion.TokenSuperseded): {Status: http.StatusGone, Heading: "Une invitation plus récente a remplacé ce lien",
			Explain: "Nous vous avons envoyé une invitation plus récente, et seul le lien le plus récent fonctionne.",
			Next: []string{"Ouvrez notre e-mail d’invitation le plus récent et utilisez le lien qu’il contient.",
				"Vous ne le trouvez pas ? Demandez à votre administrateur de renvoyer l’invitation."}},
		linkState(promotion.TokenRevoked): {Status: http.StatusGone, Heading: "Cette invitation a été retirée",
			Explain: "Votre administrateur a retiré cette invitation, ou le compte auquel elle était destinée n’est plus un compte du portail.",
			Next:    []string{"Si vous pensez qu’il s’agit d’une erreur, demandez à votre administrateur de vous inviter de nouveau."}},
		linkAlreadyActive: {Status: http.StatusGone, Heading: "Votre compte est déjà actif",
			Explain: "Ce lien d’invitation n’est plus nécessaire : un mot de passe a déjà été défini pour ce compte.",
			Next:    []string{"Connectez-vous au portail avec votre adresse e-mail et votre mot de passe."},
			SignIn:  true, ResetLink: true},
	},
}

var resetPageFR = pageKind{
	Lang:         "fr",
	Text:         textFR,
	Purpose:      domain.PurposePasswordReset,
	Title:        "Choisissez un nouveau mot de passe",
	Lead:         "Choisissez un nouveau mot de passe pour votre compte du portail. Une fois enregistré, toute session ouverte sur ce compte est fermée.",
	Endpoint:     "/api/v1/password-resets/confirm",
	Button:       "Enregistrer mon nouveau mot de passe",
	DoneHeading:  "Votre mot de passe est modifié",
	DoneText:     "Connectez-vous de nouveau avec votre adresse e-mail et votre nouveau mot de passe.",
	DoneNoPortal: "Vous pouvez maintenant vous connecter au portail avec votre adresse e-mail et votre nouveau mot de passe.",
	states: map[linkState]pageState{
		linkMissing: {Status: http.StatusOK, Heading: "Réinitialiser votre mot de passe",
			Explain: "Pour choisir un nouveau mot de passe, il vous faut le lien d’un e-mail de réinitialisation.",
			Next: []string{"Vous avez l’e-mail ? Ouvrez-le et choisissez le lien qu’il contient.",
				"Pas d’e-mail, ou il est trop ancien ? Demandez un nouveau lien ci-dessous."}, RequestReset: true},
		linkState(promotion.TokenUnknown): {Status: http.StatusNotFound, Heading: "Nous ne reconnaissons pas ce lien",
			Explain: "Le lien a peut-être été coupé ou modifié lors de la copie.",
			Next: []string{"Ouvrez de nouveau l’e-mail de réinitialisation et choisissez le lien qu’il contient.",
				"Ou demandez un nouveau lien ci-dessous."}, RequestReset: true},
		linkState(promotion.TokenUsed): {Status: http.StatusGone, Heading: "Ce lien a déjà été utilisé",
			Explain: "Chaque lien de réinitialisation fonctionne une fois, et celui-ci a déjà servi à changer le mot de passe.",
			Next: []string{"Connectez-vous au portail avec votre nouveau mot de passe.",
				"Oublié de nouveau, ou ce n’était pas vous ? Demandez un nouveau lien ci-dessous."}, SignIn: true, RequestReset: true},
		linkState(promotion.TokenExpired): {Status: http.StatusGone, Heading: "Ce lien a expiré",
			Explain: "Pour protéger votre compte, les liens de réinitialisation ne fonctionnent que peu de temps.",
			Next:    []string{"Demandez un nouveau lien ci-dessous, et utilisez-le peu après son arrivée."}, RequestReset: true},
		linkState(promotion.TokenSuperseded): {Status: http.StatusGone, Heading: "Un lien plus récent a remplacé celui-ci",
			Explain: "Un lien plus récent a été envoyé, ou le mot de passe a changé depuis, et seul le lien le plus récent fonctionne.",
			Next: []string{"Ouvrez notre e-mail de réinitialisation le plus récent et utilisez le lien qu’il contient.",
				"Ou demandez un nouveau lien ci-dessous."}, RequestReset: true},
		linkState(promotion.TokenRevoked): {Status: http.StatusGone, Heading: "Ce lien a été retiré",
			Explain: "Le compte auquel ce lien était destiné n’est plus un compte du portail.",
			Next:    []string{"Si vous pensez qu’il s’agit d’une erreur, demandez à votre administrateur."}},
	},
}

// linkPages are the link pages by purpose and language.
var linkPages = map[string]map[string]pageKind{
	domain.PurposeActivation:    {"en": activationPage, "de": activationPageDE, "fr": activationPageFR},
	domain.PurposePasswordReset: {"en": resetPage, "de": resetPageDE, "fr": resetPageFR},
}
