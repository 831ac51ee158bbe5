package resource

// interner shares the boxed form of values that many resources repeat
// (states, roles, host names, small counts), so that a million tasks do not
// hold a million copies of "COMPLETED". It is used only under the store's
// write lock.
type interner struct {
	strs map[string]any
}

// Bounds on interning: short strings only, and no more than this many, so
// that unique values (ids, output) cannot grow the table without end.
const (
	maxInternedLen = 64
	maxInterned    = 1 << 20
)

// smallNumbers are the boxed whole numbers 0 to 1023, which counts, exit
// codes and attempt numbers mostly are. The table is never written.
var smallNumbers = func() (t [1024]any) {
	for i := range t {
		t[i] = float64(i)
	}
	return t
}()

func (in *interner) value(v any) any {
	switch x := v.(type) {
	case string:
		if len(x) > maxInternedLen {
			return v
		}
		if shared, ok := in.strs[x]; ok {
			return shared
		}
		if len(in.strs) < maxInterned {
			in.strs[x] = v
		}
	case float64:
		if x >= 0 && x < float64(len(smallNumbers)) && x == float64(int(x)) {
			return smallNumbers[int(x)]
		}
	}
	return v
}

// str interns a string.
func (in *interner) str(s string) string { return in.value(s).(string) }
