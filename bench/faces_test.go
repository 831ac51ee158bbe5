package bench

import "testing"

func TestFaceServers(t *testing.T) {
	s, err := ServeFaces(3)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Same(); err != nil {
		t.Error(err)
	}
	for _, tt := range s.Targets {
		if len(tt.Body) < 100 {
			t.Errorf("%s: %q", tt.Name, tt.Body)
		}
	}
}

func TestExpanded(t *testing.T) {
	d, size, err := Expanded(20)
	if err != nil || d <= 0 || size < 1000 {
		t.Errorf("Expanded = %v, %d bytes, %v", d, size, err)
	}
}
