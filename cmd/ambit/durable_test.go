package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

// TestMain lets a test run the command in a process of its own, to kill it.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("AMBIT_TEST_MAIN"); ok {
		if err := run(context.Background(), strings.Split(args, "\x1f"), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "ambit:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// served is a server a test started with run.
type served struct {
	url    string // of the Ambari face
	banner []string
	stop   func() error
}

func serve(t *testing.T, args ...string) served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-log-level", "error", "-sample", "0"}, args...), nil, pw)
	}()
	br := bufio.NewReader(pr)
	var s served
	for range 3 {
		line, err := br.ReadString('\n')
		if err != nil {
			cancel()
			t.Fatalf("the server did not start: %v (%v)", err, <-done)
		}
		s.banner = append(s.banner, line)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	s.url = strings.Fields(s.banner[0])[3]
	var once sync.Once
	s.stop = func() error {
		var err error
		once.Do(func() { cancel(); err = <-done })
		return err
	}
	t.Cleanup(func() { _ = s.stop() })
	return s
}

// call sends a request as admin and decodes the JSON it answers.
func call(t *testing.T, method, url, body string, header ...string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth("admin", "admin")
	req.Header.Set("X-Requested-By", "test")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, resp.Header
}

// TestDataSurvivesRestart: what clients did before a restart is there
// after it — clusters, hosts, users, tokens — and the demo is not built
// again.
func TestDataSurvivesRestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s := serve(t, "-data", dir, "-task-duration", "0")
	if !strings.HasSuffix(s.banner[1], "ambit.db, new\n") {
		t.Errorf("first start: %q", s.banner[1])
	}
	steps := []struct {
		method, path, body string
		status             int
	}{
		{"PUT", "/clusters/c1/hosts/c6401.ambari.apache.org", `{"Hosts":{"rack_info":"/rack-9"}}`, 200},
		{"POST", "/clusters/c2", `{"Clusters":{"version":"AMBIT-1.0"}}`, 201},
		{"POST", "/users/ops", `{"Users":{"password":"s3cret","admin":false}}`, 201},
		{"PUT", "/clusters/c1/services/ZOOKEEPER", `{"ServiceInfo":{"state":"STARTED"}}`, 202},
	}
	for _, st := range steps {
		if status, body, _ := call(t, st.method, s.url+st.path, st.body); status != st.status {
			t.Fatalf("%s %s = %d %v", st.method, st.path, status, body)
		}
	}
	token := tokenFor(t, strings.TrimSuffix(s.url, "/api/v1"), "ops", "s3cret")
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}

	s = serve(t, "-data", dir, "-task-duration", "0")
	if !strings.Contains(s.banner[1], "at version") {
		t.Errorf("second start: %q", s.banner[1])
	}
	checks := []struct {
		path string
		want map[string]any
	}{
		{"/clusters/c1/hosts/c6401.ambari.apache.org?fields=Hosts/rack_info", map[string]any{"cluster_name": "c1", "host_name": "c6401.ambari.apache.org", "rack_info": "/rack-9"}},
		{"/clusters/c2?fields=Clusters/cluster_name", map[string]any{"cluster_name": "c2"}},
		{"/clusters/c1/services/ZOOKEEPER?fields=ServiceInfo/state", map[string]any{"cluster_name": "c1", "service_name": "ZOOKEEPER", "state": "STARTED"}},
		{"/clusters/c1/requests/2?fields=Requests/request_status", map[string]any{"cluster_name": "c1", "id": 2.0, "request_status": "COMPLETED"}},
	}
	for _, c := range checks {
		status, body, _ := call(t, "GET", s.url+c.path, "")
		var got map[string]any
		for k, v := range body {
			if k != "href" {
				got, _ = v.(map[string]any)
			}
		}
		if diff := cmp.Diff(c.want, got); status != 200 || diff != "" {
			t.Errorf("GET %s = %d (-want +got)\n%s", c.path, status, diff)
		}
	}
	if status, body, _ := call(t, "GET", s.url+"/clusters", ""); status != 200 || len(body["items"].([]any)) != 2 {
		t.Errorf("clusters after the restart: %v", body)
	}
	req, _ := http.NewRequest("GET", s.url+"/users/ops", nil) // a user may read itself
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("a token issued before the restart = %d %s", resp.StatusCode, msg)
	}
}

