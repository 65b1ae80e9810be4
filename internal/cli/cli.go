// Package cli holds portico's client commands (promote, import, jobs
// watch): they talk to a running server over its HTTP API through the
// generated SDK (pkg/client), never to the database.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/term"
)

// Exit statuses of the client commands: scripts tell a clean run from one
// with failed rows from one that could not run at all.
const (
	ExitOK          = 0   // every row succeeded
	ExitRowsFailed  = 1   // the run finished and at least one row failed
	ExitError       = 2   // bad usage, unreachable server, a problem answer, a failed job
	ExitInterrupted = 130 // Ctrl-C; a job keeps running on the server
)

// Help is one client command as `portico help` shows it.
type Help struct {
	Name, Args, Summary string
	Flags               []string
}

// command is one client command: its help and what runs it.
type command struct {
	Help
	run func(ctx context.Context, e *env, args []string) error
}

// env is what a command runs with: the process's environment, output
// streams and whether stdout is a terminal.
type env struct {
	getenv   func(string) string
	out, err io.Writer
	tty      bool
}

func commands() []command {
	return []command{promoteCommand, importCommand, jobsWatchCommand}
}

// Commands lists the client commands for `portico help`.
func Commands() []Help {
	var hs []Help
	for _, c := range commands() {
		hs = append(hs, c.Help)
	}
	return hs
}

// Is reports whether name is the first word of a client command.
func Is(name string) bool {
	for _, c := range commands() {
		if strings.Fields(c.Name)[0] == name {
			return true
		}
	}
	return false
}

// Main runs the client command of args (e.g. "promote", "--csv", "f.csv")
// and returns the process's exit status. Ctrl-C or SIGTERM cancels the
// context; a second one ends the process at once.
func Main(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // the next signal takes the default action
	}()
	defer stop()
	e := &env{getenv: getenv, out: stdout, err: stderr, tty: isTerminal(stdout)}
	return exitStatus(stderr, dispatch(ctx, e, args))
}

func dispatch(ctx context.Context, e *env, args []string) error {
	for _, c := range commands() {
		words := strings.Fields(c.Name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.Name {
			return c.run(ctx, e, args[len(words):])
		}
	}
	if len(args) > 0 && args[0] == "jobs" {
		return usageErr("jobs needs a subcommand: portico jobs watch ID")
	}
	return usageErr("unknown command %q", strings.Join(args, " "))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// errRowsFailed ends a run that finished with failed rows; the summary and
// failures have been printed.
var errRowsFailed = errors.New("some rows failed")

// usageError is a wrong invocation: a missing or bad flag or argument, an
// unreadable or unusable file.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usageErr(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// interrupted ends a run that Ctrl-C stopped; hint says what to do next.
type interrupted struct{ hint string }

func (e interrupted) Error() string { return "interrupted; " + e.hint }

// exitStatus prints err (if it has something to say) and maps it to an
// exit status.
func exitStatus(stderr io.Writer, err error) int {
	var usage usageError
	var intr interrupted
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errRowsFailed):
		return ExitRowsFailed
	case errors.As(err, &intr):
		_, _ = fmt.Fprintln(stderr, "portico:", intr.Error())
		return ExitInterrupted
	case errors.As(err, &usage):
		_, _ = fmt.Fprintf(stderr, "portico: %s (see portico help)\n", usage.msg)
		return ExitError
	default:
		_, _ = fmt.Fprintln(stderr, "portico:", err)
		return ExitError
	}
}
