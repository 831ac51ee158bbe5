package bench

import (
	"context"
	"testing"
)

func TestListQueriesAgree(t *testing.T) {
	ctx := context.Background()
	d, err := Load(ctx, 20_000, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range ListQueries(d.Tasks) {
		if err := d.Same(ctx, q); err != nil {
			t.Error(err)
		}
	}
}
