package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ambitkit/ambit/server"
	"golang.org/x/crypto/bcrypt"
)

// TestRun starts the standalone server as the README does, on a free port,
// and reads the demo cluster as the README's curl does.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-data", "", "-addr", "127.0.0.1:0", "-task-duration", "0", "-log-level", "error"}, nil, pw)
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
	if resp.StatusCode != 200 || len(services) != 4 || len(hosts) != 3 {
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
	if _, err := parse([]string{"-driver", "ssh"}, io.Discard); err == nil {
		t.Error("an unknown driver was accepted")
	}
	c, err := parse([]string{"-task-duration", "0", "-demo=false"}, io.Discard)
	if err != nil || c.taskDuration != 0 || c.demo || c.addr != "127.0.0.1:8080" || c.maxWait != time.Minute {
		t.Errorf("parse = %+v, %v", c, err)
	}
}

// TestLongPollsAnswerBeforeTheWriteTimeout: whatever -max-wait says, the
// answer of the longest long-poll has time to get out.
func TestLongPollsAnswerBeforeTheWriteTimeout(t *testing.T) {
	for _, wait := range []string{"1s", "1m", "5m", "1h"} {
		c, err := parse([]string{"-max-wait", wait}, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		srv := httpServer(c, nil)
		if srv.WriteTimeout < c.maxWait+30*time.Second {
			t.Errorf("-max-wait %s: write timeout %s", wait, srv.WriteTimeout)
		}
	}
}

// TestCommandLine runs the command as a newcomer would, with what goes
// wrong first.
func TestCommandLine(t *testing.T) {
	users := filepath.Join(t.TempDir(), "users")
	if err := os.WriteFile(users, []byte("# no users yet\n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		args    []string
		wantErr string // "" for none
		wantOut string
	}{
		{"help", []string{"-h"}, "", "usage: ambit [flags]"},
		{"passwd help", []string{"passwd", "-h"}, "", "usage: ambit passwd"},
		{"stray argument", []string{"foo", "-addr", "127.0.0.1:0"}, `unexpected argument "foo"`, ""},
		{"argument after flags", []string{"-addr", "127.0.0.1:0", "serve"}, `unexpected argument "serve"`, ""},
		{"remote without the flag", []string{"-addr", "0.0.0.0:0", "-users", users}, "without -allow-remote", ""},
		{"remote with admin/admin", []string{"-addr", "0.0.0.0:0", "-allow-remote"}, "default admin/admin user", ""},
		{"remote anonymous Ohara clients", []string{"-addr", "0.0.0.0:0", "-allow-remote", "-users", users, "-ohara-anonymous", "admin"}, "without -allow-remote-anonymous", ""},
		{"empty users file", []string{"-data", "", "-addr", "127.0.0.1:0", "-users", users}, "has no users", ""},
		{"bad max-wait", []string{"-max-wait", "0s"}, "-max-wait", ""},
		{"a short token key", []string{"-token-key", "short"}, "want 32 or more", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			err := run(context.Background(), tt.args, strings.NewReader(""), &out)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Errorf("output %q lacks %q", out.String(), tt.wantOut)
			}
		})
	}
}

// TestPasswd makes a users-file line with the passwd command and serves
// with it: the line's user logs in, others do not, and the banner does not
// suggest admin/admin.
func TestPasswd(t *testing.T) {
	var line strings.Builder
	if err := run(context.Background(), []string{"passwd", "-role", "read-only", "ops"}, strings.NewReader("s3cret\n"), &line); err != nil {
		t.Fatal(err)
	}
	users, err := server.LoadUsers(strings.NewReader(line.String()))
	if err != nil || users["ops"].Role != server.ReadOnly || bcrypt.CompareHashAndPassword(users["ops"].Hash, []byte("s3cret")) != nil {
		t.Fatalf("passwd wrote %q: %v", line.String(), err)
	}
	var op strings.Builder
	if err := run(context.Background(), []string{"passwd", "-role", "operator", "-grants", "proj1,proj2", "dev"}, strings.NewReader("pw\n"), &op); err != nil {
		t.Fatal(err)
	}
	if us, err := server.LoadUsers(strings.NewReader(op.String())); err != nil || us["dev"].Role != server.Operator || strings.Join(us["dev"].Grants, ",") != "proj1,proj2" {
		t.Errorf("passwd -role operator -grants wrote %q: %v", op.String(), err)
	}
	for _, bad := range [][]string{{"passwd"}, {"passwd", "a:b"}, {"passwd", "-role", "root", "ops"}, {"passwd", "-grants", "a,,b", "ops"}} {
		if err := run(context.Background(), bad, strings.NewReader("pw\n"), io.Discard); err == nil {
			t.Errorf("%v was accepted", bad)
		}
	}
	if err := run(context.Background(), []string{"passwd", "ops"}, strings.NewReader(""), io.Discard); err == nil {
		t.Error("an empty password was accepted")
	}

	path := filepath.Join(t.TempDir(), "users")
	if err := os.WriteFile(path, []byte(line.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-data", "", "-addr", "127.0.0.1:0", "-users", path, "-log-level", "error", "-demo=false"}, nil, pw)
	}()
	br := bufio.NewReader(pr)
	banner, _ := br.ReadString('\n')
	data, _ := br.ReadString('\n')
	try, _ := br.ReadString('\n')
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if strings.Contains(banner+try, "admin") || !strings.Contains(banner, "1 users from") || !strings.HasPrefix(data, "data: in memory only") {
		t.Errorf("banner %q %q %q", banner, data, try)
	}
	url := strings.Fields(banner)[3]
	for _, tt := range []struct {
		user, password string
		want           int
	}{{"ops", "s3cret", 200}, {"ops", "wrong", 401}, {"admin", "admin", 401}} {
		req, _ := http.NewRequest("GET", url+"/clusters", nil)
		req.SetBasicAuth(tt.user, tt.password)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s:%s = %d, want %d", tt.user, tt.password, resp.StatusCode, tt.want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run ended with %v", err)
	}
}

