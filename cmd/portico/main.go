// Command portico runs the Portico service; `portico help` lists its
// subcommands. It only reads the environment and arguments: internal/app
// builds and runs the service.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/portico/portico/internal/app"
	"github.com/portico/portico/internal/cli"
	"github.com/portico/portico/internal/config"
	"github.com/portico/portico/internal/directory"
	"github.com/portico/portico/internal/logging"
)

func main() {
	if args := os.Args[1:]; len(args) > 0 && cli.Is(args[0]) {
		if wantsHelp(args) {
			_ = help(os.Stdout, strings.Fields(args[0]+" "+subcommand(args)))
			return
		}
		// client commands have exit statuses of their own (see cli.Exit*)
		os.Exit(cli.Main(args, os.Getenv, os.Stdout, os.Stderr))
	}
	if err := run(os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		// one line, so that a bad configuration reads at a glance
		fmt.Fprintln(os.Stderr, "portico:", strings.ReplaceAll(err.Error(), "\n", "; "))
		os.Exit(1)
	}
}

// errUsage ends a run whose arguments were wrong, after the usage was shown.
var errUsage = errors.New("usage")

func run(args []string, out io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	switch cmd {
	case "help", "-h", "-help", "--help":
		return help(out, args[1:])
	case "serve", "migrate", "apikey":
	default:
		fmt.Fprintf(os.Stderr, "portico: unknown command %q\n\n", cmd)
		_ = help(os.Stderr, nil)
		return errUsage
	}
	if len(args) > 1 && cmd != "apikey" {
		return fmt.Errorf("%s takes no arguments (see portico help %s)", cmd, cmd)
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	switch cmd {
	case "migrate":
		db, err := app.OpenDB(ctx, cfg)
		if err != nil {
			return err
		}
		logging.New(out, cfg.LogFormat, cfg.LogLevel).Info("migrations applied")
		return db.Close()
	case "apikey":
		db, err := app.OpenDB(ctx, cfg)
		if err != nil {
			return err
		}
		defer func() { _ = db.Close() }()
		return apikey(ctx, directory.New(db), args[1:], out)
	default:
		return app.Run(ctx, cfg, app.Options{LogOutput: out})
	}
}

// wantsHelp reports whether a client command's arguments ask for its help.
func wantsHelp(args []string) bool {
	for _, a := range args[1:] {
		if a == "-h" || a == "-help" || a == "--help" {
			return true
		}
	}
	return false
}

// subcommand is the second word of a two-word command such as jobs watch.
func subcommand(args []string) string {
	if len(args) > 1 && !strings.HasPrefix(args[1], "-") && args[0] == "jobs" {
		return args[1]
	}
	return ""
}
