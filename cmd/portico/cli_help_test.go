package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestHelpListsClientCommands: `portico help` lists the client commands
// with their flags and exit statuses, and `portico promote -h` shows
// promote's help alone, with status 0.
func TestHelpListsClientCommands(t *testing.T) {
	out, err := exec.Command(bin, "help").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"promote --csv FILE", "import FILE.csv", "jobs watch ID", "--group NAME", "--resource KIND",
		"--url URL", "--token TOKEN", "PORTICO_URL", "PORTICO_TOKEN", "130: interrupted", "serve", "apikey create"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("help does not mention %q:\n%s", want, out)
		}
	}
	one, err := exec.Command(bin, "promote", "-h").Output()
	if err != nil || !strings.HasPrefix(string(one), "  promote --csv FILE") || strings.Contains(string(one), "jobs watch") {
		t.Fatalf("promote -h (%v):\n%s", err, one)
	}
	if watch, err := exec.Command(bin, "help", "jobs").Output(); err != nil || !strings.Contains(string(watch), "jobs watch ID") {
		t.Fatalf("help jobs (%v):\n%s", err, watch)
	}
}
