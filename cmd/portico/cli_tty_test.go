package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestPromoteOnATerminal: with stdout on a terminal (util-linux's script
// gives the command one) promote draws a progress bar instead of plain
// lines.
func TestPromoteOnATerminal(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Fatalf("this test needs util-linux's script: %v", err)
	}
	p := startBinary(t, "PORTICO_BULK_SYNC_LIMIT=0") // every bulk promotion is a job
	path := writeFile(t, "few.csv", "contact_id\n"+strings.Join(p.contacts("tty", 3), "\n")+"\n")
	cmd := exec.Command(script, "-q", "-e", "-c", bin+" promote --csv "+path+" --group Resellers", "/dev/null")
	cmd.Env = append(cleanEnv(), "PORTICO_URL="+p.url, "PORTICO_TOKEN="+adminToken)
	raw, err := cmd.CombinedOutput()
	out := string(raw)
	if err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if !strings.Contains(out, "promoting 100%") || !strings.Contains(out, "(3/3, ") || strings.Contains(out, "processed ") ||
		!strings.Contains(out, "3 rows: 3 promoted") {
		t.Fatalf("no progress bar on a terminal:\n%q", out)
	}
}
