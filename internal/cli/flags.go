package cli

import (
	"errors"
	"flag"
	"io"
	"strings"

	"github.com/google/uuid"
)

// connFlags are the flags every client command takes; PORTICO_URL and
// PORTICO_TOKEN are their defaults.
type connFlags struct{ url, token string }

// connHelp is the help text of connFlags, shown with every client command.
var connHelp = []string{
	"--url URL         the server, e.g. https://portico.example.com (default $PORTICO_URL, else http://localhost:8080)",
	"--token TOKEN     an API key or admin token (default $PORTICO_TOKEN)",
}

// againHelp is the help of --again, which promote and import take.
const againHelp = "--again           run it anew: a fresh Idempotency-Key instead of the one derived from the file and options, which replays an earlier run's answer for 24 h"

// runKey is the Idempotency-Key of one run: derived (the same file and
// options give the same key, so a retry or a re-run after a lost answer
// replays instead of writing twice), or with again a fresh one. Retries
// within the run always reuse it.
func runKey(derived string, again bool) string {
	if again {
		return derived + "-again-" + uuid.NewString()
	}
	return derived
}

// replayedHint is what the command says when the server replayed an
// earlier answer.
func replayedHint(what string) string {
	return "portico: this file was sent before with the same options; the server replayed its first answer (nothing was " + what +
		" twice); to run it anew, e.g. after fixing what made rows fail, add --again"
}

// newFlags is a flag set for command name with the connection flags.
func newFlags(name string, c *connFlags) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by exitStatus
	fs.StringVar(&c.url, "url", "", "")
	fs.StringVar(&c.token, "token", "", "")
	return fs
}

// parse parses args where flags and positional arguments may be mixed
// (`portico import FILE.csv --resource contacts`) and returns the
// positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, usageErr("portico help %s lists the flags of %s", fs.Name(), fs.Name())
			}
			return nil, usageErr("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// listFlag collects a flag given several times (--group A --group B).
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}
