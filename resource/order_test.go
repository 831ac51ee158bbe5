package resource

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSortSteps checks sortSteps against sorting by byRecord, on steps
// of several types whose ids share long prefixes, differ only past the
// bytes a word holds, are prefixes of one another, or repeat (steps of
// one record); and on types and lists too large for words.
func TestSortSteps(t *testing.T) {
	tests := []struct {
		name  string
		steps int
		trees []int
		short bool // ids shorter than the prefix most share, down to none
	}{
		{"one step", 1, []int{3}, false},
		{"a few steps", 31, []int{3, 7}, false},
		{"a few steps more", 40, []int{3, 7}, false},
		{"a stage of one type", 1000, []int{3}, false},
		{"several types", 1000, []int{3, 7, 12}, false},
		{"short ids", 1000, []int{3, 7}, true},
		{"a tree beyond a word's", 300, []int{3, 300}, false},
		{"more steps than a word can place", 1<<wordPlace + 5, []int{3, 7}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tt.steps), 9))
			steps := randomSteps(rng, tt.steps, tt.trees, tt.short)
			want := slices.Clone(steps)
			slices.SortFunc(want, byRecord)
			var words []uint64
			for range 2 { // the second time, with the first's buffer
				got := slices.Clone(steps)
				words = sortSteps(got, words)
				if diff := cmp.Diff(stepKeys(want), stepKeys(got)); diff != "" {
					t.Fatalf("order (-byRecord +sortSteps):\n%s", diff)
				}
			}
		})
	}
}

func randomSteps(rng *rand.Rand, n int, trees []int, short bool) []step {
	layouts := make([]*layout, len(trees))
	for i, tr := range trees {
		layouts[i] = &layout{ids: tr}
	}
	shared := idOf("default", []any{"c1", 1.0}) // twenty bytes every id starts with
	var ids [][]byte
	steps := make([]step, n)
	for i := range steps {
		var id []byte
		switch k := rng.IntN(10); {
		case k == 0 && len(ids) > 0: // a record stepped again
			id = ids[rng.IntN(len(ids))]
		case k == 1 && len(ids) > 0: // an id another starts with, or one that differs past a word's bytes
			id = append(slices.Clone(ids[rng.IntN(len(ids))]), byte(rng.IntN(3)))
		case k == 2 && short:
			id = shared[:rng.IntN(len(shared)+1)]
		default:
			id = appendEncoded(slices.Clone(shared), float64(rng.IntN(1_000_000)))
		}
		ids = append(ids, id)
		steps[i] = step{l: layouts[rng.IntN(len(layouts))], id: id, seq: i}
	}
	return steps
}

// stepKeys is what byRecord orders steps by, for comparing orders.
func stepKeys(steps []step) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = fmt.Sprintf("%d %x %d", s.l.ids, s.id, s.seq)
	}
	return out
}
