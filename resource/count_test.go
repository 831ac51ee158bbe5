package resource_test

import (
	"testing"

	"github.com/ambitkit/ambit/paging"
	"github.com/ambitkit/ambit/resource"
	"github.com/google/go-cmp/cmp"
)

// TestTotalsRemembered checks that a repeated paged listing takes its total
// from the memo (reading only its page and the item after it), and that
// any write makes the memo stale. Examined counts the page's reads and then
// the walk that counts.
func TestTotalsRemembered(t *testing.T) {
	s := fixture(t)
	q := resource.Query{Type: "hosts", Scope: map[string]string{"Hosts/cluster_name": "c1"},
		Page: paging.Request{Style: paging.Offsets, Size: 1}}
	type got struct {
		Total    int
		Hosts    []string
		Examined int
	}
	run := func() got {
		res := list(t, s, q, "Hosts/host_status!=DEAD", "")
		return got{res.Total, hostNames(res.Items), res.Plan.Examined}
	}
	steps := []struct {
		name  string
		write func() error
		want  got
	}{
		{"first listing walks to the end", nil, got{3, []string{"h1"}, 5}},
		{"repeated listing reads its page", nil, got{3, []string{"h1"}, 2}},
		{"a write to another type makes it stale", func() error {
			_, err := s.Create(ctx, "services", "", tree("ServiceInfo", "cluster_name", "c1", "service_name", "YARN"))
			return err
		}, got{3, []string{"h1"}, 5}},
		{"a new host counts", func() error {
			_, err := s.Create(ctx, "hosts", "", host("h4", 2, "rhel8", 1))
			return err
		}, got{4, []string{"h1"}, 6}},
		{"then it is remembered again", nil, got{4, []string{"h1"}, 2}},
	}
	for _, st := range steps {
		if st.write != nil {
			if err := st.write(); err != nil {
				t.Fatal(err)
			}
		}
		if diff := cmp.Diff(st.want, run()); diff != "" {
			t.Errorf("%s (-want +got)\n%s", st.name, diff)
		}
	}
}
