package contract

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "make ambariclient again from the Ambari face's document")

// TestClientIsCurrent makes the Ambari client with oapi-codegen from the
// document the running server serves, and compares it with ambariclient's:
// the committed client is what the document makes.
func TestClientIsCurrent(t *testing.T) {
	srv := Start(t)
	dir := t.TempDir()
	doc := filepath.Join(dir, "ambari.json")
	if err := os.WriteFile(doc, Get(t, srv.URL+Documents["ambari"]), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "client.gen.go")
	cmd := exec.Command("go", "tool", "oapi-codegen", "-config", filepath.Join("ambariclient", "oapi-codegen.yaml"), "-o", out, doc)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oapi-codegen: %v\n%s", err, b)
	}
	made, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join("ambariclient", "client.gen.go")
	if *update {
		if err := os.WriteFile(committed, made, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(committed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, made) {
		t.Errorf("ambariclient/client.gen.go is not what the Ambari document makes: run go generate ./... in openapi/contract")
	}
}