// tokenFor gets a token, as a client of the token endpoint does.
func tokenFor(t *testing.T, base, user, password string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/token", nil)
	req.SetBasicAuth(user, password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	token, _ := body["access_token"].(string)
	if resp.StatusCode != 200 || token == "" {
		t.Fatalf("POST /token = %d %v", resp.StatusCode, body)
	}
	return token
}

// TestRestoreSnapshot copies a running server's data, restores the copy
// into another directory, and compares every resource of both.
func TestRestoreSnapshot(t *testing.T) {
	dir := t.TempDir()
	live, restored := filepath.Join(dir, "live"), filepath.Join(dir, "restored")
	s := serve(t, "-data", live, "-task-duration", "0")
	if status, body, _ := call(t, "PUT", s.url+"/clusters/c1/services/KAFKA", `{"ServiceInfo":{"state":"STARTED"}}`); status != 202 {
		t.Fatalf("start = %d %v", status, body)
	}
	copy := filepath.Join(dir, "copy.db")
	req, _ := http.NewRequest("GET", s.url+"/operator/snapshot", nil)
	req.SetBasicAuth("admin", "admin")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(b) == 0 {
		t.Fatalf("snapshot = %d, %d bytes", resp.StatusCode, len(b))
	}
	if err := os.WriteFile(copy, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"restore", "-data", live, copy}, nil, io.Discard); err == nil {
		t.Error("restored into the directory of a running server")
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"restore", "-data", restored, copy}, nil, io.Discard); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(everything(t, live), everything(t, restored)); diff != "" {
		t.Errorf("restored (-live +restored)\n%s", diff)
	}
	if err := run(context.Background(), []string{"restore", "-data", restored, filepath.Join(dir, "nothing")}, nil, io.Discard); err == nil {
		t.Error("restored a copy that does not exist")
	}
}

