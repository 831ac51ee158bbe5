package sahara

// The values of decoded JSON, read leniently: a missing or mistyped value
// reads as the zero value.

func asString(v any) string { s, _ := v.(string); return s }

func asInt(v any) int { n, _ := v.(float64); return int(n) }

func asList(v any) []any { l, _ := v.([]any); return l }

func asStrings(v any) []string {
	var out []string
	for _, x := range asList(v) {
		out = append(out, asString(x))
	}
	return out
}

func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
