package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/portico/portico/internal/cli"
)

// command is one subcommand as `portico help` shows it.
type command struct {
	name, args, summary string
	flags               []string // "-flag value  meaning"
}

var commands = []command{
	{name: "serve", summary: "serve the HTTP API (the default when no command is given); settings come from PORTICO_* variables, see README"},
	{name: "migrate", summary: "apply the database migrations and exit"},
	{name: "apikey create", summary: "create an API key and print it once", flags: []string{
		"-name string   a unique name, e.g. crm-sync (required)",
		"-role string   admin or readonly (default admin)",
	}},
	{name: "apikey list", summary: "list API keys: id, name, role, last use, revocation"},
	{name: "apikey revoke", args: "ID", summary: "revoke an API key at once"},
	{name: "help", args: "[COMMAND]", summary: "show this help, or one command's"},
}

// clientCommands are the commands that talk to a running server.
func clientCommands() []command {
	var cs []command
	for _, h := range cli.Commands() {
		cs = append(cs, command{name: h.Name, args: h.Args, summary: h.Summary, flags: h.Flags})
	}
	return cs
}

// help prints every subcommand with its flags, or those whose name starts
// with the words given.
func help(out io.Writer, topic []string) error {
	want := strings.Join(topic, " ")
	var b strings.Builder
	if want == "" {
		fmt.Fprint(&b, "Portico turns CRM contacts into portal users.\n\nUsage: portico [COMMAND] [FLAGS]\n\nCommands:\n")
	}
	shown := 0
	all := append(append([]command{}, commands...), clientCommands()...)
	for i, c := range all {
		if i == len(commands) && want == "" {
			fmt.Fprint(&b, "\nClient commands (they call a running server at PORTICO_URL with PORTICO_TOKEN;\nexit status 0: every row succeeded, 1: some rows failed, 2: the run failed, 130: interrupted):\n")
		}
		if want != "" && !strings.HasPrefix(c.name, want) {
			continue
		}
		shown++
		fmt.Fprintf(&b, "  %-28s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
		for _, f := range c.flags {
			fmt.Fprintf(&b, "      %s\n", f)
		}
	}
	if shown == 0 {
		return fmt.Errorf("help: no command %q (see portico help)", want)
	}
	if want == "" {
		fmt.Fprint(&b, "\nThe configuration is read from the environment; a bad value stops the process naming the variable.\n")
	}
	_, err := io.WriteString(out, b.String())
	return err
}
