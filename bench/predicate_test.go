package bench

import "testing"

func TestEnginesAgree(t *testing.T) {
	hosts := make([]map[string]any, 1000)
	for i := range hosts {
		hosts[i] = Host(i)
	}
	engines := Engines(hosts)
	for _, p := range Predicates() {
		n, err := Agree(engines, p, len(hosts))
		if err != nil {
			t.Error(err)
		}
		if n == 0 || n == len(hosts) {
			t.Errorf("%s matches %d of %d hosts: not a test of anything", p.Name, n, len(hosts))
		}
	}
}