// everything reads every resource of every type in every namespace of a
// data directory.
func everything(t *testing.T, dir string) map[string][]map[string]any {
	t.Helper()
	db, err := openData(dir, syncs["always"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := parse([]string{"-data", dir}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m, err := newManager(c, db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close(context.Background())
	out := map[string][]map[string]any{}
	for _, typ := range m.Store().Types() {
		nss, err := m.Store().Namespaces(typ.Collection)
		if err != nil {
			t.Fatal(err)
		}
		for _, ns := range nss {
			res, err := m.Store().List(context.Background(), resource.Query{Type: typ.Collection, Namespace: ns, Instance: true, Page: paging.Request{Size: paging.All}})
			if err != nil {
				t.Fatal(err)
			}
			out[ns+"/"+typ.Collection] = res.Items
		}
	}
	return out
}

// TestCrash kills the server with SIGKILL under a concurrent write load,
// at a random moment, three times: after each restart, every write it
// acknowledged is there with its value, every batch is whole or absent,
// and no request is left unfinished.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills servers")
	}
	dir := filepath.Join(t.TempDir(), "data")
	w := &workload{batches: map[int]bool{}, racks: map[string][2]int{}, requests: map[string]bool{}}
	for round := range 3 {
		cmd, url := start(t, dir)
		w.url = url
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() { w.write(ctx, round*8+i) })
		}
		time.Sleep(time.Duration(300+rand.IntN(500)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		stop()
		wg.Wait()
		cmd, url = start(t, dir)
		w.url = url
		w.check(t, round)
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}
}

// start runs the server in a process of its own on dir.
func start(t *testing.T, dir string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "AMBIT_TEST_MAIN="+strings.Join([]string{"-data", dir, "-addr", "127.0.0.1:0",
		"-task-duration", "100ms", "-log-level", "error", "-sample", "0"}, "\x1f"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(out)
	line, err := br.ReadString('\n')
	if err != nil {
		t.Fatalf("the server did not start: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, br) }()
	return cmd, strings.Fields(line)[3]
}

// workload is what the writers of TestCrash sent, and which of it was
// acknowledged.
type workload struct {
	url      string
	mu       sync.Mutex
	batches  map[int]bool      // batch number: acknowledged
	racks    map[string][2]int // host: the last rack acknowledged, the last sent
	requests map[string]bool   // hrefs of requests acknowledged
}

// write sends, until ctx ends: batches of two hosts, updates of a host's
// rack, and state changes that make requests.
func (w *workload) write(ctx context.Context, n int) {
	host := fmt.Sprintf("w%d.example.com", n)
	if w.send(ctx, "POST", "/hosts/"+host, `{"Hosts":{"cpu_count":2,"os_type":"centos7"}}`) != 201 {
		return
	}
	for i := 1; ctx.Err() == nil; i++ {
		batch := n*100000 + i
		w.mu.Lock()
		w.batches[batch] = false
		w.mu.Unlock()
		body := fmt.Sprintf(`[{"Hosts":{"host_name":"b%d-a"}},{"Hosts":{"host_name":"b%d-b"}}]`, batch, batch)
		if w.send(ctx, "POST", "/hosts", body) == 201 {
			w.mu.Lock()
			w.batches[batch] = true
			w.mu.Unlock()
		}
		w.mu.Lock()
		r := w.racks[host]
		r[1] = i
		w.racks[host] = r
		w.mu.Unlock()
		if w.send(ctx, "PUT", "/hosts/"+host, fmt.Sprintf(`{"Hosts":{"rack_info":"/r%d"}}`, i)) == 200 {
			w.mu.Lock()
			r := w.racks[host]
			r[0] = i
			w.racks[host] = r
			w.mu.Unlock()
		}
		if n%4 == 0 {
			state := []string{"STARTED", "INSTALLED"}[i%2]
			w.send(ctx, "PUT", "/clusters/c1/services/ZOOKEEPER", `{"ServiceInfo":{"state":"`+state+`"}}`)
		}
	}
}

func (w *workload) send(ctx context.Context, method, path, body string) int {
	req, _ := http.NewRequestWithContext(ctx, method, w.url+path, strings.NewReader(body))
	req.SetBasicAuth("admin", "admin")
	req.Header.Set("X-Requested-By", "test")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode == 202 {
		w.mu.Lock()
		w.requests[strings.TrimPrefix(out["href"].(string), w.url)] = true
		w.mu.Unlock()
	}
	return resp.StatusCode
}

func (w *workload) check(t *testing.T, round int) {
	t.Helper()
	present := map[string]bool{}
	status, body, _ := call(t, "GET", w.url+"/hosts?fields=Hosts/host_name,Hosts/rack_info", "")
	if status != 200 {
		t.Fatalf("round %d: hosts = %d", round, status)
	}
	racks := map[string]string{}
	for _, item := range body["items"].([]any) {
		h := item.(map[string]any)["Hosts"].(map[string]any)
		present[h["host_name"].(string)] = true
		racks[h["host_name"].(string)], _ = h["rack_info"].(string)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for batch, acked := range w.batches {
		a, b := present[fmt.Sprintf("b%d-a", batch)], present[fmt.Sprintf("b%d-b", batch)]
		if a != b {
			t.Errorf("round %d: batch %d is half there", round, batch)
		}
		if acked && !a {
			t.Errorf("round %d: acknowledged batch %d is missing", round, batch)
		}
	}
	for host, r := range w.racks {
		var got int
		fmt.Sscanf(racks[host], "/r%d", &got)
		if got < r[0] || got > r[1] {
			t.Errorf("round %d: %s is on rack %d; acknowledged %d, sent up to %d", round, host, got, r[0], r[1])
		}
	}
	for href := range w.requests {
		if status, _, _ := call(t, "GET", w.url+href, ""); status != 200 {
			t.Errorf("round %d: acknowledged request %s = %d", round, href, status)
		}
	}
	// Recovery fails or runs again what the crash left unfinished: every
	// request ends.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		_, body, _ := call(t, "GET", w.url+"/clusters/c1/requests?Requests/request_status.in(PENDING,QUEUED,IN_PROGRESS)", "")
		items, _ := body["items"].([]any)
		if len(items) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("round %d: requests still unfinished: %v", round, items)
		}
	}
	t.Logf("round %d: %d batches, %d requests acknowledged so far", round, len(w.batches), len(w.requests))
}
