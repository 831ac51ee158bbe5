package bench

import (
	"context"
	"testing"
	"time"
)

// TestDurablesAgree runs every engine briefly: each holds every write it
// acknowledged.
func TestDurablesAgree(t *testing.T) {
	for _, e := range Durables() {
		t.Run(e.Name, func(t *testing.T) {
			rate, err := Rate(context.Background(), e, 4, 200*time.Millisecond)
			if err != nil || rate <= 0 {
				t.Errorf("Rate = %v, %v", rate, err)
			}
		})
	}
}

func TestStartup(t *testing.T) {
	took, size, err := Startup(context.Background(), 5000)
	if err != nil || took <= 0 || size <= 0 {
		t.Errorf("Startup = %v, %d, %v", took, size, err)
	}
}
