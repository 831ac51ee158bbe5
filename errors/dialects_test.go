package errors_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	apierr "github.com/ambitkit/ambit/errors"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// dialects are every dialect under test, by the name their golden files use.
var dialects = []struct {
	name string
	d    apierr.Dialect
}{
	{"ambari", apierr.Ambari{}},
	{"sahara", apierr.Sahara{}},
	{"cdap", apierr.CDAP{}},
	{"ohara", apierr.Ohara{}},
	{"ohara_debug", apierr.Ohara{Debug: true}},
	{"openshift", apierr.OpenShift{Version: "1.5", Supported: []string{"1.0", "1.1", "1.2", "1.3", "1.4", "1.5"}}},
	{"problem", apierr.Problem{}},
}

// goldenCases are the errors every dialect renders to a golden file.
var goldenCases = []struct {
	name string
	err  *apierr.Error
}{
	// The Ambari seed's "Errors" example.
	{"not_found", apierr.NotFound("The requested resource doesn't exist: Cluster not found, clusterName=someInvalidCluster")},
	// The Sahara seed's "Faults" example.
	{"named", apierr.BadRequest("Cluster with name 'test-cluster' already exists").WithName("CLUSTER_NAME_ALREADY_EXISTS")},
	// A parser's error with details and an internal cause that only debug shows.
	{"field_details", apierr.BadRequest(`Unable to compile query predicate: unexpected "&" at offset 14: expected a property name`).
		WithField("predicate", 14).
		WithDetails(apierr.Detail{Field: "items[1]/Hosts/cpu_count", Message: "not a number"}, apierr.Detail{Message: "second problem"}).
		WithCause(fmt.Errorf("compiling: %w", fmt.Errorf("lexer state <after &>")))},
}

func TestEncodeGolden(t *testing.T) {
	for _, d := range dialects {
		for _, c := range goldenCases {
			name := d.name + "_" + c.name
			t.Run(name, func(t *testing.T) {
				e := c.err
				if c.name == "not_found" {
					e = withInstance(e, "/api/v1/clusters/someInvalidCluster")
				}
				var buf bytes.Buffer
				if err := d.d.Encode(&buf, e); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", name+".golden")
				if *update {
					if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if diff := cmp.Diff(string(want), buf.String()); diff != "" {
					t.Errorf("%s (-want +got)\n%s", path, diff)
				}
			})
		}
	}
}

func withInstance(e *apierr.Error, path string) *apierr.Error {
	c := *e
	c.Instance = path
	return &c
}

func TestMediaTypes(t *testing.T) {
	for _, d := range dialects {
		want := "application/json"
		switch d.name {
		case "problem":
			want = "application/problem+json"
		case "cdap":
			want = "text/plain; charset=utf-8"
		}
		if got := d.d.MediaType(); got != want {
			t.Errorf("%s: MediaType() = %q, want %q", d.name, got, want)
		}
	}
}

func TestOpenShiftExitCodeAndVersions(t *testing.T) {
	d := apierr.OpenShift{
		Version:   "2.0-beta",
		Supported: []string{"1.4", "2.0-beta"},
		ExitCode:  func(e *apierr.Error) int { return e.Status / 100 * 100 },
	}
	var buf bytes.Buffer
	if err := d.Encode(&buf, apierr.NotAcceptable("Requested API version 3.0 is not supported.")); err != nil {
		t.Fatal(err)
	}
	want := `{"status":"not_acceptable","messages":[{"severity":"error","text":"Requested API version 3.0 is not supported.","field":null,"exit_code":400}],"data":null,"type":null,"api_version":"2.0-beta","version":"2.0-beta","supported_api_versions":[1.4,"2.0-beta"]}` + "\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestProblemTypeBase(t *testing.T) {
	var buf bytes.Buffer
	d := apierr.Problem{TypeBase: "https://ambit.example/errors/"}
	if err := d.Encode(&buf, apierr.Gone("The snapshot has expired.").WithName("SNAPSHOT_EXPIRED")); err != nil {
		t.Fatal(err)
	}
	want := `{"type":"https://ambit.example/errors/SNAPSHOT_EXPIRED","title":"Gone","status":410,"detail":"The snapshot has expired.","name":"SNAPSHOT_EXPIRED"}` + "\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
