package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestREADMEWalkthrough runs README's "Promotion in one minute" as a
// newcomer would (bash, curl, jq) against the built binary: the last
// command must answer the promoted, pending user.
func TestREADMEWalkthrough(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("README's walk-through needs %s: %v", tool, err)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## Promotion in one minute")
	if !ok {
		t.Fatal("README has no walk-through")
	}
	_, block, _ := strings.Cut(section, "```sh\n")
	script, _, _ := strings.Cut(block, "```")
	p := startBinary(t)
	script = strings.ReplaceAll(script, "localhost:8080", strings.TrimPrefix(p.url, "http://"))
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Env = append(cleanEnv(), "PORTICO_ADMIN_TOKEN="+adminToken)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("walk-through: %v\n%s", err, out)
	}
	var answer struct {
		User struct{ Status, Email string }
	}
	if err := json.Unmarshal(out, &answer); err != nil || answer.User.Status != "pending" || answer.User.Email != "jane@acme.example" {
		t.Fatalf("the walk-through's promotion answered %s (%v)", out, err)
	}
}