// TestShutdown stops the server as SIGTERM does while a request's task
// runs for an hour and a client long-polls: the long-poll is answered, the
// running request is stopped, and run returns without waiting for either.
func TestShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-data", "", "-addr", "127.0.0.1:0", "-task-duration", "1h", "-log-level", "error"}, nil, pw)
	}()
	banner, _ := bufio.NewReader(pr).ReadString('\n')
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	url := strings.Fields(banner)[3]
	call := func(method, path, body string, header ...string) *http.Response {
		req, _ := http.NewRequest(method, url+path, strings.NewReader(body))
		req.SetBasicAuth("admin", "admin")
		req.Header.Set("X-Requested-By", "test")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := call("PUT", "/clusters/c1/services/HDFS", `{"ServiceInfo":{"state":"STARTED"}}`)
	resp.Body.Close()
	if resp.StatusCode != 202 {
		t.Fatalf("PUT = %d", resp.StatusCode)
	}
	// Wait until the request runs its hour-long tasks and stands still,
	// so that only the shutdown can end the long-poll early.
	var etag string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp := call("GET", "/clusters/c1/requests/2?fields=Requests/request_status,Requests/progress_percent", "")
		var body struct{ Requests map[string]any }
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if body.Requests["request_status"] == "IN_PROGRESS" && body.Requests["progress_percent"] != 0.0 {
			time.Sleep(200 * time.Millisecond)
			etag = call("GET", "/clusters/c1/requests/2", "").Header.Get("ETag")
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the request did not start: %v", body.Requests)
		}
	}
	polled := make(chan int, 1)
	go func() {
		resp := call("GET", "/clusters/c1/requests/2", "", "X-Ambit-Wait", "50s", "If-None-Match", etag)
		resp.Body.Close()
		polled <- resp.StatusCode
	}()
	time.Sleep(100 * time.Millisecond) // the long-poll is waiting
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run ended with %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return")
	}
	if st := <-polled; st != 200 {
		t.Errorf("the long-poll was answered %d", st)
	}
}

// TestExampleStackRuns serves the example stack with the exec driver and
// starts its service: real processes run its command lines, with the
// task's host in their environment, and stop when the service stops.
func TestExampleStackRuns(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AMBIT_LOCAL_DIR", dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-data", "", "-addr", "127.0.0.1:0", "-stack", "../../examples/stacks/local.json", "-driver", "exec", "-log-level", "error", "-sample", "0"}, nil, pw)
	}()
	banner, _ := bufio.NewReader(pr).ReadString('\n')
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	fields := strings.Fields(banner)
	if len(fields) < 4 {
		t.Fatalf("banner %q", banner)
	}
	url := fields[3]
	change := func(state string) {
		t.Helper()
		req, _ := http.NewRequest("PUT", url+"/clusters/c1/services/HEARTBEAT", strings.NewReader(`{"ServiceInfo":{"state":"`+state+`"}}`))
		req.SetBasicAuth("admin", "admin")
		req.Header.Set("X-Requested-By", "test")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Href string }
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != 202 {
			t.Fatalf("PUT %s = %d", state, resp.StatusCode)
		}
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			req, _ := http.NewRequest("GET", body.Href+"?fields=Requests/request_status", nil)
			req.SetBasicAuth("admin", "admin")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var r struct{ Requests map[string]any }
			_ = json.NewDecoder(resp.Body).Decode(&r)
			resp.Body.Close()
			if st := r.Requests["request_status"]; st == "COMPLETED" {
				return
			} else if st == "FAILED" || time.Now().After(deadline) {
				t.Fatalf("%s: request %v", state, st)
			}
		}
	}
	change("STARTED")
	beat := filepath.Join(dir, "c6401.ambari.apache.org", "beat")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(beat); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the BEATER process wrote no %s", beat)
		}
	}
	change("INSTALLED")
	before, _ := os.ReadFile(beat)
	time.Sleep(1500 * time.Millisecond)
	if after, _ := os.ReadFile(beat); string(after) != string(before) {
		t.Error("the BEATER process still beats after the service stopped")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run ended with %v", err)
	}
}

// TestOpenAPI writes each face's document as `ambit openapi FACE` does,
// without serving or touching any data, and refuses a face it lacks.
func TestOpenAPI(t *testing.T) {
	for face, path := range map[string]string{"ambari": "/api/v1/clusters/{k0}/hosts", "sahara": "/v1.1/{project_id}/clusters",
		"cdap": "/v3/namespaces", "openshift": "/broker/rest/domains", "ohara": "/v0/zookeepers"} {
		t.Run(face, func(t *testing.T) {
			var out bytes.Buffer
			if err := run(context.Background(), []string{"openapi", "-data", "", face}, strings.NewReader(""), &out); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				OpenAPI string                     `json:"openapi"`
				Paths   map[string]json.RawMessage `json:"paths"`
			}
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if _, ok := doc.Paths[path]; doc.OpenAPI != "3.1.0" || !ok {
				t.Errorf("openapi %q, paths without %s", doc.OpenAPI, path)
			}
		})
	}
	err := run(context.Background(), []string{"openapi", "nope"}, strings.NewReader(""), io.Discard)
	if err == nil || !strings.Contains(err.Error(), `no face "nope"`) {
		t.Errorf("err = %v, want one naming the face", err)
	}
}
