package cli

import (
	"errors"
	"flag"
	"io"
	"strings"
)

// connFlags are the flags every client command takes; PORTICO_URL and
// PORTICO_TOKEN are their defaults.
type connFlags struct{ url, token string }

// connHelp is the help text of connFlags, shown with every client command.
var connHelp = []string{
	"--url URL         the server, e.g. https://portico.example.com (default $PORTICO_URL, else http://localhost:8080)",
	"--token TOKEN     an API key or admin token (default $PORTICO_TOKEN)",
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
