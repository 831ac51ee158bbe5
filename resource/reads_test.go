package resource

import (
	"strings"
	"testing"
)

// TestScanErrorsAreKept checks that an error of memdb's met while scanning
// is recorded for the listing to return, rather than ending the scan as if
// nothing matched.
func TestScanErrorsAreKept(t *testing.T) {
	s, err := New(Type{Name: "Host", Collection: "hosts", Keys: []string{"Hosts/host_name"}})
	if err != nil {
		t.Fatal(err)
	}
	txn := s.read()
	for _, a := range []access{
		{kind: "scan", index: "no_such_index", seeks: [][]byte{{0}}},
		{kind: "range", index: "no_such_index", lo: []byte{0}},
	} {
		t.Run(a.kind, func(t *testing.T) {
			rs := reads{Plan: &Plan{}}
			for range a.scan(txn, s.types["hosts"], &rs) {
				t.Error("a record from a broken index")
			}
			if rs.err == nil || !strings.Contains(rs.err.Error(), "no_such_index") {
				t.Errorf("err = %v, want memdb's error naming the index", rs.err)
			}
		})
	}
}
