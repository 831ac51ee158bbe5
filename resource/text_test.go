package resource_test

import (
	"math"
	"strconv"
	"testing"

	"github.com/ambitkit/ambit/resource"
)

// TestTextNumbers checks that a number's text is FormatFloat's, the
// integers it writes faster included.
func TestTextNumbers(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 7919, 1e15 - 1, 1e15, -1e15, 1e21, 0.5, -2.25, 1 << 53, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		t.Run(strconv.FormatFloat(f, 'g', -1, 64), func(t *testing.T) {
			if got, want := resource.Text(f), strconv.FormatFloat(f, 'f', -1, 64); got != want {
				t.Errorf("Text(%v) = %q, want %q", f, got, want)
			}
		})
	}
}

func FuzzTextNumbers(f *testing.F) {
	for _, v := range []float64{0, -1, 42, 1e15, 0.1} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		if got, want := resource.Text(v), strconv.FormatFloat(v, 'f', -1, 64); got != want {
			t.Errorf("Text(%v) = %q, want %q", v, got, want)
		}
	})
}
