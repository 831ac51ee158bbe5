package bench

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestServersAgree(t *testing.T) {
	s, err := Serve(1000)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Same(); err != nil {
		t.Error(err)
	}
}

func TestParseWrk(t *testing.T) {
	out := `Running 10s test @ http://127.0.0.1:1/
  1 threads and 8 connections
  Latency Distribution
     50%  412.00us
     75%  600.00us
     90%    1.10ms
     99%    3.25ms
  91234 requests in 10.00s, 2.1GB read
Requests/sec:   9123.40
Transfer/sec:    210.00MB
`
	got, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	want := Throughput{RPS: 9123.4, P50: 412 * time.Microsecond, P99: 3250 * time.Microsecond}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if _, err := parseWrk(out + "  Non-2xx or 3xx responses: 12\n"); err == nil {
		t.Error("failed responses were not reported")
	}
}
