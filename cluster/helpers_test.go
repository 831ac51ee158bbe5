package cluster_test

import "slices"

// sorted returns task lines in order: by stage, then as text.
func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }
