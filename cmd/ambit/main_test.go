package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// TestRun starts the standalone server as the README does, on a free port,
// and reads the demo cluster as the README's curl does.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-task-duration", "0", "-log-level", "error"}, pw)
	}()

	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	// "ambit 2.7.8 serving http://127.0.0.1:PORT/api/v1 (user admin, password admin)"
	url := strings.Fields(line)[3]
	go func() { _, _ = io.Copy(io.Discard, pr) }()

	req, _ := http.NewRequest("GET", url+"/clusters/c1?fields=*", nil)
	req.SetBasicAuth("admin", "admin")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	services, _ := body["services"].([]any)
	hosts, _ := body["hosts"].([]any)
	if resp.StatusCode != 200 || len(services) != 2 || len(hosts) != 3 {
		t.Errorf("demo cluster: %d, %d services, %d hosts", resp.StatusCode, len(services), len(hosts))
	}

	// Metrics are sampled from the start.
	req, _ = http.NewRequest("GET", url+"/clusters/c1/hosts/c6401.ambari.apache.org?fields=metrics/cpu/cpu_idle", nil)
	req.SetBasicAuth("admin", "admin")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body = nil
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cpu, _ := body["metrics"].(map[string]any)["cpu"].(map[string]any)
	if _, ok := cpu["cpu_idle"].(float64); !ok {
		t.Errorf("no sampled metrics: %v", body)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("run ended with %v", err)
	}
}

func TestFlags(t *testing.T) {
	if _, err := parse([]string{"-driver", "ssh"}); err == nil {
		t.Error("an unknown driver was accepted")
	}
	c, err := parse([]string{"-task-duration", "0", "-demo=false"})
	if err != nil || c.taskDuration != 0 || c.demo || c.addr != "127.0.0.1:8080" {
		t.Errorf("parse = %+v, %v", c, err)
	}
	if err := run(context.Background(), []string{"-addr", "0.0.0.0:0"}, io.Discard); err == nil {
		t.Error("listening beyond loopback with the default user was allowed")
	}
}

func TestUsersFile(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "users")
	if err := os.WriteFile(path, []byte("# operators\nops:"+string(hash)+":admin\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	users, banner, err := loadUsers(config{users: path, addr: "0.0.0.0:8080"})
	if err != nil || len(users) != 1 || !strings.Contains(banner, "1 users") {
		t.Fatalf("loadUsers = %v, %q, %v", users, banner, err)
	}
	if err := os.WriteFile(path, []byte("ops:plain-password:admin\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := loadUsers(config{users: path}); err == nil {
		t.Error("a plain password was accepted")
	}
}
